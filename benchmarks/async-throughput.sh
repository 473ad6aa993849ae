#!/usr/bin/env bash
# Queue throughput on H2 (send + batch receive + delete), end-to-end async requests/s sustained for a fixed time with the
# instant model (POST /async/requests until the webhook arrives), and the metered cost per 1,000
# requests of the same workload through async and sync. All in one JVM, on loopback.
#   usage: benchmarks/async-throughput.sh [queue_messages=20000] [seconds=60] [concurrency=64] [workers=8] [warm_up_s=70] [batch_window=0s] [in_process=true]
# (in_process=false: the workers call the emulated model over loopback HTTP, llm.in_process: false)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
cd "$root"
mvn -B -q -o -DskipTests -Dspotless.check.skip=true install -pl cli,benchmarks -am
# the runnable jar carries the runtime and its dependencies; the benchmark classes sit beside it
. "$root/scripts/jvm-flags.sh"
promptway_jvm_flags "" # the launcher's flags; its AOT cache is for the jar alone, not this classpath
exec java "${PROMPTWAY_JVM_FLAGS[@]}" ${BENCH_JAVA_OPTS:-} -Xmx2g -cp "cli/target/promptway.jar:benchmarks/target/classes" \
  io.promptway.benchmarks.AsyncBenchmark "$@"
