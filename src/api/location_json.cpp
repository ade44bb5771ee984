// The codec of the physical model: domain Location / EVSE / Connector <-> the API's JSON.
#include <boost/json.hpp>
#include <cmath>

#include "gridlane/api/locations.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::api {
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

json::value text_or_null(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value business_json(const std::optional<BusinessDetails> &b) {
  if (!b) return nullptr;
  return json::object{{"name", b->name}, {"website", text_or_null(b->website)}};
}

json::array periods_json(const std::vector<ExceptionalPeriod> &periods) {
  json::array out;
  for (const auto &p : periods)
    out.push_back(
        {{"period_begin", core::format_iso8601(p.period_begin)}, {"period_end", core::format_iso8601(p.period_end)}});
  return out;
}

template <class E> json::array names(const std::vector<E> &values) {
  json::array out;
  for (const auto &v : values)
    out.push_back(json::string(to_string(v)));
  return out;
}

//! Amperes as OCPI writes them: an integer when whole, else a decimal of up to three places.
json::value amperes(core::Current c) {
  if (c.count() % 1000 == 0) return c.count() / 1000;
  return static_cast<double>(c.count()) / 1000.0;
}

Result<void> bad(const std::string &field, const std::string &what) {
  return ServiceError::invalid("'" + field + "' must be " + what, field);
}

//! An optional string field: absent leaves `out`, null clears it, a string sets it.
Result<void> opt_text(const json::object &o, std::string_view key, std::optional<std::string> &out) {
  const auto *v = o.if_contains(key);
  if (!v) return {};
  if (v->is_null()) {
    out.reset();
    return {};
  }
  if (!v->is_string()) return bad(std::string(key), "a string or null");
  out = std::string(v->get_string());
  return {};
}

Result<void> business(const json::object &o, std::string_view key, std::optional<BusinessDetails> &out) {
  const auto *v = o.if_contains(key);
  if (!v) return {};
  if (v->is_null()) {
    out.reset();
    return {};
  }
  const std::string field(key);
  if (!v->is_object()) return bad(field, "an object {name, website} or null");
  const auto &b = v->get_object();
  const auto *name = b.if_contains("name");
  if (!name || !name->is_string()) return bad(field + ".name", "a string");
  BusinessDetails d{std::string(name->get_string()), std::nullopt};
  if (auto ok = opt_text(b, "website", d.website); !ok) return bad(field + ".website", "a string or null");
  out = std::move(d);
  return {};
}

Result<std::vector<ExceptionalPeriod>> periods(const json::value &v, const std::string &field) {
  std::vector<ExceptionalPeriod> out;
  if (!v.is_array()) return ServiceError::invalid("'" + field + "' must be an array", field);
  for (const auto &p : v.get_array()) {
    const auto *o = p.if_object();
    const json::value *b = o ? o->if_contains("period_begin") : nullptr;
    const json::value *e = o ? o->if_contains("period_end") : nullptr;
    std::optional<Timestamp> begin, end;
    if (b && b->is_string()) begin = core::parse_iso8601(b->get_string());
    if (e && e->is_string()) end = core::parse_iso8601(e->get_string());
    if (!begin || !end)
      return ServiceError::invalid("'" + field + "' holds {period_begin, period_end} as RFC 3339 date-times", field);
    out.push_back({*begin, *end});
  }
  return out;
}

Result<OpeningTimes> opening_times(const json::value &v) {
  if (!v.is_object()) return ServiceError::invalid("'opening_times' must be an object", "opening_times");
  const auto &o = v.get_object();
  OpeningTimes h;
  const auto *t = o.if_contains("twentyfourseven");
  if (!t || !t->is_bool())
    return ServiceError::invalid("'opening_times.twentyfourseven' must be a boolean", "opening_times.twentyfourseven");
  h.twentyfourseven = t->get_bool();
  if (const auto *r = o.if_contains("regular_hours")) {
    if (!r->is_array())
      return ServiceError::invalid("'opening_times.regular_hours' must be an array", "opening_times.regular_hours");
    for (const auto &e : r->get_array()) {
      const auto *x = e.if_object();
      const json::value *day = x ? x->if_contains("weekday") : nullptr;
      const json::value *b = x ? x->if_contains("period_begin") : nullptr;
      const json::value *en = x ? x->if_contains("period_end") : nullptr;
      if (!day || !day->is_int64() || !b || !b->is_string() || !en || !en->is_string())
        return ServiceError::invalid("a regular period is {weekday, period_begin, period_end}",
                                     "opening_times.regular_hours");
      auto wd = day->get_int64();
      h.regular_hours.push_back(
          {wd < 0 || wd > 7 ? 0 : static_cast<int>(wd), std::string(b->get_string()), std::string(en->get_string())});
    }
  }
  for (auto [key, list] : {std::pair{"exceptional_openings", &h.exceptional_openings},
                           std::pair{"exceptional_closings", &h.exceptional_closings}}) {
    if (const auto *p = o.if_contains(key)) {
      auto got = periods(*p, std::string("opening_times.") + key);
      if (!got) return got.error();
      *list = std::move(*got);
    }
  }
  return h;
}

template <class E, class Parse>
Result<void> enum_list(const json::object &o, std::string_view key, std::vector<E> &out, Parse parse,
                       const char *example) {
  const auto *v = o.if_contains(key);
  if (!v) return {};
  const std::string field(key);
  if (!v->is_array()) return bad(field, std::string("an array of names such as ") + example);
  std::vector<E> values;
  for (const auto &e : v->get_array()) {
    auto parsed = e.is_string() ? parse(e.get_string()) : std::nullopt;
    if (!parsed) return bad(field, std::string("an array of names such as ") + example);
    values.push_back(*parsed);
  }
  out = std::move(values);
  return {};
}

//! An integer within [min, max] from a JSON integer (or a double with no fraction).
std::optional<std::int64_t> whole(const json::value &v, std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(max)) return std::nullopt;
    n = static_cast<std::int64_t>(v.get_uint64());
  } else if (v.is_double()) {
    double d = v.get_double();
    if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(min) || d > static_cast<double>(max))
      return std::nullopt;
    n = static_cast<std::int64_t>(d);
  } else {
    return std::nullopt;
  }
  if (n < min || n > max) return std::nullopt;
  return n;
}

