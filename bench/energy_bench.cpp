// Allocation of a large site by energy::allocate (docs/energy.md, "Allocation"): 10,000 EVSEs
// under a three-level tree (grid connection -> 10 feeders -> 100 distribution boards -> 100
// EVSEs each), 70 % three-phase and 30 % single-phase on a rotated phase, priorities 1..3,
// vehicles taking 10..32 A, a few stations ignoring their profile (reserved draws). Run:
//   build/release/bench/gridlane_bench_energy --benchmark_min_time=2
// "ample" leaves every EVSE above its minimum; "contended" makes the grid connection the
// bottleneck so that about a third of the sessions are paused (pausing rounds); "boards" makes
// each distribution board the bottleneck; "cables" puts each EVSE behind its own 32 A circuit
// under the boards (four levels, 10,111 nodes). The time is per allocation of the whole site.
#include <benchmark/benchmark.h>

#include <random>

#include "gridlane/energy/allocator.hpp"

namespace {

using namespace gridlane::energy;

struct Shape {
  std::int64_t grid_ma, feeder_ma, board_ma;
  std::int64_t grid_w; // power limit of the grid connection
};

AllocationInput site(int evses, Shape shape, unsigned seed, bool own_circuits = false) {
  std::mt19937 rng(seed);
  AllocationInput in;
  in.nodes.push_back(Node{
      .parent = -1, .phase_limit_ma = {shape.grid_ma, shape.grid_ma, shape.grid_ma}, .power_limit_w = shape.grid_w});
  constexpr int kFeeders = 10, kBoards = 10;
  for (int f = 0; f < kFeeders; ++f) {
    const int feeder = static_cast<int>(in.nodes.size());
    in.nodes.push_back(Node{.parent = 0, .phase_limit_ma = {shape.feeder_ma, shape.feeder_ma, shape.feeder_ma}});
    for (int b = 0; b < kBoards; ++b)
      in.nodes.push_back(Node{.parent = feeder, .phase_limit_ma = {shape.board_ma, shape.board_ma, shape.board_ma}});
  }
  std::vector<int> boards;
  for (int n = 0; n < static_cast<int>(in.nodes.size()); ++n) {
    if (n > 0 && in.nodes[static_cast<std::size_t>(n)].parent != 0) boards.push_back(n);
  }
  std::uniform_int_distribution<int> pct(0, 99), max_a(10, 32), prio(1, 3), phase(0, 2);
  in.demands.reserve(static_cast<std::size_t>(evses));
  for (int i = 0; i < evses; ++i) {
    Demand d;
    d.node = boards[static_cast<std::size_t>(i) % boards.size()];
    if (own_circuits) { // each EVSE behind its own 32 A cable: a fourth level, 10,000 more nodes
      in.nodes.push_back(Node{.parent = d.node, .phase_limit_ma = {32000, 32000, 32000}});
      d.node = static_cast<int>(in.nodes.size()) - 1;
    }
    d.grid_phases = pct(rng) < 70 ? 7 : static_cast<std::uint8_t>(1U << static_cast<unsigned>(phase(rng)));
    d.max_ma = std::int64_t{max_a(rng)} * 1000;
    d.weight = prio(rng);
    if (pct(rng) == 0) d.reserved_ma = d.max_ma; // ignores its profile: draws its max
    in.demands.push_back(d);
  }
  return in;
}

// Limits in mA per phase (board: 100 EVSEs, feeder: 10 boards) and W.
constexpr Shape kAmple{400'000'000, 40'000'000, 4'000'000, INT64_MAX};
constexpr Shape kContended{400'000'000, 40'000'000, 4'000'000, 25'000'000}; // 25 MW for 10,000
constexpr Shape kBoards{400'000'000, 5'000'000, 600'000, INT64_MAX};        // 600 A for 100

void run(benchmark::State &state, Shape shape, bool own_circuits = false) {
  const AllocationInput in = site(static_cast<int>(state.range(0)), shape, 12, own_circuits);
  std::size_t paused = 0;
  for (auto _ : state) {
    auto shares = allocate(in);
    benchmark::DoNotOptimize(shares.data());
    paused = 0;
    for (const auto &s : shares)
      paused += s.paused ? 1 : 0;
  }
  state.counters["paused"] = static_cast<double>(paused);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_AllocateAmple(benchmark::State &state) {
  run(state, kAmple);
}
void BM_AllocateContended(benchmark::State &state) {
  run(state, kContended);
}
void BM_AllocateBoards(benchmark::State &state) {
  run(state, kBoards);
}

void BM_AllocateCables(benchmark::State &state) {
  run(state, kBoards, true);
}

} // namespace

BENCHMARK(BM_AllocateAmple)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateContended)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateBoards)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateCables)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
