// The CDR rules over a real SQLite file with a stand-in pricer: one CDR per ended session, made
// once; a running session has none yet; a credit CDR nets the original's total_cost to zero and
// is issued once; the billing run makes exactly the missing CDRs, batch by batch.
#include <filesystem>
#include <gtest/gtest.h>
#include <set>

#include "gridlane/services/cdr_service.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/sample_cdr.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using gridlane::test::dec;

namespace {

class FixedClock final : public core::Clock {
public:
  Timestamp now() const override { return core::parse_iso8601("2026-03-02T00:00:00Z").value(); }
};

Tariff tariff() {
  Tariff t;
  t.country_code = "NL";
  t.party_id = "GRL";
  t.id = "KWH";
  t.elements = {TariffElement{{PriceComponent{TariffDimension::Energy, dec("0.25"), dec("21"), 1}}, std::nullopt}};
  t.last_updated = core::parse_iso8601("2026-01-01T00:00:00Z").value();
  return t;
}

//! Prices every session at 0.25/kWh excl. VAT, 21 % VAT, from its stored energy; refuses (as
//! SessionPricing does for a session without a tariff) the ids in `untariffed`.
struct StandInPricer {
  std::set<std::int64_t> untariffed;
  int calls = 0;
  Result<services::SessionCost> operator()(Repository &r, std::int64_t id, Timestamp) {
    ++calls;
    if (untariffed.count(id)) return ServiceError::not_found("transaction has no tariff");
    auto t = r.transaction(id);
    auto kwh = core::Decimal::from_scaled(t->energy_wh, 3).value();
    pricing::PricedSession p;
    auto excl = dec("0.25").times(kwh, core::Rounding::HalfUp, 4).value();
    auto incl = excl.percent(dec("121"), core::Rounding::HalfUp, 4).value();
    p.total_cost = {excl, incl};
    p.total_energy = kwh;
    p.total_energy_cost = p.total_cost;
    p.total_time = dec("1");
    p.charging_periods = {{t->started_at, {{CdrDimensionType::Energy, kwh}}, "KWH"}};
    return services::SessionCost{tariff(), core::TimeZone::find("UTC").value(), p};
  }
};

class CdrRules : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-cdrsvc-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    store->run([](Repository &r) {
      Station s;
      s.id = StationId::unchecked("CS-1");
      r.insert_station(s);
      s.identity.meter_serial_number = "MTR-1";
      r.update_station_boot(s.id, s.identity, Timestamp{});
    });
    service = std::make_unique<services::CdrService>(
        clock, [this](Repository &r, std::int64_t id, Timestamp now) { return pricer(r, id, now); });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::int64_t session(int n, bool ended = true) {
    std::int64_t id = 0;
    store->run([&](Repository &r) {
      Transaction t;
      t.station = StationId::unchecked("CS-1");
      t.connector_id = t.evse_id = 1;
      t.id_tag = "TAG-" + std::to_string(n);
      t.meter_start_wh = std::int64_t{1000} * n;
      t.started_at = core::parse_iso8601("2026-03-01T10:00:00Z").value() + std::chrono::minutes(n);
      t.start_received_at = t.started_at;
      t.station_tx_id = std::to_string(n);
      id = r.insert_transaction(t);
      t.id = id;
      if (ended) {
        t.state = TransactionState::Ended;
        t.meter_stop_wh = t.meter_start_wh + 10'000;
        t.energy_wh = 10'000;
        t.stopped_at = t.started_at + std::chrono::hours(1);
        t.stop_reason = StopReason::EVDisconnected;
        r.end_transaction(t);
      }
    });
    return id;
  }
  template <class T> T in_unit(std::function<T(Repository &)> fn) {
    std::optional<T> out;
    store->run([&](Repository &r) { out.emplace(fn(r)); });
    return std::move(*out);
  }
  FixedClock clock;
  StandInPricer pricer;
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<services::CdrService> service;
};

TEST_F(CdrRules, an_ended_session_gets_one_cdr_made_once) {
  auto id = session(1);
  auto first = in_unit<Result<services::IssuedCdr>>([&](Repository &r) { return service->issue(r, id); });
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  const auto &c = first->cdr;
  EXPECT_EQ(c.id, "CDR-" + std::to_string(id));
  EXPECT_EQ(c.total_cost.excl_vat, dec("2.5"));
  EXPECT_EQ(c.total_cost.incl_vat, dec("3.025"));
  EXPECT_EQ(c.total_energy, dec("10"));
  EXPECT_EQ(c.cdr_token.uid, "TAG-1");
  EXPECT_EQ(c.meter_id, "MTR-1");
  EXPECT_EQ(c.remark, "EVDisconnected");
  ASSERT_EQ(c.tariffs.size(), 1U);
  EXPECT_EQ(c.tariffs[0].id, "KWH");
  EXPECT_EQ(c.end_date_time, c.start_date_time + std::chrono::hours(1));
  auto again = in_unit<Result<services::IssuedCdr>>([&](Repository &r) { return service->issue(r, id); });
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->cdr, c);
  EXPECT_EQ(pricer.calls, 1) << "the stored CDR is answered without pricing again";
}

