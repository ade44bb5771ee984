// The driver's live cost (services::LiveCost): what is sent to a station and when, over a real
// SQLite file, a fake clock, a fake gateway that records what would go to the station, a fake
// bus and a fixed price source (the engine's own tests check the amounts themselves).
#include <boost/json.hpp>
#include <filesystem>
#include <future>
#include <gtest/gtest.h>

#include "gridlane/core/json_text.hpp"
#include "gridlane/domain/command_codec.hpp"
#include "gridlane/services/live_cost.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/fakes.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

using test::FakeClock;

//! Records every command; answers at once, as `answer` says (GetConfiguration: the station's
//! CustomDisplayCostAndPrice, told to LiveCost the way the 1.6 adapter does before the caller hears).
struct FakeGateway : test::GatewayBase {
  std::vector<CommandRecord> sent;
  std::optional<bool> shows_costs; //!< nullopt: the station does not know the key
  LiveCost *live = nullptr;
  void execute(const CommandRecord &c, std::function<void(GatewayOutcome)> done) override {
    sent.push_back(c);
    if (std::holds_alternative<commands::GetConfiguration>(c.command) && shows_costs)
      live->learned(c.station, *shows_costs);
    GatewayOutcome o;
    o.status = CommandStatus::Accepted;
    done(o);
  }
  template <class C> std::vector<C> all() const {
    std::vector<C> out;
    for (const auto &c : sent) {
      if (const auto *x = std::get_if<C>(&c.command)) out.push_back(*x);
    }
    return out;
  }
};

using test::FakeBus;

core::Decimal dec(const char *s) {
  return *core::Decimal::parse(s);
}

//! The JSON document inside a 1.6 DataTransfer's data string.
json::object data_of(const commands::DataTransfer &d) {
  return json::parse(json::parse(*d.data_json).as_string()).as_object();
}

class LiveCostTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-live-cost-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    store->run([&](Repository &r) {
      for (const auto *id : {"CS-16", "CS-2"}) {
        Station s;
        s.id = StationId::unchecked(id);
        s.registration = RegistrationStatus::Accepted;
        s.created_at = clock.now();
        r.insert_station(s);
      }
    });
  }
  void make(const LiveCostOptions &options = {}) {
    CostSource source;
    source.session = [this](Repository &, std::int64_t id, Timestamp) -> Result<CostQuote> {
      ++priced;
      if (id == unpriced) return ServiceError::not_found("no tariff");
      CostQuote q;
      q.total_cost = Price{dec("2.0000"), dec("2.3800")};
      q.tariff_text = {{"en", "0.25 EUR/kWh"}, {"de", "0,25 EUR/kWh"}};
      return q;
    };
    source.tariff_text = [](Repository &, const StationId &, const std::string &token, Timestamp) {
      return token == "FREE" ? std::vector<DisplayText>{} : std::vector<DisplayText>{{"en", "0.25 EUR/kWh"}};
    };
    live = std::make_unique<LiveCost>(
        *store, clock, gateway, bus,
        [this](std::chrono::milliseconds d, std::function<void()> f) { scheduled.emplace_back(d, std::move(f)); },
        options, source);
    gateway.live = live.get();
  }
  void TearDown() override {
    live.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void flush() {
    store->run([](Repository &) {});
  }
  Transaction started(const char *station, ProtocolVersion v, const char *station_tx) {
    Transaction t;
    t.station = StationId::unchecked(station);
    t.protocol = v;
    t.station_tx_id = station_tx;
    t.evse_id = 1;
    t.connector_id = 1;
    t.id_tag = "TAG1";
    t.meter_start_wh = 1000;
    t.energy_wh = 500;
    t.started_at = clock.now();
    t.start_received_at = clock.now();
    store->run([&](Repository &r) { t.id = r.insert_transaction(t); });
    bus.publish(TransactionStarted{t.station, clock.now(), t});
    return t;
  }

  std::filesystem::path dir;
  FakeClock clock;
  FakeGateway gateway;
  FakeBus bus;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<LiveCost> live;
  std::vector<std::pair<std::chrono::milliseconds, std::function<void()>>> scheduled;
  int priced = 0;
  std::int64_t unpriced = -1;
};

