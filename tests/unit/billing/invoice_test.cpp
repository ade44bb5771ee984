// The invoice builder (billing/invoice.cpp): rounding, VAT per rate, and the property that the
// lines of an invoice sum to its totals.
#include <gtest/gtest.h>
#include <random>

#include "gridlane/billing/invoice.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using core::Decimal;

namespace {

Decimal d(std::string_view text) {
  return *Decimal::parse(text);
}

InvoiceItem item(std::string_view amount, std::optional<std::string_view> rate,
                 InvoiceLineKind kind = InvoiceLineKind::Session) {
  InvoiceItem i;
  i.kind = kind;
  i.description = "line";
  i.amount_excl_vat = d(amount);
  if (rate) i.vat_rate = d(*rate);
  return i;
}

billing::InvoiceDraft draft(std::vector<InvoiceItem> items, core::Currency c = core::Currency::eur()) {
  billing::InvoiceDraft dr;
  dr.issuer = "GL";
  dr.account_id = "acc-1";
  dr.account_name = "Fleet GmbH";
  dr.currency = c;
  dr.period_from = *core::parse_iso8601("2026-11-01T00:00:00Z");
  dr.period_to = *core::parse_iso8601("2026-12-01T00:00:00Z");
  dr.issued_at = dr.period_to;
  dr.items = std::move(items);
  return dr;
}

//! The property every invoice has: its lines sum to its totals, its VAT lines too, and each line
//! is its excl. VAT plus its VAT.
void expect_sums(const Invoice &inv) {
  Decimal excl, vat, incl, vexcl, vvat, vincl;
  for (const auto &l : inv.lines) {
    EXPECT_EQ(*l.excl_vat.plus(l.vat), l.incl_vat);
    excl = *excl.plus(l.excl_vat);
    vat = *vat.plus(l.vat);
    incl = *incl.plus(l.incl_vat);
  }
  for (const auto &v : inv.vat) {
    EXPECT_EQ(*v.excl_vat.plus(v.vat), v.incl_vat);
    vexcl = *vexcl.plus(v.excl_vat);
    vvat = *vvat.plus(v.vat);
    vincl = *vincl.plus(v.incl_vat);
  }
  EXPECT_EQ(excl, inv.total_excl_vat);
  EXPECT_EQ(vat, inv.total_vat);
  EXPECT_EQ(incl, inv.total_incl_vat);
  EXPECT_EQ(vexcl, inv.total_excl_vat);
  EXPECT_EQ(vvat, inv.total_vat);
  EXPECT_EQ(vincl, inv.total_incl_vat);
  EXPECT_EQ(*inv.total_excl_vat.plus(inv.total_vat), inv.total_incl_vat);
}

} // namespace

TEST(InvoiceBuilder, one_session_is_invoiced_at_its_cdr_total_incl_vat_rounded_to_the_cent) {
  // A CDR of 1.2345 excl. VAT at 19 % costs 1.469055 incl. VAT: 1.47 to the cent. Rounding the
  // base first (1.23 + 0.23 VAT = 1.46) would lose a cent against the CDR and the payment.
  auto inv = billing::build_invoice(draft({item("1.2345", "19")}));
  ASSERT_TRUE(inv) << inv.error().message;
  EXPECT_EQ(inv->total_excl_vat, d("1.23"));
  EXPECT_EQ(inv->total_vat, d("0.24"));
  EXPECT_EQ(inv->total_incl_vat, d("1.47"));
  ASSERT_EQ(inv->lines.size(), 1u);
  EXPECT_EQ(inv->lines[0].incl_vat, d("1.47"));
  expect_sums(*inv);
}

TEST(InvoiceBuilder, vat_is_computed_per_rate_on_the_sum_and_shown_without_vat_first_then_ascending) {
  auto inv = billing::build_invoice(draft({item("10.00", "19"), item("5.00", "7"), item("2.50", std::nullopt),
                                           item("3.00", "19"), item("-1.00", "19", InvoiceLineKind::Discount)}));
  ASSERT_TRUE(inv);
  ASSERT_EQ(inv->vat.size(), 3u);
  EXPECT_FALSE(inv->vat[0].rate);
  EXPECT_EQ(inv->vat[0].excl_vat, d("2.5"));
  EXPECT_EQ(inv->vat[0].vat, d("0"));
  EXPECT_EQ(inv->vat[1].rate, d("7"));
  EXPECT_EQ(inv->vat[1].vat, d("0.35"));
  EXPECT_EQ(inv->vat[2].rate, d("19"));
  EXPECT_EQ(inv->vat[2].excl_vat, d("12"));
  EXPECT_EQ(inv->vat[2].vat, d("2.28"));
  EXPECT_EQ(inv->total_incl_vat, d("22.13"));
  // Lines keep the order they were given in.
  EXPECT_EQ(inv->lines[4].item.kind, InvoiceLineKind::Discount);
  EXPECT_EQ(inv->lines[4].incl_vat, d("-1.19"));
  expect_sums(*inv);
}

