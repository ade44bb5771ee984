// What a CDR puts on an invoice (gridlane/billing/invoice_items.hpp).
#include "gridlane/billing/invoice_items.hpp"

#include <map>
#include <set>

namespace gridlane::billing {
using core::Decimal;
using domain::TariffDimension;

namespace {

//! The value, or `fallback` when it left Decimal's range (+-9.2 * 10^12: no CDR or invoice
//! amount comes near it; the builder checks every sum it makes).
core::Decimal or_else(const core::ValueResult<core::Decimal> &r, core::Decimal fallback) {
  return r ? *r : fallback;
}

struct RateOrder {
  bool operator()(const std::optional<Decimal> &a, const std::optional<Decimal> &b) const {
    if (!a || !b) return !a && b;
    return *a < *b;
  }
};

std::string describe(const domain::Cdr &c) {
  std::string where = c.cdr_location.name.value_or(c.cdr_location.id);
  std::string text = c.credit ? "Credit for " + c.credit_reference_id.value_or("a session") + ": " : "";
  text += "Charging at " + (where.empty() ? std::string("a station") : where) + ", " +
          core::format_iso8601(c.start_date_time).substr(0, 16) + " UTC, " + c.total_energy.to_string() + " kWh";
  return text;
}

} // namespace

std::optional<Decimal> dimension_vat(const std::vector<domain::Tariff> &tariffs, TariffDimension d) {
  for (const auto &t : tariffs)
    for (const auto &e : t.elements)
      for (const auto &pc : e.price_components)
        if (pc.type == d && pc.vat) return pc.vat;
  return std::nullopt;
}

std::vector<domain::InvoiceItem> cdr_items(const domain::Cdr &c) {
  std::set<std::optional<Decimal>, RateOrder> rates;
  for (const auto &t : c.tariffs)
    for (const auto &e : t.elements)
      for (const auto &pc : e.price_components)
        rates.insert(pc.vat);

  std::map<std::optional<Decimal>, Decimal, RateOrder> parts;
  const Decimal total = c.total_cost.excl_vat;
  if (rates.size() <= 1) {
    parts[rates.empty() ? std::nullopt : *rates.begin()] = total;
  } else {
    // Reservation time is priced by TIME components (OCPI: a reservation restriction on them).
    const std::pair<const std::optional<domain::Price> *, TariffDimension> dims[] = {
        {&c.total_fixed_cost, TariffDimension::Flat},       {&c.total_energy_cost, TariffDimension::Energy},
        {&c.total_time_cost, TariffDimension::Time},        {&c.total_parking_cost, TariffDimension::ParkingTime},
        {&c.total_reservation_cost, TariffDimension::Time},
    };
    Decimal shared;
    for (const auto &[price, dim] : dims) {
      if (!*price || (*price)->excl_vat.is_zero()) continue;
      auto &part = parts[dimension_vat(c.tariffs, dim)];
      part = or_else(part.plus((*price)->excl_vat), part);
      shared = or_else(shared.plus((*price)->excl_vat), shared);
    }
    if (parts.empty()) parts[*rates.begin()] = Decimal{};
    // min_price / max_price moved the total away from the sum of its dimensions: the largest part
    // carries the difference.
    auto largest = parts.begin();
    for (auto it = parts.begin(); it != parts.end(); ++it)
      if (it->second > largest->second) largest = it;
    if (auto diff = total.minus(shared)) largest->second = or_else(largest->second.plus(*diff), largest->second);
  }

  std::vector<domain::InvoiceItem> out;
  for (const auto &[rate, amount] : parts) {
    domain::InvoiceItem it;
    it.kind = domain::InvoiceLineKind::Session;
    it.description = describe(c);
    it.reference = c.id;
    if (!c.cdr_location.id.empty()) it.location_id = c.cdr_location.id;
    it.at = c.end_date_time;
    if (out.empty()) it.energy_kwh = c.credit ? or_else(c.total_energy.negated(), Decimal{}) : c.total_energy;
    it.vat_rate = rate;
    it.amount_excl_vat = amount;
    out.push_back(std::move(it));
  }
  return out;
}

} // namespace gridlane::billing
