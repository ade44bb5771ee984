#pragma once
//! The pricing engine: one pure function from a tariff, what happened in a session and the
//! location's time zone to the OCPI charging periods and totals. No clock, no store, no I/O:
//! the driver's live cost, the API preview, the CDR, the invoice line and the roaming partner
//! all come from this one function, so they agree to the cent. Arithmetic is exact
//! (core::Decimal); the rules for restrictions, step_size across element switches and
//! min_price/max_price are OCPI 2.2.1's (mod_tariffs, mod_cdrs), and its worked examples are
//! the golden tests (tests/unit/pricing).
#include <optional>
#include <span>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/core/tz.hpp"
#include "gridlane/core/units.hpp"
#include "gridlane/domain/cdr.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/domain/tariff.hpp"

namespace gridlane::pricing {

//! What the vehicle was doing: drawing energy, or plugged in without charging (suspended by
//! the EV or the station, finished: parking), or a reservation before the session.
enum class PeriodState { Reservation, Charging, Parking };

//! One stretch of a session in which the state did not change, [start, end). Consecutive
//! periods touch (the end of one is the start of the next) and are in time order.
struct SessionPeriod {
  core::Timestamp start;
  core::Timestamp end;
  PeriodState state = PeriodState::Charging;
  core::Energy energy;                      //!< delivered within this stretch (Wh, >= 0)
  std::optional<core::Power> max_power;     //!< the highest power seen in it
  std::optional<core::Current> max_current; //!< the highest current seen in it (summed over phases)
};

//! The VAT part of a total at one rate (an invoice shows one line per rate).
struct VatShare {
  std::optional<core::Decimal> rate; //!< percent; nullopt: components without a VAT
  core::Decimal excl_vat;
  core::Decimal vat;
};

//! A priced session in OCPI CDR terms. Amounts are in the tariff's currency, rounded once each
//! to 4 decimals (OCPI's precision) unless stated; volumes as OCPI gives them (kWh, hours).
struct PricedSession {
  core::Currency currency = core::Currency::eur();
  domain::Price total_cost;
  std::optional<domain::Price> total_fixed_cost;
  core::Decimal total_energy; //!< kWh
  std::optional<domain::Price> total_energy_cost;
  core::Decimal total_time; //!< hours, charging and parking
  std::optional<domain::Price> total_time_cost;
  core::Decimal total_parking_time; //!< hours
  std::optional<domain::Price> total_parking_cost;
  std::optional<domain::Price> total_reservation_cost;
  std::vector<domain::ChargingPeriod> charging_periods;
  std::vector<VatShare> vat; //!< total_cost split by VAT rate; sums to total_cost
};

//! Prices a session. `periods` may be of a session still running (the live cost so far).
//! Invalid when the periods are out of order or overlap, or a value is out of range; the tariff
//! is assumed valid (the codec checked it).
domain::Result<PricedSession> price(const domain::Tariff &tariff, std::span<const SessionPeriod> periods,
                                    const core::TimeZone &zone);

} // namespace gridlane::pricing
