// POST /api/v1/tariffs/preview: prices a described session under a tariff without storing
// anything (docs/pricing.md). The body is read here, priced by pricing::price (the same function
// that prices live sessions and CDRs) and answered with the OCPI 2.2.1 CDR field names.
#include <cmath>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/core/tz.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/pricing/engine.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

// Bounds on the work one request can ask for (the engine's time grows with periods x elements).
constexpr std::size_t kMaxPeriods = 1'000;
constexpr std::size_t kMaxElements = 100;
constexpr std::int64_t kMaxEnergyWh = 100'000'000; // 100 MWh in one period
constexpr std::int64_t kMaxPowerW = 10'000'000;    // 10 MW
constexpr double kMaxCurrentA = 100'000;

//! "'key' what" (built by appending: GCC 12 warns wrongly on "'" + std::string(...)).
std::string says(std::string_view key, std::string_view what) {
  std::string out = "'";
  out.append(key).append("' ").append(what);
  return out;
}

json::value number(core::Decimal d) {
  if (d.units() % core::Decimal::kOne == 0) return json::value(d.units() / core::Decimal::kOne);
  return json::value(d.to_wire());
}

json::value price_json(const Price &p) {
  json::object o{{"excl_vat", number(p.excl_vat)}};
  if (p.incl_vat) o["incl_vat"] = number(*p.incl_vat);
  return o;
}

std::string_view dimension_text(CdrDimensionType t) {
  switch (t) {
  case CdrDimensionType::Current: return "CURRENT";
  case CdrDimensionType::Energy: return "ENERGY";
  case CdrDimensionType::EnergyExport: return "ENERGY_EXPORT";
  case CdrDimensionType::EnergyImport: return "ENERGY_IMPORT";
  case CdrDimensionType::MaxCurrent: return "MAX_CURRENT";
  case CdrDimensionType::MinCurrent: return "MIN_CURRENT";
  case CdrDimensionType::MaxPower: return "MAX_POWER";
  case CdrDimensionType::MinPower: return "MIN_POWER";
  case CdrDimensionType::ParkingTime: return "PARKING_TIME";
  case CdrDimensionType::Power: return "POWER";
  case CdrDimensionType::ReservationTime: return "RESERVATION_TIME";
  case CdrDimensionType::StateOfCharge: return "STATE_OF_CHARGE";
  case CdrDimensionType::Time: return "TIME";
  }
  return "ENERGY";
}

} // namespace

json::object priced_json(const pricing::PricedSession &p) {
  json::object o;
  o["currency"] = std::string(p.currency.code());
  o["total_cost"] = price_json(p.total_cost);
  if (p.total_fixed_cost) o["total_fixed_cost"] = price_json(*p.total_fixed_cost);
  o["total_energy"] = number(p.total_energy);
  if (p.total_energy_cost) o["total_energy_cost"] = price_json(*p.total_energy_cost);
  o["total_time"] = number(p.total_time);
  if (p.total_time_cost) o["total_time_cost"] = price_json(*p.total_time_cost);
  o["total_parking_time"] = number(p.total_parking_time);
  if (p.total_parking_cost) o["total_parking_cost"] = price_json(*p.total_parking_cost);
  if (p.total_reservation_cost) o["total_reservation_cost"] = price_json(*p.total_reservation_cost);
  json::array periods;
  for (const auto &cp : p.charging_periods) {
    json::array dims;
    for (const auto &d : cp.dimensions)
      dims.push_back(json::object{{"type", dimension_text(d.type)}, {"volume", number(d.volume)}});
    json::object j{{"start_date_time", format_ocpi_time(cp.start_date_time)}, {"dimensions", std::move(dims)}};
    if (cp.tariff_id) j["tariff_id"] = *cp.tariff_id;
    periods.push_back(std::move(j));
  }
  o["charging_periods"] = std::move(periods);
  return o;
}

namespace {

Result<core::Timestamp> time_member(const json::object &o, const char *key, const std::string &at) {
  const auto *v = o.if_contains(key);
  if (!v) return ServiceError::invalid(says(key, "is required"), at + key);
  const auto *s = v->if_string();
  const auto t = s ? core::parse_iso8601(std::string_view(*s)) : std::nullopt;
  if (!t) return ServiceError::invalid(says(key, "must be an RFC 3339 date-time"), at + key);
  return *t;
}

//! A whole number in [0, max]: a JSON integer, or a double with no fraction.
Result<std::optional<std::int64_t>> count_member(const json::object &o, const char *key, std::int64_t max,
                                                 const std::string &at) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::int64_t>{};
  const std::string msg = says(key, "must be a whole number from 0 to ") + std::to_string(max);
  if (v->is_int64() && v->as_int64() >= 0 && v->as_int64() <= max) return std::optional<std::int64_t>{v->as_int64()};
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(max))
    return std::optional<std::int64_t>{static_cast<std::int64_t>(v->as_uint64())};
  if (v->is_double()) {
    const double d = v->as_double();
    if (std::isfinite(d) && d >= 0 && d <= static_cast<double>(max) && std::floor(d) == d)
      return std::optional<std::int64_t>{static_cast<std::int64_t>(d)};
  }
  return ServiceError::invalid(msg, at + key);
}