//! Amperes with at most three decimals, as mA; the bound keeps every product exact.
std::optional<std::int64_t> milliamps(const json::value &v) {
  if (auto n = whole(v, 0, 1'000'000)) return *n * 1000;
  if (!v.is_double()) return std::nullopt;
  double a = v.get_double();
  if (!std::isfinite(a) || a < 0 || a > 1'000'000) return std::nullopt;
  double ma = a * 1000;
  auto rounded = std::llround(ma);
  if (std::fabs(ma - static_cast<double>(rounded)) > 1e-6) return std::nullopt;
  return rounded;
}

} // namespace

json::object location_json(const Location &l) {
  json::object o{{"id", l.id.str()},
                 {"name", l.name},
                 {"address", text_or_null(l.address)},
                 {"city", text_or_null(l.city)},
                 {"postal_code", text_or_null(l.postal_code)},
                 {"state", text_or_null(l.state)},
                 {"country", text_or_null(l.country)}};
  o["coordinates"] =
      l.coordinates
          ? json::value(json::object{{"latitude", l.coordinates->latitude}, {"longitude", l.coordinates->longitude}})
          : json::value(nullptr);
  o["time_zone"] = text_or_null(l.time_zone);
  o["operator"] = business_json(l.operator_details);
  o["suboperator"] = business_json(l.suboperator);
  o["owner"] = business_json(l.owner);
  if (l.opening_times) {
    json::array regular;
    for (const auto &r : l.opening_times->regular_hours)
      regular.push_back({{"weekday", r.weekday}, {"period_begin", r.period_begin}, {"period_end", r.period_end}});
    o["opening_times"] = json::object{{"twentyfourseven", l.opening_times->twentyfourseven},
                                      {"regular_hours", std::move(regular)},
                                      {"exceptional_openings", periods_json(l.opening_times->exceptional_openings)},
                                      {"exceptional_closings", periods_json(l.opening_times->exceptional_closings)}};
  } else {
    o["opening_times"] = nullptr;
  }
  o["facilities"] = names(l.facilities);
  o["parking_type"] = l.parking_type ? json::value(to_string(*l.parking_type)) : json::value(nullptr);
  o["publish"] = l.publish;
  o["created_at"] = core::format_iso8601(l.created_at);
  o["last_updated"] = core::format_iso8601(l.updated_at);
  return o;
}

