#!/usr/bin/env python3
"""Measures VisitorCounter's functions against a Python/boto3 equivalent and a C floor, in one run, on
loopback, and writes docs/benchmarks.md (issue 7). Run through `make bench` (scripts/bench.sh builds
what this needs first); BENCH_QUICK=1 makes a short run for development. The other bench/*.py modules it
imports sit next to it (Python puts a script's own folder first on the import path).

  bench_run.py --bin DIR --floor DIR [--out docs/benchmarks.md] [--quick]

1. cold start: spawn → first GET /next and spawn → first `$connect` response (moto, auth on, session
   credentials); medians of fresh processes, the contenders interleaved so machine load hits all alike; then
   again with the page cache emptied before each spawn (drop_caches where permitted, else posix_fadvise
   DONTNEED on each contender's own files). Floors: C + libcurl, and C over a raw socket.
2. warm `$connect` against a DynamoDB stand-in that answers `{}` at once: latency (hand-out → response)
   and CPU per invocation (/proc/<pid>/stat utime+stime over many invocations).
3. fan-out to 1,000 and 10,000 connections through a Management API that answers after 1 ms.
4. footprint: stripped bootstrap, deployment zip, peak RSS (VmHWM) during the 10,000 fan-out.
"""
import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import zipfile

import bench_report
from dynamodb_standin import DynamoDBStandIn
from runtime_api import RuntimeAPI

from vctools.local_stack import Moto
from vctools.paths import ROOT, VENV_PYTHON

PYTHON = str(VENV_PYTHON)
HZ = os.sysconf("SC_CLK_TCK")
COLD_EVENTS = itertools.count(1)


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def cpu_seconds(pid):
    """utime + stime of the whole process (all threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


class LoopbackAPI:
    """bench/loopback_api.c as a child process: the 1 ms Management API or the instant DynamoDB."""

    def __init__(self, binary, delay_us, content_type="application/json"):
        self.proc = subprocess.Popen([binary, "--delay-us", str(delay_us), "--content-type", content_type],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.port = int(self.proc.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}"

    def stats(self, reset=False):
        import urllib.request
        request = urllib.request.Request(self.url + ("/__reset" if reset else "/__stats"), method="POST" if reset else "GET",
                                         data=b"" if reset else None)
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


class Contender:
    """One way of running a function: a command line and its environment."""

    def __init__(self, name, argv, env):
        self.name, self.argv, self.env = name, argv, env

    def spawn(self, runtime, extra_env=None):
        env = dict(self.env, AWS_LAMBDA_RUNTIME_API=runtime.address, **(extra_env or {}))
        return subprocess.Popen(self.argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)


def base_env(extra):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "AWS_REGION": "us-east-1",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_LAMBDA_FUNCTION_NAME": "bench", "LOG_LEVEL": "info",
           "VISITOR_COUNT_TABLE": "VisitorCount", "CONNECTIONS_TABLE": "ConnectionIDs", "PYTHONDONTWRITEBYTECODE": "1"}
    env.update(extra)
    return env


def connect_event(index):
    with open(os.path.join(ROOT, "events", "connect.json")) as f:
        event = json.load(f)
    event["requestContext"]["connectionId"] = f"bench{index:010d}A="
    event["queryStringParameters"] = {"visit": f"bench-visit-{index:08d}-{os.getpid()}"}
    event["multiValueQueryStringParameters"] = {"visit": [event["queryStringParameters"]["visit"]]}
    return json.dumps(event).encode()


def stream_event():
    with open(os.path.join(ROOT, "events", "stream-batch.json")) as f:
        return f.read().encode()


# --------------------------------------------------------------------------------------------- moto


def start_moto():
    """scripts/moto_server.py (signature checking on) with the two tables; (moto, endpoint, session keys, client)."""
    moto = Moto()
    session = moto.credentials
    creds = {"AWS_ACCESS_KEY_ID": session["accessKeyId"], "AWS_SECRET_ACCESS_KEY": session["secretAccessKey"],
             "AWS_SESSION_TOKEN": session["sessionToken"]}
    client = moto.dynamodb()
    for table, key in (("VisitorCount", "id"), ("ConnectionIDs", "connectionId")):
        client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}])
    return moto, moto.endpoint, creds, client


# --------------------------------------------------------------------------------------------- measurements


def measure_loopback_ceiling(binaries, quick):
    """The 1 ms Management API's own ceiling: loaded by two floor senders at once (128 in flight each, four
    times the fan-out's 64 in all). Its CPU per request gives the rate one core could serve (it is one thread)."""
    count = 10000 if quick else 30000
    server = LoopbackAPI(binaries["loopback_api"], 1000)
    try:
        cpu_before = cpu_seconds(server.proc.pid)
        senders = [subprocess.Popen([binaries["floor_fanout"], server.url + "/bench/%40connections", str(count), "128"],
                                    stdout=subprocess.PIPE, text=True) for _ in range(2)]
        for sender in senders:
            sender.communicate()
        cpu = cpu_seconds(server.proc.pid) - cpu_before
        stats = server.stats()
    finally:
        server.close()
    seconds = (stats["last_ns"] - stats["first_ns"]) / 1e9
    return {"requests": stats["requests"], "perSecond": stats["requests"] / seconds,
            "cpuUsPerRequest": cpu / stats["requests"] * 1e6, "perCoreSecond": stats["requests"] / cpu if cpu > 0 else float("inf")}


