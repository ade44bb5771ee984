#pragma once
//! Remote commands: one domain command (kind + parameters, version-neutral) rendered as the
//! OCPP CALL of the station's version, and the station's answer judged.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "gridlane/core/ids.hpp"
#include "gridlane/domain/operators.hpp"

namespace gridlane::ocpp {

struct RenderedCall {
  std::string action;
  boost::json::value payload;
};

//! Every command kind the operator API accepts.
std::span<const std::string_view> command_kinds();

//! The CALL for a command on this version, or why it cannot be sent (missing parameter,
//! command not available in this version). The payload is checked against its schema when sent.
std::variant<RenderedCall, std::string> render_command(core::ProtocolVersion version, std::string_view kind,
                                                        const boost::json::object& params, std::int64_t command_id);

//! Accepted or Rejected, from the "status" of the station's answer (answers without one are Accepted).
domain::CommandStatus judge_answer(const boost::json::value& response);

} // namespace gridlane::ocpp
