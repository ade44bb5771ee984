// The per-station OCPP trace: the switch (TraceSet) and the Connection's hook that logs every
// frame in and out of a traced station.
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <mutex>
#include <spdlog/sinks/base_sink.h>

#include "gridlane/core/logging.hpp"
#include "gridlane/ocpp/connection.hpp"
#include "gridlane/ocpp/trace.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

//! Keeps the formatted lines of a logger (the message only: "[CS1] frame in: ...").
class LineSink : public spdlog::sinks::base_sink<std::mutex> {
public:
  std::vector<std::string> lines;

protected:
  void sink_it_(const spdlog::details::log_msg &msg) override {
    lines.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}
};

struct NullTransport : Transport {
  std::vector<std::string> frames;
  void send(std::string frame) override { frames.push_back(std::move(frame)); }
  void close(std::uint16_t, std::string) override {}
};

struct HeartbeatOnly : CallDispatcher {
  bool supports(std::string_view action) const override { return action == "Heartbeat"; }
  void on_call(const std::string &, const json::value &, Responder r) override {
    r.result(json::object{{"currentTime", "2026-01-01T00:00:00.000Z"}});
  }
};

class TraceTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto &log = core::log(core::Component::Ocpp);
    log.sinks().push_back(sink);
    previous_level = log.level();
    log.set_level(spdlog::level::info);
    conn = std::make_shared<Connection>(strand, core::StationId::unchecked("CS1"), catalog, transport,
                                        ConnectionOptions{std::chrono::milliseconds(100), 8, 4});
    conn->set_dispatcher(std::make_unique<HeartbeatOnly>());
    conn->set_trace(&trace);
  }
  void TearDown() override {
    auto &log = core::log(core::Component::Ocpp);
    auto &sinks = log.sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink), sinks.end());
    log.set_level(previous_level);
  }
  void feed(std::string_view text) {
    asio::post(strand, [this, t = std::string(text)] { conn->on_text(t); });
    ioc.restart();
    ioc.poll();
  }
  std::vector<std::string> frame_lines() const {
    std::vector<std::string> out;
    for (const auto &l : sink->lines)
      if (l.find("] frame ") != std::string::npos) out.push_back(l);
    return out;
  }
  static const MessageCatalog catalog;
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> strand{ioc.get_executor()};
  NullTransport transport;
  TraceSet trace;
  std::shared_ptr<LineSink> sink = std::make_shared<LineSink>();
  spdlog::level::level_enum previous_level = spdlog::level::info;
  std::shared_ptr<Connection> conn;
};
const MessageCatalog TraceTest::catalog{core::ProtocolVersion::Ocpp16};

} // namespace

TEST(TraceSet, OffByDefaultOnAndOffPerStation) {
  TraceSet t;
  auto a = core::StationId::unchecked("A");
  auto b = core::StationId::unchecked("B");
  EXPECT_FALSE(t.traced(a));
  t.set_traced(a, true);
  EXPECT_TRUE(t.traced(a));
  EXPECT_FALSE(t.traced(b));
  t.set_traced(a, true); // twice on is on
  t.set_traced(b, true);
  t.set_traced(a, false);
  EXPECT_FALSE(t.traced(a));
  EXPECT_TRUE(t.traced(b));
  t.set_traced(b, false);
  EXPECT_FALSE(t.traced(b));
}

TEST_F(TraceTest, AnUntracedStationsFramesAreNotLogged) {
  feed(R"([2,"h1","Heartbeat",{}])");
  ASSERT_EQ(transport.frames.size(), 1u);
  EXPECT_TRUE(frame_lines().empty());
}

TEST_F(TraceTest, ATracedStationsFramesInAndOutAreLoggedWithItsId) {
  trace.set_traced(core::StationId::unchecked("CS1"), true);
  feed(R"([2,"h1","Heartbeat",{}])");
  auto lines = frame_lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], R"([CS1] frame in: [2,"h1","Heartbeat",{}])");
  EXPECT_EQ(lines[1], R"([CS1] frame out: [3,"h1",{"currentTime":"2026-01-01T00:00:00.000Z"}])");
  // Refused frames are traced too: what the station sent and the CALLERROR it got.
  feed(R"([2,"x1","Reset",{"type":"Hard"}])");
  EXPECT_EQ(frame_lines().size(), 4u);

  trace.set_traced(core::StationId::unchecked("CS1"), false);
  feed(R"([2,"h2","Heartbeat",{}])");
  EXPECT_EQ(frame_lines().size(), 4u);
}

TEST_F(TraceTest, ALongFrameIsCutAtTheLimit) {
  trace.set_traced(core::StationId::unchecked("CS1"), true);
  std::string big = R"([2,"d1","DataTransfer",{"vendorId":"V","data":")" + std::string(10000, 'x') + "\"}]";
  feed(big);
  auto lines = frame_lines();
  ASSERT_GE(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("[CS1] frame in (" + std::to_string(big.size()) + " bytes, first 4096): ", 0), 0u)
      << lines[0];
  EXPECT_LT(lines[0].size(), 4096u + 64u);
}
