#!/usr/bin/env bash
# On generated collections: time from start to serving (searches read the collection until
# the index is built), to the search index in place and to the statistics counted, with
# nothing cached; memory when serving, when counted and at its peak; the same for a restart
# with every file's parts and the index in the cache, and for a restart after one file was
# edited; search latency, for one common term and over a mix of the collection's most frequent
# terms; and, as the baseline of the same run, tantivy alone indexing the same text one
# character a token.
#
#   bench/load.sh [N ...]               default: 1000 10000
#   RUNS=7 DURATION=10s bench/load.sh 10000
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
RUNS=${RUNS:-5}
PORT=${PORT:-18090}
SIZES=("$@")
[ "${#SIZES[@]}" -gt 0 ] || SIZES=(1000 10000)
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install wrk curl python3" >&2; exit 1; }
done
cargo build --release --quiet --example generate --example baseline
cargo build --release --quiet

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# Prints "median p99" of a wrk run at one connection (the latency one user sees); a second
# argument is a Lua script choosing each request.
latency() {
  wrk -t1 -c1 -d"$DURATION" --latency ${2:+-s "$2"} "$1" |
    awk '/ 50%/ { p50 = $2 } / 99%/ { p99 = $2 } END { print p50, p99 }'
}

# Waits until the statistics of the server at $1 are counted: until then a speech's statistics
# JSON answers 503 (its page shows the speech measured alone). (The collection's, /api/stats, is every speech's at once: 90 MB of JSON at
# 100,000 speeches, which takes longer to write than the statistics take to read.)
wait_for_statistics() {
  until curl -sf "$1/api/speeches/000001/stats" -o /dev/null; do sleep 0.02; done
}

