#!/usr/bin/env bash
# Start-up of `./promptway serve` to its first served request (GET /health), as a user starts it:
# through the launcher, on a fresh database each time. Prints every run and the median.
#   usage: benchmarks/startup.sh [runs=7] [launcher=./promptway]
# A second launcher (another checkout's ./promptway) makes it an interleaved A/B: the runs
# alternate, because this machine's speed drifts by a third within minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-7}
shift || true
launchers=("$@")
[ ${#launchers[@]} -gt 0 ] || launchers=("$root/promptway")
for l in "${launchers[@]}"; do "$l" --version >/dev/null; done # builds the jar and AOT cache first
python3 - "$runs" "${launchers[@]}" <<'PY'
import http.client, shutil, socket, statistics, subprocess, sys, tempfile, time
runs, launchers = int(sys.argv[1]), sys.argv[2:]
times = {l: [] for l in launchers}

def once(launcher):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    state = tempfile.mkdtemp(prefix="promptway-startup-")
    start = time.monotonic()
    p = subprocess.Popen([launcher, "serve", "--port", str(port), "--db", state + "/state"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + 60
    try:
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/health"); r = c.getresponse(); r.read()
                if r.status < 500: return (time.monotonic() - start) * 1000
            except OSError:
                time.sleep(0.002)
        sys.exit(f"{launcher} serve: no answer on port {port} within 60 s")
    finally:
        p.terminate(); p.wait()
        shutil.rmtree(state, ignore_errors=True)

for _ in range(runs):
    for l in launchers:
        times[l].append(once(l))
for l, t in times.items():
    print(f"{l}: median {statistics.median(t):.0f} ms; runs {' '.join(f'{x:.0f}' for x in t)}")
PY
