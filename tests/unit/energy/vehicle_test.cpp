#include "gridlane/energy/vehicle.hpp"

#include <gtest/gtest.h>

#include "gridlane/domain/energy.hpp"

namespace gridlane::energy {
namespace {

TEST(Vehicle, AnAcVehicleTakesItsCurrentOnItsPhasesUntilNearlyFull) {
  Vehicle v{VehicleSpec{.capacity_wh = 40000, .phases = 1, .max_ac_ma = 32000}, 0.5};
  EXPECT_DOUBLE_EQ(v.acceptance_w(230), 32.0 * 230);
  EXPECT_EQ(v.ac_current_ma(16000, 230), 16000); // the station's limit holds
  EXPECT_EQ(v.ac_current_ma(40000, 230), 32000); // the vehicle's own maximum holds
  // One hour at 7,360 W adds 7,360 Wh.
  EXPECT_NEAR(v.step(32.0 * 230, 3600, 230), 7360, 1e-6);
  EXPECT_NEAR(v.energy_wh(), 27360, 1e-6);
}

TEST(Vehicle, AcChargingTapersAboveNinetyFivePercentAndStopsWhenFull) {
  Vehicle v{VehicleSpec{.capacity_wh = 10000, .phases = 3, .max_ac_ma = 16000}, 0.975};
  EXPECT_NEAR(v.acceptance_w(230), 16.0 * 230 * 3 * 0.5, 1e-6);
  double moved = 0;
  for (int i = 0; i < 600; ++i)
    moved += v.step(11040, 60, 230);
  EXPECT_TRUE(v.full());
  EXPECT_NEAR(moved, 250, 1e-6); // never more than the room left
  EXPECT_EQ(v.step(11040, 60, 230), 0);
}

TEST(Vehicle, ADcCurveHasAPlateauThenFalls) {
  Vehicle low{VehicleSpec{.capacity_wh = 80000, .dc = true, .max_dc_w = 100000}, 0.3};
  Vehicle mid{VehicleSpec{.capacity_wh = 80000, .dc = true, .max_dc_w = 100000}, 0.8};
  Vehicle high{VehicleSpec{.capacity_wh = 80000, .dc = true, .max_dc_w = 100000}, 0.99};
  EXPECT_DOUBLE_EQ(low.acceptance_w(230), 100000);
  EXPECT_NEAR(mid.acceptance_w(230), 40000, 1e-6);
  EXPECT_LT(high.acceptance_w(230), 10000);
  EXPECT_GT(high.acceptance_w(230), 0);
  EXPECT_EQ(low.ac_current_ma(32000, 230), 0); // a DC vehicle draws no AC current
}

TEST(Vehicle, DischargesOnlyWhenBidirectionalAndNeverBelowItsFloor) {
  Vehicle oneway{VehicleSpec{.capacity_wh = 50000}, 0.5};
  EXPECT_EQ(oneway.step(-5000, 3600, 230), 0);
  Vehicle v2g{VehicleSpec{.capacity_wh = 50000, .max_discharge_w = 10000, .min_soc_for_discharge = 0.4}, 0.5};
  EXPECT_NEAR(v2g.step(-20000, 1800, 230), -5000, 1e-6); // capped at 10 kW for half an hour
  EXPECT_NEAR(v2g.step(-10000, 3600, 230), -0.0, 1e-6);  // at the floor (40 % of 50 kWh)
  EXPECT_NEAR(v2g.soc(), 0.4, 1e-9);
}

TEST(PhaseRotation, NamesTheGridPhaseOfEachStationPhase) {
  using domain::PhaseRotation;
  EXPECT_EQ(domain::grid_phase(PhaseRotation::RST, 0), 0);
  EXPECT_EQ(domain::grid_phase(PhaseRotation::TRS, 0), 2);
  EXPECT_EQ(domain::grid_phase(PhaseRotation::TRS, 1), 0);
  EXPECT_EQ(domain::grid_phase(PhaseRotation::STR, 2), 0);
  EXPECT_EQ(domain::parse_phase_rotation("RTS"), PhaseRotation::RTS);
  EXPECT_FALSE(domain::parse_phase_rotation("rst"));
}

} // namespace
} // namespace gridlane::energy
