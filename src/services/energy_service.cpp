#include "gridlane/services/energy_service.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "energy_plan.hpp"
#include "energy_service_load.hpp"
#include "energy_site.hpp"
#include "energy_verify.hpp"
#include "gridlane/core/logging.hpp"

namespace gridlane::services {
using namespace gridlane::domain;
using energy_site::EvseKey;
using energy_site::Site;
using PlanRows = std::map<EvseKey, std::vector<std::int64_t>>; //!< W per slot of the plan

namespace {

//! What one decision sends and publishes, dispatched after the lock is released.
struct Outbox {
  struct Send {
    LocationId location = LocationId::unchecked("");
    EvseKey key;
    std::optional<Setpoint> setpoint; //!< nullopt: the station-wide fail-safe
    Command command;
    bool dc = false; //!< a DC EVSE (its profile in W: not verified in A)
  };
  std::vector<Send> sends;
  std::vector<Event> events;
};

energy_site::Evse *find_evse(Site &site, const EvseKey &key) {
  auto it = site.evses.find(key);
  return it == site.evses.end() ? nullptr : &it->second;
}

//! Runtime state a reload keeps: what was learned and sent, not what the store holds.
void carry_over(const Site &old, Site &next) {
  next.plan = old.plan;
  next.plan_cap = old.plan_cap;
  next.planned_at = old.planned_at;
  for (auto &[key, e] : next.evses) {
    auto it = old.evses.find(key);
    if (it == old.evses.end()) continue;
    const auto &o = it->second;
    e.measured = o.measured;
    e.measured_at = o.measured_at;
    e.external = o.external;
    e.given = o.given;
    e.sent = o.sent;
    e.sent_at = o.sent_at;
    e.sent_plan = o.sent_plan;
    if (e.session && o.session && e.session->transaction_id == o.session->transaction_id) {
      e.reserved = o.reserved;
      if (!e.session->vehicle_phases) e.session->vehicle_phases = o.session->vehicle_phases;
      e.session->vehicle_max = o.session->vehicle_max;
      e.session->underdraw_max = o.session->underdraw_max;
      e.session->under_since = o.session->under_since;
      e.session->answer_with_plan = o.session->answer_with_plan;
      e.session->max_schedule_tuples = o.session->max_schedule_tuples;
    }
  }
}

} // namespace

struct EnergyService::Impl {
  Impl(StoreExecutor &s, const core::Clock &c, StationGateway &g, EventBus &b, Scheduler sch, EnergyOptions o)
      : store(s), clock(c), gateway(g), bus(b), scheduler(std::move(sch)), options(o) {}

  StoreExecutor &store;
  const core::Clock &clock;
  StationGateway &gateway;
  EventBus &bus;
  Scheduler scheduler;
  EnergyOptions options;

  std::mutex mutex;
  bool running = false;
  std::map<LocationId, Site> sites;
  std::map<StationId, LocationId> site_of_station;
  std::map<std::int64_t, EvseKey> evse_of_tx;
  std::unique_ptr<EventBus::Subscription> subscription;

  // ---- under the lock ----------------------------------------------------------------------
  void index(const LocationId &location, const Site &site) {
    for (const auto &[key, e] : site.evses) {
      site_of_station.insert_or_assign(key.first, location);
      if (e.session) evse_of_tx.insert_or_assign(e.session->transaction_id, key);
    }
  }
  void unindex(const LocationId &location) {
    auto it = sites.find(location);
    if (it == sites.end()) return;
    for (const auto &[key, e] : it->second.evses) {
      site_of_station.erase(key.first);
      if (e.session) evse_of_tx.erase(e.session->transaction_id);
    }
  }
  void install(const LocationId &location, std::optional<Site> loaded, Outbox &out) {
    if (auto it = sites.find(location); it != sites.end()) {
      if (loaded) carry_over(it->second, *loaded);
      unindex(location);
      sites.erase(it);
    }
    if (!loaded) return;
    index(location, *loaded);
    auto &site = sites.insert_or_assign(location, std::move(*loaded)).first->second;
    rebalance(location, site, out);
  }
  Site *site_of(const StationId &station) {
    auto it = site_of_station.find(station);
    if (it == site_of_station.end()) return nullptr;
    auto s = sites.find(it->second);
    return s == sites.end() ? nullptr : &s->second;
  }