TEST_F(LiveCostTest, a_2x_session_gets_cost_updated_with_the_total_incl_vat_for_its_station_transaction_id) {
  make();
  auto t = started("CS-2", ProtocolVersion::Ocpp201, "TX-A");
  live->sweep();
  flush();
  auto sent = gateway.all<commands::CostUpdated>();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].transaction_id, t.id);
  EXPECT_EQ(sent[0].station_transaction_id, "TX-A");
  EXPECT_EQ(sent[0].total_cost, dec("2.38"));
  EXPECT_EQ(gateway.sent[0].station, StationId::unchecked("CS-2"));
}

TEST_F(LiveCostTest, an_ended_or_unpriced_session_gets_no_running_cost) {
  make();
  auto a = started("CS-2", ProtocolVersion::Ocpp201, "TX-A");
  auto b = started("CS-2", ProtocolVersion::Ocpp201, "TX-B");
  unpriced = b.id;
  bus.publish(TransactionEnded{a.station, clock.now(), a});
  live->sweep();
  flush();
  EXPECT_TRUE(gateway.all<commands::CostUpdated>().empty());
  EXPECT_EQ(priced, 1) << "only the running one is priced";
}

TEST_F(LiveCostTest, the_interval_schedules_the_rounds_and_zero_schedules_none) {
  make(LiveCostOptions{0s, "en"});
  live->start();
  EXPECT_TRUE(scheduled.empty());
  live.reset();
  make(LiveCostOptions{90s, "en"});
  live->start();
  ASSERT_EQ(scheduled.size(), 1u);
  EXPECT_EQ(scheduled[0].first, 90s);
  started("CS-2", ProtocolVersion::Ocpp201, "TX-A");
  auto round = scheduled[0].second;
  round(); // the round runs, and schedules the next
  flush();
  EXPECT_EQ(gateway.all<commands::CostUpdated>().size(), 1u);
  ASSERT_EQ(scheduled.size(), 2u);
  live->stop();
  round = scheduled[1].second;
  round(); // after stop: nothing sent, nothing scheduled
  flush();
  EXPECT_EQ(gateway.all<commands::CostUpdated>().size(), 1u);
  EXPECT_EQ(scheduled.size(), 2u);
}

TEST_F(LiveCostTest, a_16_station_is_asked_once_and_gets_running_cost_only_when_it_shows_costs) {
  make();
  gateway.shows_costs = true;
  auto t = started("CS-16", ProtocolVersion::Ocpp16, "1");
  live->sweep();
  flush();
  ASSERT_EQ(gateway.all<commands::GetConfiguration>().size(), 1u);
  EXPECT_EQ(gateway.all<commands::GetConfiguration>()[0].keys, std::vector<std::string>{"CustomDisplayCostAndPrice"});
  auto transfers = gateway.all<commands::DataTransfer>();
  ASSERT_EQ(transfers.size(), 1u);
  EXPECT_EQ(transfers[0].vendor_id, "org.openchargealliance.costmsg");
  EXPECT_EQ(transfers[0].message_id, "RunningCost");
  auto data = data_of(transfers[0]);
  EXPECT_EQ(data.at("transactionId").as_int64(), t.id);
  EXPECT_EQ(data.at("meterValue").as_int64(), 1500);
  EXPECT_EQ(core::to_json_text(data.at("cost")), "2.38");
  EXPECT_EQ(data.at("state").as_string(), "Charging");
  EXPECT_NE(transfers[0].data_json->find("\\\"cost\\\":2.38"), std::string::npos) << *transfers[0].data_json;
  live->sweep();
  flush();
  EXPECT_EQ(gateway.all<commands::GetConfiguration>().size(), 1u) << "known now: not asked again";
  EXPECT_EQ(gateway.all<commands::DataTransfer>().size(), 2u);
}

