#!/usr/bin/env bash
# Two builds (or two JVM settings) of `promptway serve` under wrk on POST /sync/generate at the same
# time, so that a drift in the machine's speed hits both: compare their CPU per request within a
# round, not across rounds. Each side is a checkout that has been built (mvn package -DskipTests);
# both use the launcher's JVM flags. Prints the server's CPU per request and its busiest threads'
# share of it (from /proc). Loopback only; each server stops when its round ends.
#   usage: benchmarks/sync-side-by-side.sh rounds DIR_A "JVM_OPTS_A" DIR_B "JVM_OPTS_B" [seconds=20] [warm_up_s=90]
#   e.g.:  benchmarks/sync-side-by-side.sh 3 /tmp/before "" . ""
# Two servers and two wrk share two cores, so every figure is inflated; the comparison is between
# the two sides. The warm-up is long because each side's JIT gets half the machine.
set -euo pipefail
if [ $# -lt 5 ]; then sed -n 2,10p "$0" | sed 's/^# \{0,1\}//'; exit 2; fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
. "$root/scripts/jvm-flags.sh"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
promptway_jvm_flags ""
rounds=$1 seconds=${6:-20} warm=${7:-90}
tick=$(getconf CLK_TCK)
threads() { # pid: "name ticks" per thread, numbered names pooled (GC Thread#0, #1 -> GC Thread)
  for t in /proc/"$1"/task/*; do
    echo "$(sed 's/[#-]\{0,1\}[0-9]*$//' "$t/comm")|$(awk '{print $14 + $15}' "$t/stat")"
  done
}
side() { # dir opts out
  local jar="$1/cli/target/promptway.jar"
  [ -f "$jar" ] || { echo "no $jar: build that checkout first" >&2; exit 2; }
  local work port pid
  work=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  printf 'gateway:\n  throttle:\n    enabled: false\n' >"$work/bench.yaml"
  java "${PROMPTWAY_JVM_FLAGS[@]}" $2 -Xmx2g -Djava.util.logging.config.file=/dev/null -jar "$jar" serve \
    --port "$port" --db "$work/state" --config "$work/bench.yaml" >"$work/serve.log" 2>&1 &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.05; done
  cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"prompt":"Summarise the benefits of queues in two sentences.","model":"instant","max_tokens":16}'
wrk.headers["Content-Type"] = "application/json"
LUA
  wrk -t2 -c64 -d"${warm}s" -s "$work/post.lua" "http://127.0.0.1:$port/sync/generate" >/dev/null
  threads "$pid" >"$work/threads0"
  wrk -t2 -c64 -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port/sync/generate" >"$work/wrk"
  threads "$pid" >"$work/threads1"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 - "$work" "$tick" >"$3" <<'PY'
import collections, re, sys
work, tick = sys.argv[1], int(sys.argv[2])
def load(f):
    d = collections.Counter()
    for line in open(f):
        name, _, v = line.rstrip().rpartition('|')
        d['carrier' if name.startswith('ForkJoinPool') else name] += int(v)
    return d
wrk = open(work + '/wrk').read()
n = int(re.search(r'(\d+) requests in', wrk).group(1))
rps = re.search(r'Requests/sec:\s*([\d.]+)', wrk).group(1)
a, b = load(work + '/threads0'), load(work + '/threads1')
used = {k: b[k] - a.get(k, 0) for k in b if b[k] > a.get(k, 0)}
per = lambda t: t * 1e6 / tick / n
print(f'{rps} sync req/s, {per(sum(used.values())):.0f} us of server CPU per request; of it:',
      ', '.join(f'{k} {per(v):.0f}' for k, v in sorted(used.items(), key=lambda kv: -kv[1])[:6]))
PY
  rm -rf "$work"
}
out=$(mktemp -d)
for r in $(seq 1 "$rounds"); do
  side "$2" "$3" "$out/A.$r" &
  side "$4" "$5" "$out/B.$r" &
  wait
  echo "round $r A: $(cat "$out/A.$r")"
  echo "round $r B: $(cat "$out/B.$r")"
done
rm -rf "$out"
