// domain::LocationStore over SQLite (migration 0008): locations, EVSEs, connectors. Rows hold
// the OCPI names of enums (the codecs of domain/location.hpp) and integer quantities.
#include <boost/json.hpp>

#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
namespace json = boost::json;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

template <class E> std::string join(const std::vector<E> &values) {
  std::string out;
  for (const auto &v : values) {
    if (!out.empty()) out += ',';
    out += to_string(v);
  }
  return out;
}

template <class E, class Parse> std::vector<E> split(const std::string &text, Parse parse) {
  std::vector<E> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (auto v = parse(std::string_view(text).substr(start, comma - start))) out.push_back(*v);
    start = comma + 1;
  }
  return out;
}

json::array periods_json(const std::vector<ExceptionalPeriod> &periods) {
  json::array out;
  for (const auto &p : periods)
    out.push_back({{"period_begin", to_unix_ms(p.period_begin)}, {"period_end", to_unix_ms(p.period_end)}});
  return out;
}

std::vector<ExceptionalPeriod> read_periods(const json::value *v) {
  std::vector<ExceptionalPeriod> out;
  if (!v || !v->is_array()) return out;
  for (const auto &p : v->get_array()) {
    const auto &o = p.as_object();
    out.push_back({from_unix_ms(o.at("period_begin").to_number<std::int64_t>()),
                   from_unix_ms(o.at("period_end").to_number<std::int64_t>())});
  }
  return out;
}

//! The store's row codec for opening times (timestamps as integer ms, like every other column).
std::string opening_times_text(const OpeningTimes &h) {
  json::array regular;
  for (const auto &r : h.regular_hours)
    regular.push_back({{"weekday", r.weekday}, {"period_begin", r.period_begin}, {"period_end", r.period_end}});
  return json::serialize(json::object{{"twentyfourseven", h.twentyfourseven},
                                      {"regular_hours", std::move(regular)},
                                      {"exceptional_openings", periods_json(h.exceptional_openings)},
                                      {"exceptional_closings", periods_json(h.exceptional_closings)}});
}

OpeningTimes read_opening_times(const std::string &text) {
  auto o = json::parse(text).as_object();
  OpeningTimes h;
  h.twentyfourseven = o.at("twentyfourseven").as_bool();
  if (const auto *r = o.if_contains("regular_hours"))
    for (const auto &e : r->as_array()) {
      const auto &x = e.as_object();
      h.regular_hours.push_back({static_cast<int>(x.at("weekday").to_number<std::int64_t>()),
                                 std::string(x.at("period_begin").as_string()),
                                 std::string(x.at("period_end").as_string())});
    }
  h.exceptional_openings = read_periods(o.if_contains("exceptional_openings"));
  h.exceptional_closings = read_periods(o.if_contains("exceptional_closings"));
  return h;
}

std::optional<BusinessDetails> business(const Statement &s, int col) {
  auto name = s.opt_text(col);
  if (!name) return std::nullopt;
  return BusinessDetails{*name, s.opt_text(col + 1)};
}

constexpr const char *location_columns =
    "SELECT id, name, address, city, postal_code, state, country, latitude, longitude, time_zone, operator_name, "
    "operator_website, suboperator_name, suboperator_website, owner_name, owner_website, opening_times, facilities, "
    "parking_type, publish, created_at, updated_at FROM locations ";

Location read_location(const Statement &s) {
  Location l;
  l.id = LocationId::unchecked(s.text(0));
  l.name = s.text(1);
  l.address = s.opt_text(2);
  l.city = s.opt_text(3);
  l.postal_code = s.opt_text(4);
  l.state = s.opt_text(5);
  l.country = s.opt_text(6);
  auto lat = s.opt_text(7), lon = s.opt_text(8);
  if (lat && lon) l.coordinates = GeoLocation{*lat, *lon};
  l.time_zone = s.opt_text(9);
  l.operator_details = business(s, 10);
  l.suboperator = business(s, 12);
  l.owner = business(s, 14);
  if (auto h = s.opt_text(16)) l.opening_times = read_opening_times(*h);
  l.facilities = split<Facility>(s.text(17), parse_facility);
  if (auto p = s.opt_text(18)) l.parking_type = parse_parking_type(*p);
  l.publish = s.int64(19) != 0;
  l.created_at = from_unix_ms(s.int64(20));
  l.updated_at = from_unix_ms(s.int64(21));
  return l;
}

template <class T> std::optional<std::string> text_of(const std::optional<T> &v) {
  return v ? std::optional<std::string>{std::string(to_string(*v))} : std::nullopt;
}
template <class Q> std::optional<std::int64_t> count_of(const std::optional<Q> &q) {
  return q ? std::optional{q->count()} : std::nullopt;
}

