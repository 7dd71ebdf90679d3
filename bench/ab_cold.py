#!/usr/bin/env python3
"""Cold starts of several programs side by side (docs/benchmarks.md, round 3): fresh processes, interleaved run by
run, the `$connect` event already queued on the loopback Runtime API (bench/runtime_api.py), DynamoDB the instant
stand-in (bench/loopback_api.c, built by `make bench`). Prints the medians and minima of spawn → first `/next` and
spawn → first response as a Markdown table.

  bench/ab_cold.py RUNS NAME=PROGRAM[|VAR=VALUE...] ...

e.g. `bench/ab_cold.py 20 "before=/tmp/old/bootstrap" "after=.build-lambda/bench/bin/DBUpdater/bootstrap"
"no libcurl=.build-lambda/bench/bin/DBUpdater/bootstrap|VC_TEST_LIBCURL_PATHS=/nonexistent"`.
"""
import os
import statistics
import subprocess
import sys
import time

import bench_run
from runtime_api import RuntimeAPI

from vctools.paths import ROOT


def main():
    runs = int(sys.argv[1])
    contenders = {}
    for spec in sys.argv[2:]:
        name, program = spec.split("=", 1)
        parts = program.split("|")
        contenders[name] = (parts[0], dict(p.split("=", 1) for p in parts[1:]))
    api = bench_run.LoopbackAPI(os.path.join(ROOT, ".build-lambda", "bench", "loopback_api"), 0, "application/x-amz-json-1.0")
    env = bench_run.base_env({"AWS_ACCESS_KEY_ID": "AKIDBENCHMARK", "AWS_SECRET_ACCESS_KEY": "bench-secret",
                              "AWS_SESSION_TOKEN": "bench-session-token", "AWS_ENDPOINT_URL": api.url})
    results = {name: ([], []) for name in contenders}
    try:
        for run in range(runs):
            for name, (program, extra) in contenders.items():
                runtime = RuntimeAPI()
                runtime.events.put((f"cold-{run}", bench_run.connect_event(run)))
                started = time.monotonic_ns()
                proc = subprocess.Popen([program], env=dict(env, AWS_LAMBDA_RUNTIME_API=runtime.address, **extra),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    _, _, _, done = runtime.results.get(timeout=30)
                finally:
                    proc.kill()
                    proc.wait()
                    runtime.close()
                results[name][0].append((runtime.next_arrivals[0] - started) / 1e6)
                results[name][1].append((done - started) / 1e6)
    finally:
        api.close()
    print(f"load average {os.getloadavg()[0]:.1f}, {runs} runs each\n")
    print("| program | first `/next` (median) | min | first response (median) | min |\n|---|---:|---:|---:|---:|")
    for name, (nexts, responses) in results.items():
        print(f"| {name} | {statistics.median(nexts):.2f} ms | {min(nexts):.2f} ms | "
              f"{statistics.median(responses):.2f} ms | {min(responses):.2f} ms |")


if __name__ == "__main__":
    main()
