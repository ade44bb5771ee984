#include "gridlane/energy/allocator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <random>
#include <string>

namespace gridlane::energy {
namespace {

constexpr std::int64_t kNo = INT64_MAX;
constexpr std::uint8_t kL1 = 1, kL2 = 2, kL3 = 4, k3ph = 7;

Node node(int parent, std::int64_t per_phase_ma, std::int64_t power_w = kNo) {
  return Node{.parent = parent, .phase_limit_ma = {per_phase_ma, per_phase_ma, per_phase_ma}, .power_limit_w = power_w};
}
Node phases(int parent, std::int64_t l1, std::int64_t l2, std::int64_t l3) {
  return Node{.parent = parent, .phase_limit_ma = {l1, l2, l3}};
}
Demand ev(int at, std::uint8_t grid_phases = k3ph, std::int64_t max_ma = 32000, int weight = 1) {
  return Demand{.node = at, .grid_phases = grid_phases, .max_ma = max_ma, .weight = weight};
}
Demand reserved(int at, std::int64_t draws_ma, std::int64_t max_ma = 32000) {
  Demand d = ev(at, k3ph, max_ma);
  d.reserved_ma = draws_ma;
  return d;
}
Demand with_min(Demand d, std::int64_t min_ma) {
  d.min_ma = min_ma;
  return d;
}

struct Case {
  std::string name;
  std::vector<Node> nodes;
  std::vector<Demand> demands;
  std::vector<std::int64_t> want_ma; //!< 0: paused (unless reserved)
};

std::vector<Case> cases() {
  return {
      {"two evses share the grid connection equally", {node(-1, 32000)}, {ev(0), ev(0)}, {16000, 16000}},
      {"a share never exceeds the evse's max", {node(-1, 100000)}, {ev(0, k3ph, 16000), ev(0)}, {16000, 32000}},
      {"a vehicle drawing less (max lowered) frees the rest for the other",
       {node(-1, 32000)},
       {ev(0, k3ph, 8000), ev(0)},
       {8000, 24000}},
      {"nested limits: the circuit caps its evses, the rest goes to the others",
       {node(-1, 63000), node(0, 20000), node(0, kNo)},
       {ev(1), ev(1), ev(2), ev(2)},
       {10000, 10000, 21500, 21500}},
      {"three levels: the tightest node on the path holds",
       {node(-1, 40000), node(0, 30000), node(1, 12000), node(1, kNo)},
       {ev(2), ev(2), ev(3), ev(3)},
       {6000, 6000, 9000, 9000}},
      {"each phase separately: single-phase evses on L1 share it, L2 is free",
       {node(-1, 32000)},
       {ev(0, kL1), ev(0, kL1), ev(0, kL1), ev(0, kL2)},
       {10666, 10666, 10666, 32000}},
      {"a three-phase evse is held by its most loaded phase",
       {node(-1, 32000)},
       {ev(0, k3ph), ev(0, kL1), ev(0, kL3, 10000)},
       {16000, 16000, 10000}},
      {"a rotated station's single phase lands on the grid phase it is wired to",
       {phases(-1, 32000, 32000, 10000)},
       {ev(0, kL3), ev(0, kL1)},
       {10000, 32000}},
      {"a phase the node does not have gives nothing: paused",
       {phases(-1, 32000, 0, 0)},
       {ev(0, k3ph), ev(0, kL1)},
       {0, 32000}},
      {"a power limit counts every phase: 22,080 W at 230 V is 32 A on three phases",
       {node(-1, kNo, 22080)},
       {ev(0), ev(0)},
       {16000, 16000}},
      {"a power limit between a single-phase and a three-phase evse",
       {node(-1, kNo, 22080)},
       {ev(0, kL1), ev(0, k3ph)},
       {24000, 24000}},
      {"a circuit's power limit under a per-phase grid limit",
       {node(-1, 32000), node(0, kNo, 7360)},
       {ev(1), ev(0)},
       {10666, 21333}},
      {"weights: priority 2 gets twice priority 1", {node(-1, 30000)}, {ev(0, k3ph, 32000, 2), ev(0)}, {20000, 10000}},
      {"weights: the heavier one stops at its max, the lighter takes the rest",
       {node(-1, 30000)},
       {ev(0, k3ph, 12000, 3), ev(0)},
       {12000, 18000}},
      {"below the minimum: paused rather than starved, the last in order first",
       {node(-1, 12000)},
       {ev(0), ev(0), ev(0)},
       {6000, 6000, 0}},
      {"only one fits above the minimum: it gets all", {node(-1, 10000)}, {ev(0), ev(0), ev(0)}, {10000, 0, 0}},
      {"the lowest priority is paused first",
       {node(-1, 13000)},
       {ev(0, k3ph, 32000, 1), ev(0, k3ph, 32000, 3), ev(0, k3ph, 32000, 1)},
       {0, 13000, 0}},
      {"pausing in one circuit leaves the other alone",
       {node(-1, 64000), node(0, 10000), node(0, 40000)},
       {ev(1), ev(1), ev(2), ev(2)},
       {10000, 0, 20000, 20000}},
      {"a max below the minimum (a nearly full vehicle) is not paused for it",
       {node(-1, 32000)},
       {ev(0, k3ph, 4000), ev(0)},
       {4000, 28000}},
      {"a minimum of zero never pauses", {node(-1, 3000)}, {with_min(ev(0), 0), with_min(ev(0), 0)}, {1500, 1500}},
      {"a station ignoring its profile: its draw is taken off first",
       {node(-1, 32000)},
       {reserved(0, 20000), ev(0)},
       {20000, 12000}},
      {"a reserved draw below the fair share does not hold the evse back",
       {node(-1, 32000)},
       {reserved(0, 6000), ev(0)},
       {16000, 16000}},
      {"a reserved draw above its circuit's room pauses the others under it",
       {node(-1, 63000), node(0, 16000)},
       {reserved(1, 20000), ev(1), ev(0)},
       {20000, 0, 32000}},
      {"a reserved draw counts on its parent's limit too",
       {node(-1, 40000), node(0, kNo), node(0, kNo)},
       {reserved(1, 25000), ev(2), ev(2)},
       {25000, 7500, 7500}},
  };
}

TEST(Allocate, Table) {
  for (const Case &c : cases()) {
    SCOPED_TRACE(c.name);
    const AllocationInput in{.nodes = c.nodes, .demands = c.demands};
    const auto got = allocate(in);
    ASSERT_EQ(got.size(), c.want_ma.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].ma, c.want_ma[i]) << "demand " << i;
      EXPECT_EQ(got[i].paused, c.want_ma[i] == 0 && c.demands[i].reserved_ma == 0) << "demand " << i;
    }
  }
}

TEST(Allocate, NoDemandsGivesNoShares) {
  EXPECT_TRUE(allocate(AllocationInput{.nodes = {node(-1, 32000)}, .demands = {}}).empty());
}

TEST(NodeLoads, SumsEachPhaseUpTheTree) {
  const AllocationInput in{.nodes = {node(-1, kNo), node(0, kNo), node(1, kNo)},
                           .demands = {ev(2, kL1), ev(2, k3ph), ev(1, kL2), reserved(0, 5000)}};
  const std::vector<Share> shares{{1000, false}, {2000, false}, {4000, false}, {0, false}};
  const auto load = node_loads(in, shares);
  ASSERT_EQ(load.size(), 3U);
  EXPECT_EQ(load[2], (std::array<std::int64_t, 3>{3000, 2000, 2000}));
  EXPECT_EQ(load[1], (std::array<std::int64_t, 3>{3000, 6000, 2000}));
  EXPECT_EQ(load[0], (std::array<std::int64_t, 3>{8000, 11000, 7000})); // the ignoring station's draw
}

} // namespace
} // namespace gridlane::energy
