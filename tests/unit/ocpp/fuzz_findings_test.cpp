// Inputs the fuzz targets (fuzz/) found, kept as tests of the behaviour that fixed them. Each
// input is also in the target's seed corpus (fuzz/corpus/<target>/).
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/ocpp/adapters.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/rpc.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane::ocpp;
using gridlane::core::ProtocolVersion;

namespace {
const FrameError *error_of(const std::variant<Frame, FrameError> &parsed) {
  return std::get_if<FrameError>(&parsed);
}

struct RecordingTransport : Transport {
  std::vector<std::string> frames;
  void send(std::string frame) override { frames.push_back(std::move(frame)); }
  void close(std::uint16_t, std::string) override {}
};

// A station's frames through Connection::on_text, the version's dispatcher and the services
// over a temporary SQLite file, as fuzz/inbound_fuzz.cpp drives them.
class InboundPath : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-fuzz-findings-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<gridlane::store::SqliteStore>(
        gridlane::store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    stations = std::make_unique<gridlane::services::StationService>(
        *store, clock, gridlane::services::StationServiceConfig{},
        [](std::function<void()> f, std::function<void(gridlane::core::JobRefusal)>) { f(); });
    authorization = std::make_unique<gridlane::services::AuthorizationService>(*store, clock);
    transactions = std::make_unique<gridlane::services::TransactionService>(*store, clock);
    store->run([this](gridlane::domain::Repository &r) {
      gridlane::domain::Station s;
      s.id = who.id;
      s.registration = gridlane::domain::RegistrationStatus::Accepted;
      s.created_at = clock.now();
      r.insert_station(s);
    });
    conn = std::make_shared<Connection>(strand, who.id, catalog, transport, ConnectionOptions{});
    conn->set_dispatcher(v2::make_dispatcher(Services{*stations, *authorization, *transactions}, who,
                                             gridlane::domain::RegistrationStatus::Accepted, conn, false));
  }
  void TearDown() override {
    conn.reset();
    transactions.reset();
    authorization.reset();
    stations.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  //! Feeds one frame and returns Gridlane's answer.
  boost::json::array feed(std::string text) {
    auto before = transport.frames.size();
    boost::asio::post(strand, [this, text] { conn->on_text(text); });
    for (int i = 0; i < 100 && transport.frames.size() == before; ++i) {
      ioc.restart();
      ioc.poll();
      store->run([](gridlane::domain::Repository &) {});
      ioc.restart();
      ioc.poll();
    }
    EXPECT_EQ(transport.frames.size(), before + 1) << text;
    return boost::json::parse(transport.frames.back()).as_array();
  }
  std::vector<gridlane::domain::Anomaly> anomalies() {
    std::vector<gridlane::domain::Anomaly> out;
    store->run([&](gridlane::domain::Repository &r) { out = r.anomalies(who.id); });
    return out;
  }

  std::filesystem::path dir;
  gridlane::core::SystemClock clock;
  std::unique_ptr<gridlane::store::SqliteStore> store;
  std::unique_ptr<gridlane::services::StationService> stations;
  std::unique_ptr<gridlane::services::AuthorizationService> authorization;
  std::unique_ptr<gridlane::services::TransactionService> transactions;
  gridlane::services::StationContext who{gridlane::core::StationId::unchecked("FUZZ-201"), ProtocolVersion::Ocpp201};
  MessageCatalog catalog{ProtocolVersion::Ocpp201};
  boost::asio::io_context ioc;
  boost::asio::strand<boost::asio::io_context::executor_type> strand{ioc.get_executor()};
  RecordingTransport transport;
  std::shared_ptr<Connection> conn;
};
} // namespace

