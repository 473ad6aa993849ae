#!/usr/bin/env bash
# Requests/s of POST /sync/generate (instant model: no model latency, but the real HTTP hop to the
# emulated provider, the state writes and the metering) against the bare JSON echo route of the same
# server, in one run, with wrk on loopback. Also checks that no request is missing from the store.
# (Start-up has its own script: benchmarks/startup.sh.)
#   usage: benchmarks/sync-throughput.sh [duration_s=10] [connections=64] [sync_warmup_s=70] [rounds=3]
# The sync path runs far more code than the bare route, and on 2 cores shared with wrk the JIT
# takes 60-70 s to finish compiling it (the launcher's flags raise the compile thresholds; throughput
# climbs until then), so it warms up for longer.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
duration=${1:-10}
connections=${2:-64}
warmup=${3:-70}
rounds=${4:-3}
. "$root/benchmarks/bench-serve.sh"
bench_serve
bench_post_lua '{"prompt":"Summarise the benefits of queues in two sentences.","model":"instant","max_tokens":16}'
# Server CPU time (user + system, in clock ticks) — a figure that holds up on a busy machine.
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tick=$(getconf CLK_TCK)
run() { wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port$1"; }
echo "warm-up: bare 5 s, sync ${warmup} s"
wrk -t2 -c"$connections" -d5s -s "$work/post.lua" "http://127.0.0.1:$port/_bare/echo" >/dev/null
wrk -t2 -c"$connections" -d"${warmup}s" -s "$work/post.lua" "http://127.0.0.1:$port/sync/generate" >/dev/null
before=$(curl -s "http://127.0.0.1:$port/health" | sed -n 's/.*"requests_stored":\([0-9]*\).*/\1/p')
rps() { echo "$1" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
total() { echo "$1" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p'; }
non2xx() { echo "$1" | sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p'; }
cpu_per() { python3 -c "print(f'{($1)*1000/$tick/$2:.3f}')"; }
# Alternating rounds (bare, then sync) and the median of their ratios: on a shared machine one
# pair can land on a fast and a slow stretch.
ratios=(); sent=0; bad=0
for r in $(seq 1 "$rounds"); do
  echo "== round $r: bare route POST /_bare/echo"; c0=$(cpu); bare=$(run /_bare/echo); c1=$(cpu); echo "$bare"
  echo "== round $r: POST /sync/generate"; sync=$(run /sync/generate); c2=$(cpu); echo "$sync"
  b=$(rps "$bare"); s=$(rps "$sync")
  ratio=$(python3 -c "print(f'{$s/$b*100:.1f}')")
  ratios+=("$ratio")
  n=$(non2xx "$sync"); sent=$((sent + $(total "$sync"))); bad=$((bad + ${n:-0}))
  echo "round $r: bare $b req/s, sync $s req/s, ratio $ratio%;" \
    "server CPU per request: bare $(cpu_per "$c1-$c0" "$(total "$bare")") ms, sync $(cpu_per "$c2-$c1" "$(total "$sync")") ms"
done
after=$(curl -s "http://127.0.0.1:$port/health" | sed -n 's/.*"requests_stored":\([0-9]*\).*/\1/p')
echo
echo "ratio per round: ${ratios[*]} (%); median: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')%"
echo "sync requests sent: $sent, non-2xx: $bad, rows added to the store: $((after - before))"
