#pragma once
//! Charge detail records after OCPI 2.2.1 (mod_cdrs): what a session cost and why. The pricing
//! engine (gridlane/pricing/engine.hpp) fills the charging periods and totals; a CDR adds the
//! token, the location snapshot and the tariffs, is created once when a session ends and is
//! never edited (a correction is a credit CDR that refers to the original).
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/time.hpp"

namespace gridlane::domain {

enum class CdrDimensionType {
  Current,
  Energy,
  EnergyExport,
  EnergyImport,
  MaxCurrent,
  MinCurrent,
  MaxPower,
  MinPower,
  ParkingTime,
  Power,
  ReservationTime,
  StateOfCharge,
  Time,
};

//! One measured dimension of a charging period: kWh for ENERGY, hours for TIME and
//! PARKING_TIME, A for currents, kW for powers, percent for STATE_OF_CHARGE.
struct CdrDimension {
  CdrDimensionType type = CdrDimensionType::Energy;
  core::Decimal volume;
  bool operator==(const CdrDimension &) const = default;
};

//! A stretch of a session during which one set of tariff elements applied: it starts at
//! start_date_time and lasts until the next period starts (or the session ends).
struct ChargingPeriod {
  core::Timestamp start_date_time;
  std::vector<CdrDimension> dimensions;
  std::optional<std::string> tariff_id;
  bool operator==(const ChargingPeriod &) const = default;
};

} // namespace gridlane::domain
