#!/usr/bin/env bash
# Throughput of Rostrum's pages under wrk, against nginx serving the same rendered bytes as a
# static file, in the same run, with the same request headers (plain, then Accept-Encoding: gzip).
#
#   bench/http.sh [PAGE ...]        default: the seed's reader page
#   DURATION=30s CONNECTIONS=64 THREADS=2 COLLECTION=seeds bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
COLLECTION=${COLLECTION:-seeds}
ROSTRUM_PORT=${ROSTRUM_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
PAGES=("$@")
[ "${#PAGES[@]}" -gt 0 ] || PAGES=(/speeches/000-fd25136dcbaff602)

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install wrk nginx-light curl" >&2; exit 1; }
done
cargo build --release --quiet

work=$(mktemp -d)
cleanup() {
  [ -n "${rostrum_pid:-}" ] && kill "$rostrum_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

RUST_LOG=warn target/release/rostrum serve "$COLLECTION" --port "$ROSTRUM_PORT" >"$work/rostrum.log" 2>&1 &
rostrum_pid=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$ROSTRUM_PORT/" >/dev/null && break
  sleep 0.1
done

mkdir -p "$work/root"
cat >"$work/nginx.conf" <<NGINX
user root;
worker_processes auto;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  gzip on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/root;
    default_type text/html;
  }
}
NGINX
for index in "${!PAGES[@]}"; do
  curl -sf "http://127.0.0.1:$ROSTRUM_PORT${PAGES[$index]}" >"$work/root/page$index.html"
done
nginx -c "$work/nginx.conf"

# Prints "requests/s p99" for one wrk run.
measure() {
  local url=$1; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" |
    awk '/Requests\/sec:/ { rps = $2 } / 99%/ { p99 = $2 } END { print rps, p99 }'
}

printf '%-44s %-6s %12s %10s %12s %10s %7s\n' page encoding rostrum_rps rostrum_p99 nginx_rps nginx_p99 ratio
for index in "${!PAGES[@]}"; do
  page=${PAGES[$index]}
  bytes=$(wc -c <"$work/root/page$index.html")
  for encoding in identity gzip; do
    headers=()
    [ "$encoding" = gzip ] && headers=(-H "Accept-Encoding: gzip")
    read -r r_rps r_p99 < <(measure "http://127.0.0.1:$ROSTRUM_PORT$page" "${headers[@]}")
    read -r n_rps n_p99 < <(measure "http://127.0.0.1:$NGINX_PORT/page$index.html" "${headers[@]}")
    ratio=$(awk -v r="$r_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", r / n }')
    printf '%-44s %-6s %12s %10s %12s %10s %7s\n' "$page ($bytes B)" "$encoding" "$r_rps" "$r_p99" "$n_rps" "$n_p99" "$ratio"
  done
done
