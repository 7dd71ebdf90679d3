"""A/B of bootstraps for bench/history.md: the same measurement for several builds, interleaved run by run
so machine load falls on all alike. Medians of CPU per message (fan-out, 10,000 connections; each build's process
serves a warm-up broadcast, then 3 timed ones, each followed by a run of the curl-multi floor for a paired ratio)
and CPU per warm `$connect` (utime+stime of the function process, as in bench/bench_run.py).

  .venv/bin/python bench/ab.py <runs> name=DBStreamProcessor-bootstrap,DBUpdater-bootstrap ...
"""
import os
import statistics
import sys

import bench_run

from vctools.paths import ROOT

runs = int(sys.argv[1])
builds = [(arg.split("=")[0], arg.split("=")[1].split(",")) for arg in sys.argv[2:]]
binaries = os.path.join(ROOT, ".build-lambda", "bench")
env = bench_run.base_env({"AWS_ACCESS_KEY_ID": "AKIDBENCHMARK", "AWS_SECRET_ACCESS_KEY": "bench-secret",
                          "AWS_SESSION_TOKEN": "bench-session-token"})
n = 10000
mgmt = bench_run.LoopbackAPI(os.path.join(binaries, "loopback_api"), 1000)
standin = bench_run.DynamoDBStandIn(n)
dynamodb = bench_run.LoopbackAPI(os.path.join(binaries, "loopback_api"), 0, "application/x-amz-json-1.0")
fan = {name: [] for name, _ in builds}
connect = {name: [] for name, _ in builds}
try:
    for _ in range(runs):
        for name, (processor, updater) in builds:
            runtime = bench_run.RuntimeAPI()
            proc = bench_run.Contender(name, [processor], env).spawn(
                runtime, {"AWS_ENDPOINT_URL": standin.endpoint, "WEBSOCKET_API_ENDPOINT": mgmt.url + "/bench",
                          "FANOUT_CONCURRENCY": "64"})
            try:
                bench_run.fanout_once(runtime, proc, mgmt, n)
                for _ in range(3):
                    row = bench_run.fanout_once(runtime, proc, mgmt, n)
                    floor = bench_run.floor_once({"floor_fanout": os.path.join(binaries, "floor_fanout")},
                                                 mgmt.url + "/bench", mgmt, n)
                    row["vsFloor"] = row["perSecond"] / floor["perSecond"]
                    fan[name].append(row)
            finally:
                proc.kill()
                proc.wait()
                runtime.close()
            warm = bench_run.measure_warm_connect([bench_run.Contender(name, [updater], env)], 1000, dynamodb.url)
            connect[name].append(warm[name])
finally:
    mgmt.close()
    dynamodb.close()
    standin.close()
print("| build | fan-out CPU/message | fan-out messages/s | of the floor (paired) | invocation | warm `$connect` CPU | warm `$connect` p50 |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, _ in builds:
    cpu = statistics.median(r["cpuSeconds"] for r in fan[name]) / n * 1e6
    rate = statistics.median(r["perSecond"] for r in fan[name])
    ccpu = statistics.median(r["cpuMs"] for r in connect[name])
    p50 = statistics.median(r["p50"] for r in connect[name])
    ratio = statistics.median(r["vsFloor"] for r in fan[name])
    invocation = statistics.median(r["invocationSeconds"] for r in fan[name])
    print(f"| {name} | {cpu:.0f} µs | {rate:,.0f} | {ratio * 100:.0f} % | {invocation:.2f} s | {ccpu:.3f} ms | {p50:.3f} ms |")
