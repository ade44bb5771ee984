// The CDR store over a real SQLite file: a CDR reads back as stored, one per session and one
// credit per CDR, lists filter and page in SQL, and the database itself refuses to edit or
// delete a CDR (migration 0013's triggers), whoever asks.
#include <filesystem>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/sample_cdr.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using gridlane::test::dec;
using gridlane::test::sample_cdr;

namespace {

class CdrRows : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-cdrs-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  bool insert(const Cdr &c) {
    bool ok = false;
    store->run([&](Repository &r) { ok = r.insert_cdr(c); });
    return ok;
  }
  //! Runs SQL on a second connection, as any other program could; the error text or "".
  std::string raw(const std::string &sql) {
    sqlite3 *db = nullptr;
    EXPECT_EQ(sqlite3_open((dir / "t.db").string().c_str(), &db), SQLITE_OK);
    char *err = nullptr;
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string out = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return out;
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(CdrRows, a_cdr_reads_back_as_stored) {
  auto c = sample_cdr(7);
  ASSERT_TRUE(insert(c));
  store->run([&](Repository &r) {
    EXPECT_EQ(r.cdr("CDR-7"), c);
    EXPECT_EQ(r.cdr_of_transaction(7), c);
    EXPECT_FALSE(r.cdr("CDR-8"));
  });
}

TEST_F(CdrRows, one_cdr_per_session_and_one_credit_per_cdr) {
  ASSERT_TRUE(insert(sample_cdr(7)));
  auto again = sample_cdr(7);
  again.id = "CDR-7-bis";
  EXPECT_FALSE(insert(again)) << "a second CDR for session 7";
  auto credit = sample_cdr(7);
  credit.id = "CDR-7-C";
  credit.credit = true;
  credit.credit_reference_id = "CDR-7";
  EXPECT_TRUE(insert(credit));
  auto second_credit = credit;
  second_credit.id = "CDR-7-C2";
  EXPECT_FALSE(insert(second_credit));
  store->run([&](Repository &r) {
    EXPECT_EQ(r.cdr_of_transaction(7)->id, "CDR-7");
    EXPECT_EQ(r.credit_of("CDR-7")->id, "CDR-7-C");
  });
}

TEST_F(CdrRows, the_database_refuses_to_edit_or_delete_a_cdr) {
  ASSERT_TRUE(insert(sample_cdr(7)));
  EXPECT_NE(raw("UPDATE cdrs SET total_excl_vat = 0 WHERE id = 'CDR-7'").find("never edited"), std::string::npos);
  EXPECT_NE(raw("UPDATE cdrs SET body = '{}' WHERE id = 'CDR-7'").find("never edited"), std::string::npos);
  EXPECT_NE(raw("DELETE FROM cdrs WHERE id = 'CDR-7'").find("never deleted"), std::string::npos);
  store->run([&](Repository &r) { EXPECT_EQ(r.cdr("CDR-7"), sample_cdr(7)); });
}

TEST_F(CdrRows, the_invoice_reference_is_set_once) {
  ASSERT_TRUE(insert(sample_cdr(7)));
  store->run([&](Repository &r) {
    EXPECT_TRUE(r.set_cdr_invoice_reference("CDR-7", "INV-1"));
    EXPECT_FALSE(r.set_cdr_invoice_reference("CDR-7", "INV-2"));
    EXPECT_FALSE(r.set_cdr_invoice_reference("CDR-9", "INV-2"));
    EXPECT_EQ(r.cdr("CDR-7")->invoice_reference_id, "INV-1");
  });
  EXPECT_NE(raw("UPDATE cdrs SET invoice_reference_id = 'INV-3' WHERE id = 'CDR-7'").find("set once"),
            std::string::npos);
}

TEST_F(CdrRows, lists_filter_and_page_in_the_database) {
  for (int i = 1; i <= 5; ++i) {
    auto c = sample_cdr(i);
    c.end_date_time += std::chrono::hours(i);
    if (i % 2 == 0) c.cdr_location.id = "LOC2";
    if (i == 5) c.currency = core::Currency::parse("CHF").value();
    ASSERT_TRUE(insert(c));
  }
  store->run([&](Repository &r) {
    auto all = r.list_cdrs({}, {2, 0});
    EXPECT_EQ(all.total, 5);
    ASSERT_EQ(all.items.size(), 2U);
    EXPECT_EQ(all.items[0].id, "CDR-1");
    EXPECT_EQ(r.list_cdrs({}, {2, 4}).items.at(0).id, "CDR-5");
    CdrFilter at_loc2;
    at_loc2.location = "LOC2";
    EXPECT_EQ(r.list_cdrs(at_loc2, {}).total, 2);
    CdrFilter chf;
    chf.currency = "CHF";
    EXPECT_EQ(r.list_cdrs(chf, {}).items.at(0).id, "CDR-5");
    CdrFilter window;
    window.from = sample_cdr(2).end_date_time + std::chrono::hours(2);
    window.to = sample_cdr(4).end_date_time + std::chrono::hours(4);
    auto in_window = r.list_cdrs(window, {});
    ASSERT_EQ(in_window.total, 2) << "from is inclusive, to exclusive";
    EXPECT_EQ(in_window.items[0].id, "CDR-2");
    CdrFilter other_token;
    other_token.token = "TAG-2";
    EXPECT_EQ(r.list_cdrs(other_token, {}).total, 0);
  });
}

} // namespace

namespace {
//! sample_cdr with the tariff it was priced with (the billing run's CDRs always carry one).
Cdr tariffed_cdr(std::int64_t transaction_id, const char *tariff_id = "DAY") {
  auto t = decode_tariff(std::string(R"({"country_code":"NL","party_id":"GRL","id":")") + tariff_id +
                         R"(","currency":"EUR","elements":[{"price_components":[{"type":"ENERGY","price":0.35,)"
                         R"("vat":21,"step_size":1}],"restrictions":{"start_time":"07:00","end_time":"23:00"}}],)"
                         R"("last_updated":"2026-01-01T00:00:00Z"})");
  EXPECT_TRUE(t) << t.error().message;
  auto c = sample_cdr(transaction_id);
  c.tariffs = {*t};
  return c;
}
} // namespace

// Migration 0019: a CDR's tariffs array is kept once per distinct array and put back when the
// row is read; a row stored before it (the array in the body) reads as it always did.
TEST_F(CdrRows, each_tariffs_array_is_stored_once_and_put_back_on_reading) {
  ASSERT_TRUE(insert(tariffed_cdr(7)));
  ASSERT_TRUE(insert(tariffed_cdr(8)));
  auto other = tariffed_cdr(9, "OTHER");
  ASSERT_TRUE(insert(other));
  store->run([&](Repository &r) {
    EXPECT_EQ(r.cdr("CDR-7"), tariffed_cdr(7));
    EXPECT_EQ(r.cdr("CDR-8"), tariffed_cdr(8));
    EXPECT_EQ(r.cdr("CDR-9"), other);
    EXPECT_EQ(encode_cdr(*r.cdr("CDR-7")), encode_cdr(tariffed_cdr(7)));
    auto page = r.list_cdrs({}, {10, 0});
    ASSERT_EQ(page.items.size(), 3u);
    for (const auto &listed : page.items)
      EXPECT_EQ(listed, listed.id == "CDR-9" ? other : tariffed_cdr(*listed.transaction_id));
  });
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "t.db").string().c_str(), &db), SQLITE_OK);
  auto count = [db](const char *sql) {
    sqlite3_stmt *s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK);
    std::int64_t n = -1;
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
  };
  EXPECT_EQ(count("SELECT COUNT(*) FROM cdr_tariffs"), 2);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT tariffs_id) FROM cdrs"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM cdrs WHERE instr(body, '\"tariffs\"') > 0"), 0);
  sqlite3_close(db);
}

