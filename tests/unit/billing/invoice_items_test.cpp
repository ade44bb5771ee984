// What a CDR puts on an invoice (billing/invoice_items.cpp): one line per VAT rate of its tariff.
#include <gtest/gtest.h>

#include "gridlane/billing/invoice.hpp"
#include "gridlane/billing/invoice_items.hpp"
#include "support/sample_cdr.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using test::dec;

namespace {

Tariff tariff(std::vector<PriceComponent> components) {
  Tariff t;
  t.id = "T1";
  t.elements.push_back({std::move(components), std::nullopt});
  return t;
}

} // namespace

TEST(CdrItems, a_cdr_whose_components_share_one_vat_is_one_line_at_that_rate) {
  auto cdr = test::sample_cdr(7);
  cdr.tariffs = {tariff({{TariffDimension::Flat, dec("0.5"), dec("21"), 1},
                         {TariffDimension::Energy, dec("0.25"), dec("21"), 1},
                         {TariffDimension::ParkingTime, dec("2.6"), dec("21"), 60}})};
  auto items = billing::cdr_items(cdr);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, InvoiceLineKind::Session);
  EXPECT_EQ(items[0].reference, "CDR-7");
  EXPECT_EQ(items[0].location_id, "LOC1");
  EXPECT_EQ(items[0].at, cdr.end_date_time);
  EXPECT_EQ(items[0].vat_rate, dec("21"));
  EXPECT_EQ(items[0].amount_excl_vat, dec("4.2368"));
  EXPECT_EQ(items[0].energy_kwh, dec("12.345"));
  EXPECT_EQ(items[0].description, "Charging at Gent Zuid, 2026-03-01T10:00 UTC, 12.345 kWh");
  // On an invoice alone it costs what the CDR says incl. VAT, to the cent: 5.1265 -> 5.13.
  billing::InvoiceDraft d{"GL", "A", "A", cdr.currency, cdr.start_date_time, cdr.end_date_time, cdr.end_date_time,
                          items};
  EXPECT_EQ(billing::build_invoice(d)->total_incl_vat, dec("5.13"));
}

TEST(CdrItems, components_at_different_rates_split_the_session_and_min_price_goes_to_the_largest_part) {
  auto cdr = test::sample_cdr(8);
  cdr.tariffs = {tariff({{TariffDimension::Flat, dec("0.5"), dec("21"), 1},
                         {TariffDimension::Energy, dec("0.25"), dec("21"), 1},
                         {TariffDimension::ParkingTime, dec("2.6"), dec("9"), 60}})};
  cdr.total_cost.excl_vat = dec("5"); // raised by a min_price: 0.7632 more than the dimensions
  auto items = billing::cdr_items(cdr);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].vat_rate, dec("9"));
  EXPECT_EQ(items[0].amount_excl_vat, dec("0.6505"));
  EXPECT_EQ(items[0].energy_kwh, dec("12.345"));
  EXPECT_EQ(items[1].vat_rate, dec("21"));
  EXPECT_EQ(items[1].amount_excl_vat, dec("4.3495")); // 0.5 + 3.0863 + 0.7632
  EXPECT_FALSE(items[1].energy_kwh);
}

TEST(CdrItems, a_tariff_without_vat_gives_a_line_without_vat_and_a_credit_cdr_a_negative_one) {
  auto cdr = test::sample_cdr(9);
  cdr.tariffs = {tariff({{TariffDimension::Energy, dec("0.25"), std::nullopt, 1}})};
  auto items = billing::cdr_items(cdr);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].vat_rate);
  cdr.credit = true;
  cdr.id = "CDR-9-C";
  cdr.credit_reference_id = "CDR-9";
  cdr.total_cost.excl_vat = dec("-4.2368");
  auto credit = billing::cdr_items(cdr);
  EXPECT_EQ(credit[0].amount_excl_vat, dec("-4.2368"));
  EXPECT_EQ(credit[0].energy_kwh, dec("-12.345"));
  EXPECT_EQ(credit[0].description.rfind("Credit for CDR-9: ", 0), 0u);
}
