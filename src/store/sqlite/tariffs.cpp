// domain::TariffStore over SQLite (migration 0011): the OCPI JSON of each tariff in `body`, as the
// codec writes it, and the columns a list filters on.
#include <stdexcept>

#include "gridlane/domain/tariff_codec.hpp"
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

Tariff read_tariff(const Statement &s, int col) {
  // The body was written by the codec from a valid tariff; one that no longer reads is a broken
  // database, not a user's mistake.
  auto t = decode_tariff(s.text(col));
  if (!t) throw std::runtime_error("stored tariff does not read back: " + t.error().message);
  return *t;
}

constexpr const char *filter_sql = "WHERE (?1 IS NULL OR currency = ?1) AND (?2 IS NULL OR type = ?2) "
                                   "AND (?3 IS NULL OR last_updated >= ?3) AND (?4 IS NULL OR last_updated < ?4) ";

void bind_filter(Statement &s, const TariffFilter &f) {
  s.bind(1, f.currency)
      .bind(2, f.type ? std::optional<std::string>{std::string(to_string(*f.type))} : std::nullopt)
      .bind(3, ms(f.updated_from))
      .bind(4, ms(f.updated_to));
}

} // namespace

std::optional<Tariff> SqliteRepository::tariff(std::string_view id) {
  auto s = db_.prepare("SELECT body FROM tariffs WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_tariff(s, 0);
}

std::vector<Tariff> SqliteRepository::tariffs(const TariffFilter &f) {
  auto s = db_.prepare(std::string("SELECT body FROM tariffs ") + filter_sql + "ORDER BY id LIMIT ?5 OFFSET ?6");
  bind_filter(s, f);
  s.bind(5, static_cast<std::int64_t>(f.limit)).bind(6, static_cast<std::int64_t>(f.offset));
  std::vector<Tariff> out;
  while (s.step())
    out.push_back(read_tariff(s, 0));
  return out;
}

std::int64_t SqliteRepository::count_tariffs(const TariffFilter &f) {
  auto s = db_.prepare(std::string("SELECT COUNT(*) FROM tariffs ") + filter_sql);
  bind_filter(s, f);
  s.step();
  return s.int64(0);
}

bool SqliteRepository::put_tariff(const Tariff &t, core::Timestamp now) {
  bool existed = false;
  {
    auto q = db_.prepare("SELECT 1 FROM tariffs WHERE id = ?1");
    q.bind(1, t.id);
    existed = q.step();
  }
  auto s = db_.prepare(
      "INSERT INTO tariffs (id, country_code, party_id, currency, type, start_date_time, end_date_time, last_updated, "
      "body, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) "
      "ON CONFLICT (id) DO UPDATE SET country_code = ?2, party_id = ?3, currency = ?4, type = ?5, "
      "start_date_time = ?6, end_date_time = ?7, last_updated = ?8, body = ?9, updated_at = ?10");
  s.bind(1, t.id)
      .bind(2, t.country_code)
      .bind(3, t.party_id)
      .bind(4, t.currency.code())
      .bind(5, t.type ? std::optional<std::string>{std::string(to_string(*t.type))} : std::nullopt)
      .bind(6, ms(t.start_date_time))
      .bind(7, ms(t.end_date_time))
      .bind(8, core::to_unix_ms(t.last_updated))
      .bind(9, encode_tariff(t))
      .bind(10, core::to_unix_ms(now));
  s.run();
  return !existed;
}

bool SqliteRepository::delete_tariff(std::string_view id) {
  auto s = db_.prepare("DELETE FROM tariffs WHERE id = ?1");
  s.bind(1, id);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

} // namespace gridlane::store::sqlite
