// domain::CdrStore over SQLite (migrations 0013, 0019): a CDR's OCPI JSON (domain/cdr_codec.hpp)
// plus the columns its lists filter and order by. Its `tariffs` array is kept once per distinct
// array in cdr_tariffs (0019) and put back into the body when the row is read; a CDR stored
// before 0019 has the array in its body. The tables' triggers refuse an edit or a delete, so
// nothing here updates a row except the one-time invoice reference.
#include "gridlane/domain/cdr_codec.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view cdr_columns = "cdrs.body, transaction_id, station_id, invoice_reference_id, "
                                         "(SELECT t.body FROM cdr_tariffs t WHERE t.id = cdrs.tariffs_id)";

//! A stored row back to its CDR: its body, with its tariffs put back in when they are kept apart
//! (the decoder does not mind where the member stands). The body was written by the same codec,
//! so a failure to read it is a broken database, not an expected failure.
Cdr read_cdr(const Statement &s) {
  auto body = s.text(0);
  if (!s.is_null(4)) {
    if (body.size() < 2 || body.back() != '}') throw SqliteError("stored CDR body is not a JSON object");
    body.pop_back();
    body += ",\"tariffs\":";
    body += s.text(4);
    body += '}';
  }
  auto c = decode_cdr(body);
  if (!c) throw SqliteError("stored CDR does not decode: " + c.error().message);
  c->transaction_id = s.opt_int64(1);
  c->station = core::StationId::unchecked(s.text(2));
  c->invoice_reference_id = s.opt_text(3); // the column is the truth: it may be set after the body
  return std::move(*c);
}

std::int64_t as_int(std::size_t n) {
  return n > static_cast<std::size_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(n);
}

constexpr std::string_view cdr_where = "WHERE (?1 IS NULL OR end_at >= ?1) AND (?2 IS NULL OR end_at < ?2) "
                                       "AND (?3 IS NULL OR location_id = ?3) AND (?4 IS NULL OR station_id = ?4) "
                                       "AND (?5 IS NULL OR token_uid = ?5) AND (?6 IS NULL OR currency = ?6) "
                                       "AND (?7 IS NULL OR credit = ?7) ";

void bind_filter(Statement &s, const CdrFilter &f) {
  s.bind(1, f.from ? std::optional{to_unix_ms(*f.from)} : std::nullopt);
  s.bind(2, f.to ? std::optional{to_unix_ms(*f.to)} : std::nullopt);
  s.bind(3, f.location);
  s.bind(4, f.station ? std::optional{f.station->str()} : std::nullopt);
  s.bind(5, f.token);
  s.bind(6, f.currency);
  s.bind(7, f.credit ? std::optional<std::int64_t>{*f.credit ? 1 : 0} : std::nullopt);
}

} // namespace

bool SqliteRepository::insert_cdr(const Cdr &c) {
  auto body_of = c;
  body_of.invoice_reference_id.reset(); // kept in its column only (it may be set later, once)
  std::optional<std::int64_t> tariffs_id;
  if (!body_of.tariffs.empty()) {
    tariffs_id = put_cdr_tariffs(encode_cdr_tariffs(body_of.tariffs));
    body_of.tariffs.clear(); // kept in cdr_tariffs
  }
  return insert_encoded_cdr(c, encode_cdr(body_of), tariffs_id);
}

std::int64_t SqliteRepository::put_cdr_tariffs(std::string_view tariffs_json) {
  {
    auto s = db_.prepare("SELECT id FROM cdr_tariffs WHERE body = ?1");
    s.bind(1, tariffs_json);
    if (s.step()) return s.int64(0);
  }
  auto s = db_.prepare("INSERT INTO cdr_tariffs (body) VALUES (?1)");
  s.bind(1, tariffs_json);
  s.run();
  return db_.last_insert_rowid();
}

bool SqliteRepository::insert_encoded_cdr(const Cdr &c, std::string_view body, std::optional<std::int64_t> tariffs_id) {
  // Taken ids and the one-per-session / one-credit indexes all end in DO NOTHING: the caller
  // learns that an earlier attempt (or another writer) was first and reads that row.
  auto s = db_.prepare(
      "INSERT INTO cdrs (id, transaction_id, credit, credit_reference_id, station_id, location_id, token_uid, "
      "currency, start_at, end_at, total_excl_vat, total_incl_vat, total_energy, last_updated, invoice_reference_id, "
      "body, tariffs_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
      "ON CONFLICT DO NOTHING");
  s.bind(1, c.id)
      .bind(2, c.transaction_id)
      .bind(3, c.credit ? 1 : 0)
      .bind(4, c.credit_reference_id)
      .bind(5, c.station.str())
      .bind(6, c.cdr_location.id)
      .bind(7, c.cdr_token.uid)
      .bind(8, c.currency.code())
      .bind(9, to_unix_ms(c.start_date_time))
      .bind(10, to_unix_ms(c.end_date_time))
      .bind(11, c.total_cost.excl_vat.units())
      .bind(12, c.total_cost.incl_vat ? std::optional{c.total_cost.incl_vat->units()} : std::nullopt)
      .bind(13, c.total_energy.units())
      .bind(14, to_unix_ms(c.last_updated))
      .bind(15, c.invoice_reference_id)
      .bind(16, body)
      .bind(17, tariffs_id);
  s.run();
  return sqlite3_changes(db_.handle()) == 1;
}

