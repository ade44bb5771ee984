// GET /api/v1/overview: the console's figures over the whole fleet (docs/api.md "Overview"),
// each computed by one query of the store (store/sqlite/overview.cpp).
#include <cmath>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/core/tz.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

//! The start of the local day that `now` falls in, in `zone`.
core::Timestamp day_start(core::Timestamp now, const core::TimeZone &zone) {
  auto local = zone.to_local(now).local;
  core::LocalDateTime midnight{local.year, local.month, local.day, 0, 0, 0, 0};
  auto start = zone.to_utc(midnight); // a day that starts in a gap starts when the gap ends
  return start ? *start : now - std::chrono::hours(24);
}

std::string amount(std::int64_t millionths, const std::string &currency) {
  auto d = core::Decimal::from_units(millionths);
  auto c = core::Currency::parse(currency);
  return c ? d.to_fixed(c->minor_digits(), core::Rounding::HalfUp) : d.to_string();
}

json::object overview_json(const OverviewCounts &o) {
  json::array revenue;
  for (const auto &r : o.revenue_today)
    revenue.push_back(
        json::object{{"currency", r.currency},
                     {"excl_vat", amount(r.excl_vat, r.currency)},
                     {"incl_vat", r.incl_vat ? json::value(amount(*r.incl_vat, r.currency)) : json::value(nullptr)}});
  json::value availability = nullptr;
  if (o.connector_ms > 0) {
    double share = 1.0 - static_cast<double>(o.connector_down_ms) / static_cast<double>(o.connector_ms);
    availability = std::round(share * 10000.0) / 10000.0;
  }
  return json::object{{"stations", json::object{{"total", o.stations_total},
                                                {"online", o.stations_online},
                                                {"offline", o.stations_total - o.stations_online},
                                                {"faulted", o.stations_faulted},
                                                {"unavailable", o.stations_unavailable}}},
                      {"sessions_active", o.sessions_active},
                      {"sessions_today", o.sessions_today},
                      {"energy_today_wh", o.energy_today_wh},
                      {"revenue_today", std::move(revenue)},
                      {"availability_24h", availability}};
}

} // namespace

void overview(const CtxPtr &c) {
  std::optional<core::TimeZone> zone = core::TimeZone::find("UTC");
  if (auto name = c->query_param("time_zone")) {
    zone = core::TimeZone::find(*name);
    if (!zone) return c->fail(bad_query("time_zone", "time_zone must name an IANA time zone, e.g. Europe/Berlin"));
  }
  if (!zone) return c->fail(ServiceError::internal("the time zone database is not available"));
  OverviewQuery q;
  q.now = c->api->clock.now();
  q.day_start = day_start(q.now, *zone);
  q.window_start = q.now - std::chrono::hours(24);
  q.connected = c->api->gateway.connected_stations();
  std::string zone_name(zone->name());
  c->api->unit(c, 200, [q = std::move(q), zone_name](Repository &r) -> Result<json::value> {
    auto out = overview_json(r.overview(q));
    out["time_zone"] = zone_name;
    out["day_start"] = core::format_iso8601(q.day_start);
    out["at"] = core::format_iso8601(q.now);
    return out;
  });
}

} // namespace gridlane::api
