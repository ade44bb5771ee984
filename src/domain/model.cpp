#include "gridlane/domain/model.hpp"
#include "gridlane/domain/operators.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace gridlane::domain {
namespace {

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N> &table, std::string_view s) {
  for (const auto &[value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}
template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N> &table, E v) {
  for (const auto &[value, name] : table) {
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
constexpr std::array<std::pair<ConnectorErrorCode, std::string_view>, 16> error_code_names{{
    {ConnectorErrorCode::NoError, "NoError"},
    {ConnectorErrorCode::ConnectorLockFailure, "ConnectorLockFailure"},
    {ConnectorErrorCode::EVCommunicationError, "EVCommunicationError"},
    {ConnectorErrorCode::GroundFailure, "GroundFailure"},
    {ConnectorErrorCode::HighTemperature, "HighTemperature"},
    {ConnectorErrorCode::InternalError, "InternalError"},
    {ConnectorErrorCode::LocalListConflict, "LocalListConflict"},
    {ConnectorErrorCode::OtherError, "OtherError"},
    {ConnectorErrorCode::OverCurrentFailure, "OverCurrentFailure"},
    {ConnectorErrorCode::OverVoltage, "OverVoltage"},
    {ConnectorErrorCode::PowerMeterFailure, "PowerMeterFailure"},
    {ConnectorErrorCode::PowerSwitchFailure, "PowerSwitchFailure"},
    {ConnectorErrorCode::ReaderFailure, "ReaderFailure"},
    {ConnectorErrorCode::ResetFailure, "ResetFailure"},
    {ConnectorErrorCode::UnderVoltage, "UnderVoltage"},
    {ConnectorErrorCode::WeakSignal, "WeakSignal"},
}};
constexpr std::array<std::pair<ChargingState, std::string_view>, 5> charging_state_names{{
    {ChargingState::Charging, "Charging"},
    {ChargingState::EVConnected, "EVConnected"},
    {ChargingState::SuspendedEV, "SuspendedEV"},
    {ChargingState::SuspendedEVSE, "SuspendedEVSE"},
    {ChargingState::Idle, "Idle"},
}};
constexpr std::array<std::pair<StopReason, std::string_view>, 23> stop_reason_names{{
    {StopReason::DeAuthorized, "DeAuthorized"},
    {StopReason::EmergencyStop, "EmergencyStop"},
    {StopReason::EnergyLimitReached, "EnergyLimitReached"},
    {StopReason::EVDisconnected, "EVDisconnected"},
    {StopReason::GroundFault, "GroundFault"},
    {StopReason::HardReset, "HardReset"},
    {StopReason::ImmediateReset, "ImmediateReset"},
    {StopReason::Local, "Local"},
    {StopReason::LocalOutOfCredit, "LocalOutOfCredit"},
    {StopReason::MasterPass, "MasterPass"},
    {StopReason::Other, "Other"},
    {StopReason::OvercurrentFault, "OvercurrentFault"},
    {StopReason::PowerLoss, "PowerLoss"},
    {StopReason::PowerQuality, "PowerQuality"},
    {StopReason::Reboot, "Reboot"},
    {StopReason::Remote, "Remote"},
    {StopReason::ReqEnergyTransferRejected, "ReqEnergyTransferRejected"},
    {StopReason::SOCLimitReached, "SOCLimitReached"},
    {StopReason::SoftReset, "SoftReset"},
    {StopReason::StoppedByEV, "StoppedByEV"},
    {StopReason::TimeLimitReached, "TimeLimitReached"},
    {StopReason::Timeout, "Timeout"},
    {StopReason::UnlockCommand, "UnlockCommand"},
}};
constexpr std::array<std::pair<TriggerReason, std::string_view>, 29> trigger_reason_names{{
    {TriggerReason::AbnormalCondition, "AbnormalCondition"},
    {TriggerReason::Authorized, "Authorized"},
    {TriggerReason::CablePluggedIn, "CablePluggedIn"},
    {TriggerReason::ChargingRateChanged, "ChargingRateChanged"},
    {TriggerReason::ChargingStateChanged, "ChargingStateChanged"},
    {TriggerReason::CostLimitReached, "CostLimitReached"},
    {TriggerReason::Deauthorized, "Deauthorized"},
    {TriggerReason::EnergyLimitReached, "EnergyLimitReached"},
    {TriggerReason::EVCommunicationLost, "EVCommunicationLost"},
    {TriggerReason::EVConnectTimeout, "EVConnectTimeout"},
    {TriggerReason::EVDeparted, "EVDeparted"},
    {TriggerReason::EVDetected, "EVDetected"},
    {TriggerReason::LimitSet, "LimitSet"},
    {TriggerReason::MeterValueClock, "MeterValueClock"},
    {TriggerReason::MeterValuePeriodic, "MeterValuePeriodic"},
    {TriggerReason::OperationModeChanged, "OperationModeChanged"},
    {TriggerReason::RemoteStart, "RemoteStart"},
    {TriggerReason::RemoteStop, "RemoteStop"},
    {TriggerReason::ResetCommand, "ResetCommand"},
    {TriggerReason::RunningCost, "RunningCost"},
    {TriggerReason::SignedDataReceived, "SignedDataReceived"},
    {TriggerReason::SoCLimitReached, "SoCLimitReached"},
    {TriggerReason::StopAuthorized, "StopAuthorized"},
    {TriggerReason::TariffChanged, "TariffChanged"},
    {TriggerReason::TariffNotAccepted, "TariffNotAccepted"},
    {TriggerReason::TimeLimitReached, "TimeLimitReached"},
    {TriggerReason::Trigger, "Trigger"},
    {TriggerReason::TxResumed, "TxResumed"},
    {TriggerReason::UnlockCommand, "UnlockCommand"},
}};
constexpr std::array<std::pair<TransactionEventType, std::string_view>, 3> transaction_event_type_names{{
    {TransactionEventType::Started, "Started"},
    {TransactionEventType::Updated, "Updated"},
    {TransactionEventType::Ended, "Ended"},
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

std::string_view to_string(Role v) {
  return name_of(role_names, v);
}
std::optional<Role> parse_role(std::string_view s) {
  return lookup(role_names, s);
}
std::string_view to_string(CommandStatus v) {
  return name_of(command_status_names, v);
}
std::optional<CommandStatus> parse_command_status(std::string_view s) {
  return lookup(command_status_names, s);
}

std::string_view to_string(RegistrationStatus v) {
  return name_of(registration_names, v);
}
std::optional<RegistrationStatus> parse_registration_status(std::string_view s) {
  return lookup(registration_names, s);
}
std::string_view to_string(ConnectorStatus v) {
  return name_of(connector_names, v);
}
std::optional<ConnectorStatus> parse_connector_status(std::string_view s) {
  return lookup(connector_names, s);
}
std::string_view to_string(TokenStatus v) {
  return name_of(token_names, v);
}
std::optional<TokenStatus> parse_token_status(std::string_view s) {
  return lookup(token_names, s);
}
std::string_view to_string(TransactionState v) {
  return v == TransactionState::Active ? "Active" : "Ended";
}
std::string_view to_string(ConnectorErrorCode v) {
  return name_of(error_code_names, v);
}
std::optional<ConnectorErrorCode> parse_connector_error_code(std::string_view s) {
  return lookup(error_code_names, s);
}
std::string_view to_string(ChargingState v) {
  return name_of(charging_state_names, v);
}
std::optional<ChargingState> parse_charging_state(std::string_view s) {
  return lookup(charging_state_names, s);
}
std::string_view to_string(StopReason v) {
  return name_of(stop_reason_names, v);
}
std::optional<StopReason> parse_stop_reason(std::string_view s) {
  return lookup(stop_reason_names, s);
}
std::string_view to_string(TriggerReason v) {
  return name_of(trigger_reason_names, v);
}
std::optional<TriggerReason> parse_trigger_reason(std::string_view s) {
  return lookup(trigger_reason_names, s);
}
std::string_view to_string(TransactionEventType v) {
  return name_of(transaction_event_type_names, v);
}
std::optional<TransactionEventType> parse_transaction_event_type(std::string_view s) {
  return lookup(transaction_event_type_names, s);
}

// Samples are kept as sent (text) for audit; these read the two values the services act on.
bool is_energy_import_register(const MeterSample &s) {
  return !s.measurand || *s.measurand == "Energy.Active.Import.Register";
}
bool is_transaction_begin(const MeterSample &s) {
  return s.context && *s.context == "Transaction.Begin";
}

std::optional<std::int64_t> energy_register_wh(const MeterSample &s) {
  if (!s.numeric || !std::isfinite(*s.numeric)) return std::nullopt;
  std::string_view unit = s.unit ? std::string_view{*s.unit} : std::string_view{"Wh"}; // OCPP: Wh when absent
  double wh = 0;
  if (unit == "Wh")
    wh = *s.numeric;
  else if (unit == "kWh")
    wh = *s.numeric * 1000.0;
  else
    return std::nullopt;
  // Checked before llround: a value outside the long long range is undefined behaviour there.
  if (!(std::fabs(wh) <= static_cast<double>(max_energy_wh))) return std::nullopt;
  return std::llround(wh);
}

std::optional<double> parse_sample_value(std::string_view text) {
  // The grammar of a JSON number, with an optional '+' and without JSON's leading-zero rule:
  // what a decimal register reading looks like. from_chars alone would accept "inf" and "nan".
  std::size_t i = 0;
  const auto digits = [&] {
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9')
      ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t whole = digits();
  std::size_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction = digits();
  }
  if (whole + fraction == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  const char *first = text.data();
  if (*first == '+') ++first;
  double d = 0;
  auto [end, ec] = std::from_chars(first, text.data() + text.size(), d);
  // result_out_of_range: beyond double (1e400) or below its smallest (1e-400, which reads as 0).
  if (ec == std::errc::result_out_of_range) {
    if (text.find_first_of("eE") == std::string_view::npos) return std::nullopt;
    auto e = text.substr(text.find_first_of("eE") + 1);
    if (!e.empty() && e.front() == '-') return 0.0; // underflow: a value too small to tell from 0
    return std::nullopt;
  }
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(d) || std::fabs(d) > max_sample_magnitude) return std::nullopt;
  return d;
}

std::optional<double> scaled_sample_value(double value, std::int64_t multiplier) {
  if (!std::isfinite(value)) return std::nullopt;
  // |value| <= max_sample_magnitude after scaling. A multiplier beyond +-30 is no meter's: it
  // overflows, or makes every reading 0 (refused rather than silently read as 0).
  if (multiplier > 30 || multiplier < -30) return value == 0 ? std::optional<double>(0.0) : std::nullopt;
  double d = value * std::pow(10.0, static_cast<double>(multiplier));
  if (!std::isfinite(d) || std::fabs(d) > max_sample_magnitude) return std::nullopt;
  return d;
}

bool sample_within_bounds(const MeterSample &s) {
  if (!s.numeric) return true;
  const double d = *s.numeric;
  if (!std::isfinite(d) || std::fabs(d) > max_sample_magnitude) return false;
  if (s.unit && *s.unit == "kWh") return std::fabs(d * 1000.0) <= static_cast<double>(max_energy_wh);
  return true;
}

std::string clip(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
    --n; // not inside a character
  return std::string(text.substr(0, n)) + "...";
}

std::optional<int> wire_int(std::int64_t v, std::int64_t min) {
  if (v < min || v > max_wire_int) return std::nullopt;
  return static_cast<int>(v);
}

std::int64_t energy_between(std::int64_t from_wh, std::int64_t to_wh) {
  // Both are within [-max_energy_wh, max_energy_wh] where they come from the wire; saturate
  // anyway so that no stored pair can make this overflow.
  if (to_wh <= from_wh) return 0;
  if (from_wh < 0 && to_wh > std::numeric_limits<std::int64_t>::max() + from_wh)
    return std::numeric_limits<std::int64_t>::max();
  return to_wh - from_wh;
}

} // namespace gridlane::domain
