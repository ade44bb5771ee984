// domain::InvoiceStore over SQLite (migration 0015). Amounts are Decimal units in INTEGER
// columns, so nothing is rounded on the way in or out.
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::Decimal;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

Decimal dec(const Statement &s, int col) {
  return Decimal::from_units(s.int64(col));
}
std::optional<Decimal> opt_dec(const Statement &s, int col) {
  auto v = s.opt_int64(col);
  return v ? std::optional{Decimal::from_units(*v)} : std::nullopt;
}
std::optional<std::int64_t> units_of(const std::optional<Decimal> &d) {
  return d ? std::optional{d->units()} : std::nullopt;
}
std::optional<std::int64_t> ms_of(const std::optional<Timestamp> &t) {
  return t ? std::optional{to_unix_ms(*t)} : std::nullopt;
}

constexpr const char *invoice_columns =
    "SELECT id, issuer, sequence, number, account_id, account_name, currency, period_from, period_to, issued_at, "
    "total_excl_vat, total_vat, total_incl_vat FROM invoices ";

//! The filter of invoices() and count_invoices(): every term optional, bound as ?1..?4.
constexpr const char *invoice_filter = "WHERE (?1 IS NULL OR account_id = ?1) AND (?2 IS NULL OR issuer = ?2) "
                                       "AND (?3 IS NULL OR period_from >= ?3) AND (?4 IS NULL OR period_to <= ?4) ";

Invoice read_invoice(const Statement &s) {
  Invoice inv;
  inv.id = s.int64(0);
  inv.issuer = s.text(1);
  inv.sequence = s.int64(2);
  inv.number = s.text(3);
  inv.account_id = s.text(4);
  inv.account_name = s.text(5);
  // Written by insert_invoice from a parsed Currency; anything else is a broken database.
  auto currency = core::Currency::parse(s.text(6));
  if (!currency) throw SqliteError("invoice " + inv.number + " has no valid currency");
  inv.currency = *currency;
  inv.period_from = from_unix_ms(s.int64(7));
  inv.period_to = from_unix_ms(s.int64(8));
  inv.issued_at = from_unix_ms(s.int64(9));
  inv.total_excl_vat = dec(s, 10);
  inv.total_vat = dec(s, 11);
  inv.total_incl_vat = dec(s, 12);
  return inv;
}

void bind_filter(Statement &s, const InvoiceFilter &f) {
  s.bind(1, f.account_id).bind(2, f.issuer).bind(3, ms_of(f.from)).bind(4, ms_of(f.to));
}

} // namespace

std::int64_t SqliteRepository::next_invoice_sequence(std::string_view issuer) {
  auto s = db_.prepare("INSERT INTO invoice_sequences (issuer, last) VALUES (?1, 1) "
                       "ON CONFLICT (issuer) DO UPDATE SET last = last + 1 RETURNING last");
  s.bind(1, issuer);
  if (!s.step()) throw SqliteError("no invoice number was returned");
  auto n = s.int64(0);
  s.run();
  return n;
}

