// A simulated depot day (docs/energy.md, "A depot day"): 60 vehicles behind a 400 kW
// connection with PV, a building, a time-of-use price and a demand-response event in the
// afternoon (150 kW from 15:00 to 17:00, --dr-kw), one station ignoring its profile. Charged three ways
// (depot_model.hpp): controlled by Gridlane's scheduler and allocator, by an offline LP with
// perfect foresight, and uncontrolled. Prints the site's load against its limit, the energy
// delivered against the offline optimum, departures met, energy cost (exact, core::Decimal from
// the TOU prices) and peak demand; writes a PNG of the day. Fixed seed: the same day each run.
// Exits non-zero when the controlled day broke the limit, delivered under 98 % of the optimum
// or missed a departure the optimum met.
//
//   build/release/bench/gridlane_bench_depot [--png PATH] [--csv PATH] [--seed N] [--headroom-kw N] [--dr-kw N]
//   [--visits]
//   [--no-containment]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

#include "depot_model.hpp"
#include "depot_plot.hpp"
#include "gridlane/core/decimal.hpp"

using namespace gridlane;
using namespace gridlane::bench::depot;
using core::Decimal;
using core::Rounding;

namespace {

struct Options {
  std::string png = "build/bench/depot_day.png";
  std::string csv; //!< when given: the day minute by minute
  std::uint32_t seed = 12;
  std::int64_t headroom_kw = -1; //!< -1: the site's default
  std::int64_t dr_kw = -1;       //!< -1: the site's default
  bool visits = false;           //!< print each visit's need and what it got
  bool hard_overdraw = false;    //!< the ignoring station's van: 22 kW at 15:20
  bool known_ignoring = false;
  bool no_containment = false; //!< to show what containment is worth
};

Options parse(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--visits" || a == "--no-containment" || a == "--hard-overdraw" || a == "--known-ignoring") {
      (a == "--visits"           ? o.visits
       : a == "--hard-overdraw"  ? o.hard_overdraw
       : a == "--known-ignoring" ? o.known_ignoring
                                 : o.no_containment) = true;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
    if (a == "--png")
      o.png = argv[++i];
    else if (a == "--csv")
      o.csv = argv[++i];
    else if (a == "--headroom-kw")
      o.headroom_kw = std::stoll(argv[++i]);
    else if (a == "--dr-kw")
      o.dr_kw = std::stoll(argv[++i]);
    else if (a == "--seed")
      o.seed = static_cast<std::uint32_t>(std::stoul(argv[++i]));
    else
      throw std::invalid_argument("unknown option " + a);
  }
  return o;
}

Decimal value(core::ValueResult<Decimal> r) {
  if (!r) throw std::runtime_error("an amount out of range");
  return *r;
}

//! What a day cost, exactly: the metered import of each minute in whole mWh (the meter's
//! resolution here), priced at that hour's rate, plus the demand charge on the highest
//! 15-minute average import. Export earns nothing.
struct Bill {
  Decimal energy_kwh, energy_cost, peak_kw, demand_cost, total;
};

Bill bill(const Site &site, const std::array<double, kMinutes> &site_w) {
  std::array<std::int64_t, 24> mwh_by_hour{};
  std::int64_t peak_slot_mwh = 0, total_mwh = 0;
  for (int k = 0; k < kSlots; ++k) {
    std::int64_t slot = 0;
    for (int m = k * kSlotMinutes; m < (k + 1) * kSlotMinutes; ++m) {
      const auto mwh = std::llround(std::max(0.0, site_w[m]) * 1000.0 / 60.0);
      mwh_by_hour[static_cast<std::size_t>((m / 60 + kStartHour) % 24)] += mwh;
      slot += mwh;
    }
    peak_slot_mwh = std::max(peak_slot_mwh, slot);
    total_mwh += slot;
  }
  Bill b;
  for (std::size_t h = 0; h < 24; ++h) {
    const Decimal price = value(Decimal::from_scaled(site.price_millis_per_kwh[h], 3));
    // 1 mWh is 10^-6 kWh: a Decimal's unit.
    const Decimal kwh = Decimal::from_units(mwh_by_hour[h]);
    b.energy_cost = value(b.energy_cost.plus(value(price.times(kwh, Rounding::HalfUp))));
  }
  b.energy_kwh = Decimal::from_units(total_mwh);
  b.peak_kw = Decimal::from_units(peak_slot_mwh * (60 / kSlotMinutes)); // kWh in 15 min x 4 = kW
  b.demand_cost =
      value(value(Decimal::from_scaled(site.demand_charge_millis_per_kw, 3)).times(b.peak_kw, Rounding::HalfUp));
  b.total = value(b.energy_cost.plus(b.demand_cost));
  return b;
}

struct Outcome {
  double delivered_wh = 0, toward_need_wh = 0, short_wh = 0;
  int met = 0;
};

