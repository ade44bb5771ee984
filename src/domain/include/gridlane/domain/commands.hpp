#pragma once
//! Remote commands as domain values: one struct per command kind with typed parameters, and one
//! version-agnostic ChargingProfile. The operator API decodes its JSON into a Command
//! (domain/command_codec.hpp); the OCPP adapters render a Command by filling the generated
//! request structs of the station's version (ocpp/v16/commands.cpp, ocpp/v2/commands.cpp).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

// ---- enums of command options; their text is the name the API and OCPP use -------------------

//! The names of an enum's values, in declaration order (specialised below).
template <class E> struct EnumNames;

#define GRIDLANE_ENUM_NAMES(E, ...)                                                                                    \
  template <> struct EnumNames<E> { static constexpr std::string_view names[] = {__VA_ARGS__}; }

enum class ResetKind { Soft, Hard }; //!< 1.6 Soft/Hard, 2.x OnIdle/Immediate
GRIDLANE_ENUM_NAMES(ResetKind, "soft", "hard");
//! Both 1.6 and 2.x names: a version refuses the ones it does not have.
enum class TriggerableMessage {
  BootNotification,
  DiagnosticsStatusNotification, //!< 1.6
  FirmwareStatusNotification,
  Heartbeat,
  MeterValues,
  StatusNotification,
  LogStatusNotification,             //!< 2.x
  SignChargingStationCertificate,    //!< 2.x
  SignV2GCertificate,                //!< 2.x
  TransactionEvent,                  //!< 2.x
  SignCombinedCertificate,           //!< 2.x
  PublishFirmwareStatusNotification, //!< 2.x
  SignV2G20Certificate,              //!< 2.1
};
GRIDLANE_ENUM_NAMES(TriggerableMessage, "BootNotification", "DiagnosticsStatusNotification",
                    "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification",
                    "LogStatusNotification", "SignChargingStationCertificate", "SignV2GCertificate", "TransactionEvent",
                    "SignCombinedCertificate", "PublishFirmwareStatusNotification", "SignV2G20Certificate");
//! 2.x IdTokenEnumType.
enum class IdTokenType { Central, eMAID, ISO14443, ISO15693, KeyCode, Local, MacAddress, NoAuthorization };
GRIDLANE_ENUM_NAMES(IdTokenType, "Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress",
                    "NoAuthorization");
enum class AttributeType { Actual, Target, MinSet, MaxSet };
GRIDLANE_ENUM_NAMES(AttributeType, "Actual", "Target", "MinSet", "MaxSet");
enum class LogType { DiagnosticsLog, SecurityLog };
GRIDLANE_ENUM_NAMES(LogType, "DiagnosticsLog", "SecurityLog");
enum class LocalListUpdate { Full, Differential };
GRIDLANE_ENUM_NAMES(LocalListUpdate, "Full", "Differential");
//! A local list entry's status: 1.6 IdTagInfo status; 2.x has these and more.
enum class LocalListStatus { Accepted, Blocked, Expired, Invalid, ConcurrentTx };
GRIDLANE_ENUM_NAMES(LocalListStatus, "Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx");
enum class ReportBase { ConfigurationInventory, FullInventory, SummaryInventory };
GRIDLANE_ENUM_NAMES(ReportBase, "ConfigurationInventory", "FullInventory", "SummaryInventory");
enum class OcppVersionName { OCPP12, OCPP15, OCPP16, OCPP20, OCPP201, OCPP21 }; //!< the last two: 2.1 only
GRIDLANE_ENUM_NAMES(OcppVersionName, "OCPP12", "OCPP15", "OCPP16", "OCPP20", "OCPP201", "OCPP21");
enum class OcppTransport { JSON, SOAP };
GRIDLANE_ENUM_NAMES(OcppTransport, "JSON", "SOAP");
enum class OcppInterface { Wired0, Wired1, Wired2, Wired3, Wireless0, Wireless1, Wireless2, Wireless3, Any };
GRIDLANE_ENUM_NAMES(OcppInterface, "Wired0", "Wired1", "Wired2", "Wired3", "Wireless0", "Wireless1", "Wireless2",
                    "Wireless3", "Any"); //!< Any: 2.1 only
