#include "gridlane/energy/allocator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
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

TEST(Allocate, InputOutOfItsRangeIsReadSafely) {
  // A parent after its child or out of range, an unknown node, no phase bits, a weight of 0:
  // read as the grid connection, the grid connection, all three phases, weight 1.
  Demand no_phases = ev(7);
  no_phases.grid_phases = 0;
  Demand weightless = ev(1);
  weightless.weight = 0;
  const AllocationInput in{.nodes = {node(-1, 30000), node(5, 12000)}, .demands = {no_phases, weightless, ev(-3)}};
  const auto got = allocate(in);
  ASSERT_EQ(got.size(), 3U);
  EXPECT_EQ(got[0].ma, 10000);
  EXPECT_EQ(got[1].ma, 10000);
  EXPECT_EQ(got[2].ma, 10000);
  const auto load = node_loads(in, got);
  EXPECT_EQ(load[0], (std::array<std::int64_t, 3>{30000, 30000, 30000}));

  // A negative limit is read as 0: nothing to give (a power limit with no voltage is ignored).
  const AllocationInput odd{.nodes = {node(-1, -5, 1000)}, .demands = {ev(0)}, .voltage_v = 0};
  EXPECT_TRUE(allocate(odd)[0].paused);
}

TEST(Allocate, NoDemandsGivesNoShares) {
  EXPECT_TRUE(allocate(AllocationInput{.nodes = {node(-1, 32000)}, .demands = {}}).empty());
}

// ---- invariants on random trees ---------------------------------------------------------------

AllocationInput random_site(std::mt19937 &rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  AllocationInput in;
  in.voltage_v = pick(0, 1) == 0 ? 230 : 120;
  const int nodes = pick(1, 12);
  for (int n = 0; n < nodes; ++n) {
    Node nd;
    nd.parent = n == 0 ? -1 : pick(0, n - 1); // three levels and more
    for (auto &l : nd.phase_limit_ma)
      l = pick(0, 5) == 0 ? kNo : std::int64_t{pick(0, 200)} * 1000 + pick(0, 999);
    if (pick(0, 2) == 0) nd.phase_limit_ma[static_cast<std::size_t>(pick(0, 2))] = 0; // a phase it lacks
    if (pick(0, 2) == 0) nd.power_limit_w = std::int64_t{pick(0, 150)} * 1000 + pick(0, 999);
    in.nodes.push_back(nd);
  }
  const int demands = pick(0, 60);
  int reserved_left = 2;
  for (int i = 0; i < demands; ++i) {
    Demand d;
    d.node = pick(0, nodes - 1);
    d.grid_phases = static_cast<std::uint8_t>(pick(1, 7));
    d.max_ma = pick(0, 9) == 0 ? pick(0, 7000) : pick(6000, 40000);
    d.min_ma = pick(0, 4) == 0 ? 0 : 6000;
    d.weight = pick(1, 10);
    if (reserved_left > 0 && pick(0, 9) == 0) {
      --reserved_left;
      d.reserved_ma = pick(1, 8000);
    }
    in.demands.push_back(d);
  }
  return in;
}

//! The limits a node has, as capacities in mA on phases 0..2 and in phase-mA for its power.
std::array<std::int64_t, 4> capacities(const AllocationInput &in, const Node &n) {
  const std::int64_t power =
      n.power_limit_w == kNo ? kNo : std::max<std::int64_t>(n.power_limit_w, 0) * 1000 / in.voltage_v;
  return {n.phase_limit_ma[0], n.phase_limit_ma[1], n.phase_limit_ma[2], power};
}
std::array<std::int64_t, 4> used(const std::array<std::int64_t, 3> &load) {
  return {load[0], load[1], load[2], load[0] + load[1] + load[2]};
}