Result<pricing::SessionPeriod> period_from(const json::value &v, std::size_t i) {
  const std::string at = "periods[" + std::to_string(i) + "].";
  const auto *o = v.if_object();
  if (!o) return ServiceError::invalid("a period must be an object", "periods[" + std::to_string(i) + "]");
  for (const auto &kv : *o) {
    const auto k = kv.key();
    if (k != "start" && k != "end" && k != "state" && k != "energy_wh" && k != "max_power_w" && k != "max_current_a")
      return ServiceError::invalid(says(k, "is not a field of a period"), at + std::string(k));
  }
  pricing::SessionPeriod p;
  auto start = time_member(*o, "start", at);
  if (!start) return start.error();
  auto end = time_member(*o, "end", at);
  if (!end) return end.error();
  p.start = *start;
  p.end = *end;
  const auto *state = o->if_contains("state");
  const auto *st = state ? state->if_string() : nullptr;
  if (st && *st == "charging")
    p.state = pricing::PeriodState::Charging;
  else if (st && *st == "parking")
    p.state = pricing::PeriodState::Parking;
  else if (st && *st == "reservation")
    p.state = pricing::PeriodState::Reservation;
  else
    return ServiceError::invalid("'state' must be \"charging\", \"parking\" or \"reservation\"", at + "state");
  auto wh = count_member(*o, "energy_wh", kMaxEnergyWh, at);
  if (!wh) return wh.error();
  if (!*wh) return ServiceError::invalid("'energy_wh' is required", at + "energy_wh");
  p.energy = core::Energy(**wh);
  auto w = count_member(*o, "max_power_w", kMaxPowerW, at);
  if (!w) return w.error();
  if (*w) p.max_power = core::Power(**w);
  if (const auto *a = o->if_contains("max_current_a"); a && !a->is_null()) {
    const auto *n = a->is_number() ? a : nullptr;
    const double amps = n ? n->to_number<double>() : -1;
    if (!n || !std::isfinite(amps) || amps < 0 || amps > kMaxCurrentA)
      return ServiceError::invalid("'max_current_a' must be a number of amperes from 0 to 100000",
                                   at + "max_current_a");
    p.max_current = core::Current(static_cast<std::int64_t>(std::llround(amps * 1000)));
  }
  return p;
}

} // namespace

void preview_tariff(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  for (const auto &kv : *body) {
    const auto k = kv.key();
    if (k != "tariff" && k != "time_zone" && k != "periods")
      return c->fail(ServiceError::invalid(says(k, "is not a field of a preview"), std::string(k)));
  }
  const auto *tv = body->if_contains("tariff");
  if (!tv) return c->fail(ServiceError::invalid("'tariff' is required", "tariff"));
  TariffDecodeOptions options;
  options.default_last_updated = c->api->clock.now();
  options.field_prefix = "tariff.";
  auto tariff = tariff_from_json(*tv, options);
  if (!tariff) return c->fail(tariff.error());
  if (tariff->elements.size() > kMaxElements)
    return c->fail(ServiceError::invalid("a preview takes at most 100 tariff elements", "tariff.elements"));

  std::optional<core::TimeZone> zone = core::TimeZone::find("UTC");
  if (const auto *z = body->if_contains("time_zone"); z && !z->is_null()) {
    const auto *s = z->if_string();
    zone = s ? core::TimeZone::find(std::string_view(*s)) : std::nullopt;
    if (!zone)
      return c->fail(
          ServiceError::invalid("'time_zone' must name an IANA time zone, e.g. \"Europe/Berlin\"", "time_zone"));
  }
  if (!zone) return c->fail(ServiceError::internal("the time zone database is not available"));

  const auto *pv = body->if_contains("periods");
  const auto *arr = pv ? pv->if_array() : nullptr;
  if (!arr) return c->fail(ServiceError::invalid("'periods' must be an array", "periods"));
  if (arr->size() > kMaxPeriods) return c->fail(ServiceError::invalid("at most 1000 periods", "periods"));
  std::vector<pricing::SessionPeriod> periods;
  periods.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto p = period_from((*arr)[i], i);
    if (!p) return c->fail(p.error());
    periods.push_back(*p);
  }
  auto priced = pricing::price(*tariff, periods, *zone);
  if (!priced) return c->fail(priced.error());
  c->reply(200, priced_json(*priced));
}

} // namespace gridlane::api
