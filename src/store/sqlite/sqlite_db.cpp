#include "sqlite/sqlite_db.hpp"

namespace gridlane::store::sqlite {

void Statement::check(int rc, int index) {
  if (rc != SQLITE_OK) throw SqliteError("sqlite bind " + std::to_string(index) + ": " + sqlite3_errmsg(db_));
}

Statement &Statement::bind(int i, std::int64_t v) {
  check(sqlite3_bind_int64(stmt_, i, v), i);
  return *this;
}
Statement &Statement::bind(int i, double v) {
  check(sqlite3_bind_double(stmt_, i, v), i);
  return *this;
}
Statement &Statement::bind(int i, std::string_view v) {
  check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT), i);
  return *this;
}
Statement &Statement::bind_null(int i) {
  check(sqlite3_bind_null(stmt_, i), i);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw SqliteError(std::string("sqlite: ") + sqlite3_errmsg(db_) + " (" + sqlite3_sql(stmt_) + ")");
}

Database::Database(const std::string &path) {
  int rc =
      sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw SqliteError("cannot open database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  for (auto &[sql, stmt] : cache_)
    sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  std::string text{sql};
  char *err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw SqliteError("sqlite: " + msg);
  }
}

Statement Database::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK)
      throw SqliteError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_) + " in: " + std::string(sql));
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Statement{db_, it->second};
}

} // namespace gridlane::store::sqlite
