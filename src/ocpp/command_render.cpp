// Which renderer a station's version takes, and the verdict of its answer. The renderers
// themselves: v16/commands.cpp and v2/commands.cpp.
#include <boost/json.hpp>

#include "gridlane/domain/command_codec.hpp"
#include "gridlane/ocpp/commands.hpp"

namespace gridlane::ocpp {
namespace json = boost::json;

std::span<const std::string_view> command_kinds() {
  return domain::command_kinds();
}

domain::Result<RenderedCall> render_command(core::ProtocolVersion version, const domain::Command &command,
                                            std::int64_t command_id) {
  if (version == core::ProtocolVersion::Ocpp16) return v16::render_command(command, command_id);
  return v2::render_command(version, command, command_id);
}

std::variant<RenderedCall, std::string> render_command(core::ProtocolVersion version, std::string_view kind,
                                                       const json::object &params, std::int64_t command_id) {
  auto command = domain::decode_command(kind, json::serialize(params));
  if (!command) {
    // A command the version does not have is refused as such, whatever its params.
    if (auto blank = domain::blank_command(kind)) {
      if (auto refused = render_command(version, *blank, command_id); !refused && refused.error().field == "kind")
        return refused.error().message;
    }
    return command.error().message;
  }
  auto call = render_command(version, *command, command_id);
  if (!call) return call.error().message;
  return std::move(*call);
}

domain::CommandStatus judge_answer(const json::value &response) {
  const auto *status = response.is_object() ? response.as_object().if_contains("status") : nullptr;
  if (!status || !status->is_string()) return domain::CommandStatus::Accepted; // answers without a verdict
  std::string_view s = status->get_string();
  if (s == "Accepted" || s == "Unlocked" || s == "Scheduled" || s == "RebootRequired" || s == "AcceptedCanceled")
    return domain::CommandStatus::Accepted;
  return domain::CommandStatus::Rejected;
}

} // namespace gridlane::ocpp
