#!/usr/bin/env bash
# JMH throughput of the emulated queue (send -> receive -> delete) on an H2 file database.
#   usage: benchmarks/queue-jmh.sh [JMH arguments, e.g. -t 1 or -rf json]
exec "$(dirname "${BASH_SOURCE[0]}")/jmh.sh" 'io.promptway.benchmarks.queue.QueueBenchmark' -t 4 "$@"
