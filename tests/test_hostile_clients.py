"""Hostile clients on the local stack (Issue 8): what API Gateway refuses must be refused here too, cheaply,
never counted, and the gateway and its functions must live on. Each test writes its figures to
test-artifacts/hostile-<test>.json (docs/reliability-load.md quotes them).

The stack runs with --allowed-origins, so every well-behaved client below sends the allowed Origin.
"""
import asyncio
import json
import secrets
import statistics
import time

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from vctools.load import FD_SLACK
from vctools.local_stack import connection_count, processes, running_stack, visits_in_table, wait_until
from vctools.paths import ARTIFACTS

ALLOWED = "https://allowed.example"


@pytest.fixture(scope="module")
def stack():
    with running_stack("gateway-hostile", ["--instances", "2", "--allowed-origins", ALLOWED]) as (moto, gateway):
        wait_until(lambda: len(processes(gateway.process.pid)) == 4, 30, message="the function processes")
        yield moto, gateway


def table_state(moto):
    """What a hostile client must not change: the count, the open connections, the visit markers."""
    markers = moto.dynamodb().scan(TableName="VisitorCount", Select="COUNT", ConsistentRead=True,
                                   FilterExpression="begins_with(id, :v)",
                                   ExpressionAttributeValues={":v": {"S": "visit#"}})["Count"]
    return {"visits": visits_in_table(moto), "connections": connection_count(moto), "visitMarkers": markers}


def refusals(gateway):
    """`$connect` invocations that DBUpdater answered with 403."""
    return sum(1 for line in gateway.text().splitlines()
               if line.startswith("[gateway] invoke DBUpdater $connect ") and line.endswith("status=403"))


def write_figures(name, figures):
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"hostile-{name}.json").write_text(json.dumps(figures, indent=2))


def opened(gateway, visit=None):
    return connect(f"{gateway.ws_url}?visit={visit or secrets.token_urlsafe(16)}", origin=ALLOWED,
                   ping_interval=None, open_timeout=60)


async def sync(ws, timeout=60, at_least=None):
    """Sends sync and returns the count of the first count frame that comes back (with `at_least`: the first
    one at least that high). A broadcast of an older count may reach a new connection before the sync answer,
    as in production; the page ignores smaller totals, and so does a test that knows what it waits for."""
    await ws.send('{"action":"sync"}')
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if "visits" in message and (at_least is None or message["visits"] >= at_least):
            return message["visits"]


def survivors(gateway, before):
    """The gateway and every function process it had at `before` still run (no crash, no restart)."""
    now = processes(gateway.process.pid)
    assert gateway.process.poll() is None, "the gateway died"
    assert set(now) == set(before), f"processes changed: {before} -> {now}"
    assert "exited with status" not in gateway.text()
    return now


def test_non_allowed_origins_are_refused_and_write_nothing(stack):
    moto, gateway = stack
    before, pids = table_state(moto), processes(gateway.process.pid)
    refused_before = refusals(gateway)
    origins = ["https://evil.example", "http://allowed.example", "https://allowed.example.evil.com", "null", None]

    async def attempt(origin):
        try:
            async with connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}", origin=origin,
                               ping_interval=None, open_timeout=60):
                return "accepted"
        except InvalidStatus as error:
            return error.response.status_code

    async def scenario():
        statuses = await asyncio.gather(*(attempt(o) for o in origins * 20))
        async with opened(gateway) as ws:
            return statuses, await sync(ws)

    statuses, visits_after_good_client = asyncio.run(scenario())
    wait_until(lambda: connection_count(moto) == before["connections"], 30, message="the good client's $disconnect")
    after = table_state(moto)
    refused = refusals(gateway) - refused_before
    write_figures("origins", {"attempts": len(statuses), "refusedStatuses": sorted(set(map(str, statuses))),
                              "dbUpdater403": refused, "before": before, "after": after})
    assert "accepted" not in statuses and all(400 <= s < 500 for s in statuses)
    assert refused == len(origins) * 20, "each refusal is DBUpdater's 403, not a gateway accident"
    # Nothing written: one more visit (the allowed client) and no marker, connection or count from the rest.
    assert visits_after_good_client == before["visits"] + 1
    assert after == dict(before, visits=before["visits"] + 1, visitMarkers=before["visitMarkers"] + 1)
    survivors(gateway, pids)


def test_oversized_frames_and_messages_close_with_1009(stack):
    moto, gateway = stack
    before, pids = table_state(moto), processes(gateway.process.pid)
    syncs_before = gateway.invocations("sync")
    head, tail = '{"action":"sync","pad":"', '"}'

    async def close_code(payload):
        async with opened(gateway) as ws:
            await ws.send(payload)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(ws.recv(), 30)
            return closed.value.rcvd.code if closed.value.rcvd else None

    async def scenario():
        codes = {
            # One frame over API Gateway's 32 KB frame limit (below the 128 KB message limit).
            "frame40KB": await close_code(head + "x" * 40_000 + tail),
            # A message over 128 KB in frames of 30 KB each.
            "message150KBIn30KBFrames": await close_code(iter([head, *["x" * 30_000] * 5, tail])),
            "frame1MB": await close_code(head + "x" * 1_000_000 + tail),
            "binaryFrame200KB": await close_code(bytes(200_000)),
        }
        # Within both limits: a 100 KB message in 25 KB frames is an ordinary sync.
        async with opened(gateway) as ws:
            await ws.send(iter([head, *["x" * 25_000] * 4, tail]))
            reply = json.loads(await asyncio.wait_for(ws.recv(), 60))
        return codes, reply

    codes, reply = asyncio.run(scenario())
    wait_until(lambda: connection_count(moto) == before["connections"], 30, message="the $disconnects")
    after = table_state(moto)
    write_figures("oversized", {"closeCodes": codes, "reply100KB": reply, "syncInvocations":
                                gateway.invocations("sync") - syncs_before, "before": before, "after": after})
    assert set(codes.values()) == {1009}, codes
    assert "visits" in reply
    # Only the 100 KB message reached DBUpdater; the five connections were counted once each, nothing else.
    assert gateway.invocations("sync") - syncs_before == 1
    assert after["visits"] == before["visits"] + 5 and after["connections"] == before["connections"]
    survivors(gateway, pids)


