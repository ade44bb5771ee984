// Invoices in SQLite (store/sqlite/invoices.cpp, migration 0015): the gap-free sequence per
// issuer, a round trip of every field, immutability, and the lines of a revenue report.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gridlane/billing/invoice.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using core::Decimal;

namespace {

class InvoiceStoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-invoices-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }

  Invoice invoice(const std::string &account, std::int64_t sequence) {
    billing::InvoiceDraft dr;
    dr.issuer = "GL";
    dr.account_id = account;
    dr.account_name = "Account " + account;
    dr.currency = *core::Currency::parse("SEK");
    dr.period_from = *core::parse_iso8601("2026-11-01T00:00:00Z");
    dr.period_to = *core::parse_iso8601("2026-12-01T00:00:00Z");
    dr.issued_at = *core::parse_iso8601("2026-12-01T01:02:03Z");
    InvoiceItem s;
    s.description = "Session";
    s.reference = "CDR-1";
    s.location_id = "LOC-1";
    s.at = *core::parse_iso8601("2026-11-03T10:00:00Z");
    s.energy_kwh = *Decimal::parse("12.345");
    s.vat_rate = *Decimal::parse("25");
    s.amount_excl_vat = *Decimal::parse("37.0355");
    InvoiceItem fee;
    fee.kind = InvoiceLineKind::PlanFee;
    fee.description = "Plan";
    fee.amount_excl_vat = *Decimal::parse("49");
    dr.items = {s, fee};
    auto inv = *billing::build_invoice(dr);
    inv.sequence = sequence;
    inv.number = billing::invoice_number("GL", sequence);
    return inv;
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

} // namespace

TEST_F(InvoiceStoreTest, numbers_follow_each_other_per_issuer) {
  std::vector<std::int64_t> gl, other;
  store->run([&](Repository &r) {
    for (int i = 0; i < 3; ++i)
      gl.push_back(r.next_invoice_sequence("GL"));
    other.push_back(r.next_invoice_sequence("GL-SE"));
  });
  store->run([&](Repository &r) { gl.push_back(r.next_invoice_sequence("GL")); });
  EXPECT_EQ(gl, (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(other, (std::vector<std::int64_t>{1}));
}

TEST_F(InvoiceStoreTest, a_failed_unit_of_work_leaves_no_gap) {
  store->run([&](Repository &r) { r.insert_invoice(invoice("A", r.next_invoice_sequence("GL"))); });
  // The second run takes number 2, then fails before it commits (here: the same period again).
  EXPECT_ANY_THROW(store->run([&](Repository &r) {
    auto n = r.next_invoice_sequence("GL");
    EXPECT_EQ(n, 2);
    r.insert_invoice(invoice("A", n));
  }));
  std::int64_t next = 0;
  store->run([&](Repository &r) {
    next = r.next_invoice_sequence("GL");
    r.insert_invoice(invoice("B", next));
  });
  EXPECT_EQ(next, 2);
  store->run([&](Repository &r) {
    EXPECT_EQ(r.count_invoices({}), 2);
    EXPECT_TRUE(r.invoice_by_number("GL-000002"));
    EXPECT_EQ(r.invoice_by_number("GL-000002")->account_id, "B");
  });
}

TEST_F(InvoiceStoreTest, an_invoice_reads_back_as_it_was_written) {
  auto written = invoice("A", 1);
  store->run([&](Repository &r) { written.id = r.insert_invoice(written); });
  std::optional<Invoice> read;
  store->run([&](Repository &r) { read = r.invoice(written.id); });
  ASSERT_TRUE(read);
  EXPECT_EQ(read->number, "GL-000001");
  EXPECT_EQ(read->currency.code(), "SEK");
  EXPECT_EQ(read->issued_at, written.issued_at);
  EXPECT_EQ(read->period_to, written.period_to);
  EXPECT_EQ(read->lines, written.lines);
  EXPECT_EQ(read->vat, written.vat);
  EXPECT_EQ(read->total_incl_vat, written.total_incl_vat);
  EXPECT_EQ(read->total_incl_vat, *Decimal::parse("95.29")); // 37.0355 * 1.25 = 46.294375 -> 46.29, + 49
  store->run([&](Repository &r) {
    EXPECT_EQ(r.invoice_of_period("A", written.period_from, written.period_to), written.id);
    EXPECT_FALSE(r.invoice_of_period("B", written.period_from, written.period_to));
    EXPECT_FALSE(r.invoice(written.id + 1));
  });
}

TEST_F(InvoiceStoreTest, issued_invoices_are_never_edited_nor_deleted) {
  store->run([&](Repository &r) { r.insert_invoice(invoice("A", 1)); });
  store.reset();
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "t.db").string().c_str(), &db), SQLITE_OK);
  for (const char *sql :
       {"UPDATE invoices SET total_incl_vat = 0", "DELETE FROM invoices", "UPDATE invoice_lines SET excl_vat = 0",
        "DELETE FROM invoice_lines", "UPDATE invoice_vat SET vat = 0", "DELETE FROM invoice_vat"}) {
    char *err = nullptr;
    EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << sql;
    if (err) {
      EXPECT_NE(std::string(err).find("an issued invoice is never"), std::string::npos) << err;
      sqlite3_free(err);
    }
  }
  sqlite3_close(db);
}

TEST_F(InvoiceStoreTest, lists_filter_and_revenue_lines_by_time) {
  store->run([&](Repository &r) {
    r.insert_invoice(invoice("A", 1));
    r.insert_invoice(invoice("B", 2));
  });
  store->run([&](Repository &r) {
    InvoiceFilter f;
    EXPECT_EQ(r.invoices(f).size(), 2u);
    EXPECT_EQ(r.invoices(f)[0].number, "GL-000002"); // newest first
    f.account_id = "A";
    ASSERT_EQ(r.invoices(f).size(), 1u);
    EXPECT_EQ(r.invoices(f)[0].lines.size(), 2u);
    EXPECT_EQ(r.count_invoices(f), 1);
    f = {};
    f.limit = 1;
    f.offset = 1;
    EXPECT_EQ(r.invoices(f)[0].number, "GL-000001");
    // The session line is at 2026-11-03T10:00, the plan fee at its invoice's period start.
    auto lines =
        r.invoiced_lines(*core::parse_iso8601("2026-11-02T00:00:00Z"), *core::parse_iso8601("2026-11-04T00:00:00Z"));
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].line.item.kind, InvoiceLineKind::Session);
    EXPECT_EQ(lines[0].currency.code(), "SEK");
    EXPECT_EQ(
        r.invoiced_lines(*core::parse_iso8601("2026-11-01T00:00:00Z"), *core::parse_iso8601("2026-11-02T00:00:00Z"))
            .size(),
        2u);
  });
}