enum class ApnAuthentication { CHAP, NONE, PAP, AUTO };
GRIDLANE_ENUM_NAMES(ApnAuthentication, "CHAP", "NONE", "PAP", "AUTO");
enum class VpnType { IKEv2, IPSec, L2TP, PPTP };
GRIDLANE_ENUM_NAMES(VpnType, "IKEv2", "IPSec", "L2TP", "PPTP");

// ---- the charging profile ----------------------------------------------------------------------

//! StationMax is 1.6 ChargePointMaxProfile and 2.x ChargingStationMaxProfile;
//! StationExternalConstraints is 2.x only; PriorityCharging and LocalGeneration are 2.1 only.
enum class ChargingProfilePurpose {
  StationMax,
  TxDefault,
  Tx,
  StationExternalConstraints,
  PriorityCharging,
  LocalGeneration
};
GRIDLANE_ENUM_NAMES(ChargingProfilePurpose, "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile",
                    "ChargingStationExternalConstraints", "PriorityCharging", "LocalGeneration");
enum class ChargingProfileKind { Absolute, Recurring, Relative };
GRIDLANE_ENUM_NAMES(ChargingProfileKind, "Absolute", "Recurring", "Relative");
enum class RecurrencyKind { Daily, Weekly };
GRIDLANE_ENUM_NAMES(RecurrencyKind, "Daily", "Weekly");
enum class ChargingRateUnit { A, W };
GRIDLANE_ENUM_NAMES(ChargingRateUnit, "A", "W");
//! 2.x block N: what a variable monitor watches for.
enum class MonitorType { UpperThreshold, LowerThreshold, Delta, Periodic, PeriodicClockAligned };
GRIDLANE_ENUM_NAMES(MonitorType, "UpperThreshold", "LowerThreshold", "Delta", "Periodic", "PeriodicClockAligned");
enum class MonitoringBase { All, FactoryDefault, HardWiredOnly };
GRIDLANE_ENUM_NAMES(MonitoringBase, "All", "FactoryDefault", "HardWiredOnly");
enum class MonitoringCriterion { ThresholdMonitoring, DeltaMonitoring, PeriodicMonitoring };
GRIDLANE_ENUM_NAMES(MonitoringCriterion, "ThresholdMonitoring", "DeltaMonitoring", "PeriodicMonitoring");

#undef GRIDLANE_ENUM_NAMES

