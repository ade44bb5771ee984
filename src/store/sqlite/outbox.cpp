//! OutboxStore over SQLite (migration 0022): the roaming outbox and each partner's delivery record.
#include <algorithm>
#include <array>
#include <utility>

#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

// The row texts: OCPI's module ids and the HTTP methods (the store does not link src/ocpi).
constexpr std::array<std::pair<OcpiModule, std::string_view>, 9> module_texts{{
    {OcpiModule::Cdrs, "cdrs"},
    {OcpiModule::ChargingProfiles, "chargingprofiles"},
    {OcpiModule::Commands, "commands"},
    {OcpiModule::Credentials, "credentials"},
    {OcpiModule::HubClientInfo, "hubclientinfo"},
    {OcpiModule::Locations, "locations"},
    {OcpiModule::Sessions, "sessions"},
    {OcpiModule::Tariffs, "tariffs"},
    {OcpiModule::Tokens, "tokens"},
}};
constexpr std::array<std::pair<PushMethod, std::string_view>, 4> method_texts{{
    {PushMethod::Put, "PUT"},
    {PushMethod::Patch, "PATCH"},
    {PushMethod::Post, "POST"},
    {PushMethod::Delete, "DELETE"},
}};

template <class E, std::size_t N>
std::string_view text_of(const std::array<std::pair<E, std::string_view>, N> &table, E v) {
  for (const auto &[e, t] : table)
    if (e == v) return t;
  return table[0].second;
}
template <class E, std::size_t N>
E value_or_first(const std::array<std::pair<E, std::string_view>, N> &table, std::string_view t) {
  for (const auto &[e, text] : table)
    if (text == t) return e;
  return table[0].first;
}

constexpr std::string_view item_columns =
    "o.id, o.partner_id, o.module, o.method, o.path, o.object_key, o.body, o.created_at, o.attempts, "
    "o.next_attempt_at, o.last_error, o.to_country_code, o.to_party_id";

OutboxItem item_row(const Statement &s) {
  OutboxItem i;
  i.id = s.int64(0);
  i.partner_id = s.int64(1);
  i.module = value_or_first(module_texts, s.text(2));
  i.method = value_or_first(method_texts, s.text(3));
  i.path = s.text(4);
  i.object_key = s.text(5);
  i.body = s.text(6);
  i.created_at = core::from_unix_ms(s.int64(7));
  i.attempts = static_cast<int>(s.int64(8));
  i.next_attempt_at = core::from_unix_ms(s.int64(9));
  i.last_error = s.opt_text(10).value_or("");
  if (auto cc = s.opt_text(11), pid = s.opt_text(12); cc && pid) i.to = PartyId{*cc, *pid};
  return i;
}

//! Errors come from partners: kept short in the table and the API.
std::string_view clipped(std::string_view error) {
  return error.substr(0, std::min<std::size_t>(error.size(), 1000));
}

} // namespace

std::int64_t SqliteRepository::enqueue(const OutboxItem &item) {
  auto created = core::to_unix_ms(item.created_at);
  std::optional<std::string> to_cc;
  std::optional<std::string> to_pid;
  if (item.to) {
    to_cc = item.to->country_code;
    to_pid = item.to->party_id;
  }
  db_.prepare("INSERT INTO ocpi_outbox (partner_id, module, method, path, object_key, body, created_at, "
              "next_attempt_at, to_country_code, to_party_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)")
      .bind(1, item.partner_id)
      .bind(2, text_of(module_texts, item.module))
      .bind(3, text_of(method_texts, item.method))
      .bind(4, item.path)
      .bind(5, item.object_key)
      .bind(6, item.body)
      .bind(7, created)
      .bind(8, to_cc)
      .bind(9, to_pid)
      .run();
  auto id = db_.last_insert_rowid();
  db_.prepare("INSERT INTO ocpi_delivery (partner_id) VALUES (?1) ON CONFLICT (partner_id) DO NOTHING")
      .bind(1, item.partner_id)
      .run();
  return id;
}

