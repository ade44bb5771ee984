// Revenue reports (gridlane/billing/revenue.hpp).
#include "gridlane/billing/revenue.hpp"

#include <map>
#include <tuple>

namespace gridlane::billing {
using core::Decimal;

namespace {

std::string period_of(core::Timestamp at, RevenuePeriod p) {
  auto day = core::format_iso8601(at).substr(0, 10); // YYYY-MM-DD in UTC
  switch (p) {
  case RevenuePeriod::Day: return day;
  case RevenuePeriod::Month: return day.substr(0, 7);
  case RevenuePeriod::Total: break;
  }
  return "total";
}

} // namespace

std::string_view to_string(RevenueSource s) {
  return s == RevenueSource::Card ? "card" : "invoice";
}

std::optional<RevenuePeriod> parse_revenue_period(std::string_view text) {
  if (text == "day") return RevenuePeriod::Day;
  if (text == "month") return RevenuePeriod::Month;
  if (text == "total") return RevenuePeriod::Total;
  return std::nullopt;
}

domain::Result<std::vector<RevenueRow>> revenue_report(std::span<const RevenueEntry> entries, const RevenueQuery &q) {
  using Key = std::tuple<std::string, std::string, std::optional<std::string>, RevenueSource>;
  std::map<Key, RevenueRow> rows;
  for (const auto &e : entries) {
    auto period = period_of(e.at, q.period);
    auto location = q.by_location ? e.location_id : std::nullopt;
    Key key{period, std::string(e.currency.code()), location, e.source};
    auto [it, fresh] = rows.try_emplace(key);
    auto &row = it->second;
    if (fresh) {
      row.period = period;
      row.currency = e.currency;
      row.location_id = location;
      row.source = e.source;
    }
    if (e.session) ++row.sessions;
    auto energy = row.energy_kwh.plus(e.energy_kwh);
    auto excl = row.excl_vat.plus(e.excl_vat);
    auto vat = row.vat.plus(e.vat);
    auto incl = row.incl_vat.plus(e.incl_vat);
    if (!energy || !excl || !vat || !incl) return domain::ServiceError::invalid("revenue out of range");
    row.energy_kwh = *energy;
    row.excl_vat = *excl;
    row.vat = *vat;
    row.incl_vat = *incl;
  }
  std::vector<RevenueRow> out;
  out.reserve(rows.size());
  for (auto &[k, r] : rows)
    out.push_back(std::move(r));
  return out;
}

} // namespace gridlane::billing
