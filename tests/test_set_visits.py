"""scripts/set_visits.py against a real DynamoDB API (moto, loopback): sets, refuses to lower, idempotent."""
import datetime
import os
import subprocess
import sys

import boto3
import pytest

from vctools.local_stack import Moto
from vctools.paths import ROOT

SCRIPT = ROOT / "scripts" / "set_visits.py"
TABLE = "VisitorCount"


@pytest.fixture(scope="module")
def moto():
    """scripts/moto_server.py (signature checks off) for the module; yields the line it printed."""
    server = Moto(auth=False)
    try:
        yield server.info
    finally:
        server.close()


@pytest.fixture()
def table(moto):
    """A fresh VisitorCount table (docs/design.md §3) for each test."""
    client = boto3.client("dynamodb", endpoint_url=moto["endpoint"], region_name=moto["region"],
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )
    yield client
    client.delete_table(TableName=TABLE)


def run(moto, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    env.pop("AWS_SESSION_TOKEN", None)
    env.pop("AWS_PROFILE", None)
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--table", TABLE,
         "--endpoint-url", moto["endpoint"], "--region", moto["region"], *args],
        capture_output=True, text=True, env=env, timeout=60,
    )


def counter(client):
    return client.get_item(TableName=TABLE, Key={"id": {"S": "visitors"}}, ConsistentRead=True).get("Item")


def test_sets_visits_when_the_counter_does_not_exist(moto, table):
    result = run(moto, "12345")
    assert result.returncode == 0, result.stderr
    assert counter(table) == {"id": {"S": "visitors"}, "visits": {"N": "12345"}}


def test_raises_a_lower_count_and_keeps_other_attributes(moto, table):
    table.put_item(TableName=TABLE, Item={"id": {"S": "visitors"}, "visits": {"N": "7"}, "live": {"N": "2"}})
    result = run(moto, "500")
    assert result.returncode == 0, result.stderr
    assert "7 -> 500" in result.stdout
    assert counter(table) == {"id": {"S": "visitors"}, "visits": {"N": "500"}, "live": {"N": "2"}}


def test_refuses_to_lower_the_count(moto, table):
    table.put_item(TableName=TABLE, Item={"id": {"S": "visitors"}, "visits": {"N": "900"}})
    result = run(moto, "899")
    assert result.returncode == 1
    assert "refusing to lower visits" in result.stderr and "900" in result.stderr
    assert counter(table)["visits"] == {"N": "900"}


def test_running_it_again_is_harmless(moto, table):
    first = run(moto, "4242")
    second = run(moto, "4242")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "already 4242" in second.stdout
    assert counter(table)["visits"] == {"N": "4242"}


def test_dry_run_writes_nothing(moto, table):
    table.put_item(TableName=TABLE, Item={"id": {"S": "visitors"}, "visits": {"N": "3"}})
    result = run(moto, "10", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "visits is 3" in result.stdout and "would set visits to 10" in result.stdout
    assert counter(table)["visits"] == {"N": "3"}


@pytest.mark.parametrize("bad", ["-5", "1.5", "1e3", "abc", "٣"])
def test_rejects_anything_but_a_non_negative_integer(moto, table, bad):
    result = run(moto, "--", bad) if bad.startswith("-") else run(moto, bad)
    assert result.returncode == 2
    assert "non-negative integer" in result.stderr
    assert counter(table) is None


# ---------------------------------------------------------------- history (docs/design.md, "History")

def today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def item(client, key):
    return client.get_item(TableName=TABLE, Key={"id": {"S": key}}, ConsistentRead=True).get("Item")


def put_history(client, day, visits, opening, version=3):
    fields = {"day": {"S": day}, "visits": {"N": str(visits)}, "openVisits": {"N": str(opening)}}
    client.put_item(TableName=TABLE, Item={"id": {"S": "history"}, "since": {"S": "2026-01-01"},
                                           "version": {"N": str(version)}, **fields})
    client.put_item(TableName=TABLE, Item={"id": {"S": "day#" + day}, **fields})


def test_carried_over_visits_are_in_no_figure_of_today(moto, table):
    table.put_item(TableName=TABLE, Item={"id": {"S": "visitors"}, "visits": {"N": "10"}})
    put_history(table, today(), visits=10, opening=4)
    result = run(moto, "110")
    assert result.returncode == 0, result.stderr
    assert "since 2026-01-01" in result.stdout and "100 carried-over visits are in no day's figure" in result.stdout
    pointer, day = item(table, "history"), item(table, "day#" + today())
    assert (pointer["visits"]["N"], pointer["openVisits"]["N"], pointer["version"]["N"]) == ("110", "104", "4")
    assert (day["visits"]["N"], day["openVisits"]["N"]) == ("110", "104")  # today's figure is still 6


def test_carried_over_visits_raise_the_next_day_s_opening_and_leave_recorded_days_alone(moto, table):
    table.put_item(TableName=TABLE, Item={"id": {"S": "visitors"}, "visits": {"N": "10"}})
    put_history(table, "2026-01-05", visits=10, opening=4)
    assert run(moto, "110").returncode == 0
    pointer, day = item(table, "history"), item(table, "day#2026-01-05")
    # The pointer's latest total (the opening of the next day recorded) moves; the day recorded keeps its 6.
    assert (pointer["visits"]["N"], pointer["openVisits"]["N"]) == ("110", "4")
    assert (day["visits"]["N"], day["openVisits"]["N"]) == ("10", "4")


def test_before_history_begins_nothing_of_history_is_written(moto, table):
    result = run(moto, "500")
    assert result.returncode == 0, result.stderr
    assert "history: not begun yet" in result.stdout
    assert item(table, "history") is None
