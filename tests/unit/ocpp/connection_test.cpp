// The OCPP-J engine against a recording transport, with real Asio timers on a strand.
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/ocpp/connection.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

struct RecordingTransport : Transport {
  std::vector<std::string> frames;
  void send(std::string frame) override { frames.push_back(std::move(frame)); }
  void close(std::uint16_t, std::string) override {}
  json::array last() const { return json::parse(frames.back()).as_array(); }
};

struct ScriptedDispatcher : CallDispatcher {
  std::vector<std::string> seen;
  std::vector<Responder> held; // answered later by the test
  bool supports(std::string_view action) const override { return action != "Reset"; }
  void on_call(const std::string &action, const json::value &, Responder r) override {
    seen.push_back(action);
    if (action == "Heartbeat")
      r.result(json::object{{"currentTime", "2026-01-01T00:00:00.000Z"}});
    else if (action == "Authorize")
      r.result(json::object{{"idTagInfo", json::object{{"status", "Sleepy"}}}});
    else
      held.push_back(std::move(r));
  }
};

class ConnectionTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto d = std::make_unique<ScriptedDispatcher>();
    dispatcher = d.get();
    conn = std::make_shared<Connection>(strand, core::StationId::unchecked("CS1"), catalog, transport,
                                        ConnectionOptions{std::chrono::milliseconds(100), 8, 4});
    conn->set_dispatcher(std::move(d));
  }
  void feed(std::string_view text) {
    asio::post(strand, [this, t = std::string(text)] { conn->on_text(t); });
    drain();
  }
  void drain() {
    ioc.restart();
    ioc.poll();
  }
  void run_for(std::chrono::milliseconds d) {
    ioc.restart();
    ioc.run_for(d);
  }
  static const MessageCatalog catalog;
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> strand{ioc.get_executor()};
  RecordingTransport transport;
  ScriptedDispatcher *dispatcher = nullptr;
  std::shared_ptr<Connection> conn;
};
const MessageCatalog ConnectionTest::catalog{core::ProtocolVersion::Ocpp16};

} // namespace

TEST_F(ConnectionTest, answers_a_valid_call_with_its_result) {
  feed(R"([2,"h1","Heartbeat",{}])");
  ASSERT_EQ(transport.frames.size(), 1u);
  EXPECT_EQ(transport.frames[0], R"([3,"h1",{"currentTime":"2026-01-01T00:00:00.000Z"}])");
}

TEST_F(ConnectionTest, unknown_action_is_not_implemented) {
  feed(R"([2,"u1","FlyToTheMoon",{}])");
  EXPECT_EQ(transport.last()[2].as_string(), "NotImplemented");
  EXPECT_EQ(transport.last()[1].as_string(), "u1");
}

TEST_F(ConnectionTest, action_meant_for_the_station_is_not_supported) {
  feed(R"([2,"r1","Reset",{"type":"Soft"}])");
  EXPECT_EQ(transport.last()[2].as_string(), "NotSupported");
  EXPECT_TRUE(dispatcher->seen.empty());
}

TEST_F(ConnectionTest, invalid_payload_never_reaches_the_dispatcher) {
  feed(R"([2,"b1","BootNotification",{"chargePointVendor":"V"}])");
  EXPECT_EQ(transport.last()[2].as_string(), "OccurenceConstraintViolation");
  feed(R"([2,"b2","BootNotification",{"chargePointVendor":"V","chargePointModel":1}])");
  EXPECT_EQ(transport.last()[2].as_string(), "TypeConstraintViolation");
  EXPECT_TRUE(dispatcher->seen.empty());
}

TEST_F(ConnectionTest, an_invalid_answer_is_replaced_by_internal_error) {
  feed(R"([2,"a1","Authorize",{"idTag":"T"}])");
  EXPECT_EQ(transport.last()[0].as_int64(), 4);
  EXPECT_EQ(transport.last()[2].as_string(), "InternalError");
}

