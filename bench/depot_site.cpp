// The depot's site and fleet for the depot-day benchmark: a 400 kW connection over three
// feeders and 60 EVSEs, a building load and a PV curve with passing clouds, a time-of-use
// price, and the vehicles of a delivery depot (overnight vans, staff pool cars on one phase,
// midday shuttles, DC trucks), all drawn from one seed.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "depot_model.hpp"

namespace gridlane::bench::depot {

const char *group_name(Group g) {
  switch (g) {
  case Group::OvernightVan: return "overnight van";
  case Group::PoolCar: return "pool car";
  case Group::Shuttle: return "shuttle";
  case Group::Truck: return "truck";
  }
  return "?";
}

namespace {

constexpr int at(int hour, int minute = 0) {
  return ((hour - kStartHour + 24) % 24) * 60 + minute;
}

double smoothstep(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x * x * (3 - 2 * x);
}

//! The building: 35 kW at night, 110 kW in working hours (ramping 06:30-08:00 and
//! 18:00-19:30), a canteen bump at lunch; the forecast is this curve, what happens wanders
//! around it by a bounded random walk.
double building_curve(int minute) {
  const double hour = kStartHour + minute / 60.0;
  const double h = hour >= 24 ? hour - 24 : hour;
  const double day = smoothstep((h - 6.5) / 1.5) * (1 - smoothstep((h - 18.0) / 1.5));
  const double lunch = std::exp(-std::pow((h - 12.25) / 0.6, 2));
  return 35'000 + 75'000 * day + 20'000 * lunch;
}

//! Clear-sky PV of a 180 kWp roof in late spring: a sine from 06:30 to 20:30, 85 % at noon.
double pv_clear(int minute) {
  const double hour = kStartHour + minute / 60.0;
  if (hour < 6.5 || hour > 20.5) return 0;
  return 180'000 * 0.85 * std::pow(std::sin(std::numbers::pi * (hour - 6.5) / 14.0), 1.3);
}

} // namespace

Site make_site(std::uint32_t seed) {
  Site s;
  s.feeders = {{"vans", 400'000}, {"yard", 300'000}, {"dc", 500'000}};
  for (int i = 0; i < 30; ++i)
    s.evses.push_back(Evse{0, domain::PhaseRotation::RST, false, 32000, 0, false});
  // Pool cars charge on one phase: the stations are wired with rotating phases so that their
  // L1 lands on R, S and T in turn.
  const domain::PhaseRotation rot[] = {domain::PhaseRotation::RST, domain::PhaseRotation::STR,
                                       domain::PhaseRotation::TRS};
  for (int i = 0; i < 12; ++i)
    s.evses.push_back(Evse{1, rot[i % 3], false, 32000, 0, false});
  for (int i = 0; i < 12; ++i)
    s.evses.push_back(Evse{1, domain::PhaseRotation::RST, false, 32000, 0, false});
  for (int i = 0; i < 6; ++i)
    s.evses.push_back(Evse{2, domain::PhaseRotation::RST, true, 0, 100'000, false});
  s.evses[7].ignores_profiles = true; // accepts its profiles and draws what its vehicle takes

  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  // Building: a random walk of at most 1.5 kW a minute, held within 8 kW of the curve.
  double wander = 0;
  for (int m = 0; m < kMinutes; ++m) {
    wander = std::clamp(wander + (u(rng) - 0.5) * 3000, -8000.0, 8000.0);
    s.building_forecast_w[m] = building_curve(m);
    s.building_w[m] = std::max(0.0, building_curve(m) + wander);
  }
  // PV: clouds pass, each dimming the roof by up to 45 % with a ramp of 10 minutes in and out
  // (at most ~7 kW a minute); the forecast knows the clear sky and a 10 % haze, not the clouds.
  std::array<double, kMinutes> dim{};
  for (int c = 0; c < 9; ++c) {
    const int start = at(9) + static_cast<int>(u(rng) * 9 * 60);
    const int length = 20 + static_cast<int>(u(rng) * 50);
    const double depth = 0.15 + 0.30 * u(rng);
    for (int m = start; m < std::min(kMinutes, start + length + 20); ++m) {
      const double in = std::min(1.0, (m - start) / 10.0);
      const double out = std::min(1.0, (start + length + 20 - m) / 10.0);
      dim[m] = std::max(dim[m], depth * std::min(in, out));
    }
  }
  for (int m = 0; m < kMinutes; ++m) {
    s.pv_w[m] = pv_clear(m) * (1 - dim[m]);
    s.pv_forecast_w[m] = pv_clear(m) * 0.9;
  }
  // Time of use (EUR per kWh): cheap at night, dear in the evening peak.
  for (int h = 0; h < 24; ++h) {
    int p = 110;
    if (h >= 6 && h < 7) p = 150;
    if (h >= 7 && h < 11) p = 240;
    if (h >= 11 && h < 15) p = 190;
    if (h >= 15 && h < 20) p = 340;
    if (h >= 20 && h < 22) p = 220;
    if (h >= 22) p = 140;
    s.price_millis_per_kwh[static_cast<std::size_t>(h)] = p;
  }
  return s;
}

std::vector<Visit> make_fleet(const Site &site, std::uint32_t seed, bool hard_overdraw) {
  std::mt19937 rng(seed ^ 0x9e3779b9U);
  std::uniform_real_distribution<double> u(0, 1);
  auto between = [&](int from, int to) { // a minute in [from, to), on a 5-minute grid
    return from + static_cast<int>(u(rng) * (to - from) / 5) * 5;
  };
  std::vector<Visit> fleet;
  for (int e = 0; e < static_cast<int>(site.evses.size()); ++e) {
    Visit v;
    v.evse = e;
    if (e < 30) { // delivery vans: back in the afternoon or evening, out before dawn
      v.group = Group::OvernightVan;
      v.arrival = between(at(15, 30), at(19, 30));
      v.departure = between(at(4, 30), at(5, 45));
      const double caps[] = {68'000, 75'000, 90'000};
      v.spec = energy::VehicleSpec{caps[e % 3], 3, 16000, false, 0, 0, 0.2};
      v.arrival_soc = 0.15 + 0.25 * u(rng);
      v.target_soc = 0.9;
      v.weight = 2;
    } else if (e < 42) { // staff pool cars on one phase, office hours
      v.group = Group::PoolCar;
      v.arrival = between(at(7, 30), at(9, 30));
      v.departure = between(at(16, 30), at(18, 30));
      v.spec = energy::VehicleSpec{e % 2 ? 50'000.0 : 64'000.0, 1, 32000, false, 0, 0, 0.2};
      v.arrival_soc = 0.25 + 0.35 * u(rng);
      v.target_soc = 0.85;
      v.weight = 1;
    } else if (e < 54) { // shuttles between two runs, through the demand-response event
      v.group = Group::Shuttle;
      v.arrival = between(at(11), at(13, 30));
      v.departure = between(at(14, 45), at(16, 45));
      v.spec = energy::VehicleSpec{75'000, 3, 32000, false, 0, 0, 0.2};
      v.arrival_soc = 0.2 + 0.2 * u(rng);
      v.target_soc = 0.8;
      v.weight = 2;
    } else { // trucks on DC overnight
      v.group = Group::Truck;
      v.arrival = between(at(18), at(21));
      v.departure = between(at(5), at(5, 50));
      v.spec = energy::VehicleSpec{300'000, 3, 0, true, 90'000, 0, 0.2};
      v.arrival_soc = 0.2 + 0.15 * u(rng);
      v.target_soc = 0.9;
      v.weight = 3;
    }
    fleet.push_back(v);
  }
  // The van behind the station that ignores its profiles comes in during the DR event. Hard:
  // earlier, while the event's limit binds, taking the station's full 32 A (22 kW).
  for (auto &v : fleet)
    if (site.evses[static_cast<std::size_t>(v.evse)].ignores_profiles) {
      v.arrival = hard_overdraw ? at(15, 20) : at(16, 5);
      v.spec.max_ac_ma = hard_overdraw ? 32000 : 16000;
    }
  return fleet;
}

} // namespace gridlane::bench::depot
