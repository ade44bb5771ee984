// Reading the allocator's input (allocator_tree.hpp): limits into ticks, the tree into paths
// and a depth-first order, the EVSEs into the lists the filling walks.
#include "allocator_tree.hpp"

#include <algorithm>
#include <bit>
#include <utility>

namespace gridlane::energy::detail {

namespace {

std::int64_t ticks_of_ma(std::int64_t ma) {
  return std::clamp<std::int64_t>(ma, 0, kMaxMa) * kTicksPerMa;
}

std::int64_t cap_of_phase(std::int64_t limit_ma) {
  if (limit_ma >= kMaxMa) return kNone;
  return ticks_of_ma(limit_ma);
}

std::int64_t cap_of_power(std::int64_t limit_w, std::int64_t voltage_v) {
  // sum over phases of mA x V <= W x 1000  <=>  sum of mA <= W x 1000 / V
  if (limit_w >= INT64_MAX / 1000 || voltage_v <= 0) return kNone;
  const std::int64_t ma = std::max<std::int64_t>(limit_w, 0) * 1000 / voltage_v;
  if (ma >= kMaxMa) return kNone;
  return ticks_of_ma(ma);
}

//! Demand indices by the level at which each reaches its max (max / weight, below 2^42), in
//! index order at a tie: a stable radix sort in three passes of 14 bits, no comparisons.
std::vector<int> sorted_by_max(const std::vector<Prepared::D> &demands) {
  constexpr unsigned kBits = 14;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  std::vector<int> order(demands.size()), next(demands.size());
  std::vector<std::int64_t> key(demands.size());
  for (std::size_t i = 0; i < demands.size(); ++i) {
    order[i] = static_cast<int>(i);
    key[i] = demands[i].max_t / demands[i].weight;
  }
  std::vector<int> count(kBuckets + 1);
  for (unsigned shift = 0; shift < 3 * kBits; shift += kBits) {
    std::fill(count.begin(), count.end(), 0);
    const auto digit = [&](int i) {
      return static_cast<std::size_t>(key[static_cast<std::size_t>(i)] >> shift) & (kBuckets - 1);
    };
    for (const int i : order)
      ++count[digit(i) + 1];
    for (std::size_t b = 0; b < kBuckets; ++b)
      count[b + 1] += count[b];
    for (const int i : order)
      next[static_cast<std::size_t>(count[digit(i)]++)] = i;
    order.swap(next);
  }
  return order;
}

} // namespace

int parent_of(const AllocationInput &in, std::size_t n) {
  if (n == 0) return -1;
  const int p = in.nodes[n].parent;
  // A parent must come first; anything else hangs on the grid connection.
  return p >= 0 && static_cast<std::size_t>(p) < n ? p : 0;
}

Prepared prepare(const AllocationInput &in) {
  Prepared pr;
  const std::size_t nn = std::max<std::size_t>(in.nodes.size(), 1);
  std::vector<std::int64_t> full(nn * kPerNode, kNone); // every node's four, by node * 4 + slot
  for (std::size_t n = 0; n < in.nodes.size(); ++n) {
    for (int p = 0; p < 3; ++p)
      full[n * kPerNode + p] = cap_of_phase(in.nodes[n].phase_limit_ma[p]);
    full[n * kPerNode + kPowerSlot] = cap_of_power(in.nodes[n].power_limit_w, in.voltage_v);
  }

  // Ancestor paths, and the depth-first order that makes a subtree's EVSEs contiguous.
  pr.path_begin.assign(nn + 1, 0);
  std::vector<int> parent(nn, -1);
  for (std::size_t n = 1; n < nn; ++n)
    parent[n] = parent_of(in, n);
  for (std::size_t n = 0; n < nn; ++n) {
    pr.path_begin[n] = static_cast<int>(pr.path.size());
    for (int a = static_cast<int>(n); a >= 0; a = parent[static_cast<std::size_t>(a)])
      pr.path.push_back(a);
  }
  pr.path_begin[nn] = static_cast<int>(pr.path.size());

  std::vector<int> child_count(nn + 1, 0);
  for (std::size_t n = 1; n < nn; ++n)
    ++child_count[static_cast<std::size_t>(parent[n]) + 1];
  for (std::size_t n = 0; n < nn; ++n)
    child_count[n + 1] += child_count[n];
  std::vector<int> children(nn, 0);
  {
    std::vector<int> at(child_count.begin(), child_count.end() - 1);
    for (std::size_t n = 1; n < nn; ++n)
      children[static_cast<std::size_t>(at[static_cast<std::size_t>(parent[n])]++)] = static_cast<int>(n);
  }

  pr.demands.resize(in.demands.size());
  std::vector<int> per_node(nn + 1, 0);
  for (std::size_t i = 0; i < in.demands.size(); ++i) {
    const Demand &d = in.demands[i];
    Prepared::D &p = pr.demands[i];
    p.node = d.node >= 0 && static_cast<std::size_t>(d.node) < nn ? d.node : 0;
    p.phases = (d.grid_phases & 7U) != 0 ? static_cast<std::uint8_t>(d.grid_phases & 7U) : std::uint8_t{7};
    p.coef_power = static_cast<std::uint8_t>(std::popcount(static_cast<unsigned>(p.phases)));
    p.weight = static_cast<std::int16_t>(std::clamp(d.weight, 1, kMaxWeight));
    p.max_t = ticks_of_ma(d.max_ma);
    p.floor_t = ticks_of_ma(d.reserved_ma);
    // A vehicle that takes less than the minimum (its max lowered to what it draws) is not
    // paused for it: the minimum is never above the max.
    p.min_t = std::min(ticks_of_ma(d.min_ma), p.max_t);
    ++per_node[static_cast<std::size_t>(p.node) + 1];
  }

  // A limit that holds even with every EVSE under it at its max can never stop one: it is left
  // out (a 32 A cable to each 32 A EVSE, a generous feeder), which keeps the heap small.
  {
    constexpr std::int64_t kSaturated = INT64_MAX / 4;
    std::vector<std::int64_t> most(full.size(), 0);
    const auto add = [&](std::size_t c, std::int64_t t) { most[c] = std::min(most[c] + t, kSaturated); };
    for (const auto &d : pr.demands) {
      const std::int64_t t = std::max(d.max_t, d.floor_t);
      const auto node = static_cast<std::size_t>(d.node);
      for (int k = pr.path_begin[node]; k < pr.path_begin[node + 1]; ++k) {
        const auto base = static_cast<std::size_t>(pr.path[static_cast<std::size_t>(k)]) * kPerNode;
        for (std::size_t p = 0; p < 3; ++p) {
          if ((d.phases & (1U << p)) != 0) add(base + p, t);
        }
        add(base + kPowerSlot, d.coef_power * t);
      }
    }
    for (std::size_t c = 0; c < full.size(); ++c) {
      if (full[c] >= most[c]) full[c] = kNone;
    }
  }
  std::vector<int> dense(full.size(), -1);
  for (std::size_t c = 0; c < full.size(); ++c) {
    if (full[c] == kNone) continue;
    dense[c] = static_cast<int>(pr.caps.size());
    pr.caps.push_back(full[c]);
    pr.con_node.push_back(static_cast<int>(c / kPerNode));
    pr.con_slot.push_back(static_cast<std::uint8_t>(c % kPerNode));
  }

  pr.ref_begin.assign(nn * 8 + 1, 0);
  std::vector<char> wanted(nn * 8, 0); // only the node and phases some EVSE has
  for (std::size_t i = 0; i < pr.demands.size(); ++i)
    wanted[static_cast<std::size_t>(pr.refs_of(i))] = 1;
  for (std::size_t n = 0; n < nn; ++n) {
    for (unsigned m = 0; m < 8; ++m) {
      pr.ref_begin[n * 8 + m] = static_cast<int>(pr.refs.size());
      if (wanted[n * 8 + m] == 0) continue;
      for (int k = pr.path_begin[n]; k < pr.path_begin[n + 1]; ++k) {
        const auto base = static_cast<std::size_t>(pr.path[static_cast<std::size_t>(k)]) * kPerNode;
        for (std::size_t p = 0; p < 3; ++p) {
          if ((m & (1U << p)) != 0 && dense[base + p] >= 0) pr.refs.push_back({dense[base + p], 1});
        }
        if (dense[base + kPowerSlot] >= 0) pr.refs.push_back({dense[base + kPowerSlot], std::popcount(m)});
      }
    }
  }
  pr.ref_begin[nn * 8] = static_cast<int>(pr.refs.size());
  pr.by_max = sorted_by_max(pr.demands);

  // Depth-first walk: each node's own EVSEs, then its children's subtrees.
  std::vector<int> own_begin(nn + 1, 0);
  for (std::size_t n = 0; n < nn; ++n)
    own_begin[n + 1] = own_begin[n] + per_node[n + 1];
  std::vector<int> own(in.demands.size(), 0);
  {
    std::vector<int> at(own_begin.begin(), own_begin.end() - 1);
    for (std::size_t i = 0; i < pr.demands.size(); ++i)
      own[static_cast<std::size_t>(at[static_cast<std::size_t>(pr.demands[i].node)]++)] = static_cast<int>(i);
  }
  pr.order.reserve(in.demands.size());
  pr.range_lo.assign(nn, 0);
  pr.range_hi.assign(nn, 0);
  std::vector<std::pair<int, int>> stack{{0, 0}}; // node, next child
  pr.range_lo[0] = 0;
  for (int k = own_begin[0]; k < own_begin[1]; ++k)
    pr.order.push_back(own[static_cast<std::size_t>(k)]);
  while (!stack.empty()) {
    auto &[node, next] = stack.back();
    const auto un = static_cast<std::size_t>(node);
    if (child_count[un] + next < child_count[un + 1]) {
      const auto slot = static_cast<std::size_t>(child_count[un]) + static_cast<std::size_t>(next++);
      const int c = children[slot];
      const auto uc = static_cast<std::size_t>(c);
      pr.range_lo[uc] = static_cast<int>(pr.order.size());
      for (int k = own_begin[uc]; k < own_begin[uc + 1]; ++k)
        pr.order.push_back(own[static_cast<std::size_t>(k)]);
      stack.emplace_back(c, 0);
    } else {
      pr.range_hi[un] = static_cast<int>(pr.order.size());
      stack.pop_back();
    }
  }
  return pr;
}

} // namespace gridlane::energy::detail
