#pragma once
//! Helpers shared by the SQLite row codecs (one .cpp per aggregate): timestamps as integer
//! milliseconds since the Unix epoch, and SELECT statements built from a column list.
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/model.hpp"
#include "sqlite/sqlite_db.hpp"

namespace gridlane::store::sqlite {

inline std::optional<std::int64_t> ms(const std::optional<domain::Timestamp> &t) {
  return t ? std::optional{core::to_unix_ms(*t)} : std::nullopt;
}
inline std::optional<domain::Timestamp> ts(const std::optional<std::int64_t> &v) {
  return v ? std::optional{core::from_unix_ms(*v)} : std::nullopt;
}

//! "SELECT <columns> <rest>": the column list is a constant shared with the row reader.
inline std::string select(std::string_view columns, std::string_view rest) {
  std::string sql = "SELECT ";
  sql += columns;
  sql += ' ';
  sql += rest;
  return sql;
}

// Row codecs shared across the per-aggregate files (lists.cpp reads stations, statuses, events
// and samples): each column list is in the order its reader reads.
extern const std::string_view station_columns; // stations.cpp
domain::Station read_station(const Statement &s);
extern const std::string_view status_columns; // stations.cpp
domain::StatusReport read_status(const Statement &s);
extern const std::string_view event_columns; // transactions.cpp, of transaction_events
domain::TransactionEventRecord read_event(const Statement &s);
//! 10 columns over `meter_readings r, json_each(r.samples) j` (transactions.cpp).
extern const std::string_view sample_columns;
domain::MeterSample read_sample(const Statement &s);

} // namespace gridlane::store::sqlite
