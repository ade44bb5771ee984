#include "gridlane/services/location_service.hpp"

#include <algorithm>

#include "gridlane/core/ids.hpp"
#include "gridlane/core/tz.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

// Bounds of OCPI 2.2.1 mod_locations (string(n) and CiString(n) lengths).
constexpr std::size_t max_name = 255, max_address = 45, max_city = 45, max_postal_code = 10, max_state = 20,
                      max_business_name = 100, max_website = 255, max_floor_level = 4, max_physical_reference = 16;
// Plausible ratings: a connector beyond these is a typo (kV for V, A for mA), refused.
constexpr std::int64_t max_voltage_v = 10'000, max_amperage_ma = 10'000'000, max_power_w = 10'000'000;

Result<void> fail(std::string message, std::string field) {
  return ServiceError::invalid(std::move(message), field);
}

Result<void> check_text(const std::optional<std::string> &v, std::size_t max, const char *field) {
  if (v && (v->empty() || v->size() > max))
    return fail(std::string(field) + " must be 1 to " + std::to_string(max) + " characters", field);
  return {};
}

Result<void> check_business(const std::optional<BusinessDetails> &b, const char *field) {
  if (!b) return {};
  if (b->name.empty() || b->name.size() > max_business_name)
    return fail(std::string(field) + ".name must be 1 to 100 characters", std::string(field) + ".name");
  if (b->website) {
    const auto &w = *b->website;
    if (w.size() > max_website || !(w.starts_with("https://") || w.starts_with("http://")) ||
        w.find_first_of(" \t\r\n") != std::string::npos)
      return fail(std::string(field) + ".website must be an http(s) URL", std::string(field) + ".website");
  }
  return {};
}

Result<void> check_hours(const OpeningTimes &h) {
  if (h.twentyfourseven && !h.regular_hours.empty())
    return fail("regular_hours are only for a location that is not open twentyfourseven",
                "opening_times.regular_hours");
  if (!h.twentyfourseven && h.regular_hours.empty())
    return fail("a location not open twentyfourseven needs regular_hours", "opening_times.regular_hours");
  for (const auto &r : h.regular_hours) {
    if (r.weekday < 1 || r.weekday > 7)
      return fail("weekday must be 1 (Monday) to 7 (Sunday)", "opening_times.regular_hours.weekday");
    if (!valid_clock_time(r.period_begin) || !valid_clock_time(r.period_end, true) || r.period_end <= r.period_begin)
      return fail("a regular period is \"HH:MM\" to a later \"HH:MM\"", "opening_times.regular_hours");
  }
  for (const auto *list : {&h.exceptional_openings, &h.exceptional_closings})
    for (const auto &p : *list)
      if (p.period_end <= p.period_begin)
        return fail("an exceptional period must end after it begins", "opening_times");
  return {};
}

Result<void> check_connector(const Connector &c) {
  if (c.connector_id < 1 || c.connector_id > max_wire_int)
    return fail("connector id must be a positive integer", "connector_id");
  if (!c.standard) return fail("standard is required (OCPI ConnectorType, e.g. IEC_62196_T2)", "standard");
  if (!c.format) return fail("format is required: SOCKET or CABLE", "format");
  if (!c.power_type) return fail("power_type is required: AC_1_PHASE, AC_2_PHASE, AC_3_PHASE or DC", "power_type");
  if (!c.max_voltage || c.max_voltage->count() < 1 || c.max_voltage->count() > max_voltage_v)
    return fail("max_voltage is required: 1 to 10000 V", "max_voltage");
  if (!c.max_amperage || c.max_amperage->count() < 1 || c.max_amperage->count() > max_amperage_ma)
    return fail("max_amperage is required: more than 0 and at most 10000 A", "max_amperage");
  if (c.max_electric_power && (c.max_electric_power->count() < 1 || c.max_electric_power->count() > max_power_w))
    return fail("max_electric_power must be 1 W to 10 MW", "max_electric_power");
  return {};
}

//! OCPI: a 1.6 station's connector is an EVSE of its own, so its only connector is 1.
Result<void> check_protocol(const Station &s, int connector_id) {
  if (s.protocol == ProtocolVersion::Ocpp16 && connector_id != 1)
    return fail("an OCPP 1.6 station has one connector per EVSE: EVSE n is its connector n, with connector 1",
                "connector_id");
  return {};
}