TEST_F(LiveCostTest, a_16_station_without_the_key_gets_no_pricing_messages) {
  make();
  gateway.shows_costs = std::nullopt; // answers, without CustomDisplayCostAndPrice
  started("CS-16", ProtocolVersion::Ocpp16, "1");
  live->sweep();
  flush();
  live->sweep();
  flush();
  EXPECT_EQ(gateway.all<commands::GetConfiguration>().size(), 1u);
  EXPECT_TRUE(gateway.all<commands::DataTransfer>().empty());
  EXPECT_EQ(live->cost_display(StationId::unchecked("CS-16")), CostDisplay::Unsupported);
}

TEST_F(LiveCostTest, a_16_session_end_sends_final_cost_and_an_authorize_sets_the_user_price) {
  make();
  live->learned(StationId::unchecked("CS-16"), true);
  auto t = started("CS-16", ProtocolVersion::Ocpp16, "1");
  t.state = TransactionState::Ended;
  bus.publish(TransactionEnded{t.station, clock.now(), t});
  flush();
  live->authorized(StationContext{t.station, ProtocolVersion::Ocpp16}, "TAG9");
  flush();
  live->authorized(StationContext{t.station, ProtocolVersion::Ocpp16}, "FREE"); // no tariff: nothing to show
  flush();
  auto transfers = gateway.all<commands::DataTransfer>();
  ASSERT_EQ(transfers.size(), 2u);
  EXPECT_EQ(transfers[0].message_id, "FinalCost");
  auto final_cost = data_of(transfers[0]);
  EXPECT_EQ(final_cost.at("transactionId").as_int64(), t.id);
  EXPECT_EQ(core::to_json_text(final_cost.at("cost")), "2.38");
  EXPECT_EQ(final_cost.at("priceText").as_string(), "Total: 2.38 EUR");
  EXPECT_EQ(transfers[1].message_id, "SetUserPrice");
  auto price = data_of(transfers[1]);
  EXPECT_EQ(price.at("idToken").as_string(), "TAG9");
  EXPECT_EQ(price.at("priceText").as_string(), "0.25 EUR/kWh");
  EXPECT_TRUE(gateway.all<commands::GetConfiguration>().empty()) << "known from its own report";
}

TEST_F(LiveCostTest, the_2x_answers_carry_the_tariff_text_and_the_final_total) {
  make(LiveCostOptions{60s, "de"});
  auto t = started("CS-2", ProtocolVersion::Ocpp201, "TX-A");
  std::promise<LiveCost::EventAnswer> p;
  live->event_answer(t.id, true, true, [&p](Outcome<LiveCost::EventAnswer> o) { p.set_value(o.value()); });
  auto a = p.get_future().get();
  ASSERT_TRUE(a.message);
  EXPECT_EQ(*a.message, (DriverMessage{"de", "0,25 EUR/kWh"})) << "the configured language";
  EXPECT_EQ(a.total_cost, dec("2.38"));
  std::promise<std::optional<DriverMessage>> m;
  live->authorize_answer(StationContext{t.station, ProtocolVersion::Ocpp201}, "TAG1",
                         [&m](Outcome<std::optional<DriverMessage>> o) { m.set_value(o.value()); });
  EXPECT_EQ(m.get_future().get(), (DriverMessage{"en", "0.25 EUR/kWh"})) << "the only text there is";
}

TEST(LiveCostText, pick_text_prefers_the_language_then_the_first_and_clips_to_512) {
  std::vector<DisplayText> texts{{"en", std::string(600, 'x')}, {"nl", "nl"}};
  EXPECT_EQ(pick_text(texts, "nl")->content, "nl");
  EXPECT_EQ(pick_text(texts, "fr")->content.size(), 512u);
  EXPECT_FALSE(pick_text({}, "en"));
}

} // namespace
