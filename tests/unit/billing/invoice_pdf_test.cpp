// The invoice PDF (billing/invoice_pdf.cpp): it opens with pdftotext (poppler-utils) and shows
// the number, the lines and the totals.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/billing/invoice.hpp"
#include "gridlane/billing/invoice_pdf.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using core::Decimal;

namespace {

Invoice sample(int sessions) {
  billing::InvoiceDraft dr;
  dr.issuer = "GL";
  dr.account_id = "acc-7";
  dr.account_name = "Müller Logistik";
  dr.period_from = *core::parse_iso8601("2026-11-01T00:00:00Z");
  dr.period_to = *core::parse_iso8601("2026-12-01T00:00:00Z");
  dr.issued_at = *core::parse_iso8601("2026-12-01T06:00:00Z");
  for (int i = 0; i < sessions; ++i) {
    InvoiceItem it;
    it.description = "Session " + std::to_string(i + 1) + " at Hauptstraße 1";
    it.amount_excl_vat = *Decimal::parse("10.2345");
    it.vat_rate = *Decimal::parse("19");
    dr.items.push_back(it);
  }
  InvoiceItem fee;
  fee.kind = InvoiceLineKind::PlanFee;
  fee.description = "Plan Basic, November 2026";
  fee.amount_excl_vat = *Decimal::parse("4.99");
  fee.vat_rate = *Decimal::parse("7");
  dr.items.push_back(fee);
  auto inv = billing::build_invoice(dr);
  inv->sequence = 12;
  inv->number = billing::invoice_number("GL", 12);
  return *inv;
}

//! The text pdftotext reads from `pdf` (with -layout, so a line of the table stays one line).
std::string pdftotext(const std::string &pdf) {
  auto dir = std::filesystem::temp_directory_path() / ("gridlane-pdf-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "invoice.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  std::string cmd = "pdftotext -layout '" + file.string() + "' - 2>&1";
  std::string out;
  if (auto *p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    EXPECT_EQ(::pclose(p), 0) << out;
  }
  std::filesystem::remove_all(dir);
  return out;
}

} // namespace

TEST(InvoicePdf, opens_with_pdftotext_and_shows_the_number_lines_and_totals) {
  auto inv = sample(3);
  // 3 x 10.2345 at 19 %: 30.7035 -> 30.70 excl., 36.537165 -> 36.54 incl.; 4.99 at 7 %: 5.34.
  ASSERT_EQ(inv.total_incl_vat, *Decimal::parse("41.88"));
  auto pdf = billing::render_invoice_pdf(inv);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  auto text = pdftotext(*pdf);
  EXPECT_NE(text.find("Invoice GL-000012"), std::string::npos) << text;
  EXPECT_NE(text.find("Müller Logistik"), std::string::npos) << text; // WinAnsi read back as UTF-8
  EXPECT_NE(text.find("Session 2 at Hauptstraße 1"), std::string::npos) << text;
  EXPECT_NE(text.find("Plan Basic, November 2026"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-11-01 to 2026-12-01"), std::string::npos) << text;
  EXPECT_NE(text.find("Total excl. VAT"), std::string::npos) << text;
  EXPECT_NE(text.find("35.69 EUR"), std::string::npos) << text; // 30.70 + 4.99
  EXPECT_NE(text.find("6.19 EUR"), std::string::npos) << text;  // 5.84 + 0.35
  EXPECT_NE(text.find("Total incl. VAT"), std::string::npos) << text;
  EXPECT_NE(text.find("41.88 EUR"), std::string::npos) << text;
}

TEST(InvoicePdf, many_lines_flow_onto_more_pages_and_the_totals_are_on_the_last) {
  auto inv = sample(120);
  auto pdf = billing::render_invoice_pdf(inv);
  ASSERT_TRUE(pdf);
  auto text = pdftotext(*pdf);
  auto pages = std::count(text.begin(), text.end(), '\f');
  EXPECT_GE(pages, 3) << text.size();
  EXPECT_NE(text.find("Session 120 at"), std::string::npos);
  auto total = inv.total_incl_vat.to_fixed(2, core::Rounding::HalfUp) + " EUR";
  auto last_page = text.substr(text.rfind('\f', text.size() - 2));
  EXPECT_NE(last_page.find("Total incl. VAT"), std::string::npos) << last_page;
  EXPECT_NE(last_page.find(total), std::string::npos) << total;
}

TEST(InvoicePdf, text_is_drawn_in_winansi) {
  EXPECT_EQ(billing::to_winansi("abc"), "abc");
  EXPECT_EQ(billing::to_winansi("Müller"), "M\xFCller");
  EXPECT_EQ(billing::to_winansi("5 €"), "5 \x80");
  EXPECT_EQ(billing::to_winansi("東京"), "??");
  EXPECT_EQ(billing::to_winansi("bad \xC3"), "bad ?");
  EXPECT_EQ(billing::to_winansi("tab\there"), "tab here");
}
