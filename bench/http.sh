#!/usr/bin/env bash
# Throughput of Rostrum's pages under wrk, against nginx serving the same rendered bytes as
# static files, in the same run, with the same request headers. Rostrum runs as users run it,
# with its default log (one line per request, to a file). nginx runs at its best: access log
# on but buffered, keep-alive for as many requests as wrk sends, sendfile, and for compressed
# answers gzip_static serving a pre-compressed file (no compression per request). Every
# answer of both is checked to be 2xx; a run with any other status fails.
#
#   bench/http.sh [PAGE ...]        default: the seed's reader page
#   DURATION=30s CONNECTIONS=64 THREADS=2 COLLECTION=seeds bench/http.sh
#   SOAK=60s CONNECTIONS=256 bench/http.sh     then a soak of Rostrum alone: errors and memory
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
COLLECTION=${COLLECTION:-seeds}
ROSTRUM_PORT=${ROSTRUM_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
SOAK=${SOAK:-}
PAGES=("$@")
[ "${#PAGES[@]}" -gt 0 ] || PAGES=(/speeches/000-fd25136dcbaff602)

for tool in wrk nginx curl gzip; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install wrk nginx-light curl gzip" >&2; exit 1; }
done
cargo build --release --quiet

work=$(mktemp -d)
cleanup() {
  [ -n "${rostrum_pid:-}" ] && kill "$rostrum_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

target/release/rostrum serve "$COLLECTION" --port "$ROSTRUM_PORT" >"$work/rostrum.out" 2>"$work/rostrum.log" &
rostrum_pid=$!
# Serving starts before the statistics are counted: wait for them (their pages answer 503).
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$ROSTRUM_PORT/api/stats" >/dev/null && break
  sleep 0.1
done

mkdir -p "$work/root"
cat >"$work/nginx.conf" <<NGINX
user root;
worker_processes auto;
worker_rlimit_nofile 65536;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log $work/nginx-access.log combined buffer=64k flush=1s;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  gzip_static on;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    root $work/root;
    default_type text/html;
  }
}
NGINX
for index in "${!PAGES[@]}"; do
  curl -sf "http://127.0.0.1:$ROSTRUM_PORT${PAGES[$index]}" >"$work/root/page$index.html"
  gzip -9 -k "$work/root/page$index.html"
done
nginx -c "$work/nginx.conf"

# Fails unless the URL answers 2xx with the headers given.
check_2xx() {
  local url=$1; shift
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url")
  case "$status" in 2??) ;; *) echo "$url answered $status: not measured" >&2; exit 1 ;; esac
}

# Prints "requests/s p99" for one wrk run; fails if any answer was not 2xx or 3xx.
measure() {
  local url=$1; shift
  local output
  output=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  if grep -q 'Non-2xx or 3xx responses' <<<"$output"; then
    echo "$url: $(grep 'Non-2xx' <<<"$output")" >&2; exit 1
  fi
  awk '/Requests\/sec:/ { rps = $2 } / 99%/ { p99 = $2 } END { print rps, p99 }' <<<"$output"
}

printf '%-44s %-6s %12s %10s %12s %10s %7s\n' page encoding rostrum_rps rostrum_p99 nginx_rps nginx_p99 ratio
for index in "${!PAGES[@]}"; do
  page=${PAGES[$index]}
  bytes=$(wc -c <"$work/root/page$index.html")
  for encoding in identity gzip; do
    headers=()
    [ "$encoding" = gzip ] && headers=(-H "Accept-Encoding: gzip")
    check_2xx "http://127.0.0.1:$ROSTRUM_PORT$page" "${headers[@]}"
    check_2xx "http://127.0.0.1:$NGINX_PORT/page$index.html" "${headers[@]}"
    read -r r_rps r_p99 < <(measure "http://127.0.0.1:$ROSTRUM_PORT$page" "${headers[@]}")
    read -r n_rps n_p99 < <(measure "http://127.0.0.1:$NGINX_PORT/page$index.html" "${headers[@]}")
    ratio=$(awk -v r="$r_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", r / n }')
    printf '%-44s %-6s %12s %10s %12s %10s %7s\n' "$page ($bytes B)" "$encoding" "$r_rps" "$r_p99" "$n_rps" "$n_p99" "$ratio"
  done
done
echo "rostrum access log: $(wc -l <"$work/rostrum.log") lines"

if [ -n "$SOAK" ]; then
  page=${PAGES[0]}
  rss() { awk '/VmRSS/ { print $2 }' "/proc/$rostrum_pid/status"; }
  echo "soak: $SOAK at $CONNECTIONS connections on $page; RSS in kB every 10 s:"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$SOAK" --latency -H "Accept-Encoding: gzip" \
    "http://127.0.0.1:$ROSTRUM_PORT$page" >"$work/soak.txt" &
  wrk_pid=$!
  samples=()
  while kill -0 "$wrk_pid" 2>/dev/null; do samples+=("$(rss)"); sleep 10; done
  echo "  ${samples[*]}"
  grep -E 'Requests/sec| 99%|Socket errors|Non-2xx' "$work/soak.txt" | sed 's/^/  /'
  grep -q 'Non-2xx\|Socket errors' "$work/soak.txt" && { echo "soak: errors" >&2; exit 1; }
  echo "soak: no errors"
fi