def shared_libraries(path):
    """The files the dynamic loader maps for `path` (ldd), the program itself first."""
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    files = [path]
    for line in out.splitlines():
        parts = line.split("=>")
        target = (parts[1] if len(parts) > 1 else parts[0]).strip().split(" (")[0].strip()
        if target.startswith("/") and os.path.exists(target):
            files.append(os.path.realpath(target))
    return files


def libcurl_path():
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith("libcurl.so.4 ") and "=>" in line:
            return line.split("=>")[1].strip()
    return None


def drop_caches_permitted():
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def evict(files):
    """Drops the clean page-cache pages of `files` (posix_fadvise DONTNEED: no privilege needed). Pages that
    another running process has mapped stay (libc's, for one), so this is the function's own files gone cold."""
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def measure_cold_start(contenders, runs, moto_endpoint, cold_cache=None):
    """Fresh process per run, the `$connect` event already queued: spawn → first /next, spawn → response.
    `cold_cache` ("drop_caches" or "fadvise"): the page cache is emptied before each spawn, all of it where
    /proc/sys/vm/drop_caches is writable, else the contender's own files (program, its libraries, libcurl's)."""
    results = {c.name: {"next": [], "response": [], "errors": 0} for c in contenders}
    files = {}
    if cold_cache == "fadvise":
        curl = libcurl_path()
        for c in contenders:
            files[c.name] = shared_libraries(c.argv[0]) + (shared_libraries(curl) if curl else [])
    for run in range(runs):
        for contender in contenders:
            # Numbered across every cold-start pass: a visit id seen before would (rightly) not count again.
            index = next(COLD_EVENTS)
            runtime = RuntimeAPI()
            runtime.events.put((f"cold-{index:06d}", connect_event(index)))
            if cold_cache == "drop_caches":
                drop_caches_permitted()
            elif cold_cache == "fadvise":
                evict(files[contender.name])
            started = time.monotonic_ns()
            proc = contender.spawn(runtime, {"AWS_ENDPOINT_URL": moto_endpoint})
            try:
                kind, body, _, done = runtime.results.get(timeout=60)
            finally:
                proc.kill()
                proc.wait()
                runtime.close()
            if kind != "response" or b'"statusCode":200' not in body.replace(b" ", b""):
                results[contender.name]["errors"] += 1
                log(f"  cold start {contender.name}: {kind} {body[:200]!r}")
                continue
            results[contender.name]["next"].append((runtime.next_arrivals[0] - started) / 1e6)
            results[contender.name]["response"].append((done - started) / 1e6)
        if run % 10 == 9:
            log(f"  cold start: {run + 1}/{runs} runs")
    return results


def measure_warm_connect(contenders, invocations, dynamodb_url):
    """One process per contender; `warm-up` invocations first, then latency and CPU over `invocations`."""
    results = {}
    for contender in contenders:
        runtime = RuntimeAPI()
        proc = contender.spawn(runtime, {"AWS_ENDPOINT_URL": dynamodb_url})
        try:
            for i in range(50):
                runtime.invoke(connect_event(i))
            events = [connect_event(1000 + i) for i in range(invocations)]
            latencies, errors = [], 0
            cpu_before = cpu_seconds(proc.pid)
            wall_before = time.monotonic()
            for event in events:
                kind, _, handed, done = runtime.invoke(event)
                errors += kind != "response"
                latencies.append((done - handed) / 1e6)
            wall = time.monotonic() - wall_before
            cpu = cpu_seconds(proc.pid) - cpu_before
            hwm = peak_rss_kb(proc.pid)
        finally:
            proc.kill()
            proc.wait()
            runtime.close()
        results[contender.name] = {
            "p50": percentile(latencies, 50), "p99": percentile(latencies, 99), "cpuMs": cpu / invocations * 1000,
            "perSecond": invocations / wall, "errors": errors, "invocations": invocations, "peakRSSKB": hwm}
        log(f"  warm $connect {contender.name}: p50 {results[contender.name]['p50']:.3f} ms, "
            f"cpu {results[contender.name]['cpuMs']:.3f} ms/inv")
    return results