TEST_F(ConnectionTest, sends_one_call_at_a_time_and_matches_answers_by_id) {
  std::vector<CallOutcome> outcomes;
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  drain();
  ASSERT_EQ(transport.frames.size(), 1u);
  auto first_id = std::string(transport.last()[1].as_string());
  feed(R"([3,"some-other-id",{"status":"Accepted"}])"); // ignored
  EXPECT_TRUE(outcomes.empty());
  feed(R"([3,")" + first_id + R"(",{"status":"Accepted"}])");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].status, CallOutcome::Status::Result);
  ASSERT_EQ(transport.frames.size(), 2u); // the second call goes out only now
  auto second_id = std::string(transport.last()[1].as_string());
  EXPECT_NE(first_id, second_id);
  feed(R"([4,")" + second_id + R"(","NotSupported","no",{}])");
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[1].status, CallOutcome::Status::Error);
  EXPECT_EQ(outcomes[1].error_code, "NotSupported");
}

TEST_F(ConnectionTest, crossing_calls_are_both_served) {
  std::optional<CallOutcome> outcome;
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcome = std::move(o); });
  drain();
  auto our_id = std::string(transport.last()[1].as_string());
  feed(R"([2,"theirs","Heartbeat",{}])"); // the station's CALL crosses ours
  EXPECT_EQ(transport.last()[0].as_int64(), 3);
  EXPECT_EQ(transport.last()[1].as_string(), "theirs");
  feed(R"([3,")" + our_id + R"(",{"status":"Rejected"}])");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->payload.at("status").as_string(), "Rejected");
}

TEST_F(ConnectionTest, an_outcome_handler_that_throws_does_not_stall_the_calls_behind_it) {
  std::vector<CallOutcome> outcomes;
  conn->call("ClearCache", json::object{}, [](CallOutcome) { throw std::runtime_error("handler failed"); });
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  drain();
  ASSERT_EQ(transport.frames.size(), 1u);
  feed(R"([3,")" + std::string(transport.last()[1].as_string()) + R"(",{"status":"Accepted"}])");
  ASSERT_EQ(transport.frames.size(), 2u) << "the next call goes out although the first one's handler threw";
  feed(R"([3,")" + std::string(transport.last()[1].as_string()) + R"(",{"status":"Accepted"}])");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].status, CallOutcome::Status::Result);
  conn->on_closed(); // the third one, still queued, is told the connection closed
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[1].status, CallOutcome::Status::Closed);
}

TEST_F(ConnectionTest, a_call_times_out_and_the_next_one_goes_out) {
  std::vector<CallOutcome> outcomes;
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  drain();
  auto first_id = std::string(transport.last()[1].as_string());
  run_for(std::chrono::milliseconds(250));
  ASSERT_GE(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].status, CallOutcome::Status::Timeout);
  EXPECT_GE(transport.frames.size(), 2u);
  auto settled = outcomes.size();
  auto frames = transport.frames.size();
  feed(R"([3,")" + first_id + R"(",{"status":"Accepted"}])"); // too late: dropped
  EXPECT_EQ(outcomes.size(), settled) << "a late answer resolves nothing";
  EXPECT_EQ(transport.frames.size(), frames) << "and is not answered";
}

TEST_F(ConnectionTest, a_late_answer_is_not_taken_for_the_call_in_flight) {
  std::vector<CallOutcome> outcomes;
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  drain();
  auto first_id = std::string(transport.last()[1].as_string());
  run_for(std::chrono::milliseconds(250));
  ASSERT_EQ(outcomes.size(), 1u);
  ASSERT_EQ(outcomes[0].status, CallOutcome::Status::Timeout);
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  drain();
  auto second_id = std::string(transport.last()[1].as_string());
  ASSERT_NE(first_id, second_id);
  feed(R"([3,")" + first_id + R"(",{"status":"Accepted"}])"); // the first call's answer, too late
  EXPECT_EQ(outcomes.size(), 1u) << "the call in flight is still waiting for its own answer";
  feed(R"([3,")" + second_id + R"(",{"status":"Rejected"}])");
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[1].status, CallOutcome::Status::Result);
  EXPECT_EQ(outcomes[1].payload.at("status").as_string(), "Rejected");
}

TEST_F(ConnectionTest, refuses_to_send_a_payload_that_fails_its_schema) {
  std::optional<CallOutcome> outcome;
  conn->call("Reset", json::object{{"type", "Gentle"}}, [&](CallOutcome o) { outcome = std::move(o); });
  drain();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->status, CallOutcome::Status::NotSent);
  EXPECT_TRUE(transport.frames.empty());
}