std::int64_t SqliteRepository::insert_invoice(const Invoice &inv) {
  auto s = db_.prepare("INSERT INTO invoices (issuer, sequence, number, account_id, account_name, currency, "
                       "period_from, period_to, issued_at, total_excl_vat, total_vat, total_incl_vat) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  s.bind(1, inv.issuer)
      .bind(2, inv.sequence)
      .bind(3, inv.number)
      .bind(4, inv.account_id)
      .bind(5, inv.account_name)
      .bind(6, inv.currency.code())
      .bind(7, to_unix_ms(inv.period_from))
      .bind(8, to_unix_ms(inv.period_to))
      .bind(9, to_unix_ms(inv.issued_at))
      .bind(10, inv.total_excl_vat.units())
      .bind(11, inv.total_vat.units())
      .bind(12, inv.total_incl_vat.units())
      .run();
  auto id = db_.last_insert_rowid();
  for (std::size_t i = 0; i < inv.lines.size(); ++i) {
    const auto &l = inv.lines[i];
    auto ls = db_.prepare("INSERT INTO invoice_lines (invoice_id, position, kind, description, reference, "
                          "location_id, at, energy_kwh, vat_rate, amount, excl_vat, vat, incl_vat) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    ls.bind(1, id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, to_string(l.item.kind))
        .bind(4, l.item.description)
        .bind(5, l.item.reference)
        .bind(6, l.item.location_id)
        .bind(7, ms_of(l.item.at))
        .bind(8, units_of(l.item.energy_kwh))
        .bind(9, units_of(l.item.vat_rate))
        .bind(10, l.item.amount_excl_vat.units())
        .bind(11, l.excl_vat.units())
        .bind(12, l.vat.units())
        .bind(13, l.incl_vat.units())
        .run();
  }
  for (std::size_t i = 0; i < inv.vat.size(); ++i) {
    const auto &v = inv.vat[i];
    auto vs = db_.prepare("INSERT INTO invoice_vat (invoice_id, position, vat_rate, excl_vat, vat, incl_vat) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    vs.bind(1, id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, units_of(v.rate))
        .bind(4, v.excl_vat.units())
        .bind(5, v.vat.units())
        .bind(6, v.incl_vat.units())
        .run();
  }
  return id;
}

namespace {
constexpr const char *line_columns = "SELECT kind, description, reference, location_id, at, energy_kwh, vat_rate, "
                                     "amount, excl_vat, vat, incl_vat FROM invoice_lines ";

InvoiceLine read_line(const Statement &s, int c) {
  InvoiceLine l;
  l.item.kind = parse_invoice_line_kind(s.text(c)).value_or(InvoiceLineKind::Other);
  l.item.description = s.text(c + 1);
  l.item.reference = s.opt_text(c + 2);
  l.item.location_id = s.opt_text(c + 3);
  if (auto at = s.opt_int64(c + 4)) l.item.at = from_unix_ms(*at);
  l.item.energy_kwh = opt_dec(s, c + 5);
  l.item.vat_rate = opt_dec(s, c + 6);
  l.item.amount_excl_vat = dec(s, c + 7);
  l.excl_vat = dec(s, c + 8);
  l.vat = dec(s, c + 9);
  l.incl_vat = dec(s, c + 10);
  return l;
}
} // namespace

std::vector<InvoiceLine> SqliteRepository::invoice_lines_of(std::int64_t invoice_id) {
  auto s = db_.prepare(std::string(line_columns) + "WHERE invoice_id = ?1 ORDER BY position");
  s.bind(1, invoice_id);
  std::vector<InvoiceLine> out;
  while (s.step())
    out.push_back(read_line(s, 0));
  return out;
}

std::vector<VatLine> SqliteRepository::invoice_vat_of(std::int64_t invoice_id) {
  auto s = db_.prepare("SELECT vat_rate, excl_vat, vat, incl_vat FROM invoice_vat WHERE invoice_id = ?1 "
                       "ORDER BY position");
  s.bind(1, invoice_id);
  std::vector<VatLine> out;
  while (s.step())
    out.push_back({opt_dec(s, 0), dec(s, 1), dec(s, 2), dec(s, 3)});
  return out;
}

std::optional<Invoice> SqliteRepository::invoice(std::int64_t id) {
  std::optional<Invoice> inv;
  {
    auto s = db_.prepare(std::string(invoice_columns) + "WHERE id = ?1");
    s.bind(1, id);
    if (s.step()) inv = read_invoice(s);
  }
  if (inv) {
    inv->lines = invoice_lines_of(inv->id);
    inv->vat = invoice_vat_of(inv->id);
  }
  return inv;
}

std::optional<Invoice> SqliteRepository::invoice_by_number(std::string_view number) {
  std::optional<std::int64_t> id;
  {
    auto s = db_.prepare("SELECT id FROM invoices WHERE number = ?1");
    s.bind(1, number);
    if (s.step()) id = s.int64(0);
  }
  return id ? invoice(*id) : std::nullopt;
}

std::optional<std::int64_t> SqliteRepository::invoice_of_period(std::string_view account_id, Timestamp from,
                                                                Timestamp to) {
  auto s = db_.prepare("SELECT id FROM invoices WHERE account_id = ?1 AND period_from = ?2 AND period_to = ?3");
  s.bind(1, account_id).bind(2, to_unix_ms(from)).bind(3, to_unix_ms(to));
  if (s.step()) return s.int64(0);
  return std::nullopt;
}

std::vector<Invoice> SqliteRepository::invoices(const InvoiceFilter &f) {
  std::vector<Invoice> out;
  {
    auto s = db_.prepare(std::string(invoice_columns) + invoice_filter + "ORDER BY id DESC LIMIT ?5 OFFSET ?6");
    bind_filter(s, f);
    s.bind(5, static_cast<std::int64_t>(f.limit)).bind(6, static_cast<std::int64_t>(f.offset));
    while (s.step())
      out.push_back(read_invoice(s));
  }
  for (auto &inv : out) {
    inv.lines = invoice_lines_of(inv.id);
    inv.vat = invoice_vat_of(inv.id);
  }
  return out;
}

std::int64_t SqliteRepository::count_invoices(const InvoiceFilter &f) {
  auto s = db_.prepare(std::string("SELECT COUNT(*) FROM invoices ") + invoice_filter);
  bind_filter(s, f);
  s.step();
  return s.int64(0);
}

std::vector<InvoicedLine> SqliteRepository::invoiced_lines(Timestamp from, Timestamp to) {
  auto s = db_.prepare("SELECT i.currency, i.period_from, l.kind, l.description, l.reference, l.location_id, l.at, "
                       "l.energy_kwh, l.vat_rate, l.amount, l.excl_vat, l.vat, l.incl_vat "
                       "FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id "
                       "WHERE COALESCE(l.at, i.period_from) >= ?1 AND COALESCE(l.at, i.period_from) < ?2 "
                       "ORDER BY l.invoice_id, l.position");
  s.bind(1, to_unix_ms(from)).bind(2, to_unix_ms(to));
  std::vector<InvoicedLine> out;
  while (s.step()) {
    auto currency = core::Currency::parse(s.text(0));
    if (!currency) throw SqliteError("an invoice has no valid currency");
    out.push_back({*currency, from_unix_ms(s.int64(1)), read_line(s, 2)});
  }
  return out;
}

} // namespace gridlane::store::sqlite
