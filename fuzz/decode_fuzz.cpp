// The generated decoders of 1.6, 2.0.1 and 2.1 (tools/ocpp_codegen.py, codec_support.hpp): a
// payload that passes its schema decodes into its message type without throwing, and what
// Gridlane encodes from that type passes the same schema and decodes to the same thing again.
// The first byte picks the version and request or response, the second the message.
#include <boost/json.hpp>
#include <cstdio>
#include <vector>

#include "fuzz_support.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/rpc.hpp"
#include "gridlane/ocpp/v16/messages.hpp"
#include "gridlane/ocpp/v201/messages.hpp"
#include "gridlane/ocpp/v21/messages.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
namespace json = boost::json;

namespace {

using RoundTrip = void (*)(const json::value &, const CompiledSchema &);

struct Entry {
  std::string_view action;
  RoundTrip request;
  RoundTrip response; //!< null for an OCPP 2.1 SEND
};

template <class T> void round_trip(const json::value &payload, const CompiledSchema &schema) {
  T first;
  decode(payload, first); // the generated decoder, found by argument-dependent lookup
  json::value encoded = encode(first);
  if (auto err = schema.validate(encoded)) {
    std::fprintf(stderr, "encoded %s fails its schema: %s\n", json::serialize(encoded).c_str(), err->message.c_str());
    GRIDLANE_FUZZ_CHECK(false, "a decoded message encodes to a payload its schema refuses");
  }
  T second;
  decode(encoded, second);
  GRIDLANE_FUZZ_CHECK(encode(second) == encoded, "decoding what Gridlane encoded changes the message");
}

template <class Msg> constexpr RoundTrip response_trip() {
  if constexpr (std::is_void_v<typename Msg::Response>)
    return nullptr;
  else
    return &round_trip<typename Msg::Response>;
}

#define GRIDLANE_FUZZ_MESSAGE(M) Entry{M::action, &round_trip<M::Request>, response_trip<M>()},
namespace t16 {
using namespace gridlane::ocpp::v16;
const Entry table[] = {
#include "v16_messages.inc"
};
} // namespace t16
namespace t201 {
using namespace gridlane::ocpp::v201;
const Entry table[] = {
#include "v201_messages.inc"
};
} // namespace t201
namespace t21 {
using namespace gridlane::ocpp::v21;
const Entry table[] = {
#include "v21_messages.inc"
};
} // namespace t21
#undef GRIDLANE_FUZZ_MESSAGE

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  fuzz::Input in{data, size};
  const auto selector = in.byte();
  const auto pick = in.byte();
  const bool response = (selector & 0x80) != 0;
  std::span<const Entry> table = t16::table;
  const MessageCatalog *catalog = &fuzz::catalog_of(fuzz::version_from(selector));
  switch (fuzz::version_from(selector)) {
  case core::ProtocolVersion::Ocpp16: break;
  case core::ProtocolVersion::Ocpp201: table = t201::table; break;
  case core::ProtocolVersion::Ocpp21: table = t21::table; break;
  }
  const Entry &entry = table[pick % table.size()];
  const CompiledSchema *schema = response ? catalog->response(entry.action) : catalog->request(entry.action);
  const RoundTrip trip = response ? entry.response : entry.request;
  if (!schema || !trip) return 0;

  // Read the payload the way a connection does, so only what parse_frame lets through is decoded.
  auto parsed = parse_frame("[3,\"f\"," + std::string(in.rest()) + "]", catalog->version());
  auto *frame = std::get_if<Frame>(&parsed);
  if (!frame || !frame->payload.is_object()) return -1;
  if (schema->validate(frame->payload)) return 0; // refused at the door, never decoded
  trip(frame->payload, *schema);
  return 0;
}