def fanout_once(runtime, proc, mgmt, count):
    mgmt.stats(reset=True)
    cpu_before = cpu_seconds(proc.pid)
    kind, body, handed, done = runtime.invoke(stream_event(), timeout=600)
    stats = mgmt.stats()
    window = (stats["last_ns"] - stats["first_ns"]) / 1e9 if stats["requests"] else float("nan")
    return {"ok": kind == "response", "requests": stats["requests"], "sendSeconds": window,
            "invocationSeconds": (done - handed) / 1e9, "cpuSeconds": cpu_seconds(proc.pid) - cpu_before,
            "perSecond": count / window if window > 0 else 0.0, "body": body[:200].decode(errors="replace")}


def signed_header_lines(endpoint, env):
    """Header lines as long as the ones SigV4 makes DBStreamProcessor send to `endpoint` (with `env`'s key id,
    token and region): Host, X-Amz-Date, X-Amz-Security-Token and Authorization with a dummy signature. The floor
    sends them unsigned, to show what those bytes alone cost (docs/benchmarks.md)."""
    host = endpoint.split("://", 1)[1].split("/", 1)[0]
    scope = f"20261129/{env['AWS_REGION']}/execute-api/aws4_request"
    return [f"Host: {host}", "X-Amz-Date: 20261129T120000Z", f"X-Amz-Security-Token: {env['AWS_SESSION_TOKEN']}",
            f"Authorization: AWS4-HMAC-SHA256 Credential={env['AWS_ACCESS_KEY_ID']}/{scope}, "
            f"SignedHeaders=host;x-amz-date;x-amz-security-token, Signature={'0' * 64}"]


