# Sourced by the wrk benchmarks (after scripts/jdk.sh, with $root set): starts `promptway serve`
# on a free loopback port with the launcher's JVM flags, a fresh database in a temporary directory
# and the gateway throttle off (these measure the request path; the throttle has its own
# benchmark), and stops it on exit.
#   bench_serve            sets $port, $pid and $work (removed on exit); BENCH_JAVA_OPTS adds JVM
#                          options, BENCH_SERVE_ARGS `serve` flags (e.g. --jdbc-url for another
#                          database), BENCH_CONFIG top-level YAML sections to the config (e.g.
#                          $'llm:\n  sync_over_http: false')
#   bench_post_lua BODY    writes $work/post.lua, a wrk script that POSTs BODY as JSON

bench_serve() {
  local jar="$root/cli/target/promptway.jar"
  "$root/promptway" --version >/dev/null # builds the jar (and its AOT cache) when sources changed
  . "$root/scripts/jvm-flags.sh"
  promptway_jvm_flags "$root/cli/target/promptway.aot"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  work=$(mktemp -d)
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
  printf 'gateway:\n  throttle:\n    enabled: false\n' >"$work/bench.yaml"
  [ -z "${BENCH_CONFIG:-}" ] || printf '%s\n' "$BENCH_CONFIG" >>"$work/bench.yaml"
  java "${PROMPTWAY_JVM_FLAGS[@]}" ${BENCH_JAVA_OPTS:-} -Xmx2g -Djava.util.logging.config.file=/dev/null -jar "$jar" serve \
    --port "$port" --db "$work/state" --config "$work/bench.yaml" ${BENCH_SERVE_ARGS:-} >"$work/serve.log" 2>&1 &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.01; done
}

bench_post_lua() {
  cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$1'
wrk.headers["Content-Type"] = "application/json"
LUA
}
