#include "gridlane/energy/scheduler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace gridlane::energy {
namespace {

// Hour-long slots, so that a slot's power in W is its energy in Wh and every optimum below can be
// worked out by hand.
ScheduleProblem hours(int slots) {
  ScheduleProblem p;
  p.slots = slots;
  p.slot_seconds = 3600;
  p.nodes = {ScheduleNode{}};
  p.price_per_kwh.assign(static_cast<std::size_t>(slots), 0.2);
  return p;
}

ScheduleVehicle vehicle(std::int64_t need_wh, int arrival, int departure, std::int64_t max_w = 11000) {
  return ScheduleVehicle{
      .arrival_slot = arrival, .departure_slot = departure, .energy_needed_wh = need_wh, .max_charge_w = max_w};
}

ScheduleVehicle v2g(std::int64_t need_wh, int arrival, int departure, std::int64_t initial_wh) {
  auto v = vehicle(need_wh, arrival, departure);
  v.max_discharge_w = 11000;
  v.battery_capacity_wh = 60000;
  v.initial_energy_wh = initial_wh;
  return v;
}

struct Case {
  std::string name;
  ScheduleProblem problem;
  std::vector<std::vector<std::int64_t>> power_w; //!< the one optimum, per vehicle and slot
  std::vector<std::int64_t> unmet_wh;
  std::int64_t peak_w = -1; //!< -1: not checked
};

std::vector<Case> cases() {
  std::vector<Case> out;
  {
    auto p = hours(4);
    p.price_per_kwh = {0.3, 0.1, 0.1, 0.3};
    p.vehicles = {vehicle(20000, 0, 4)};
    out.push_back({"cheap night slots are used first", p, {{0, 11000, 9000, 0}}, {0}});
  }
  {
    auto p = hours(4);
    p.nodes.push_back(ScheduleNode{.parent = 0, .power_limit_w = 10000});
    auto a = vehicle(20000, 0, 2);
    a.node = 1;
    auto b = vehicle(10000, 0, 4);
    b.node = 1;
    p.vehicles = {a, b};
    out.push_back({"a circuit's limit holds and the earlier departure goes first",
                   p,
                   {{10000, 10000, 0, 0}, {0, 0, 10000, 0}},
                   {0, 0}});
  }
  {
    auto p = hours(4);
    p.nodes[0].power_limit_w = 20000;
    p.site_limit_w = {5000, 5000, 20000, 20000}; // a DR event over the first two hours
    p.vehicles = {vehicle(22000, 0, 4)};
    out.push_back({"a demand-response window is respected", p, {{5000, 5000, 11000, 1000}}, {0}});
  }
  {
    auto p = hours(4);
    p.price_per_kwh = {0.3, 0.3, 0.3, 0.3};
    p.pv_w = {0, 0, 8000, 8000};
    p.vehicles = {vehicle(16000, 0, 4)};
    out.push_back({"PV is used before the grid", p, {{0, 0, 8000, 8000}}, {0}, 0});
  }
  {
    auto p = hours(4);
    p.demand_charge_per_kw = 10;
    p.vehicles = {vehicle(12000, 0, 4)};
    out.push_back({"a peak charge flattens the load", p, {{3000, 3000, 3000, 3000}}, {0}, 3000});
  }
  {
    auto p = hours(4);
    p.demand_charge_per_kw = 10;
    p.building_w = {5000, 0, 0, 0};
    p.vehicles = {vehicle(12000, 0, 4)};
    out.push_back({"a peak charge keeps charging under the building's peak", p, {{0, 5000, 5000, 2000}}, {0}, 5000});
  }
  {
    auto p = hours(2);
    p.vehicles = {vehicle(50000, 0, 2)};
    out.push_back({"a need that cannot be met leaves unmet energy", p, {{11000, 11000}}, {28000}});
  }
  {
    auto p = hours(2);
    p.nodes.push_back(ScheduleNode{.parent = 0, .power_limit_w = 10000});
    auto fleet = vehicle(20000, 0, 2);
    fleet.node = 1;
    fleet.weight = 5;
    auto visitor = vehicle(20000, 0, 2);
    visitor.node = 1;
    p.vehicles = {visitor, fleet};
    out.push_back({"the heavier priority is served first", p, {{0, 0}, {10000, 10000}}, {20000, 0}});
  }
  {
    auto p = hours(4);
    p.price_per_kwh = {0.1, 0.1, 0.5, 0.1};
    p.export_per_kwh = {0, 0, 0.4, 0};
    p.vehicles = {v2g(10000, 0, 4, 30000)};
    out.push_back({"V2G discharges at the price peak and still meets the need", p, {{11000, 10000, -11000, 0}}, {0}});
  }
  {
    auto p = hours(3);
    p.price_per_kwh = {0.5, 0.1, 0.1};
    p.building_w = {11000, 0, 0};
    p.vehicles = {v2g(10000, 0, 3, 5000)};
    out.push_back({"V2G covers the building within what the battery holds", p, {{-5000, 11000, 4000}}, {0}, 11000});
  }
  {
    auto p = hours(2);
    p.site_limit_w = {10000, 10000};
    p.building_w = {12000, 0};
    p.vehicles = {v2g(0, 0, 2, 30000)};
    out.push_back({"V2G takes the building back under the limit and recharges after", p, {{-2000, 2000}}, {0}, 10000});
  }
  {
    // A stationary battery is a bidirectional "vehicle" there all day with no need: it ends the
    // horizon at least as full as it began.
    auto p = hours(2);
    p.price_per_kwh = {0.1, 0.5};
    p.building_w = {0, 5000};
    auto battery = v2g(0, 0, 2, 5000);
    battery.max_charge_w = 5000;
    battery.max_discharge_w = 5000;
    battery.battery_capacity_wh = 10000;
    p.vehicles = {battery};
    out.push_back({"a stationary battery shifts the building's load to the cheap hour", p, {{5000, -5000}}, {0}, 5000});
  }
  {
    auto p = hours(3);
    p.price_per_kwh = {0.5, 0.1, 0.1};
    p.building_w = {11000, 0, 0};
    p.vehicles = {vehicle(10000, 0, 3)};
    out.push_back({"without V2G a vehicle never discharges", p, {{0, 10000, 0}}, {0}, 11000});
  }
  {
    auto p = hours(4);
    p.vehicles = {vehicle(5000, 2, 9), vehicle(5000, 3, 3)};
    out.push_back({"windows are clipped to the horizon", p, {{0, 0, 5000, 0}, {0, 0, 0, 0}}, {0, 5000}});
  }
  return out;
}

// What must hold in every plan, whatever the optimum.
void expect_within_limits(const ScheduleProblem &p, const Schedule &s) {
  for (int t = 0; t < p.slots; ++t) {
    const auto slot = static_cast<std::size_t>(t);
    for (std::size_t n = 1; n < p.nodes.size(); ++n) {
      std::int64_t sum = 0;
      for (std::size_t v = 0; v < p.vehicles.size(); ++v)
        for (int m = p.vehicles[v].node; m > 0; m = p.nodes[static_cast<std::size_t>(m)].parent)
          if (static_cast<std::size_t>(m) == n) sum += s.power_w[v][slot];
      EXPECT_LE(sum, p.nodes[n].power_limit_w) << "node " << n << " slot " << t;
    }
    if (!p.site_limit_w.empty()) {
      EXPECT_LE(s.import_w[slot], p.site_limit_w[slot]) << "slot " << t;
    }
  }
  for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
    const auto &row = s.power_w[v];
    const auto delivered = std::accumulate(row.begin(), row.end(), std::int64_t{0}) * p.slot_seconds / 3600;
    EXPECT_GE(delivered + s.unmet_wh[v] + p.slots, p.vehicles[v].energy_needed_wh) << "vehicle " << v;
    // A battery never goes below empty nor above full (1 Wh a slot for the rounding).
    if (p.vehicles[v].max_discharge_w > 0) {
      std::int64_t added = 0;
      for (const auto w : row) {
        added += w * p.slot_seconds / 3600;
        EXPECT_GE(added, -p.vehicles[v].initial_energy_wh - p.slots) << "vehicle " << v;
        EXPECT_LE(added, p.vehicles[v].battery_capacity_wh - p.vehicles[v].initial_energy_wh) << "vehicle " << v;
      }
    }
    for (int t = 0; t < p.slots; ++t) {
      const auto w = row[static_cast<std::size_t>(t)];
      const bool present = t >= p.vehicles[v].arrival_slot && t < p.vehicles[v].departure_slot;
      if (!present) {
        EXPECT_EQ(w, 0) << "vehicle " << v << " slot " << t;
      }
      EXPECT_LE(w, p.vehicles[v].max_charge_w);
      EXPECT_GE(w, -p.vehicles[v].max_discharge_w);
    }
  }
}

