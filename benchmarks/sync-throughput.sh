#!/usr/bin/env bash
# Requests/s of POST /sync/generate (instant model: no model latency, but the real HTTP hop to the
# emulated provider, the state writes and the metering) against two bare routes of the same server,
# in one run, with wrk on loopback: a POST JSON echo (Helidon's Jackson media support reads the body
# and writes it back: the "bare Helidon POST JSON route" of the foundation issue) and a byte echo
# (no JSON at all). Also checks that no request is missing from the store.
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
# The bare routes warm up for 10 s each: with the launcher's raised compile thresholds, 3 s left the
# JSON echo's first round a third slower than its later ones.
echo "warm-up: bare routes 10 s each, sync ${warmup} s"
for bare in /_bare/json /_bare/echo; do
  wrk -t2 -c"$connections" -d10s -s "$work/post.lua" "http://127.0.0.1:$port$bare" >/dev/null
done
wrk -t2 -c"$connections" -d"${warmup}s" -s "$work/post.lua" "http://127.0.0.1:$port/sync/generate" >/dev/null
before=$(curl -s "http://127.0.0.1:$port/health" | sed -n 's/.*"requests_stored":\([0-9]*\).*/\1/p')
rps() { echo "$1" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
total() { echo "$1" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p'; }
non2xx() { echo "$1" | sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p'; }
cpu_per() { python3 -c "print(f'{($1)*1000/$tick/$2:.3f}')"; }
# Alternating rounds (JSON echo, sync, byte echo) and the median of their ratios: on a shared
# machine one round can land on a fast and a slow stretch; more, shorter rounds (e.g. 5 s x 9)
# compare windows closer in time.
ratios=(); byte_ratios=(); sent=0; bad=0
for r in $(seq 1 "$rounds"); do
  # sync between the two bare routes, so each ratio compares neighbouring windows
  echo "== round $r: bare JSON echo POST /_bare/json"; c0=$(cpu); json=$(run /_bare/json); c1=$(cpu); echo "$json"
  echo "== round $r: POST /sync/generate"; sync=$(run /sync/generate); c2=$(cpu); echo "$sync"
  echo "== round $r: bare byte echo POST /_bare/echo"; echo_=$(run /_bare/echo); c3=$(cpu); echo "$echo_"
  j=$(rps "$json"); e=$(rps "$echo_"); s=$(rps "$sync")
  ratio=$(python3 -c "print(f'{$s/$j*100:.1f}')")
  byte_ratio=$(python3 -c "print(f'{$s/$e*100:.1f}')")
  ratios+=("$ratio"); byte_ratios+=("$byte_ratio")
  n=$(non2xx "$sync"); sent=$((sent + $(total "$sync"))); bad=$((bad + ${n:-0}))
  echo "round $r: JSON echo $j req/s, byte echo $e req/s, sync $s req/s;" \
    "sync/JSON echo $ratio%, sync/byte echo $byte_ratio%;" \
    "server CPU per request: JSON echo $(cpu_per "$c1-$c0" "$(total "$json")") ms," \
    "byte echo $(cpu_per "$c3-$c2" "$(total "$echo_")") ms, sync $(cpu_per "$c2-$c1" "$(total "$sync")") ms"
done
after=$(curl -s "http://127.0.0.1:$port/health" | sed -n 's/.*"requests_stored":\([0-9]*\).*/\1/p')
echo
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "sync / bare JSON echo, per round: ${ratios[*]} (%); median: $(median "${ratios[@]}")%"
echo "sync / bare byte echo, per round: ${byte_ratios[*]} (%); median: $(median "${byte_ratios[@]}")%"
echo "sync requests sent: $sent, non-2xx: $bad, rows added to the store: $((after - before))"