Result<Station> known_station(Repository &r, const StationId &id) {
  auto s = r.station(id);
  if (!s) return ServiceError::not_found("no such station");
  return *s;
}

} // namespace

bool tzdata_zone_exists(std::string_view zone) {
  return core::is_valid_zone(zone);
}

EvseStatus evse_status_of(ConnectorStatus s) {
  switch (s) {
  case ConnectorStatus::Available: return EvseStatus::Available;
  case ConnectorStatus::Reserved: return EvseStatus::Reserved;
  case ConnectorStatus::Unavailable: return EvseStatus::Inoperative;
  case ConnectorStatus::Faulted: return EvseStatus::OutOfOrder;
  case ConnectorStatus::Preparing:
  case ConnectorStatus::Charging:
  case ConnectorStatus::SuspendedEVSE:
  case ConnectorStatus::SuspendedEV:
  case ConnectorStatus::Finishing:
  case ConnectorStatus::Occupied: return EvseStatus::Charging;
  }
  return EvseStatus::Unknown;
}

Result<void> LocationService::check(const Location &l) const {
  if (l.name.empty() || l.name.size() > max_name) return fail("name must be 1 to 255 characters", "name");
  if (auto ok = check_text(l.address, max_address, "address"); !ok) return ok;
  if (auto ok = check_text(l.city, max_city, "city"); !ok) return ok;
  if (auto ok = check_text(l.postal_code, max_postal_code, "postal_code"); !ok) return ok;
  if (auto ok = check_text(l.state, max_state, "state"); !ok) return ok;
  if (l.country && !valid_country_alpha3(*l.country))
    return fail("country must be an ISO 3166-1 alpha-3 code, e.g. NLD", "country");
  if (l.coordinates && !valid_latitude(l.coordinates->latitude))
    return fail("latitude must be decimal degrees with 5 to 7 decimals within ±90, e.g. \"52.3702160\"",
                "coordinates.latitude");
  if (l.coordinates && !valid_longitude(l.coordinates->longitude))
    return fail("longitude must be decimal degrees with 5 to 7 decimals within ±180, e.g. \"4.8951680\"",
                "coordinates.longitude");
  if (l.time_zone && !zones_(*l.time_zone))
    return fail("time_zone must be an IANA time zone, e.g. Europe/Amsterdam", "time_zone");
  if (auto ok = check_business(l.operator_details, "operator"); !ok) return ok;
  if (auto ok = check_business(l.suboperator, "suboperator"); !ok) return ok;
  if (auto ok = check_business(l.owner, "owner"); !ok) return ok;
  if (l.opening_times)
    if (auto ok = check_hours(*l.opening_times); !ok) return ok;
  // OCPI requires these of every location it carries: only a complete one is published.
  if (l.publish && !(l.address && l.city && l.country && l.coordinates && l.time_zone))
    return fail("a published location needs address, city, country, coordinates and time_zone", "publish");
  return {};
}

Result<Location> LocationService::create_location(Repository &r, Location draft, Timestamp now) const {
  if (draft.id.str().empty()) {
    do
      draft.id = LocationId::unchecked(core::random_hex_id());
    while (r.location(draft.id));
  } else if (r.location(draft.id)) {
    return ServiceError::conflict("location " + draft.id.str() + " already exists");
  }
  std::sort(draft.facilities.begin(), draft.facilities.end());
  draft.facilities.erase(std::unique(draft.facilities.begin(), draft.facilities.end()), draft.facilities.end());
  if (auto ok = check(draft); !ok) return ok.error();
  if (r.location_by_name(draft.name))
    return ServiceError::conflict("a location named '" + draft.name + "' already exists");
  draft.created_at = draft.updated_at = now;
  r.insert_location(draft);
  return *r.location(draft.id);
}