std::vector<OutboxItem> SqliteRepository::due_items(Timestamp now, std::size_t max) {
  // Partner by partner, the held ones skipped without reading their items (a partner down for
  // a day may hold a large backlog; it costs nothing until its hold ends). Every partner with
  // items has its ocpi_delivery row (enqueue writes it).
  std::vector<std::int64_t> partners;
  {
    auto p = db_.prepare("SELECT partner_id FROM ocpi_delivery WHERE hold_until IS NULL OR hold_until <= ?1");
    p.bind(1, core::to_unix_ms(now));
    while (p.step())
      partners.push_back(p.int64(0));
  }
  auto limit = static_cast<std::int64_t>(std::min<std::size_t>(max, 1U << 20));
  std::vector<OutboxItem> out;
  for (auto partner : partners) {
    // Only the head of each key is a candidate: the items behind it wait for it. Read in id
    // order (ocpi_outbox_by_partner), so the reading stops at `max` heads.
    auto s = db_.prepare(std::string("SELECT ") + std::string(item_columns) +
                         " FROM ocpi_outbox o INDEXED BY ocpi_outbox_by_partner"
                         " WHERE o.partner_id = ?1 AND o.dead_at IS NULL AND o.next_attempt_at <= ?2"
                         " AND NOT EXISTS (SELECT 1 FROM ocpi_outbox h WHERE h.partner_id = ?1"
                         " AND h.object_key = o.object_key AND h.dead_at IS NULL AND h.id < o.id)"
                         " ORDER BY o.id LIMIT ?3");
    s.bind(1, partner).bind(2, core::to_unix_ms(now)).bind(3, limit);
    while (s.step())
      out.push_back(item_row(s));
  }
  std::sort(out.begin(), out.end(), [](const OutboxItem &a, const OutboxItem &b) { return a.id < b.id; });
  if (out.size() > max) out.resize(max);
  return out;
}

void SqliteRepository::mark_delivered(std::int64_t id, Timestamp at) {
  std::optional<std::int64_t> partner;
  {
    auto s = db_.prepare("SELECT partner_id FROM ocpi_outbox WHERE id = ?1 AND dead_at IS NULL");
    s.bind(1, id);
    if (s.step()) partner = s.int64(0);
  }
  if (!partner) return; // delivered twice (a retry raced the first answer): counted once
  db_.prepare("DELETE FROM ocpi_outbox WHERE id = ?1").bind(1, id).run();
  db_.prepare("INSERT INTO ocpi_delivery (partner_id, delivered, last_success_at) VALUES (?1, 1, ?2) "
              "ON CONFLICT (partner_id) DO UPDATE SET delivered = delivered + 1, last_success_at = ?2, "
              "failures = 0, hold_until = NULL")
      .bind(1, *partner)
      .bind(2, core::to_unix_ms(at))
      .run();
}

void SqliteRepository::mark_failed(std::int64_t id, Timestamp at, std::string_view error, Timestamp retry_at) {
  db_.prepare("UPDATE ocpi_outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 "
              "WHERE id = ?1 AND dead_at IS NULL")
      .bind(1, id)
      .bind(2, clipped(error))
      .bind(3, core::to_unix_ms(retry_at))
      .run();
  db_.prepare("UPDATE ocpi_delivery SET last_error_at = ?2, last_error = ?3 "
              "WHERE partner_id = (SELECT partner_id FROM ocpi_outbox WHERE id = ?1)")
      .bind(1, id)
      .bind(2, core::to_unix_ms(at))
      .bind(3, clipped(error))
      .run();
}

