#!/usr/bin/env bash
# Scenario replayer benchmarks: pacing accuracy against a fast target, time compression against the
# embedded runtime, and the seed article's burst end to end (replayer + embedded runtime, 60 s).
# Usage: benchmarks/replayer-bench.sh [pacing|compression|burst|all]
# JVM flags: generational ZGC with a fixed heap (no long young pauses), and thread priorities
# mapped to nice values (-XX:ThreadPriorityPolicy=1, effective as root) so the pacer thread, which
# runs at Thread.MAX_PRIORITY, is not descheduled behind other work on a shared machine. Set
# BENCH_JVM to replace them, e.g. BENCH_JVM="-Xmx1g" for the JVM defaults. PAUSE_DAMON=1 pauses the
# kernel's DAMON memory monitor for the run, where one runs (see benchmarks/damon.sh).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
cd "$root"
mvn -B -q -o install -DskipTests -Dspotless.check.skip=true -pl benchmarks,cli -am >/dev/null
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
jvm=(${BENCH_JVM:--XX:+UseZGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:ThreadPriorityPolicy=1})
# The CLI's fat jar carries every runtime dependency the benchmark classes need.
cp="benchmarks/target/classes:cli/target/promptway.jar"
what=${1:-all}
. "$root/benchmarks/damon.sh"
echo "$(date -u +%FT%TZ) load:$(uptime | sed 's/.*load average://') fds:$(ulimit -n) jvm: ${jvm[*]}"
if [ "$what" = pacing ] || [ "$what" = all ]; then
  java "${jvm[@]}" -cp "$cp" io.promptway.benchmarks.scenarios.ReplayerPacingBenchmark "${RATE:-2000}" "${SECONDS_:-10}"
fi
if [ "$what" = compression ] || [ "$what" = all ]; then
  java "${jvm[@]}" -cp "$cp" io.promptway.benchmarks.scenarios.TimeCompressionBenchmark "${PATTERNS:-sync}" "${SCALE:-20}" "${SAMPLE:-60}" "${CRATE:-2}"
fi
if [ "$what" = burst ] || [ "$what" = all ]; then
  java "${jvm[@]}" -cp "$cp" io.promptway.benchmarks.scenarios.BurstBenchmark "${RATE:-2000}" "${BURST_SECONDS:-60}" \
    "${PATTERN:-sse}" "${MODEL:-nova-micro}" "${OUTPUT_TOKENS:-50}"
fi
echo "$(date -u +%FT%TZ) load:$(uptime | sed 's/.*load average://')"
