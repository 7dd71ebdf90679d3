"""The DynamoDB contention model of scripts/fault_proxy.py (the proxy the robustness tests put in front of moto).

The proxy runs as a DynamoDB stand-in (no upstream): a forwarded request gets a canned `{}`, so these tests see
only what the model does. A transaction holds its items for a long window here (several seconds), and the test
waits until the proxy reports them held before it sends the competing requests: nothing depends on timing
beyond "a few requests fit in that window".
"""
from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

from vctools.paths import ROOT

WINDOW_MS = 4000
TARGET = "DynamoDB_20120810."


@contextlib.contextmanager
def proxy(*arguments: str) -> Iterator[str]:
    child = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "fault_proxy.py"), *arguments],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield json.loads(child.stdout.readline())["endpoint"].removeprefix("http://")
    finally:
        child.stdin.close()
        child.wait(timeout=10)


def call(host: str, operation: str | None, body: dict, method: str = "POST", path: str = "/") -> tuple[int, dict]:
    connection = http.client.HTTPConnection(host, timeout=30)
    headers = {"Content-Type": "application/x-amz-json-1.0"}
    if operation:
        headers["X-Amz-Target"] = TARGET + operation
    connection.request(method, path, body=json.dumps(body) if method == "POST" else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data or b"{}")


def stats(host: str) -> dict:
    return call(host, None, {}, method="GET", path="/_fault/stats")[1]


def counter_update(shard: str = "visitors") -> dict:
    return {"Update": {"TableName": "VisitorCount", "Key": {"id": {"S": shard}}, "UpdateExpression": "ADD visits :one",
                       "ExpressionAttributeValues": {":one": {"N": "1"}}}}


def connection_put(connection_id: str) -> dict:
    return {"Put": {"TableName": "ConnectionIDs", "Item": {"connectionId": {"S": connection_id}, "connectedAt": {"N": "1"}},
                    "ConditionExpression": "attribute_not_exists(connectionId)"}}


def hold(host: str, items: list[dict]) -> threading.Thread:
    """Starts a transaction of `items` in the background and returns once the proxy holds its items."""
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(answer=call(host, "TransactWriteItems", {"TransactItems": items})))
    thread.result = result  # type: ignore[attr-defined]
    thread.start()
    for _ in range(500):
        if stats(host)["held"] == len(items):
            return thread
        time.sleep(0.01)
    raise AssertionError("the proxy never reported the transaction's items held")


def test_an_overlapping_transaction_is_cancelled_with_dynamodbs_reasons_in_action_order():
    with proxy("--contention-ms", str(WINDOW_MS)) as host:
        first = hold(host, [connection_put("AAAA"), counter_update()])
        status, body = call(host, "TransactWriteItems", {"TransactItems": [
            connection_put("BBBB"), {"Put": {"TableName": "VisitorCount", "Item": {"id": {"S": "visit#x"}}}}, counter_update()]})
        assert status == 400
        assert body["__type"] == "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"
        assert [reason["Code"] for reason in body["CancellationReasons"]] == ["None", "None", "TransactionConflict"]
        assert body["CancellationReasons"][2]["Message"] == "Transaction is ongoing for the item"
        assert body["Message"].endswith("[None, None, TransactionConflict]")
        # Another shard of the counter and another connection: no item in common, so it is forwarded.
        status, _ = call(host, "TransactWriteItems", {"TransactItems": [connection_put("CCCC"), counter_update("visitors#3")]})
        assert status == 200
        first.join()
        assert first.result["answer"][0] == 200
        # Released: the same transaction now goes through.
        assert call(host, "TransactWriteItems", {"TransactItems": [connection_put("BBBB"), counter_update()]})[0] == 200
        seen = stats(host)
        assert seen["conflicts"] == {"TransactWriteItems": 1}
        assert seen["conflictsTotal"] == 1
        assert seen["held"] == 0


def test_single_writes_of_a_held_item_are_refused_and_reads_pass():
    with proxy("--contention-ms", str(WINDOW_MS)) as host:
        first = hold(host, [connection_put("AAAA"), counter_update()])
        key = {"id": {"S": "visitors"}}
        for operation, body in [
            ("UpdateItem", {"TableName": "VisitorCount", "Key": key, "UpdateExpression": "ADD live :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}),
            ("DeleteItem", {"TableName": "ConnectionIDs", "Key": {"connectionId": {"S": "AAAA"}}}),
            # A Put names its item through the key attributes of the Item.
            ("PutItem", {"TableName": "ConnectionIDs", "Item": {"connectionId": {"S": "AAAA"}, "connectedAt": {"N": "2"}}}),
        ]:
            status, answer = call(host, operation, body)
            assert (operation, status) == (operation, 400)
            assert answer["__type"] == "com.amazonaws.dynamodb.v20120810#TransactionConflictException"
        assert call(host, "GetItem", {"TableName": "VisitorCount", "Key": key, "ConsistentRead": True})[0] == 200
        assert call(host, "Scan", {"TableName": "ConnectionIDs"})[0] == 200
        assert call(host, "PutItem", {"TableName": "ConnectionIDs", "Item": {"connectionId": {"S": "ZZZZ"}}})[0] == 200
        first.join()
        assert stats(host)["conflicts"] == {"UpdateItem": 1, "DeleteItem": 1, "PutItem": 1}


def test_the_window_is_set_at_run_time_and_zero_turns_the_model_off():
    with proxy() as host:
        assert stats(host)["contentionMs"] == 0
        assert call(host, None, {"ms": WINDOW_MS}, path="/_fault/contention")[0] == 200
        assert stats(host)["contentionMs"] == WINDOW_MS
        first = hold(host, [counter_update()])
        assert call(host, "TransactWriteItems", {"TransactItems": [counter_update()]})[0] == 400
        first.join()
        call(host, None, {"ms": 0}, path="/_fault/contention")
        # Off: two transactions at once on the same item are both forwarded.
        answers: list[int] = []
        threads = [threading.Thread(target=lambda: answers.append(
            call(host, "TransactWriteItems", {"TransactItems": [counter_update()]})[0])) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [200] * 4
        assert stats(host)["conflictsTotal"] == 1