TEST_F(ConnectionTest, an_answer_that_fails_its_schema_is_an_error) {
  std::optional<CallOutcome> outcome;
  conn->call("Reset", json::object{{"type", "Soft"}}, [&](CallOutcome o) { outcome = std::move(o); });
  drain();
  feed(R"([3,")" + std::string(transport.last()[1].as_string()) + R"(",{"status":"Maybe"}])");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->status, CallOutcome::Status::Error);
  EXPECT_EQ(outcome->error_code, "PropertyConstraintViolation");
}

TEST_F(ConnectionTest, closing_fails_pending_calls_and_drops_late_answers) {
  std::vector<CallOutcome> outcomes;
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  conn->call("ClearCache", json::object{}, [&](CallOutcome o) { outcomes.push_back(std::move(o)); });
  feed(
      R"([2,"held","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-01-01T00:00:00Z"}])");
  auto sent = transport.frames.size();
  asio::post(strand, [this] { conn->on_closed(); });
  drain();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].status, CallOutcome::Status::Closed);
  EXPECT_EQ(outcomes[1].status, CallOutcome::Status::Closed);
  ASSERT_EQ(dispatcher->held.size(), 1u);
  dispatcher->held[0].result(json::object{{"transactionId", 1}, {"idTagInfo", json::object{{"status", "Accepted"}}}});
  drain();
  EXPECT_EQ(transport.frames.size(), sent);
}

TEST_F(ConnectionTest, keeps_the_last_frames_both_ways) {
  for (int i = 0; i < 3; ++i)
    feed(R"([2,"k)" + std::to_string(i) + R"(","Heartbeat",{}])");
  auto frames = conn->recent_frames();
  ASSERT_EQ(frames.size(), 4u); // six went by; the two oldest were dropped
  EXPECT_TRUE(frames[0].inbound);
  EXPECT_EQ(frames[0].text, R"([2,"k1","Heartbeat",{}])");
  EXPECT_FALSE(frames[1].inbound);
  EXPECT_EQ(frames[1].text.substr(0, 9), R"([3,"k1",{)");
  EXPECT_EQ(frames[3].text.substr(0, 9), R"([3,"k2",{)");
}

TEST_F(ConnectionTest, keeps_at_most_two_kilobytes_of_a_frame_and_forgets_it_in_order) {
  std::string big = R"([2,"big","DataTransfer",{"vendorId":"V","data":")" + std::string(5000, 'x') + R"("}])";
  feed(big);
  auto frames = conn->recent_frames();
  ASSERT_GE(frames.size(), 1u);
  EXPECT_EQ(frames[0].text, big.substr(0, 2048));
  EXPECT_TRUE(frames[0].inbound);
  ASSERT_EQ(dispatcher->held.size(), 1u); // the dispatcher holds DataTransfer: answer it
  dispatcher->held[0].result(json::object{{"status", "Accepted"}});
  drain();
  for (int i = 0; i < 3; ++i)
    feed(R"([2,"h)" + std::to_string(i) + R"(","Heartbeat",{}])");
  frames = conn->recent_frames();
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0].text, R"([2,"h1","Heartbeat",{}])");
  EXPECT_EQ(frames[2].text, R"([2,"h2","Heartbeat",{}])");
  EXPECT_LE(frames[0].at, frames[3].at);
}

namespace {
struct ThrowingDispatcher : CallDispatcher {
  int calls = 0;
  bool supports(std::string_view) const override { return true; }
  void on_call(const std::string &, const json::value &, Responder) override {
    ++calls;
    throw 42; // not a std::exception: the frame boundary catches it all the same
  }
};
} // namespace

TEST_F(ConnectionTest, a_handler_that_throws_anything_costs_one_internal_error_not_the_connection) {
  auto d = std::make_unique<ThrowingDispatcher>();
  auto *throwing = d.get();
  conn->set_dispatcher(std::move(d));
  feed(R"([2,"t1","Heartbeat",{}])");
  ASSERT_EQ(transport.frames.size(), 1u);
  EXPECT_EQ(transport.last()[0].as_int64(), 4);
  EXPECT_EQ(transport.last()[1].as_string(), "t1");
  EXPECT_EQ(transport.last()[2].as_string(), "InternalError");
  feed(R"([2,"t2","Heartbeat",{}])");
  ASSERT_EQ(transport.frames.size(), 2u);
  EXPECT_EQ(transport.last()[1].as_string(), "t2");
  EXPECT_EQ(throwing->calls, 2);
}
