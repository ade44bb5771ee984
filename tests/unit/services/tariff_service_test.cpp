// Stored tariffs over a real SQLite file (migration 0011, store/sqlite/tariffs.cpp) through
// services::TariffService: create or replace, read back exactly, list with filters, delete.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/services/tariff_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

Timestamp at(const char *text) {
  return *core::parse_iso8601(text);
}

Tariff tariff(const std::string &id, const char *currency = "EUR", std::optional<TariffType> type = std::nullopt) {
  auto t = decode_tariff(R"({"country_code":"DE","party_id":"GRL","id":"X","currency":"EUR",
      "tariff_alt_text":[{"language":"en","text":"0.25 per kWh"}],
      "elements":[{"price_components":[{"type":"ENERGY","price":0.25,"vat":19,"step_size":1}],
                   "restrictions":{"start_time":"23:00","end_time":"07:00","day_of_week":["SATURDAY"]}}],
      "energy_mix":{"is_green_energy":true,"energy_sources":[{"source":"WIND","percentage":100}]},
      "last_updated":"2026-01-01T00:00:00Z"})")
               .value();
  t.id = id;
  t.currency = *core::Currency::parse(currency);
  t.type = type;
  return t;
}

class TariffServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-tariffs-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  const TariffService service{};
};

} // namespace

TEST_F(TariffServiceTest, put_creates_then_replaces_and_reads_back_exactly) {
  const auto t1 = at("2026-06-01T12:00:00Z"), t2 = at("2026-06-02T08:30:00.250Z");
  store->run([&](Repository &r) {
    auto created = service.put(r, tariff("T-1"), t1).value();
    EXPECT_TRUE(created.created);
    EXPECT_EQ(created.tariff.last_updated, t1) << "stamped with the time of the put";
    auto read = service.get(r, "T-1").value();
    EXPECT_EQ(read, created.tariff);

    auto changed = tariff("T-1", "CHF", TariffType::Regular);
    changed.elements[0].price_components[0].price = core::Decimal::parse("0.3125").value();
    auto replaced = service.put(r, changed, t2).value();
    EXPECT_FALSE(replaced.created);
    auto again = service.get(r, "T-1").value();
    EXPECT_EQ(again.currency.code(), "CHF");
    EXPECT_EQ(again.elements[0].price_components[0].price.units(), 312500);
    EXPECT_EQ(again.last_updated, t2);
    EXPECT_EQ(again, replaced.tariff);
  });
}

TEST_F(TariffServiceTest, refuses_an_invalid_tariff_and_writes_nothing) {
  store->run([&](Repository &r) {
    auto bad = tariff("T-BAD");
    bad.elements[0].price_components[0].step_size = 0;
    auto refused = service.put(r, bad, at("2026-06-01T12:00:00Z"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "elements[0].price_components[0].step_size");
    EXPECT_EQ(service.get(r, "T-BAD").error().code, ServiceError::Code::NotFound);
  });
}

TEST_F(TariffServiceTest, lists_by_id_with_filters_and_totals) {
  store->run([&](Repository &r) {
    service.put(r, tariff("C", "EUR", TariffType::Regular), at("2026-06-03T00:00:00Z")).value();
    service.put(r, tariff("A", "CHF"), at("2026-06-01T00:00:00Z")).value();
    service.put(r, tariff("B", "EUR", TariffType::AdHocPayment), at("2026-06-02T00:00:00Z")).value();
  });
  auto ids = [&](auto edit) {
    TariffFilter f;
    edit(f);
    std::vector<std::string> out;
    Paged<Tariff> page;
    store->run([&](Repository &r) { page = service.list(r, f); });
    for (const auto &t : page.items)
      out.push_back(t.id);
    out.push_back("total=" + std::to_string(page.total));
    return out;
  };
  EXPECT_EQ(ids([](TariffFilter &) {}), (std::vector<std::string>{"A", "B", "C", "total=3"}));
  EXPECT_EQ(ids([](TariffFilter &f) { f.currency = "EUR"; }), (std::vector<std::string>{"B", "C", "total=2"}));
  EXPECT_EQ(ids([](TariffFilter &f) { f.type = TariffType::Regular; }), (std::vector<std::string>{"C", "total=1"}));
  EXPECT_EQ(ids([](TariffFilter &f) { f.updated_from = at("2026-06-02T00:00:00Z"); }),
            (std::vector<std::string>{"B", "C", "total=2"}));
  EXPECT_EQ(ids([](TariffFilter &f) { f.updated_to = at("2026-06-02T00:00:00Z"); }),
            (std::vector<std::string>{"A", "total=1"}));
  EXPECT_EQ(ids([](TariffFilter &f) { f.limit = 1, f.offset = 1; }), (std::vector<std::string>{"B", "total=3"}));
  EXPECT_EQ(ids([](TariffFilter &f) { f.limit = 10, f.offset = 5; }), (std::vector<std::string>{"total=3"}));
}

TEST_F(TariffServiceTest, stores_the_ocpi_json_with_its_indexed_columns_and_deletes) {
  store->run([&](Repository &r) {
    service.put(r, tariff("T-1", "EUR", TariffType::ProfileGreen), at("2026-06-01T12:00:00Z")).value();
  });
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "t.db").string().c_str(), &db), SQLITE_OK);
  sqlite3_stmt *s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT currency, type, last_updated, body FROM tariffs WHERE id = 'T-1'", -1, &s,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)), "EUR");
  EXPECT_STREQ(reinterpret_cast<const char *>(sqlite3_column_text(s, 1)), "PROFILE_GREEN");
  EXPECT_EQ(sqlite3_column_int64(s, 2), core::to_unix_ms(at("2026-06-01T12:00:00Z")));
  const std::string body = reinterpret_cast<const char *>(sqlite3_column_text(s, 3));
  auto expected = tariff("T-1", "EUR", TariffType::ProfileGreen);
  expected.last_updated = at("2026-06-01T12:00:00Z");
  EXPECT_EQ(body, encode_tariff(expected)) << "the OCPI JSON as the codec writes it";
  sqlite3_finalize(s);
  sqlite3_close(db);

  store->run([&](Repository &r) {
    EXPECT_TRUE(service.remove(r, "T-1"));
    EXPECT_EQ(service.remove(r, "T-1").error().code, ServiceError::Code::NotFound);
    EXPECT_EQ(service.get(r, "T-1").error().code, ServiceError::Code::NotFound);
  });
}