TEST_F(CdrRules, a_running_session_has_no_cdr_yet_and_an_unknown_one_none_at_all) {
  auto id = session(1, false);
  auto running = in_unit<Result<services::IssuedCdr>>([&](Repository &r) { return service->issue(r, id); });
  ASSERT_FALSE(running);
  EXPECT_EQ(running.error().code, ServiceError::Code::Conflict);
  auto unknown = in_unit<Result<services::IssuedCdr>>([&](Repository &r) { return service->issue(r, 999); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ServiceError::Code::NotFound);
}

TEST_F(CdrRules, a_credit_cdr_nets_the_original_to_zero_and_is_issued_once) {
  auto id = session(3);
  auto original = in_unit<Result<services::IssuedCdr>>([&](Repository &r) { return service->issue(r, id); })->cdr;
  auto credit = in_unit<Result<Cdr>>([&](Repository &r) { return service->credit(r, original.id, "wrong tariff"); });
  ASSERT_TRUE(credit) << credit.error().message;
  EXPECT_TRUE(credit->credit);
  EXPECT_EQ(credit->id, original.id + "-C");
  EXPECT_EQ(credit->credit_reference_id, original.id);
  EXPECT_EQ(credit->remark, "wrong tariff");
  EXPECT_TRUE(credit->total_cost.excl_vat.plus(original.total_cost.excl_vat)->is_zero());
  EXPECT_TRUE(credit->total_cost.incl_vat->plus(*original.total_cost.incl_vat)->is_zero());
  EXPECT_EQ(credit->total_energy, original.total_energy) << "all the original's data, only total_cost negated";
  // The original is untouched, and neither it nor its credit can be credited again.
  EXPECT_EQ(in_unit<std::optional<Cdr>>([&](Repository &r) { return r.cdr(original.id); }), original);
  auto twice = in_unit<Result<Cdr>>([&](Repository &r) { return service->credit(r, original.id, std::nullopt); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ServiceError::Code::Conflict);
  auto of_credit = in_unit<Result<Cdr>>([&](Repository &r) { return service->credit(r, credit->id, std::nullopt); });
  ASSERT_FALSE(of_credit);
  EXPECT_EQ(of_credit.error().code, ServiceError::Code::Conflict);
  auto missing = in_unit<Result<Cdr>>([&](Repository &r) { return service->credit(r, "CDR-404", std::nullopt); });
  EXPECT_EQ(missing.error().code, ServiceError::Code::NotFound);
}

TEST_F(CdrRules, credit_cdrs_net_to_zero_for_any_amount) {
  // Property: for any total (including odd sub-cent amounts), original + credit == 0.
  for (std::int64_t units : {std::int64_t{0}, std::int64_t{1}, std::int64_t{12'345}, std::int64_t{999'999'999},
                             std::int64_t{123'456'789'012}}) {
    auto c = gridlane::test::sample_cdr();
    c.total_cost = {core::Decimal::from_units(units), core::Decimal::from_units(units * 121 / 100)};
    auto credit = services::credit_cdr(c, std::nullopt, clock.now());
    EXPECT_TRUE(credit.total_cost.excl_vat.plus(c.total_cost.excl_vat)->is_zero()) << units;
    EXPECT_TRUE(credit.total_cost.incl_vat->plus(*c.total_cost.incl_vat)->is_zero()) << units;
  }
}

TEST_F(CdrRules, the_billing_run_makes_exactly_the_missing_cdrs) {
  std::vector<std::int64_t> ids;
  for (int n = 1; n <= 7; ++n)
    ids.push_back(session(n));
  auto running = session(8, false);
  pricer.untariffed = {ids[5]};
  ASSERT_TRUE(in_unit<Result<services::IssuedCdr>>([&](Repository &r) { return service->issue(r, ids[1]); }));
  std::size_t created = 0, untariffed = 0, batches = 0;
  std::int64_t after = 0;
  for (;;) {
    auto b = in_unit<services::BillingBatch>([&](Repository &r) { return service->generate_batch(r, after, 2); });
    created += b.created;
    untariffed += b.untariffed;
    after = b.last_transaction_id;
    ++batches;
    ASSERT_LT(batches, 10U);
    if (b.done) break;
  }
  EXPECT_EQ(created, 5U) << "7 ended, 1 had its CDR, 1 has no tariff";
  EXPECT_EQ(untariffed, 1U);
  auto page = in_unit<Paged<Cdr>>([](Repository &r) { return r.list_cdrs({}, {100, 0}); });
  EXPECT_EQ(page.total, 6);
  EXPECT_FALSE(in_unit<std::optional<Cdr>>([&](Repository &r) { return r.cdr_of_transaction(running); }));
  // A second run finds nothing to do but the session without a tariff.
  auto second = in_unit<services::BillingBatch>([&](Repository &r) { return service->generate_batch(r, 0, 100); });
  EXPECT_EQ(second.created, 0U);
  EXPECT_EQ(second.untariffed, 1U);
  EXPECT_TRUE(second.done);
}

} // namespace
