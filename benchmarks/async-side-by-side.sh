#!/usr/bin/env bash
# Two builds (or two JVM settings) under the async benchmark at the same time, so that a drift in
# the machine's speed hits both: compare their CPU per request within a round, not across rounds.
# Each side is a checkout that has been built (mvn package -DskipTests); both use the launcher's
# JVM flags. Loopback only; each JVM stops by itself after warm_up_s + seconds + its sync run.
#   usage: benchmarks/async-side-by-side.sh rounds DIR_A "JVM_OPTS_A" DIR_B "JVM_OPTS_B" [seconds=60] [warm_up_s=40]
#   e.g.:  benchmarks/async-side-by-side.sh 3 /tmp/before "" . ""
#          benchmarks/async-side-by-side.sh 2 . "" . "-XX:+UseParallelGC"
set -euo pipefail
if [ $# -lt 5 ]; then sed -n 2,8p "$0" | sed 's/^# \{0,1\}//'; exit 2; fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
. "$root/scripts/jvm-flags.sh"
promptway_jvm_flags ""
rounds=$1 seconds=${6:-60} warm=${7:-40}
side() { # dir opts out
  [ -f "$1/cli/target/promptway.jar" ] || { echo "no $1/cli/target/promptway.jar: build that checkout first" >&2; exit 2; }
  (cd "$1" && java "${PROMPTWAY_JVM_FLAGS[@]}" $2 -Xmx2g -cp cli/target/promptway.jar:benchmarks/target/classes \
    io.promptway.benchmarks.AsyncBenchmark 0 "$seconds" 64 8 "$warm" >"$3" 2>&1)
}
out=$(mktemp -d)
for r in $(seq 1 "$rounds"); do
  side "$2" "$3" "$out/A.$r" &
  side "$4" "$5" "$out/B.$r" &
  wait
  for x in A B; do
    echo "round $r $x: $(grep -o 'accepted ([0-9]*/s)' "$out/$x.$r") $(grep -o 'lost [0-9]*' "$out/$x.$r"), CPU per $(grep -o 'request: [0-9.]* ms' "$out/$x.$r")"
  done
done
echo "full output: $out"