def floor_once(binaries, endpoint, mgmt, n, headers=()):
    """One run of the curl-multi floor sender (a fresh process: it has no warm state to keep)."""
    mgmt.stats(reset=True)
    proc = subprocess.Popen([binaries["floor_fanout"], endpoint + "/%40connections", str(n), "64", *headers],
                            stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    out = json.loads(proc.stdout.read() or "{}")
    stats = mgmt.stats()
    window = (stats["last_ns"] - stats["first_ns"]) / 1e9 if stats["requests"] else float("nan")
    return {"ok": status == 0, "requests": stats["requests"], "sendSeconds": window,
            "invocationSeconds": out.get("seconds", float("nan")), "cpuSeconds": usage.ru_utime + usage.ru_stime,
            "perSecond": n / window if window > 0 else 0.0, "peakRSSKB": out.get("peakRSSKB", 0)}


def median_run(runs, n):
    best = dict(sorted(runs, key=lambda r: r["perSecond"])[len(runs) // 2])
    best["allOk"] = all(r["ok"] and r["requests"] == n for r in runs)
    best["runs"] = len(runs)
    best["cpuUsPerMessage"] = statistics.median(r["cpuSeconds"] for r in runs) / n * 1e6
    return best


def measure_fanout(contenders, binaries, sizes, repeats, sequential_max):
    """Each function process serves a warm-up broadcast, then timed ones, per size. The floor's runs (plain, and
    with SigV4's header bytes) alternate with DBStreamProcessor's (same moment, same machine load); each ratio is
    the median of the runs' ratios. `repeats` maps a contender to its number of timed runs."""
    mgmt = LoopbackAPI(binaries["loopback_api"], 1000)
    endpoint = mgmt.url + "/bench"
    standin = {n: DynamoDBStandIn(n) for n in sizes}
    results = {"floor": {}, "floor-headers": {}}
    pair_ratios, header_ratios = {}, {}
    try:
        for contender in contenders:
            rows = {}
            for n in sizes:
                if contender.name == "python-sequential" and n > sequential_max:
                    continue
                runtime = RuntimeAPI()
                proc = contender.spawn(runtime, {"AWS_ENDPOINT_URL": standin[n].endpoint, "WEBSOCKET_API_ENDPOINT": endpoint,
                                                 "FANOUT_CONCURRENCY": "64"})
                try:
                    fanout_once(runtime, proc, mgmt, n)  # warm-up: connections, code paths
                    runs, floors, header_floors = [], [], []
                    headers = signed_header_lines(endpoint, contender.env)
                    for _ in range(repeats[contender.name]):
                        runs.append(fanout_once(runtime, proc, mgmt, n))
                        if contender.name == "swift":
                            floors.append(floor_once(binaries, endpoint, mgmt, n))
                            header_floors.append(floor_once(binaries, endpoint, mgmt, n, headers))
                    rss = peak_rss_kb(proc.pid)
                finally:
                    proc.kill()
                    proc.wait()
                    runtime.close()
                rows[n] = median_run(runs, n)
                rows[n]["peakRSSKB"] = rss
                if floors:
                    results["floor"][n] = median_run(floors, n)
                    results["floor-headers"][n] = median_run(header_floors, n)
                    pair_ratios[n] = statistics.median(a["perSecond"] / b["perSecond"] for a, b in zip(runs, floors))
                    header_ratios[n] = statistics.median(a["perSecond"] / b["perSecond"] for a, b in zip(runs, header_floors))
                    log(f"  fan-out floor {n}: {results['floor'][n]['perSecond']:.0f} msg/s, with SigV4's header bytes "
                        f"{results['floor-headers'][n]['perSecond']:.0f} msg/s")
                log(f"  fan-out {contender.name} {n}: {rows[n]['perSecond']:.0f} msg/s, "
                    f"{rows[n]['cpuUsPerMessage']:.0f} us CPU/msg, rss {rss} KB, ok {rows[n]['allOk']}")
            results[contender.name] = rows
    finally:
        mgmt.close()
        for s in standin.values():
            s.close()
    results["pairRatios"] = pair_ratios
    results["headerPairRatios"] = header_ratios
    return results


def measure_footprint(bin_dir):
    out = {}
    for product in ("DBUpdater", "DBStreamProcessor"):
        path = os.path.join(bin_dir, product, "bootstrap")
        zip_path = f"/tmp/bench-{product}-{os.getpid()}.zip"
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(path, "bootstrap")
        kind = subprocess.run(["file", "-b", path], capture_output=True, text=True).stdout.strip()
        out[product] = {"bytes": os.path.getsize(path), "zipBytes": os.path.getsize(zip_path),
                        "stripped": "not stripped" not in kind}
        os.unlink(zip_path)
    return out


def machine():
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
        except OSError:
            return "?"
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    import boto3
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(), "load": os.getloadavg(),
            "swift": run(["swift", "--version"]).splitlines()[0] if run(["swift", "--version"]) else "?",
            "python": platform.python_version(), "boto3": boto3.__version__,
            "curl": run(["curl", "--version"]).splitlines()[0], "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", help="directory with DBUpdater/bootstrap and DBStreamProcessor/bootstrap")
    parser.add_argument("--floor", help="directory with loopback_api, floor_runtime, floor_socket, floor_fanout")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    parser.add_argument("--json", default=None, help="also write the raw figures here")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--render", metavar="FIGURES_JSON",
                        help="measure nothing: rewrite the page from a run's --json figures (after editing bench/history.md)")
    args = parser.parse_args()
    if args.render:
        with open(args.render) as f:
            figures = json.load(f)
        # JSON turned the connection counts into strings.
        fan = figures["fanout"]
        for name in fan:
            fan[name] = {int(n): row for n, row in fan[name].items()}
        with open(args.out, "w") as f:
            f.write(bench_report.render(figures, os.path.join(ROOT, "bench", "history.md")))
        print(bench_report.summary(figures))
        return
    if not args.bin or not args.floor:
        parser.error("--bin and --floor are required unless --render is given")
    quick = args.quick
    binaries = {name: os.path.join(args.floor, name) for name in ("loopback_api", "floor_runtime", "floor_socket", "floor_fanout")}
    updater = os.path.join(args.bin, "DBUpdater", "bootstrap")
    processor = os.path.join(args.bin, "DBStreamProcessor", "bootstrap")
    py_bootstrap = os.path.join(ROOT, "bench", "python_bootstrap.py")
    figures = {"quick": quick, "machine": machine()}
    started = time.monotonic()

    log("==> loopback Management API ceiling")
    figures["ceiling"] = measure_loopback_ceiling(binaries, quick)
    log(f"  {figures['ceiling']['perSecond']:.0f} req/s")

    log("==> cold start (moto, auth on, session credentials)")
    moto, moto_endpoint, creds, moto_client = start_moto()
    try:
        env = base_env(creds)
        contenders = [Contender("swift", [updater], env),
                      Contender("python", [PYTHON, py_bootstrap], dict(env, BENCH_HANDLER="connect")),
                      Contender("floor", [binaries["floor_runtime"]], env),
                      Contender("floor-socket", [binaries["floor_socket"]], env)]
        figures["cold"] = measure_cold_start(contenders, 5 if quick else 30, moto_endpoint)
        # The cold-page-cache mode: Python is left out (its thousands of files make each eviction slow).
        figures["coldCacheMode"] = "drop_caches" if drop_caches_permitted() else "fadvise"
        log(f"==> cold start, page cache emptied before each spawn ({figures['coldCacheMode']})")
        figures["coldCache"] = measure_cold_start([c for c in contenders if c.name != "python"], 5 if quick else 30,
                                                  moto_endpoint, figures["coldCacheMode"])
        item = moto_client.get_item(TableName="VisitorCount", Key={"id": {"S": "visitors"}}).get("Item", {})
        figures["coldVisitsCounted"] = int(item.get("visits", {}).get("N", "0"))
    finally:
        moto.close()

    log("==> warm $connect (DynamoDB stand-in answering {} at once)")
    dynamodb = LoopbackAPI(binaries["loopback_api"], 0, "application/x-amz-json-1.0")
    try:
        env = base_env({"AWS_ACCESS_KEY_ID": "AKIDBENCHMARK", "AWS_SECRET_ACCESS_KEY": "bench-secret",
                        "AWS_SESSION_TOKEN": "bench-session-token"})
        contenders = [Contender("swift", [updater], env),
                      Contender("python", [PYTHON, py_bootstrap], dict(env, BENCH_HANDLER="connect")),
                      Contender("floor", [binaries["floor_runtime"]], env)]
        # The first `$connect` with a DynamoDB that answers at once: what the start itself costs before the
        # first response (moto's signature check, several ms a call, would hide it).
        log("==> cold start, DynamoDB stand-in answering {} at once")
        figures["coldStandIn"] = measure_cold_start([c for c in contenders if c.name != "python"] +
                                                    [Contender("floor-socket", [binaries["floor_socket"]], env)],
                                                    5 if quick else 30, dynamodb.url)
        # At least 1,000: VmHWM after 1,000 warm `$connect`s is one of the figures.
        figures["warm"] = measure_warm_connect(contenders, 1000 if quick else 2000, dynamodb.url)
    finally:
        dynamodb.close()

    log("==> fan-out (Management API answering after 1 ms)")
    env = base_env({"AWS_ACCESS_KEY_ID": "AKIDBENCHMARK", "AWS_SECRET_ACCESS_KEY": "bench-secret",
                    "AWS_SESSION_TOKEN": "bench-session-token"})
    contenders = [Contender("swift", [processor], env),
                  Contender("python-pool", [PYTHON, py_bootstrap], dict(env, BENCH_HANDLER="fanout_pool")),
                  Contender("python-sequential", [PYTHON, py_bootstrap], dict(env, BENCH_HANDLER="fanout_sequential"))]
    # DBStreamProcessor and the floors alternate 9 times: the send rates follow the shared machine's load from
    # second to second, and the median of 9 paired ratios is steadier than one of 5.
    repeats = {"swift": 2 if quick else 9, "python-pool": 2 if quick else 3, "python-sequential": 1}
    figures["fanout"] = measure_fanout(contenders, binaries, [1000, 10000], repeats, 1000 if quick else 10000)

    figures["footprint"] = measure_footprint(args.bin)
    figures["seconds"] = time.monotonic() - started
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1, default=str)
    text = bench_report.render(figures, os.path.join(ROOT, "bench", "history.md"))
    with open(args.out, "w") as f:
        f.write(text)
    print(bench_report.summary(figures))
    log(f"==> wrote {os.path.relpath(args.out, ROOT)} in {figures['seconds']:.0f} s")


if __name__ == "__main__":
    main()