  //! Re-divides the site and queues what is worth sending: lowerings before raises, so that
  //! the circuit stays within its limit while the stations apply them. `plans`: the plan's
  //! rows (W per slot) of the sessions whose needs are answered with a schedule now.
  void rebalance(const LocationId &location, Site &site, Outbox &out, const PlanRows &plans = {}) {
    const auto now = clock.now();
    energy_site::allocate(site, now);
    if (!site.tree.grid.enabled) return;
    std::vector<std::pair<bool, EvseKey>> todo; // (raise, key)
    for (auto &[key, e] : site.evses) {
      if (auto row = plans.find(key); row != plans.end() && e.session) {
        e.sent = e.given; // the schedule's first slot
        e.sent_at = now;
        energy_site::SentPlan sent;
        auto command = energy_site::plan_command(e, row->second, site.tree.grid, now, options.slot, sent);
        e.sent_plan = std::move(sent);
        out.sends.push_back({location, key, e.given, std::move(command), e.attachment.dc});
        out.events.emplace_back(EnergySetpointChanged{key.first, now, location, e.given});
        continue;
      }
      if (!e.session || (e.sent && *e.sent == e.given)) continue;
      // After a schedule, any new share replaces it at once: its later slots are the plan's,
      // not the allocation's, so no hysteresis or interval may keep them in force.
      if (!e.sent_plan && !energy_site::worth_sending(e.sent, e.sent_at, e.given, options, now)) continue;
      const bool raise = e.sent && !e.given.paused && e.given.current > energy_site::given_current(e);
      todo.emplace_back(raise, key);
    }
    std::stable_sort(todo.begin(), todo.end(), [](const auto &a, const auto &b) { return !a.first && b.first; });
    for (const auto &[raise, key] : todo) {
      auto &e = site.evses.at(key);
      e.sent = e.given;
      e.sent_at = now;
      e.sent_plan.reset(); // same id and stack level: this profile replaces the schedule
      out.sends.push_back(
          {location, key, e.given, energy_site::profile_command(e, e.given, site.tree.grid, now), e.attachment.dc});
      out.events.emplace_back(EnergySetpointChanged{key.first, now, location, e.given});
    }
  }

  // ---- outside the lock ----------------------------------------------------------------------
  void dispatch(Outbox out) {
    for (auto &e : out.events)
      bus.publish(std::move(e));
    for (auto &s : out.sends) {
      CommandRecord record; // sent, not recorded: the energy manager's profiles are no operator's command
      record.station = s.key.first;
      record.command = std::move(s.command);
      record.created_by = "energy";
      record.created_at = clock.now();
      gateway.execute(record, [this, s](const GatewayOutcome &o) { on_outcome(s, o); });
    }
  }

  void on_outcome(const Outbox::Send &s, const GatewayOutcome &o) {
    try {
      if (o.status == CommandStatus::Accepted) {
        if (options.verify && s.setpoint && !s.dc) verify(s);
        return;
      }
      core::StationLog(core::Component::Services, s.key.first.str())
          .warn("charging profile for evse {} not accepted: {}", s.key.second, o.error.value_or("rejected"));
      EnergyAlert alert;
      alert.station = s.key.first;
      alert.at = clock.now();
      alert.location = s.location;
      alert.kind = EnergyAlertKind::ProfileRefused;
      if (s.setpoint) {
        alert.evse_id = s.key.second;
        alert.given = s.setpoint->current;
      }
      alert.detail = std::string(o.action.value_or("SetChargingProfile")) + " " + o.error.value_or("rejected");
      {
        std::lock_guard lock{mutex};
        // Not taken: send it again on the next decision (a reconnect, the next tick).
        if (auto site = sites.find(s.location); site != sites.end() && s.setpoint)
          if (auto e = site->second.evses.find(s.key); e != site->second.evses.end() && e->second.sent == s.setpoint) {
            e->second.sent.reset();
            e->second.sent_plan.reset();
          }
      }
      bus.publish(std::move(alert));
    } catch (const std::exception &ex) {
      core::log(core::Component::Services).error("energy: profile outcome: {}", ex.what());
    }
  }

