#!/usr/bin/env bash
# Benchmark 1: N stations connected and heart-beating, idle otherwise; the server's memory
# (RSS) per connection. Loopback only; bounded in count and time; stops by itself.
#   bench/idle_connections.sh [STATIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
DURATION=${2:-90}
BIN=${GRIDLANE_BIN:-build/release/gridlane}
work=$(mktemp -d)
trap 'kill $server_pid $sim_pid 2>/dev/null || true; rm -rf "$work"' EXIT
# Each connection is a file descriptor on both sides: raise the limit where allowed (root may).
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# One loopback source address per 20,000 stations keeps clear of the ephemeral port range.
sources=$(seq -s, -f "127.0.0.%g" 2 $((2 + N / 20000)))
cat > "$work/bench.toml" <<TOML
[ocpp]
request_base_report = false
heartbeat_interval_s = 60
${GRIDLANE_BENCH_OCPP:-}
[database]
synchronous = "normal"
TOML
"$BIN" --db "$work/bench.db" --config "$work/bench.toml" --log-level warn serve --listen 127.0.0.1:0 > "$work/server.out" &
server_pid=$!
until grep -q "listening on" "$work/server.out" 2>/dev/null; do sleep 0.1; done
addr=$(grep -o 'listening on [^ ]*' "$work/server.out" | cut -d' ' -f3)
rss() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }
base=$(rss)
start=$(date +%s%N)
"$BIN" sim --url "ws://$addr/ocpp" --stations "$N" --duration "$DURATION" --sessions-per-hour 0 --faults-per-hour 0 \
  --heartbeat-interval 60 --source-addresses "$sources" > "$work/sim.out" &
sim_pid=$!
connected=0
deadline=$(( $(date +%s) + DURATION ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  connected=$(curl -s "http://$addr/health" | sed -E 's/.*"stations":([0-9]+).*/\1/')
  [ "$connected" -ge "$N" ] && break
  sleep 0.5
done
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 2 # let the boots and status notifications settle
peak=$(rss)
echo "stations connected:        $connected of $N (in $((took_ms / 1000)).$(printf %03d $((took_ms % 1000))) s, booted and reporting status)"
echo "server RSS before / after: $((base / 1024)) MiB / $((peak / 1024)) MiB"
echo "server RSS per connection: $(( (peak - base) * 1024 / (connected > 0 ? connected : 1) )) bytes"
echo "server CPU (user+sys):     $(awk '{print ($14 + $15) / 100}' "/proc/$server_pid/stat") s"
wait $sim_pid || true
echo "simulator:"; sed 's/^/  /' "$work/sim.out"
