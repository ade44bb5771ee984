// The typed domain events as the live stream renders them (docs/api.md, "Live events"): each
// alternative of domain::Event, encoded by the API's event codec, gives exactly the SSE message
// the stream has always sent.
#include <gtest/gtest.h>

#include "gridlane/api/event_codec.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

const StationId station = StationId::unchecked("CS-1");
const Timestamp at = *core::parse_iso8601("2026-06-01T12:00:00.250Z");
constexpr std::string_view envelope_head = R"({"type":")";

//! The `data:` JSON the stream sends for an event of `type` whose own data is `data`.
std::string expected(std::string_view type, std::string_view data) {
  return std::string(envelope_head) + std::string(type) +
         R"(","station_id":"CS-1","at":"2026-06-01T12:00:00.250Z","data":)" + std::string(data) + "}";
}

Transaction transaction(ProtocolVersion protocol) {
  Transaction t;
  t.id = 42;
  t.station = station;
  t.station_tx_id = protocol == ProtocolVersion::Ocpp16 ? "42" : "TX-9";
  t.protocol = protocol;
  t.evse_id = 2;
  t.connector_id = protocol == ProtocolVersion::Ocpp16 ? 2 : 1;
  t.id_tag = "DRIVER-1";
  t.meter_start_wh = 1000;
  return t;
}

void expect_encoded(const Event &e, std::string_view type, std::string_view data) {
  auto encoded = api::encode(e);
  EXPECT_EQ(encoded.name, type);
  EXPECT_EQ(api::event_name(e), type);
  EXPECT_EQ(encoded.data, expected(type, data));
  EXPECT_EQ(api::sse_frame(e), "event: " + std::string(type) + "\ndata: " + expected(type, data) + "\n\n");
}

} // namespace

TEST(EventCodec, station_connected_names_the_protocol) {
  expect_encoded(StationConnected{station, at, ProtocolVersion::Ocpp201, "127.0.0.1"}, "station.connected",
                 R"({"protocol":"ocpp2.0.1"})");
  expect_encoded(StationConnected{station, at, ProtocolVersion::Ocpp16, std::nullopt}, "station.connected",
                 R"({"protocol":"ocpp1.6"})");
}

TEST(EventCodec, station_disconnected_has_empty_data) {
  expect_encoded(StationDisconnected{station, at}, "station.disconnected", "{}");
}

TEST(EventCodec, status_changed_names_evse_connector_status_and_error_code) {
  StatusReport r;
  r.station = station;
  r.evse_id = 1;
  r.connector_id = 2;
  r.status = ConnectorStatus::Faulted;
  r.error_code = ConnectorErrorCode::GroundFailure;
  r.info = "not on the wire";
  expect_encoded(StatusChanged{station, at, r}, "status.changed",
                 R"({"evse_id":1,"connector_id":2,"status":"Faulted","error_code":"GroundFailure"})");
}

TEST(EventCodec, a_16_start_names_tag_connector_and_evse) {
  expect_encoded(TransactionStarted{station, at, transaction(ProtocolVersion::Ocpp16)}, "transaction.started",
                 R"({"transaction_id":42,"id_tag":"DRIVER-1","connector_id":2,"evse_id":2})");
}

TEST(EventCodec, a_2x_start_names_tag_evse_connector_and_its_remote_start) {
  auto t = transaction(ProtocolVersion::Ocpp201);
  expect_encoded(TransactionStarted{station, at, t}, "transaction.started",
                 R"({"transaction_id":42,"id_tag":"DRIVER-1","evse_id":2,"connector_id":1})");
  t.remote_start_id = 7;
  expect_encoded(TransactionStarted{station, at, t}, "transaction.started",
                 R"({"transaction_id":42,"id_tag":"DRIVER-1","evse_id":2,"connector_id":1,"remote_start_id":7})");
}

TEST(EventCodec, an_update_from_meter_values_names_only_the_transaction) {
  MeterSample s;
  s.timestamp = at;
  s.value = "1500";
  s.numeric = 1500;
  s.measurand = "Energy.Active.Import.Register";
  s.phase = "L1";
  expect_encoded(TransactionUpdated{station, at, 42, std::nullopt, {s}, 500, std::nullopt}, "transaction.updated",
                 R"({"transaction_id":42})");
}

TEST(EventCodec, an_update_from_a_2x_event_names_tag_evse_connector_and_remote_start) {
  TransactionUpdated u{
      station, at, 42, TransactionUpdated::Subject{"DRIVER-1", 2, 1, std::nullopt}, {}, 0, ChargingState::SuspendedEV};
  expect_encoded(u, "transaction.updated", R"({"transaction_id":42,"id_tag":"DRIVER-1","evse_id":2,"connector_id":1})");
  u.subject->remote_start_id = 9;
  expect_encoded(u, "transaction.updated",
                 R"({"transaction_id":42,"id_tag":"DRIVER-1","evse_id":2,"connector_id":1,"remote_start_id":9})");
}