  //! Asks the station what it will apply on the EVSE now that it took the profile.
  void verify(const Outbox::Send &s) {
    const auto version = gateway.protocol(s.key.first);
    if (!version) return;
    CommandRecord record;
    record.station = s.key.first;
    record.command = energy_verify::composite_request(*version, s.key.second);
    record.created_by = "energy";
    record.created_at = clock.now();
    gateway.execute(record, [this, s, v = *version](const GatewayOutcome &o) {
      try {
        if (auto alert = energy_verify::check(s.location, s.key.first, *s.setpoint, v, o, options.overdraw_tolerance,
                                              clock.now())) {
          core::StationLog(core::Component::Services, s.key.first.str()).warn("{}", alert->detail);
          bus.publish(std::move(*alert));
        }
      } catch (const std::exception &ex) {
        core::log(core::Component::Services).error("energy: composite schedule: {}", ex.what());
      }
    });
  }

  void on_event(const Event &ev) {
    try {
      handle(ev);
    } catch (const std::exception &ex) {
      core::log(core::Component::Services).error("energy: {}", ex.what());
    }
  }

  void handle(const Event &ev) {
    Outbox out;
    if (const auto *c = std::get_if<StationConnected>(&ev)) {
      std::lock_guard lock{mutex};
      auto *site = site_of(c->station);
      if (!site || !site->tree.grid.enabled) return;
      int evses = 0;
      for (auto &[key, e] : site->evses) {
        if (key.first != c->station) continue;
        ++evses;
        e.sent.reset(); // a new connection may be a reboot: what it held is gone
        e.sent_plan.reset();
      }
      // The fail-safe first: it holds if the station loses us again.
      out.sends.push_back({site_of_station.at(c->station), EvseKey{c->station, 0}, std::nullopt,
                           energy_site::station_max_command(site->tree.grid, evses, clock.now())});
      rebalance(site_of_station.at(c->station), *site, out);
    } else if (const auto *s = std::get_if<TransactionStarted>(&ev)) {
      if (s->transaction.state != TransactionState::Active) return;
      {
        std::lock_guard lock{mutex};
        auto *site = site_of(s->station);
        if (!site || !site->evses.contains(EvseKey{s->station, s->transaction.evse_id})) return;
      }
      started(s->transaction);
      return;
    } else if (const auto *u = std::get_if<TransactionUpdated>(&ev)) {
      if (u->readings.empty()) return;
      const auto draw = measured_draw(u->readings);
      if (draw.empty()) return;
      std::lock_guard lock{mutex};
      updated(u->transaction_id, draw, out);
    } else if (const auto *x = std::get_if<TransactionEnded>(&ev)) {
      std::lock_guard lock{mutex};
      auto it = evse_of_tx.find(x->transaction.id);
      if (it == evse_of_tx.end()) return;
      const auto key = it->second;
      evse_of_tx.erase(it);
      auto *site = site_of(key.first);
      if (!site) return;
      auto &e = site->evses.at(key);
      e.session.reset();
      e.reserved.reset();
      e.sent.reset(); // the TxProfile ended with the transaction
      e.sent_plan.reset();
      e.measured = {};
      rebalance(site_of_station.at(key.first), *site, out);
    } else {
      return;
    }
    dispatch(std::move(out));
  }

  void started(const Transaction &t) {
    run_unit<energy_site::Session>(
        store, [t](Repository &r) { return energy_site::load_session(r, t); },
        [this, key = EvseKey{t.station, t.evse_id}](Outcome<energy_site::Session> o) {
          if (!o.ok()) {
            core::log(core::Component::Services).error("energy: reading a session: {}", o.error());
            return;
          }
          Outbox out;
          {
            std::lock_guard lock{mutex};
            auto *site = site_of(key.first);
            if (!site) return;
            auto e = site->evses.find(key);
            if (e == site->evses.end()) return;
            e->second.session = std::move(o.value());
            e->second.reserved.reset();
            evse_of_tx.insert_or_assign(e->second.session->transaction_id, key);
            rebalance(site_of_station.at(key.first), *site, out);
          }
          dispatch(std::move(out));
        });
  }

