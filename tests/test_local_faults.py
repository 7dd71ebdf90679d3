"""The local gateway's fault modes and keep-alive against the real stack (moto, the gateway, the real
functions): lost `$disconnect`s, TTL deleting late or never, an account-wide throttled Management API, the
idle timeout, and the `ping` route that no function answers."""
import asyncio
import json
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from vctools.local_stack import Gateway, Moto, bin_path, free_port, running_stack, tables_file, wait_until
from vctools.paths import ROOT


def connection_ids(moto):
    items = moto.dynamodb().scan(TableName="ConnectionIDs", ConsistentRead=True)["Items"]
    return {item["connectionId"]["S"] for item in items}


def item_exists(moto, table, key):
    return "Item" in moto.dynamodb().get_item(TableName=table, Key=key, ConsistentRead=True)


async def learn_id(ws):
    """The connection's id: an action with no route is answered with API Gateway's Forbidden frame, which
    carries it (broadcasts that arrive first are skipped)."""
    await ws.send(json.dumps({"action": "who-am-i"}))
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if "connectionId" in frame:
            return frame["connectionId"]


async def open_and_close(ws_url, count):
    """Opens `count` connections, learns their ids, then closes them all."""
    ids = []
    sockets = []
    for _ in range(count):
        ws = await connect(f"{ws_url}?visit={secrets.token_urlsafe(16)}", open_timeout=30)
        ids.append(await learn_id(ws))
        sockets.append(ws)
    for ws in sockets:
        await ws.close()
    return ids


# ---------------------------------------------------------------- lost $disconnects, and TTL never

def test_every_disconnect_dropped_leaves_the_rows_and_ttl_never_deletes_them():
    with running_stack("gateway-faults-drop-all", ["--drop-disconnects", "1"]) as (moto, gateway):
        expired = {"connectionId": {"S": "expired-long-ago"}, "connectedAt": {"N": "0"}, "expiresAt": {"N": "1000"}}
        moto.dynamodb().put_item(TableName="ConnectionIDs", Item=expired)
        ids = asyncio.run(open_and_close(gateway.ws_url, 3))
        wait_until(lambda: gateway.text().count("fault: dropped the $disconnect") == 3, 30,
                   message="three dropped $disconnects")
        assert gateway.invocations("$disconnect") == 0
        assert gateway.invocations("$connect") == 3
        # Nobody deleted the rows: exactly what a lost $disconnect leaves behind on AWS.
        assert set(ids) <= connection_ids(moto)
        # No --ttl-lag: like moto, expired rows are never deleted.
        assert "ttl:" not in gateway.text()
        assert item_exists(moto, "ConnectionIDs", {"connectionId": {"S": "expired-long-ago"}})


def test_a_fraction_of_disconnects_dropped_from_a_seed():
    args = ["--drop-disconnects", "0.5", "--fault-seed", "7", "--fault-control"]
    with running_stack("gateway-faults-drop-half", args) as (moto, gateway):
        ids = asyncio.run(open_and_close(gateway.ws_url, 16))
        wait_until(lambda: sum(gateway.faults()["disconnects"][k] for k in ("dropped", "invoked")) == 16, 30,
                   message="all 16 $disconnects drawn")
        report = gateway.faults()["disconnects"]
        assert report["seed"] == "7" and report["dropFraction"] == 0.5
        assert 0 < report["dropped"] < 16
        wait_until(lambda: gateway.invocations("$disconnect") == report["invoked"], 30,
                   message=f"{report['invoked']} $disconnect invocations")
        # The dropped ones are still in the table; the delivered ones are gone.
        wait_until(lambda: len(set(ids) & connection_ids(moto)) == report["dropped"], 30,
                   message=f"{report['dropped']} rows left behind")
        assert "fault: dropping 50.0% of $disconnects (seed 7)" in gateway.text()


# ---------------------------------------------------------------- TTL with a lag

