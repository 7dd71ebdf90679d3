"""Load on the local stack (Issue 8), CI setting: 1,000 page-like WebSocket clients connect in bursts of
100 through the gateway, 20 % of them drop (half without a close frame) and come back at random, a few as
a new page load, then all leave. The engine is vctools/load.py, the long setting (`make soak`, 10,000+
invocations) scripts/soak.py; the figures go to test-artifacts/load-figures.json (docs/reliability-load.md).

Checked: the count equals the distinct visits, every client ends showing it, ConnectionIDs is empty after
all left, no function was restarted, and no process of the stack (gateway, every function process)
grew its open fds or RSS beyond a bound from the baseline (after a warm-up) to the end.
"""
import json

from vctools.load import Stack, StormConfig, leak_problems, run, storm_problems
from vctools.moto_transactions import patch_moto_transactions
from vctools.paths import ARTIFACTS

CI_STORM = StormConfig(clients=1000, burst=100, burst_pause=0.3, reconnect_fraction=0.2, reload_fraction=0.05,
                       churn_seconds=10)


def test_thousand_clients_in_bursts_with_random_reconnects_count_exactly_and_leak_nothing():
    with Stack(instances=4, name="gateway-load") as stack:
        report = run(stack, CI_STORM, rounds=1)
        gateway_log = stack.gateway.text()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load-figures.json").write_text(json.dumps(report, indent=2))

    storm = report["rounds"][0]
    assert storm_problems(report["warmup"]) == []
    assert storm_problems(storm) == [], json.dumps(storm, indent=2)
    assert storm["handshakeFailures"] == 0, "a handshake failed under load"
    assert storm["reconnects"] >= 150 and storm["distinctVisits"] > CI_STORM.clients
    assert report["leakProblems"] == [], json.dumps(report["processes"], indent=2)
    assert report["invocations"].get("errors", 0) == 0, "a function invocation failed"
    # Every connect, sync and disconnect of the storm went through the real DBUpdater.
    assert report["invocations"]["DBUpdater $connect"] == storm["connects"]
    assert report["invocations"]["DBUpdater $disconnect"] == storm["connects"]
    assert "exited with status" not in gateway_log


def _transactions_outcome(patched):
    """A connect, a repeated visit (cancelled) and a duplicate connection (cancelled) against in-process moto;
    returns the tables and the stream as moto ends up with them."""
    import boto3
    import botocore.exceptions
    from moto import mock_aws
    from moto.dynamodb import models

    original = models.DynamoDBBackend.transact_write_items
    with mock_aws():
        if patched:
            patch_moto_transactions()
        try:
            client = boto3.client("dynamodb", region_name="us-east-1", aws_access_key_id="x",
                                  aws_secret_access_key="x")
            for name, key, stream in (("VisitorCount", "id", True), ("ConnectionIDs", "connectionId", False)):
                client.create_table(TableName=name, KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                                    AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                                    BillingMode="PAY_PER_REQUEST",
                                    StreamSpecification={"StreamEnabled": stream, "StreamViewType": "NEW_IMAGE"})

            def connect(connection, visit):
                client.transact_write_items(TransactItems=[
                    {"Put": {"TableName": "ConnectionIDs", "Item": {"connectionId": {"S": connection}},
                             "ConditionExpression": "attribute_not_exists(connectionId)"}},
                    {"Update": {"TableName": "VisitorCount", "Key": {"id": {"S": "visitors"}},
                                "UpdateExpression": "ADD visits :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                    {"Put": {"TableName": "VisitorCount", "Item": {"id": {"S": f"visit#{visit}"}},
                             "ConditionExpression": "attribute_not_exists(id)"}}])

            cancelled = 0
            for connection, visit in (("a", "1"), ("b", "1"), ("a", "2"), ("c", "2")):
                try:
                    connect(connection, visit)
                except botocore.exceptions.ClientError as error:
                    assert error.response["Error"]["Code"] == "TransactionCanceledException"
                    cancelled += 1
            tables = {name: sorted(map(json.dumps, client.scan(TableName=name)["Items"]))
                      for name in ("VisitorCount", "ConnectionIDs")}
            streams = boto3.client("dynamodbstreams", region_name="us-east-1", aws_access_key_id="x",
                                   aws_secret_access_key="x")
            arn = client.describe_table(TableName="VisitorCount")["Table"]["LatestStreamArn"]
            shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
            iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            records = [(r["eventName"], json.dumps(r["dynamodb"].get("NewImage"), sort_keys=True))
                       for r in streams.get_records(ShardIterator=iterator)["Records"]]
            return cancelled, tables, records
        finally:
            models.DynamoDBBackend.transact_write_items = original


def test_the_load_stacks_moto_patch_rolls_back_exactly_as_moto_does():
    """The storm's moto backs up only what a transaction names (vctools/moto_transactions.py): same tables, same stream."""
    plain, patched = _transactions_outcome(False), _transactions_outcome(True)
    assert plain[0] == 2, "two of the four connects must be cancelled for this to test the rollback"
    assert patched == plain


def test_leak_bounds_flag_steady_growth_and_fd_leaks_but_not_a_levelling_high_water_mark():
    def table(gateway_rss, updater_rss, updater_fds=9, updater_pid=2):
        return {1: {"name": "gateway", "fds": 133, "rssKB": gateway_rss},
                updater_pid: {"name": "DBUpdater", "fds": updater_fds, "rssKB": updater_rss}}

    baseline = table(57_000, 24_000)
    # Seen in the soak: the gateway's 1,000-connection high-water mark, then less each round.
    assert leak_problems(baseline, [table(106_000, 24_200), table(125_000, 24_400), table(133_000, 24_550)]) == []
    steady = leak_problems(baseline, [table(90_000, 24_000), table(123_000, 24_000), table(156_000, 24_000)])
    assert steady == ["gateway (1) RSS keeps growing: [57000, 90000, 123000, 156000] kB"]
    assert leak_problems(baseline, [table(60_000, 24_000, updater_fds=1009)]) == ["DBUpdater (2) fds 9 -> [1009]"]
    assert leak_problems(baseline, [table(60_000, 40_000)]) == ["DBUpdater (2) RSS 24000 -> 40000 kB in the first round"]
    restarted = leak_problems(baseline, [table(60_000, 24_000, updater_pid=3)])
    assert restarted == ["new process(es) [3]: a function was restarted", "DBUpdater (2) died"]