  void updated(std::int64_t transaction_id, const MeasuredDraw &draw, Outbox &out) {
    auto it = evse_of_tx.find(transaction_id);
    if (it == evse_of_tx.end()) return;
    const auto key = it->second;
    auto *site = site_of(key.first);
    if (!site) return;
    auto &e = site->evses.at(key);
    const int phases_before = e.session ? e.session->vehicle_phases.value_or(0) : 0;
    const auto now = clock.now();
    const auto given = energy_site::given_current(e);
    const auto verdict = energy_site::observe(e, draw, site->tree.grid.voltage, options, now);
    const auto &location = site_of_station.at(key.first);
    if (verdict == energy_site::DrawVerdict::Overdraw) {
      EnergyAlert alert;
      alert.station = key.first;
      alert.at = now;
      alert.location = location;
      alert.kind = EnergyAlertKind::Overdraw;
      alert.evse_id = key.second;
      alert.circuit = e.attachment.circuit.value_or("");
      alert.given = given;
      alert.measured = e.reserved.value_or(core::Current{});
      alert.detail = "drew more than its share: its draw is reserved and its circuit re-divided";
      out.events.emplace_back(std::move(alert));
    }
    const bool learned = e.session && e.session->vehicle_phases.value_or(0) != phases_before;
    if (verdict != energy_site::DrawVerdict::Normal || learned) rebalance(location, *site, out);
  }

  void load_all() {
    const auto now = clock.now();
    const auto horizon = options.slot * options.horizon_slots;
    run_unit<std::vector<std::pair<LocationId, Site>>>(
        store,
        [now, horizon](Repository &r) {
          std::vector<std::pair<LocationId, Site>> out;
          for (const auto &g : r.grid_connections())
            if (auto site = energy_site::load_site(r, g.location, now, horizon))
              out.emplace_back(g.location, std::move(*site));
          return out;
        },
        [this](Outcome<std::vector<std::pair<LocationId, Site>>> o) {
          if (!o.ok()) {
            core::log(core::Component::Services).error("energy: loading the sites: {}", o.error());
            return;
          }
          try { // on the store's thread: nothing may escape into it
            Outbox out;
            std::vector<LocationId> loaded;
            {
              std::lock_guard lock{mutex};
              for (auto &[location, site] : o.value()) {
                loaded.push_back(location);
                install(location, std::move(site), out);
              }
            }
            dispatch(std::move(out));
            for (const auto &l : loaded)
              replan(l);
          } catch (const std::exception &ex) {
            core::log(core::Component::Services).error("energy: installing the sites: {}", ex.what());
          }
        });
  }

  void load(const LocationId &location) {
    const auto now = clock.now();
    const auto horizon = options.slot * options.horizon_slots;
    run_unit<std::optional<Site>>(
        store, [location, now, horizon](Repository &r) { return energy_site::load_site(r, location, now, horizon); },
        [this, location](Outcome<std::optional<Site>> o) {
          if (!o.ok()) {
            core::log(core::Component::Services).error("energy: loading {}: {}", location.str(), o.error());
            return;
          }
          try { // on the store's thread: nothing may escape into it
            Outbox out;
            bool loaded = false;
            {
              std::lock_guard lock{mutex};
              loaded = o.value().has_value();
              install(location, std::move(o.value()), out);
            }
            dispatch(std::move(out));
            if (loaded) replan(location);
          } catch (const std::exception &ex) {
            core::log(core::Component::Services).error("energy: installing {}: {}", location.str(), ex.what());
          }
        });
  }

