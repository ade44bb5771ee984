// The composite limit of a simulated station's charging profiles (profiles.hpp).
#include "profiles.hpp"

#include <algorithm>
#include <limits>

namespace gridlane::sim {

namespace {

using std::chrono::seconds;

//! Where the schedule of `p` started for time `t`, or nullopt when it has not (yet).
std::optional<core::Timestamp> schedule_start(const Profile &p, core::Timestamp t, const TxContext &tx) {
  switch (p.kind) {
  case ProfileKind::Relative:
    if (tx.id.empty()) return std::nullopt;
    return tx.started;
  case ProfileKind::Absolute: return p.start.value_or(p.received);
  case ProfileKind::Recurring: {
    const auto first = p.start.value_or(p.received);
    const auto every = std::chrono::duration_cast<std::chrono::milliseconds>(
        p.recurrency == Recurrency::Weekly ? std::chrono::hours(24 * 7) : std::chrono::hours(24));
    if (t < first) return std::nullopt;
    return first + every * ((t - first) / every);
  }
  }
  return std::nullopt;
}

struct Value {
  double limit;
  RateUnit unit;
  std::optional<int> phases;
};

//! The value of one profile at `t`, when it applies then.
std::optional<Value> value_at(const Profile &p, core::Timestamp t, const TxContext &tx) {
  if (p.valid_from && t < *p.valid_from) return std::nullopt;
  if (p.valid_to && t >= *p.valid_to) return std::nullopt;
  const auto start = schedule_start(p, t, tx);
  if (!start || t < *start) return std::nullopt;
  const auto elapsed_s = std::chrono::duration_cast<seconds>(t - *start).count();
  if (p.duration_s && elapsed_s >= *p.duration_s) return std::nullopt;
  const SchedulePeriod *current = nullptr;
  for (const auto &period : p.periods) {
    if (period.start_s <= elapsed_s) current = &period;
  }
  if (!current) return std::nullopt;
  return Value{current->limit, p.unit, current->phases};
}

//! The valid profile of the highest stack level among those `pick` chooses.
template <class Pick>
std::optional<Value> highest(const std::vector<Profile> &profiles, core::Timestamp t, const TxContext &tx, Pick pick) {
  std::optional<Value> best;
  std::int64_t level = std::numeric_limits<std::int64_t>::min();
  for (const auto &p : profiles) {
    if (!pick(p) || p.stack_level < level) continue;
    if (auto v = value_at(p, t, tx)) {
      best = v;
      level = p.stack_level;
    }
  }
  return best;
}

double in_unit(const Value &v, RateUnit unit, const Electrical &e) {
  return convert(v.limit, v.unit, unit, v.phases.value_or(e.phases), e);
}

} // namespace

double convert(double value, RateUnit from, RateUnit to, int phases, const Electrical &e) {
  if (from == to) return value;
  const double per_amp = e.dc ? e.voltage : e.voltage * std::clamp(phases, 1, 3);
  return from == RateUnit::A ? value * per_amp : value / per_amp;
}

SetOutcome ProfileStack::set(Profile p, const TxContext &tx) {
  if (p.periods.empty() || p.periods.front().start_s != 0) return SetOutcome::Rejected;
  for (const auto &period : p.periods) {
    if (!(period.limit >= 0)) return SetOutcome::Rejected;
  }
  if (p.purpose == ProfilePurpose::StationMax && p.connector != 0) return SetOutcome::Rejected;
  if (p.purpose == ProfilePurpose::Tx) {
    // 1.6 3.13.2 / 2.0.1 K01.FR.03: a TxProfile only for a running transaction on that connector.
    if (p.connector == 0 || tx.id.empty()) return SetOutcome::Rejected;
    if (p.transaction && *p.transaction != tx.id) return SetOutcome::Rejected;
    p.transaction = tx.id;
  }
  std::erase_if(profiles_, [&](const Profile &q) {
    return q.id == p.id || (q.purpose == p.purpose && q.stack_level == p.stack_level && q.connector == p.connector);
  });
  profiles_.push_back(std::move(p));
  return SetOutcome::Accepted;
}

void share_max_min(std::vector<double> &wants, double cap) {
  double total = 0;
  for (double w : wants)
    total += w;
  if (total <= cap) return;
  std::vector<std::size_t> order(wants.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return wants[a] < wants[b]; });
  double left = std::max(0.0, cap);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double fair = left / static_cast<double>(order.size() - k);
    auto &w = wants[order[k]];
    w = std::min(w, fair);
    left -= w;
  }
}

