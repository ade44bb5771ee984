// domain::RoamingLocationStore over SQLite (migration 0024): the published locations as the OCPI
// Locations Sender lists them (last_updated over the location, its EVSEs and connectors, computed
// by one grouped statement), and the journal of changes the roaming push reads.
#include <algorithm>

#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

//! Each published location's id and last_updated (ms), filtered by the period. ?1 from, ?2 to.
constexpr const char *published_sql =
    "WITH lu AS (SELECT l.id AS id, MAX(l.updated_at, COALESCE(MAX(e.updated_at), 0), "
    "COALESCE(MAX(c.updated_at), 0)) AS last_updated FROM locations l "
    "LEFT JOIN stations s ON s.location_id = l.id LEFT JOIN evses e ON e.station_id = s.id "
    "LEFT JOIN connectors c ON c.evse_uid = e.uid WHERE l.publish = 1 GROUP BY l.id) "
    "SELECT id, last_updated FROM lu WHERE (?1 IS NULL OR last_updated >= ?1) AND (?2 IS NULL OR last_updated < ?2) ";

std::optional<std::int64_t> ms(const std::optional<Timestamp> &t) {
  return t ? std::optional{to_unix_ms(*t)} : std::nullopt;
}

std::optional<RoamingChange::Kind> kind_of(std::string_view text) {
  using K = RoamingChange::Kind;
  if (text == "LOCATION") return K::Location;
  if (text == "EVSE") return K::Evse;
  if (text == "EVSE_STATUS") return K::EvseStatus;
  if (text == "EVSE_GONE") return K::EvseGone;
  if (text == "TARIFF") return K::Tariff;
  if (text == "TARIFF_GONE") return K::TariffGone;
  return std::nullopt;
}

} // namespace

std::optional<LocationSnapshot> SqliteRepository::location_snapshot(const LocationId &id) {
  auto l = location(id);
  if (!l) return std::nullopt;
  LocationSnapshot out;
  out.location = std::move(*l);
  out.last_updated = out.location.updated_at;
  for (const auto &station : location_stations(id)) {
    for (auto &e : evses(station)) {
      out.last_updated = std::max(out.last_updated, e.updated_at);
      for (const auto &c : e.connectors)
        out.last_updated = std::max(out.last_updated, c.updated_at);
      out.evses.push_back(std::move(e));
    }
    auto statuses = current_statuses(station);
    out.statuses.insert(out.statuses.end(), statuses.begin(), statuses.end());
  }
  std::sort(out.evses.begin(), out.evses.end(), [](const Evse &a, const Evse &b) { return a.uid < b.uid; });
  return out;
}

std::vector<LocationSnapshot> SqliteRepository::published_locations(const RoamingLocationFilter &f) {
  auto s = db_.prepare(std::string(published_sql) + "ORDER BY id LIMIT ?3 OFFSET ?4");
  s.bind(1, ms(f.updated_from)).bind(2, ms(f.updated_to));
  s.bind(3, static_cast<std::int64_t>(f.limit)).bind(4, static_cast<std::int64_t>(f.offset));
  std::vector<std::pair<std::string, std::int64_t>> page;
  while (s.step())
    page.emplace_back(s.text(0), s.int64(1));
  std::vector<LocationSnapshot> out;
  out.reserve(page.size());
  for (const auto &[id, last] : page) {
    auto snap = location_snapshot(LocationId::unchecked(id));
    if (!snap) continue;
    snap->last_updated = from_unix_ms(last);
    out.push_back(std::move(*snap));
  }
  return out;
}

std::int64_t SqliteRepository::count_published_locations(const RoamingLocationFilter &f) {
  auto s = db_.prepare(std::string("SELECT COUNT(*) FROM (") + published_sql + ")");
  s.bind(1, ms(f.updated_from)).bind(2, ms(f.updated_to));
  return s.step() ? s.int64(0) : 0;
}

std::optional<LocationId> SqliteRepository::station_location(const StationId &station) {
  auto s = db_.prepare("SELECT location_id FROM stations WHERE id = ?1");
  s.bind(1, station.str());
  if (!s.step() || s.is_null(0)) return std::nullopt;
  return LocationId::unchecked(s.text(0));
}

std::vector<RoamingChange> SqliteRepository::roaming_changes(std::size_t max) {
  auto s = db_.prepare("SELECT seq, kind, location_id, evse_uid, tariff_id, party, was_published, at "
                       "FROM ocpi_changes ORDER BY seq LIMIT ?1");
  s.bind(1, static_cast<std::int64_t>(max));
  std::vector<RoamingChange> out;
  while (s.step()) {
    RoamingChange c;
    c.seq = s.int64(0);
    auto kind = kind_of(s.text(1));
    if (!kind) continue; // a kind this version does not know: nothing to push
    c.kind = *kind;
    if (auto l = s.opt_text(2)) c.location = LocationId::unchecked(*l);
    if (auto e = s.opt_int64(3)) c.evse = EvseUid{*e};
    c.tariff_id = s.text(4);
    if (auto party = s.opt_text(5); party && party->find('/') != std::string::npos) {
      c.tariff_country_code = party->substr(0, party->find('/'));
      c.tariff_party_id = party->substr(party->find('/') + 1);
    }
    c.was_published = s.int64(6) != 0;
    c.at = from_unix_ms(s.int64(7));
    out.push_back(std::move(c));
  }
  return out;
}

void SqliteRepository::forget_roaming_changes(std::int64_t up_to_seq) {
  auto s = db_.prepare("DELETE FROM ocpi_changes WHERE seq <= ?1");
  s.bind(1, up_to_seq);
  s.run();
}

} // namespace gridlane::store::sqlite
