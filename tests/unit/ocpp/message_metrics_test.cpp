// OCPP message metrics on a real Connection: inbound CALLs counted by catalogue action and
// result (accepted, rejected, callerror) and timed; outbound CALLs by outcome; names the
// catalogue does not know counted as "other"; the connection gauge follows open and close.
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/ocpp/connection.hpp"
#include "gridlane/ocpp/message_metrics.hpp"

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

struct Dispatcher : CallDispatcher {
  std::vector<Responder> held;
  bool supports(std::string_view action) const override { return action != "Reset"; }
  void on_call(const std::string &action, const json::value &, Responder r) override {
    if (action == "Heartbeat")
      r.result(json::object{{"currentTime", "2026-01-01T00:00:00.000Z"}});
    else if (action == "StatusNotification")
      throw std::runtime_error("adapter bug");
    else
      held.push_back(std::move(r));
  }
};

//! The value of one sample line of the exposition ("name{labels}"), -1 when absent.
double sample(const std::string &text, const std::string &series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

std::string in(const char *action, const char *result) {
  return std::string("gridlane_ocpp_messages_total{version=\"ocpp1.6\",direction=\"in\",action=\"") + action +
         "\",result=\"" + result + "\"}";
}

class MessageMetricsTest : public ::testing::Test {
protected:
  void SetUp() override {
    conn = std::make_shared<Connection>(strand, core::StationId::unchecked("CS1"), catalog16, transport,
                                        ConnectionOptions{std::chrono::milliseconds(100), 8, 0});
    auto d = std::make_unique<Dispatcher>();
    dispatcher = d.get();
    conn->set_dispatcher(std::move(d));
    conn->set_metrics(&metrics);
  }
  void feed(std::string_view text) {
    asio::post(strand, [this, t = std::string(text)] { conn->on_text(t); });
    drain();
  }
  void drain() {
    ioc.restart();
    ioc.poll();
  }
  static const MessageCatalog catalog16, catalog201, catalog21;
  core::metrics::Registry registry;
  MessageMetrics metrics{registry, catalog16, catalog201, catalog21};
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> strand{ioc.get_executor()};
  RecordingTransport transport;
  Dispatcher *dispatcher = nullptr;
  std::shared_ptr<Connection> conn;
};
const MessageCatalog MessageMetricsTest::catalog16{core::ProtocolVersion::Ocpp16};
const MessageCatalog MessageMetricsTest::catalog201{core::ProtocolVersion::Ocpp201};
const MessageCatalog MessageMetricsTest::catalog21{core::ProtocolVersion::Ocpp21};

} // namespace

TEST_F(MessageMetricsTest, inbound_calls_are_counted_by_action_and_result_and_timed_when_handled) {
  feed(R"([2,"h1","Heartbeat",{}])");
  feed(R"([2,"h2","Heartbeat",{}])");
  feed(R"([2,"h3","Heartbeat",{"extra":1}])"); // fails its schema: rejected
  feed(R"([2,"r1","Reset",{"type":"Hard"}])"); // not for a CSMS: rejected
  feed(R"([2,"s1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}])"); // throws
  feed(R"([2,"a1","Authorize",{"idTag":"T"}])"); // answered later with a CALLERROR
  ASSERT_EQ(dispatcher->held.size(), 1u);
  dispatcher->held[0].error(RpcError::InternalError, "later");
  drain();
  auto text = registry.expose();
  EXPECT_EQ(sample(text, in("Heartbeat", "accepted")), 2);
  EXPECT_EQ(sample(text, in("Heartbeat", "rejected")), 1);
  EXPECT_EQ(sample(text, in("Reset", "rejected")), 1);
  EXPECT_EQ(sample(text, in("StatusNotification", "callerror")), 1);
  EXPECT_EQ(sample(text, in("Authorize", "callerror")), 1);
  EXPECT_EQ(sample(text, in("Authorize", "accepted")), -1) << "a series exists once it has counted";
  // Timed: the handled ones only (a refusal is not handling).
  EXPECT_EQ(sample(text, "gridlane_ocpp_handling_seconds_count{direction=\"in\",action=\"Heartbeat\"}"), 2);
  EXPECT_EQ(sample(text, "gridlane_ocpp_handling_seconds_count{direction=\"in\",action=\"Authorize\"}"), 1);
  EXPECT_EQ(sample(text, "gridlane_ocpp_handling_seconds_count{direction=\"in\",action=\"Reset\"}"), -1);
}

