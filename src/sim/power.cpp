// What a simulated station draws: its vehicles (energy::Vehicle) within the composite limit of
// its charging profiles, the station maximum shared among its connectors; the readings it
// reports; the composite schedule it answers; a site meter over the whole fleet.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "station.hpp"

namespace gridlane::sim {
namespace json = boost::json;
namespace v16 = ocpp::v16;
namespace v201 = ocpp::v201;

namespace {
constexpr double ac_volts = 230;
constexpr double dc_volts = 400;
constexpr double min_ac_amps = 6; // IEC 61851-1: below this an AC vehicle pauses

core::Timestamp now_utc() {
  return core::SystemClock{}.now();
}

} // namespace

TxContext Station::tx_context(const Connector &c) const {
  if (!c.charging) return {};
  return {v16_ ? std::to_string(c.tx_number) : c.tx_id, c.tx_started};
}

Electrical Station::electrical(const Connector &c) const {
  Electrical e;
  e.dc = dc_;
  e.voltage = dc_ ? dc_volts : ac_volts;
  e.phases = c.vehicle && !dc_ ? c.vehicle->spec().phases : 3;
  return e;
}

double Station::hardware(RateUnit unit, const Electrical &e) const {
  return convert(shared_.opt.power_w, RateUnit::W, unit, dc_ ? 1 : 3, e);
}

MeterReading Station::phase_reading(const Connector &c) const {
  MeterReading m{c.register_wh, c.draw_w};
  m.amps = c.amps;
  m.dc = dc_;
  if (c.vehicle) m.soc = std::round(c.vehicle->soc() * 1000.0) / 10.0;
  return m;
}

energy::Vehicle Station::new_vehicle() {
  std::uniform_real_distribution<double> unit(0, 1);
  energy::VehicleSpec spec;
  spec.capacity_wh = shared_.opt.vehicle_capacity_wh * (0.6 + 0.8 * unit(rng_));
  spec.phases = unit(rng_) < shared_.opt.share_1phase ? 1 : 3;
  spec.max_ac_ma = unit(rng_) < 0.25 ? 32000 : 16000;
  spec.dc = dc_;
  spec.max_dc_w = static_cast<std::int64_t>(50000 + 100000 * unit(rng_));
  return energy::Vehicle(spec, 0.1 + 0.5 * unit(rng_));
}

void Station::update_draws() {
  const auto now = Clock::now();
  const double dt = std::chrono::duration<double>(now - last_step_).count();
  last_step_ = now;
  for (auto &c : connectors_) {
    if (dt > 0 && c.draw_w > 0) {
      c.register_wh += c.draw_w * dt / 3600.0;
      if (c.vehicle) c.vehicle->step(c.draw_w, dt, dc_ ? dc_volts : ac_volts);
    }
  }
  const auto t = now_utc();
  const auto unit = dc_ ? RateUnit::W : RateUnit::A;
  // What each connector would take within its own limit: A per phase (AC) or W (DC).
  std::vector<double> wants(connectors_.size(), 0.0);
  for (std::size_t i = 0; i < connectors_.size(); ++i) {
    auto &c = connectors_[i];
    if (!c.charging || !c.vehicle) continue;
    auto e = electrical(c);
    if (!ignores_profiles_ && !dc_) {
      if (auto allowed = profiles_.phases_at(static_cast<int>(i) + 1, t, tx_context(c)))
        e.phases = std::min(e.phases, *allowed);
    }
    c.phases_used = e.phases;
    double limit = hardware(unit, e);
    if (!ignores_profiles_) {
      if (auto own = profiles_.limit_at(static_cast<int>(i) + 1, t, unit, e, tx_context(c)))
        limit = std::min(limit, *own);
    }
    if (dc_) {
      wants[i] = std::min(limit, c.vehicle->acceptance_w(dc_volts));
    } else {
      const auto limit_ma = static_cast<std::int64_t>(limit * 1000.0);
      const double amps = static_cast<double>(c.vehicle->ac_current_ma(limit_ma, ac_volts)) / 1000.0;
      wants[i] = limit < min_ac_amps ? 0 : amps;
    }
  }
  // The station maximum over every connector. Every vehicle charges from L1 (one-phase ones only
  // from it), so L1 carries the sum of the per-phase currents: the station maximum caps that sum.
  if (!ignores_profiles_) {
    Electrical station_e;
    station_e.dc = dc_;
    station_e.voltage = dc_ ? dc_volts : ac_volts;
    if (auto cap = profiles_.limit_at(0, t, unit, station_e, {})) {
      share_max_min(wants, *cap);
      if (!dc_)
        for (auto &w : wants)
          if (w < min_ac_amps) w = 0; // what is left is too little to charge on
    }
  }
  std::array<double, 4> total{};
  for (std::size_t i = 0; i < connectors_.size(); ++i) {
    auto &c = connectors_[i];
    c.amps = {};
    if (dc_) {
      c.draw_w = wants[i];
      c.amps[0] = c.draw_w / dc_volts;
    } else {
      const int phases = c.vehicle ? c.phases_used : 3;
      for (int p = 0; p < phases; ++p)
        c.amps[static_cast<std::size_t>(p)] = wants[i];
      c.draw_w = wants[i] * ac_volts * phases;
    }
    total[0] += c.draw_w;
    for (std::size_t p = 0; p < 3; ++p)
      total[p + 1] += dc_ ? c.draw_w / 3.0 / ac_volts : c.amps[p]; // DC seen on the AC side, balanced
  }
  shared_.publish_draw(index_, total);
}

// ---- GetCompositeSchedule -----------------------------------------------------------------

std::optional<json::value> Station::composite_answer16(const json::value &payload) {
  v16::GetCompositeScheduleRequest request;
  decode(payload, request);
  const auto n = static_cast<std::int64_t>(connectors_.size());
  if (request.connectorId < 0 || request.connectorId > n || request.duration < 0) {
    v16::GetCompositeScheduleResponse r;
    r.status = v16::GetCompositeScheduleResponseStatus::Rejected;
    return encode(r);
  }
  const int connector = static_cast<int>(request.connectorId);
  auto unit = dc_ ? RateUnit::W : RateUnit::A;
  if (request.chargingRateUnit)
    unit = *request.chargingRateUnit == v16::GetCompositeScheduleRequestChargingRateUnit::W ? RateUnit::W : RateUnit::A;
  const Connector none;
  const auto &c = connector == 0 ? none : connectors_[static_cast<std::size_t>(connector) - 1];
  const auto e = electrical(c);
  const auto now = now_utc();
  auto periods = profiles_.composite(connector, now, request.duration, unit, e, tx_context(c), hardware(unit, e));
  return encode(msg::composite16(connector, now, request.duration, unit, periods));
}

std::optional<json::value> Station::composite_answer2(const json::value &payload) {
  v201::GetCompositeScheduleRequest request;
  decode(payload, request);
  const auto n = static_cast<std::int64_t>(connectors_.size());
  if (request.evseId < 0 || request.evseId > n || request.duration < 0) {
    v201::GetCompositeScheduleResponse r;
    r.status = v201::GenericStatusEnum::Rejected;
    return encode(r);
  }
  const int evse = static_cast<int>(request.evseId);
  auto unit = dc_ ? RateUnit::W : RateUnit::A;
  if (request.chargingRateUnit)
    unit = *request.chargingRateUnit == v201::ChargingRateUnitEnum::W ? RateUnit::W : RateUnit::A;
  const Connector none;
  const auto &c = evse == 0 ? none : connectors_[static_cast<std::size_t>(evse) - 1];
  const auto e = electrical(c);
  const auto now = now_utc();
  auto periods = profiles_.composite(evse, now, request.duration, unit, e, tx_context(c), hardware(unit, e));
  return encode(msg::composite2(evse, now, request.duration, unit, periods));
}

// ---- 2.x charging needs -------------------------------------------------------------------

asio::awaitable<void> Station::tell_charging_needs(Connector &c, int evse) {
  if (v16_ || !shared_.opt.charging_needs || !c.vehicle) co_return;
  const auto &v = *c.vehicle;
  msg::VehicleNeed need;
  need.evse = evse;
  need.dc = dc_;
  need.phases = v.spec().phases;
  need.capacity_wh = v.spec().capacity_wh;
  need.soc = v.soc() * 100.0;
  need.energy_wh = v.spec().capacity_wh * 0.9 - v.energy_wh(); // to 90 %
  need.max_current_a =
      dc_ ? static_cast<double>(v.spec().max_dc_w) / dc_volts : static_cast<double>(v.spec().max_ac_ma) / 1000.0;
  need.max_power_w = static_cast<double>(v.spec().max_dc_w);
  need.departure = now_utc() + std::chrono::duration_cast<std::chrono::milliseconds>(c.stop_at - Clock::now());
  auto request = msg::charging_needs2(need);
  co_await call<v201::NotifyEVChargingNeeds>(std::move(request));
}

// ---- the site meter -----------------------------------------------------------------------

double building_load_w(double mean_w, core::Timestamp t) {
  // Higher in working hours (UTC), a little lower at night.
  const auto day_s = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count() % 86400;
  const double hour = static_cast<double>(day_s) / 3600.0;
  return mean_w * (1.0 + 0.3 * std::sin((hour - 9.0) / 24.0 * 2.0 * std::numbers::pi));
}

double pv_production_w(double peak_w, core::Timestamp t) {
  // A clear day: a half sine from 06:00 to 20:00 UTC, its peak at 13:00.
  const auto day_s = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count() % 86400;
  const double hour = static_cast<double>(day_s) / 3600.0;
  if (hour <= 6.0 || hour >= 20.0) return 0;
  return peak_w * std::sin((hour - 6.0) / 14.0 * std::numbers::pi);
}

asio::awaitable<void> Station::meter_site() {
  auto next = Clock::now();
  while (connected_ && !reset_requested_ && Clock::now() < shared_.deadline) {
    const auto now = Clock::now();
    if (now >= next) {
      const auto t = now_utc();
      const auto stations = shared_.total_draw();
      const double building = building_load_w(shared_.opt.building_w, t);
      const double pv = pv_production_w(shared_.opt.pv_peak_w, t);
      const double net_w = building - pv + stations[0];
      const double dt = std::chrono::duration<double>(now - last_step_).count();
      last_step_ = now;
      site_register_wh_ += std::max(0.0, net_w) * dt / 3600.0;
      MeterReading m{site_register_wh_, std::max(0.0, net_w)};
      for (std::size_t p = 0; p < 3; ++p)
        m.amps[p] = std::max(0.0, (building - pv) / 3.0 / ac_volts + stations[p + 1]);
      if (v16_) {
        v16::MeterValuesRequest mv;
        mv.connectorId = 0;
        mv.meterValue = msg::phase_meter16(m, v16::SampledValueContext::Sample_Periodic, t);
        co_await call<v16::MeterValues>(std::move(mv));
      } else {
        v201::MeterValuesRequest mv;
        mv.evseId = 0;
        mv.meterValue = msg::phase_meter2(m, v201::ReadingContextEnum::Sample_Periodic, t);
        co_await call<v201::MeterValues>(std::move(mv));
      }
      shared_.meter_values++;
      next = now + shared_.opt.meter_interval;
    }
    wake_.expires_at(std::min(next, shared_.deadline));
    co_await wake_.async_wait(use_tuple);
  }
}

} // namespace gridlane::sim
