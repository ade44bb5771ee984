#pragma once
//! Alerts (docs/operations.md "Alerts"): rules over events and states, the alerts they raise,
//! the channels that carry them (webhook, e-mail) and each delivery's record. Statuses are
//! typed; their spellings are the NameTables below, read and written by the API codec and the
//! store rows alike.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/names.hpp"
#include "gridlane/domain/operations.hpp"

namespace gridlane::domain {

//! What a rule watches.
enum class AlertCondition {
  StationOffline,       //!< StationOffline for longer than `minutes` (0: at once); StationOnline clears
  ConnectorFaulted,     //!< a StatusNotification Faulted; any other status of that connector clears
  ErrorCode,            //!< a StatusNotification with `error_code`; another code on that connector clears
  FailedAuthorizations, //!< `count` refused authorisations in a row at a station (a start resets)
  FailedStarts,         //!< `count` remote starts in a row not accepted (a start resets)
  FirmwareFailed,       //!< a firmware status that ends the update without it (firmware_failed); Installed clears
  ReadingOutOfRange,    //!< a meter sample of `measurand` below `min` or above `max`; one in range clears
  UptimeBelow,          //!< a port's uptime over the last `count` days below `min` percent; at or above clears
};
inline constexpr NameTable<AlertCondition, 8> alert_conditions{{
    {AlertCondition::StationOffline, "station_offline"},
    {AlertCondition::ConnectorFaulted, "connector_faulted"},
    {AlertCondition::ErrorCode, "error_code"},
    {AlertCondition::FailedAuthorizations, "failed_authorizations"},
    {AlertCondition::FailedStarts, "failed_starts"},
    {AlertCondition::FirmwareFailed, "firmware_failed"},
    {AlertCondition::ReadingOutOfRange, "reading_out_of_range"},
    {AlertCondition::UptimeBelow, "uptime_below"},
}};

//! Which stations a rule covers.
enum class AlertScope { All, Location, Station };
inline constexpr NameTable<AlertScope, 3> alert_scopes{{
    {AlertScope::All, "all"},
    {AlertScope::Location, "location"},
    {AlertScope::Station, "station"},
}};

//! Local times of the location's zone (UTC without one) during which deliveries are held (not
//! dropped): they go out when the quiet hours end. [start, end) in minutes after midnight; a
//! start after the end spans midnight (22:00-06:00).
struct QuietHours {
  int start_minute = 0;
  int end_minute = 0;
  bool operator==(const QuietHours &) const = default;
};

struct AlertRule {
  std::int64_t id = 0;
  std::string name;
  AlertCondition condition = AlertCondition::StationOffline;
  AlertSeverity severity = AlertSeverity::Warning;
  AlertScope scope = AlertScope::All;
  std::string scope_id; //!< the location or station id (empty for All)
  int minutes = 0;      //!< StationOffline: 0 .. 10080
  int count = 1;        //!< FailedAuthorizations, FailedStarts: 1 .. 1000; UptimeBelow: days, 1 .. 90
  std::optional<ConnectorErrorCode> error_code; //!< ErrorCode
  std::string measurand;                        //!< ReadingOutOfRange: as stations name it ("Voltage")
  std::optional<double> min, max;               //!< ReadingOutOfRange: at least one; UptimeBelow: min, the percentage
  std::optional<QuietHours> quiet_hours;
  bool enabled = true;
  std::vector<std::int64_t> channels; //!< where its alerts are delivered
  Timestamp created_at;
  Timestamp updated_at;
};

//! One open alert per (rule, subject): the subject is a station ("CS-1") or a connector
//! ("CS-1/1/2": station, EVSE, connector). A repeat while it is not resolved raises its count.
struct Alert {
  std::int64_t id = 0;
  std::int64_t rule_id = 0;
  std::string subject;
  std::string station; //!< the station concerned
  AlertSeverity severity = AlertSeverity::Warning;
  AlertState state = AlertState::Open;
  std::string summary;
  std::int64_t count = 1;
  Timestamp first_at;
  Timestamp last_at;
  std::optional<Timestamp> acknowledged_at;
  std::string acknowledged_by;
  std::optional<Timestamp> resolved_at;
  std::string resolved_by; //!< "auto" when the condition cleared
};

struct AlertFilter {
  std::optional<AlertState> state;
  std::optional<AlertSeverity> severity;
  std::optional<std::int64_t> rule_id;
  std::string station; //!< empty: any
};

enum class AlertChannelKind { Webhook, Email };
inline constexpr NameTable<AlertChannelKind, 2> alert_channel_kinds{{
    {AlertChannelKind::Webhook, "webhook"},
    {AlertChannelKind::Email, "email"},
}};

struct AlertChannel {
  std::int64_t id = 0;
  std::string name;
  AlertChannelKind kind = AlertChannelKind::Webhook;
  std::string url;                     //!< webhook: where the POST goes
  std::vector<std::string> recipients; //!< email
  std::string secret;                  //!< webhook: the HMAC key (shown once, at creation)
  bool enabled = true;
  Timestamp created_at;
};

//! What a delivery tells.
enum class AlertEvent { Raised, Resolved };
inline constexpr NameTable<AlertEvent, 2> alert_events{{
    {AlertEvent::Raised, "alert.raised"},
    {AlertEvent::Resolved, "alert.resolved"},
}};

enum class AlertDeliveryState { Pending, Delivered, Failed };
inline constexpr NameTable<AlertDeliveryState, 3> alert_delivery_states{{
    {AlertDeliveryState::Pending, "pending"},
    {AlertDeliveryState::Delivered, "delivered"},
    {AlertDeliveryState::Failed, "failed"}, //!< gave up after the last attempt (or the channel is gone)
}};

//! One message to one channel, stored in the unit of work that raised or resolved the alert and
//! kept as the delivery log.
struct AlertDelivery {
  std::int64_t id = 0;
  std::int64_t alert_id = 0;
  std::int64_t channel_id = 0;
  AlertChannelKind channel_kind = AlertChannelKind::Webhook;
  AlertEvent event = AlertEvent::Raised;
  AlertDeliveryState state = AlertDeliveryState::Pending;
  int attempts = 0;
  Timestamp created_at;
  Timestamp next_attempt_at;
  std::optional<Timestamp> held_until; //!< quiet hours held it until then
  std::optional<Timestamp> last_attempt_at;
  std::optional<Timestamp> delivered_at;
  std::optional<int> response_status; //!< webhook: the receiver's HTTP status; e-mail: the SMTP reply code
  std::string last_error;
};

struct AlertDeliveryFilter {
  std::optional<std::int64_t> alert_id;
  std::optional<std::int64_t> channel_id;
  std::optional<AlertDeliveryState> state;
};

} // namespace gridlane::domain