TEST(Schedule, FindsTheOptimumWorkedOutByHand) {
  for (const auto &c : cases()) {
    SCOPED_TRACE(c.name);
    const auto s = schedule(c.problem);
    ASSERT_TRUE(s.optimal) << s.status;
    EXPECT_EQ(s.power_w, c.power_w);
    EXPECT_EQ(s.unmet_wh, c.unmet_wh);
    if (c.peak_w >= 0) {
      EXPECT_EQ(s.peak_w, c.peak_w);
    }
    expect_within_limits(c.problem, s);
  }
}

// A day for 50 vehicles is large enough to be solved by the interior-point path: its plan must
// hold the same limits and reach the same optimum.
TEST(Schedule, ALargeProblemKeepsItsLimitsAndReachesTheOptimum) {
  ScheduleProblem p;
  p.nodes = {ScheduleNode{.power_limit_w = 100000}};
  p.nodes.push_back(ScheduleNode{.parent = 0, .power_limit_w = 60000});
  p.nodes.push_back(ScheduleNode{.parent = 0, .power_limit_w = 60000});
  for (int t = 0; t < 96; ++t)
    p.price_per_kwh.push_back(t < 32 ? 0.1 : 0.3); // 8 cheap hours, room for 800 kWh
  for (int i = 0; i < 50; ++i) {
    auto v = vehicle(10000, 0, 96);
    v.node = 1 + i % 2;
    p.vehicles.push_back(v);
  }
  const auto s = schedule(p);
  ASSERT_TRUE(s.optimal) << s.status;
  EXPECT_NEAR(s.cost, 500 * 0.1, 0.01); // all 500 kWh in the cheap hours
  expect_within_limits(p, s);
  for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
    EXPECT_EQ(s.unmet_wh[v], 0);
    const auto &row = s.power_w[v];
    const auto cheap = std::accumulate(row.begin(), row.begin() + 32, std::int64_t{0}) / 4;
    EXPECT_NEAR(static_cast<double>(cheap), 10000.0, 32.0) << "vehicle " << v; // whole W per slot
    EXPECT_LE(std::accumulate(row.begin() + 32, row.end(), std::int64_t{0}), 64) << "vehicle " << v;
  }
  for (int t = 0; t < 96; ++t)
    EXPECT_LE(s.import_w[static_cast<std::size_t>(t)], 100000);
}

