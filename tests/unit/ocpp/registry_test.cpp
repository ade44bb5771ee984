// The one registry of live station connections: replacement, removal and operators' changes
// that race a handshake.
#include <boost/asio.hpp>
#include <gtest/gtest.h>

#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/registry.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
namespace asio = boost::asio;

namespace {

struct NullTransport : Transport {
  std::vector<std::pair<std::uint16_t, std::string>> closes;
  void send(std::string) override {}
  void close(std::uint16_t code, std::string reason) override { closes.emplace_back(code, std::move(reason)); }
};

struct Closed {
  std::vector<std::pair<std::uint16_t, std::string>> calls;
  ConnectionRegistry::Closer closer() {
    return [this](std::uint16_t code, std::string reason) { calls.emplace_back(code, std::move(reason)); };
  }
};

class RegistryTest : public ::testing::Test {
protected:
  std::shared_ptr<Connection> connection(const char *id) {
    return std::make_shared<Connection>(ioc.get_executor(), core::StationId::unchecked(id), catalog, transport,
                                        ConnectionOptions{std::chrono::seconds(1), 8, 0});
  }
  asio::io_context ioc;
  MessageCatalog catalog{core::ProtocolVersion::Ocpp16};
  NullTransport transport;
  ConnectionRegistry registry;
};

TEST_F(RegistryTest, a_new_connection_replaces_and_closes_the_old_one_and_only_its_own_removal_counts) {
  Closed first, second;
  auto a = connection("CS1"), b = connection("CS1");
  EXPECT_TRUE(registry.add(a, first.closer()));
  EXPECT_TRUE(registry.add(b, second.closer()));
  ASSERT_EQ(first.calls.size(), 1u);
  EXPECT_EQ(first.calls[0].first, ConnectionRegistry::replaced_code);
  registry.remove(a.get()); // the replaced connection's late cleanup
  EXPECT_EQ(registry.find(core::StationId::unchecked("CS1")), b);
  registry.remove(b.get());
  EXPECT_EQ(registry.find(core::StationId::unchecked("CS1")), nullptr);
}

TEST_F(RegistryTest, a_station_disconnected_while_its_handshake_ran_is_closed_not_registered) {
  auto id = core::StationId::unchecked("CS1");
  const auto admitted_at = registry.epoch();                 // the handshake reads the epoch, then checks admission
  EXPECT_FALSE(registry.disconnect(id, "station disabled")); // the operator's change: nothing open yet
  Closed closed;
  EXPECT_FALSE(registry.add(connection("CS1"), closed.closer(), admitted_at));
  ASSERT_EQ(closed.calls.size(), 1u);
  EXPECT_EQ(closed.calls[0], (std::pair<std::uint16_t, std::string>{1008, "station disabled"}));
  EXPECT_FALSE(registry.is_connected(id));

  // A handshake admitted after the change (it saw the new state) registers as usual, and so does
  // another station.
  Closed later, other;
  auto again = connection("CS1"), cs2 = connection("CS2"); // the registry holds no connection alive
  EXPECT_TRUE(registry.add(again, later.closer(), registry.epoch()));
  EXPECT_TRUE(registry.add(cs2, other.closer(), admitted_at));
  EXPECT_TRUE(later.calls.empty());
  EXPECT_TRUE(other.calls.empty());
  EXPECT_TRUE(registry.is_connected(id));
}

TEST_F(RegistryTest, disconnect_closes_the_live_connection) {
  Closed closed;
  auto conn = connection("CS1");
  ASSERT_TRUE(registry.add(conn, closed.closer(), registry.epoch()));
  EXPECT_TRUE(registry.disconnect(core::StationId::unchecked("CS1"), "station deleted"));
  ioc.poll(); // the close runs on the connection's strand
  ASSERT_EQ(transport.closes.size(), 1u);
  EXPECT_EQ(transport.closes[0], (std::pair<std::uint16_t, std::string>{1008, "station deleted"}));
}

} // namespace
