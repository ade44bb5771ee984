#pragma once
//! Remote commands on the wire: a domain Command rendered as the OCPP CALL of the station's
//! version by filling that version's generated request struct (v16/commands.cpp,
//! v2/commands.cpp), and the station's answer judged.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "gridlane/core/ids.hpp"
#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/operators.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::ocpp {

struct RenderedCall {
  std::string action;
  boost::json::value payload; //!< the encoded generated request: schema-valid by construction
};

//! Every command kind the operator API accepts.
std::span<const std::string_view> command_kinds();

//! The CALL for a command on this version, or why this version cannot express it
//! (ServiceError::invalid naming the parameter: HTTP 422 at the API). `command_id` becomes the
//! 2.x requestId / remoteStartId and the default reservation id.
domain::Result<RenderedCall> render_command(core::ProtocolVersion version, const domain::Command &command,
                                            std::int64_t command_id);

//! The same from the API's JSON form (kind + params): the command codec, then render_command.
//! For tests and tools; the server decodes once at the API and keeps the typed Command.
std::variant<RenderedCall, std::string> render_command(core::ProtocolVersion version, std::string_view kind,
                                                       const boost::json::object &params, std::int64_t command_id);

//! Accepted or Rejected, from the "status" of the station's answer (answers without one are Accepted).
domain::CommandStatus judge_answer(const boost::json::value &response);

namespace v16 {
domain::Result<RenderedCall> render_command(const domain::Command &command, std::int64_t command_id);
}
namespace v2 {
domain::Result<RenderedCall> render_command(core::ProtocolVersion version, const domain::Command &command,
                                            std::int64_t command_id);
}

} // namespace gridlane::ocpp
