#pragma once
// Inside the allocator (allocator.cpp): the tree and the demands read once per call into flat
// arrays, in the integer units the filling works in. Not part of the library's interface.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gridlane/energy/allocator.hpp"

namespace gridlane::energy::detail {

// Currents are counted in ticks of 1/2520 mA inside: 2520 is the least common multiple of the
// weights 1..10, so a max or reserved floor in whole mA is reached at an integer level whatever
// the weight, and a share rounds down to whole mA at the end (never above any limit).
constexpr std::int64_t kTicksPerMa = 2520;
constexpr int kMaxWeight = 10;
constexpr std::int64_t kMaxMa = 1'000'000'000; // 1 MA: larger maxima and limits count as this
constexpr std::int64_t kNone = INT64_MAX;      // a constraint that is not one
constexpr int kPerNode = 4;                    // phases 0..2, then power
constexpr int kPowerSlot = 3;

struct Prepared {
  struct D {
    int node = 0;
    std::uint8_t phases = 7;
    std::uint8_t coef_power = 3; // phases it draws on: its weight in a power constraint
    std::int16_t weight = 1;
    std::int64_t max_t = 0, floor_t = 0, min_t = 0;
  };
  std::vector<D> demands;
  //! The limits that can bind, densely numbered: capacity, node and slot (phase 0..2, power).
  std::vector<std::int64_t> caps;
  std::vector<int> con_node;
  std::vector<std::uint8_t> con_slot;
  std::vector<int> path_begin;         // per node + 1: ancestors (itself first) in `path`
  std::vector<int> path;               //
  std::vector<int> order;              // demand indices, grouped by node in depth-first order
  std::vector<int> range_lo, range_hi; // per node: its subtree's demands in `order`
  struct Ref {
    int constraint = 0;
    int coef = 1;
  };
  //! The limited constraints on the path of node n for phase mask m, at ref_begin[n * 8 + m]
  //! up to the next: EVSEs on the same node and phases share their list.
  std::vector<int> ref_begin;
  std::vector<Ref> refs;
  std::vector<int> by_max; // demand indices by the level at which they reach their max
  int refs_of(std::size_t i) const { return demands[i].node * 8 + demands[i].phases; }
};

//! The input read: limits in ticks (those that cannot bind left out), the ancestors of each
//! node, the depth-first order of the EVSEs, the limits on each EVSE's path, the EVSEs by max.
Prepared prepare(const AllocationInput &in);

//! The parent of node n as the allocator reads it: one that does not come first is the grid
//! connection.
int parent_of(const AllocationInput &in, std::size_t n);

} // namespace gridlane::energy::detail
