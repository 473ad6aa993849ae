#!/usr/bin/env bash
# Gateway throttle benchmark: token-bucket accuracy in simulated time (burst 2,000, steady 1,000
# req/s when offered 3,000 req/s) and the throttle's overhead on POST /sync/generate (throttle on
# vs off on one server, alternating phases). In-process, loopback only.
#   usage: benchmarks/gateway-throttle.sh [seconds per slice=2] [slice pairs=10] [client threads=16]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
cd "$root"
mvn -B -q -o install -DskipTests -Dspotless.check.skip=true >/dev/null
# The CLI's shaded jar carries the runtime and its dependencies.
exec java -Xmx1g -cp "benchmarks/target/classes:cli/target/promptway.jar" \
  io.promptway.benchmarks.gateway.ThrottleBenchmark "$@"