// fuzz_frame: [3,"a2",{"x":1e4001}] was read with an infinite number, which Gridlane then wrote
// back as "Infinity" (not JSON) wherever the payload was stored or echoed.
TEST(FuzzFindings, a_number_beyond_the_double_range_is_refused_with_the_message_id) {
  for (auto v : {ProtocolVersion::Ocpp16, ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21}) {
    auto result = parse_frame(R"([3,"a2",{"x":1e4001}])", v);
    ASSERT_NE(error_of(result), nullptr);
    EXPECT_EQ(error_of(result)->code, RpcError::PropertyConstraintViolation);
    EXPECT_EQ(error_of(result)->id, "a2");

    auto call = parse_frame(
        R"([2,"m1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{"value":-1e400}]}]}])",
        v);
    ASSERT_NE(error_of(call), nullptr);
    EXPECT_EQ(error_of(call)->code, RpcError::PropertyConstraintViolation);
    EXPECT_EQ(error_of(call)->id, "m1");
    // The answer to it is itself valid JSON.
    boost::system::error_code ec;
    boost::json::parse(call_error_frame(error_of(call)->id, error_of(call)->code, v, error_of(call)->message), ec);
    EXPECT_FALSE(ec);
  }
  // The largest finite numbers are still numbers.
  auto big = parse_frame(R"([3,"a3",{"x":1.7976931348623157e308,"y":[-1e308],"z":1e-400}])", ProtocolVersion::Ocpp201);
  ASSERT_TRUE(std::holds_alternative<Frame>(big));
  EXPECT_EQ(std::get<Frame>(big).payload.at("x").as_double(), 1.7976931348623157e308);
}

// fuzz_frame: [18446744073709551615,"1840737095516eat",{}] passed the frame check as an unsigned
// number, then reading it as int64 threw out of parse_frame (and out of the session's read loop).
TEST(FuzzFindings, a_message_type_beyond_int64_is_not_supported_and_keeps_its_id) {
  for (auto v : {ProtocolVersion::Ocpp16, ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21}) {
    auto result = parse_frame(R"([18446744073709551615,"1840737095516eat",{}])", v);
    ASSERT_NE(error_of(result), nullptr);
    EXPECT_EQ(error_of(result)->code, RpcError::MessageTypeNotSupported);
    EXPECT_EQ(error_of(result)->id, "1840737095516eat");
    EXPECT_EQ(wire_name(error_of(result)->code, v),
              v == ProtocolVersion::Ocpp16 ? "ProtocolError" : "MessageTypeNotSupported");
    ASSERT_NE(error_of(parse_frame(R"([9223372036854775808,"x","Heartbeat",{}])", v)), nullptr);
    EXPECT_EQ(error_of(parse_frame(R"([-9223372036854775808,"x","Heartbeat",{}])", v))->code,
              RpcError::MessageTypeNotSupported);
  }
}

// fuzz_decode (a boundary seed): an integer above INT64_MAX passed its schema as an integer, then
// the generated decoder (int64) threw; on the wire the station got InternalError.
TEST(FuzzFindings, an_integer_beyond_int64_fails_its_schema_as_out_of_range) {
  MessageCatalog v16{ProtocolVersion::Ocpp16};
  auto payload = boost::json::parse(
      R"({"connectorId":18446744073709551615,"idTag":"T","meterStart":0,"timestamp":"2026-01-01T00:00:00Z"})");
  auto violation = v16.request("StartTransaction")->validate(payload);
  ASSERT_TRUE(violation);
  EXPECT_EQ(violation->kind, ValidationError::Kind::Range);
  EXPECT_EQ(violation->path, "/connectorId");
  EXPECT_EQ(wire_name(error_for(violation->kind), ProtocolVersion::Ocpp16), "PropertyConstraintViolation");
  payload.as_object()["connectorId"] = 9223372036854775807; // the largest that fits is still valid
  EXPECT_FALSE(v16.request("StartTransaction")->validate(payload));
}

TEST_F(InboundPath, an_integer_beyond_int64_is_refused_with_property_constraint_violation_not_internal_error) {
  auto answer = feed(
      R"([2,"s1","StatusNotification",{"timestamp":"2026-06-01T12:00:00Z","connectorStatus":"Available","evseId":18446744073709551615,"connectorId":1}])");
  EXPECT_EQ(answer[0].as_int64(), 4);
  EXPECT_EQ(answer[1].as_string(), "s1");
  EXPECT_EQ(answer[2].as_string(), "PropertyConstraintViolation");
  EXPECT_EQ(feed(R"([2,"h1","Heartbeat",{}])")[0].as_int64(), 3); // the connection still serves
}