# Prints "median min max" of the numbers on standard input.
spread() {
  sort -n | awk '{ v[NR] = $1 } END { printf "%.2f %.2f %.2f\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

for size in "${SIZES[@]}"; do
  collection="$work/speeches-$size"
  target/release/examples/generate "$collection" "$size"
  : >"$work/serving"
  : >"$work/indexed"
  : >"$work/counted"
  for run in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    RUST_LOG=rostrum=info target/release/rostrum serve "$collection" --port "$PORT" --no-cache >"$work/out" 2>"$work/log" &
    pid=$!
    # The port is bound before parsing, so this waits until the collection is parsed and served.
    until curl -sf "http://127.0.0.1:$PORT/api/search?q=x" -o /dev/null; do sleep 0.02; done
    echo "$(date +%s.%N) - $start" | bc >>"$work/serving"
    rss_serving=$(awk '/VmRSS/ { print $2 / 1024 }' "/proc/$pid/status")
    until grep -q 'search index built' "$work/log"; do sleep 0.02; done
    echo "$(date +%s.%N) - $start" | bc >>"$work/indexed"
    # The statistics follow in the background; until then their JSON answers 503.
    wait_for_statistics "http://127.0.0.1:$PORT"
    echo "$(date +%s.%N) - $start" | bc >>"$work/counted"
    peak=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$pid/status")
    rss_counted=$(awk '/VmRSS/ { print $2 / 1024 }' "/proc/$pid/status")
    if [ "$run" -lt "$RUNS" ]; then
      kill "$pid"; wait "$pid" 2>/dev/null || true
    fi
  done
  json_seconds=$(curl -sf "http://127.0.0.1:$PORT/api/stats" -o "$work/stats.json" -w '%{time_total}')
  read -r serving serving_min serving_max < <(spread <"$work/serving")
  read -r indexed indexed_min indexed_max < <(spread <"$work/indexed")
  read -r counted counted_min counted_max < <(spread <"$work/counted")
  echo "== $size speeches, $RUNS starts (median, range)"
  echo "   serving after $serving s ($serving_min–$serving_max), index after $indexed s ($indexed_min–$indexed_max), statistics after $counted s ($counted_min–$counted_max)"
  echo "   memory (last start): ${rss_serving} MB when serving, ${rss_counted} MB with the statistics counted, peak ${peak} MB"
  echo "   /api/stats, the collection's and every speech's statistics: $(du -m "$work/stats.json" | cut -f1) MB of JSON in $json_seconds s"
  echo "   baseline, tantivy alone one character a token: $(target/release/examples/baseline "$collection")"
  sed -E 's/\x1b\[[0-9;]*m//g' "$work/log" | grep -E 'loaded|dictionary|search index|statistics' | sed -E 's/^.*INFO +[^ ]+: /   last start: /'

  # Restarts with the cache: one start stores every file's parts and the index, the next ones
  # take them from it.
  : >"$work/reopened"
  : >"$work/recounted"
  for run in $(seq 0 "$RUNS"); do
    start=$(date +%s.%N)
    RUST_LOG=rostrum=info target/release/rostrum serve "$collection" --port "$((PORT + 1))" --cache-dir "$work/cache" >/dev/null 2>"$work/cache.log" &
    cached=$!
    until curl -sf "http://127.0.0.1:$((PORT + 1))/api/search?q=x" -o /dev/null; do sleep 0.02; done
    [ "$run" -gt 0 ] && echo "$(date +%s.%N) - $start" | bc >>"$work/reopened"
    restart_serving=$(awk '/VmRSS/ { print $2 / 1024 }' "/proc/$cached/status")
    wait_for_statistics "http://127.0.0.1:$((PORT + 1))"
    [ "$run" -gt 0 ] && echo "$(date +%s.%N) - $start" | bc >>"$work/recounted"
    restart_counted=$(awk '/VmRSS/ { print $2 / 1024 }' "/proc/$cached/status")
    restart_peak=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$cached/status")
    # The first start is stopped only once it has kept its work: the statistics come last.
    until grep -qE 'statistics( kept in|: read from) the cache' "$work/cache.log"; do sleep 0.05; done
    if [ "$run" -eq 0 ]; then
      first_rss=$(awk '/VmRSS/ { print $2 / 1024 }' "/proc/$cached/status")
      first_peak=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$cached/status")
      first_counted=$(echo "$(date +%s.%N) - $start" | bc)
    fi
    kill "$cached"; wait "$cached" 2>/dev/null || true
  done
  echo "   first start with an empty cache (the index built in it): everything kept after $first_counted s, memory then ${first_rss} MB, peak ${first_peak} MB"
  read -r reopened reopened_min reopened_max < <(spread <"$work/reopened")
  read -r recounted recounted_min recounted_max < <(spread <"$work/recounted")
  echo "   restarted with the cache: serving after $reopened s ($reopened_min–$reopened_max), statistics after $recounted s ($recounted_min–$recounted_max)"
  echo "   memory (last restart): ${restart_serving} MB when serving, ${restart_counted} MB with the statistics counted, peak ${restart_peak} MB; cache $(du -sm "$work/cache" | cut -f1) MB for $(du -sm "$collection" | cut -f1) MB of files"
  sed -E 's/\x1b\[[0-9;]*m//g' "$work/cache.log" | grep -E 'loaded|opened|statistics' | sed -E 's/^.*INFO +[^ ]+: /   last restart: /'

  # The mix: a search for each of the collection's 60 most frequent terms, in turn.
  python3 - "$work/stats.json" >"$work/terms" <<'PY'
import json, sys, urllib.parse
for term in json.load(open(sys.argv[1]))["collection"]["top_terms"]:
    print("/api/search?q=" + urllib.parse.quote(term["term"]))
PY
  cat >"$work/mix.lua" <<LUA
local paths = {}
for line in io.lines("$work/terms") do paths[#paths + 1] = line end
local next_path = 0
request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
LUA
  base="http://127.0.0.1:$PORT"
  read -r p50 p99 < <(latency "$base" "$work/mix.lua")
  echo "   /api/search, the $(wc -l <"$work/terms") most frequent terms in turn, 1 connection: median $p50, p99 $p99"
  read -r p50 p99 < <(latency "$base/api/search?q=%E4%BD%8E%E4%BF%9D")
  echo "   /api/search?q=低保 at 1 connection: median $p50, p99 $p99"
  read -r p50 p99 < <(latency "$base/api/search?q=%E6%95%AC%E8%80%81%E9%99%A2+%E8%B5%84%E9%87%91")
  echo "   /api/search?q=敬老院 资金 at 1 connection: median $p50, p99 $p99"
  read -r p50 p99 < <(latency "$base/api/search?q=%E5%85%9A")
  echo "   /api/search?q=党 (one character) at 1 connection: median $p50, p99 $p99"
  for page in "/speeches/000001/stats" "/search?q=%E4%BD%8E%E4%BF%9D"; do
    rps=$(wrk -t2 -c64 -d"$DURATION" "$base$page" | awk '/Requests\/sec:/ { print $2 }')
    echo "   $page under wrk (64 connections): $rps requests/s"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

  # One file edited since the last start: it alone is parsed and measured, the stored index
  # takes the change, and the statistics are summed from the parts.
  files=("$collection"/*.txt)
  edited=${files[0]}
  printf '\n同志们，今年的低保工作还要再抓紧。\n' >>"$edited"
  start=$(date +%s.%N)
  RUST_LOG=rostrum=info target/release/rostrum serve "$collection" --port "$((PORT + 1))" --cache-dir "$work/cache" >/dev/null 2>"$work/cache.log" &
  pid=$!
  until curl -sf "http://127.0.0.1:$((PORT + 1))/api/search?q=x" -o /dev/null; do sleep 0.02; done
  edit_serving=$(echo "$(date +%s.%N) - $start" | bc)
  wait_for_statistics "http://127.0.0.1:$((PORT + 1))"
  edit_counted=$(echo "$(date +%s.%N) - $start" | bc)
  until grep -qE 'statistics kept in the cache' "$work/cache.log"; do sleep 0.05; done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo "   restarted after one file was edited: serving after $edit_serving s, statistics after $edit_counted s"
  sed -E 's/\x1b\[[0-9;]*m//g' "$work/cache.log" | grep -E 'loaded|applied|statistics in' | sed -E 's/^.*INFO +[^ ]+: /   edited restart: /'
done
