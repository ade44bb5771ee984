#pragma once
//! A small RAII layer over the SQLite C API: a connection, cached prepared statements,
//! positional binding of optionals. Errors throw SqliteError with SQLite's message.
#include <cstdint>
#include <optional>
#include <sqlite3.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gridlane::store::sqlite {

class SqliteError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class Statement {
public:
  Statement(sqlite3 *db, sqlite3_stmt *stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Statement &bind(int i, std::int64_t v);
  Statement &bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement &bind(int i, double v);
  Statement &bind(int i, std::string_view v);
  Statement &bind(int i, const std::string &v) { return bind(i, std::string_view{v}); }
  Statement &bind(int i, const char *v) { return bind(i, std::string_view{v}); }
  Statement &bind_null(int i);
  template <class T> Statement &bind(int i, const std::optional<T> &v) { return v ? bind(i, *v) : bind_null(i); }

  //! Steps once; true when a row is available.
  bool step();
  //! Steps to completion (for statements that return no rows).
  void run() {
    while (step()) {
    }
  }

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string text(int col) const {
    auto *p = reinterpret_cast<const char *>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string{};
  }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::optional<std::string> opt_text(int col) const { return is_null(col) ? std::nullopt : std::optional{text(col)}; }
  std::optional<std::int64_t> opt_int64(int col) const {
    return is_null(col) ? std::nullopt : std::optional{int64(col)};
  }
  std::optional<double> opt_real(int col) const { return is_null(col) ? std::nullopt : std::optional{real(col)}; }

private:
  void check(int rc, int index);
  sqlite3 *db_;
  sqlite3_stmt *stmt_;
};

class Database {
public:
  explicit Database(const std::string &path);
  Database(const Database &) = delete;
  Database &operator=(const Database &) = delete;
  ~Database();

  //! Runs one or more statements with no parameters (pragmas, migrations, BEGIN/COMMIT).
  void exec(std::string_view sql);
  //! A prepared statement, cached by its SQL text; the returned object resets it on destruction.
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3 *handle() const { return db_; }

private:
  sqlite3 *db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt *> cache_;
};

} // namespace gridlane::store::sqlite
