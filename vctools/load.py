"""The load storm engine (Issue 8): many page-like WebSocket clients connecting in bursts to the local stack,
dropping and coming back at random, then leaving; checks the count stays exact and no process leaks.

It runs in two settings:
- `tests/test_load.py` (in `make test`): one storm of 1,000 clients, a CI-sized churn;
- `make soak` (scripts/soak.py): storms of 1,000 clients until at least 10,000 function invocations have
  run, with process figures after every round. `make soak SOAK_ARGS=--short` is CI's short setting.

What a client does is what web/visitor-counter.js does: connect to `?visit=<id>` with one random id per
page load (reused on a reconnect), send `{"action":"sync"}` once open, and show the highest count it
has received (counts only grow, so a late `sync` answer never moves the page back).

What is checked (and printed as figures): the table's `visits` equals the distinct visit ids used, every
client shows that final count, ConnectionIDs is empty once all left, no handshake failed, and every
process of the stack (the gateway and its function children) kept its PID, its fd count and its RSS
within bounds from the baseline (taken after a warm-up) to the end.
"""
import asyncio
import itertools
import json
import random
import secrets
import tempfile
import time
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from vctools.local_stack import (
    Gateway,
    Moto,
    bin_path,
    connection_count,
    free_port,
    processes,
    tables_file,
    visits_in_table,
    wait_until,
)

# Leak bounds (per process, from the baseline taken after a warm-up). A leak per connection or per
# invocation would show as hundreds of fds, or as RSS growing by the same amount every round; keep-alive
# pools and allocator arenas move fds by a few, and RSS by less each round (the high-water mark of 1,000
# open connections, then fragmentation that levels off).
FD_SLACK = 16
FIRST_ROUND_RSS_KB = {"gateway": 96 * 1024, "function": 8 * 1024}
LATER_ROUND_FLOOR_KB = {"gateway": 4 * 1024, "function": 2 * 1024}


@dataclass
class StormConfig:
    """One storm: `clients` pages opened `burst` at a time, `burst_pause` seconds apart; a fraction of
    them drop (half without a close frame) and come back within `churn_seconds`, some as a new page load."""
    clients: int = 1000
    burst: int = 100
    burst_pause: float = 0.3
    reconnect_fraction: float = 0.2
    reload_fraction: float = 0.05
    reconnects_per_client: int = 1
    abrupt_fraction: float = 0.5
    churn_seconds: float = 10.0
    settle_timeout: float = 180.0


@dataclass
class PageClient:
    """One page: its visit ids, the counts it received, and what went wrong."""
    url: str
    visit_ids: list = field(default_factory=list)
    shown: int | None = None
    last: int | None = None
    frames: int = 0
    connects: int = 0
    handshake_failures: int = 0
    unexpected_closes: int = 0

    def __post_init__(self):
        self.visit_ids.append(secrets.token_urlsafe(16))
        self.ws = None
        self.reader = None
        self.closing = False

    async def open(self, attempts=8):
        """Connects as the page does, retrying a failed handshake with backoff and jitter."""
        delay = 0.25
        for attempt in range(attempts):
            try:
                self.ws = await connect(f"{self.url}?visit={self.visit_ids[-1]}", open_timeout=90,
                                        ping_interval=None, close_timeout=30)
                break
            except (InvalidHandshake, OSError, TimeoutError) as error:
                self.handshake_failures += 1
                if attempt == attempts - 1:
                    raise RuntimeError(f"handshake failed {attempts} times: {error!r}") from error
                await asyncio.sleep(random.uniform(0, delay))
                delay = min(delay * 2, 8)
        self.connects += 1
        self.closing = False
        await self.ws.send('{"action":"sync"}')
        self.reader = asyncio.create_task(self._read(self.ws))

    async def _read(self, ws):
        try:
            async for frame in ws:
                self.frames += 1
                visits = json.loads(frame).get("visits")
                if isinstance(visits, int):
                    self.last = visits
                    self.shown = visits if self.shown is None else max(self.shown, visits)
        except ConnectionClosed:
            if not self.closing:
                self.unexpected_closes += 1

    async def leave(self, abrupt=False):
        """Closes with a close frame, or drops the TCP connection without one (API Gateway reports 1006)."""
        self.closing = True
        if abrupt:
            self.ws.transport.abort()
        else:
            await self.ws.close()
        await asyncio.gather(self.reader, return_exceptions=True)

    def reload(self):
        """A new page load: a new visit id, counted once more."""
        self.visit_ids.append(secrets.token_urlsafe(16))