TEST(Schedule, ALargeProblemWithV2GKeepsEveryBatteryWithinItsBounds) {
  ScheduleProblem p;
  p.nodes = {ScheduleNode{.power_limit_w = 150000}};
  p.nodes.push_back(ScheduleNode{.parent = 0, .power_limit_w = 60000});
  p.nodes.push_back(ScheduleNode{.parent = 0, .power_limit_w = 60000});
  for (int t = 0; t < 96; ++t) {
    p.price_per_kwh.push_back(t < 32 ? 0.1 : 0.3);
    p.export_per_kwh.push_back(t >= 60 && t < 64 ? 0.8 : 0.0); // an export peak worth discharging into
  }
  for (int i = 0; i < 50; ++i) {
    auto v = i % 5 == 0 ? v2g(10000, 0, 96, 5000) : vehicle(10000, 0, 96);
    if (i % 5 == 0) v.battery_capacity_wh = 40000;
    v.node = 1 + i % 2;
    p.vehicles.push_back(v);
  }
  const auto s = schedule(p);
  ASSERT_TRUE(s.optimal) << s.status;
  expect_within_limits(p, s);
  std::int64_t discharged_at_peak = 0;
  for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
    EXPECT_EQ(s.unmet_wh[v], 0) << "vehicle " << v;
    for (std::size_t t = 60; t < 64; ++t)
      discharged_at_peak -= std::min<std::int64_t>(s.power_w[v][t], 0);
  }
  // Selling at 0.8 what costs 0.1 to buy back (and up to 0.3 to replace after): each of the ten
  // V2G vehicles discharges at its full 11 kW through the four peak slots (4 x 11,000 W).
  EXPECT_GE(discharged_at_peak, 10 * 4 * 11000 - 40);
}

