#!/usr/bin/env python3
"""Carries over the count of an existing visitor counter: sets `visits` on the counter item once.

    .venv/bin/python scripts/set_visits.py 12345 --table <VisitorCountTableName> [--region eu-west-1]

The update is conditional (`attribute_not_exists(visits) OR visits < :new`), so it never lowers the
count: running it again with the same number changes nothing, and a number below the current count
is refused. Other attributes of the counter item (`live`) are left alone. The change reaches open pages
like any visit (the table's stream wakes DBStreamProcessor).

Exit status: 0 set (or already at that count), 1 refused (the count is higher) or AWS error, 2 bad usage.
Credentials and region come from the usual AWS environment / config (boto3's default chain).
"""
import argparse
import os
import sys

COUNTER_ID = "visitors"  # DESIGN §3: the counter item's key


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


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        sys.exit("set_visits: boto3 is missing; run it with the project's virtualenv: .venv/bin/python scripts/set_visits.py")

    try:
        client = boto3.client("dynamodb", region_name=args.region, endpoint_url=args.endpoint_url)
        before = current_visits(client, args.table)
        shown = "none" if before is None else before
        if args.dry_run:
            if before is not None and before >= args.visits:
                action = "nothing (already there)" if before == args.visits else "refuse (would lower it)"
            else:
                action = f"set visits to {args.visits}"
            print(f"dry run: {args.table} visits is {shown}; would {action}")
            return 0
        try:
            client.update_item(
                TableName=args.table,
                Key={"id": {"S": COUNTER_ID}},
                UpdateExpression="SET visits = :new",
                ConditionExpression="attribute_not_exists(visits) OR visits < :new",
                ExpressionAttributeValues={":new": {"N": str(args.visits)}},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            now = current_visits(client, args.table)
            if now == args.visits:
                print(f"{args.table}: visits is already {now}; nothing to do")
                return 0
            print(f"set_visits: refusing to lower visits in {args.table} from {now} to {args.visits}", file=sys.stderr)
            return 1
        print(f"{args.table}: visits {shown} -> {args.visits}")
        return 0
    except (BotoCoreError, ClientError) as error:
        print(f"set_visits: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
