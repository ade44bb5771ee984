// domain::BillingBatchStore over SQLite: the billing run's readers of a whole batch.
#include <algorithm>
#include <boost/json.hpp>

#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;

namespace {
//! The ids as a JSON array, read by json_each in one statement.
std::string id_set(const std::vector<std::int64_t> &ids) {
  return boost::json::serialize(boost::json::array(ids.begin(), ids.end()));
}
std::string id_set(const std::vector<StationId> &ids) {
  boost::json::array a;
  a.reserve(ids.size());
  for (const auto &id : ids)
    a.emplace_back(id.str());
  return boost::json::serialize(a);
}
} // namespace

std::map<std::int64_t, TariffSnapshot>
SqliteRepository::tariff_snapshots_of(const std::vector<std::int64_t> &transaction_ids) {
  std::map<std::int64_t, TariffSnapshot> out;
  if (transaction_ids.empty()) return out;
  auto s = db_.prepare("SELECT transaction_id, tariff_id, assignment_id, customer_group, tariff_json, resolved_at "
                       "FROM tariff_snapshots WHERE transaction_id IN (SELECT value FROM json_each(?1))");
  s.bind(1, id_set(transaction_ids));
  while (s.step())
    out.emplace(s.int64(0), TariffSnapshot{s.int64(0), s.text(1), s.opt_int64(2), s.opt_text(3), s.text(4),
                                           from_unix_ms(s.int64(5))});
  return out;
}

std::map<std::string, Station> SqliteRepository::stations_of(const std::vector<StationId> &ids) {
  static const std::string sql = select(station_columns, "FROM stations WHERE id IN (SELECT value FROM json_each(?1))");
  std::map<std::string, Station> out;
  if (ids.empty()) return out;
  auto s = db_.prepare(sql);
  s.bind(1, id_set(ids));
  while (s.step()) {
    auto st = read_station(s);
    auto key = st.id.str();
    out.emplace(std::move(key), std::move(st));
  }
  return out;
}

std::vector<StatusReport> SqliteRepository::statuses_of(const std::vector<StationId> &stations, Timestamp from,
                                                        Timestamp to) {
  static const std::string sql =
      select(status_columns, "FROM status_history WHERE station_id IN (SELECT value FROM json_each(?1)) "
                             "AND COALESCE(station_time, received_at) BETWEEN ?2 AND ?3 ORDER BY id");
  std::vector<StatusReport> out;
  if (stations.empty()) return out;
  auto s = db_.prepare(sql);
  s.bind(1, id_set(stations)).bind(2, core::to_unix_ms(from)).bind(3, core::to_unix_ms(to));
  while (s.step())
    out.push_back(read_status(s));
  return out;
}

std::int64_t SqliteRepository::swap_page_cache_kib(std::int64_t kib) {
  std::int64_t before = 0;
  {
    auto s = db_.prepare("PRAGMA cache_size");
    if (s.step()) before = s.int64(0);
  }
  if (before > 0) { // pages, not KiB
    auto s = db_.prepare("PRAGMA page_size");
    before = s.step() ? -(before * s.int64(0) / 1024) : -2000;
  }
  // PRAGMA takes no parameter: the number is ours, written as an integer.
  db_.exec("PRAGMA cache_size = " + std::to_string(-std::max<std::int64_t>(kib, 64)));
  return -before;
}

} // namespace gridlane::store::sqlite