  //! Re-plans the site's horizon with energy::schedule, off the store's thread (the timer's),
  //! then re-divides with the plan's first slot as each planned session's cap.
  void replan(const LocationId &location) {
    scheduler(std::chrono::milliseconds(0), [this, location] {
      try {
        energy_site::PlanProblem pp;
        {
          std::lock_guard lock{mutex};
          auto it = sites.find(location);
          if (!running || it == sites.end()) return;
          pp = energy_site::plan_problem(it->second, clock.now(), options.slot, options.horizon_slots);
        }
        const auto plan = energy::schedule(pp.problem);
        if (!plan.optimal)
          core::log(core::Component::Services).warn("energy: plan of {}: {}", location.str(), plan.status);
        Outbox out;
        {
          std::lock_guard lock{mutex};
          auto it = sites.find(location);
          if (it == sites.end()) return;
          auto &site = it->second;
          energy_site::apply_plan(site, pp, plan, clock.now(), options.slot);
          // Vehicles that told their needs get their part of the plan as a schedule, once.
          PlanRows rows;
          for (std::size_t i = 0; i < pp.keys.size(); ++i) {
            auto &e = site.evses.at(pp.keys[i]);
            if (!e.session || !e.session->answer_with_plan) continue;
            e.session->answer_with_plan = false;
            if (plan.optimal && i < plan.power_w.size() && !plan.power_w[i].empty())
              rows.emplace(pp.keys[i], plan.power_w[i]); // else: its share now, as before
          }
          rebalance(location, site, out, rows);
        }
        dispatch(std::move(out));
      } catch (const std::exception &ex) {
        core::log(core::Component::Services).error("energy: planning {}: {}", location.str(), ex.what());
      }
    });
  }

  //! Every tick: DR events that began or ended, raises held back by the minimum interval.
  void tick() {
    Outbox out;
    {
      std::lock_guard lock{mutex};
      if (!running) return;
      for (auto &[location, site] : sites)
        rebalance(location, site, out);
    }
    dispatch(std::move(out));
  }

  std::chrono::milliseconds tick_every() const {
    return std::clamp(options.min_interval, std::chrono::milliseconds(1000), std::chrono::milliseconds(60000));
  }

  void schedule_tick() {
    scheduler(tick_every(), [this] {
      {
        std::lock_guard lock{mutex};
        if (!running) return; // stopped (a scheduler shut down runs this at once: no loop)
      }
      try {
        tick();
      } catch (const std::exception &ex) {
        core::log(core::Component::Services).error("energy: tick: {}", ex.what());
      }
      schedule_tick();
    });
  }

