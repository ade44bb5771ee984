#pragma once
//! Diagnostics and monitoring records (OCPP 1.6 GetDiagnostics, 2.x block N): the uploads
//! Gridlane hosts for log files (a one-time token per request, only its hash stored), the files
//! received, the monitors and events stations report, and the customer information they send.
#include <cstdint>
#include <optional>
#include <string>

#include "gridlane/core/decimal.hpp"
#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

//! Where Gridlane's upload endpoint is mounted; an upload's URL is this path + its token.
inline constexpr std::string_view diagnostics_upload_path = "/diagnostics/upload/";

//! OCPP 2.x EventTriggerEnumType, defined in operations.hpp with its names. Declared here only:
//! this header is part of the Repository, and names.hpp's value_of must not reach every store file.
enum class EventTrigger;
//! 2.x EventNotificationEnumType (NotifyEvent): what kind of monitor raised the event; its names
//! are in diagnostics_names.hpp.
enum class EventNotification { HardWiredNotification, HardWiredMonitor, PreconfiguredMonitor, CustomMonitor };

//! One hosted upload: created when a GetDiagnostics/GetLog without a location is submitted; the
//! station's URL carries the token, the store only its hash. One file per upload.
struct DiagnosticsUpload {
  std::int64_t id = 0;
  StationId station = StationId::unchecked("");
  std::string token_hash;
  LogType log_type = LogType::DiagnosticsLog;
  Timestamp created_at;
  Timestamp expires_at;
  std::optional<Timestamp> used_at; //!< set when a file arrived (the token is then spent)
};

struct DiagnosticsFile {
  std::int64_t id = 0;
  std::int64_t upload_id = 0;
  StationId station = StationId::unchecked("");
  LogType log_type = LogType::DiagnosticsLog;
  std::string file_name;   //!< as the station named it (sanitised), or "upload.log"
  std::string stored_path; //!< relative to [diagnostics] dir
  std::int64_t size_bytes = 0;
  std::string sha256; //!< lower-case hex
  std::string content_type;
  Timestamp received_at;
};

//! Where a monitor or event is: a component (optionally of an EVSE/connector) and a variable.
struct ComponentVariable {
  std::string component;
  std::optional<std::string> component_instance;
  std::optional<std::int64_t> evse_id;
  std::optional<std::int64_t> connector_id;
  std::string variable;
  std::optional<std::string> variable_instance;
};

//! A monitor as the station reported it in NotifyMonitoringReport (N02).
struct StationMonitor {
  StationId station = StationId::unchecked("");
  std::int64_t monitor_id = 0;
  ComponentVariable where;
  bool transaction = false;
  core::Decimal value;
  MonitorType type = MonitorType::UpperThreshold;
  std::int64_t severity = 0;
  std::int64_t request_id = 0;
  Timestamp reported_at;
};

//! One eventData of a NotifyEvent (N07/N08).
struct MonitoringEvent {
  std::int64_t id = 0; //!< Gridlane's row id
  StationId station = StationId::unchecked("");
  std::int64_t event_id = 0; //!< the station's
  Timestamp occurred_at;
  EventTrigger trigger{}; //!< Alerting
  std::optional<std::int64_t> cause;
  std::string actual_value;
  std::optional<std::string> tech_code, tech_info;
  bool cleared = false;
  std::optional<std::string> transaction_id; //!< the station's
  ComponentVariable where;
  std::optional<std::int64_t> monitor_id;
  EventNotification notification = EventNotification::HardWiredNotification;
  Timestamp received_at;
};

//! One NotifyCustomerInformation message (N09/N10).
struct CustomerInformationPart {
  std::int64_t id = 0;
  StationId station = StationId::unchecked("");
  std::int64_t request_id = 0;
  std::int64_t seq_no = 0;
  std::string data;
  bool more_to_come = false;
  Timestamp generated_at;
  Timestamp received_at;
};

} // namespace gridlane::domain
