# Sourced by ./promptway and the benchmark scripts, after scripts/jdk.sh: the JVM flags every
# Promptway start uses, so a benchmark measures what the launcher runs.
#   promptway_jvm_flags AOT_CACHE   sets PROMPTWAY_JVM_FLAGS (the cache is used when it exists)
#   promptway_aot_record_flags      sets PROMPTWAY_AOT_RECORD_FLAGS (to record that cache)

promptway_jvm_flags() {
  # Core reflection on native accessors: picocli and Jackson's config binding call a few hundred
  # reflective members once each, and the default spins method-handle classes for every one.
  # Compile thresholds x6: during the first second the JIT compiler threads otherwise take about
  # as much CPU as the main thread on a 2-core machine (x6 starts 5 % sooner than x3 did); once warm,
  # throughput is the same (benchmarks/RESULTS.md, "Start-up" and the sync section's session 14).
  PROMPTWAY_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED -Djdk.reflect.useNativeAccessorOnly=true
    -XX:CompileThresholdScaling=6)
  # Huge pages for the heap, the JIT's code and the collector's tables (-Xlog:pagesize shows 2M for
  # each), where the kernel gives them on request (transparent huge pages in "madvise" or "always"
  # mode): a sync request allocates about 57 KB, and with 4 KB pages the TLB misses of that, of the
  # collector's copying and of H2's cache cost every thread; side by side under load, 4.5-14 % less
  # CPU per sync request. Not asked for where the kernel would refuse (mode "never"): the JVM would
  # print a warning on every start.
  if grep -qs '\[\(madvise\|always\)\]' /sys/kernel/mm/transparent_hugepage/enabled; then
    PROMPTWAY_JVM_FLAGS+=(-XX:+UseTransparentHugePages)
  fi
  if [ "$PROMPTWAY_JAVA_MAJOR" -ge 25 ] && [ -f "$1" ]; then
    PROMPTWAY_JVM_FLAGS+=(-XX:AOTCache="$1" -Xlog:aot*=off -Xlog:cds*=off)
  fi
}

promptway_aot_record_flags() {
  # Classes only, loaded and linked: the method profiles a cache can also carry make the JIT
  # compile them all at start, which costs start-up more than it saves.
  PROMPTWAY_AOT_RECORD_FLAGS=(-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining
    -Xlog:aot*=off -Xlog:cds*=off)
}
