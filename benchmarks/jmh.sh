#!/usr/bin/env bash
# Runs a JMH benchmark of the benchmarks module against the runnable jar's classes.
#   usage: benchmarks/jmh.sh BENCHMARK_REGEX [JMH arguments, e.g. -t 1 or -rf json]
#   e.g.:  benchmarks/jmh.sh RecentRequestsBenchmark
set -euo pipefail
if [ $# -lt 1 ]; then sed -n 2,4p "$0" | sed 's/^# \{0,1\}//'; exit 2; fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
cd "$root"
mvn -B -q -o -DskipTests -Dspotless.check.skip=true install -pl cli,benchmarks -am
m2=${MAVEN_REPO:-$HOME/.m2/repository}
jmh=$(ls "$m2"/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar)
jopt=$(ls "$m2"/net/sf/jopt-simple/jopt-simple/*/jopt-simple-*.jar | tail -1)
math=$(ls "$m2"/org/apache/commons/commons-math3/*/commons-math3-*.jar | tail -1)
exec java -cp "cli/target/promptway.jar:benchmarks/target/classes:$jmh:$jopt:$math" \
  org.openjdk.jmh.Main "$@"
