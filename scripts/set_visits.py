#!/usr/bin/env python3
"""Carries over the count of an existing visitor counter: sets `visits` on the counter item once.

    .venv/bin/python scripts/set_visits.py 12345 --table <VisitorCountTableName> [--region eu-west-1]

The update is conditional on the count it read, so it never lowers the count nor loses a visit counted
meanwhile: running it again with the same number changes nothing, and a number below the current count
is refused. Other attributes of the counter item (`live`, `visitors`) are left alone. The change reaches
open pages like any visit (the table's stream wakes DBStreamProcessor).

History (docs/design.md, "History"): carried-over visits happened before history, so they are never a
day's figure. When history has begun (the `history` item exists), the same transaction raises its
recorded totals by the amount carried over (today's opening too, when today is its day), so no day
shows the jump; before that, history simply starts later from a total that includes them. The answer
to `history` says when history began (`historySince`).

Exit status: 0 set (or already at that count), 1 refused (the count is higher) or AWS error, 2 bad usage.
Credentials and region come from the usual AWS environment / config (boto3's default chain).
"""
import argparse
import datetime
import os
import sys

COUNTER_ID = "visitors"  # docs/design.md §3: the counter item's key (shard 0)
HISTORY_ID = "history"  # docs/design.md §3: the history's latest day
ATTEMPTS = 5


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("visits", help="the count to carry over (a non-negative integer)")
    parser.add_argument("--table", default=os.environ.get("VISITOR_COUNT_TABLE", "VisitorCount"),
                        help="VisitorCount table name (stack output VisitorCountTableName; "
                             "default $VISITOR_COUNT_TABLE or VisitorCount)")
    parser.add_argument("--region", help="AWS region (default: from the AWS environment / config)")
    parser.add_argument("--endpoint-url", help="DynamoDB endpoint override, e.g. http://127.0.0.1:8000 for moto")
    parser.add_argument("--dry-run", action="store_true", help="show the current count and what would change; write nothing")
    args = parser.parse_args(argv)
    # Digits only: no sign, no exponent, no fraction; DynamoDB numbers carry up to 38 digits.
    if not args.visits.isascii() or not args.visits.isdigit() or len(args.visits) > 38:
        parser.error(f"visits must be a non-negative integer, got {args.visits!r}")
    args.visits = int(args.visits)
    return args


def current_visits(client, table):
    item = client.get_item(TableName=table, Key={"id": {"S": COUNTER_ID}}, ConsistentRead=True).get("Item")
    if item is None or "visits" not in item:
        return None
    return int(item["visits"]["N"])


def history_pointer(client, table):
    return client.get_item(TableName=table, Key={"id": {"S": HISTORY_ID}}, ConsistentRead=True).get("Item")


def number(value):
    return {"N": str(value)}


def history_actions(table, pointer, delta, today):
    """The transaction actions that keep `delta` carried-over visits out of every day's figure."""
    if pointer is None:
        # History has not begun: make sure it does not begin between the read and the write.
        return [{"ConditionCheck": {"TableName": table, "Key": {"id": {"S": HISTORY_ID}},
                                    "ConditionExpression": "attribute_not_exists(id)"}}]
    names = {"#version": "version"}
    values = {":read": pointer["version"], ":version": number(int(pointer["version"]["N"]) + 1),
              ":visits": number(int(pointer["visits"]["N"]) + delta)}
    update = "SET #version = :version, visits = :visits"
    actions = []
    if pointer["day"]["S"] >= today:
        # Today is the pointer's day: its opening moves with the total, so today's figure stays.
        values[":openVisits"] = number(int(pointer["openVisits"]["N"]) + delta)
        update += ", openVisits = :openVisits"
        actions.append({"Update": {
            "TableName": table, "Key": {"id": {"S": "day#" + pointer["day"]["S"]}},
            "UpdateExpression": "SET visits = :visits, openVisits = :openVisits",
            "ExpressionAttributeValues": {":visits": values[":visits"], ":openVisits": values[":openVisits"]}}})
    # Otherwise only the pointer's latest total moves: the next day to be recorded opens above the jump,
    # and the recorded days keep their figures.
    actions.insert(0, {"Update": {
        "TableName": table, "Key": {"id": {"S": HISTORY_ID}}, "UpdateExpression": update,
        "ConditionExpression": "#version = :read", "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values}})
    return actions


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        sys.exit("set_visits: boto3 is missing; run it with the project's virtualenv: .venv/bin/python scripts/set_visits.py")

    try:
        client = boto3.client("dynamodb", region_name=args.region, endpoint_url=args.endpoint_url)
        for _ in range(ATTEMPTS):
            before = current_visits(client, args.table)
            shown = "none" if before is None else before
            if before is not None and before >= args.visits:
                if before == args.visits:
                    print(f"{args.table}: visits is already {before}; nothing to do")
                    return 0
                if args.dry_run:
                    print(f"dry run: {args.table} visits is {shown}; would refuse (would lower it)")
                    return 0
                print(f"set_visits: refusing to lower visits in {args.table} from {before} to {args.visits}", file=sys.stderr)
                return 1
            if args.dry_run:
                print(f"dry run: {args.table} visits is {shown}; would set visits to {args.visits}")
                return 0
            pointer = history_pointer(client, args.table)
            today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
            counter = {"TableName": args.table, "Key": {"id": {"S": COUNTER_ID}},
                       "UpdateExpression": "SET visits = :new", "ExpressionAttributeValues": {":new": number(args.visits)}}
            if before is None:
                counter["ConditionExpression"] = "attribute_not_exists(visits)"
            else:
                counter["ConditionExpression"] = "visits = :old"
                counter["ExpressionAttributeValues"][":old"] = number(before)
            delta = args.visits - (before or 0)
            try:
                client.transact_write_items(
                    TransactItems=[{"Update": counter}] + history_actions(args.table, pointer, delta, today))
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise
                continue  # a visit or a history record came in between: read again
            print(f"{args.table}: visits {shown} -> {args.visits}")
            if pointer is None:
                print("history: not begun yet; it will start from a total that includes these visits")
            else:
                print(f"history: since {pointer['since']['S']}; the {delta} carried-over visits are in no day's figure")
            return 0
        print(f"set_visits: {args.table} kept changing; try again", file=sys.stderr)
        return 1
    except (BotoCoreError, ClientError) as error:
        print(f"set_visits: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