std::optional<Cdr> SqliteRepository::cdr(std::string_view id) {
  static const std::string sql = "SELECT " + std::string(cdr_columns) + " FROM cdrs WHERE id = ?1";
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_cdr(s);
}

std::optional<Cdr> SqliteRepository::cdr_of_transaction(std::int64_t transaction_id) {
  static const std::string sql =
      "SELECT " + std::string(cdr_columns) + " FROM cdrs WHERE transaction_id = ?1 AND credit = 0";
  auto s = db_.prepare(sql);
  s.bind(1, transaction_id);
  if (!s.step()) return std::nullopt;
  return read_cdr(s);
}

std::optional<Cdr> SqliteRepository::credit_of(std::string_view original_id) {
  static const std::string sql =
      "SELECT " + std::string(cdr_columns) + " FROM cdrs WHERE credit_reference_id = ?1 AND credit = 1";
  auto s = db_.prepare(sql);
  s.bind(1, original_id);
  if (!s.step()) return std::nullopt;
  return read_cdr(s);
}

Paged<Cdr> SqliteRepository::list_cdrs(const CdrFilter &f, PageRequest page) {
  static const std::string page_sql = "SELECT " + std::string(cdr_columns) + " FROM cdrs " + std::string(cdr_where) +
                                      "ORDER BY end_at, id LIMIT ?8 OFFSET ?9";
  static const std::string count_sql = "SELECT COUNT(*) FROM cdrs " + std::string(cdr_where);
  Paged<Cdr> out;
  {
    auto s = db_.prepare(page_sql);
    bind_filter(s, f);
    s.bind(8, as_int(page.limit)).bind(9, as_int(page.offset));
    while (s.step())
      out.items.push_back(read_cdr(s));
  }
  auto s = db_.prepare(count_sql);
  bind_filter(s, f);
  if (s.step()) out.total = s.int64(0);
  return out;
}

std::vector<UnbilledSession> SqliteRepository::sessions_without_cdr(std::int64_t after_id, std::size_t limit) {
  auto s = db_.prepare("SELECT t.id, COALESCE(t.stopped_at, t.stop_received_at, t.started_at) FROM transactions t "
                       "WHERE t.id > ?1 AND t.state = 'Ended' AND NOT EXISTS "
                       "(SELECT 1 FROM cdrs c WHERE c.transaction_id = t.id AND c.credit = 0) "
                       "ORDER BY t.id LIMIT ?2");
  s.bind(1, after_id).bind(2, as_int(limit));
  std::vector<UnbilledSession> out;
  while (s.step())
    out.push_back({s.int64(0), from_unix_ms(s.int64(1))});
  return out;
}

bool SqliteRepository::set_cdr_invoice_reference(std::string_view id, std::string_view invoice_reference_id) {
  auto s = db_.prepare("UPDATE cdrs SET invoice_reference_id = ?2 WHERE id = ?1 AND invoice_reference_id IS NULL");
  s.bind(1, id).bind(2, invoice_reference_id);
  s.run();
  return sqlite3_changes(db_.handle()) == 1;
}

std::vector<CardPaidCdr> SqliteRepository::card_paid_cdrs(Timestamp from, Timestamp to) {
  auto s = db_.prepare("SELECT c.location_id, c.currency, c.end_at, c.credit, c.total_excl_vat, c.total_incl_vat, "
                       "c.total_energy FROM cdrs c WHERE c.end_at >= ?1 AND c.end_at < ?2 "
                       "AND c.invoice_reference_id IS NULL AND EXISTS (SELECT 1 FROM payments p WHERE "
                       "p.transaction_id = c.transaction_id AND p.method = 'card' AND p.status IN "
                       "('captured', 'refunded')) ORDER BY c.end_at, c.id");
  s.bind(1, to_unix_ms(from)).bind(2, to_unix_ms(to));
  std::vector<CardPaidCdr> out;
  while (s.step()) {
    CardPaidCdr c;
    if (auto l = s.text(0); !l.empty()) c.location_id = std::move(l);
    c.currency = s.text(1);
    c.end = from_unix_ms(s.int64(2));
    c.credit = s.int64(3) != 0;
    c.excl_vat = core::Decimal::from_units(s.int64(4));
    if (!s.is_null(5)) c.incl_vat = core::Decimal::from_units(s.int64(5));
    c.energy_kwh = core::Decimal::from_units(s.int64(6));
    out.push_back(std::move(c));
  }
  return out;
}

} // namespace gridlane::store::sqlite
