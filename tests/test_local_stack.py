"""End to end over the local stack (docs/design.md §7) with real WebSocket clients: moto, the LocalGateway,
and the real DBUpdater and DBStreamProcessor binaries behind it."""
import asyncio
import json
import secrets
import subprocess

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from vctools.local_stack import Gateway, connection_count, free_port, running_stack, visits_in_table, wait_until


@pytest.fixture(scope="module")
def stack():
    with running_stack("gateway-local-stack", ["--instances", "2"]) as running:
        yield running


def counter_shards(moto):
    """Every counter shard's `visits` by id (`visitors`, `visitors#k`): the total is their sum."""
    items = moto.dynamodb().scan(TableName="VisitorCount", ConsistentRead=True)["Items"]
    return {i["id"]["S"]: int(i.get("visits", {"N": "0"})["N"]) for i in items
            if i["id"]["S"] == "visitors" or i["id"]["S"].startswith("visitors#")}


class Client:
    """A page-like client: connects with its visit id, sends sync, remembers the last count it saw."""

    def __init__(self, ws_url, visit_id):
        self.url = f"{ws_url}?visit={visit_id}"
        self.last = None
        self.frames = []

    async def run(self, opened):
        async with connect(self.url, open_timeout=30) as ws:
            self.ws = ws
            await ws.send(json.dumps({"action": "sync"}))
            opened.set_result(None) if not opened.done() else None
            async for frame in ws:
                self.frames.append(frame)
                message = json.loads(frame)
                if "visits" in message:
                    self.last = message["visits"]


async def start_clients(ws_url, visit_ids):
    clients = [Client(ws_url, visit) for visit in visit_ids]
    loop = asyncio.get_running_loop()
    opened = [loop.create_future() for _ in clients]
    tasks = [asyncio.create_task(c.run(o)) for c, o in zip(clients, opened)]
    await asyncio.wait_for(asyncio.gather(*opened), timeout=120)
    return clients, tasks


async def wait_for(predicate, timeout, message):
    for _ in range(int(timeout * 10)):
        if predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s: {message}")


async def close_all(clients, tasks):
    for client in clients:
        await client.ws.close()
    await asyncio.gather(*tasks, return_exceptions=True)


def test_fifty_clients_see_the_same_correct_total_and_reconnects_do_not_count(stack):
    moto, gateway = stack

    async def scenario():
        before = visits_in_table(moto)
        visit_ids = [secrets.token_urlsafe(16) for _ in range(50)]
        clients, tasks = await start_clients(gateway.ws_url, visit_ids)
        expected = before + 50
        await wait_for(lambda: all(c.last == expected for c in clients), 60,
                       f"every client at {expected}: {sorted({c.last for c in clients}, key=str)}")
        assert visits_in_table(moto) == expected

        # Ten pages reconnect with their visit id (a dropped connection coming back): not a new visit.
        await close_all(clients[:10], tasks[:10])
        again, again_tasks = await start_clients(gateway.ws_url, visit_ids[:10])
        await wait_for(lambda: all(c.last is not None for c in again), 30, "the reconnected clients' sync answers")
        assert {c.last for c in again} == {expected}
        assert visits_in_table(moto) == expected

        await close_all(clients[10:] + again, tasks[10:] + again_tasks)

    asyncio.run(scenario())
    wait_until(lambda: connection_count(moto) == 0, 30, message="ConnectionIDs to be empty")
    assert "invoke DBUpdater $connect" in gateway.text()
    # The counter's stream reaches DBStreamProcessor. (The gateway used to say "ready" before its stream
    # reader had read to the stream's end, so visits in that moment were skipped as old: 1 run in 5 saw the
    # first batch late. It now positions the reader first.)
    wait_until(lambda: "invoke DBStreamProcessor batch=" in gateway.text(), 30,
               message="a stream batch to reach DBStreamProcessor")


