// A day's schedule for a large site (docs/energy.md, "Scheduling"): 400 vehicles in 96 slots of
// 15 minutes under a three-level tree (site, feeders, circuits), with random arrivals, departures
// and needs (fixed seed), a time-of-use price, PV, a building load, a demand-response event in the
// afternoon, a peak demand charge and a share of bidirectional vehicles. Prints the programme's
// size and the time of energy::schedule (building the programme and solving it) over several runs.
//
//   gridlane_bench_schedule [--vehicles N] [--slots N] [--runs N] [--v2g PERCENT] [--seed N]
#include "gridlane/energy/scheduler.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace {

using gridlane::energy::ScheduleNode;
using gridlane::energy::ScheduleProblem;
using gridlane::energy::ScheduleVehicle;

struct Options {
  int vehicles = 400;
  int slots = 96;
  int runs = 20;
  int v2g_percent = 10;
  unsigned seed = 12;
};

bool parse(int argc, char **argv, Options &o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const long value = std::strtol(argv[i + 1], nullptr, 10);
    if (value < 0 || value > 100'000) return false;
    const auto v = static_cast<int>(value);
    if (std::strcmp(argv[i], "--vehicles") == 0)
      o.vehicles = v;
    else if (std::strcmp(argv[i], "--slots") == 0)
      o.slots = std::max(v, 1);
    else if (std::strcmp(argv[i], "--runs") == 0)
      o.runs = std::max(v, 1);
    else if (std::strcmp(argv[i], "--v2g") == 0)
      o.v2g_percent = std::min(v, 100);
    else if (std::strcmp(argv[i], "--seed") == 0)
      o.seed = static_cast<unsigned>(v);
    else
      return false;
  }
  return argc % 2 == 1;
}

// The day's shape at an hour of the day (0..24).
double price_at(double hour) {
  if (hour < 7 || hour >= 22) return 0.12;  // night
  if (hour >= 17 && hour < 21) return 0.40; // evening peak
  return 0.25;
}
double pv_w_at(double hour) {
  return std::max(0.0, std::sin((hour - 6.0) / 14.0 * M_PI)) * 300'000;
}
double building_w_at(double hour) {
  return hour >= 7 && hour < 19 ? 180'000 : 80'000;
}