  void schedule_reload() {
    scheduler(std::chrono::duration_cast<std::chrono::milliseconds>(options.replan_interval), [this] {
      std::vector<LocationId> locations;
      {
        std::lock_guard lock{mutex};
        if (!running) return;
        for (const auto &[location, site] : sites)
          locations.push_back(location);
      }
      // Sites are read again (DR events ahead, new sites come with reload()).
      try {
        for (const auto &l : locations)
          load(l);
      } catch (const std::exception &ex) {
        core::log(core::Component::Services).error("energy: reloading the sites: {}", ex.what());
      }
      schedule_reload();
    });
  }
};

EnergyService::EnergyService(StoreExecutor &store, const core::Clock &clock, StationGateway &gateway, EventBus &bus,
                             Scheduler scheduler, EnergyOptions options)
    : impl_(std::make_unique<Impl>(store, clock, gateway, bus, std::move(scheduler), options)) {}

EnergyService::~EnergyService() {
  stop();
  impl_->subscription.reset();
}

void EnergyService::start() {
  if (!impl_->options.enabled) return;
  {
    std::lock_guard lock{impl_->mutex};
    if (impl_->running) return;
    impl_->running = true;
  }
  impl_->subscription = impl_->bus.subscribe([this](const Event &e) { impl_->on_event(e); });
  impl_->load_all();
  impl_->schedule_tick();
  if (impl_->options.replan_interval.count() > 0) impl_->schedule_reload();
}

void EnergyService::stop() {
  {
    std::lock_guard lock{impl_->mutex};
    impl_->running = false;
  }
  impl_->subscription.reset();
}

void EnergyService::reload(const LocationId &location) {
  if (!impl_->options.enabled) return;
  impl_->load(location);
}

void EnergyService::need_changed(std::int64_t transaction_id) {
  std::optional<LocationId> location;
  {
    std::lock_guard lock{impl_->mutex};
    if (auto it = impl_->evse_of_tx.find(transaction_id); it != impl_->evse_of_tx.end())
      if (auto s = impl_->site_of_station.find(it->second.first); s != impl_->site_of_station.end())
        location = s->second;
  }
  if (location) reload(*location);
}

void EnergyService::picture(const LocationId &location, Reply<std::optional<EnergyPicture>> reply) {
  std::optional<EnergyPicture> pic;
  {
    std::lock_guard lock{impl_->mutex};
    if (auto it = impl_->sites.find(location); it != impl_->sites.end())
      pic = energy_site::picture(it->second, location, impl_->clock.now());
  }
  if (pic || !impl_->options.enabled) return reply(Outcome<std::optional<EnergyPicture>>::success(std::move(pic)));
  // Not loaded (disabled, or configured a moment ago): the stored tree, without live values.
  const auto now = impl_->clock.now();
  run_unit<std::optional<EnergyPicture>>(
      impl_->store,
      [location, now](Repository &r) -> std::optional<EnergyPicture> {
        auto site = energy_site::load_site(r, location, now, std::chrono::seconds(0));
        if (!site) return std::nullopt;
        return energy_site::picture(*site, location, now);
      },
      std::move(reply));
}

void EnergyService::charging_needs(const StationId &station, ChargingNeedsReport report,
                                   Reply<ChargingNeedsStatus> reply) {
  Outbox out;
  bool managed = false;
  {
    std::lock_guard lock{impl_->mutex};
    auto *site = impl_->site_of(station);
    auto *e = site ? find_evse(*site, EvseKey{station, report.evse_id}) : nullptr;
    if (e && e->session) {
      managed = true;
      energy_site::take_needs(*e->session, report.needs, impl_->clock.now());
      impl_->rebalance(impl_->site_of_station.at(station), *site, out);
    }
  }
  impl_->dispatch(std::move(out));
  if (managed) {
    std::optional<LocationId> location;
    {
      std::lock_guard lock{impl_->mutex};
      if (auto it = impl_->site_of_station.find(station); it != impl_->site_of_station.end()) location = it->second;
    }
    if (location) impl_->replan(*location); // a departure and an energy to plan for
  }
  // K15: Accepted when a TxProfile follows (the allocation's share now; with a departure and an
  // energy, the re-plan then sends its part of the plan as a schedule); Rejected when unmanaged.
  reply(Outcome<ChargingNeedsStatus>::success(managed ? ChargingNeedsStatus::Accepted : ChargingNeedsStatus::Rejected));
}

void EnergyService::charging_limit(ExternalChargingLimit limit) {
  Outbox out;
  {
    std::lock_guard lock{impl_->mutex};
    auto *site = impl_->site_of(limit.station);
    if (!site) return;
    const auto v = std::max<std::int64_t>(1, site->tree.grid.voltage.count());
    for (auto &[key, e] : site->evses) {
      if (key.first != limit.station || (limit.evse_id && *limit.evse_id != 0 && *limit.evse_id != key.second))
        continue;
      std::optional<core::Current> cap = limit.current;
      if (limit.power) {
        const int phases = e.given.phases > 0 ? e.given.phases : 3;
        auto from_power = core::milliamps(std::max<std::int64_t>(0, limit.power->count()) * 1000 / (v * phases));
        cap = cap ? std::min(*cap, from_power) : from_power;
      }
      e.external = cap;
    }
    impl_->rebalance(impl_->site_of_station.at(limit.station), *site, out);
  }
  impl_->dispatch(std::move(out));
}

void EnergyService::limit_cleared(const StationId &station, std::optional<int> evse_id, std::string /*source*/) {
  Outbox out;
  {
    std::lock_guard lock{impl_->mutex};
    auto *site = impl_->site_of(station);
    if (!site) return;
    for (auto &[key, e] : site->evses)
      if (key.first == station && (!evse_id || *evse_id == 0 || *evse_id == key.second)) e.external.reset();
    impl_->rebalance(impl_->site_of_station.at(station), *site, out);
  }
  impl_->dispatch(std::move(out));
}

void EnergyService::ev_schedule(const StationId &station, int evse_id, ChargingSchedule /*schedule*/) {
  core::StationLog(core::Component::Services, station.str()).debug("vehicle schedule for evse {} received", evse_id);
}

void EnergyService::reported_profiles(const StationId &station, ReportedProfiles report) {
  core::StationLog(core::Component::Services, station.str())
      .debug("{} profiles reported for evse {}", report.profiles.size(), report.evse_id);
}

} // namespace gridlane::services
