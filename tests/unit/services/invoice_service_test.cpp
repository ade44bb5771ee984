// The invoice run (services/invoice_service.cpp) over a real SQLite store and a scripted
// BillingSource: numbering without gaps, repeatable runs, all-or-nothing, revenue reports.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/services/invoice_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using core::Decimal;

namespace {

//! Bills what it was given, for any period.
class ScriptedSource : public services::BillingSource {
public:
  Result<std::vector<services::BillableAccount>> billable(Repository &, core::Timestamp, core::Timestamp,
                                                          const std::optional<std::string> &account) override {
    ++calls;
    std::vector<services::BillableAccount> out;
    for (const auto &a : accounts)
      if (!account || a.account_id == *account) out.push_back(a);
    return out;
  }
  std::vector<services::BillableAccount> accounts;
  int calls = 0;
};

services::BillableAccount account(const std::string &id,
                                  const std::vector<std::pair<const char *, const char *>> &lines) {
  services::BillableAccount a{id, "Account " + id, core::Currency::eur(), {}};
  for (auto [amount, rate] : lines) {
    InvoiceItem it;
    it.description = "Session";
    it.location_id = "LOC-" + id;
    it.at = *core::parse_iso8601("2026-11-10T10:00:00Z");
    it.energy_kwh = *Decimal::parse("20");
    it.amount_excl_vat = *Decimal::parse(amount);
    it.vat_rate = *Decimal::parse(rate);
    a.items.push_back(it);
  }
  return a;
}

class InvoiceServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-invoice-run-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  Result<services::InvoiceRunReport> run(services::InvoiceRun what) {
    std::optional<Result<services::InvoiceRunReport>> out;
    store->run([&](Repository &r) { out = service.run(r, what, now); });
    return *out;
  }
  services::InvoiceRun november() {
    return {*core::parse_iso8601("2026-11-01T00:00:00Z"), *core::parse_iso8601("2026-12-01T00:00:00Z"), "GL", {}};
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  ScriptedSource source;
  services::InvoiceService service{source};
  core::Timestamp now = *core::parse_iso8601("2026-12-01T02:00:00Z");
};

} // namespace

TEST_F(InvoiceServiceTest, a_run_invoices_each_account_once_in_sequence) {
  source.accounts = {account("A", {{"10", "19"}}), account("B", {{"5", "19"}, {"2", "7"}}), account("C", {})};
  auto first = run(november());
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->created.size(), 2u); // C has nothing to bill
  EXPECT_EQ(first->created[0].number, "GL-000001");
  EXPECT_EQ(first->created[1].number, "GL-000002");
  EXPECT_EQ(first->created[0].total_incl_vat, *Decimal::parse("11.9"));
  // The same period again: nothing new, nothing numbered.
  auto again = run(november());
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->created.empty());
  EXPECT_EQ(again->already_invoiced, (std::vector<std::string>{"A", "B"}));
  // The next period continues the sequence.
  auto december = november();
  december.from = december.to;
  december.to = *core::parse_iso8601("2027-01-01T00:00:00Z");
  auto third = run(december);
  ASSERT_TRUE(third);
  ASSERT_EQ(third->created.size(), 2u);
  EXPECT_EQ(third->created[0].number, "GL-000003");
}

TEST_F(InvoiceServiceTest, a_refused_run_writes_nothing_and_takes_no_number) {
  source.accounts = {account("A", {{"10", "19"}}), account("B", {{"5", "-1"}})}; // B: a negative rate
  auto refused = run(november());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ServiceError::Code::Invalid);
  store->run([&](Repository &r) { EXPECT_EQ(r.count_invoices({}), 0); });
  source.accounts.pop_back();
  auto ok = run(november());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->created.at(0).number, "GL-000001");
}

TEST_F(InvoiceServiceTest, refuses_an_empty_period_and_a_bad_issuer_before_asking_the_source) {
  auto bad = november();
  bad.to = bad.from;
  EXPECT_EQ(run(bad).error().field, "to");
  bad = november();
  bad.issuer = "gl lower";
  EXPECT_EQ(run(bad).error().field, "issuer");
  EXPECT_EQ(source.calls, 0);
}

TEST_F(InvoiceServiceTest, one_account_only_and_revenue_by_location) {
  source.accounts = {account("A", {{"10", "19"}}), account("B", {{"5", "19"}})};
  auto what = november();
  what.account_id = "B";
  auto only_b = run(what);
  ASSERT_TRUE(only_b);
  ASSERT_EQ(only_b->created.size(), 1u);
  EXPECT_EQ(only_b->created[0].account_id, "B");
  ASSERT_TRUE(run(november()));
  std::optional<Result<std::vector<billing::RevenueRow>>> rows;
  store->run([&](Repository &r) {
    rows = service.revenue(r, what.from, what.to, {true, billing::RevenuePeriod::Month});
  });
  ASSERT_TRUE(*rows);
  ASSERT_EQ((*rows)->size(), 2u);
  EXPECT_EQ((**rows)[0].location_id, "LOC-A");
  EXPECT_EQ((**rows)[0].incl_vat, *Decimal::parse("11.9"));
  EXPECT_EQ((**rows)[1].incl_vat, *Decimal::parse("5.95"));
  EXPECT_EQ((**rows)[1].sessions, 1);
}
