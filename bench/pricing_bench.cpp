// Sessions priced per CPU-second by the pricing engine (docs/pricing.md). A typical session:
// a start fee, a day and a night price per kWh, an idle fee after a grace period, in
// Europe/Berlin; charging, a pause, charging again, then parking. Run:
//   build/release/bench/gridlane_bench_pricing --benchmark_min_time=2
// items_per_second is sessions per CPU-second (Google Benchmark counts CPU time).
#include <benchmark/benchmark.h>

#include <vector>

#include "gridlane/pricing/engine.hpp"
#include "gridlane/pricing/periods.hpp"

namespace {

using namespace gridlane;

core::Decimal dec(const char *s) {
  return core::Decimal::parse(s).value();
}
core::Timestamp at(const char *s) {
  return core::parse_iso8601(s).value();
}

domain::PriceComponent pc(domain::TariffDimension d, const char *price, std::int64_t step) {
  return domain::PriceComponent{d, dec(price), dec("19"), step};
}

domain::Tariff typical_tariff() {
  using D = domain::TariffDimension;
  domain::Tariff t;
  t.id = "TYPICAL";
  domain::TariffRestrictions night, grace;
  night.start_time = domain::ClockTime{22, 0};
  night.end_time = domain::ClockTime{6, 0};
  grace.max_duration = 4 * 3600;
  t.elements = {
      domain::TariffElement{{pc(D::Flat, "0.50", 1)}, std::nullopt},
      domain::TariffElement{{pc(D::Energy, "0.29", 1)}, night},
      domain::TariffElement{{pc(D::Energy, "0.39", 1)}, std::nullopt},
      domain::TariffElement{{pc(D::ParkingTime, "0.00", 1)}, grace},
      domain::TariffElement{{pc(D::ParkingTime, "6.00", 900)}, std::nullopt},
  };
  t.max_price = domain::Price{dec("80"), dec("95.20")};
  return t;
}

std::vector<pricing::SessionPeriod> typical_session(int shift_minutes) {
  const auto s = at("2024-05-10T19:00:00Z") + std::chrono::minutes{shift_minutes};
  using pricing::PeriodState;
  using std::chrono::minutes;
  return {
      {s, s + minutes{70}, PeriodState::Charging, core::Energy(12000), core::Power(11000), core::Current(48000)},
      {s + minutes{70}, s + minutes{80}, PeriodState::Parking, core::Energy(0), std::nullopt, std::nullopt},
      {s + minutes{80}, s + minutes{200}, PeriodState::Charging, core::Energy(18000), core::Power(9000),
       core::Current(39000)},
      {s + minutes{200}, s + minutes{290}, PeriodState::Parking, core::Energy(0), std::nullopt, std::nullopt},
  };
}

void BM_PriceTypicalSession(benchmark::State &state) {
  const auto tariff = typical_tariff();
  const auto zone = core::TimeZone::find("Europe/Berlin").value();
  std::vector<std::vector<pricing::SessionPeriod>> sessions;
  sessions.reserve(64);
  for (int i = 0; i < 64; ++i)
    sessions.push_back(typical_session(i * 37));
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = pricing::price(tariff, sessions[i++ & 63], zone);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PriceTypicalSession);

// A flat price per kWh, the simplest tariff (no local time needed).
void BM_PriceFlatKwh(benchmark::State &state) {
  domain::Tariff tariff;
  tariff.id = "FLAT";
  tariff.elements = {domain::TariffElement{{pc(domain::TariffDimension::Energy, "0.39", 1)}, std::nullopt}};
  const auto zone = core::TimeZone::find("Europe/Berlin").value();
  const auto session = typical_session(0);
  for (auto _ : state) {
    auto r = pricing::price(tariff, session, zone);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PriceFlatKwh);

// From samples: 290 minutes of meter values once a minute, two state changes, then priced.
void BM_BuildAndPriceFromSamples(benchmark::State &state) {
  const auto tariff = typical_tariff();
  const auto zone = core::TimeZone::find("Europe/Berlin").value();
  pricing::SessionSamples s;
  s.started_at = at("2024-05-10T19:00:00Z");
  s.ended_at = s.started_at + std::chrono::minutes{290};
  s.meter_start = core::Energy(100000);
  s.meter_stop = core::Energy(130000);
  for (int m = 0; m <= 200; ++m)
    s.meter.push_back(
        {s.started_at + std::chrono::minutes{m}, core::Energy(100000 + m * 150), std::nullopt, std::nullopt});
  s.states = {{s.started_at + std::chrono::minutes{200}, pricing::PeriodState::Parking}};
  for (auto _ : state) {
    auto r = pricing::price(tariff, pricing::build_periods(s), zone);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BuildAndPriceFromSamples);

} // namespace

BENCHMARK_MAIN();
