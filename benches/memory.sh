#!/usr/bin/env bash
# Start-up time (exec to the first /readyz 200) and resident memory of one `entrepairs serve`,
# idle and under HTTP load, repeated RUNS times; prints a Markdown table.
#
# Usage: benches/memory.sh            (RUNS=3, LOAD_SECONDS=5, CARGO_TARGET_DIR honoured)
# Each run starts on a fresh data directory (first start: creates the SQLite file, migrates and
# generates the instance actor's key), reads the RSS after 5 s idle and after load, then
# restarts on the same directory to time a normal restart.
# Load is `wrk` when installed (`apt-get install -y wrk`), otherwise 2,000 sequential curls.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
LOAD_SECONDS=${LOAD_SECONDS:-5}
TARGET=${CARGO_TARGET_DIR:-target}

nice cargo build --release --quiet --bin entrepairs
BIN="$TARGET/release/entrepairs"

# A port nobody listens on: the kernel picks it, we release it at once.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

ms_now() { echo $(($(date +%s%N) / 1000000)); }

kib() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; }

# Starts the node on $dir and $port; sets PID and STARTUP_MS (exec to the first /readyz 200).
start_node() {
    local dir=$1 port=$2 t0
    t0=$(ms_now)
    ENTREPAIRS_BIND="127.0.0.1:$port" ENTREPAIRS_DATA_DIR="$dir" \
        "$BIN" serve >>"$dir/serve.log" 2>&1 &
    PID=$!
    # curl in a tight loop: each attempt costs a few ms, which bounds the resolution.
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/readyz")" = 200 ]; do
        if ! kill -0 "$PID" 2>/dev/null; then
            echo "entrepairs serve exited; log:" >&2
            cat "$dir/serve.log" >&2
            exit 1
        fi
    done
    STARTUP_MS=$(($(ms_now) - t0))
}

stop_node() {
    kill -TERM "$1"
    wait "$1" 2>/dev/null || true
}

load() {
    local port=$1
    if command -v wrk >/dev/null; then
        # Two connections per core, one thread: a busy node's worth of small requests.
        wrk -t1 -c8 -d"${LOAD_SECONDS}s" "http://127.0.0.1:$port/healthz" |
            awk '/Requests\/sec/ { printf "%.0f", $2 }'
        wrk -t1 -c8 -d"${LOAD_SECONDS}s" -H 'Accept: application/activity+json' \
            "http://127.0.0.1:$port/actor" >/dev/null
    else
        for _ in $(seq 2000); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; done
        echo "n/a"
    fi
}

echo "# entrepairs serve: start-up and memory ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "machine: $(nproc) CPUs; $(uptime)"
echo "binary: $BIN ($(du -h "$BIN" | cut -f1))"
echo
echo "| run | start-up fresh (ms) | restart (ms) | idle VmRSS (KiB) | idle VmHWM (KiB) | load req/s (/healthz) | after load VmRSS (KiB) | VmHWM (KiB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for run in $(seq "$RUNS"); do
    dir=$(mktemp -d)
    port=$(free_port)
    start_node "$dir" "$port"
    fresh=$STARTUP_MS
    sleep 5
    idle_rss=$(kib VmRSS "$PID")
    idle_hwm=$(kib VmHWM "$PID")
    rps=$(load "$port")
    load_rss=$(kib VmRSS "$PID")
    load_hwm=$(kib VmHWM "$PID")
    stop_node "$PID"
    start_node "$dir" "$port"
    restart=$STARTUP_MS
    stop_node "$PID"
    rm -rf "$dir"
    echo "| $run | $fresh | $restart | $idle_rss | $idle_hwm | $rps | $load_rss | $load_hwm |"
done