// fuzz_inbound (a boundary seed): after a TransactionEvent with seqNo INT64_MAX, the next event
// of that transaction computed INT64_MAX + 1 (undefined behaviour; UBSan stops the process); the
// report parts of NotifyReport did the same. A seqNo beyond OCPP's integer range is now refused
// where it is read, and what follows is answered.
TEST_F(InboundPath, a_seq_no_of_int64_max_is_refused_and_the_next_events_are_answered) {
  auto started = feed(
      R"([2,"e1","TransactionEvent",{"eventType":"Started","timestamp":"2026-06-01T12:00:00Z","triggerReason":"CablePluggedIn","seqNo":9223372036854775807,"transactionInfo":{"transactionId":"TX-MAX"},"evse":{"id":1,"connectorId":1}}])");
  EXPECT_EQ(started[0].as_int64(), 4);
  EXPECT_EQ(started[1].as_string(), "e1");
  EXPECT_EQ(started[2].as_string(), "PropertyConstraintViolation");
  auto ended = feed(
      R"([2,"e2","TransactionEvent",{"eventType":"Ended","timestamp":"2026-06-01T12:00:01Z","triggerReason":"EVCommunicationLost","seqNo":3,"transactionInfo":{"transactionId":"TX-MAX","stoppedReason":"EVDisconnected"}}])");
  EXPECT_EQ(ended[0].as_int64(), 3);
  EXPECT_EQ(ended[1].as_string(), "e2");
  auto part = [](std::int64_t seq) {
    return R"([2,"r)" + std::to_string(seq) +
           R"(","NotifyReport",{"requestId":1,"generatedAt":"2026-06-01T12:00:00Z","seqNo":)" + std::to_string(seq) +
           R"(,"tbc":true,"reportData":[{"component":{"name":"C"},"variable":{"name":"V"},"variableAttribute":[{"value":"1"}]}]}])";
  };
  EXPECT_EQ(feed(part(9223372036854775807))[2].as_string(), "PropertyConstraintViolation");
  EXPECT_EQ(feed(part(0))[0].as_int64(), 3);
  EXPECT_EQ(feed(part(1))[0].as_int64(), 3);
  for (const auto &a : anomalies())
    EXPECT_NE(a.kind, "report_gap") << a.detail;
}

// fuzz_frame's invariant, on a hand-written input ([2,"u","xééé…",[]], an action of 200 'é'):
// the CALLERROR description was cut at 255 bytes inside a UTF-8 sequence, so the frame Gridlane
// sent was not valid UTF-8 (a text frame a station's WebSocket library must refuse).
TEST(FuzzFindings, a_long_description_is_cut_between_characters) {
  std::string description = "ab";
  for (int i = 0; i < 200; ++i)
    description += "\xc3\xa9"; // é
  for (const auto &text :
       {call_error_frame("m1", RpcError::FormatViolation, ProtocolVersion::Ocpp16, description),
        call_result_error_frame("m1", RpcError::FormatViolation, ProtocolVersion::Ocpp21, description)}) {
    boost::system::error_code ec;
    auto frame = boost::json::parse(text, ec); // Boost.JSON refuses invalid UTF-8
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(frame.as_array()[3].as_string(), description.substr(0, 254)); // "ab" and 126 'é'
  }
  auto parsed = parse_frame(R"([2,"u","x)" + description + R"(",[]])", ProtocolVersion::Ocpp201);
  ASSERT_NE(error_of(parsed), nullptr);
  boost::system::error_code ec;
  boost::json::parse(call_error_frame("u", error_of(parsed)->code, ProtocolVersion::Ocpp201, error_of(parsed)->message),
                     ec);
  EXPECT_FALSE(ec);
}
