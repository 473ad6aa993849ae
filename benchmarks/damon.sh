# Sourced by benchmark scripts. Some virtual machines run the kernel's DAMON memory monitor
# (kdamond) with a physical-address scheme; each of its samples (every 0.5 s on the machine
# benchmarks/RESULTS.md was measured on) stops a virtual CPU for up to ~10 ms, which shows up as
# a pacing p99 of 3-4 ms. This says so before a run, and with PAUSE_DAMON=1 (root) switches the
# running monitors off for the run and back on when the script exits.
damon_running=()
for state in /sys/kernel/mm/damon/admin/kdamonds/*/state; do
  [ -r "$state" ] && [ "$(cat "$state")" = on ] && damon_running+=("$state")
done
if [ ${#damon_running[@]} -gt 0 ]; then
  sample_us=$(cat "$(dirname "${damon_running[0]}")"/contexts/0/monitoring_attrs/intervals/sample_us 2>/dev/null || echo '?')
  if [ "${PAUSE_DAMON:-0}" = 1 ]; then
    for state in "${damon_running[@]}"; do echo off >"$state"; done
    resume_damon() {
      for state in "${damon_running[@]}"; do
        # switching back on is refused while the monitor is still stopping
        for _ in 1 2 3 4 5 6 7 8 9 10; do echo on >"$state" 2>/dev/null && break; sleep 0.5; done
      done
    }
    trap resume_damon EXIT
    echo "DAMON: ${#damon_running[@]} monitor(s) paused for this run (sample interval ${sample_us} us)"
  else
    echo "DAMON: ${#damon_running[@]} monitor(s) running (sample interval ${sample_us} us); expect a vCPU stall at each sample. PAUSE_DAMON=1 pauses them for the run."
  fi
fi
