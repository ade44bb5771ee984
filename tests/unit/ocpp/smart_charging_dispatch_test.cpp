// The 2.x adapter's block K: station messages about smart charging through Connection::on_text,
// the dispatcher and the services over a temporary SQLite file, with a recording energy manager
// (services::SmartChargingReports) or none wired. Each message is answered per the spec, kept
// for audit, and forwarded typed.
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/ocpp/adapters.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
using core::ProtocolVersion;
namespace json = boost::json;

namespace {

struct RecordingTransport : Transport {
  std::vector<std::string> frames;
  void send(std::string frame) override { frames.push_back(std::move(frame)); }
  void close(std::uint16_t, std::string) override {}
};

//! The energy manager's side, recorded; NotifyEVChargingNeeds answered with `status`.
struct RecordingReports : services::SmartChargingReports {
  services::ChargingNeedsStatus status = services::ChargingNeedsStatus::Accepted;
  std::vector<std::pair<domain::StationId, domain::ChargingNeedsReport>> needs;
  std::vector<domain::ExternalChargingLimit> limits;
  std::vector<std::tuple<domain::StationId, std::optional<int>, std::string>> cleared;
  std::vector<std::pair<int, domain::ChargingSchedule>> schedules;
  std::vector<domain::ReportedProfiles> reports;

  void charging_needs(const domain::StationId &station, domain::ChargingNeedsReport report,
                      services::Reply<services::ChargingNeedsStatus> reply) override {
    needs.emplace_back(station, report);
    reply(services::Outcome<services::ChargingNeedsStatus>::success(status));
  }
  void charging_limit(domain::ExternalChargingLimit limit) override { limits.push_back(std::move(limit)); }
  void limit_cleared(const domain::StationId &station, std::optional<int> evse_id, std::string source) override {
    cleared.emplace_back(station, evse_id, std::move(source));
  }
  void ev_schedule(const domain::StationId &, int evse_id, domain::ChargingSchedule schedule) override {
    schedules.emplace_back(evse_id, std::move(schedule));
  }
  void reported_profiles(const domain::StationId &, domain::ReportedProfiles report) override {
    reports.push_back(std::move(report));
  }
};

class SmartChargingDispatch : public ::testing::TestWithParam<ProtocolVersion> {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("gridlane-k-" + std::to_string(::getpid()) + "-" +
           std::to_string(reinterpret_cast<std::uintptr_t>(this))); // one per test instance
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    stations = std::make_unique<services::StationService>(
        *store, clock, services::StationServiceConfig{},
        [](std::function<void()> f, std::function<void(core::JobRefusal)>) { f(); });
    authorization = std::make_unique<services::AuthorizationService>(*store, clock);
    transactions = std::make_unique<services::TransactionService>(*store, clock);
    store->run([this](domain::Repository &r) {
      domain::Station s;
      s.id = who.id;
      s.registration = domain::RegistrationStatus::Accepted;
      s.created_at = clock.now();
      r.insert_station(s);
    });
  }
  void connect(services::SmartChargingReports *energy) {
    who.protocol = GetParam();
    catalog = std::make_unique<MessageCatalog>(GetParam());
    conn = std::make_shared<Connection>(strand, who.id, *catalog, transport, ConnectionOptions{});
    Services s{*stations, *authorization, *transactions};
    s.smart_charging = energy;
    conn->set_dispatcher(v2::make_dispatcher(s, who, domain::RegistrationStatus::Accepted, conn, false));
  }
  void TearDown() override {
    conn.reset();
    transactions.reset();
    authorization.reset();
    stations.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  //! Sends one CALL and returns Gridlane's answer frame.
  json::array call(const std::string &action, const std::string &payload) {
    auto text = "[2,\"k" + std::to_string(++seq) + "\",\"" + action + "\"," + payload + "]";
    auto before = transport.frames.size();
    boost::asio::post(strand, [this, text] { conn->on_text(text); });
    for (int i = 0; i < 100 && transport.frames.size() == before; ++i) {
      ioc.restart();
      ioc.poll();
      store->run([](domain::Repository &) {});
      ioc.restart();
      ioc.poll();
    }
    EXPECT_EQ(transport.frames.size(), before + 1) << text;
    auto answer = json::parse(transport.frames.back()).as_array();
    if (answer.at(0).as_int64() == 3) { // a CALLRESULT is valid against the response schema
      const auto *schema = catalog->response(action);
      EXPECT_NE(schema, nullptr);
      if (schema) {
        EXPECT_FALSE(schema->validate(answer.at(2))) << json::serialize(answer);
      }
    }
    return answer;
  }
  std::size_t kept(const std::string &kind) {
    std::size_t n = 0;
    store->run([&](domain::Repository &r) { n = static_cast<std::size_t>(r.count_events(who.id, kind)); });
    return n;
  }

  int seq = 0;
  std::filesystem::path dir;
  core::SystemClock clock;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<services::StationService> stations;
  std::unique_ptr<services::AuthorizationService> authorization;
  std::unique_ptr<services::TransactionService> transactions;
  services::StationContext who{core::StationId::unchecked("CS-K"), ProtocolVersion::Ocpp201};
  std::unique_ptr<MessageCatalog> catalog;
  boost::asio::io_context ioc;
  boost::asio::strand<boost::asio::io_context::executor_type> strand{ioc.get_executor()};
  RecordingTransport transport;
  std::shared_ptr<Connection> conn;
};

const std::string needs_ac = R"({"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"AC_three_phase",
  "departureTime":"2099-01-01T17:00:00Z","acChargingParameters":{"energyAmount":20000,"evMinCurrent":6,
  "evMaxCurrent":16,"evMaxVoltage":400}}})";