TEST_F(CdrRows, a_cdr_stored_before_0019_with_its_tariffs_in_its_body_reads_as_before) {
  auto c = tariffed_cdr(7);
  std::string body = encode_cdr(c), quoted;
  for (char ch : body)
    quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
  ASSERT_EQ(raw("INSERT INTO cdrs (id, transaction_id, station_id, location_id, token_uid, currency, start_at, end_at, "
                "total_excl_vat, total_energy, last_updated, body) VALUES ('CDR-7', 7, '" +
                c.station.str() + "', 'L', 'T', 'EUR', 0, 0, 0, 0, 0, '" + quoted + "')"),
            "");
  store->run([&](Repository &r) {
    EXPECT_EQ(r.cdr("CDR-7"), c);
    EXPECT_EQ(encode_cdr(*r.cdr("CDR-7")), body);
  });
}

TEST_F(CdrRows, the_database_refuses_to_change_a_cdrs_tariffs) {
  ASSERT_TRUE(insert(tariffed_cdr(7)));
  EXPECT_NE(raw("UPDATE cdrs SET tariffs_id = NULL WHERE id = 'CDR-7'").find("never edited"), std::string::npos);
  EXPECT_NE(raw("UPDATE cdr_tariffs SET body = '[]'").find("never edited"), std::string::npos);
  EXPECT_NE(raw("DELETE FROM cdr_tariffs").find("never deleted"), std::string::npos);
  store->run([&](Repository &r) { EXPECT_EQ(r.cdr("CDR-7"), tariffed_cdr(7)); });
}
