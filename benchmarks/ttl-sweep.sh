#!/usr/bin/env bash
# How the request-state TTL sweep behaves when it has a lot to delete: fills the store with sync
# requests under wrk for LOAD seconds (rows expire after 1 s), then waits for the sweep, which runs
# every SWEEP_AT seconds, while probing once a second GET /metrics (which counts the table's rows) and,
# between probes, POST /sync/generate. Prints the row count over time, how long the sweep took and
# the slowest probes.
#   usage: benchmarks/ttl-sweep.sh [load_s=80] [sweep_at_s=100]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
load=${1:-80}
sweep_at=${2:-100}
export BENCH_CONFIG=$'state:\n  ttl: 1s\n  cleanup_interval: '"${sweep_at}s"
. "$root/benchmarks/bench-serve.sh"
bench_serve
bench_post_lua '{"prompt":"Summarise the benefits of queues in two sentences.","model":"instant","max_tokens":16}'
t0=$(date +%s%N)
since() { echo $(( ($(date +%s%N) - t0) / 1000000 )); }
wrk -t2 -c64 -d"${load}s" -s "$work/post.lua" "http://127.0.0.1:$port/sync/generate" | grep -E "requests in"
rows() { curl -s -o "$work/metrics" -w '%{time_total}' "http://127.0.0.1:$port/metrics"; }
: >"$work/probes"
deadline=$(( (sweep_at * 2 + 30) * 1000 ))
first_rows=""
while [ "$(since)" -lt "$deadline" ]; do
  took=$(rows)
  n=$(sed -n 's/^promptway_state_rows \([0-9]*\).*/\1/p' "$work/metrics")
  echo "$(since) ms: $n rows (GET /metrics took ${took} s)"
  echo "metrics $took" >>"$work/probes"
  [ -n "$first_rows" ] || first_rows=$n
  if [ "$n" -lt 1000 ] && [ "$first_rows" -gt 1000 ]; then break; fi
  for _ in 1 2 3 4 5; do
    echo "sync $(curl -s -o /dev/null -w '%{time_total}' -XPOST -H 'content-type: application/json' \
      -d '{"prompt":"hi","model":"instant","max_tokens":16}' "http://127.0.0.1:$port/sync/generate")" >>"$work/probes"
    sleep 0.15
  done
done
echo "slowest GET /metrics: $(grep '^metrics' "$work/probes" | sort -k2 -n -r | head -3 | awk '{printf "%s s ", $2}')"
echo "slowest POST /sync/generate: $(grep '^sync' "$work/probes" | sort -k2 -n -r | head -3 | awk '{printf "%s s ", $2}')"
