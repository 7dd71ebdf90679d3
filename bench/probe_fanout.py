"""Runs one contender's fan-out on its own, for profiling (`perf record`, `valgrind --tool=callgrind`):

  .venv/bin/python bench/probe_fanout.py <count> <repeats> -- <command...>

Starts the 1 ms Management API and the DynamoDB stand-in, runs `command` as the function on a loopback
Runtime API and prints each broadcast's figures. The command may be a wrapper (perf record -g -- bootstrap).
"""
import json
import os
import sys

import bench_run

from vctools.paths import ROOT

count, repeats = int(sys.argv[1]), int(sys.argv[2])
command = sys.argv[sys.argv.index("--") + 1:]
binaries = os.path.join(ROOT, ".build-lambda", "bench")
mgmt = bench_run.LoopbackAPI(os.path.join(binaries, "loopback_api"), int(os.environ.get("PROBE_DELAY_US", "1000")))
standin = bench_run.DynamoDBStandIn(count)
runtime = bench_run.RuntimeAPI()
env = bench_run.base_env({"AWS_ACCESS_KEY_ID": "AKIDBENCHMARK", "AWS_SECRET_ACCESS_KEY": "bench-secret",
                          "AWS_SESSION_TOKEN": "bench-session-token", "AWS_ENDPOINT_URL": standin.endpoint,
                          "WEBSOCKET_API_ENDPOINT": mgmt.url + "/bench", "FANOUT_CONCURRENCY": "64",
                          "BENCH_HANDLER": os.environ.get("BENCH_HANDLER", "fanout_pool")})
proc = bench_run.Contender("probe", command, env).spawn(runtime)
try:
    for _ in range(repeats):
        row = bench_run.fanout_once(runtime, proc, mgmt, count)
        row["connections"] = mgmt.stats()["connections"]
        print(json.dumps(row), flush=True)
finally:
    proc.terminate()
    proc.wait()
    runtime.close()
    mgmt.close()
    standin.close()