//! A departure is met when the vehicle left with its target energy, less 250 Wh.
Outcome outcome(const std::vector<Visit> &fleet, const DayTrace &t) {
  Outcome o;
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    const double need = fleet[i].need_wh();
    o.delivered_wh += t.delivered_wh[i];
    o.toward_need_wh += std::min(need, t.delivered_wh[i]);
    const double short_wh = std::max(0.0, need - t.delivered_wh[i]);
    o.short_wh += short_wh;
    if (short_wh <= 250) ++o.met;
  }
  return o;
}

std::string eur(Decimal d) {
  return d.to_fixed(2, Rounding::HalfUp);
}

} // namespace

int main(int argc, char **argv) try {
  const Options opt = parse(argc, argv);
  Site site = make_site(opt.seed);
  if (opt.headroom_kw >= 0) site.headroom_w = opt.headroom_kw * 1000;
  if (opt.dr_kw >= 0) site.dr_limit_w = opt.dr_kw * 1000;
  const auto fleet = make_fleet(site, opt.seed, opt.hard_overdraw);

  double need_wh = 0;
  int counts[4] = {};
  for (const auto &v : fleet) {
    need_wh += v.need_wh();
    ++counts[static_cast<int>(v.group)];
  }
  std::printf("depot day (seed %u): %zu vehicles (%d overnight vans 11 kW, %d pool cars 1-phase 7.4 kW, "
              "%d shuttles 22 kW, %d DC trucks 90 kW), need %.0f kWh\n",
              opt.seed, fleet.size(), counts[0], counts[1], counts[2], counts[3], need_wh / 1000);
  std::printf("site: %lld kW / %lld A per phase, DR %lld kW 15:00-17:00, headroom %lld kW, one station "
              "ignoring its profile\n\n",
              static_cast<long long>(site.limit_w / 1000), static_cast<long long>(site.phase_limit_ma / 1000),
              static_cast<long long>(site.dr_limit_w / 1000), static_cast<long long>(site.headroom_w / 1000));

  const DayTrace unc = run_uncontrolled(site, fleet);
  const DayTrace ctl = run_controlled(site, fleet, ControlOptions{!opt.no_containment, opt.known_ignoring});
  const OfflineResult off = offline_optimum(site, fleet);
  const Outcome oc = outcome(fleet, ctl), ou = outcome(fleet, unc);
  const Bill bc = bill(site, ctl.site_w), bu = bill(site, unc.site_w);
  std::array<double, kMinutes> off_w{}; // the optimum's import, constant over each slot
  for (int m = 0; m < kMinutes; ++m)
    off_w[m] = off.import_w[static_cast<std::size_t>(m / kSlotMinutes)];
  const Bill bo = bill(site, off_w);

  auto max_load = [](const DayTrace &t) {
    double m = -1e18;
    for (double w : t.site_w)
      m = std::max(m, w);
    return m / 1000;
  };
  std::printf("%-44s %14s %14s %14s\n", "", "controlled", "offline LP", "uncontrolled");
  std::printf("%-44s %14.1f %14s %14.1f\n", "max site load, kW (limit 400, less in DR)", max_load(ctl), "-",
              max_load(unc));
  std::printf("%-44s %14.1f %14s %14.1f\n", "least margin to the limit, kW", ctl.worst_margin_w / 1000, "-",
              unc.worst_margin_w / 1000);
  std::printf("%-44s %14.1f %14s %14.1f\n", "least margin on a phase, A", ctl.worst_phase_margin_ma / 1000, "-",
              unc.worst_phase_margin_ma / 1000);
  std::printf("%-44s %14d %14s %14d\n", "minutes above the limit", ctl.minutes_over_limit, "-", unc.minutes_over_limit);
  std::printf("%-44s %14.1f %14.1f %14.1f\n", "energy toward needs, kWh", oc.toward_need_wh / 1000,
              off.delivered_wh / 1000, ou.toward_need_wh / 1000);
  std::printf("%-44s %14.1f %14s %14.1f\n", "energy into vehicles, kWh", oc.delivered_wh / 1000, "-",
              ou.delivered_wh / 1000);
  std::printf("%-44s %14d %14d %14d\n", "departures met (of 60)", oc.met, off.needs_met, ou.met);
  std::printf("%-44s %14.1f %14s %14.1f\n", "energy short at departure, kWh", oc.short_wh / 1000, "-",
              ou.short_wh / 1000);
  std::printf("%-44s %14s %14s %14s\n", "site import, kWh", bc.energy_kwh.to_fixed(1, Rounding::HalfUp).c_str(),
              bo.energy_kwh.to_fixed(1, Rounding::HalfUp).c_str(), bu.energy_kwh.to_fixed(1, Rounding::HalfUp).c_str());
  std::printf("%-44s %14s %14s %14s\n", "energy cost, EUR", eur(bc.energy_cost).c_str(), eur(bo.energy_cost).c_str(),
              eur(bu.energy_cost).c_str());
  std::printf("%-44s %14s %14.1f %14s\n", "peak demand (15-min average), kW",
              bc.peak_kw.to_fixed(1, Rounding::HalfUp).c_str(), off.peak_w / 1000,
              bu.peak_kw.to_fixed(1, Rounding::HalfUp).c_str());
  std::printf("%-44s %14s %14s %14s\n", "demand charge at 9.00 EUR/kW, EUR", eur(bc.demand_cost).c_str(),
              eur(bo.demand_cost).c_str(), eur(bu.demand_cost).c_str());
  if (opt.visits)
    for (std::size_t i = 0; i < fleet.size(); ++i)
      std::printf("visit %2zu %-14s evse %2d %5.2f-%5.2f need %6.1f kWh controlled %6.1f uncontrolled %6.1f\n", i,
                  group_name(fleet[i].group), fleet[i].evse, kStartHour + fleet[i].arrival / 60.0,
                  kStartHour + fleet[i].departure / 60.0, fleet[i].need_wh() / 1000, ctl.delivered_wh[i] / 1000,
                  unc.delivered_wh[i] / 1000);
  auto peak_slot = [](const DayTrace &t) {
    int best = 0;
    double most = -1e18;
    for (int k = 0; k < kSlots; ++k) {
      double sum = 0;
      for (int m = k * kSlotMinutes; m < (k + 1) * kSlotMinutes; ++m)
        sum += t.site_w[m];
      if (sum > most) most = sum, best = k;
    }
    return best * kSlotMinutes;
  };
  const auto clock = [](int minute) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", (kStartHour + minute / 60) % 24, minute % 60);
    return std::string(buf);
  };
  std::printf("%-44s %14s %14s %14s\n", "energy + demand charge, EUR", eur(bc.total).c_str(), eur(bo.total).c_str(),
              eur(bu.total).c_str());
  std::printf("%-44s %14s %14s %14s\n", "peak 15 minutes begin at", clock(peak_slot(ctl)).c_str(), "-",
              clock(peak_slot(unc)).c_str());
  const double ratio = off.delivered_wh > 0 ? oc.toward_need_wh / off.delivered_wh : 1;
  std::printf("\ncontrolled delivered %.2f %% of the offline optimum (%s, solved in %.0f ms)\n", ratio * 100,
              off.optimal ? "optimal" : off.status.c_str(), off.solve_ms);
  auto sorted = ctl.alloc_us;
  std::sort(sorted.begin(), sorted.end());
  const auto pct = [&](double q) {
    return sorted.empty() ? 0.0 : sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
  };
  std::printf("controller: %d plans (%d not optimal), mean %.1f ms, max %.1f ms; %d allocations, median %.0f us, "
              "99th percentile %.0f us, max %.0f us; %d overdraw(s) contained\n",
              ctl.plans, ctl.failed_plans, ctl.plan_ms_total / std::max(1, ctl.plans), ctl.plan_ms_max, ctl.allocations,
              pct(0.5), pct(0.99), ctl.alloc_us_max, ctl.containments);

  std::printf("least margin of the controlled day in the minute from %s\n", clock(ctl.worst_margin_minute).c_str());
  if (ctl.first_containment >= 0)
    std::printf("first overdraw seen in the minute from %s, contained from the next\n",
                clock(ctl.first_containment).c_str());
  if (!opt.csv.empty()) {
    std::ofstream out(opt.csv);
    out << "time,limit_kw,controlled_kw,uncontrolled_kw,building_kw,pv_kw,price_per_kwh\n";
    for (int m = 0; m < kMinutes; ++m)
      out << clock(m) << ',' << static_cast<double>(site.limit_at(m)) / 1000 << ',' << ctl.site_w[m] / 1000 << ','
          << unc.site_w[m] / 1000 << ',' << site.building_w[m] / 1000 << ',' << site.pv_w[m] / 1000 << ','
          << value(Decimal::from_scaled(site.price_millis_at(m), 3)) << '\n';
    if (!out) {
      std::fprintf(stderr, "could not write %s\n", opt.csv.c_str());
      return 1;
    }
  }
  if (!opt.png.empty()) {
    const auto dir = std::filesystem::path(opt.png).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir);
    if (!write_plot(opt.png, site, ctl, unc, off.import_w)) {
      std::fprintf(stderr, "could not write %s\n", opt.png.c_str());
      return 1;
    }
    std::printf("plot: %s\n", opt.png.c_str());
  }
  const bool ok = ctl.minutes_over_limit == 0 && ratio >= 0.98 && oc.met >= off.needs_met;
  if (!ok) std::printf("FAILED: the controlled day broke the limit, delivered under 98 %% or missed a departure\n");
  return ok ? 0 : 1;
} catch (const std::exception &e) {
  std::fprintf(stderr, "gridlane_bench_depot: %s\n", e.what());
  return 2;
}
