#!/usr/bin/env bash
# A living collection, on a generated one: how long a new file and an edited one take to show
# in the speech's page, search and the statistics (from the write to the last of the three);
# then 100 edits in a row while wrk loads a page with 64 connections, counting the answers
# that were not 2xx and the errors the server logged. Loopback only; every wait is bounded.
#
#   bench/live.sh [N]          default: 10000 speeches
#   RUNS=9 bench/live.sh 10000
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${1:-10000}
RUNS=${RUNS:-7}
PORT=${PORT:-18091}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install wrk curl python3" >&2; exit 1; }
done
cargo build --release --quiet --example generate
cargo build --release --quiet

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
collection="$work/speeches"
target/release/examples/generate "$collection" "$SIZE" >/dev/null
base="http://127.0.0.1:$PORT"

RUST_LOG=rostrum=info target/release/rostrum serve "$collection" --port "$PORT" >"$work/out" 2>"$work/log" &
pid=$!
deadline=$((SECONDS + 600))
until curl -sf "$base/api/stats" -o /dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "statistics not ready in 600 s" >&2; exit 1; }
  sleep 0.05
done

# Seconds from now until `check` (a shell command) succeeds; fails after 30 s.
until_seen() {
  local started=$(date +%s.%N) limit=$((SECONDS + 30))
  until eval "$1"; do
    [ "$SECONDS" -lt "$limit" ] || { echo "not seen in 30 s: $1" >&2; exit 1; }
    sleep 0.01
  done
  echo "$(date +%s.%N) - $started" | bc
}

speeches() { curl -sf "$base/api/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["collection"]["speeches"])'; }
found() { curl -sfG "$base/api/search" --data-urlencode "q=$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_hits"])'; }

# Prints "median min max" of the numbers on standard input.
spread() {
  sort -n | awk '{ v[NR] = $1 } END { printf "%.3f %.3f %.3f\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

files=("$collection"/*.txt)
template=${files[0]}
: >"$work/added"
: >"$work/edited"
for run in $(seq "$RUNS"); do
  token="龘靐齉新增$run"
  count=$(speeches)
  { cat "$template"; printf '\n%s。\n' "$token"; } >"$work/new.txt"
  started=$(date +%s.%N)
  mv "$work/new.txt" "$collection/added-$run.txt"
  until_seen "[ \"\$(found $token)\" -gt 0 ] && curl -sf $base/speeches/added-$run -o /dev/null && curl -sf $base/api/speeches/added-$run/stats -o /dev/null" >/dev/null
  echo "$(date +%s.%N) - $started" | bc >>"$work/added"
  [ "$(speeches)" -eq $((count + 1)) ] || { echo "the statistics do not count the new speech" >&2; exit 1; }

  token="龘靐齉编辑$run"
  victim="$collection/$(printf '%06d' $((run * 7))).txt"
  started=$(date +%s.%N)
  printf '\n%s。\n' "$token" >>"$victim"
  slug=$(basename "$victim" .txt)
  until_seen "[ \"\$(found $token)\" -gt 0 ] && curl -sf $base/speeches/$slug | grep -q $token && curl -sf $base/api/speeches/$slug/stats -o /dev/null" >/dev/null
  echo "$(date +%s.%N) - $started" | bc >>"$work/edited"
done
echo "visible after a new file (s, median min max of $RUNS): $(spread <"$work/added")"
echo "visible after an edit    (s, median min max of $RUNS): $(spread <"$work/edited")"

# 100 edits while wrk loads a speech's page.
page="$base/speeches/$(basename "$template" .txt)"
wrk -t2 -c64 -d25s --latency "$page" >"$work/wrk" &
wrk_pid=$!
sleep 2
for n in $(seq 100); do
  printf '\n第%s次修改。\n' "$n" >>"$collection/$(printf '%06d' $((n + 100))).txt"
  sleep 0.15
done
wait "$wrk_pid"
grep -E "Requests/sec|Non-2xx|Socket errors| 50%| 99%" "$work/wrk" || true
non2xx=$(awk '/Non-2xx/ { print $5 }' "$work/wrk")
echo "non-2xx answers under load: ${non2xx:-0}"
echo "errors logged: $(grep -c ERROR "$work/log" || true)"
echo "collection updates logged: $(grep -c 'collection updated' "$work/log")"
grep 'collection updated' "$work/log" | sed -E 's/.*updated in ([0-9]+) ms.*/\1/' | spread | awk '{ print "update time (ms, median min max): " $0 }'
awk '/VmRSS/ { print "RSS now: " $2 / 1024 " MB" } /VmHWM/ { print "peak RSS: " $2 / 1024 " MB" }' "/proc/$pid/status"
