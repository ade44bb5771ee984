//! OperatorStore over SQLite: users, sessions, API keys, the audit log.
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view user_columns = "id, username, password_hash, role, created_at, disabled";
User read_user(const Statement &s) {
  return User{
      s.int64(0),     s.text(1), s.text(2), parse_role(s.text(3)).value_or(Role::Viewer), from_unix_ms(s.int64(4)),
      s.int64(5) != 0};
}
constexpr std::string_view api_key_columns = "id, name, key_hash, role, created_by, created_at, revoked_at";
ApiKey read_api_key(const Statement &s) {
  return ApiKey{s.int64(0),        s.text(1),
                s.text(2),         parse_role(s.text(3)).value_or(Role::Viewer),
                s.text(4),         from_unix_ms(s.int64(5)),
                ts(s.opt_int64(6))};
}

} // namespace

std::optional<User> SqliteRepository::user_by_name(std::string_view username) {
  static const std::string sql = select(user_columns, "FROM users WHERE username = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, username);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::optional<User> SqliteRepository::user_by_id(std::int64_t id) {
  static const std::string sql = select(user_columns, "FROM users WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::int64_t SqliteRepository::insert_user(const User &u) {
  auto s = db_.prepare(
      "INSERT INTO users (username, password_hash, role, created_at, disabled) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, u.username)
      .bind(2, u.password_hash)
      .bind(3, to_string(u.role))
      .bind(4, to_unix_ms(u.created_at))
      .bind(5, u.disabled ? 1 : 0);
  s.run();
  return db_.last_insert_rowid();
}

std::vector<User> SqliteRepository::users() {
  static const std::string sql = select(user_columns, "FROM users ORDER BY username");
  auto s = db_.prepare(sql);
  std::vector<User> out;
  while (s.step())
    out.push_back(read_user(s));
  return out;
}

void SqliteRepository::insert_session(std::string_view token_hash, std::int64_t user_id, Timestamp created,
                                      Timestamp expires) {
  auto s = db_.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, token_hash).bind(2, user_id).bind(3, to_unix_ms(created)).bind(4, to_unix_ms(expires));
  s.run();
}

std::optional<User> SqliteRepository::session_user(std::string_view token_hash, Timestamp now) {
  static const std::string sql =
      "SELECT u.id, u.username, u.password_hash, u.role, u.created_at, u.disabled FROM sessions s "
      "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0";
  auto s = db_.prepare(sql);
  s.bind(1, token_hash).bind(2, to_unix_ms(now));
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

void SqliteRepository::delete_session(std::string_view token_hash) {
  auto s = db_.prepare("DELETE FROM sessions WHERE token_hash = ?1");
  s.bind(1, token_hash);
  s.run();
}

std::int64_t SqliteRepository::insert_api_key(const ApiKey &k) {
  auto s =
      db_.prepare("INSERT INTO api_keys (name, key_hash, role, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, k.name)
      .bind(2, k.key_hash)
      .bind(3, to_string(k.role))
      .bind(4, k.created_by)
      .bind(5, to_unix_ms(k.created_at));
  s.run();
  return db_.last_insert_rowid();
}

std::optional<ApiKey> SqliteRepository::api_key_by_hash(std::string_view key_hash) {
  static const std::string sql = select(api_key_columns, "FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL");
  auto s = db_.prepare(sql);
  s.bind(1, key_hash);
  if (!s.step()) return std::nullopt;
  return read_api_key(s);
}

std::vector<ApiKey> SqliteRepository::api_keys() {
  static const std::string sql = select(api_key_columns, "FROM api_keys ORDER BY id");
  auto s = db_.prepare(sql);
  std::vector<ApiKey> out;
  while (s.step())
    out.push_back(read_api_key(s));
  return out;
}

bool SqliteRepository::revoke_api_key(std::int64_t id, Timestamp at) {
  auto s = db_.prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  s.bind(1, id).bind(2, to_unix_ms(at));
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

void SqliteRepository::insert_audit(const AuditEntry &e) {
  auto s = db_.prepare(
      "INSERT INTO audit_log (at, actor, action, target, detail, remote, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  s.bind(1, to_unix_ms(e.at))
      .bind(2, e.actor)
      .bind(3, e.action)
      .bind(4, e.target)
      .bind(5, e.detail)
      .bind(6, e.remote)
      .bind(7, e.status);
  s.run();
}

std::vector<AuditEntry> SqliteRepository::audit(std::size_t limit, std::size_t offset) {
  auto s = db_.prepare("SELECT id, at, actor, action, target, detail, remote, status FROM audit_log ORDER BY id DESC "
                       "LIMIT ?1 OFFSET ?2");
  s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
  std::vector<AuditEntry> out;
  while (s.step())
    out.push_back(AuditEntry{s.int64(0), from_unix_ms(s.int64(1)), s.text(2), s.text(3), s.opt_text(4), s.opt_text(5),
                             s.opt_text(6), static_cast<int>(s.int64(7))});
  return out;
}

std::vector<User> SqliteRepository::users(std::size_t limit, std::size_t offset) {
  static const std::string sql = select(user_columns, "FROM users ORDER BY username LIMIT ?1 OFFSET ?2");
  auto s = db_.prepare(sql);
  s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
  std::vector<User> out;
  while (s.step())
    out.push_back(read_user(s));
  return out;
}

std::vector<ApiKey> SqliteRepository::api_keys(std::size_t limit, std::size_t offset) {
  static const std::string sql = select(api_key_columns, "FROM api_keys ORDER BY id LIMIT ?1 OFFSET ?2");
  auto s = db_.prepare(sql);
  s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
  std::vector<ApiKey> out;
  while (s.step())
    out.push_back(read_api_key(s));
  return out;
}

} // namespace gridlane::store::sqlite