TEST(Schedule, ReportsTheCostOfEnergyAndPeak) {
  auto p = hours(4);
  p.price_per_kwh = {0.3, 0.1, 0.1, 0.3};
  p.demand_charge_per_kw = 0.1;
  p.vehicles = {vehicle(20000, 0, 4)};
  const auto s = schedule(p);
  ASSERT_TRUE(s.optimal);
  // 20 kWh at 0.1 in the two cheap hours, 10 kW each (each kW of peak costs 0.1 and moves 2 kWh
  // from 0.3 to 0.1, so the peak rises until the cheap hours hold it all): 2.0 + 10 kW x 0.1.
  EXPECT_EQ(s.power_w[0], (std::vector<std::int64_t>{0, 10000, 10000, 0}));
  EXPECT_NEAR(s.cost, 2.0 + 1.0, 1e-6);
  EXPECT_EQ(s.import_w, (std::vector<std::int64_t>{0, 10000, 10000, 0}));
}

TEST(Schedule, ABuildingAboveTheLimitIsAnOverloadNotAnError) {
  auto p = hours(2);
  p.site_limit_w = {10000, 10000};
  p.building_w = {12000, 0};
  p.vehicles = {vehicle(8000, 0, 2)};
  const auto s = schedule(p);
  ASSERT_TRUE(s.optimal) << s.status;
  EXPECT_EQ(s.power_w[0], (std::vector<std::int64_t>{0, 8000})); // nothing added to the overload
  EXPECT_EQ(s.import_w[0], 12000);
}

TEST(Schedule, NoVehicleGivesAnEmptyOptimalPlan) {
  auto p = hours(96);
  const auto s = schedule(p);
  EXPECT_TRUE(s.optimal);
  EXPECT_TRUE(s.power_w.empty());
  EXPECT_EQ(s.import_w.size(), 96U);
  EXPECT_EQ(s.peak_w, 0);
}

TEST(Schedule, RefusesAMalformedProblemWithAReason) {
  struct Bad {
    std::string name;
    ScheduleProblem problem;
    std::string reason;
  };
  std::vector<Bad> bad;
  {
    auto p = hours(4);
    p.slots = 0;
    bad.push_back({"no slots", p, "slots"});
  }
  {
    auto p = hours(4);
    p.pv_w = {1, 2};
    bad.push_back({"a short series", p, "per-slot"});
  }
  {
    auto p = hours(4);
    p.price_per_kwh[1] = std::numeric_limits<double>::quiet_NaN();
    bad.push_back({"a NaN price", p, "finite"});
  }
  {
    auto p = hours(4);
    p.vehicles = {vehicle(1000, 0, 4)};
    p.vehicles[0].node = 3;
    bad.push_back({"an unknown node", p, "unknown node"});
  }
  {
    auto p = hours(4);
    p.nodes.push_back(ScheduleNode{.parent = 1});
    bad.push_back({"a node that is its own parent", p, "parent"});
  }
  {
    auto p = hours(4);
    p.vehicles = {vehicle(1000, 0, 4, INT64_MAX)};
    bad.push_back({"a vehicle's power out of range", p, "above 10 GW"});
  }
  {
    auto p = hours(4);
    p.building_w = {0, -1, 0, 0};
    bad.push_back({"a negative building load", p, "negative"});
  }
  for (const auto &b : bad) {
    SCOPED_TRACE(b.name);
    const auto s = schedule(b.problem);
    EXPECT_FALSE(s.optimal);
    EXPECT_NE(s.status.find(b.reason), std::string::npos) << s.status;
    EXPECT_TRUE(s.power_w.empty());
  }
}

} // namespace
} // namespace gridlane::energy
