#pragma once
//! The version-agnostic domain model: station -> EVSE -> connector, id tokens, transactions and
//! meter samples. OCPP 1.6 and 2.x adapters translate their messages onto these types.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/ids.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/location.hpp"

namespace gridlane::domain {

using core::ProtocolVersion;
using core::StationId;
using core::Timestamp;

enum class RegistrationStatus { Accepted, Pending, Rejected };

struct StationIdentity { //!< what a station tells about itself at boot
  std::string vendor;
  std::string model;
  std::optional<std::string> serial_number;
  std::optional<std::string> charge_box_serial_number;
  std::optional<std::string> firmware_version;
  std::optional<std::string> iccid;
  std::optional<std::string> imsi;
  std::optional<std::string> meter_type;
  std::optional<std::string> meter_serial_number;
  std::optional<std::string> boot_reason; //!< OCPP 2.x only
};

struct Station {
  StationId id = StationId::unchecked("");
  RegistrationStatus registration = RegistrationStatus::Pending;
  bool enabled = true;
  std::optional<std::string> password_hash; //!< argon2id; present means HTTP Basic auth is required
  std::optional<std::string> site;          //!< the name of its location (kept for the API's `site`)
  std::optional<LocationId> location_id;    //!< the location it belongs to (migration 0008)
  StationIdentity identity;
  std::optional<ProtocolVersion> protocol; //!< of the latest connection
  std::optional<Timestamp> created_at;
  std::optional<Timestamp> last_boot_at;
  std::optional<Timestamp> last_seen_at;
};

//! Deviations from the OCPP schemas an operator accepts from one station, for a firmware known
//! to make them. All off by default (strict); each use is kept as an anomaly.
struct StationCompat {
  //! A date-time without zone ("2026-11-29T08:47:10") is read as UTC instead of refused.
  bool timestamps_without_offset = false;
  //! An unknown top-level property in the station's answer (CALLRESULT) to a CSMS request is
  //! dropped before validation instead of failing the request.
  bool extra_properties_in_answers = false;
  bool any() const { return timestamps_without_offset || extra_properties_in_answers; }
  bool operator==(const StationCompat &) const = default;
};

//! Connector status, the union of 1.6 ChargePointStatus and 2.x ConnectorStatusEnum.
enum class ConnectorStatus {
  Available,
  Preparing,
  Charging,
  SuspendedEVSE,
  SuspendedEV,
  Finishing,
  Reserved,
  Unavailable,
  Faulted,
  Occupied,
};

//! Connector error code, 1.6 ChargePointErrorCode (2.x StatusNotification carries none: NoError).
enum class ConnectorErrorCode {
  NoError,
  ConnectorLockFailure,
  EVCommunicationError,
  GroundFailure,
  HighTemperature,
  InternalError,
  LocalListConflict,
  OtherError,
  OverCurrentFailure,
  OverVoltage,
  PowerMeterFailure,
  PowerSwitchFailure,
  ReaderFailure,
  ResetFailure,
  UnderVoltage,
  WeakSignal,
};

struct StatusReport {
  StationId station = StationId::unchecked("");
  int evse_id = 0; //!< 1.6: equal to the connector id (0 = the whole station)
  int connector_id = 0;
  ConnectorStatus status = ConnectorStatus::Available;
  ConnectorErrorCode error_code = ConnectorErrorCode::NoError;
  std::optional<std::string> info;
  std::optional<std::string> vendor_id;
  std::optional<std::string> vendor_error_code;
  std::optional<Timestamp> station_time; //!< station clock
  Timestamp received_at;                 //!< server clock
};

//! Unknown: not in the token table (OCPP 2.x says so; 1.6 answers Invalid).
enum class TokenStatus { Accepted, Blocked, Expired, Invalid, ConcurrentTx, Unknown };

struct IdToken {
  std::string id; //!< the tag as the station presents it (case-sensitive)
  TokenStatus status = TokenStatus::Accepted;
  std::optional<Timestamp> expires_at;
  std::optional<std::string> parent_id;
};

//! The answer to "may this tag charge?", as the protocol adapters report it.
struct Authorization {
  TokenStatus status = TokenStatus::Invalid;
  std::optional<Timestamp> expires_at;
  std::optional<std::string> parent_id;
};

enum class TransactionState { Active, Ended };

//! 2.x ChargingStateEnum (2.0.1 and 2.1 alike).
enum class ChargingState { Charging, EVConnected, SuspendedEV, SuspendedEVSE, Idle };

//! Why a transaction stopped: the union of 1.6 Reason and 2.x ReasonEnum (2.0.1 and 2.1).
enum class StopReason {
  DeAuthorized,
  EmergencyStop,
  EnergyLimitReached,
  EVDisconnected,
  GroundFault,
  HardReset,
  ImmediateReset,
  Local,
  LocalOutOfCredit,
  MasterPass,
  Other,
  OvercurrentFault,
  PowerLoss,
  PowerQuality,
  Reboot,
  Remote,
  ReqEnergyTransferRejected,
  SOCLimitReached,
  SoftReset,
  StoppedByEV,
  TimeLimitReached,
  Timeout,
  UnlockCommand,
};

//! What made a 2.x station send a TransactionEvent: TriggerReasonEnum (2.1 is a superset of 2.0.1).
enum class TriggerReason {
  AbnormalCondition,
  Authorized,
  CablePluggedIn,
  ChargingRateChanged,
  ChargingStateChanged,
  CostLimitReached,
  Deauthorized,
  EnergyLimitReached,
  EVCommunicationLost,
  EVConnectTimeout,
  EVDeparted,
  EVDetected,
  LimitSet,
  MeterValueClock,
  MeterValuePeriodic,
  OperationModeChanged,
  RemoteStart,
  RemoteStop,
  ResetCommand,
  RunningCost,
  SignedDataReceived,
  SoCLimitReached,
  StopAuthorized,
  TariffChanged,
  TariffNotAccepted,
  TimeLimitReached,
  Trigger,
  TxResumed,
  UnlockCommand,
};

//! 2.x TransactionEventEnum.
enum class TransactionEventType { Started, Updated, Ended };

struct Transaction {
  std::int64_t id = 0; //!< server-assigned; 1.6 stations know the transaction by it
  StationId station = StationId::unchecked("");
  std::string station_tx_id; //!< 2.x transactionId; for 1.6 the decimal of `id`
  ProtocolVersion protocol = ProtocolVersion::Ocpp16;
  int evse_id = 0;
  int connector_id = 0;
  std::string id_tag;
  std::optional<std::int64_t> reservation_id;
  TransactionState state = TransactionState::Active;
  std::int64_t meter_start_wh = 0;
  std::optional<std::int64_t> meter_stop_wh;
  std::int64_t energy_wh = 0;  //!< energy delivered so far (latest register reading - start)
  Timestamp started_at;        //!< station clock
  Timestamp start_received_at; //!< server clock
  std::optional<Timestamp> stopped_at;
  std::optional<Timestamp> stop_received_at;
  std::optional<StopReason> stop_reason;
  std::optional<std::string> stop_id_tag;
  Authorization start_authorization; //!< what the station was told at start
  // OCPP 2.x TransactionEvent state
  std::optional<ChargingState> charging_state;
  std::optional<int> number_of_phases;
  std::optional<std::int64_t> remote_start_id;
  std::optional<std::int64_t> last_seq_no;
  bool offline_events = false; //!< some of its events were queued while the station was offline
};

//! One OCPP 2.x TransactionEvent as received.
struct TransactionEventRecord {
  std::int64_t transaction_id = 0;
  std::int64_t seq_no = 0;
  TransactionEventType event_type = TransactionEventType::Updated;
  TriggerReason trigger_reason = TriggerReason::Trigger;
  Timestamp timestamp; //!< station clock
  bool offline = false;
  std::optional<ChargingState> charging_state;
  std::optional<std::string> id_token;
  Timestamp received_at;
};

//! One attribute of one variable of one component in a 2.x station's device model.
struct DeviceVariable {
  std::string component;
  std::string component_instance;
  int evse_id = -1; //!< -1: not bound to an EVSE
  int connector_id = -1;
  std::string variable;
  std::string variable_instance;
  std::string attribute_type = "Actual";
  std::optional<std::string> value;
  std::optional<std::string> mutability;
  std::optional<bool> persistent;
  std::optional<bool> constant;
  // characteristics
  std::optional<std::string> data_type;
  std::optional<std::string> unit;
  std::optional<double> min_limit;
  std::optional<double> max_limit;
  std::optional<std::string> values_list;
  std::optional<bool> supports_monitoring;
};

//! Progress of one (possibly multi-part) report from a station.
struct ReportPart {
  std::int64_t request_id = 0;
  std::int64_t seq_no = 0;
  bool more_to_come = false;
  std::optional<Timestamp> generated_at;
};

struct MeterSample {
  Timestamp timestamp; //!< station clock
  std::string value;   //!< verbatim as sent
  std::optional<double> numeric;
  std::optional<std::string> measurand, phase, location, unit, context, format;
  std::optional<std::string> signed_data; //!< signed meter data as sent (JSON), for audit
};

struct MeterReading { //!< samples that share a station, connector and (optional) transaction
  StationId station = StationId::unchecked("");
  int evse_id = 0;
  int connector_id = 0;
  std::optional<std::int64_t> transaction_id; //!< server transaction id, when known
  std::vector<MeterSample> samples;
  Timestamp received_at;
};

//! Something a station did that the CSMS answered but that does not fit the happy path
//! (a stop for an unknown transaction, a meter value for one that ended...). Kept for operators.
struct Anomaly {
  StationId station = StationId::unchecked("");
  std::string kind;
  std::string detail;
  Timestamp at;
};

//! A message kept verbatim for audit (DataTransfer, firmware/diagnostics status...).
struct StationEvent {
  StationId station = StationId::unchecked("");
  std::string kind;    //!< the OCPP action
  std::string payload; //!< JSON text as received
  Timestamp at;
};

std::string_view to_string(RegistrationStatus v);
std::optional<RegistrationStatus> parse_registration_status(std::string_view s);
std::string_view to_string(ConnectorStatus v);
std::optional<ConnectorStatus> parse_connector_status(std::string_view s);
std::string_view to_string(TokenStatus v);
std::optional<TokenStatus> parse_token_status(std::string_view s);
std::string_view to_string(TransactionState v);
// The wire (and stored, and API) text of the protocol enums: for codecs only (the OCPP
// adapters, the store's row codec, the API's JSON); parse_* rejects any other text.
std::string_view to_string(ConnectorErrorCode v);
std::optional<ConnectorErrorCode> parse_connector_error_code(std::string_view s);
std::string_view to_string(ChargingState v);
std::optional<ChargingState> parse_charging_state(std::string_view s);
std::string_view to_string(StopReason v);
std::optional<StopReason> parse_stop_reason(std::string_view s);
std::string_view to_string(TriggerReason v);
std::optional<TriggerReason> parse_trigger_reason(std::string_view s);
std::string_view to_string(TransactionEventType v);
std::optional<TransactionEventType> parse_transaction_event_type(std::string_view s);

//! The sample is the energy imported register: its measurand is Energy.Active.Import.Register,
//! or absent (the OCPP default).
bool is_energy_import_register(const MeterSample &s);
//! The sample was taken at the start of its transaction (context Transaction.Begin).
bool is_transaction_begin(const MeterSample &s);
//! Converts an energy register reading to Wh; nullopt when the unit is not an energy unit or
//! the reading is outside [-max_energy_wh, max_energy_wh].
std::optional<std::int64_t> energy_register_wh(const MeterSample &s);

// ---- numbers from the wire (docs/ocpp.md, "Numbers from stations") ----------------------------
// Every number a station sends is checked against these bounds before it is narrowed, stored or
// used in arithmetic: with all operands bounded, no sum or difference below can overflow.

//! The largest energy register reading, meterStart or meterStop accepted: 10^15 Wh (a petawatt-
//! hour, far above any meter) keeps every energy sum and difference exact in an int64 and a double.
inline constexpr std::int64_t max_energy_wh = 1'000'000'000'000'000;
//! The largest magnitude of any sampled value after its multiplier (W, A, V, %, Wh...).
inline constexpr double max_sample_magnitude = 1e15;
//! OCPP's integer is 32-bit: ids, seqNo, counts above this are refused, never truncated.
inline constexpr std::int64_t max_wire_int = 2'147'483'647;

//! A sampled value as sent (1.6 text, 2.x number rendered) read as a plain decimal: optional
//! sign, digits, optional fraction and exponent. nullopt for anything else, including "nan",
//! "inf", hexadecimal, surrounding spaces, and results that are not finite or exceed
//! max_sample_magnitude ("1e400").
std::optional<double> parse_sample_value(std::string_view text);
//! A number already read (2.x) scaled by 10^multiplier: nullopt unless the value and the result
//! are finite and within max_sample_magnitude.
std::optional<double> scaled_sample_value(double value, std::int64_t multiplier);
//! A sample whose number (if any) is finite, within max_sample_magnitude and, for an energy
//! unit, within max_energy_wh once in Wh.
bool sample_within_bounds(const MeterSample &s);
//! At most `max_bytes` of `text`, cut on a UTF-8 character boundary (for anomaly details).
std::string clip(std::string_view text, std::size_t max_bytes = 40);
//! An id or count from the wire narrowed to int: nullopt outside [min, max_wire_int].
std::optional<int> wire_int(std::int64_t v, std::int64_t min = 0);
//! Energy delivered between two register readings, never negative: 0 when `to` is below `from`.
std::int64_t energy_between(std::int64_t from_wh, std::int64_t to_wh);

} // namespace gridlane::domain
