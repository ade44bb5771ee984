//! TokenStore over SQLite.
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

std::optional<IdToken> SqliteRepository::id_token(std::string_view id) {
  auto s = db_.prepare("SELECT id, status, expires_at, parent_id FROM id_tokens WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return IdToken{s.text(0), parse_token_status(s.text(1)).value_or(TokenStatus::Invalid), ts(s.opt_int64(2)),
                 s.opt_text(3)};
}

void SqliteRepository::upsert_id_token(const IdToken &t) {
  auto s = db_.prepare(
      "INSERT INTO id_tokens (id, status, expires_at, parent_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO "
      "UPDATE SET status = excluded.status, expires_at = excluded.expires_at, parent_id = excluded.parent_id");
  s.bind(1, t.id).bind(2, to_string(t.status)).bind(3, ms(t.expires_at)).bind(4, t.parent_id);
  s.run();
}

std::vector<IdToken> SqliteRepository::id_tokens() {
  auto s = db_.prepare("SELECT id, status, expires_at, parent_id FROM id_tokens ORDER BY id");
  std::vector<IdToken> out;
  while (s.step())
    out.push_back(IdToken{s.text(0), parse_token_status(s.text(1)).value_or(TokenStatus::Invalid), ts(s.opt_int64(2)),
                          s.opt_text(3)});
  return out;
}

bool SqliteRepository::delete_id_token(std::string_view id) {
  auto s = db_.prepare("DELETE FROM id_tokens WHERE id = ?1");
  s.bind(1, id);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

} // namespace gridlane::store::sqlite