def test_unknown_action_management_api_and_delete(stack):
    moto, gateway = stack

    async def scenario():
        async with connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}") as ws:
            # No route and no $default route: API Gateway's Forbidden frame, carrying the connection id.
            await ws.send(json.dumps({"action": "no-such-route"}))
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            while "message" not in frame:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert frame["message"] == "Forbidden"
            connection_id = frame["connectionId"]
            assert len(connection_id) == 16 and connection_id.endswith("=")

            status, _, body = await asyncio.to_thread(gateway.management_api, moto, "GET", connection_id)
            assert status == 200
            info = json.loads(body)
            assert info["Identity"]["SourceIp"] == "127.0.0.1" and "ConnectedAt" in info and "LastActiveAt" in info

            status, _, _ = await asyncio.to_thread(gateway.management_api, moto, "POST", connection_id, b'{"visits": -1}')
            assert status == 200
            frame = await asyncio.wait_for(ws.recv(), 10)
            while frame != '{"visits": -1}':
                frame = await asyncio.wait_for(ws.recv(), 10)

            status, _, _ = await asyncio.to_thread(gateway.management_api, moto, "GET", connection_id, secret="wrong")
            assert status == 403

            status, _, _ = await asyncio.to_thread(gateway.management_api, moto, "DELETE", connection_id)
            assert status == 204
            with pytest.raises(ConnectionClosed):
                while True:
                    await asyncio.wait_for(ws.recv(), 10)
        return connection_id

    connection_id = asyncio.run(scenario())
    status, _, _ = gateway.management_api(moto, "GET", connection_id)
    assert status == 410
    status, _, _ = gateway.management_api(moto, "POST", "AAAAAAAAAAAAAAA=", b"x")
    assert status == 410


def test_serves_the_page(stack):
    _, gateway = stack
    status, body = gateway.get("/")
    assert status == 200 and b"visitor-counter.js" in body


def test_refused_origin_and_port_in_use(stack):
    moto, gateway = stack
    # A port in use: a clear error and a non-zero exit, before anything else starts.
    busy = subprocess.run([str(gateway.bin_dir / "LocalGateway"), "--port", str(gateway.port),
                           "--bin-path", str(gateway.function_dir)], env=dict(**moto.environment(), PATH="/usr/bin:/bin"),
                          capture_output=True, text=True, timeout=60)
    assert busy.returncode != 0 and f"{gateway.port}" in busy.stderr and "in use" in busy.stderr

    strict = Gateway(moto, free_port(), gateway.bin_dir, gateway.tables, name="gateway-origins",
                     extra_args=["--allowed-origins", "https://allowed.example"]).start()
    try:
        async def scenario():
            with pytest.raises(InvalidStatus):
                async with connect(strict.ws_url, origin="https://evil.example"):
                    pass
            async with connect(strict.ws_url, origin="https://allowed.example") as ws:
                await ws.send(json.dumps({"action": "sync"}))
                assert "visits" in json.loads(await asyncio.wait_for(ws.recv(), 10))

        asyncio.run(scenario())
        assert "status=403" in strict.text()
    finally:
        strict.stop()


def test_tables_are_created_as_the_template_declares_them(stack):
    """Local and deployed never drift: the gateway made the tables from template.yaml's definitions."""
    moto, gateway = stack
    assert gateway.tables, "template.yaml is missing: the local stack reads its tables from it"
    declared = json.loads(gateway.tables.read_text())
    client = moto.dynamodb()
    for table in declared["tables"]:
        described = client.describe_table(TableName=table["name"])["Table"]
        assert described["KeySchema"] == table["keySchema"]
        assert (described.get("StreamSpecification") or {}).get("StreamViewType") == table["streamViewType"]
        ttl = client.describe_time_to_live(TableName=table["name"])["TimeToLiveDescription"]
        assert ttl.get("AttributeName") == table["ttlAttribute"]
    assert declared["stream"]["table"] == "VisitorCount" and declared["stream"]["filters"]
    assert {"$connect", "$disconnect", "sync"} <= {route["routeKey"] for route in declared["routes"]}


def test_a_sharded_counter_sums_its_shards_for_every_page():
    """`--counter-shards 4` hands COUNTER_SHARDS to both functions, as the template's CounterShards does:
    the visits land on several items, and every page is told their sum, by sync and by broadcast."""
    with running_stack("gateway-sharded", ["--instances", "2", "--counter-shards", "4"]) as (moto, gateway):
        async def scenario():
            clients, tasks = await start_clients(gateway.ws_url, [secrets.token_urlsafe(16) for _ in range(24)])
            await wait_for(lambda: all(c.last == 24 for c in clients), 60,
                           f"every client at 24: {sorted({c.last for c in clients}, key=str)}")
            await close_all(clients, tasks)

        asyncio.run(scenario())
        shards = counter_shards(moto)
        assert sum(shards.values()) == 24
        assert set(shards) <= {"visitors", "visitors#1", "visitors#2", "visitors#3"}
        assert len(shards) >= 2, f"24 visits on one of four shards: {shards}"