TEST_F(MessageMetricsTest, names_the_catalogue_does_not_know_are_counted_as_other_and_bad_frames_apart) {
  feed(R"([2,"u1","FlyToTheMoon",{}])");
  feed(R"([2,"u2","fly\"to{the}moon",{}])");
  feed(R"(not json at all)");
  auto text = registry.expose();
  EXPECT_EQ(sample(text, in("other", "rejected")), 2);
  EXPECT_EQ(text.find("FlyToTheMoon"), std::string::npos);
  EXPECT_EQ(text.find("moon"), std::string::npos);
  EXPECT_EQ(sample(text, "gridlane_ocpp_bad_frames_total{version=\"ocpp1.6\"}"), 1);
}

TEST_F(MessageMetricsTest, outbound_calls_are_counted_by_outcome_and_timed_when_answered) {
  std::vector<CallOutcome> outcomes;
  auto keep = [&](CallOutcome o) { outcomes.push_back(std::move(o)); };
  conn->call("ClearCache", json::object{}, keep);
  conn->call("ClearCache", json::object{}, keep);
  conn->call("ChangeAvailability", json::object{{"nope", 1}}, keep); // fails its schema: never sent
  conn->call("GetConfiguration", json::object{}, keep);
  drain();
  feed(R"([3,")" + std::string(transport.last()[1].as_string()) + R"(",{"status":"Accepted"}])");
  feed(R"([4,")" + std::string(transport.last()[1].as_string()) + R"(","NotSupported","no",{}])");
  ASSERT_EQ(outcomes.size(), 3u);
  conn->on_closed(); // GetConfiguration, in flight now, fails with Closed
  auto text = registry.expose();
  auto out = [](const char *action, const char *result) {
    return std::string("gridlane_ocpp_messages_total{version=\"ocpp1.6\",direction=\"out\",action=\"") + action +
           "\",result=\"" + result + "\"}";
  };
  EXPECT_EQ(sample(text, out("ClearCache", "result")), 1);
  EXPECT_EQ(sample(text, out("ClearCache", "callerror")), 1);
  EXPECT_EQ(sample(text, out("ChangeAvailability", "not_sent")), 1);
  EXPECT_EQ(sample(text, out("GetConfiguration", "closed")), 1);
  EXPECT_EQ(sample(text, "gridlane_ocpp_handling_seconds_count{direction=\"out\",action=\"ClearCache\"}"), 2);
  EXPECT_EQ(sample(text, "gridlane_ocpp_handling_seconds_count{direction=\"out\",action=\"GetConfiguration\"}"), -1);
}

TEST_F(MessageMetricsTest, the_connection_gauge_counts_open_connections_of_each_version) {
  auto text = registry.expose();
  EXPECT_EQ(sample(text, "gridlane_ocpp_connections{version=\"ocpp1.6\"}"), 1);
  EXPECT_EQ(sample(text, "gridlane_ocpp_connections{version=\"ocpp2.0.1\"}"), 0);
  EXPECT_EQ(sample(text, "gridlane_ocpp_connections{version=\"ocpp2.1\"}"), 0);
  {
    RecordingTransport other_transport;
    auto other = std::make_shared<Connection>(strand, core::StationId::unchecked("CS2"), catalog16, other_transport,
                                              ConnectionOptions{});
    other->set_metrics(&metrics);
    EXPECT_EQ(metrics.connections(core::ProtocolVersion::Ocpp16).value(), 2);
    // Dropped without on_closed (shutdown): its end still counts it out.
  }
  EXPECT_EQ(metrics.connections(core::ProtocolVersion::Ocpp16).value(), 1);
  conn->on_closed();
  conn->on_closed(); // once only
  EXPECT_EQ(metrics.connections(core::ProtocolVersion::Ocpp16).value(), 0);
  conn.reset();
  EXPECT_EQ(metrics.connections(core::ProtocolVersion::Ocpp16).value(), 0);
}