void bind_location(Statement &s, const Location &l) {
  auto website = [](const std::optional<BusinessDetails> &b) { return b ? b->website : std::nullopt; };
  auto name = [](const std::optional<BusinessDetails> &b) {
    return b ? std::optional<std::string>{b->name} : std::nullopt;
  };
  s.bind(1, l.id.str())
      .bind(2, l.name)
      .bind(3, l.address)
      .bind(4, l.city)
      .bind(5, l.postal_code)
      .bind(6, l.state)
      .bind(7, l.country)
      .bind(8, l.coordinates ? std::optional{l.coordinates->latitude} : std::nullopt)
      .bind(9, l.coordinates ? std::optional{l.coordinates->longitude} : std::nullopt)
      .bind(10, l.time_zone)
      .bind(11, name(l.operator_details))
      .bind(12, website(l.operator_details))
      .bind(13, name(l.suboperator))
      .bind(14, website(l.suboperator))
      .bind(15, name(l.owner))
      .bind(16, website(l.owner))
      .bind(17, l.opening_times ? std::optional{opening_times_text(*l.opening_times)} : std::nullopt)
      .bind(18, join(l.facilities))
      .bind(19, text_of(l.parking_type))
      .bind(20, l.publish ? 1 : 0)
      .bind(21, to_unix_ms(l.created_at))
      .bind(22, to_unix_ms(l.updated_at));
}

constexpr const char *evse_columns = "SELECT uid, station_id, evse_id, emi3_id, status, capabilities, floor_level, "
                                     "physical_reference, reported, created_at, updated_at FROM evses ";

Evse read_evse(const Statement &s) {
  Evse e;
  e.uid = EvseUid{s.int64(0)};
  e.station = core::StationId::unchecked(s.text(1));
  e.evse_id = static_cast<int>(s.int64(2));
  if (auto id = s.opt_text(3)) e.emi3_id = Emi3EvseId::unchecked(*id);
  e.status = parse_evse_status(s.text(4)).value_or(EvseStatus::Unknown);
  e.capabilities = split<Capability>(s.text(5), parse_capability);
  e.floor_level = s.opt_text(6);
  e.physical_reference = s.opt_text(7);
  e.reported = s.int64(8) != 0;
  e.created_at = from_unix_ms(s.int64(9));
  e.updated_at = from_unix_ms(s.int64(10));
  return e;
}

std::optional<std::string> emi3_key(const std::optional<Emi3EvseId> &id) {
  if (!id) return std::nullopt;
  std::string key = id->str();
  for (auto &c : key)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return key;
}

} // namespace

std::optional<Location> SqliteRepository::location(const LocationId &id) {
  static const std::string sql = std::string(location_columns) + "WHERE id = ?1";
  auto s = db_.prepare(sql);
  s.bind(1, id.str());
  if (!s.step()) return std::nullopt;
  return read_location(s);
}

std::optional<Location> SqliteRepository::location_by_name(std::string_view name) {
  static const std::string sql = std::string(location_columns) + "WHERE name = ?1";
  auto s = db_.prepare(sql);
  s.bind(1, name);
  if (!s.step()) return std::nullopt;
  return read_location(s);
}

std::vector<Location> SqliteRepository::locations(const LocationFilter &f) {
  static const std::string sql = std::string(location_columns) +
                                 "WHERE (?1 IS NULL OR name = ?1) AND (?2 IS NULL OR city = ?2) AND "
                                 "(?3 IS NULL OR country = ?3) AND (?4 IS NULL OR publish = ?4) "
                                 "ORDER BY name LIMIT ?5 OFFSET ?6";
  auto s = db_.prepare(sql);
  s.bind(1, f.name).bind(2, f.city).bind(3, f.country);
  s.bind(4, f.publish ? std::optional<std::int64_t>{*f.publish ? 1 : 0} : std::nullopt);
  s.bind(5, static_cast<std::int64_t>(f.limit)).bind(6, static_cast<std::int64_t>(f.offset));
  std::vector<Location> out;
  while (s.step())
    out.push_back(read_location(s));
  return out;
}

void SqliteRepository::insert_location(const Location &l) {
  auto s = db_.prepare(
      "INSERT INTO locations (id, name, address, city, postal_code, state, country, latitude, longitude, time_zone, "
      "operator_name, operator_website, suboperator_name, suboperator_website, owner_name, owner_website, "
      "opening_times, facilities, parking_type, publish, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)");
  bind_location(s, l);
  s.run();
}