json::object connector_json(const Connector &c) {
  json::object o{{"connector_id", c.connector_id}};
  o["standard"] = c.standard ? json::value(to_string(*c.standard)) : json::value(nullptr);
  o["format"] = c.format ? json::value(to_string(*c.format)) : json::value(nullptr);
  o["power_type"] = c.power_type ? json::value(to_string(*c.power_type)) : json::value(nullptr);
  o["max_voltage"] = c.max_voltage ? json::value(c.max_voltage->count()) : json::value(nullptr);
  o["max_amperage"] = c.max_amperage ? amperes(*c.max_amperage) : json::value(nullptr);
  o["max_electric_power"] = c.max_electric_power ? json::value(c.max_electric_power->count()) : json::value(nullptr);
  o["last_updated"] = core::format_iso8601(c.updated_at);
  return o;
}

json::object evse_json(const Evse &e) {
  json::array connectors;
  for (const auto &c : e.connectors)
    connectors.push_back(connector_json(c));
  return json::object{{"uid", std::to_string(e.uid.value())},
                      {"station_id", e.station.str()},
                      {"evse_id", e.evse_id},
                      {"emi3_id", e.emi3_id ? json::value(e.emi3_id->str()) : json::value(nullptr)},
                      {"status", to_string(e.status)},
                      {"capabilities", names(e.capabilities)},
                      {"floor_level", text_or_null(e.floor_level)},
                      {"physical_reference", text_or_null(e.physical_reference)},
                      {"reported", e.reported},
                      {"connectors", std::move(connectors)},
                      {"created_at", core::format_iso8601(e.created_at)},
                      {"last_updated", core::format_iso8601(e.updated_at)}};
}

Result<void> apply_location_fields(const json::object &b, Location &l, bool with_id) {
  if (with_id) {
    if (const auto *v = b.if_contains("id")) {
      auto id = v->is_string() ? LocationId::parse(v->get_string()) : std::nullopt;
      if (!id) return bad("id", "1 to 36 characters of A-Z a-z 0-9 . _ -");
      l.id = *id;
    }
  }
  if (const auto *v = b.if_contains("name")) {
    if (!v->is_string()) return bad("name", "a string");
    l.name = std::string(v->get_string());
  }
  for (auto [key, field] :
       {std::pair{"address", &l.address}, std::pair{"city", &l.city}, std::pair{"postal_code", &l.postal_code},
        std::pair{"state", &l.state}, std::pair{"country", &l.country}, std::pair{"time_zone", &l.time_zone}})
    if (auto ok = opt_text(b, key, *field); !ok) return ok;
  if (const auto *v = b.if_contains("coordinates")) {
    if (v->is_null()) {
      l.coordinates.reset();
    } else {
      const auto *o = v->if_object();
      const json::value *lat = o ? o->if_contains("latitude") : nullptr;
      const json::value *lon = o ? o->if_contains("longitude") : nullptr;
      if (!lat || !lat->is_string() || !lon || !lon->is_string())
        return bad("coordinates", "{latitude, longitude} as decimal strings, e.g. \"52.370216\"");
      l.coordinates = GeoLocation{std::string(lat->get_string()), std::string(lon->get_string())};
    }
  }
  if (auto ok = business(b, "operator", l.operator_details); !ok) return ok;
  if (auto ok = business(b, "suboperator", l.suboperator); !ok) return ok;
  if (auto ok = business(b, "owner", l.owner); !ok) return ok;
  if (const auto *v = b.if_contains("opening_times")) {
    if (v->is_null()) {
      l.opening_times.reset();
    } else {
      auto h = opening_times(*v);
      if (!h) return h.error();
      l.opening_times = std::move(*h);
    }
  }
  if (auto ok = enum_list(b, "facilities", l.facilities, parse_facility, "PARKING_LOT, WIFI"); !ok) return ok;
  if (const auto *v = b.if_contains("parking_type")) {
    if (v->is_null()) {
      l.parking_type.reset();
    } else {
      auto p = v->is_string() ? parse_parking_type(v->get_string()) : std::nullopt;
      if (!p) return bad("parking_type", "an OCPI ParkingType such as ON_STREET or PARKING_GARAGE");
      l.parking_type = p;
    }
  }
  if (const auto *v = b.if_contains("publish")) {
    if (!v->is_bool()) return bad("publish", "a boolean");
    l.publish = v->get_bool();
  }
  return {};
}