Result<Location> LocationService::update_location(Repository &r, Location changed, Timestamp now) const {
  auto current = r.location(changed.id);
  if (!current) return ServiceError::not_found("no such location");
  std::sort(changed.facilities.begin(), changed.facilities.end());
  changed.facilities.erase(std::unique(changed.facilities.begin(), changed.facilities.end()), changed.facilities.end());
  if (auto ok = check(changed); !ok) return ok.error();
  if (auto other = r.location_by_name(changed.name); other && other->id != changed.id)
    return ServiceError::conflict("a location named '" + changed.name + "' already exists");
  changed.created_at = current->created_at;
  changed.updated_at = now;
  r.update_location(changed);
  return *r.location(changed.id);
}

Result<Location> LocationService::location(Repository &r, const LocationId &id) const {
  if (auto l = r.location(id)) return *l;
  return ServiceError::not_found("no such location");
}

std::vector<Location> LocationService::locations(Repository &r, const LocationFilter &f) const {
  return r.locations(f);
}

Result<void> LocationService::delete_location(Repository &r, const LocationId &id) const {
  if (!r.location(id)) return ServiceError::not_found("no such location");
  if (auto n = r.count_location_stations(id); n > 0)
    return ServiceError::conflict("location " + id.str() + " still has " + std::to_string(n) +
                                  " station(s); move or delete them first");
  r.delete_location(id);
  return {};
}

Result<Station> LocationService::assign_station(Repository &r, const StationId &station,
                                                const std::optional<LocationId> &location) const {
  auto s = known_station(r, station);
  if (!s) return s;
  if (location && !r.location(*location)) return ServiceError::invalid("no such location", "location_id");
  r.set_station_location(station, location);
  return *r.station(station);
}

Result<std::vector<Evse>> LocationService::evses(Repository &r, const StationId &station) const {
  if (auto s = known_station(r, station); !s) return s.error();
  return r.evses(station);
}

Result<Evse> LocationService::evse(Repository &r, const StationId &station, int evse_id) const {
  if (auto s = known_station(r, station); !s) return s.error();
  if (auto e = r.evse(station, evse_id)) return *e;
  return ServiceError::not_found("no such EVSE");
}

Result<Evse> LocationService::evse(Repository &r, EvseUid uid) const {
  if (auto e = r.evse_by_uid(uid)) return *e;
  return ServiceError::not_found("no such EVSE");
}