int ProfileStack::clear(const Criteria &c) {
  const auto before = profiles_.size();
  std::erase_if(profiles_, [&](const Profile &p) {
    return (!c.id || p.id == *c.id) && (!c.connector || p.connector == *c.connector) &&
           (!c.purpose || p.purpose == *c.purpose) && (!c.stack_level || p.stack_level == *c.stack_level);
  });
  return static_cast<int>(before - profiles_.size());
}

void ProfileStack::transaction_ended(int connector) {
  std::erase_if(profiles_,
                [&](const Profile &p) { return p.purpose == ProfilePurpose::Tx && p.connector == connector; });
}

namespace {
struct Selected {
  std::optional<Value> station, own;
};
Selected select(const std::vector<Profile> &profiles, int connector, core::Timestamp t, const TxContext &tx) {
  Selected out;
  out.station = highest(profiles, t, tx, [](const Profile &p) { return p.purpose == ProfilePurpose::StationMax; });
  if (connector == 0) return out;
  if (!tx.id.empty())
    out.own = highest(profiles, t, tx, [&](const Profile &p) {
      return p.purpose == ProfilePurpose::Tx && p.connector == connector && p.transaction == tx.id;
    });
  if (!out.own)
    out.own = highest(profiles, t, tx, [&](const Profile &p) {
      return p.purpose == ProfilePurpose::TxDefault && p.connector == connector;
    });
  if (!out.own)
    out.own = highest(profiles, t, tx,
                      [](const Profile &p) { return p.purpose == ProfilePurpose::TxDefault && p.connector == 0; });
  return out;
}
} // namespace

std::optional<double> ProfileStack::limit_at(int connector, core::Timestamp t, RateUnit unit, const Electrical &e,
                                             const TxContext &tx) const {
  const auto s = select(profiles_, connector, t, tx);
  std::optional<double> out;
  if (s.station) out = in_unit(*s.station, unit, e);
  if (s.own) out = std::min(out.value_or(std::numeric_limits<double>::infinity()), in_unit(*s.own, unit, e));
  return out;
}

std::optional<int> ProfileStack::phases_at(int connector, core::Timestamp t, const TxContext &tx) const {
  const auto s = select(profiles_, connector, t, tx);
  std::optional<int> out;
  for (const auto &v : {s.station, s.own}) {
    if (v && v->phases) out = std::min(out.value_or(3), *v->phases);
  }
  return out;
}

std::vector<SchedulePeriod> ProfileStack::composite(int connector, core::Timestamp from, std::int64_t duration_s,
                                                    RateUnit unit, const Electrical &e, const TxContext &tx,
                                                    double hardware) const {
  const auto to = from + seconds(std::max<std::int64_t>(duration_s, 0));
  // Every instant where some profile may change value, then the limit evaluated at each.
  std::vector<core::Timestamp> edges{from};
  auto add = [&](core::Timestamp t) {
    if (t > from && t < to) edges.push_back(t);
  };
  for (const auto &p : profiles_) {
    if (p.valid_from) add(*p.valid_from);
    if (p.valid_to) add(*p.valid_to);
    // The schedule's starts within the window: one, or each recurrence (bounded: a day at most
    // every 24 h, so a week's window has eight).
    std::vector<core::Timestamp> starts;
    for (auto t = from; t < to && starts.size() < 64;) {
      auto s = schedule_start(p, t, tx);
      if (!s) {
        if (p.kind == ProfileKind::Recurring && p.start.value_or(p.received) > t) {
          t = p.start.value_or(p.received);
          continue;
        }
        if (p.kind == ProfileKind::Absolute) starts.push_back(p.start.value_or(p.received));
        break;
      }
      starts.push_back(*s);
      if (p.kind != ProfileKind::Recurring) break;
      t = *s + (p.recurrency == Recurrency::Weekly ? std::chrono::hours(24 * 7) : std::chrono::hours(24));
    }
    for (auto s : starts) {
      add(s);
      for (const auto &period : p.periods)
        add(s + seconds(period.start_s));
      if (p.duration_s) add(s + seconds(*p.duration_s));
    }
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  std::vector<SchedulePeriod> out;
  for (auto t : edges) {
    auto limit = limit_at(connector, t, unit, e, tx);
    const double value = limit ? std::min(*limit, hardware) : hardware;
    if (!out.empty() && out.back().limit == value) continue;
    out.push_back({std::chrono::duration_cast<seconds>(t - from).count(), value, std::nullopt});
  }
  return out;
}

} // namespace gridlane::sim