def test_ttl_deletes_expired_rows_only_after_the_lag():
    with running_stack("gateway-faults-ttl", ["--ttl-lag", "30", "--fault-control"]) as (moto, gateway):
        client = moto.dynamodb()
        now = int(time.time())
        rows = {
            ("ConnectionIDs", "connectionId", "gone-long-ago"): now - 1000,
            ("ConnectionIDs", "connectionId", "expired-within-the-lag"): now - 1,
            ("ConnectionIDs", "connectionId", "still-valid"): now + 7200,
            ("VisitorCount", "id", "visit#old-page-view"): now - 1000,
            ("VisitorCount", "id", "visit#recent-page-view"): now + 86400,
        }
        for (table, key, value), expires in rows.items():
            client.put_item(TableName=table, Item={key: {"S": value}, "expiresAt": {"N": str(expires)}})
        client.put_item(TableName="ConnectionIDs", Item={"connectionId": {"S": "no-ttl-attribute"}})
        client.put_item(TableName="ConnectionIDs",
                        Item={"connectionId": {"S": "ttl-not-a-number"}, "expiresAt": {"S": "1000"}})

        def gone(table, key, value):
            return not item_exists(moto, table, {key: {"S": value}})

        wait_until(lambda: gone("ConnectionIDs", "connectionId", "gone-long-ago")
                   and gone("VisitorCount", "id", "visit#old-page-view"), 30, message="the long-expired rows deleted")
        for (table, key, value), expires in rows.items():
            if expires > now - 30:
                assert not gone(table, key, value), value
        assert not gone("ConnectionIDs", "connectionId", "no-ttl-attribute")
        assert not gone("ConnectionIDs", "connectionId", "ttl-not-a-number")
        assert gateway.faults()["ttl"]["deleted"] == 2
        assert "ttl: deleted 1 expired row(s) from ConnectionIDs" in gateway.text()
        assert "ttl: deleted 1 expired row(s) from VisitorCount" in gateway.text()


# ---------------------------------------------------------------- account-wide Management API throttling

def test_management_api_throttled_for_a_while_then_answers_again():
    with running_stack("gateway-faults-throttle", ["--fault-control"]) as (moto, gateway):
        async def scenario():
            async with connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}") as watcher:
                connection_id = await learn_id(watcher)

                report = gateway.throttle_management_api(60)
                assert report["managementAPI"]["throttledForSeconds"] > 50
                status, headers, body = await asyncio.to_thread(gateway.management_api, moto, "POST", connection_id, b"x")
                assert status == 429
                assert headers.get("x-amzn-ErrorType") == "LimitExceededException"
                assert json.loads(body) == {"message": "Too Many Requests"}

                # A new visit while throttled: DBStreamProcessor's posts are refused too.
                async with connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}"):
                    await asyncio.to_thread(wait_until, lambda: gateway.faults()["managementAPI"]["throttledPosts"] >= 2,
                                            30, 0.2, "DBStreamProcessor's POST to be throttled")

                gateway.throttle_management_api(0)
                status, _, _ = await asyncio.to_thread(gateway.management_api, moto, "POST", connection_id, b"after")
                assert status == 200
                while await asyncio.wait_for(watcher.recv(), 10) != "after":
                    pass

        asyncio.run(scenario())
        assert "fault: the Management API answers 429 to every POST for 60.0 s" in gateway.text()


def test_fault_control_is_off_unless_asked_for():
    with running_stack("gateway-faults-no-control") as (_, gateway):
        with pytest.raises(urllib.error.HTTPError) as refused:
            gateway.throttle_management_api(5)
        assert refused.value.code == 404


# ---------------------------------------------------------------- idle timeout and the ping route

