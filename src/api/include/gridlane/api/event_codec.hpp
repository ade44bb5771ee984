#pragma once
//! The live event stream's codec: a typed domain event rendered as one Server-Sent Event, in
//! the wire format of docs/api.md ("Live events"). The only place events become text.
#include <string>
#include <string_view>

#include "gridlane/domain/events.hpp"

namespace gridlane::api {

struct EncodedEvent {
  std::string name; //!< the SSE `event:` field, e.g. "transaction.started"
  std::string data; //!< the SSE `data:` field: {"type", "station_id", "at", "data"} as JSON text
};

//! The event's type name on the wire.
std::string_view event_name(const domain::Event &e);
EncodedEvent encode(const domain::Event &e);
//! One complete SSE message: "event: <name>\ndata: <json>\n\n".
std::string sse_frame(const domain::Event &e);

} // namespace gridlane::api