template <class E>
requires requires {
  EnumNames<E>::names;
}
constexpr std::string_view to_string(E e) {
  return EnumNames<E>::names[static_cast<std::size_t>(e)];
}
template <class E> std::optional<E> parse_enum(std::string_view text) {
  const auto &names = EnumNames<E>::names;
  for (std::size_t i = 0; i < std::size(names); ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

//! A rate limit in thousandths of its schedule's unit (mA or mW): exact, no binary float.
struct RateMilli {
  std::int64_t thousandths = 0;
  bool operator==(const RateMilli &) const = default;
};

struct ChargingSchedulePeriod {
  std::int64_t start_s = 0; //!< seconds from the schedule's start
  RateMilli limit;
  std::optional<std::int64_t> phases;       //!< 1..3
  std::optional<std::int64_t> phase_to_use; //!< 1..3, with phases = 1 (2.x only)
  //! 2.1 only: the limits of phases L2 and L3 when they differ from `limit` (that of L1).
  std::optional<RateMilli> limit_l2, limit_l3;
  bool operator==(const ChargingSchedulePeriod &) const = default;
};

struct ChargingSchedule {
  std::int64_t id = 0; //!< 2.x schedule id (1.6 has none)
  std::optional<Timestamp> start;
  std::optional<std::int64_t> duration_s;
  ChargingRateUnit unit = ChargingRateUnit::A;
  std::optional<RateMilli> min_rate;
  std::vector<ChargingSchedulePeriod> periods; //!< at least one, ascending start
  bool operator==(const ChargingSchedule &) const = default;
};

struct ChargingProfile {
  std::int64_t id = 0;
  std::int64_t stack_level = 0;
  ChargingProfilePurpose purpose = ChargingProfilePurpose::TxDefault;
  ChargingProfileKind kind = ChargingProfileKind::Absolute;
  std::optional<RecurrencyKind> recurrency;
  std::optional<Timestamp> valid_from;
  std::optional<Timestamp> valid_to;
  std::optional<std::string> transaction_id; //!< the station's transaction id (1.6: its decimal)
  std::vector<ChargingSchedule> schedules;   //!< 1.6: exactly one; 2.x: one to three
  bool operator==(const ChargingProfile &) const = default;
};

// ---- one struct per command kind ---------------------------------------------------------------

namespace commands {

struct RemoteStart {
  std::string id_tag;
  std::optional<std::int64_t> connector_id; //!< 1.6
  std::optional<std::int64_t> evse_id;      //!< 2.x
  std::optional<IdTokenType> id_token_type; //!< 2.x, default Central
  std::optional<ChargingProfile> profile;
  bool operator==(const RemoteStart &) const = default;
};
struct RemoteStop {
  std::int64_t transaction_id = 0;                   //!< Gridlane's (the 1.6 station's too)
  std::optional<std::string> station_transaction_id; //!< the 2.x station's, looked up when submitted
  bool operator==(const RemoteStop &) const = default;
};
struct Reset {
  ResetKind type = ResetKind::Soft;
  std::optional<std::int64_t> evse_id; //!< 2.x
  bool operator==(const Reset &) const = default;
};
struct UnlockConnector {
  std::int64_t connector_id = 0;
  std::optional<std::int64_t> evse_id; //!< required by 2.x
  bool operator==(const UnlockConnector &) const = default;
};
struct ChangeAvailability {
  bool operative = true;
  std::optional<std::int64_t> connector_id;
  std::optional<std::int64_t> evse_id;
  bool operator==(const ChangeAvailability &) const = default;
};
struct GetConfiguration { //!< 1.6
  std::optional<std::vector<std::string>> keys;
  bool operator==(const GetConfiguration &) const = default;
};
struct ChangeConfiguration { //!< 1.6
  std::string key, value;
  bool operator==(const ChangeConfiguration &) const = default;
};
struct VariableRef {
  std::string component;
  std::optional<std::string> component_instance;
  std::optional<std::int64_t> evse_id;
  std::optional<std::int64_t> connector_id;
  std::string variable;
  std::optional<std::string> variable_instance;
  std::optional<AttributeType> attribute_type;
  std::optional<std::string> value; //!< set_variables only
  bool operator==(const VariableRef &) const = default;
};
struct GetVariables { //!< 2.x
  std::vector<VariableRef> variables;
  bool operator==(const GetVariables &) const = default;
};
struct SetVariables { //!< 2.x; every variable has a value
  std::vector<VariableRef> variables;
  bool operator==(const SetVariables &) const = default;
};
struct TriggerMessage {
  TriggerableMessage message = TriggerableMessage::Heartbeat;
  std::optional<std::int64_t> connector_id;
  std::optional<std::int64_t> evse_id;
  bool operator==(const TriggerMessage &) const = default;
};
struct ClearCache {
  bool operator==(const ClearCache &) const = default;
};
struct DataTransfer {
  std::string vendor_id;
  std::optional<std::string> message_id;
  //! Vendor data, opaque to Gridlane: kept as the JSON text it was given (1.6 takes a string only).
  std::optional<std::string> data_json;
  bool operator==(const DataTransfer &) const = default;
};
struct UpdateFirmware {
  std::string location;
  Timestamp retrieve_at;
  std::optional<std::int64_t> retries;
  std::optional<std::int64_t> retry_interval_s;
  std::optional<Timestamp> install_at;            //!< 2.x only
  std::optional<std::string> signing_certificate; //!< 2.x only: PEM, signed firmware (L01)
  std::optional<std::string> signature;           //!< 2.x only: base64
  bool operator==(const UpdateFirmware &) const = default;
};
//! GetDiagnostics and GetLog: an empty location asks Gridlane to host the upload (the API fills in
//! a one-time URL of its own upload endpoint before the command is stored).
struct GetDiagnostics { //!< 2.x: GetLog DiagnosticsLog
  std::string location;
  bool operator==(const GetDiagnostics &) const = default;
};
struct GetLog {
  std::string location;
  LogType log_type = LogType::DiagnosticsLog;
  bool operator==(const GetLog &) const = default;
};
struct LocalListEntry {
  std::string id_tag;
  LocalListStatus status = LocalListStatus::Accepted;
  bool operator==(const LocalListEntry &) const = default;
};
struct SendLocalList {
  std::int64_t version = 0;
  LocalListUpdate update_type = LocalListUpdate::Full;
  std::vector<LocalListEntry> tokens;
  bool operator==(const SendLocalList &) const = default;
};
struct GetLocalListVersion {
  bool operator==(const GetLocalListVersion &) const = default;
};
struct ReserveNow {
  std::string id_tag;
  Timestamp expires_at;
  std::optional<std::int64_t> reservation_id; //!< default: the command id
  std::optional<std::int64_t> connector_id;   //!< required by 1.6
  std::optional<std::int64_t> evse_id;
  bool operator==(const ReserveNow &) const = default;
};
struct CancelReservation {
  std::int64_t reservation_id = 0;
  bool operator==(const CancelReservation &) const = default;
};
struct SetChargingProfile {
  std::optional<std::int64_t> connector_id; //!< required by 1.6 (0: the whole station)
  std::optional<std::int64_t> evse_id;      //!< required by 2.x (0: the whole station)
  ChargingProfile profile;
  bool operator==(const SetChargingProfile &) const = default;
};
struct ClearChargingProfile {
  std::optional<std::int64_t> profile_id;
  std::optional<std::int64_t> connector_id; //!< 1.6
  std::optional<std::int64_t> evse_id;      //!< 2.x
  std::optional<ChargingProfilePurpose> purpose;
  std::optional<std::int64_t> stack_level;
  bool operator==(const ClearChargingProfile &) const = default;
};
struct GetCompositeSchedule {
  std::int64_t duration_s = 0;
  std::optional<ChargingRateUnit> unit;
  std::optional<std::int64_t> connector_id; //!< required by 1.6
  std::optional<std::int64_t> evse_id;      //!< required by 2.x
  bool operator==(const GetCompositeSchedule &) const = default;
};
//! 2.x K09: the station reports the installed profiles matching the criteria in
//! ReportChargingProfiles messages carrying `request_id` (default: the command id).
struct GetChargingProfiles { //!< 2.x
  std::optional<std::int64_t> request_id;
  std::optional<std::int64_t> evse_id; //!< 0: the station-wide profiles; absent: every EVSE
  std::optional<ChargingProfilePurpose> purpose;
  std::optional<std::int64_t> stack_level;
  std::vector<std::int64_t> profile_ids;
  std::vector<std::string> sources; //!< chargingLimitSource: EMS, Other, SO, CSO (2.1: any, <= 20 characters)
  bool operator==(const GetChargingProfiles &) const = default;
};
struct GetBaseReport { //!< 2.x
  ReportBase report_base = ReportBase::FullInventory;
  bool operator==(const GetBaseReport &) const = default;
};
struct GetTransactionStatus {                        //!< 2.x
  std::optional<std::int64_t> transaction_id;        //!< Gridlane's
  std::optional<std::string> station_transaction_id; //!< looked up when submitted
  bool operator==(const GetTransactionStatus &) const = default;
};
struct Apn {
  std::string apn;
  std::optional<std::string> user_name, password;
  std::optional<std::int64_t> sim_pin;
  std::optional<std::string> preferred_network;
  std::optional<bool> use_only_preferred_network;
  ApnAuthentication authentication = ApnAuthentication::AUTO;
  bool operator==(const Apn &) const = default;
};
struct Vpn {
  std::string server, user;
  std::optional<std::string> group;
  std::string password, key;
  VpnType type = VpnType::IKEv2;
  bool operator==(const Vpn &) const = default;
};
struct SetNetworkProfile { //!< 2.x
  std::int64_t configuration_slot = 0;
  OcppVersionName ocpp_version = OcppVersionName::OCPP20;
  OcppTransport ocpp_transport = OcppTransport::JSON;
  std::string ocpp_csms_url;
  std::int64_t message_timeout_s = 0;
  std::int64_t security_profile = 0; //!< 0..3
  OcppInterface ocpp_interface = OcppInterface::Wired0;
  std::optional<Apn> apn;
  std::optional<Vpn> vpn;
  bool operator==(const SetNetworkProfile &) const = default;
};
//! 2.x block I: the running cost of a transaction, shown to the driver (I02). Sent by
//! services::LiveCost at [pricing] cost_update_interval; an operator may send one too.
struct CostUpdated {                                 //!< 2.x
  std::int64_t transaction_id = 0;                   //!< Gridlane's
  std::optional<std::string> station_transaction_id; //!< the station's, looked up when submitted
  core::Decimal total_cost;                          //!< incl. VAT, in the station's currency
  bool operator==(const CostUpdated &) const = default;
};

//! 2.x block N (N04): one monitor to set; `id` replaces the station's monitor of that id.
struct VariableMonitor {
  std::optional<std::int64_t> id;
  bool transaction = false; //!< only while a transaction runs
  core::Decimal value;      //!< the threshold, delta or interval (seconds)
  MonitorType type = MonitorType::UpperThreshold;
  std::int64_t severity = 0; //!< 0 (Danger) .. 9 (Debug)
  VariableRef variable;      //!< component and variable (no value, no attribute type)
  bool operator==(const VariableMonitor &) const = default;
};
struct SetVariableMonitoring { //!< 2.x
  std::vector<VariableMonitor> monitors;
  bool operator==(const SetVariableMonitoring &) const = default;
};
struct SetMonitoringBase { //!< 2.x (N03)
  MonitoringBase base = MonitoringBase::All;
  bool operator==(const SetMonitoringBase &) const = default;
};
struct SetMonitoringLevel { //!< 2.x (N05): events of severity up to this are reported
  std::int64_t severity = 0;
  bool operator==(const SetMonitoringLevel &) const = default;
};
struct ClearVariableMonitoring { //!< 2.x (N06)
  std::vector<std::int64_t> ids;
  bool operator==(const ClearVariableMonitoring &) const = default;
};
//! 2.x (N02): the station answers in NotifyMonitoringReport messages carrying `request_id`
//! (default: the command id). A component's `variable` may be empty (the whole component).
struct GetMonitoringReport {
  std::optional<std::int64_t> request_id;
  std::vector<MonitoringCriterion> criteria;
  std::vector<VariableRef> components;
  bool operator==(const GetMonitoringReport &) const = default;
};
//! 2.x (N09/N10): report and/or clear what the station keeps of one customer, named by an id
//! token or a customer identifier; the reports come as NotifyCustomerInformation.
struct CustomerInformation {
  std::optional<std::int64_t> request_id; //!< default: the command id
  bool report = false;
  bool clear = false;
  std::optional<std::string> id_tag;
  std::optional<IdTokenType> id_token_type; //!< with id_tag; default Central
  std::optional<std::string> customer_identifier;
  bool operator==(const CustomerInformation &) const = default;
};

} // namespace commands

//! A remote command. The order of the alternatives is the order of command_kinds().
using Command =
    std::variant<commands::RemoteStart, commands::RemoteStop, commands::Reset, commands::UnlockConnector,
                 commands::ChangeAvailability, commands::GetConfiguration, commands::ChangeConfiguration,
                 commands::GetVariables, commands::SetVariables, commands::TriggerMessage, commands::ClearCache,
                 commands::DataTransfer, commands::UpdateFirmware, commands::GetDiagnostics, commands::GetLog,
                 commands::SendLocalList, commands::GetLocalListVersion, commands::ReserveNow,
                 commands::CancelReservation, commands::SetChargingProfile, commands::ClearChargingProfile,
                 commands::GetCompositeSchedule, commands::GetBaseReport, commands::GetTransactionStatus,
                 commands::SetNetworkProfile, commands::CostUpdated, commands::GetChargingProfiles,
                 commands::SetVariableMonitoring, commands::SetMonitoringBase, commands::SetMonitoringLevel,
                 commands::ClearVariableMonitoring, commands::GetMonitoringReport, commands::CustomerInformation>;

//! The API name of every command kind ("start_transaction", ...), in the variant's order.
std::span<const std::string_view> command_kinds();
//! The API name of the command's kind.
std::string_view kind_of(const Command &c);
//! The command of this kind with default parameters (for a stored row that no longer decodes),
//! or nullopt for an unknown kind.
std::optional<Command> blank_command(std::string_view kind);

} // namespace gridlane::domain