const std::string limit_so = R"({"evseId":1,"chargingLimit":{"chargingLimitSource":"SO","isGridCritical":true},
  "chargingSchedule":[{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":10}]}]})";
const std::string report_one = R"({"requestId":9,"chargingLimitSource":"CSO","evseId":1,"chargingProfile":[{"id":12,
  "stackLevel":1,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":1,
  "startSchedule":"2026-03-01T08:00:00Z","chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16}]}]}]})";
const std::string ev_schedule = R"({"timeBase":"2026-03-01T08:00:00Z","evseId":1,"chargingSchedule":{"id":2,
  "chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":7000}]}})";

} // namespace

TEST_P(SmartChargingDispatch, without_an_energy_manager_needs_are_rejected_and_the_rest_accepted) {
  connect(nullptr);
  auto needs = call("NotifyEVChargingNeeds", needs_ac);
  ASSERT_EQ(needs.at(0).as_int64(), 3) << json::serialize(needs);
  EXPECT_EQ(needs.at(2).at("status").as_string(), "Rejected"); // no schedule will follow (K15)
  EXPECT_EQ(call("NotifyEVChargingSchedule", ev_schedule).at(2).at("status").as_string(), "Accepted");
  EXPECT_EQ(call("NotifyChargingLimit", limit_so).at(2), json::object{});
  EXPECT_EQ(call("ClearedChargingLimit", R"({"chargingLimitSource":"SO","evseId":1})").at(2), json::object{});
  EXPECT_EQ(call("ReportChargingProfiles", report_one).at(2), json::object{});
  // Every one kept for audit.
  for (const char *kind : {"NotifyEVChargingNeeds", "NotifyEVChargingSchedule", "NotifyChargingLimit",
                           "ClearedChargingLimit", "ReportChargingProfiles"})
    EXPECT_EQ(kept(kind), 1u) << kind;
}

TEST_P(SmartChargingDispatch, each_message_reaches_the_energy_manager_typed) {
  RecordingReports energy;
  connect(&energy);
  for (auto status : {services::ChargingNeedsStatus::Accepted, services::ChargingNeedsStatus::Processing,
                      services::ChargingNeedsStatus::Rejected}) {
    energy.status = status;
    auto answer = call("NotifyEVChargingNeeds", needs_ac);
    ASSERT_EQ(answer.at(0).as_int64(), 3) << json::serialize(answer);
    EXPECT_EQ(answer.at(2).at("status").as_string(), status == services::ChargingNeedsStatus::Accepted ? "Accepted"
                                                     : status == services::ChargingNeedsStatus::Processing
                                                         ? "Processing"
                                                         : "Rejected");
  }
  ASSERT_EQ(energy.needs.size(), 3u);
  EXPECT_EQ(energy.needs[0].first, who.id);
  EXPECT_EQ(energy.needs[0].second.evse_id, 1);
  EXPECT_EQ(energy.needs[0].second.needs.ev_max_current, core::amps(16));
  EXPECT_EQ(energy.needs[0].second.needs.mode, domain::ChargingNeeds::Mode::AcThreePhase);

  call("NotifyChargingLimit", limit_so);
  ASSERT_EQ(energy.limits.size(), 1u);
  EXPECT_EQ(energy.limits[0].station, who.id);
  EXPECT_EQ(energy.limits[0].current, core::amps(10));
  EXPECT_TRUE(energy.limits[0].grid_critical);

  call("ClearedChargingLimit", R"({"chargingLimitSource":"SO"})");
  ASSERT_EQ(energy.cleared.size(), 1u);
  EXPECT_EQ(std::get<1>(energy.cleared[0]), std::nullopt);
  EXPECT_EQ(std::get<2>(energy.cleared[0]), "SO");

  call("NotifyEVChargingSchedule", ev_schedule);
  ASSERT_EQ(energy.schedules.size(), 1u);
  EXPECT_EQ(energy.schedules[0].first, 1);
  EXPECT_EQ(energy.schedules[0].second.unit, domain::ChargingRateUnit::W);

  call("ReportChargingProfiles", report_one);
  ASSERT_EQ(energy.reports.size(), 1u);
  EXPECT_EQ(energy.reports[0].request_id, 9);
  EXPECT_EQ(energy.reports[0].profiles.at(0).id, 12);
}

TEST_P(SmartChargingDispatch, numbers_out_of_range_are_refused_and_not_forwarded) {
  RecordingReports energy;
  connect(&energy);
  auto needs = call("NotifyEVChargingNeeds", R"({"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"DC",
      "dcChargingParameters":{"evMaxCurrent":1000000000000,"evMaxVoltage":800}}})");
  ASSERT_EQ(needs.at(0).as_int64(), 4) << json::serialize(needs);
  EXPECT_EQ(needs.at(2).as_string(), "PropertyConstraintViolation");
  auto limit = call("NotifyChargingLimit", R"({"evseId":4294967296,"chargingLimit":{"chargingLimitSource":"SO"}})");
  ASSERT_EQ(limit.at(0).as_int64(), 4) << json::serialize(limit);
  EXPECT_TRUE(energy.needs.empty());
  EXPECT_TRUE(energy.limits.empty());
}

INSTANTIATE_TEST_SUITE_P(V2, SmartChargingDispatch,
                         ::testing::Values(ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21), [](const auto &info) {
                           return info.param == ProtocolVersion::Ocpp21 ? std::string("v21") : std::string("v201");
                         });