TEST(EventCodec, an_end_names_the_transaction) {
  auto t = transaction(ProtocolVersion::Ocpp21);
  t.state = TransactionState::Ended;
  t.stop_reason = StopReason::EVDisconnected;
  t.meter_stop_wh = 4000;
  t.energy_wh = 3000;
  expect_encoded(TransactionEnded{station, at, t}, "transaction.ended", R"({"transaction_id":42})");
}

TEST(EventCodec, command_finished_names_command_kind_status_and_its_transaction) {
  CommandRecord c;
  c.id = 5;
  c.station = station;
  c.command = domain::commands::Reset{};
  c.status = CommandStatus::TimedOut;
  expect_encoded(CommandFinished{station, at, c}, "command.finished",
                 R"({"command_id":5,"kind":"reset","status":"timed_out"})");
  c.command = domain::commands::RemoteStart{"TAG", 1, std::nullopt, std::nullopt, std::nullopt};
  c.status = CommandStatus::Accepted;
  c.transaction_id = 42;
  expect_encoded(CommandFinished{station, at, c}, "command.finished",
                 R"({"command_id":5,"kind":"start_transaction","status":"accepted","transaction_id":42})");
}

TEST(EventCodec, text_in_the_data_is_escaped) {
  auto t = transaction(ProtocolVersion::Ocpp201);
  t.id_tag = "A\"B\\C\n";
  expect_encoded(TransactionStarted{station, at, t}, "transaction.started",
                 R"({"transaction_id":42,"id_tag":"A\"B\\C\n","evse_id":2,"connector_id":1})");
}

TEST(EventCodec, every_event_tells_its_station_and_time) {
  Event e = StatusChanged{StationId::unchecked("CS-2"), at + std::chrono::seconds(1), StatusReport{}};
  EXPECT_EQ(station_of(e).str(), "CS-2");
  EXPECT_EQ(time_of(e), at + std::chrono::seconds(1));
}

TEST(EventCodec, operations_events_name_their_data) {
  const auto earlier = *core::parse_iso8601("2026-06-01T11:58:00Z");
  expect_encoded(StationOffline{station, at, earlier, OfflineReason::Silent}, "station.offline",
                 R"({"reason":"silent","last_seen":"2026-06-01T11:58:00.000Z"})");
  expect_encoded(StationOffline{station, at, std::nullopt, OfflineReason::Disconnected}, "station.offline",
                 R"({"reason":"disconnected"})");
  expect_encoded(StationOnline{station, at, earlier}, "station.online",
                 R"({"offline_since":"2026-06-01T11:58:00.000Z"})");
  expect_encoded(FirmwareStatusChanged{station, at, FirmwareState::InstallVerificationFailed, 7}, "firmware.status",
                 R"({"status":"InstallVerificationFailed","request_id":7})");
  expect_encoded(SecurityEventReported{station, at, "InvalidFirmwareSignature", std::nullopt}, "security.event",
                 R"({"type":"InvalidFirmwareSignature"})");
  expect_encoded(
      MonitoringEventReported{station, at, 3, EventTrigger::Delta, "EVSE", 1, "Power", "7400", false, std::nullopt},
      "monitoring.event",
      R"({"event_id":3,"trigger":"Delta","component":"EVSE","variable":"Power","actual_value":"7400",)"
      R"("cleared":false,"evse_id":1})");
  expect_encoded(AuthorizationRefused{station, at, "TAG-1", TokenStatus::Blocked}, "authorization.refused",
                 R"({"id_token":"TAG-1","status":"Blocked"})");
  expect_encoded(
      AlertChanged{station, at, 4, 2, AlertSeverity::Critical, AlertState::Acknowledged, "offline 15 min"},
      "alert.changed",
      R"({"alert_id":4,"rule_id":2,"severity":"critical","state":"acknowledged","summary":"offline 15 min"})");
  expect_encoded(TicketChanged{station, at, 9, TicketStatus::InProgress, TicketPriority::High, TicketSource::Playbook,
                               "Connector 1 faulted"},
                 "ticket.changed",
                 R"({"ticket_id":9,"status":"in_progress","priority":"high","source":"playbook",)"
                 R"("title":"Connector 1 faulted"})");
}

TEST(OperationsNames, every_enumerator_has_a_name_that_reads_back) {
  for (const auto &[value, name] : firmware_states) {
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(value_of(firmware_states, name), value);
  }
  for (const auto &[value, name] : ticket_statuses)
    EXPECT_EQ(value_of(ticket_statuses, name), value);
  EXPECT_FALSE(value_of(firmware_states, "installed").has_value()); // OCPP's spelling only
  EXPECT_TRUE(firmware_failed(FirmwareState::InvalidSignature));
  EXPECT_FALSE(firmware_failed(FirmwareState::Installed));
}
