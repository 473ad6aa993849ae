#!/usr/bin/env bash
# CPU profile of `promptway serve` under wrk load on one POST route, with async-profiler: kernel
# time and the JVM's own threads (GC, JIT, the JDK's timer thread) included, which JFR's sampler
# leaves out. The profiler is loaded into the running server after the warm-up, so the profile
# shows the warmed path only. Writes folded stacks (for flame-graph tools) and prints the hottest
# frames and the CPU per request.
#   usage: benchmarks/profile-route.sh [route=/sync/generate] [warm_up_s=70] [profile_s=15] [out=profile.collapsed]
#   e.g.   benchmarks/profile-route.sh /async/requests   (event=alloc in PROFILER_EVENT for allocations)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
route=${1:-/sync/generate}
warmup=${2:-70}
seconds=${3:-15}
out=$(realpath -m "${4:-profile.collapsed}")
event=${PROFILER_EVENT:-cpu}
version=4.1
m2=${MAVEN_REPO:-$HOME/.m2/repository}
profiler_jar="$m2/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
[ -f "$profiler_jar" ] || mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" -Dtransitive=false

. "$root/benchmarks/bench-serve.sh"
bench_serve
unzip -q -o "$profiler_jar" 'linux-x64/libasyncProfiler.so' -d "$work"
lib="$work/linux-x64/libasyncProfiler.so"

callback=""
if [ "$route" = /async/requests ]; then
  # the webhooks go to the server's own bare echo route, which answers 200: no receiver to start
  callback=",\"callback_url\":\"http://127.0.0.1:$port/_bare/echo\""
fi
bench_post_lua "{\"prompt\":\"Summarise the benefits of queues in two sentences.\",\"model\":\"instant\",\"max_tokens\":16$callback}"
echo "warm-up: ${warmup} s on $route"
wrk -t2 -c64 -d"${warmup}s" -s "$work/post.lua" "http://127.0.0.1:$port$route" >/dev/null
# jcmd's parser would split the agent's options at '=' unless they are quoted
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=$event,interval=1ms\"" >/dev/null
c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
load=$(wrk -t2 -c64 -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port$route")
c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,file=$out,collapsed\"" >/dev/null
echo "$load" | grep -E 'Requests/sec|Non-2xx' || true
n=$(echo "$load" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
python3 - "$out" "$n" "$((c1 - c0))" "$(getconf CLK_TCK)" <<'PY'
import collections, sys
path, n, ticks, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"server CPU per request: {ticks * 1000 / hz / max(n, 1):.3f} ms over {n} requests")
self_time, total = collections.Counter(), 0
for line in open(path):
    stack, _, count = line.rstrip().rpartition(" ")
    self_time[stack.split(";")[-1]] += int(count)
    total += int(count)
print(f"{total} samples; hottest frames (self):")
for frame, count in self_time.most_common(20):
    print(f"  {count * 100 / total:5.1f} %  {frame}")
PY
echo "folded stacks: $out"
