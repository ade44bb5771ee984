# Shared by the fleet benchmarks: start a Gridlane server on a fresh database (loopback, a free
# port) and stop it. Sourced, not run.
BIN=${GRIDLANE_BIN:-build/release/gridlane}
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
  true
}
trap cleanup EXIT
# Each connection is a file descriptor on both sides: raise the soft limit to the hard one.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# start_server NAME [extra [ocpp] lines]: the production defaults (synchronous = "full", i.e.
# every acknowledged message is on disk), without the device-model report requests a real
# installation wants but a load test would only add to.
start_server() {
  local name=$1 extra=${2:-}
  mkdir -p "$work/$name"
  cat > "$work/$name/gridlane.toml" <<TOML
[ocpp]
request_base_report = false
$extra
${GRIDLANE_BENCH_OCPP:-}
[database]
${GRIDLANE_BENCH_DATABASE:-}
[server]
${GRIDLANE_BENCH_SERVER:-}
TOML
  "$BIN" --db "$work/$name/gridlane.db" --config "$work/$name/gridlane.toml" --log-level warn serve \
    --listen 127.0.0.1:0 > "$work/$name/server.out" 2>&1 &
  server_pid=$!
  server_addr=$(listening_address "$server_pid" "$work/$name/server.out")
}

# listening_address PID LOG: waits until the process logs "listening on HOST:PORT"; prints it.
listening_address() {
  until grep -q "listening on" "$2" 2>/dev/null; do
    kill -0 "$1" 2>/dev/null || { cat "$2" >&2; exit 1; }
    sleep 0.1
  done
  grep -o 'listening on [^ ]*' "$2" | cut -d' ' -f3
}

stop_server() {
  kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  server_pid=
}

# field FILE PATTERN N: the Nth whitespace-separated word of the first line matching PATTERN.
field() { grep -m1 -E "$2" "$1" | awk -v n="$3" '{print $n}'; }
