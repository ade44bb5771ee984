// The allocator (docs/energy.md, "Allocation"): weighted progressive filling over the tree's
// constraints, in exact integers, then pausing of the EVSEs left below their minimum.
//
// Every node has up to four constraints: one per grid phase (the sum of the currents of the
// EVSEs below it that draw on that phase) and one for its power (the sum over phases, i.e.
// each EVSE's current times its number of phases, against power x 1000 / voltage in mA). A
// global level rises; each EVSE that is "rising" holds weight x level. An EVSE stops rising at
// its max, or when a constraint it is in saturates (then every rising EVSE in it stops). The
// level only jumps from event to event: a constraint saturates (a heap over the constraints
// that can bind), an EVSE reaches its max (a list sorted once) or the level reaches its
// reserved floor. A saturating constraint stops the rising EVSEs under its node in one pass
// over them (they are contiguous in a depth-first order). allocator_tree.cpp reads the input.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <functional>
#include <queue>
#include <tuple>

#include "gridlane/energy/allocator.hpp"

#include "allocator_tree.hpp"

namespace gridlane::energy {

namespace {

using namespace detail;

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
    const auto node = static_cast<std::size_t>(pr_.con_node[uid]);
    const unsigned slot = pr_.con_slot[uid];
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
    const bool power = pr.con_slot[ub] == kPowerSlot;
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
