//! AuditTrailStore over SQLite: anomalies and station events.
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

void SqliteRepository::record_anomaly(const Anomaly &a) {
  auto s = db_.prepare("INSERT INTO anomalies (station_id, kind, detail, at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, a.station.str()).bind(2, a.kind).bind(3, a.detail).bind(4, to_unix_ms(a.at));
  s.run();
}

std::vector<Anomaly> SqliteRepository::anomalies(const StationId &station) {
  auto s = db_.prepare("SELECT station_id, kind, detail, at FROM anomalies WHERE station_id = ?1 ORDER BY id");
  s.bind(1, station.str());
  std::vector<Anomaly> out;
  while (s.step())
    out.push_back(Anomaly{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

void SqliteRepository::record_event(const StationEvent &e) {
  auto s = db_.prepare("INSERT INTO station_events (station_id, kind, payload, at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, e.station.str()).bind(2, e.kind).bind(3, e.payload).bind(4, to_unix_ms(e.at));
  s.run();
}

std::vector<StationEvent> SqliteRepository::events(const StationId &station) {
  auto s = db_.prepare("SELECT station_id, kind, payload, at FROM station_events WHERE station_id = ?1 ORDER BY id");
  s.bind(1, station.str());
  std::vector<StationEvent> out;
  while (s.step())
    out.push_back(StationEvent{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

std::vector<Anomaly> SqliteRepository::anomalies(const StationId &station, std::size_t limit, std::size_t offset) {
  auto s = db_.prepare("SELECT station_id, kind, detail, at FROM anomalies WHERE station_id = ?1 ORDER BY id "
                       "LIMIT ?2 OFFSET ?3");
  s.bind(1, station.str()).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<Anomaly> out;
  while (s.step())
    out.push_back(Anomaly{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

std::vector<StationEvent> SqliteRepository::events(const StationId &station, const std::optional<std::string> &kind,
                                                   std::size_t limit, std::size_t offset) {
  auto s = db_.prepare("SELECT station_id, kind, payload, at FROM station_events WHERE station_id = ?1 "
                       "AND (?2 IS NULL OR kind = ?2) ORDER BY id LIMIT ?3 OFFSET ?4");
  s.bind(1, station.str())
      .bind(2, kind)
      .bind(3, static_cast<std::int64_t>(limit))
      .bind(4, static_cast<std::int64_t>(offset));
  std::vector<StationEvent> out;
  while (s.step())
    out.push_back(StationEvent{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

} // namespace gridlane::store::sqlite
