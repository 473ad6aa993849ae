#!/usr/bin/env bash
# Scenario replayer benchmarks: pacing accuracy against a fast target, then time compression
# against the embedded runtime. Usage: benchmarks/replayer-bench.sh [pacing|compression|all]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
cd "$root"
mvn -B -q -o install -DskipTests -Dspotless.check.skip=true -pl benchmarks,cli -am >/dev/null
# The CLI's fat jar carries every runtime dependency the benchmark classes need.
cp="benchmarks/target/classes:cli/target/promptway.jar"
what=${1:-all}
if [ "$what" = pacing ] || [ "$what" = all ]; then
  java -Xmx1g -cp "$cp" io.promptway.benchmarks.scenarios.ReplayerPacingBenchmark "${RATE:-2000}" "${SECONDS_:-10}"
fi
if [ "$what" = compression ] || [ "$what" = all ]; then
  java -Xmx1g -cp "$cp" io.promptway.benchmarks.scenarios.TimeCompressionBenchmark "${PATTERNS:-sync}" "${SCALE:-20}" "${SAMPLE:-60}"
fi