TEST(Allocate, RandomTreesKeepEveryLimitAndLeaveNoRoomUnused) {
  std::mt19937 rng(20261129);
  int checked = 0, tight = 0, paused_checked = 0;
  for (int round = 0; round < 400; ++round) {
    const AllocationInput in = random_site(rng);
    SCOPED_TRACE("round " + std::to_string(round));
    const auto shares = allocate(in);
    ASSERT_EQ(shares.size(), in.demands.size());
    const auto load = node_loads(in, shares);
    // What the stations ignoring their profiles draw alone: a limit they break is not ours.
    const auto floors = node_loads(in, std::vector<Share>(in.demands.size()));
    std::vector<bool> over(in.nodes.size(), false);
    for (std::size_t n = 0; n < in.nodes.size(); ++n) {
      const auto cap = capacities(in, in.nodes[n]);
      const auto base = used(floors[n]);
      const auto got = used(load[n]);
      for (std::size_t k = 0; k < 4; ++k) {
        if (base[k] > cap[k]) {
          over[n] = true;
          continue;
        }
        EXPECT_LE(got[k], cap[k]) << "node " << n << " limit " << k;
      }
    }
    // Each share: 0 (paused) or between the min and the max; never below a reserved draw.
    for (std::size_t i = 0; i < shares.size(); ++i) {
      const Demand &d = in.demands[i];
      const Share &s = shares[i];
      EXPECT_GE(s.ma, d.reserved_ma);
      if (d.reserved_ma > 0) {
        EXPECT_FALSE(s.paused);
        EXPECT_LE(s.ma, std::max(d.max_ma, d.reserved_ma));
        continue;
      }
      EXPECT_EQ(s.paused, s.ma == 0);
      EXPECT_LE(s.ma, d.max_ma);
      if (!s.paused) {
        EXPECT_GE(s.ma, std::min(d.min_ma, d.max_ma)) << "demand " << i;
      }
    }
    // Nothing is left unused: an EVSE running below its max has a limit on its path with no
    // room left (up to the rounding down to whole mA: 1 mA per phase of each EVSE under it).
    std::vector<std::int64_t> under(in.nodes.size(), 0);
    for (const Demand &d : in.demands) {
      for (int n = d.node; n >= 0; n = in.nodes[static_cast<std::size_t>(n)].parent)
        under[static_cast<std::size_t>(n)] += 3;
    }
    for (std::size_t i = 0; i < shares.size(); ++i) {
      const Demand &d = in.demands[i];
      if (shares[i].paused || shares[i].ma >= d.max_ma || d.reserved_ma > 0) continue;
      bool full = false;
      for (int n = d.node; n >= 0 && !full; n = in.nodes[static_cast<std::size_t>(n)].parent) {
        const auto un = static_cast<std::size_t>(n);
        const auto cap = capacities(in, in.nodes[un]);
        const auto got = used(load[un]);
        for (std::size_t k = 0; k < 4; ++k) {
          const bool on_it = k == 3 || (d.grid_phases & (1U << k)) != 0;
          if (on_it && cap[k] != kNo && cap[k] - got[k] <= under[un] + 1) full = true;
        }
      }
      EXPECT_TRUE(full) << "demand " << i << " at " << shares[i].ma << " of " << d.max_ma << " with room left";
      ++tight;
    }
    // No EVSE is paused that would fit at its minimum in the room left on its path.
    for (std::size_t i = 0; i < shares.size(); ++i) {
      const Demand &d = in.demands[i];
      if (!shares[i].paused || d.reserved_ma > 0) continue;
      const std::int64_t need = std::min(d.min_ma, d.max_ma);
      if (need <= 0) continue;
      bool blocked = false;
      for (int n = d.node; n >= 0 && !blocked; n = in.nodes[static_cast<std::size_t>(n)].parent) {
        const auto un = static_cast<std::size_t>(n);
        const auto cap = capacities(in, in.nodes[un]);
        const auto got = used(load[un]);
        const int on = std::popcount(static_cast<unsigned>(d.grid_phases));
        for (std::size_t k = 0; k < 4; ++k) {
          const bool on_it = k == 3 || (d.grid_phases & (1U << k)) != 0;
          if (on_it && cap[k] != kNo && cap[k] - got[k] < need * (k == 3 ? on : 1)) blocked = true;
        }
      }
      EXPECT_TRUE(blocked) << "demand " << i << " paused with room for its minimum";
      ++paused_checked;
    }
    // Fairness: two EVSEs on the same node and phases, both below their max, hold the same
    // share per unit of weight (up to the rounding).
    for (std::size_t i = 0; i < shares.size(); ++i) {
      for (std::size_t j = i + 1; j < shares.size(); ++j) {
        const Demand &a = in.demands[i], &b = in.demands[j];
        if (a.node != b.node || a.grid_phases != b.grid_phases || a.reserved_ma > 0 || b.reserved_ma > 0) continue;
        if (shares[i].paused || shares[j].paused || shares[i].ma >= a.max_ma || shares[j].ma >= b.max_ma) continue;
        EXPECT_LE(std::abs(shares[i].ma * b.weight - shares[j].ma * a.weight), a.weight + b.weight)
            << "demands " << i << " and " << j;
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 400);
  EXPECT_GT(tight, 400); // the rules above were put to the test, not skipped
  EXPECT_GT(paused_checked, 400);
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
