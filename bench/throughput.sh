#!/usr/bin/env bash
# Benchmark 2: throughput and latency under open-loop load, persistence on.
#   bench/throughput.sh [RATES] [WINDOW_SECONDS] [STATIONS]
#   e.g. bench/throughput.sh 5000,10000,20000 20 2000
# For each offered rate (messages/s over the fleet): a fresh server and database, STATIONS
# simulated stations that connect, boot and open a transaction, then send at fixed intended
# times for WINDOW_SECONDS: ~85 % meter values of ~600 bytes, 7 % heartbeats, 5 % status
# notifications, 3 % transaction stops and starts. Latency counts from the intended send time.
# Loopback only; bounded; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${1:-5000,10000,20000}
WINDOW=${2:-20}
STATIONS=${3:-2000}
WARMUP=${WARMUP:-8}
source bench/lib.sh

printf '%-9s %-9s %-8s %-8s %-8s %-9s %-13s %-15s %-10s\n' offered achieved p50_ms p99_ms p99.9_ms max_ms server_cores "cpu_s/1000msg" sim_cores
for rate in ${RATES//,/ }; do
  start_server "rate-$rate"
  out="$work/rate-$rate/sim.out"
  "$BIN" sim --url "ws://$server_addr/ocpp" --stations "$STATIONS" --rate "$rate" --warmup "$WARMUP" \
    --window "$WINDOW" --duration $((WARMUP + WINDOW + 2)) --cpu-of "$server_pid" > "$out"
  stop_server
  achieved=$(field "$out" '^achieved' 2)
  p50=$(field "$out" '^latency from' 6); p99=$(field "$out" '^latency from' 9)
  p999=$(field "$out" '^latency from' 12); max=$(field "$out" '^latency from' 15)
  cores=$(field "$out" '^csms cpu' 8 | tr -d '(')
  per1000=$(field "$out" '^csms cpu' 10)
  simcores=$(field "$out" '^simulator cpu in' 8 | tr -d '(')
  failed=$(field "$out" '^load window' 13)
  printf '%-9s %-9.0f %-8.2f %-8.2f %-8.2f %-9.2f %-13.2f %-15.3f %-10.2f' "$rate" "$achieved" "$p50" "$p99" "$p999" \
    "$max" "$cores" "$per1000" "$simcores"
  [ "${failed:-0}" != "0" ] && printf ' (%s failed)' "$failed"
  printf '\n'
  if [ -n "${VERBOSE:-}" ]; then sed 's/^/    /' "$out"; fi
done
exit 0
