#!/usr/bin/env bash
# Start-to-serving time, peak memory and query latency on generated collections.
#
#   bench/load.sh [N ...]          default: 1000 10000
#   DURATION=10s bench/load.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
PORT=${PORT:-18090}
SIZES=("$@")
[ "${#SIZES[@]}" -gt 0 ] || SIZES=(1000 10000)
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install wrk curl" >&2; exit 1; }
done
cargo build --release --quiet --example generate
cargo build --release --quiet

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# Prints "median p99" of a wrk run at one connection: the latency one user sees.
latency() {
  wrk -t1 -c1 -d"$DURATION" --latency "$1" | awk '/ 50%/ { p50 = $2 } / 99%/ { p99 = $2 } END { print p50, p99 }'
}

for size in "${SIZES[@]}"; do
  collection="$work/speeches-$size"
  target/release/examples/generate "$collection" "$size"
  start=$(date +%s.%N)
  RUST_LOG=rostrum=info target/release/rostrum serve "$collection" --port "$PORT" >"$work/out" 2>"$work/log" &
  pid=$!
  until curl -sf "http://127.0.0.1:$PORT/api/stats" -o /dev/null; do sleep 0.05; done
  ready=$(date +%s.%N)
  peak=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$pid/status")
  echo "== $size speeches: serving after $(awk -v a="$start" -v b="$ready" 'BEGIN { printf "%.2f", b - a }') s, peak memory ${peak} MB"
  sed -E 's/\x1b\[[0-9;]*m//g' "$work/log" | grep -E 'parsed|dictionary|search index|statistics' | sed 's/^.*rostrum[^:]*: /   /'
  read -r p50 p99 < <(latency "http://127.0.0.1:$PORT/api/search?q=%E4%BD%8E%E4%BF%9D")
  echo "   /api/search?q=低保 at 1 connection: median $p50, p99 $p99"
  read -r p50 p99 < <(latency "http://127.0.0.1:$PORT/api/search?q=%E6%95%AC%E8%80%81%E9%99%A2+%E8%B5%84%E9%87%91")
  echo "   /api/search?q=敬老院 资金 at 1 connection: median $p50, p99 $p99"
  for page in "/speeches/000001/stats" "/search?q=%E4%BD%8E%E4%BF%9D"; do
    rps=$(wrk -t2 -c64 -d"$DURATION" "http://127.0.0.1:$PORT$page" | awk '/Requests\/sec:/ { print $2 }')
    echo "   $page under wrk (64 connections): $rps requests/s"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