def invocation_counts(gateway):
    counts = {}
    for line in gateway.text().splitlines():
        if line.startswith("[gateway] invoke "):
            parts = line.split()
            key = f"{parts[2]} {parts[3].split('=')[0]}"
            counts[key] = counts.get(key, 0) + 1
            if parts[5] != "ok":
                counts["errors"] = counts.get("errors", 0) + 1
    return counts


async def storm(ws_url, moto, config, rng):
    """Runs one storm to the end (all clients gone); returns its figures."""
    started = time.monotonic()
    before = visits_in_table(moto)
    clients = [PageClient(ws_url) for _ in range(config.clients)]
    churners = set(rng.sample(range(config.clients), int(config.clients * config.reconnect_fraction)))

    async def life(index, client):
        await client.open()
        if index in churners:
            for _ in range(config.reconnects_per_client):
                await asyncio.sleep(rng.uniform(0, config.churn_seconds))
                await client.leave(abrupt=rng.random() < config.abrupt_fraction)
                await asyncio.sleep(rng.uniform(0, 0.5))
                if rng.random() < config.reload_fraction / max(config.reconnect_fraction, 1e-9):
                    client.reload()
                await client.open()

    tasks = []
    for start in range(0, config.clients, config.burst):
        tasks += [asyncio.create_task(life(i, clients[i])) for i in range(start, min(start + config.burst,
                                                                                     config.clients))]
        await asyncio.sleep(config.burst_pause)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    failures = [repr(r) for r in results if isinstance(r, BaseException)]
    connected_at = time.monotonic()

    expected = before + sum(len(c.visit_ids) for c in clients)
    deadline = time.monotonic() + config.settle_timeout
    observed = visits_in_table(moto)
    while time.monotonic() < deadline:
        observed = await asyncio.to_thread(visits_in_table, moto)
        if observed >= expected and all(c.shown == observed for c in clients if c.ws):
            break
        await asyncio.sleep(0.5)
    settled_at = time.monotonic()
    shown_final = sum(1 for c in clients if c.shown == expected)
    last_final = sum(1 for c in clients if c.last == expected)

    await asyncio.gather(*(c.leave() for c in clients if c.ws), return_exceptions=True)
    left = await asyncio.to_thread(_wait_for_empty, moto, config.settle_timeout)
    return {
        "clients": config.clients,
        "connects": sum(c.connects for c in clients),
        "reconnects": sum(c.connects for c in clients) - config.clients,
        "abruptOrClosed": len(churners) * config.reconnects_per_client,
        "distinctVisits": sum(len(c.visit_ids) for c in clients),
        "visitsExpected": expected,
        "visitsObserved": observed,
        "clientsShowingFinal": shown_final,
        "clientsWhoseLastFrameWasFinal": last_final,
        "handshakeFailures": sum(c.handshake_failures for c in clients),
        "unexpectedCloses": sum(c.unexpected_closes for c in clients),
        "clientErrors": failures[:5],
        "framesReceived": sum(c.frames for c in clients),
        "connectionIdsLeft": left,
        "secondsToConnect": round(connected_at - started, 1),
        "secondsToSettle": round(settled_at - connected_at, 1),
        "secondsToLeave": round(time.monotonic() - settled_at, 1),
    }


def _wait_for_empty(moto, timeout):
    deadline = time.time() + timeout
    count = connection_count(moto)
    while count and time.time() < deadline:
        time.sleep(0.5)
        count = connection_count(moto)
    return count


def compare(baseline, later):
    """Per process: fds and RSS growth from `baseline` to `later`, and whether the process survived."""
    rows = []
    for pid, before in sorted(baseline.items()):
        after = later.get(pid)
        rows.append({"pid": pid, "name": before["name"], "alive": after is not None,
                     "fdsBefore": before["fds"], "fdsAfter": after and after["fds"],
                     "rssKBBefore": before["rssKB"], "rssKBAfter": after and after["rssKB"]})
    return rows


