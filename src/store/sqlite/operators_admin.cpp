//! OperatorStore over SQLite, the console's admin area: a user's role and disabling, and the
//! audit log filtered and paged in the query.
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

// ?1 actor, ?2 a part of the action, ?3 target, ?4 failed (1: status >= 400, 0: below),
// ?5 from (unix ms, inclusive), ?6 to (exclusive).
constexpr std::string_view audit_where = "WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR instr(action, ?2) > 0) "
                                         "AND (?3 IS NULL OR target = ?3) "
                                         "AND (?4 IS NULL OR (status >= 400) = ?4) "
                                         "AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at < ?6) ";

void bind_audit(Statement &s, const AuditFilter &f) {
  s.bind(1, f.actor).bind(2, f.action).bind(3, f.target);
  s.bind(4, f.failed ? std::optional<std::int64_t>{*f.failed ? 1 : 0} : std::nullopt);
  s.bind(5, f.from ? std::optional{to_unix_ms(*f.from)} : std::nullopt);
  s.bind(6, f.to ? std::optional{to_unix_ms(*f.to)} : std::nullopt);
}

} // namespace

bool SqliteRepository::update_user(std::int64_t id, Role role, bool disabled) {
  auto s = db_.prepare("UPDATE users SET role = ?2, disabled = ?3 WHERE id = ?1");
  s.bind(1, id).bind(2, to_string(role)).bind(3, disabled ? 1 : 0);
  s.run();
  if (sqlite3_changes(db_.handle()) == 0) return false;
  if (disabled) {
    // A disabled user's tokens end now, also when the user is enabled again later.
    auto d = db_.prepare("DELETE FROM sessions WHERE user_id = ?1");
    d.bind(1, id);
    d.run();
  }
  return true;
}

std::int64_t SqliteRepository::count_active_admins() {
  auto s = db_.prepare("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0");
  return s.step() ? s.int64(0) : 0;
}

std::vector<AuditEntry> SqliteRepository::audit(const AuditFilter &f, std::size_t limit, std::size_t offset) {
  static const std::string sql = "SELECT id, at, actor, action, target, detail, remote, status FROM audit_log " +
                                 std::string(audit_where) + "ORDER BY id DESC LIMIT ?7 OFFSET ?8";
  auto s = db_.prepare(sql);
  bind_audit(s, f);
  s.bind(7, static_cast<std::int64_t>(limit)).bind(8, static_cast<std::int64_t>(offset));
  std::vector<AuditEntry> out;
  while (s.step())
    out.push_back(AuditEntry{s.int64(0), from_unix_ms(s.int64(1)), s.text(2), s.text(3), s.opt_text(4), s.opt_text(5),
                             s.opt_text(6), static_cast<int>(s.int64(7))});
  return out;
}

std::int64_t SqliteRepository::count_audit(const AuditFilter &f) {
  static const std::string sql = "SELECT COUNT(*) FROM audit_log " + std::string(audit_where);
  auto s = db_.prepare(sql);
  bind_audit(s, f);
  return s.step() ? s.int64(0) : 0;
}

} // namespace gridlane::store::sqlite