TEST(InvoiceBuilder, the_rounding_residue_of_a_rate_goes_to_its_largest_line) {
  // Three lines of 0.3333 at 0 %: each rounds to 0.33 (0.99 together), the rate's sum 0.9999 to
  // 1.00; the cent left over goes to the largest line (the first of equals).
  auto inv = billing::build_invoice(draft({item("0.3333", "0"), item("0.3333", "0"), item("0.3333", "0")}));
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->total_excl_vat, d("1"));
  EXPECT_EQ(inv->lines[0].excl_vat, d("0.34"));
  EXPECT_EQ(inv->lines[1].excl_vat, d("0.33"));
  EXPECT_EQ(inv->lines[2].excl_vat, d("0.33"));
  expect_sums(*inv);
}

TEST(InvoiceBuilder, amounts_are_in_the_currency_minor_units) {
  auto jpy = *core::Currency::parse("JPY");
  auto inv = billing::build_invoice(draft({item("1234.5", "10")}, jpy));
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->total_excl_vat, d("1235"));
  EXPECT_EQ(inv->total_incl_vat, d("1358")); // 1357.95
  EXPECT_EQ(inv->total_vat, d("123"));
  expect_sums(*inv);
}

TEST(InvoiceBuilder, refuses_an_empty_period_and_a_negative_rate) {
  auto dr = draft({item("1", "19")});
  dr.period_to = dr.period_from;
  auto a = billing::build_invoice(dr);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().field, "to");
  auto b = billing::build_invoice(draft({item("1", "-19")}));
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ServiceError::Code::Invalid);
}

TEST(InvoiceBuilder, an_invoice_without_items_totals_zero) {
  auto inv = billing::build_invoice(draft({}));
  ASSERT_TRUE(inv);
  EXPECT_TRUE(inv->total_incl_vat.is_zero());
  EXPECT_TRUE(inv->vat.empty());
}

TEST(InvoiceBuilder, property_the_sum_of_the_lines_equals_the_total_for_random_invoices) {
  std::mt19937_64 rng(20261129);
  const std::vector<std::optional<std::string_view>> rates = {std::nullopt, "0", "5.5", "7", "19", "20", "21", "25.5"};
  const std::vector<core::Currency> currencies = {core::Currency::eur(), *core::Currency::parse("JPY"),
                                                  *core::Currency::parse("BHD")};
  for (int n = 0; n < 2000; ++n) {
    std::vector<InvoiceItem> items;
    auto count = std::uniform_int_distribution<int>(1, 40)(rng);
    for (int i = 0; i < count; ++i) {
      // Amounts with up to 6 decimals, up to 10,000, one in five negative (discounts).
      auto units = std::uniform_int_distribution<std::int64_t>(0, 10'000'000'000)(rng);
      if (std::uniform_int_distribution<int>(0, 4)(rng) == 0) units = -units / 10;
      InvoiceItem it;
      it.amount_excl_vat = Decimal::from_units(units);
      auto r = rates[std::uniform_int_distribution<std::size_t>(0, rates.size() - 1)(rng)];
      if (r) it.vat_rate = d(*r);
      items.push_back(it);
    }
    auto currency = currencies[static_cast<std::size_t>(n) % currencies.size()];
    auto inv = billing::build_invoice(draft(items, currency));
    ASSERT_TRUE(inv);
    expect_sums(*inv);
    // Each rate's total incl. VAT is its exact sum incl. VAT rounded once.
    for (const auto &v : inv->vat) {
      Decimal exact;
      for (const auto &it : items)
        if (it.vat_rate == v.rate) exact = *exact.plus(it.amount_excl_vat);
      auto with_vat = v.rate ? *exact.plus(*exact.percent(*v.rate, core::Rounding::HalfUp)) : exact;
      EXPECT_EQ(v.incl_vat, *with_vat.rounded(currency.minor_digits(), core::Rounding::HalfUp));
    }
    if (HasFailure()) break;
  }
}

TEST(InvoiceNumbers, are_the_issuer_and_six_digits) {
  EXPECT_EQ(billing::invoice_number("GL", 42), "GL-000042");
  EXPECT_EQ(billing::invoice_number("GL-DE", 1234567), "GL-DE-1234567");
  EXPECT_TRUE(billing::valid_issuer("GL-2026"));
  EXPECT_FALSE(billing::valid_issuer(""));
  EXPECT_FALSE(billing::valid_issuer("gl"));
  EXPECT_FALSE(billing::valid_issuer("GL 1"));
  EXPECT_FALSE(billing::valid_issuer("ABCDEFGHIJKLMNOPQ"));
}
