// Revenue reports (billing/revenue.cpp): sums per period, currency and location.
#include <gtest/gtest.h>

#include "gridlane/billing/revenue.hpp"

using namespace gridlane;
using core::Decimal;

namespace {

billing::RevenueEntry entry(const char *location, const char *currency, const char *at, const char *incl) {
  billing::RevenueEntry e;
  if (location) e.location_id = location;
  e.currency = *core::Currency::parse(currency);
  e.at = *core::parse_iso8601(at);
  e.session = location != nullptr;
  e.energy_kwh = *Decimal::parse("10");
  e.incl_vat = *Decimal::parse(incl);
  e.excl_vat = e.incl_vat;
  return e;
}

} // namespace

TEST(Revenue, sums_per_month_currency_and_location_and_never_mixes_currencies) {
  std::vector<billing::RevenueEntry> entries = {
      entry("LOC-A", "EUR", "2026-10-31T23:59:59Z", "1.00"), entry("LOC-A", "EUR", "2026-11-01T00:00:00Z", "2.00"),
      entry("LOC-A", "EUR", "2026-11-15T12:00:00Z", "3.50"), entry("LOC-B", "EUR", "2026-11-02T08:00:00Z", "4.00"),
      entry("LOC-A", "SEK", "2026-11-02T08:00:00Z", "40"),   entry(nullptr, "EUR", "2026-11-01T00:00:00Z", "4.99"),
  };
  auto rows = billing::revenue_report(entries, {true, billing::RevenuePeriod::Month});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ((*rows)[0].period, "2026-10");
  EXPECT_EQ((*rows)[1].period, "2026-11");
  EXPECT_FALSE((*rows)[1].location_id); // the plan fee: no location, listed first
  EXPECT_EQ((*rows)[1].sessions, 0);
  EXPECT_EQ((*rows)[2].location_id, "LOC-A");
  EXPECT_EQ((*rows)[2].incl_vat, *Decimal::parse("5.5"));
  EXPECT_EQ((*rows)[2].sessions, 2);
  EXPECT_EQ((*rows)[2].energy_kwh, *Decimal::parse("20"));
  EXPECT_EQ((*rows)[3].location_id, "LOC-B");
  EXPECT_EQ((*rows)[4].currency.code(), "SEK");
  EXPECT_EQ((*rows)[4].incl_vat, *Decimal::parse("40"));
}

TEST(Revenue, without_locations_and_for_the_whole_range) {
  std::vector<billing::RevenueEntry> entries = {entry("LOC-A", "EUR", "2026-10-31T23:59:59Z", "1.00"),
                                                entry("LOC-B", "EUR", "2026-11-02T08:00:00Z", "4.00")};
  auto rows = billing::revenue_report(entries, {false, billing::RevenuePeriod::Total});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].period, "total");
  EXPECT_EQ((*rows)[0].incl_vat, *Decimal::parse("5"));
  EXPECT_EQ((*rows)[0].sessions, 2);
  auto days = billing::revenue_report(entries, {false, billing::RevenuePeriod::Day});
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[1].period, "2026-11-02");
  EXPECT_EQ(billing::parse_revenue_period("week"), std::nullopt);
}

TEST(Revenue, card_paid_sessions_are_rows_of_their_own_after_the_invoiced_ones) {
  auto card = [](const char *at, const char *incl, bool session = true) {
    auto e = entry("LOC-A", "EUR", at, incl);
    e.source = billing::RevenueSource::Card;
    e.session = session;
    return e;
  };
  std::vector<billing::RevenueEntry> entries = {
      card("2026-11-03T10:00:00Z", "4.76"), entry("LOC-A", "EUR", "2026-11-02T08:00:00Z", "2.00"),
      card("2026-11-20T10:00:00Z", "1.19"),
      card("2026-11-21T10:00:00Z", "-1.19", false), // a credit CDR of a card-paid session
  };
  auto rows = billing::revenue_report(entries, {false, billing::RevenuePeriod::Month});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].source, billing::RevenueSource::Invoice);
  EXPECT_EQ((*rows)[0].incl_vat, *Decimal::parse("2.00"));
  EXPECT_EQ((*rows)[1].source, billing::RevenueSource::Card);
  EXPECT_EQ((*rows)[1].incl_vat, *Decimal::parse("4.76"));
  EXPECT_EQ((*rows)[1].sessions, 2);
  EXPECT_EQ(billing::to_string((*rows)[1].source), "card");
  EXPECT_EQ(billing::to_string((*rows)[0].source), "invoice");
}