Result<Saved<Evse>> LocationService::put_evse(Repository &r, Evse draft, EvseWrite how, Timestamp now) const {
  auto station = known_station(r, draft.station);
  if (!station) return station.error();
  if (draft.evse_id < 1 || draft.evse_id > max_wire_int)
    return ServiceError::invalid("the EVSE id must be a positive integer", "evse_id");
  if (auto ok = check_text(draft.floor_level, max_floor_level, "floor_level"); !ok) return ok.error();
  if (auto ok = check_text(draft.physical_reference, max_physical_reference, "physical_reference"); !ok)
    return ok.error();
  for (std::size_t i = 0; i < draft.connectors.size(); ++i) {
    auto ok = check_connector(draft.connectors[i]);
    if (ok) ok = check_protocol(*station, draft.connectors[i].connector_id);
    if (!ok) {
      auto e = ok.error();
      e.field = "connectors[" + std::to_string(i) + "]." + e.field.value_or("");
      return e;
    }
  }
  auto existing = r.evse(draft.station, draft.evse_id);
  if (existing && how.must_be_new)
    return ServiceError::conflict("EVSE " + std::to_string(draft.evse_id) + " of station " + draft.station.str() +
                                  " is already known (uid " + std::to_string(existing->uid.value()) + ")");
  for (std::size_t i = 0; i < draft.connectors.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (draft.connectors[i].connector_id == draft.connectors[j].connector_id)
        return ServiceError::invalid("connector ids must differ", "connectors[" + std::to_string(i) + "].connector_id");
  if (draft.emi3_id) {
    auto holder = r.evse_by_emi3(*draft.emi3_id);
    if (holder && (!existing || holder->uid != existing->uid))
      return ServiceError::conflict("EVSE id " + draft.emi3_id->str() + " is already used by EVSE " +
                                    std::to_string(holder->evse_id) + " of station " + holder->station.str());
  }
  std::sort(draft.capabilities.begin(), draft.capabilities.end());
  draft.capabilities.erase(std::unique(draft.capabilities.begin(), draft.capabilities.end()), draft.capabilities.end());
  for (auto &c : draft.connectors)
    c.created_at = c.updated_at = now;
  draft.reported = false; // described by an operator now
  draft.updated_at = now;
  if (!existing) {
    draft.created_at = now;
    r.insert_evse(draft);
    return Saved<Evse>{*r.evse(draft.station, draft.evse_id), true};
  }
  draft.uid = existing->uid;
  draft.created_at = existing->created_at;
  if (!how.status_given) draft.status = existing->status;
  r.update_evse(draft);
  if (how.replace_connectors)
    for (const auto &old : existing->connectors)
      if (std::none_of(draft.connectors.begin(), draft.connectors.end(),
                       [&](const Connector &k) { return k.connector_id == old.connector_id; }))
        r.delete_connector(existing->uid, old.connector_id);
  for (auto c : draft.connectors) {
    if (auto old = std::find_if(existing->connectors.begin(), existing->connectors.end(),
                                [&](const Connector &k) { return k.connector_id == c.connector_id; });
        old != existing->connectors.end())
      c.created_at = old->created_at;
    r.put_connector(existing->uid, c);
  }
  return Saved<Evse>{*r.evse(draft.station, draft.evse_id), false};
}

Result<void> LocationService::delete_evse(Repository &r, const StationId &station, int evse_id) const {
  if (auto s = known_station(r, station); !s) return s.error();
  auto e = r.evse(station, evse_id);
  if (!e) return ServiceError::not_found("no such EVSE");
  r.delete_evse(e->uid);
  return {};
}

Result<Saved<Evse>> LocationService::put_connector(Repository &r, const StationId &station, int evse_id, Connector c,
                                                   Timestamp now) const {
  auto s = known_station(r, station);
  if (!s) return s.error();
  auto e = r.evse(station, evse_id);
  if (!e) return ServiceError::not_found("no such EVSE: describe the EVSE first");
  if (auto ok = check_connector(c); !ok) return ok.error();
  if (auto ok = check_protocol(*s, c.connector_id); !ok) return ok.error();
  auto old = std::find_if(e->connectors.begin(), e->connectors.end(),
                          [&](const Connector &k) { return k.connector_id == c.connector_id; });
  const bool created = old == e->connectors.end();
  c.created_at = created ? now : old->created_at;
  c.updated_at = now;
  r.put_connector(e->uid, c);
  return Saved<Evse>{*r.evse(station, evse_id), created};
}

Result<void> LocationService::delete_connector(Repository &r, const StationId &station, int evse_id,
                                               int connector_id) const {
  if (auto s = known_station(r, station); !s) return s.error();
  auto e = r.evse(station, evse_id);
  if (!e || !r.delete_connector(e->uid, connector_id)) return ServiceError::not_found("no such connector");
  return {};
}

void observe_connector(Repository &r, const StationId &station, ProtocolVersion protocol, int evse_id, int connector_id,
                       std::optional<ConnectorStatus> status, Timestamp now) {
  if (evse_id <= 0) return; // the station as a whole
  // 1.6: connector n is EVSE n with its connector 1 (OCPI, "Multiple connectors per EVSE").
  const int connector = protocol == ProtocolVersion::Ocpp16 ? 1 : connector_id;
  auto e = r.evse(station, evse_id);
  if (!e) {
    Evse fresh;
    fresh.station = station;
    fresh.evse_id = evse_id;
    fresh.reported = true;
    fresh.status = status ? evse_status_of(*status) : EvseStatus::Unknown;
    fresh.created_at = fresh.updated_at = now;
    if (connector > 0) {
      Connector c;
      c.connector_id = connector;
      c.created_at = c.updated_at = now;
      fresh.connectors.push_back(c);
    }
    r.insert_evse(fresh);
    return;
  }
  if (connector > 0 && std::none_of(e->connectors.begin(), e->connectors.end(),
                                    [&](const Connector &k) { return k.connector_id == connector; })) {
    Connector c;
    c.connector_id = connector;
    c.created_at = c.updated_at = now;
    r.put_connector(e->uid, c);
  }
  // A removed EVSE stays removed until an operator says otherwise.
  if (status && e->status != EvseStatus::Removed) r.set_evse_status(e->uid, evse_status_of(*status), now);
}

} // namespace gridlane::services
