// The OCPI Location, EVSE and Connector objects Gridlane sends (mod_locations, "Object
// description"): fields in the spec's order, absent optionals left out (never null or []).
#include "gridlane/ocpi/location_codec.hpp"

#include <algorithm>

#include <boost/json/array.hpp>

#include "gridlane/ocpi/wire.hpp"
#include "gridlane/services/location_service.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using domain::Connector;
using domain::Evse;
using domain::EvseStatus;
using domain::Location;

namespace {

//! How busy a status makes an EVSE when its connectors disagree: the busiest wins (as the
//! driver portal combines them).
int weight(EvseStatus s) {
  switch (s) {
  case EvseStatus::Charging: return 7;
  case EvseStatus::Blocked: return 6;
  case EvseStatus::OutOfOrder: return 5;
  case EvseStatus::Inoperative: return 4;
  case EvseStatus::Reserved: return 3;
  case EvseStatus::Available: return 2;
  case EvseStatus::Planned:
  case EvseStatus::Removed:
  case EvseStatus::Unknown: return 0;
  }
  return 0;
}

json::object business(const domain::BusinessDetails &b) {
  json::object o;
  o["name"] = b.name;
  if (b.website) o["website"] = *b.website;
  return o;
}

json::object period(const domain::ExceptionalPeriod &p) {
  json::object o;
  o["period_begin"] = format_datetime(p.period_begin);
  o["period_end"] = format_datetime(p.period_end);
  return o;
}

json::object hours(const domain::OpeningTimes &h) {
  json::object o;
  o["twentyfourseven"] = h.twentyfourseven;
  if (!h.twentyfourseven && !h.regular_hours.empty()) {
    json::array regular;
    for (const auto &r : h.regular_hours)
      regular.push_back(
          json::object{{"weekday", r.weekday}, {"period_begin", r.period_begin}, {"period_end", r.period_end}});
    o["regular_hours"] = std::move(regular);
  }
  if (!h.exceptional_openings.empty()) {
    json::array a;
    for (const auto &p : h.exceptional_openings)
      a.push_back(period(p));
    o["exceptional_openings"] = std::move(a);
  }
  if (!h.exceptional_closings.empty()) {
    json::array a;
    for (const auto &p : h.exceptional_closings)
      a.push_back(period(p));
    o["exceptional_closings"] = std::move(a);
  }
  return o;
}

} // namespace

EvseStatus evse_status(const Evse &e, const std::vector<domain::StatusReport> &statuses) {
  // An operator's REMOVED or PLANNED holds whatever the station says (mod_locations, "Flow").
  if (e.status == EvseStatus::Removed || e.status == EvseStatus::Planned) return e.status;
  bool reported = false;
  auto out = EvseStatus::Unknown;
  for (const auto &s : statuses) {
    const bool station_wide = s.evse_id == 0 && (s.status == domain::ConnectorStatus::Faulted ||
                                                 s.status == domain::ConnectorStatus::Unavailable);
    if (s.evse_id != e.evse_id && !station_wide) continue;
    reported = true;
    auto mine = services::evse_status_of(s.status);
    if (weight(mine) > weight(out)) out = mine;
  }
  return reported ? out : e.status;
}

bool publishable(const Connector &c) {
  return c.standard && c.format && c.power_type && c.max_voltage && c.max_amperage && c.max_voltage->count() >= 0 &&
         c.max_amperage->count() >= 0;
}

bool publishable(const Evse &e) {
  return std::any_of(e.connectors.begin(), e.connectors.end(), [](const Connector &c) { return publishable(c); });
}

bool publishable(const Location &l) {
  return l.address && l.city && l.country && l.coordinates && l.time_zone;
}

core::Timestamp evse_last_updated(const Evse &e) {
  auto t = e.updated_at;
  for (const auto &c : e.connectors)
    t = std::max(t, c.updated_at);
  return t;
}

std::optional<json::object> connector_json(const Connector &c) {
  if (!publishable(c)) return std::nullopt;
  json::object o;
  o["id"] = std::to_string(c.connector_id);
  o["standard"] = to_string(*c.standard);
  o["format"] = to_string(*c.format);
  o["power_type"] = to_string(*c.power_type);
  o["max_voltage"] = c.max_voltage->count();
  o["max_amperage"] = c.max_amperage->count() / 1000; // OCPI: whole amperes; Gridlane keeps mA
  if (c.max_electric_power && c.max_electric_power->count() >= 0)
    o["max_electric_power"] = c.max_electric_power->count();
  o["last_updated"] = format_datetime(c.updated_at);
  return o;
}

std::optional<json::object> evse_json(const Evse &e, const std::vector<domain::StatusReport> &statuses) {
  json::array connectors;
  for (const auto &c : e.connectors)
    if (auto j = connector_json(c)) connectors.push_back(std::move(*j));
  if (connectors.empty()) return std::nullopt; // OCPI: at least one connector
  json::object o;
  o["uid"] = std::to_string(e.uid.value());
  if (e.emi3_id) o["evse_id"] = e.emi3_id->str();
  o["status"] = to_string(evse_status(e, statuses));
  if (!e.capabilities.empty()) {
    json::array caps;
    for (auto c : e.capabilities)
      caps.push_back(json::string(to_string(c)));
    o["capabilities"] = std::move(caps);
  }
  o["connectors"] = std::move(connectors);
  if (e.floor_level) o["floor_level"] = *e.floor_level;
  if (e.physical_reference) o["physical_reference"] = *e.physical_reference;
  o["last_updated"] = format_datetime(evse_last_updated(e));
  return o;
}

std::optional<json::object> location_json(const domain::LocationSnapshot &snap, const domain::PartyId &self) {
  const auto &l = snap.location;
  if (!publishable(l)) return std::nullopt;
  json::object o;
  o["country_code"] = self.country_code;
  o["party_id"] = self.party_id;
  o["id"] = l.id.str();
  o["publish"] = l.publish;
  o["name"] = l.name;
  o["address"] = *l.address;
  o["city"] = *l.city;
  if (l.postal_code) o["postal_code"] = *l.postal_code;
  if (l.state) o["state"] = *l.state;
  o["country"] = *l.country;
  o["coordinates"] = json::object{{"latitude", l.coordinates->latitude}, {"longitude", l.coordinates->longitude}};
  if (l.parking_type) o["parking_type"] = to_string(*l.parking_type);
  json::array evses;
  for (const auto &e : snap.evses)
    if (auto j = evse_json(e, snap.statuses)) evses.push_back(std::move(*j));
  if (!evses.empty()) o["evses"] = std::move(evses);
  if (l.operator_details) o["operator"] = business(*l.operator_details);
  if (l.suboperator) o["suboperator"] = business(*l.suboperator);
  if (l.owner) o["owner"] = business(*l.owner);
  if (!l.facilities.empty()) {
    json::array f;
    for (auto x : l.facilities)
      f.push_back(json::string(to_string(x)));
    o["facilities"] = std::move(f);
  }
  o["time_zone"] = *l.time_zone;
  if (l.opening_times) o["opening_times"] = hours(*l.opening_times);
  // OCPI: a Location's last_updated covers its EVSEs and their connectors (mod_locations, "GET List").
  auto last = std::max(snap.last_updated, l.updated_at);
  for (const auto &e : snap.evses)
    last = std::max(last, evse_last_updated(e));
  o["last_updated"] = format_datetime(last);
  return o;
}

json::object status_patch_json(EvseStatus status, core::Timestamp last_updated) {
  return json::object{{"status", to_string(status)}, {"last_updated", format_datetime(last_updated)}};
}

} // namespace gridlane::ocpi