def leak_problems(baseline, snapshots):
    """What breaks the bounds (empty when none), from the baseline and the snapshot after each round: a
    process that died or was replaced, fds above baseline + FD_SLACK, RSS growth in the first round above
    FIRST_ROUND_RSS_KB, or a later round growing more than half the first round's growth (or the floor)."""
    new_pids = set(snapshots[-1]) - set(baseline) if snapshots else set()
    problems = [f"new process(es) {sorted(new_pids)}: a function was restarted"] if new_pids else []
    for pid, before in sorted(baseline.items()):
        label, kind = f"{before['name']} ({pid})", "gateway" if before["name"] == "gateway" else "function"
        if any(pid not in snapshot for snapshot in snapshots):
            problems.append(f"{label} died")
            continue
        rss = [before["rssKB"]] + [snapshot[pid]["rssKB"] for snapshot in snapshots]
        fds = [snapshot[pid]["fds"] for snapshot in snapshots]
        if fds and max(fds) - before["fds"] > FD_SLACK:
            problems.append(f"{label} fds {before['fds']} -> {fds}")
        growth = [b - a for a, b in itertools.pairwise(rss)]
        if growth and growth[0] > FIRST_ROUND_RSS_KB[kind]:
            problems.append(f"{label} RSS {rss[0]} -> {rss[1]} kB in the first round")
        allowed = max(growth[0] // 2, LATER_ROUND_FLOOR_KB[kind]) if growth else 0
        if any(later > allowed for later in growth[1:]):
            problems.append(f"{label} RSS keeps growing: {rss} kB")
    return problems


class Stack:
    """moto + the gateway (instances DBUpdater processes) for a load run; a context manager."""

    def __init__(self, instances=4, name="gateway-load"):
        self.instances, self.name = instances, name

    def __enter__(self):
        self.moto = Moto()
        self.workdir = tempfile.TemporaryDirectory()
        self.gateway = None
        try:
            self.gateway = Gateway(self.moto, free_port(), bin_path(), tables_file(self.workdir.name), name=self.name,
                                   extra_args=["--instances", str(self.instances)]).start()
            wait_until(lambda: len(processes(self.gateway.process.pid)) == self.instances + 2, 30,
                       message="the function processes")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.gateway:
            self.gateway.stop()
        self.moto.close()
        self.workdir.cleanup()


def run(stack, config, rounds=1, min_invocations=0, warmup_clients=100, seed=None, log=print):
    """Warm-up, baseline, then storms until `rounds` and `min_invocations` are reached; returns the report."""
    rng = random.Random(seed if seed is not None else secrets.randbits(32))
    pid = stack.gateway.process.pid
    warm = StormConfig(clients=warmup_clients, burst=warmup_clients, reconnect_fraction=0.2, churn_seconds=2)
    report = {"warmup": asyncio.run(storm(stack.gateway.ws_url, stack.moto, warm, rng)), "rounds": []}
    time.sleep(2)
    baseline, start_counts = processes(pid), invocation_counts(stack.gateway)
    log(f"baseline after warm-up: {json.dumps(baseline)}")
    done, snapshots = 0, []
    while done < rounds or _invocations(invocation_counts(stack.gateway), start_counts) < min_invocations:
        figures = asyncio.run(storm(stack.gateway.ws_url, stack.moto, config, rng))
        time.sleep(2)
        now = processes(pid)
        figures["invocationsSinceBaseline"] = _invocations(invocation_counts(stack.gateway), start_counts)
        figures["processes"] = compare(baseline, now)
        report["rounds"].append(figures)
        snapshots.append(now)
        done += 1
        log(f"round {done}: {json.dumps(figures)}")
    report["invocations"] = {k: v - start_counts.get(k, 0) for k, v in invocation_counts(stack.gateway).items()}
    report["processes"] = compare(baseline, snapshots[-1])
    report["rssKBPerRound"] = {f"{row['name']} ({p})": [row["rssKB"]] + [s[p]["rssKB"] for s in snapshots if p in s]
                               for p, row in baseline.items()}
    report["leakProblems"] = leak_problems(baseline, snapshots)
    return report


def _invocations(counts, start):
    return sum(v - start.get(k, 0) for k, v in counts.items() if k != "errors")


def storm_problems(figures):
    """What breaks the storm's promises (empty when none)."""
    problems = []
    if figures["visitsObserved"] != figures["visitsExpected"]:
        problems.append(f"visits {figures['visitsObserved']} != expected {figures['visitsExpected']}")
    if figures["clientsShowingFinal"] != figures["clients"]:
        problems.append(f"{figures['clients'] - figures['clientsShowingFinal']} clients do not show the final count")
    if figures["connectionIdsLeft"]:
        problems.append(f"{figures['connectionIdsLeft']} connections left in ConnectionIDs")
    if figures["clientErrors"] or figures["unexpectedCloses"]:
        problems.append(f"client errors {figures['clientErrors']}, unexpected closes {figures['unexpectedCloses']}")
    return problems
