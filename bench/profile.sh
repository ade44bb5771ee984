#!/usr/bin/env bash
# Profiles of the server under the benchmarks' load: the commands behind the profiler figures of
# docs/performance.md. Loopback only; bounded in count and time; stops by itself.
#   bench/profile.sh strace    [STATIONS] [RATE] [WINDOW_SECONDS]  system calls per message
#   bench/profile.sh perf      [STATIONS] [RATE] [WINDOW_SECONDS]  CPU: user / kernel, switches, by DSO
#   bench/profile.sh heaptrack [STATIONS] [SECONDS]                heap of idle connections
# strace and perf attach to the running server for the load window only (after the warm-up), so
# the counts are those of WINDOW_SECONDS of open-loop load at RATE messages/s (the mix of
# bench/throughput.sh). heaptrack runs the server from its start with STATIONS idle stations
# connected (the mix of bench/idle_connections.sh) and reports the peak heap.
# The tools are Debian packages: strace, linux-perf, heaptrack.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOL=${1:?usage: bench/profile.sh strace|perf|heaptrack [STATIONS] [RATE|SECONDS] [WINDOW_SECONDS]}
STATIONS=${2:-500}
WARMUP=${WARMUP:-8}
source bench/lib.sh

need() {
  command -v "$1" >/dev/null || { echo "profile: $1 is not installed (apt-get install $2)" >&2; exit 2; }
}

# load_window RATE WINDOW: runs the simulator against $server_addr in the background; the load
# window starts WARMUP seconds from now.
load_window() {
  "$BIN" sim --url "ws://$server_addr/ocpp" --stations "$STATIONS" --rate "$1" --warmup "$WARMUP" \
    --window "$2" --duration $((WARMUP + $2 + 2)) > "$work/sim.out" &
  sim_pid=$!
}
sent_in_window() { # messages answered in the window, from the simulator's report
  local achieved
  achieved=$(field "$work/sim.out" '^achieved' 2)
  awk -v a="$achieved" -v w="$1" 'BEGIN { printf "%d", a * w }'
}
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; } # utime stime, clock ticks

case "$TOOL" in
strace | perf)
  RATE=${3:-4000}
  WINDOW=${4:-20}
  if [ "$TOOL" = strace ]; then need strace strace; else need perf linux-perf; fi
  start_server profile
  load_window "$RATE" "$WINDOW"
  sleep "$WARMUP"
  read -r u0 s0 < <(cpu_ticks "$server_pid")
  if [ "$TOOL" = strace ]; then
    strace -c -f -q -p "$server_pid" -o "$work/strace.txt" &
    prof_pid=$!
    sleep "$WINDOW"
    kill -INT "$prof_pid"; wait "$prof_pid" || true
  else
    perf stat -e task-clock,context-switches,cpu-migrations,page-faults -p "$server_pid" -o "$work/perf-stat.txt" -- sleep "$WINDOW" ||
      { echo "profile: perf stat could not attach (kernel.perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid))" >&2; exit 2; }
    perf record -q -g -p "$server_pid" -o "$work/perf.data" -- sleep 2 2>/dev/null || true
  fi
  read -r u1 s1 < <(cpu_ticks "$server_pid")
  wait "$sim_pid" || true
  stop_server
  messages=$(sent_in_window "$WINDOW")
  echo "load: $STATIONS stations, $RATE msg/s offered, $(field "$work/sim.out" '^achieved' 2) msg/s achieved, $messages messages in ${WINDOW} s"
  if [ "$TOOL" = strace ]; then
    echo "system calls of the server in the window (strace -c -f), per message:"
    awk -v m="$messages" '$1 ~ /^[0-9.]+$/ && NF >= 5 { name = $NF; calls = $4; if (m > 0) printf "  %-16s %10d calls  %6.2f per message\n", name, calls, calls / m }' \
      "$work/strace.txt" | sort -k2 -n -r | head -15
  else
    sed -n '/Performance counter/,$p' "$work/perf-stat.txt" | grep -v '^$' | sed 's/^/  /'
    awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) 'BEGIN { t = u + s; if (t > 0) printf "  server CPU in the window: %.0f %% user, %.0f %% kernel\n", 100 * u / t, 100 * s / t }'
    if [ -s "$work/perf.data" ]; then
      echo "  where the CPU goes, by object (perf record, 2 s of the window):"
      perf report -q -i "$work/perf.data" --stdio --sort dso --no-children -g none 2>/dev/null | grep -v '^$' | head -8 | sed 's/^/    /'
    fi
  fi
  ;;
heaptrack)
  need heaptrack heaptrack
  SECONDS_UP=${3:-30}
  mkdir -p "$work/heap"
  printf '[ocpp]\nrequest_base_report = false\nheartbeat_interval_s = 60\n[database]\nsynchronous = "normal"\n' > "$work/heap/gridlane.toml"
  heaptrack -o "$work/heap/gridlane" "$BIN" --db "$work/heap/gridlane.db" --config "$work/heap/gridlane.toml" --log-level warn \
    serve --listen 127.0.0.1:0 > "$work/heap/server.out" 2>&1 &
  wrapper=$!
  server_addr=$(listening_address "$wrapper" "$work/heap/server.out")
  # heaptrack runs the server as its child: the server is the gridlane process under it.
  server_pid=$(ps -o pid= -o comm= --ppid "$wrapper" | awk '$2 == "gridlane" { print $1 }')
  [ -n "$server_pid" ] || server_pid=$(ps -o pid= --ppid "$(ps -o pid= --ppid "$wrapper" | head -1)" | head -1)
  "$BIN" sim --url "ws://$server_addr/ocpp" --stations "$STATIONS" --duration "$SECONDS_UP" --sessions-per-hour 0 \
    --faults-per-hour 0 --heartbeat-interval 60 > "$work/sim.out"
  kill "$server_pid"; wait "$wrapper" || true
  server_pid=
  file=$(ls "$work/heap"/gridlane*.zst "$work/heap"/gridlane*.gz 2>/dev/null | head -1 || true)
  echo "heap of the server with $STATIONS idle stations connected for ${SECONDS_UP} s (heaptrack):"
  heaptrack_print -f "$file" 2>/dev/null | grep -E '^(peak heap memory consumption|peak RSS|total memory leaked|calls to allocation functions)' | sed 's/^/  /'
  peak=$(heaptrack_print -f "$file" 2>/dev/null | sed -nE 's/^peak heap memory consumption: ([0-9.]+)([KMG]?).*/\1 \2/p')
  read -r value unit <<<"$peak"
  awk -v v="$value" -v u="$unit" -v n="$STATIONS" 'BEGIN { m = (u == "K") ? 1e3 : (u == "M") ? 1e6 : (u == "G") ? 1e9 : 1;
    printf "  peak heap per station (server baseline included): %.1f KB\n", v * m / n / 1000 }'
  echo "  the largest allocation sites at the peak: heaptrack_print -f <file> --print-peaks (the file is removed on exit;"
  echo "  set KEEP=DIR to keep it)"
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$file" "$KEEP/"; fi
  ;;
*)
  echo "profile: unknown tool '$TOOL' (strace, perf or heaptrack)" >&2
  exit 2
  ;;
esac
