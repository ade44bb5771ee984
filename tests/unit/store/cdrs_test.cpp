// The CDR store over a real SQLite file: a CDR reads back as stored, one per session and one
// credit per CDR, lists filter and page in SQL, and the database itself refuses to edit or
// delete a CDR (migration 0013's triggers), whoever asks.
#include <filesystem>
#include <gtest/gtest.h>
#include <sqlite3.h>

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
