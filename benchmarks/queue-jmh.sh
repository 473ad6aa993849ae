#!/usr/bin/env bash
# JMH throughput of the emulated queue (send -> receive -> delete) on an H2 file database.
#   usage: benchmarks/queue-jmh.sh [JMH arguments, e.g. -t 1 or -rf json]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
cd "$root"
mvn -B -q -o -DskipTests -Dspotless.check.skip=true install -pl cli,benchmarks -am
m2=${MAVEN_REPO:-$HOME/.m2/repository}
jmh=$(ls "$m2"/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar)
jopt=$(ls "$m2"/net/sf/jopt-simple/jopt-simple/*/jopt-simple-*.jar | tail -1)
math=$(ls "$m2"/org/apache/commons/commons-math3/*/commons-math3-*.jar | tail -1)
exec java -cp "cli/target/promptway.jar:benchmarks/target/classes:$jmh:$jopt:$math" \
  org.openjdk.jmh.Main 'io.promptway.benchmarks.queue.QueueBenchmark' -t 4 "$@"
