//! CommandStore over SQLite.
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

#include "gridlane/domain/command_codec.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view command_columns = "id, station_id, kind, params, status, action, response, error, "
                                             "transaction_id, created_by, created_at, finished_at";
CommandRecord read_command(const Statement &s) {
  CommandRecord c;
  c.id = s.int64(0);
  c.station = StationId::unchecked(s.text(1));
  c.status = parse_command_status(s.text(4)).value_or(CommandStatus::Failed);
  c.action = s.opt_text(5);
  c.response = s.opt_text(6);
  c.error = s.opt_text(7);
  // The params column in the API's shape, through the one command codec (domain/command_codec.hpp).
  if (auto command = decode_command(s.text(2), s.text(3))) {
    c.command = std::move(*command);
  } else { // a row of an earlier release that today's codec refuses: its kind, and why
    c.command = blank_command(s.text(2)).value_or(commands::ClearCache{});
    c.error = c.error.value_or("") + (c.error ? "; " : "") + "stored parameters unreadable: " + command.error().message;
  }
  c.transaction_id = s.opt_int64(8);
  c.created_by = s.text(9);
  c.created_at = from_unix_ms(s.int64(10));
  c.finished_at = ts(s.opt_int64(11));
  return c;
}

} // namespace

std::int64_t SqliteRepository::insert_command(const CommandRecord &c) {
  auto s = db_.prepare("INSERT INTO commands (station_id, kind, params, status, created_by, created_at) VALUES (?1, "
                       "?2, ?3, ?4, ?5, ?6)");
  s.bind(1, c.station.str())
      .bind(2, std::string(kind_of(c.command)))
      .bind(3, encode_params(c.command))
      .bind(4, to_string(c.status))
      .bind(5, c.created_by)
      .bind(6, to_unix_ms(c.created_at));
  s.run();
  return db_.last_insert_rowid();
}

void SqliteRepository::update_command(const CommandRecord &c) {
  auto s = db_.prepare("UPDATE commands SET status = ?2, action = ?3, response = ?4, error = ?5, transaction_id = ?6, "
                       "finished_at = ?7 WHERE id = ?1");
  s.bind(1, c.id)
      .bind(2, to_string(c.status))
      .bind(3, c.action)
      .bind(4, c.response)
      .bind(5, c.error)
      .bind(6, c.transaction_id)
      .bind(7, ms(c.finished_at));
  s.run();
}

std::optional<CommandRecord> SqliteRepository::command(std::int64_t id) {
  static const std::string sql = select(command_columns, "FROM commands WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_command(s);
}

std::vector<CommandRecord> SqliteRepository::commands(const std::optional<StationId> &station, std::size_t limit,
                                                      std::size_t offset) {
  static const std::string sql = select(
      command_columns, "FROM commands WHERE (?1 IS NULL OR station_id = ?1) ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  auto s = db_.prepare(sql);
  s.bind(1, station ? std::optional{station->str()} : std::nullopt);
  s.bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<CommandRecord> out;
  while (s.step())
    out.push_back(read_command(s));
  return out;
}

} // namespace gridlane::store::sqlite
