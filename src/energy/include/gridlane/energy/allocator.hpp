#pragma once
//! The allocator (docs/energy.md, "Allocation"): a pure function that divides each circuit's
//! capacity among the EVSEs under it, now. No clock, store or I/O, so it runs on every event
//! (a session starts or ends, a vehicle draws less than given, a limit, price or DR event
//! changes) and is tested table-driven.
//!
//! The rules, in order:
//!   - every node's limit holds on each grid phase separately (per-phase current) and in total
//!     power (sum over phases of current x voltage), for the node and every node above it;
//!   - an EVSE never gets more than its max (hardware, vehicle, what it was seen to draw);
//!   - within one priority the division is max-min fair (progressive filling: all rise
//!     together until a limit or their max stops them); across priorities each EVSE rises at a
//!     rate proportional to its weight (weighted max-min fairness);
//!   - an EVSE whose share would be below its min is paused (0), the lowest priority and then
//!     the smallest share first, and the rest re-divided; never a share between 0 and min;
//!   - a non-zero floor (`reserved`) may be given to an EVSE that must keep charging (a station
//!     known to ignore its profile: what it draws is taken off its circuits first).
#include <array>
#include <cstdint>
#include <vector>

namespace gridlane::energy {

//! A node of the tree: index 0 is the grid connection (parent -1); every other node's parent
//! has a smaller index.
struct Node {
  int parent = -1;
  //! mA per grid phase; a phase the node does not have: 0. Unlimited: INT64_MAX.
  std::array<std::int64_t, 3> phase_limit_ma{};
  std::int64_t power_limit_w = INT64_MAX; //!< total over phases; INT64_MAX: none
};

//! One EVSE with a session that wants power.
struct Demand {
  int node = 0;                 //!< the node it hangs on (0: the grid connection)
  std::uint8_t grid_phases = 7; //!< bit p set: draws on grid phase p (after the station's rotation)
  std::int64_t min_ma = 6000;   //!< below this: paused
  std::int64_t max_ma = 32000;  //!< per phase
  std::int64_t reserved_ma = 0; //!< drawn whatever the allocation says (ignores profiles)
  int weight = 1;               //!< the priority: higher is served first and more
};

struct AllocationInput {
  std::vector<Node> nodes; //!< at least the grid connection
  std::vector<Demand> demands;
  std::int64_t voltage_v = 230; //!< phase to neutral, for power limits
};

struct Share {
  std::int64_t ma = 0; //!< per phase, in whole mA; 0 when paused
  bool paused = false;
};

//! One share per demand, in the input's order. Never exceeds a node's limit on any phase or in
//! power (counting reserved draws), never below min unless paused.
std::vector<Share> allocate(const AllocationInput &input);

//! The per-phase load of each node (its own EVSEs and every node below) for the given shares,
//! in mA: what the invariants above are checked against (tests, the live picture).
std::vector<std::array<std::int64_t, 3>> node_loads(const AllocationInput &input, const std::vector<Share> &shares);

} // namespace gridlane::energy