ScheduleProblem make(const Options &o) {
  std::mt19937 rng(o.seed);
  ScheduleProblem p;
  p.slots = o.slots;
  p.slot_seconds = 24 * 3600 / o.slots;
  // Site (800 kW), 4 feeders of 200 kW, 20 circuits of 60 kW (5 per feeder): tight enough that
  // the circuits bind at night when the depot's vehicles are in.
  p.nodes.push_back(ScheduleNode{.parent = -1, .power_limit_w = 800'000});
  for (int f = 0; f < 4; ++f)
    p.nodes.push_back(ScheduleNode{.parent = 0, .power_limit_w = 200'000});
  for (int c = 0; c < 20; ++c)
    p.nodes.push_back(ScheduleNode{.parent = 1 + c / 5, .power_limit_w = 30'000});
  const double slot_h = static_cast<double>(p.slot_seconds) / 3600.0;
  for (int t = 0; t < o.slots; ++t) {
    const double hour = std::fmod(12.0 + (t + 0.5) * slot_h, 24.0); // the horizon starts at noon
    p.price_per_kwh.push_back(price_at(hour));
    p.export_per_kwh.push_back(0.08);
    p.pv_w.push_back(static_cast<std::int64_t>(pv_w_at(hour)));
    p.building_w.push_back(static_cast<std::int64_t>(building_w_at(hour)));
    // A demand-response event: at most 300 kW from 15:00 to 17:00.
    p.site_limit_w.push_back(hour >= 15 && hour < 17 ? 300'000 : 800'000);
  }
  p.demand_charge_per_kw = 8;

  std::uniform_int_distribution<int> circuit(5, 24);
  std::uniform_real_distribution<double> unit(0, 1);
  const std::int64_t ac_kw[] = {7'400, 11'000, 22'000};
  for (int i = 0; i < o.vehicles; ++i) {
    ScheduleVehicle v;
    v.node = circuit(rng);
    // Hours from the horizon's start (noon): half a depot pattern (in from 16:00 to 20:00, out
    // from 06:00 to 09:00), half visitors and workers (the afternoon, or the next morning).
    const bool depot = unit(rng) < 0.5;
    const double arrive_h = depot ? 4 + unit(rng) * 4 : (unit(rng) < 0.5 ? unit(rng) * 6 : 19 + unit(rng) * 3);
    const double stay_h = depot ? 18 + unit(rng) * 3 - arrive_h : 1 + unit(rng) * 5;
    v.arrival_slot = static_cast<int>(arrive_h / slot_h);
    v.departure_slot = std::min(o.slots, static_cast<int>((arrive_h + stay_h) / slot_h));
    v.max_charge_w = unit(rng) < 0.1 ? 50'000 : ac_kw[i % 3];
    v.min_charge_w = v.max_charge_w == 50'000 ? 0 : 4'140;
    v.battery_capacity_wh = 40'000 + static_cast<std::int64_t>(unit(rng) * 60'000);
    v.initial_energy_wh =
        static_cast<std::int64_t>((0.1 + unit(rng) * 0.5) * static_cast<double>(v.battery_capacity_wh));
    const auto room = v.battery_capacity_wh - v.initial_energy_wh;
    // A need the stay allows at the vehicle's own maximum (what a driver or fleet manager asks
    // for), up to the battery's room; the site's limits may still leave some of it unmet.
    const double stay_wh = static_cast<double>(v.max_charge_w) * (v.departure_slot - v.arrival_slot) * slot_h;
    v.energy_needed_wh = static_cast<std::int64_t>(unit(rng) * std::min(static_cast<double>(room), 0.9 * stay_wh));
    if (unit(rng) * 100 < o.v2g_percent) v.max_discharge_w = std::min<std::int64_t>(v.max_charge_w, 11'000);
    v.weight = depot ? 5 : 1; // the fleet before visitors
    p.vehicles.push_back(v);
  }
  return p;
}

//! The process's CPU time in ms: on a shared machine the wall time also counts the other
//! processes' turns.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: %s [--vehicles N] [--slots N] [--runs N] [--v2g PERCENT] [--seed N]\n", argv[0]);
    return 2;
  }
  const auto problem = make(o);
  std::vector<double> times, cpu;
  gridlane::energy::Schedule last;
  for (int r = 0; r < o.runs; ++r) {
    const double before = cpu_ms();
    last = gridlane::energy::schedule(problem);
    cpu.push_back(cpu_ms() - before);
    if (!last.optimal) {
      std::fprintf(stderr, "not optimal: %s\n", last.status.c_str());
      return 1;
    }
    times.push_back(last.solve_ms);
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  const double need_kwh =
      std::accumulate(problem.vehicles.begin(), problem.vehicles.end(), 0.0,
                      [](double s, const ScheduleVehicle &v) { return s + static_cast<double>(v.energy_needed_wh); }) /
      1000.0;
  const double unmet_kwh =
      static_cast<double>(std::accumulate(last.unmet_wh.begin(), last.unmet_wh.end(), std::int64_t{0})) / 1000.0;
  const auto v2g = std::count_if(problem.vehicles.begin(), problem.vehicles.end(),
                                 [](const ScheduleVehicle &v) { return v.max_discharge_w > 0; });
  std::printf("schedule: %d vehicles (%ld V2G) x %d slots, %zu nodes\n", o.vehicles, static_cast<long>(v2g), o.slots,
              problem.nodes.size());
  std::printf("need %.1f kWh, unmet %.1f kWh, peak import %.1f kW, cost %.2f\n", need_kwh, unmet_kwh,
              static_cast<double>(last.peak_w) / 1000.0, last.cost);
  // The plan must hold every limit in every slot (W, after rounding).
  std::int64_t worst = INT64_MIN;
  for (std::size_t t = 0; t < static_cast<std::size_t>(problem.slots); ++t) {
    std::vector<std::int64_t> below(problem.nodes.size(), 0);
    for (std::size_t v = 0; v < problem.vehicles.size(); ++v)
      for (int n = problem.vehicles[v].node; n >= 0; n = problem.nodes[static_cast<std::size_t>(n)].parent)
        below[static_cast<std::size_t>(n)] += last.power_w[v][t];
    for (std::size_t n = 1; n < problem.nodes.size(); ++n)
      worst = std::max(worst, std::abs(below[n]) - problem.nodes[n].power_limit_w);
    worst = std::max(worst, last.import_w[t] - problem.site_limit_w[t]);
  }
  std::printf("limits: the closest slot is %lld W %s its limit\n", static_cast<long long>(std::abs(worst)),
              worst <= 0 ? "under" : "OVER");
  std::printf("solve time over %d runs: min %.1f ms, median %.1f ms, max %.1f ms (wall)\n", o.runs, times.front(),
              times[times.size() / 2], times.back());
  std::printf("                        min %.1f ms, median %.1f ms, max %.1f ms (CPU)\n", cpu.front(),
              cpu[cpu.size() / 2], cpu.back());
  return worst <= 0 ? 0 : 1;
}