def test_unknown_actions_get_forbidden_and_invoke_nothing(stack):
    moto, gateway = stack
    pids = processes(gateway.process.pid)
    junk = ['{"action":"no-such-route"}', '{"action":"$connect"}', '{"action":"$disconnect"}',
            '{"action":"$default"}', '{"action":5}', '{"action":null}', '{}', '[]', '"sync"', 'not json',
            '{"action":"sync"', '{"action":"SYNC"}', '{"Action":"sync"}', "", b"\x00\xff binary",
            '{"action":"sync' + "\u0000" + '"}']

    async def scenario():
        async with opened(gateway) as ws:
            visits = await sync(ws)
            before = table_state(moto), {r: gateway.invocations(r) for r in ("$connect", "sync", "$disconnect")}
            frames = []
            for body in junk:
                await ws.send(body)
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), 30)))
            after = table_state(moto), {r: gateway.invocations(r) for r in ("$connect", "sync", "$disconnect")}
            return visits, before, frames, after, await sync(ws)

    visits, before, frames, after, visits_again = asyncio.run(scenario())
    write_figures("unknown-actions", {"sent": len(junk), "answers": frames[:3], "before": before, "after": after})
    assert [f["message"] for f in frames] == ["Forbidden"] * len(junk)
    assert all(len(f["connectionId"]) == 16 and f["requestId"] for f in frames)
    assert after == before, "an unknown action invoked DBUpdater or wrote something"
    assert visits_again == visits
    survivors(gateway, pids)


def test_a_flood_from_one_client_is_served_in_turn_and_never_counted(stack):
    moto, gateway = stack
    pids = processes(gateway.process.pid)
    flood = [('{"action":"sync"}' if i % 10 == 0 else f'{{"action":"junk-{i}"}}') for i in range(5000)]

    async def scenario():
        async with opened(gateway) as flooder, opened(gateway) as observer:
            before = table_state(moto)
            # The table, not a frame: a broadcast of an older count may reach the observer before its sync answer.
            base = before["visits"]
            await sync(observer, at_least=base)
            answers = {"Forbidden": 0, "visits": 0}
            done = asyncio.Event()

            async def read_flood():
                # Count frames also carry broadcasts (the newcomer's visit): stop at all junk answered
                # and at least one count per sync sent.
                while answers["Forbidden"] < 4500 or answers["visits"] < 500:
                    message = json.loads(await asyncio.wait_for(flooder.recv(), 120))
                    key = "visits" if "visits" in message else str(message.get("message"))
                    answers[key] = answers.get(key, 0) + 1
                done.set()

            async def send_flood():
                for body in flood:
                    await flooder.send(body)

            latencies, newcomer, observer_visit = [], None, secrets.token_urlsafe(16)

            async def observe():
                # Another page reloading during the flood: handshake ($connect), sync, close; its visit id
                # is reused, so it is counted once (one connection's queue holds no stale frames to skew it).
                nonlocal newcomer
                while not done.is_set():
                    started = time.monotonic()
                    async with opened(gateway, observer_visit) as probe:
                        await sync(probe)
                    latencies.append(time.monotonic() - started)
                    if len(latencies) == 5:  # a new visitor arrives mid-flood and is counted once
                        async with opened(gateway) as ws:
                            newcomer = await sync(ws, at_least=base + 2)
                    await asyncio.sleep(0.2)

            started = time.monotonic()
            await asyncio.gather(send_flood(), read_flood(), observe())
            seconds = time.monotonic() - started
            async with opened(gateway, observer_visit) as probe:
                return base, before, answers, latencies, newcomer, seconds, await sync(probe, at_least=base + 2)

    base, before, answers, latencies, newcomer, seconds, final = asyncio.run(scenario())
    wait_until(lambda: connection_count(moto) == before["connections"] - 2, 30, message="the $disconnects")
    after = table_state(moto)
    now = survivors(gateway, pids)
    write_figures("flood", {
        "framesSent": len(flood), "answers": answers, "floodSeconds": round(seconds, 1),
        "observerSyncs": len(latencies), "observerLatencyMedianMs": round(statistics.median(latencies) * 1000),
        "observerLatencyMaxMs": round(max(latencies) * 1000), "newcomerSaw": newcomer, "before": before,
        "after": after, "processesBefore": pids, "processesAfter": now})
    # Every frame answered (as API Gateway would), others served throughout, and only the newcomer counted.
    assert answers["Forbidden"] == 4500 and answers["visits"] >= 500
    assert len(latencies) >= 5 and newcomer == base + 2 and final == base + 2
    assert after["visits"] == before["visits"] + 2, "the probe page and the newcomer, once each"
    for pid, row in now.items():
        # DBStreamProcessor's keep-alive pool to the Management API may open a few more connections.
        assert row["fds"] <= pids[pid]["fds"] + FD_SLACK, f"{row['name']} fds {pids[pid]['fds']} -> {row['fds']}"
