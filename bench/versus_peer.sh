#!/usr/bin/env bash
# Benchmark 4: the same open-loop load against Gridlane (persistence on: every message is in
# SQLite, synchronous = full, before it is answered) and against a reference CSMS built on the
# npm package ocpp-rpc (strict mode, minimal handlers, nothing stored: bench/peer_csms.js), one
# after the other in the same run. Prints both and the ratio of messages per server CPU-second.
#   bench/versus_peer.sh [RATE] [WINDOW_SECONDS] [STATIONS]
# Loopback only; bounded; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-4000}
WINDOW=${2:-20}
STATIONS=${3:-500}
WARMUP=${WARMUP:-6}
source bench/lib.sh
peer_pid=
trap 'if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null; fi; cleanup' EXIT

run_load() { # URL PID OUT
  "$BIN" sim --url "$1" --stations "$STATIONS" --rate "$RATE" --warmup "$WARMUP" --window "$WINDOW" \
    --duration $((WARMUP + WINDOW + 2)) --cpu-of "$2" > "$3"
}
report() { # NAME OUT
  local out=$2
  printf '%-10s achieved %7.0f msg/s  p50 %6.2f ms  p99 %7.2f ms  server %5.2f cores  %8.0f msg per cpu-s  (simulator %4.2f cores)\n' \
    "$1" "$(field "$out" '^achieved' 2)" "$(field "$out" '^latency from' 6)" "$(field "$out" '^latency from' 9)" \
    "$(field "$out" '^csms cpu' 8 | tr -d '(')" "$(field "$out" '^csms cpu' 15)" \
    "$(field "$out" '^simulator cpu in' 8 | tr -d '(')"
}

start_server gridlane
run_load "ws://$server_addr/ocpp" "$server_pid" "$work/gridlane.out"
stop_server

node bench/peer_csms.js 0 > "$work/peer.log" 2>&1 &
peer_pid=$!
peer_addr=$(listening_address "$peer_pid" "$work/peer.log")
run_load "ws://$peer_addr/ocpp" "$peer_pid" "$work/peer.out"
kill "$peer_pid"; wait "$peer_pid" 2>/dev/null || true; peer_pid=

echo "offered $RATE messages/s from $STATIONS stations for $WINDOW s (after a ${WARMUP} s warm-up)"
report gridlane "$work/gridlane.out"
report ocpp-rpc "$work/peer.out"
ours=$(field "$work/gridlane.out" '^csms cpu' 15)
theirs=$(field "$work/peer.out" '^csms cpu' 15)
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio (messages per server cpu-s, gridlane / ocpp-rpc): %.2f\n", a / b }'
if [ -n "${VERBOSE:-}" ]; then sed 's/^/  gridlane: /' "$work/gridlane.out"; sed 's/^/  ocpp-rpc: /' "$work/peer.out"; fi
exit 0
