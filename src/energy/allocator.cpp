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
constexpr int kMaxRounds = 64;   // pausing rounds before every EVSE still below its min is paused
constexpr int kResumePasses = 4; // looks for EVSEs paused that fit after all

enum class State : std::uint8_t { Waiting, Rising, Frozen, Paused };
constexpr int kStoppedByMax = -1;
constexpr int kStoppedByFloor = -2;

struct Constraint {
  std::int64_t cap = kNone;
  std::int64_t fixed = 0; // ticks of the EVSEs in it that are not rising
  std::int64_t rate = 0;  // ticks per level step of the rising ones
  std::uint32_t version = 0;
  bool saturated = false;
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
    std::uint8_t coef_power = 3; // phases it draws on: its weight in a power constraint
    std::int16_t weight = 1;
    std::int64_t max_t = 0, floor_t = 0, min_t = 0;
  };
  std::vector<D> demands;
  std::vector<std::int64_t> caps;      // kPerNode per node
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
    p.coef_power = static_cast<std::uint8_t>(std::popcount(static_cast<unsigned>(p.phases)));
    p.weight = static_cast<std::int16_t>(std::clamp(d.weight, 1, kMaxWeight));
    p.max_t = ticks_of_ma(d.max_ma);
    p.floor_t = ticks_of_ma(d.reserved_ma);
    // A vehicle that takes less than the minimum (its max lowered to what it draws) is not
    // paused for it: the minimum is never above the max.
    p.min_t = std::min(ticks_of_ma(d.min_ma), p.max_t);
    ++per_node[static_cast<std::size_t>(p.node) + 1];
  }

  pr.ref_begin.assign(nn * 8 + 1, 0);
  for (std::size_t n = 0; n < nn; ++n) {
    for (unsigned m = 0; m < 8; ++m) {
      pr.ref_begin[n * 8 + m] = static_cast<int>(pr.refs.size());
      if (m == 0) continue;
      for (int k = pr.path_begin[n]; k < pr.path_begin[n + 1]; ++k) {
        const auto base = static_cast<std::size_t>(pr.path[static_cast<std::size_t>(k)]) * kPerNode;
        for (std::size_t p = 0; p < 3; ++p) {
          if ((m & (1U << p)) != 0 && pr.caps[base + p] != kNone) pr.refs.push_back({static_cast<int>(base + p), 1});
        }
        if (pr.caps[base + kPowerSlot] != kNone)
          pr.refs.push_back({static_cast<int>(base + kPowerSlot), std::popcount(m)});
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

//! One progressive filling, the EVSEs marked paused left out. Gives each EVSE's ticks and the
//! constraint that stopped it (or kStoppedByMax / kStoppedByFloor), and each constraint's use.
//! The EVSEs reaching their max come from the list sorted once (no heap for them); the heap
//! holds the constraints' saturation levels and the reserved floors.
class Filler {
public:
  explicit Filler(const Prepared &pr) : pr_(pr) {}

  void run(const std::vector<char> &paused, std::vector<std::int64_t> &ticks, std::vector<int> &stopped_by) {
    const std::size_t nd = pr_.demands.size();
    ticks.assign(nd, 0);
    stopped_by.assign(nd, kStoppedByMax);
    state_.assign(nd, State::Waiting);
    cons_.assign(pr_.caps.size(), Constraint{});
    for (std::size_t c = 0; c < cons_.size(); ++c)
      cons_[c].cap = pr_.caps[c];
    heap_ = {};
    level_ = 0;

    for (std::size_t i = 0; i < nd; ++i) {
      const auto &d = pr_.demands[i];
      if (paused[i] != 0) {
        state_[i] = State::Paused;
      } else if (d.floor_t >= d.max_t || (d.floor_t == 0 && d.max_t == 0)) {
        // Draws its floor whatever happens (a station ignoring its profile above its max).
        state_[i] = State::Frozen;
        ticks[i] = d.floor_t;
        stopped_by[i] = d.floor_t > 0 ? kStoppedByFloor : kStoppedByMax;
        for_refs(i, [&](Constraint &c, int coef) { c.fixed += coef * d.floor_t; });
      } else if (d.floor_t > 0) {
        state_[i] = State::Waiting;
        ticks[i] = d.floor_t;
        for_refs(i, [&](Constraint &c, int coef) { c.fixed += coef * d.floor_t; });
        heap_.push({d.floor_t / d.weight, EventKind::ReachesFloor, static_cast<int>(i), 0});
      } else {
        state_[i] = State::Rising;
        for_refs(i, [&](Constraint &c, int coef) { c.rate += std::int64_t{coef} * d.weight; });
      }
    }
    for (std::size_t c = 0; c < cons_.size(); ++c) {
      if (cons_[c].cap != kNone) push_saturation(static_cast<int>(c));
    }

    std::size_t next_max = 0;
    const auto skip_done = [&] {
      while (next_max < nd && state_[static_cast<std::size_t>(pr_.by_max[next_max])] >= State::Frozen)
        ++next_max;
    };
    const auto max_level = [&](std::size_t k) {
      const auto &d = pr_.demands[static_cast<std::size_t>(pr_.by_max[k])];
      return d.max_t / d.weight;
    };
    for (;;) {
      skip_done();
      const bool have_max = next_max < nd;
      if (heap_.empty() && !have_max) break;
      // A saturation or a floor first at a tie: the values are the same either way.
      if (!heap_.empty() && (!have_max || heap_.top().level <= max_level(next_max))) {
        const Event ev = heap_.top();
        heap_.pop();
        level_ = std::max(level_, ev.level);
        const auto id = static_cast<std::size_t>(ev.id);
        if (ev.kind == EventKind::Saturates) {
          const Constraint &c = cons_[id];
          if (c.version != ev.version || c.saturated || c.rate <= 0) continue;
          // EVSEs stopped since it was queued only make it later: look again, or saturate.
          if (saturation_level(c) > ev.level) {
            push_saturation(ev.id);
          } else {
            saturate(ev.id, ticks, stopped_by);
          }
        } else if (state_[id] == State::Waiting) {
          start(id, ticks, stopped_by);
        }
      } else {
        level_ = std::max(level_, max_level(next_max));
        const auto i = static_cast<std::size_t>(pr_.by_max[next_max++]);
        freeze(i, pr_.demands[i].max_t, kStoppedByMax, ticks, stopped_by);
      }
    }
  }

  //! What each constraint carries after run() (every EVSE is frozen then).
  std::int64_t used(int constraint) const { return cons_[static_cast<std::size_t>(constraint)].fixed; }

private:
  template <class F> void for_refs(std::size_t i, F &&f) {
    const auto g = static_cast<std::size_t>(pr_.refs_of(i));
    for (int k = pr_.ref_begin[g]; k < pr_.ref_begin[g + 1]; ++k) {
      const auto &r = pr_.refs[static_cast<std::size_t>(k)];
      f(cons_[static_cast<std::size_t>(r.constraint)], r.coef);
    }
  }

  //! fixed + rate x level <= cap holds now; the last level at which it still holds.
  std::int64_t saturation_level(const Constraint &c) const {
    const std::int64_t room = c.cap - c.fixed;
    return room <= 0 ? level_ : std::max(level_, room / c.rate);
  }

  //! Queues the constraint at its saturation level; the entries queued before no longer hold.
  //! An EVSE that stops rising only makes that level later, so it does not queue it again (the
  //! entry is looked at again when it comes up); one that starts rising makes it earlier.
  void push_saturation(int id) {
    Constraint &c = cons_[static_cast<std::size_t>(id)];
    ++c.version;
    if (c.saturated || c.rate <= 0) return;
    heap_.push({saturation_level(c), EventKind::Saturates, id, c.version});
  }

  void freeze(std::size_t i, std::int64_t t, int why, std::vector<std::int64_t> &ticks, std::vector<int> &stopped_by) {
    const int weight = pr_.demands[i].weight;
    state_[i] = State::Frozen;
    ticks[i] = t;
    stopped_by[i] = why;
    for_refs(i, [&](Constraint &c, int coef) {
      c.fixed += coef * t;
      c.rate -= std::int64_t{coef} * weight;
    });
  }

  void start(std::size_t i, std::vector<std::int64_t> &ticks, std::vector<int> &stopped_by) {
    const auto &d = pr_.demands[i];
    int full = kStoppedByFloor;
    for_refs(i, [&](Constraint &c, int) {
      if (c.saturated) full = static_cast<int>(&c - cons_.data());
    });
    if (full != kStoppedByFloor) {
      state_[i] = State::Frozen; // a constraint it is in is full: it stays at its floor
      stopped_by[i] = full;
      return;
    }
    state_[i] = State::Rising;
    ticks[i] = 0;
    for_refs(i, [&](Constraint &c, int coef) {
      c.fixed -= coef * d.floor_t;
      c.rate += std::int64_t{coef} * d.weight;
      push_saturation(static_cast<int>(&c - cons_.data()));
    });
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
  std::int64_t level_ = 0;
};

//! What EVSE `i` holds in a constraint when its group rises to `level`.
std::int64_t held_at(const Prepared::D &d, std::int64_t level) {
  return std::min(d.max_t, std::max(d.floor_t, d.weight * level));
}

//! Pauses, among the EVSEs below their min, enough of them that the rest reach it. Per
//! constraint that stopped them, in the order they are given up (the lowest weight first, then
//! the smallest share, then the last in the input's order): the fewest k such that, with the
//! first k paused, the constraint has room for the level at which every other one reaches its
//! min (counting the EVSEs above their min that it stopped too, which rise with them, and what
//! the rest of the constraint carries as it is). Exact for the constraint alone; when a
//! constraint below would stop some of them first, the next round sees it.
bool pause_some(const Prepared &pr, const Filler &filler, const std::vector<std::int64_t> &ticks,
                const std::vector<int> &stopped_by, std::vector<char> &paused, bool all) {
  std::vector<int> below;
  for (std::size_t i = 0; i < pr.demands.size(); ++i) {
    const auto &d = pr.demands[i];
    if (paused[i] != 0 || d.floor_t > 0 || ticks[i] >= d.min_t) continue;
    below.push_back(static_cast<int>(i));
  }
  if (below.empty()) return false;
  if (all) {
    for (const int i : below)
      paused[static_cast<std::size_t>(i)] = 1;
    return true;
  }
  auto key = [&](int i) {
    const auto u = static_cast<std::size_t>(i);
    return std::make_tuple(stopped_by[u], pr.demands[u].weight, ticks[u], -i);
  };
  std::sort(below.begin(), below.end(), [&](int a, int b) { return key(a) < key(b); });

  // Every running EVSE by the constraint that stopped it.
  std::vector<int> members_begin(pr.caps.size() + 1, 0);
  for (std::size_t i = 0; i < pr.demands.size(); ++i) {
    if (paused[i] == 0 && stopped_by[i] >= 0) ++members_begin[static_cast<std::size_t>(stopped_by[i]) + 1];
  }
  for (std::size_t c = 0; c < pr.caps.size(); ++c)
    members_begin[c + 1] += members_begin[c];
  std::vector<int> members(static_cast<std::size_t>(members_begin.back()));
  {
    std::vector<int> at(members_begin.begin(), members_begin.end() - 1);
    for (std::size_t i = 0; i < pr.demands.size(); ++i) {
      if (paused[i] == 0 && stopped_by[i] >= 0)
        members[static_cast<std::size_t>(at[static_cast<std::size_t>(stopped_by[i])]++)] = static_cast<int>(i);
    }
  }

  std::vector<std::int64_t> need_level; // per candidate: the level the ones from it on need
  for (std::size_t g = 0; g < below.size();) {
    const int by = stopped_by[static_cast<std::size_t>(below[g])];
    std::size_t end = g;
    while (end < below.size() && stopped_by[static_cast<std::size_t>(below[end])] == by)
      ++end;
    const auto ub = static_cast<std::size_t>(by);
    const bool power = ub % kPerNode == kPowerSlot;
    const auto coef = [&](std::size_t i) -> std::int64_t { return power ? pr.demands[i].coef_power : 1; };
    const auto cand = [&](std::size_t k) { return static_cast<std::size_t>(below[g + k]); };
    const std::size_t m = end - g;

    std::int64_t others = filler.used(by); // what the constraint carries beyond this group
    for (int k = members_begin[ub]; k < members_begin[ub + 1]; ++k) {
      const auto i = static_cast<std::size_t>(members[static_cast<std::size_t>(k)]);
      others -= coef(i) * ticks[i];
    }
    need_level.assign(m + 1, 0);
    for (std::size_t k = m; k-- > 0;) {
      const auto &d = pr.demands[cand(k)];
      need_level[k] = std::max(need_level[k + 1], d.min_t / d.weight);
    }

    std::size_t pause = m;
    int segments = 0;
    for (std::size_t k0 = 0; k0 < m && pause == m;) {
      if (++segments > 32) break; // many distinct minima: pause them all but the next round's
      const std::int64_t level = need_level[k0];
      std::int64_t load = others;
      for (int k = members_begin[ub]; k < members_begin[ub + 1]; ++k) {
        const auto i = static_cast<std::size_t>(members[static_cast<std::size_t>(k)]);
        load += coef(i) * held_at(pr.demands[i], level);
      }
      for (std::size_t k = 0; k < k0; ++k)
        load -= coef(cand(k)) * held_at(pr.demands[cand(k)], level);
      std::size_t k = k0;
      for (; k < m && need_level[k] == level; ++k) {
        if (load <= pr.caps[ub]) {
          pause = k;
          break;
        }
        load -= coef(cand(k)) * held_at(pr.demands[cand(k)], level);
      }
      k0 = k;
    }
    if (segments > 32) pause = 1; // the slow, safe way: one at a time
    for (std::size_t k = 0; k < std::max<std::size_t>(pause, 1); ++k)
      paused[cand(k)] = 1;
    g = end;
  }
  return true;
}

//! Pausing is sized per constraint, as if the EVSEs it stopped would all rise to the level
//! their minimum needs; a constraint below may stop some of them first, and then more were
//! paused than needed. Resumes, the highest weight first, every paused EVSE whose minimum fits
//! in the room left on every constraint on its path (taking that room as it goes).
bool resume_some(const Prepared &pr, const Filler &filler, std::vector<char> &paused) {
  std::vector<int> order;
  for (std::size_t i = 0; i < pr.demands.size(); ++i) {
    if (paused[i] != 0 && pr.demands[i].min_t > 0) order.push_back(static_cast<int>(i));
  }
  if (order.empty()) return false;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return pr.demands[static_cast<std::size_t>(a)].weight > pr.demands[static_cast<std::size_t>(b)].weight;
  });
  std::vector<std::int64_t> room(pr.caps.size(), 0);
  for (std::size_t c = 0; c < room.size(); ++c)
    room[c] = pr.caps[c] == kNone ? kNone : pr.caps[c] - filler.used(static_cast<int>(c));
  bool any = false;
  for (const int i : order) {
    const auto u = static_cast<std::size_t>(i);
    const std::int64_t min_t = pr.demands[u].min_t;
    bool fits = true;
    const auto g = static_cast<std::size_t>(pr.refs_of(u));
    for (int k = pr.ref_begin[g]; k < pr.ref_begin[g + 1] && fits; ++k) {
      const auto &r = pr.refs[static_cast<std::size_t>(k)];
      fits = room[static_cast<std::size_t>(r.constraint)] >= r.coef * min_t;
    }
    if (!fits) continue;
    for (int k = pr.ref_begin[g]; k < pr.ref_begin[g + 1]; ++k) {
      const auto &r = pr.refs[static_cast<std::size_t>(k)];
      room[static_cast<std::size_t>(r.constraint)] -= r.coef * min_t;
    }
    paused[u] = 0;
    any = true;
  }
  return any;
}

} // namespace

std::vector<Share> allocate(const AllocationInput &input) {
  const Prepared pr = prepare(input);
  std::vector<char> paused(pr.demands.size(), 0);
  std::vector<std::int64_t> ticks;
  std::vector<int> stopped_by;
  Filler filler(pr);
  int rounds = 0;
  for (int resumed = 0;; ++resumed) {
    for (;; ++rounds) {
      filler.run(paused, ticks, stopped_by);
      if (!pause_some(pr, filler, ticks, stopped_by, paused, rounds + 1 >= kMaxRounds)) break;
    }
    // Ends after a filling that left no EVSE between 0 and its min.
    if (resumed >= kResumePasses || !resume_some(pr, filler, paused)) break;
  }
  std::vector<Share> out(pr.demands.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].ma = paused[i] != 0 ? 0 : ticks[i] / kTicksPerMa;
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