Result<void> apply_evse_fields(const json::object &b, Evse &e, bool &status_given) {
  status_given = false;
  if (const auto *v = b.if_contains("emi3_id")) {
    if (v->is_null()) {
      e.emi3_id.reset();
    } else {
      auto id = v->is_string() ? Emi3EvseId::parse(v->get_string()) : std::nullopt;
      if (!id) return bad("emi3_id", "an eMI3 EVSE id such as NL*GLN*E000123*1");
      e.emi3_id = id;
    }
  }
  if (const auto *v = b.if_contains("status")) {
    auto s = v->is_string() ? parse_evse_status(v->get_string()) : std::nullopt;
    if (!s) return bad("status", "an OCPI status such as AVAILABLE, PLANNED or REMOVED");
    e.status = *s;
    status_given = true;
  }
  if (auto ok = enum_list(b, "capabilities", e.capabilities, parse_capability, "RFID_READER, RESERVABLE"); !ok)
    return ok;
  if (auto ok = opt_text(b, "floor_level", e.floor_level); !ok) return ok;
  if (auto ok = opt_text(b, "physical_reference", e.physical_reference); !ok) return ok;
  if (const auto *v = b.if_contains("connectors")) {
    if (!v->is_array()) return bad("connectors", "an array of connectors");
    e.connectors.clear();
    for (std::size_t i = 0; i < v->get_array().size(); ++i) {
      const auto &c = v->get_array()[i];
      const std::string field = "connectors[" + std::to_string(i) + "]";
      const auto *o = c.if_object();
      const json::value *id = o ? o->if_contains("connector_id") : nullptr;
      auto n = id ? whole(*id, 1, max_wire_int) : std::nullopt;
      if (!n) return bad(field + ".connector_id", "a positive integer");
      auto parsed = connector_from_json(*o, static_cast<int>(*n));
      if (!parsed) {
        auto err = parsed.error();
        err.field = field + "." + err.field.value_or("");
        return err;
      }
      e.connectors.push_back(*parsed);
    }
  }
  return {};
}

Result<Connector> connector_from_json(const json::object &b, int connector_id) {
  Connector c;
  c.connector_id = connector_id;
  if (const auto *v = b.if_contains("standard"); v && !v->is_null()) {
    c.standard = v->is_string() ? parse_connector_standard(v->get_string()) : std::nullopt;
    if (!c.standard) return bad("standard", "an OCPI ConnectorType such as IEC_62196_T2 or CHADEMO").error();
  }
  if (const auto *v = b.if_contains("format"); v && !v->is_null()) {
    c.format = v->is_string() ? parse_connector_format(v->get_string()) : std::nullopt;
    if (!c.format) return bad("format", "SOCKET or CABLE").error();
  }
  if (const auto *v = b.if_contains("power_type"); v && !v->is_null()) {
    c.power_type = v->is_string() ? parse_power_type(v->get_string()) : std::nullopt;
    if (!c.power_type) return bad("power_type", "AC_1_PHASE, AC_2_PHASE, AC_2_PHASE_SPLIT, AC_3_PHASE or DC").error();
  }
  if (const auto *v = b.if_contains("max_voltage"); v && !v->is_null()) {
    auto n = whole(*v, 0, 1'000'000);
    if (!n) return bad("max_voltage", "an integer of volts").error();
    c.max_voltage = core::volts(*n);
  }
  if (const auto *v = b.if_contains("max_amperage"); v && !v->is_null()) {
    auto ma = milliamps(*v);
    if (!ma) return bad("max_amperage", "amperes, with at most three decimals").error();
    c.max_amperage = core::milliamps(*ma);
  }
  if (const auto *v = b.if_contains("max_electric_power"); v && !v->is_null()) {
    auto n = whole(*v, 0, 1'000'000'000);
    if (!n) return bad("max_electric_power", "an integer of watts").error();
    c.max_electric_power = core::watts(*n);
  }
  return c;
}

} // namespace gridlane::api
