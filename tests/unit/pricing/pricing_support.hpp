#pragma once
// Builders for pricing tests: tariffs and sessions written the way the OCPI examples read.
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/core/tz.hpp"
#include "gridlane/domain/tariff.hpp"
#include "gridlane/pricing/engine.hpp"

namespace gridlane::pricing::test {

inline core::Decimal dec(const char *text) {
  return core::Decimal::parse(text).value();
}
inline core::Timestamp at(const char *rfc3339) {
  return core::parse_iso8601(rfc3339).value();
}
inline core::TimeZone zone(const char *name) {
  return core::TimeZone::find(name).value();
}

inline domain::PriceComponent component(domain::TariffDimension type, const char *price, const char *vat,
                                        std::int64_t step) {
  domain::PriceComponent c;
  c.type = type;
  c.price = dec(price);
  if (vat) c.vat = dec(vat);
  c.step_size = step;
  return c;
}
inline domain::PriceComponent energy(const char *price, const char *vat = nullptr, std::int64_t step = 1) {
  return component(domain::TariffDimension::Energy, price, vat, step);
}
inline domain::PriceComponent flat(const char *price, const char *vat = nullptr) {
  return component(domain::TariffDimension::Flat, price, vat, 1);
}
inline domain::PriceComponent time(const char *price, const char *vat = nullptr, std::int64_t step = 1) {
  return component(domain::TariffDimension::Time, price, vat, step);
}
inline domain::PriceComponent parking(const char *price, const char *vat = nullptr, std::int64_t step = 1) {
  return component(domain::TariffDimension::ParkingTime, price, vat, step);
}

inline domain::TariffElement element(std::vector<domain::PriceComponent> components,
                                     std::optional<domain::TariffRestrictions> restrictions = std::nullopt) {
  return domain::TariffElement{std::move(components), std::move(restrictions)};
}

inline domain::Tariff tariff(std::vector<domain::TariffElement> elements) {
  domain::Tariff t;
  t.country_code = "DE";
  t.party_id = "ALL";
  t.id = "T1";
  t.elements = std::move(elements);
  return t;
}

inline SessionPeriod charging(const char *from, const char *to, std::int64_t wh,
                              std::optional<std::int64_t> watts = std::nullopt,
                              std::optional<std::int64_t> milliamps = std::nullopt) {
  SessionPeriod p{at(from), at(to), PeriodState::Charging, core::Energy(wh), std::nullopt, std::nullopt};
  if (watts) p.max_power = core::Power(*watts);
  if (milliamps) p.max_current = core::Current(*milliamps);
  return p;
}
inline SessionPeriod parked(const char *from, const char *to) {
  return SessionPeriod{at(from), at(to), PeriodState::Parking, core::Energy(0), std::nullopt, std::nullopt};
}
inline SessionPeriod reserved(const char *from, const char *to) {
  return SessionPeriod{at(from), at(to), PeriodState::Reservation, core::Energy(0), std::nullopt, std::nullopt};
}

inline PricedSession priced(const domain::Tariff &t, const std::vector<SessionPeriod> &periods,
                            const char *tz = "UTC") {
  return price(t, periods, zone(tz)).value();
}

//! An amount as the spec states it: rounded half up to `places` decimals.
inline std::string fixed(core::Decimal d, int places = 2) {
  return d.to_fixed(places, core::Rounding::HalfUp);
}
inline std::string incl(const domain::Price &p, int places = 2) {
  return p.incl_vat ? fixed(*p.incl_vat, places) : std::string("unknown");
}

} // namespace gridlane::pricing::test