void SqliteRepository::mark_dead(std::int64_t id, Timestamp at, std::string_view error) {
  db_.prepare("UPDATE ocpi_outbox SET attempts = attempts + 1, last_error = ?2, dead_at = ?3 "
              "WHERE id = ?1 AND dead_at IS NULL")
      .bind(1, id)
      .bind(2, clipped(error))
      .bind(3, core::to_unix_ms(at))
      .run();
  db_.prepare("UPDATE ocpi_delivery SET last_error_at = ?2, last_error = ?3 "
              "WHERE partner_id = (SELECT partner_id FROM ocpi_outbox WHERE id = ?1)")
      .bind(1, id)
      .bind(2, core::to_unix_ms(at))
      .bind(3, clipped(error))
      .run();
}

int SqliteRepository::partner_failures(std::int64_t partner_id) {
  auto s = db_.prepare("SELECT failures FROM ocpi_delivery WHERE partner_id = ?1");
  s.bind(1, partner_id);
  return s.step() ? static_cast<int>(std::clamp<std::int64_t>(s.int64(0), 0, 1 << 20)) : 0;
}

void SqliteRepository::partner_down(std::int64_t partner_id, int failures, Timestamp until, Timestamp at,
                                    std::string_view error) {
  db_.prepare("INSERT INTO ocpi_delivery (partner_id, failures, hold_until, last_error_at, last_error) "
              "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (partner_id) DO UPDATE SET failures = ?2, hold_until = ?3, "
              "last_error_at = ?4, last_error = ?5")
      .bind(1, partner_id)
      .bind(2, failures)
      .bind(3, core::to_unix_ms(until))
      .bind(4, core::to_unix_ms(at))
      .bind(5, clipped(error))
      .run();
}

void SqliteRepository::partner_up(std::int64_t partner_id) {
  db_.prepare("UPDATE ocpi_delivery SET failures = 0, hold_until = NULL WHERE partner_id = ?1")
      .bind(1, partner_id)
      .run();
}

void SqliteRepository::hold_partner(std::int64_t partner_id, Timestamp until) {
  db_.prepare("INSERT INTO ocpi_delivery (partner_id, hold_until) VALUES (?1, ?2) "
              "ON CONFLICT (partner_id) DO UPDATE SET hold_until = ?2")
      .bind(1, partner_id)
      .bind(2, core::to_unix_ms(until))
      .run();
}

std::vector<DeliveryState> SqliteRepository::delivery_states() {
  auto s = db_.prepare(
      "SELECT d.partner_id,"
      " (SELECT COUNT(*) FROM ocpi_outbox o WHERE o.partner_id = d.partner_id AND o.dead_at IS NULL),"
      " (SELECT MIN(o.created_at) FROM ocpi_outbox o WHERE o.partner_id = d.partner_id AND o.dead_at IS NULL),"
      " d.last_success_at, d.last_error_at, d.last_error, d.delivered,"
      " (SELECT COUNT(*) FROM ocpi_outbox o WHERE o.partner_id = d.partner_id AND o.dead_at IS NOT NULL)"
      " FROM ocpi_delivery d ORDER BY d.partner_id");
  std::vector<DeliveryState> out;
  while (s.step()) {
    DeliveryState d;
    d.partner_id = s.int64(0);
    d.backlog = s.int64(1);
    d.oldest_pending_at = ts(s.opt_int64(2));
    d.last_success_at = ts(s.opt_int64(3));
    d.last_error_at = ts(s.opt_int64(4));
    d.last_error = s.opt_text(5).value_or("");
    d.delivered = s.int64(6);
    d.dead = s.int64(7);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<OutboxItem> SqliteRepository::dead_items(std::int64_t partner_id, std::size_t max) {
  auto s = db_.prepare(std::string("SELECT ") + std::string(item_columns) +
                       " FROM ocpi_outbox o WHERE o.partner_id = ?1 AND o.dead_at IS NOT NULL"
                       " ORDER BY o.id DESC LIMIT ?2");
  s.bind(1, partner_id).bind(2, static_cast<std::int64_t>(std::min<std::size_t>(max, 1U << 20)));
  std::vector<OutboxItem> out;
  while (s.step())
    out.push_back(item_row(s));
  return out;
}

} // namespace gridlane::store::sqlite
