#pragma once
//! Helpers shared by the SQLite row codecs (one .cpp per aggregate): timestamps as integer
//! milliseconds since the Unix epoch, and SELECT statements built from a column list.
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/model.hpp"

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

} // namespace gridlane::store::sqlite