void SqliteRepository::update_location(const Location &l) {
  auto s = db_.prepare("UPDATE locations SET name = ?2, address = ?3, city = ?4, postal_code = ?5, state = ?6, "
                       "country = ?7, latitude = ?8, longitude = ?9, time_zone = ?10, operator_name = ?11, "
                       "operator_website = ?12, suboperator_name = ?13, suboperator_website = ?14, owner_name = ?15, "
                       "owner_website = ?16, opening_times = ?17, facilities = ?18, parking_type = ?19, "
                       "publish = ?20, created_at = ?21, updated_at = ?22 WHERE id = ?1");
  bind_location(s, l);
  s.run();
  // The site of its stations is the location's name (after the rename, so the site trigger of
  // migration 0008 finds this location by its new name).
  auto st = db_.prepare("UPDATE stations SET site = ?2 WHERE location_id = ?1 AND site IS NOT ?2");
  st.bind(1, l.id.str()).bind(2, l.name);
  st.run();
}

bool SqliteRepository::delete_location(const LocationId &id) {
  auto s = db_.prepare("DELETE FROM locations WHERE id = ?1");
  s.bind(1, id.str());
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::size_t SqliteRepository::count_location_stations(const LocationId &id) {
  auto s = db_.prepare("SELECT COUNT(*) FROM stations WHERE location_id = ?1");
  s.bind(1, id.str());
  s.step();
  return static_cast<std::size_t>(s.int64(0));
}

std::vector<core::StationId> SqliteRepository::location_stations(const LocationId &id) {
  auto s = db_.prepare("SELECT id FROM stations WHERE location_id = ?1 ORDER BY id");
  s.bind(1, id.str());
  std::vector<core::StationId> out;
  while (s.step())
    out.push_back(core::StationId::unchecked(s.text(0)));
  return out;
}

void SqliteRepository::set_station_location(const core::StationId &station, const std::optional<LocationId> &loc) {
  auto s = db_.prepare(
      "UPDATE stations SET location_id = ?2, site = (SELECT name FROM locations WHERE id = ?2) WHERE id = ?1");
  s.bind(1, station.str()).bind(2, loc ? std::optional{loc->str()} : std::nullopt);
  s.run();
}

std::vector<Evse> SqliteRepository::evses(const core::StationId &station) {
  static const std::string sql = std::string(evse_columns) + "WHERE station_id = ?1 ORDER BY evse_id";
  std::vector<Evse> out;
  {
    auto s = db_.prepare(sql);
    s.bind(1, station.str());
    while (s.step())
      out.push_back(read_evse(s));
  }
  auto c = db_.prepare("SELECT c.evse_uid, c.connector_id, c.standard, c.format, c.power_type, c.max_voltage_v, "
                       "c.max_amperage_ma, c.max_electric_power_w, c.created_at, c.updated_at FROM connectors c "
                       "JOIN evses e ON e.uid = c.evse_uid WHERE e.station_id = ?1 ORDER BY c.evse_uid, "
                       "c.connector_id");
  c.bind(1, station.str());
  while (c.step()) {
    Connector k;
    k.connector_id = static_cast<int>(c.int64(1));
    if (auto v = c.opt_text(2)) k.standard = parse_connector_standard(*v);
    if (auto v = c.opt_text(3)) k.format = parse_connector_format(*v);
    if (auto v = c.opt_text(4)) k.power_type = parse_power_type(*v);
    if (auto v = c.opt_int64(5)) k.max_voltage = core::Voltage(*v);
    if (auto v = c.opt_int64(6)) k.max_amperage = core::Current(*v);
    if (auto v = c.opt_int64(7)) k.max_electric_power = core::Power(*v);
    k.created_at = from_unix_ms(c.int64(8));
    k.updated_at = from_unix_ms(c.int64(9));
    for (auto &e : out)
      if (e.uid.value() == c.int64(0)) e.connectors.push_back(k);
  }
  return out;
}

std::optional<Evse> SqliteRepository::evse(const core::StationId &station, int evse_id) {
  for (auto &e : evses(station))
    if (e.evse_id == evse_id) return std::move(e);
  return std::nullopt;
}

std::optional<Evse> SqliteRepository::evse_by_emi3(const Emi3EvseId &id) {
  static const std::string sql = std::string(evse_columns) + "WHERE emi3_key = ?1";
  std::optional<Evse> found;
  {
    auto s = db_.prepare(sql);
    s.bind(1, emi3_key(id));
    if (s.step()) found = read_evse(s);
  }
  if (found) return evse(found->station, found->evse_id);
  return std::nullopt;
}

std::optional<Evse> SqliteRepository::evse_by_uid(EvseUid uid) {
  static const std::string sql = std::string(evse_columns) + "WHERE uid = ?1";
  std::optional<Evse> found;
  {
    auto s = db_.prepare(sql);
    s.bind(1, uid.value());
    if (s.step()) found = read_evse(s);
  }
  if (found) return evse(found->station, found->evse_id);
  return std::nullopt;
}

EvseUid SqliteRepository::insert_evse(const Evse &e) {
  auto s = db_.prepare("INSERT INTO evses (station_id, evse_id, emi3_id, emi3_key, status, capabilities, "
                       "floor_level, physical_reference, reported, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                       "?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (station_id, evse_id) DO NOTHING RETURNING uid");
  s.bind(1, e.station.str())
      .bind(2, e.evse_id)
      .bind(3, e.emi3_id ? std::optional{e.emi3_id->str()} : std::nullopt)
      .bind(4, emi3_key(e.emi3_id))
      .bind(5, to_string(e.status))
      .bind(6, join(e.capabilities))
      .bind(7, e.floor_level)
      .bind(8, e.physical_reference)
      .bind(9, e.reported ? 1 : 0)
      .bind(10, to_unix_ms(e.created_at))
      .bind(11, to_unix_ms(e.updated_at));
  std::optional<EvseUid> uid;
  if (s.step()) uid = EvseUid{s.int64(0)};
  s.run();
  if (!uid) { // another writer described or reported it first: add to that one
    auto existing = db_.prepare("SELECT uid FROM evses WHERE station_id = ?1 AND evse_id = ?2");
    existing.bind(1, e.station.str()).bind(2, e.evse_id);
    if (!existing.step()) throw SqliteError("EVSE neither inserted nor found");
    uid = EvseUid{existing.int64(0)};
  }
  for (const auto &c : e.connectors)
    put_connector(*uid, c);
  return *uid;
}

void SqliteRepository::update_evse(const Evse &e) {
  auto s = db_.prepare("UPDATE evses SET emi3_id = ?2, emi3_key = ?3, status = ?4, capabilities = ?5, "
                       "floor_level = ?6, physical_reference = ?7, reported = ?8, updated_at = ?9 WHERE uid = ?1");
  s.bind(1, e.uid.value())
      .bind(2, e.emi3_id ? std::optional{e.emi3_id->str()} : std::nullopt)
      .bind(3, emi3_key(e.emi3_id))
      .bind(4, to_string(e.status))
      .bind(5, join(e.capabilities))
      .bind(6, e.floor_level)
      .bind(7, e.physical_reference)
      .bind(8, e.reported ? 1 : 0)
      .bind(9, to_unix_ms(e.updated_at));
  s.run();
}

void SqliteRepository::set_evse_status(EvseUid uid, EvseStatus status, Timestamp at) {
  auto s = db_.prepare("UPDATE evses SET status = ?2, updated_at = ?3 WHERE uid = ?1 AND status <> ?2");
  s.bind(1, uid.value()).bind(2, to_string(status)).bind(3, to_unix_ms(at));
  s.run();
}

bool SqliteRepository::delete_evse(EvseUid uid) {
  auto s = db_.prepare("DELETE FROM evses WHERE uid = ?1"); // connectors: ON DELETE CASCADE
  s.bind(1, uid.value());
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

void SqliteRepository::put_connector(EvseUid evse, const Connector &c) {
  auto s = db_.prepare(
      "INSERT INTO connectors (evse_uid, connector_id, standard, format, power_type, max_voltage_v, max_amperage_ma, "
      "max_electric_power_w, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT (evse_uid, connector_id) DO UPDATE SET standard = excluded.standard, format = excluded.format, "
      "power_type = excluded.power_type, max_voltage_v = excluded.max_voltage_v, max_amperage_ma = "
      "excluded.max_amperage_ma, max_electric_power_w = excluded.max_electric_power_w, updated_at = "
      "excluded.updated_at");
  s.bind(1, evse.value())
      .bind(2, c.connector_id)
      .bind(3, text_of(c.standard))
      .bind(4, text_of(c.format))
      .bind(5, text_of(c.power_type))
      .bind(6, count_of(c.max_voltage))
      .bind(7, count_of(c.max_amperage))
      .bind(8, count_of(c.max_electric_power))
      .bind(9, to_unix_ms(c.created_at))
      .bind(10, to_unix_ms(c.updated_at));
  s.run();
}

bool SqliteRepository::delete_connector(EvseUid evse, int connector_id) {
  auto s = db_.prepare("DELETE FROM connectors WHERE evse_uid = ?1 AND connector_id = ?2");
  s.bind(1, evse.value()).bind(2, connector_id);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

} // namespace gridlane::store::sqlite
