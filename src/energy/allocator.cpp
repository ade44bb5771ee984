// The allocator (docs/energy.md, "Allocation"): weighted progressive filling over the tree's
// constraints, in exact integers, then pausing of the EVSEs left below their minimum.
//
// Every node has up to four constraints: one per grid phase (the sum of the currents of the
// EVSEs below it that draw on that phase) and one for its power (the sum over phases, i.e.
// each EVSE's current times its number of phases, against power x 1000 / voltage in mA). A
// global level rises; each EVSE that is "rising" holds weight x level. An EVSE stops rising at
// its max, or when a constraint it is in saturates (then every rising EVSE in it stops). The
// level only jumps from event to event (a constraint saturates, an EVSE reaches its max or the
// level reaches its reserved floor), found with a heap, so the cost is O((n + c) log(n + c))
// for n EVSEs and c constraints, plus one pass over a node's EVSEs when one of its constraints
// saturates (at most four times per node).
#include <algorithm>
#include <bit>
#include <cstddef>
#include <functional>
#include <queue>
#include <tuple>

#include "gridlane/energy/allocator.hpp"

namespace gridlane::energy {

namespace {

// Currents are counted in ticks of 1/2520 mA inside: 2520 is the least common multiple of the
// weights 1..10, so a max or reserved floor in whole mA is reached at an integer level whatever
// the weight, and a share rounds down to whole mA at the end (never above any limit).
constexpr std::int64_t kTicksPerMa = 2520;
constexpr int kMaxWeight = 10;
constexpr std::int64_t kMaxMa = 1'000'000'000; // 1 MA: larger maxima and limits count as this
constexpr std::int64_t kNone = INT64_MAX;      // a constraint that is not one
constexpr int kPerNode = 4;                    // phases 0..2, then power
constexpr int kPowerSlot = 3;
constexpr int kMaxRounds = 64; // pausing rounds before every EVSE still below its min is paused

enum class State : std::uint8_t { Waiting, Rising, Frozen, Paused };
constexpr int kStoppedByMax = -1;
constexpr int kStoppedByFloor = -2;

struct Constraint {
  std::int64_t cap = kNone;
  std::int64_t fixed = 0; // ticks of the EVSEs in it that are not rising
  std::int64_t rate = 0;  // ticks per level step of the rising ones
  std::uint32_t version = 0;
  bool saturated = false;
  bool dirty = false;
};

enum class EventKind : std::uint8_t { Saturates, ReachesMax, ReachesFloor };

struct Event {
  std::int64_t level = 0;
  EventKind kind = EventKind::Saturates;
  int id = 0;
  std::uint32_t version = 0;
  bool operator>(const Event &o) const { return std::tie(level, kind, id) > std::tie(o.level, o.kind, o.id); }
};

struct Prepared {
  struct D {
    int node = 0;
    std::uint8_t phases = 7;
    int coef_power = 3; // phases it draws on: its weight in a power constraint
    int weight = 1;
    std::int64_t max_t = 0, floor_t = 0, min_t = 0;
  };
  std::vector<D> demands;
  std::vector<std::int64_t> caps;      // kPerNode per node
  std::vector<int> path_begin;         // per node + 1: ancestors (itself first) in `path`
  std::vector<int> path;               //
  std::vector<int> order;              // demand indices, grouped by node in depth-first order
  std::vector<int> range_lo, range_hi; // per node: its subtree's demands in `order`
};

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

int parent_of(const AllocationInput &in, std::size_t n) {
  if (n == 0) return -1;
  const int p = in.nodes[n].parent;
  // A parent must come first; anything else hangs on the grid connection.
  return p >= 0 && static_cast<std::size_t>(p) < n ? p : 0;
}

Prepared prepare(const AllocationInput &in) {
  Prepared pr;
  const std::size_t nn = std::max<std::size_t>(in.nodes.size(), 1);
  pr.caps.assign(nn * kPerNode, kNone);
  for (std::size_t n = 0; n < in.nodes.size(); ++n) {
    for (int p = 0; p < 3; ++p)
      pr.caps[n * kPerNode + p] = cap_of_phase(in.nodes[n].phase_limit_ma[p]);
    pr.caps[n * kPerNode + kPowerSlot] = cap_of_power(in.nodes[n].power_limit_w, in.voltage_v);
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
    p.coef_power = std::popcount(static_cast<unsigned>(p.phases));
    p.weight = std::clamp(d.weight, 1, kMaxWeight);
    p.max_t = ticks_of_ma(d.max_ma);
    p.floor_t = ticks_of_ma(d.reserved_ma);
    // A vehicle that takes less than the minimum (its max lowered to what it draws) is not
    // paused for it: the minimum is never above the max.
    p.min_t = std::min(ticks_of_ma(d.min_ma), p.max_t);
    ++per_node[static_cast<std::size_t>(p.node) + 1];
  }

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
      const int c = children[static_cast<std::size_t>(child_count[un] + next++)];
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

//! One progressive filling, the EVSEs marked paused left out. Gives each EVSE's ticks and the
//! constraint that stopped it (or kStoppedByMax / kStoppedByFloor).
class Filler {
public:
  explicit Filler(const Prepared &pr) : pr_(pr) {}

  void run(const std::vector<bool> &paused, std::vector<std::int64_t> &ticks, std::vector<int> &stopped_by) {
    const std::size_t nd = pr_.demands.size();
    ticks.assign(nd, 0);
    stopped_by.assign(nd, kStoppedByMax);
    state_.assign(nd, State::Waiting);
    cons_.assign(pr_.caps.size(), Constraint{});
    for (std::size_t c = 0; c < cons_.size(); ++c)
      cons_[c].cap = pr_.caps[c];
    heap_ = {};
    dirty_.clear();
    level_ = 0;

    for (std::size_t i = 0; i < nd; ++i) {
      const auto &d = pr_.demands[i];
      if (paused[i]) {
        state_[i] = State::Paused;
        continue;
      }
      if (d.floor_t >= d.max_t || (d.floor_t == 0 && d.max_t == 0)) {
        // Draws its floor whatever happens (a station ignoring its profile above its max).
        state_[i] = State::Frozen;
        ticks[i] = d.floor_t;
        stopped_by[i] = d.floor_t > 0 ? kStoppedByFloor : kStoppedByMax;
        each_constraint(i, [&](Constraint &c, int coef) { c.fixed += coef * d.floor_t; });
      } else if (d.floor_t > 0) {
        state_[i] = State::Waiting;
        ticks[i] = d.floor_t;
        each_constraint(i, [&](Constraint &c, int coef) { c.fixed += coef * d.floor_t; });
        heap_.push({d.floor_t / d.weight, EventKind::ReachesFloor, static_cast<int>(i), 0});
      } else {
        state_[i] = State::Rising;
        each_constraint(i, [&](Constraint &c, int coef) { c.rate += std::int64_t{coef} * d.weight; });
        heap_.push({d.max_t / d.weight, EventKind::ReachesMax, static_cast<int>(i), 0});
      }
    }
    for (std::size_t c = 0; c < cons_.size(); ++c) {
      if (cons_[c].cap != kNone) push_saturation(static_cast<int>(c));
    }

    while (!heap_.empty()) {
      const Event ev = heap_.top();
      heap_.pop();
      level_ = std::max(level_, ev.level);
      const auto id = static_cast<std::size_t>(ev.id);
      switch (ev.kind) {
      case EventKind::Saturates:
        if (cons_[id].version == ev.version && !cons_[id].saturated && cons_[id].rate > 0)
          saturate(ev.id, ticks, stopped_by);
        break;
      case EventKind::ReachesMax:
        if (state_[id] == State::Rising) freeze(id, pr_.demands[id].max_t, kStoppedByMax, ticks, stopped_by);
        break;
      case EventKind::ReachesFloor:
        if (state_[id] == State::Waiting) start(id, ticks, stopped_by);
        break;
      }
      if (heap_.empty() || heap_.top().level > level_) flush();
    }
  }

private:
  template <class F> void each_constraint(std::size_t i, F &&f) {
    const auto &d = pr_.demands[i];
    const auto node = static_cast<std::size_t>(d.node);
    for (int k = pr_.path_begin[node]; k < pr_.path_begin[node + 1]; ++k) {
      const auto base = static_cast<std::size_t>(pr_.path[static_cast<std::size_t>(k)]) * kPerNode;
      for (std::size_t p = 0; p < 3; ++p) {
        if ((d.phases & (1U << p)) != 0 && cons_[base + p].cap != kNone) f(cons_[base + p], 1);
      }
      if (cons_[base + kPowerSlot].cap != kNone) f(cons_[base + kPowerSlot], d.coef_power);
    }
  }

  void touch(Constraint &c) {
    ++c.version; // the events already queued for it no longer hold
    if (!c.dirty) {
      c.dirty = true;
      dirty_.push_back(static_cast<int>(&c - cons_.data()));
    }
  }

  void push_saturation(int id) {
    Constraint &c = cons_[static_cast<std::size_t>(id)];
    c.dirty = false;
    if (c.saturated || c.rate <= 0) return;
    // fixed + rate x level <= cap holds now; the last level at which it still holds:
    const std::int64_t room = c.cap - c.fixed;
    const std::int64_t at = room <= 0 ? level_ : std::max(level_, room / c.rate);
    heap_.push({at, EventKind::Saturates, id, c.version});
  }

  void flush() {
    for (const int id : dirty_)
      push_saturation(id);
    dirty_.clear();
  }

  void freeze(std::size_t i, std::int64_t t, int why, std::vector<std::int64_t> &ticks, std::vector<int> &stopped_by) {
    const auto &d = pr_.demands[i];
    state_[i] = State::Frozen;
    ticks[i] = t;
    stopped_by[i] = why;
    each_constraint(i, [&](Constraint &c, int coef) {
      c.fixed += coef * t;
      c.rate -= std::int64_t{coef} * d.weight;
      touch(c);
    });
  }

  void start(std::size_t i, std::vector<std::int64_t> &ticks, std::vector<int> &stopped_by) {
    const auto &d = pr_.demands[i];
    int full = kStoppedByFloor;
    each_constraint(i, [&](Constraint &c, int) {
      if (c.saturated) full = static_cast<int>(&c - cons_.data());
    });
    if (full != kStoppedByFloor) {
      state_[i] = State::Frozen; // a constraint it is in is full: it stays at its floor
      stopped_by[i] = full;
      return;
    }
    state_[i] = State::Rising;
    ticks[i] = 0;
    each_constraint(i, [&](Constraint &c, int coef) {
      c.fixed -= coef * d.floor_t;
      c.rate += std::int64_t{coef} * d.weight;
      touch(c);
    });
    heap_.push({d.max_t / d.weight, EventKind::ReachesMax, static_cast<int>(i), 0});
  }

  void saturate(int id, std::vector<std::int64_t> &ticks, std::vector<int> &stopped_by) {
    const auto uid = static_cast<std::size_t>(id);
    cons_[uid].saturated = true;
    const auto node = uid / kPerNode;
    const auto slot = static_cast<unsigned>(uid % kPerNode);
    for (int k = pr_.range_lo[node]; k < pr_.range_hi[node]; ++k) {
      const auto i = static_cast<std::size_t>(pr_.order[static_cast<std::size_t>(k)]);
      if (state_[i] != State::Rising) continue;
      if (slot != kPowerSlot && (pr_.demands[i].phases & (1U << slot)) == 0) continue;
      freeze(i, pr_.demands[i].weight * level_, id, ticks, stopped_by);
    }
  }

  const Prepared &pr_;
  std::vector<State> state_;
  std::vector<Constraint> cons_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> heap_;
  std::vector<int> dirty_;
  std::int64_t level_ = 0;
};

//! Pauses, among the EVSEs below their min, enough of them to lift the others: per
//! constraint that stopped them, the lowest weight first, then the smallest share, then the
//! last in the input's order, until what the paused ones free covers what the rest lack. A
//! lower bound of what is needed (the EVSEs above their min in the same constraint take part of
//! what is freed too), so another round follows; it never pauses one that could have run.
bool pause_some(const Prepared &pr, const std::vector<std::int64_t> &ticks, const std::vector<int> &stopped_by,
                std::vector<bool> &paused, bool all) {
  std::vector<int> below;
  for (std::size_t i = 0; i < pr.demands.size(); ++i) {
    const auto &d = pr.demands[i];
    if (paused[i] || d.floor_t > 0 || ticks[i] >= d.min_t) continue;
    below.push_back(static_cast<int>(i));
  }
  if (below.empty()) return false;
  if (all) {
    for (const int i : below)
      paused[static_cast<std::size_t>(i)] = true;
    return true;
  }
  auto key = [&](int i) {
    const auto u = static_cast<std::size_t>(i);
    return std::make_tuple(stopped_by[u], pr.demands[u].weight, ticks[u], -i);
  };
  std::sort(below.begin(), below.end(), [&](int a, int b) { return key(a) < key(b); });
  for (std::size_t g = 0; g < below.size();) {
    std::size_t end = g;
    const int by = stopped_by[static_cast<std::size_t>(below[g])];
    std::int64_t lacking = 0;
    while (end < below.size() && stopped_by[static_cast<std::size_t>(below[end])] == by) {
      const auto u = static_cast<std::size_t>(below[end++]);
      const auto &d = pr.demands[u];
      const int coef = by % kPerNode == kPowerSlot ? d.coef_power : 1;
      lacking += coef * (d.min_t - ticks[u]);
    }
    std::int64_t freed = 0;
    for (std::size_t k = g; k < end && freed < lacking; ++k) {
      const auto u = static_cast<std::size_t>(below[k]);
      const auto &d = pr.demands[u];
      const int coef = by % kPerNode == kPowerSlot ? d.coef_power : 1;
      paused[u] = true;
      freed += coef * ticks[u];
      lacking -= coef * (d.min_t - ticks[u]);
    }
    g = end;
  }
  return true;
}

} // namespace

std::vector<Share> allocate(const AllocationInput &input) {
  const Prepared pr = prepare(input);
  std::vector<bool> paused(pr.demands.size(), false);
  std::vector<std::int64_t> ticks;
  std::vector<int> stopped_by;
  Filler filler(pr);
  for (int round = 0;; ++round) {
    filler.run(paused, ticks, stopped_by);
    if (!pause_some(pr, ticks, stopped_by, paused, round + 1 >= kMaxRounds)) break;
  }
  std::vector<Share> out(pr.demands.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].ma = paused[i] ? 0 : ticks[i] / kTicksPerMa;
    out[i].paused = out[i].ma == 0 && pr.demands[i].floor_t == 0;
  }
  return out;
}

std::vector<std::array<std::int64_t, 3>> node_loads(const AllocationInput &input, const std::vector<Share> &shares) {
  const std::size_t nn = std::max<std::size_t>(input.nodes.size(), 1);
  std::vector<std::array<std::int64_t, 3>> load(nn, {0, 0, 0});
  for (std::size_t i = 0; i < input.demands.size() && i < shares.size(); ++i) {
    const Demand &d = input.demands[i];
    const auto node = d.node >= 0 && static_cast<std::size_t>(d.node) < nn ? static_cast<std::size_t>(d.node) : 0;
    const unsigned phases = (d.grid_phases & 7U) != 0 ? (d.grid_phases & 7U) : 7U;
    // What it draws: its share, or what it takes anyway when it ignores its profile.
    const std::int64_t ma = std::max(shares[i].ma, std::max<std::int64_t>(d.reserved_ma, 0));
    for (std::size_t p = 0; p < 3; ++p) {
      if ((phases & (1U << p)) != 0) load[node][p] += ma;
    }
  }
  for (std::size_t n = nn; n-- > 1;) {
    const auto parent = static_cast<std::size_t>(parent_of(input, n));
    for (std::size_t p = 0; p < 3; ++p)
      load[parent][p] += load[n][p];
  }
  return load;
}

} // namespace gridlane::energy