def test_idle_connections_close_and_pings_keep_them_open_without_any_function():
    with running_stack("gateway-keepalive", ["--idle-timeout", "1.5"]) as (_, gateway):
        async def scenario():
            async with connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}") as pinger, \
                    connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}") as idle:
                pongs = 0
                # Ten pings half a second apart: five seconds, more than three idle timeouts.
                for _ in range(10):
                    await pinger.send(json.dumps({"action": "ping"}))
                    # Broadcasts of the two visits may come first.
                    while (frame := json.loads(await asyncio.wait_for(pinger.recv(), 10))) != {"pong": True}:
                        assert "visits" in frame, frame
                    pongs += 1
                    await asyncio.sleep(0.5)
                with pytest.raises(ConnectionClosed) as closed:
                    while True:  # the broadcasts it got before going quiet, then the close
                        await asyncio.wait_for(idle.recv(), 10)
                assert closed.value.rcvd.code == 1001
                assert pinger.state.name == "OPEN"
                return pongs

        pongs = asyncio.run(scenario())
        assert pongs == 10
        # The gateway's log line for a $connect can trail the handshake on a loaded machine: wait for both,
        # and no more (a ping never became a connect).
        wait_until(lambda: gateway.invocations("$connect") == 2, 20, message="two $connects")
        assert gateway.invocations("$connect") == 2
        assert gateway.text().count("mock ping answered by the gateway") == 10
        assert gateway.invocations("ping") == 0
        assert "idle for" in gateway.text()
        # The idle close sends $disconnect, as any close does (and the pinger's close at the end another).
        wait_until(lambda: gateway.invocations("$disconnect") == 2, 20, message="two $disconnects")


# ---------------------------------------------------------------- the functions behind a proxy (CONTENTION_MS)

def test_only_the_functions_go_through_a_proxy_in_front_of_dynamodb():
    """What `CONTENTION_MS=20 make dev` relies on: scripts/fault_proxy.py between the functions and moto, while
    the gateway's own table setup and stream reading go to moto directly."""
    moto = Moto()
    proxy = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "fault_proxy.py"), "--upstream", moto.endpoint],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    workdir = tempfile.TemporaryDirectory()
    gateway = None
    try:
        endpoint = json.loads(proxy.stdout.readline())["endpoint"]
        gateway = Gateway(moto, free_port(), bin_path(), tables_file(workdir.name), name="gateway-faults-proxy",
                          extra_args=["--function-dynamodb-endpoint", endpoint]).start()
        assert f"the functions use DynamoDB at {endpoint}" in gateway.text()

        async def visit():
            async with connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}") as ws:
                await ws.send(json.dumps({"action": "sync"}))
                while "visits" not in json.loads(await asyncio.wait_for(ws.recv(), 10)):
                    pass

        asyncio.run(visit())
        wait_until(lambda: "invoke DBStreamProcessor batch=" in gateway.text(), 30, message="a broadcast")
        with urllib.request.urlopen(endpoint + "/_fault/stats", timeout=5) as response:
            requests = json.loads(response.read())["requests"]
        assert requests.get("TransactWriteItems", 0) >= 1  # DBUpdater's $connect
        assert requests.get("Scan", 0) >= 1  # DBStreamProcessor's broadcast
        assert not {"GetRecords", "GetShardIterator", "DescribeStream", "CreateTable"} & set(requests), requests
    finally:
        if gateway:
            gateway.stop()
        proxy.stdin.close()
        proxy.wait(timeout=10)
        moto.close()
        workdir.cleanup()


def test_connections_close_after_the_maximum_duration_even_when_pinging():
    with running_stack("gateway-max-duration", ["--max-connection-duration", "2"]) as (_, gateway):
        async def scenario():
            async with connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}") as ws:
                with pytest.raises(ConnectionClosed) as closed:
                    for _ in range(40):  # pings every quarter second: never idle, closed all the same
                        await ws.send(json.dumps({"action": "ping"}))
                        await asyncio.sleep(0.25)
                        while (frame := json.loads(await asyncio.wait_for(ws.recv(), 10))) != {"pong": True}:
                            assert "visits" in frame, frame
                return closed.value.rcvd.code

        assert asyncio.run(scenario()) == 1001
        assert "open for 2.0 seconds (API Gateway's limit)" in gateway.text()
        wait_until(lambda: gateway.invocations("$disconnect") == 1, 20, message="the $disconnect")
