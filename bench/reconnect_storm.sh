#!/usr/bin/env bash
# Benchmark 3: a reconnect storm. STATIONS simulated stations connect, boot and report; then,
# STORM_AFTER seconds after the last one is up, all of them drop their connections at once and
# reconnect at once (BootNotification and two StatusNotifications each). Meanwhile PROBES other
# stations stay connected and send an open-loop load of PROBE_RATE messages/s; the worst
# latency they see is the storm's cost to everyone else.
#   bench/reconnect_storm.sh [STATIONS] [PROBES] [PROBE_RATE]
# Loopback only; bounded; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
STATIONS=${1:-19500}
PROBES=${2:-100}
PROBE_RATE=${3:-500}
STORM_AFTER=${STORM_AFTER:-15}
DURATION=${DURATION:-90}
source bench/lib.sh
# One loopback source address per 20,000 stations keeps clear of the ephemeral port range.
sources=$(seq -s, -f "127.0.0.%g" 2 $((2 + STATIONS / 20000)))

start_server storm "heartbeat_interval_s = 300"
"$BIN" sim --url "ws://$server_addr/ocpp" --stations "$STATIONS" --duration "$DURATION" --sessions-per-hour 0 \
  --faults-per-hour 0 --heartbeat-interval 300 --storm-after "$STORM_AFTER" --source-addresses "$sources" \
  > "$work/storm.out" &
storm_pid=$!
deadline=$((SECONDS + DURATION))
until grep -q "stations up after" "$work/storm.out"; do
  [ $SECONDS -lt $deadline ] || { echo "the fleet did not come up within $DURATION s"; cat "$work/storm.out"; exit 1; }
  sleep 0.2
done
# The probes run from before the storm until well after it.
"$BIN" sim --url "ws://$server_addr/ocpp" --prefix PROBE- --stations "$PROBES" --rate "$PROBE_RATE" --warmup 3 \
  --window $((DURATION - STORM_AFTER - 10 > 20 ? DURATION - STORM_AFTER - 10 : 20)) \
  --duration $((DURATION - STORM_AFTER)) --cpu-of "$server_pid" > "$work/probe.out" &
probe_pid=$!
until grep -q "storm: all" "$work/storm.out"; do
  kill -0 "$storm_pid" 2>/dev/null || break
  sleep 0.2
done
wait "$storm_pid" || true
wait "$probe_pid" || true

echo "fleet of $STATIONS stations: $(grep -m1 'stations up after' "$work/storm.out" | sed 's/^\[sim\] //')"
grep -m1 '^storm:' "$work/storm.out" || echo "storm: did not complete within the run"
echo "$PROBES stations that stayed connected, $PROBE_RATE messages/s open-loop, over the storm:"
grep -E '^(achieved|latency from)' "$work/probe.out" | sed 's/^/  /'
echo "simulator (storm fleet): $(grep -m1 '^simulator cpu' "$work/storm.out")"
echo "server CPU over the run: $(awk '{print ($14 + $15) / 100}' "/proc/$server_pid/stat") s"
if [ -n "${VERBOSE:-}" ]; then sed 's/^/  storm: /' "$work/storm.out"; sed 's/^/  probe: /' "$work/probe.out"; fi
exit 0
