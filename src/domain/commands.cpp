#include "gridlane/domain/commands.hpp"

#include <utility>

namespace gridlane::domain {

namespace {
constexpr std::string_view kind_names[] = {"start_transaction",
                                           "stop_transaction",
                                           "reset",
                                           "unlock_connector",
                                           "change_availability",
                                           "get_configuration",
                                           "change_configuration",
                                           "get_variables",
                                           "set_variables",
                                           "trigger_message",
                                           "clear_cache",
                                           "data_transfer",
                                           "update_firmware",
                                           "get_diagnostics",
                                           "get_log",
                                           "send_local_list",
                                           "get_local_list_version",
                                           "reserve_now",
                                           "cancel_reservation",
                                           "set_charging_profile",
                                           "clear_charging_profile",
                                           "get_composite_schedule",
                                           "get_base_report",
                                           "get_transaction_status",
                                           "set_network_profile",
                                           "cost_updated",
                                           "get_charging_profiles",
                                           "set_variable_monitoring",
                                           "set_monitoring_base",
                                           "set_monitoring_level",
                                           "clear_variable_monitoring",
                                           "get_monitoring_report",
                                           "customer_information"};
static_assert(std::size(kind_names) == std::variant_size_v<Command>, "one API name per command kind");
} // namespace

std::span<const std::string_view> command_kinds() {
  return kind_names;
}

std::string_view kind_of(const Command &c) {
  return kind_names[c.index()];
}

namespace {
template <std::size_t... I> Command blank_at(std::size_t index, std::index_sequence<I...>) {
  Command out;
  // Exactly one alternative matches; the fold stops at it.
  [[maybe_unused]] const bool found = ((index == I ? (out.emplace<I>(), true) : false) || ...);
  return out;
}
} // namespace

std::optional<Command> blank_command(std::string_view kind) {
  for (std::size_t i = 0; i < std::size(kind_names); ++i) {
    if (kind_names[i] == kind) return blank_at(i, std::make_index_sequence<std::variant_size_v<Command>>{});
  }
  return std::nullopt;
}

} // namespace gridlane::domain
