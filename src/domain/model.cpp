#include "gridlane/domain/model.hpp"
#include "gridlane/domain/operators.hpp"

#include <array>
#include <cmath>
#include <utility>

namespace gridlane::domain {
namespace {

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}
template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "Unknown";
}

constexpr std::array<std::pair<RegistrationStatus, std::string_view>, 3> registration_names{{
    {RegistrationStatus::Accepted, "Accepted"},
    {RegistrationStatus::Pending, "Pending"},
    {RegistrationStatus::Rejected, "Rejected"},
}};
constexpr std::array<std::pair<ConnectorStatus, std::string_view>, 10> connector_names{{
    {ConnectorStatus::Available, "Available"},
    {ConnectorStatus::Preparing, "Preparing"},
    {ConnectorStatus::Charging, "Charging"},
    {ConnectorStatus::SuspendedEVSE, "SuspendedEVSE"},
    {ConnectorStatus::SuspendedEV, "SuspendedEV"},
    {ConnectorStatus::Finishing, "Finishing"},
    {ConnectorStatus::Reserved, "Reserved"},
    {ConnectorStatus::Unavailable, "Unavailable"},
    {ConnectorStatus::Faulted, "Faulted"},
    {ConnectorStatus::Occupied, "Occupied"},
}};
constexpr std::array<std::pair<TokenStatus, std::string_view>, 6> token_names{{
    {TokenStatus::Accepted, "Accepted"},
    {TokenStatus::Blocked, "Blocked"},
    {TokenStatus::Expired, "Expired"},
    {TokenStatus::Invalid, "Invalid"},
    {TokenStatus::ConcurrentTx, "ConcurrentTx"},
    {TokenStatus::Unknown, "Unknown"},
}};

constexpr std::array<std::pair<Role, std::string_view>, 3> role_names{{
    {Role::Viewer, "viewer"},
    {Role::Operator, "operator"},
    {Role::Admin, "admin"},
}};
constexpr std::array<std::pair<CommandStatus, std::string_view>, 7> command_status_names{{
    {CommandStatus::Queued, "queued"},
    {CommandStatus::Sent, "sent"},
    {CommandStatus::Accepted, "accepted"},
    {CommandStatus::Rejected, "rejected"},
    {CommandStatus::Failed, "failed"},
    {CommandStatus::TimedOut, "timed_out"},
    {CommandStatus::StationOffline, "station_offline"},
}};

} // namespace

std::string_view to_string(Role v) { return name_of(role_names, v); }
std::optional<Role> parse_role(std::string_view s) { return lookup(role_names, s); }
std::string_view to_string(CommandStatus v) { return name_of(command_status_names, v); }
std::optional<CommandStatus> parse_command_status(std::string_view s) { return lookup(command_status_names, s); }

std::string_view to_string(RegistrationStatus v) { return name_of(registration_names, v); }
std::optional<RegistrationStatus> parse_registration_status(std::string_view s) { return lookup(registration_names, s); }
std::string_view to_string(ConnectorStatus v) { return name_of(connector_names, v); }
std::optional<ConnectorStatus> parse_connector_status(std::string_view s) { return lookup(connector_names, s); }
std::string_view to_string(TokenStatus v) { return name_of(token_names, v); }
std::optional<TokenStatus> parse_token_status(std::string_view s) { return lookup(token_names, s); }
std::string_view to_string(TransactionState v) { return v == TransactionState::Active ? "Active" : "Ended"; }

std::optional<std::int64_t> energy_register_wh(const MeterSample& s) {
  if (!s.numeric) return std::nullopt;
  std::string_view unit = s.unit ? std::string_view{*s.unit} : std::string_view{"Wh"}; // OCPP: Wh when absent
  if (unit == "Wh") return std::llround(*s.numeric);
  if (unit == "kWh") return std::llround(*s.numeric * 1000.0);
  return std::nullopt;
}

} // namespace gridlane::domain
