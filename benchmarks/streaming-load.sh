#!/usr/bin/env bash
# Holds SSE streams and WebSocket sessions against one runtime process with the clients split over
# two processes (one SSE, one WebSocket), since one process may hold at most `ulimit -Hn` sockets
# (20,000 here): StreamingLoad --serve-only starts the server; the two client processes attach to it
# and measure over the same window. Prints each side's RESULT line and the sum.
#   usage: benchmarks/streaming-load.sh SSE WS [interval=1s] [hold=30] [rate_per_process=250] [tokens=200]
#   extra server JVM flags: SERVER_JVM_ARGS="..."; server heap: HEAP=1300m
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
sse=${1:?SSE streams}; ws=${2:?WebSocket sessions}
interval=${3:-1s}; hold=${4:-30}; rate=${5:-250}; tokens=${6:-200}
ulimit -n "$(ulimit -Hn)"
cd "$root"
mvn -B -q -o install -DskipTests -Dspotless.check.skip=true -pl benchmarks,cli -am >/dev/null
cp=benchmarks/target/classes
work=$(mktemp -d)
java -cp "$cp" io.promptway.benchmarks.streaming.StreamingLoad --serve-only true --interval "$interval" \
  --tokens "$tokens" --heap "${HEAP:-1300m}" --server-jvm-args "${SERVER_JVM_ARGS:-}" --serve-seconds 900 \
  >"$work/serve.out" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null || true; wait $serve 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -qs '^SERVER ' "$work/serve.out"; do
  kill -0 $serve 2>/dev/null || { cat "$work/serve.out"; exit 1; }
  sleep 0.2
done
read -r pid port < <(sed -n 's/^SERVER pid=\([0-9]*\) port=\([0-9]*\).*/\1 \2/p' "$work/serve.out")
trap 'kill $serve 2>/dev/null || true; wait $serve 2>/dev/null || true; kill -9 $pid 2>/dev/null || true; rm -rf "$work"' EXIT
biggest=$(( sse > ws ? sse : ws ))
# both sides open at the same rate; measuring starts 5 s after the slower one should be done
measure_at=$(( $(date +%s%3N) + (biggest * 1000 / rate) + 5000 ))
client() {
  java -Xmx1g -cp "$cp" io.promptway.benchmarks.streaming.StreamingLoad --attach "$port" --server-pid "$pid" \
    --tokens "$tokens" --hold "$hold" --rate "$rate" --measure-at "$measure_at" "$@"
}
client --sse "$sse" --ws 0 --client-addresses 127.0.0.2,127.0.0.3 >"$work/sse.out" 2>&1 &
a=$!
client --sse 0 --ws "$ws" --client-addresses 127.0.0.4,127.0.0.5 >"$work/ws.out" 2>&1 &
b=$!
wait $a || true; wait $b || true
tail -n 3 "$work/sse.out"; tail -n 3 "$work/ws.out"
grep -h '^RESULT' "$work/sse.out" "$work/ws.out" | awk '
  { line = $0; sub(/.*aggregate /, "", line); split(line, f, " "); gsub(/,/, "", f[1]); total += f[1]
    if (match($0, /\(([0-9.]+) cores\)/)) cores = substr($0, RSTART + 1, RLENGTH - 8) }
  END { printf "TOTAL aggregate %.0f tokens/s (both client processes), server %.2f cores, %.0f tokens per server CPU-second\n",
        total, cores, (cores > 0 ? total / cores : 0) }'
echo "uptime: $(uptime)"
