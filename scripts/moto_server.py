#!/usr/bin/env python3
"""Runs moto's server on loopback the way this project needs it (docs/design.md §7).

- One request at a time: moto's DynamoDB backend is not thread-safe and loses concurrent updates;
  real DynamoDB is atomic per request, so exact-count tests and `make dev` need the lock.
- Signature checking on (unless --no-auth): INITIAL_NO_AUTH_ACTION_COUNT lets the first requests
  through unsigned; this script spends them creating an IAM user, its policy and access key, then a
  role that the user may assume, and prints long-term and temporary (session-token) credentials.

- A cancelled TransactWriteItems is rolled back in place (vctools/moto_transactions.py): moto alone applies
  the transaction's writes, then swaps in a copy of every table it touches, so a stream reader holding an
  iterator of the old table's shard (taken just before) reads a record of the cancelled write, e.g. a
  count one higher than the table's, and the next real record, which reuses its sequence number, is
  skipped. Rolled back in place, no request ever sees the cancelled write; and a transaction costs O(1)
  instead of a copy of the tables (the load storms and the Swift spike tests need that too).

- With --state FILE (`make dev`), the tables outlive the process: they are loaded from FILE at start
  (definitions, streams, TTL and items) and written back when the server stops (stdin closed, SIGTERM
  or SIGINT), so the count carries over from one `make dev` to the next.

Prints one JSON line on stdout once ready:
  {"endpoint": "http://127.0.0.1:PORT", "region": ..., "accessKeyId": ..., "secretAccessKey": ...,
   "session": {"accessKeyId": ..., "secretAccessKey": ..., "sessionToken": ...}}
and serves until killed or until its stdin closes (so a test that dies never leaves it behind).
"""
import argparse
import json
import os
import signal
import sys
import threading

from vctools.moto_transactions import patch_moto_transactions
from vctools.paths import artifacts_dir

# The bootstrap below uses exactly this many unsigned actions; every later request must be signed.
FREE_ACTIONS = 5
os.environ.setdefault("INITIAL_NO_AUTH_ACTION_COUNT", str(FREE_ACTIONS))

ALLOW_ALL_TEST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["dynamodb:*", "sts:AssumeRole", "sts:GetCallerIdentity"], "Resource": "*"}],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--no-auth", action="store_true", help="turn signature checking off")
    parser.add_argument("--no-stdin-watch", action="store_true", help="keep running when stdin closes")
    parser.add_argument("--state", help="JSON file the tables are loaded from at start and saved to at exit")
    args = parser.parse_args()
    if args.no_auth:
        os.environ.pop("INITIAL_NO_AUTH_ACTION_COUNT", None)
    # Only now: moto reads INITIAL_NO_AUTH_ACTION_COUNT when it is first imported, and the patch imports it.
    patch_moto_transactions()

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    dispatcher = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def serialized(environ, start_response):
        with lock:
            # Materialise the body inside the lock: moto builds it lazily from backend state.
            return list(dispatcher(environ, start_response))

    try:
        server = make_server(args.host, args.port, serialized, threaded=True)
    except OSError as error:
        sys.exit(f"moto_server: cannot listen on {args.host}:{args.port}: {error.strerror}")
    port = server.socket.getsockname()[1]
    endpoint = f"http://{args.host}:{port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()

    info = {"endpoint": endpoint, "region": args.region}
    if not args.no_auth:
        info.update(bootstrap_credentials(endpoint, args.region))
        record_credentials(info)
    else:
        info.update({"accessKeyId": "testing", "secretAccessKey": "testing"})
    state = TableState(args.state, endpoint, args.region, info) if args.state else None
    if state:
        info["restored"] = state.load()

    stop = threading.Event()
    # SIGTERM and SIGINT end the server the same way as a closed stdin: tables saved, exit 0, no traceback.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(json.dumps(info), flush=True)

    if not args.no_stdin_watch:
        def watch_stdin():
            sys.stdin.read()  # returns when the parent closes our stdin or dies
            stop.set()
        threading.Thread(target=watch_stdin, daemon=True).start()
    while not stop.wait(0.5):
        pass
    if state:
        state.save()
    server.shutdown()


class TableState:
    """The tables as one JSON file: every table's definition (keys, stream, TTL) and items."""

    def __init__(self, path, endpoint, region, info):
        import boto3

        self.path = path
        self.client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=region,
                                   aws_access_key_id=info["accessKeyId"],
                                   aws_secret_access_key=info["secretAccessKey"])

    def load(self):
        """Creates the saved tables and puts their items; returns {table: item count}."""
        if not os.path.exists(self.path):
            return {}
        with open(self.path) as file:
            saved = json.load(file)
        restored = {}
        for table in saved.get("tables", []):
            definition = {key: table[key] for key in ("TableName", "KeySchema", "AttributeDefinitions")}
            if table.get("StreamSpecification"):
                definition["StreamSpecification"] = table["StreamSpecification"]
            self.client.create_table(BillingMode="PAY_PER_REQUEST", **definition)
            if table.get("TimeToLiveAttribute"):
                self.client.update_time_to_live(TableName=table["TableName"], TimeToLiveSpecification={
                    "Enabled": True, "AttributeName": table["TimeToLiveAttribute"]})
            items = table.get("Items", [])
            for start in range(0, len(items), 25):
                self.client.batch_write_item(RequestItems={
                    table["TableName"]: [{"PutRequest": {"Item": item}} for item in items[start:start + 25]]})
            restored[table["TableName"]] = len(items)
        return restored

    def save(self):
        """Writes every table to the file (through a temporary file, so a crash never leaves half a file)."""
        tables = []
        for name in self.client.list_tables().get("TableNames", []):
            description = self.client.describe_table(TableName=name)["Table"]
            ttl = self.client.describe_time_to_live(TableName=name).get("TimeToLiveDescription", {})
            items = []
            for page in self.client.get_paginator("scan").paginate(TableName=name, ConsistentRead=True):
                items.extend(page["Items"])
            stream = description.get("StreamSpecification")
            tables.append({
                "TableName": name,
                "KeySchema": description["KeySchema"],
                "AttributeDefinitions": description["AttributeDefinitions"],
                "StreamSpecification": stream if stream and stream.get("StreamEnabled") else None,
                "TimeToLiveAttribute": ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") == "ENABLED" else None,
                "Items": items,
            })
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        temporary = self.path + ".tmp"
        with open(temporary, "w") as file:
            json.dump({"version": 1, "tables": tables}, file)
        os.replace(temporary, self.path)


def record_credentials(info):
    """Appends the secrets made here to test-artifacts/credentials-seen.jsonl: tests/test_security.py
    searches every captured log for them (they are random per run, so only this file knows them)."""
    folder = artifacts_dir()
    secrets = [info["secretAccessKey"], info["session"]["secretAccessKey"], info["session"]["sessionToken"]]
    with open(os.path.join(folder, "credentials-seen.jsonl"), "a") as log:
        log.write(json.dumps({"secrets": secrets}) + "\n")


def bootstrap_credentials(endpoint, region):
    import boto3

    def client(service, **creds):
        return boto3.client(service, endpoint_url=endpoint, region_name=region,
                            aws_access_key_id=creds.get("key", "bootstrap"),
                            aws_secret_access_key=creds.get("secret", "bootstrap"),
                            aws_session_token=creds.get("token"))

    iam = client("iam")
    iam.create_user(UserName="visitor-counter-test")  # free action 1
    iam.put_user_policy(UserName="visitor-counter-test", PolicyName="test",  # free action 2
                        PolicyDocument=json.dumps(ALLOW_ALL_TEST_POLICY))
    key = iam.create_access_key(UserName="visitor-counter-test")["AccessKey"]  # free action 3
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="visitor-counter-function",  # free action 4
                           AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    # The role needs the same permissions, or every call made with the session credentials is denied.
    iam.put_role_policy(RoleName="visitor-counter-function", PolicyName="test",  # free action 5
                        PolicyDocument=json.dumps(ALLOW_ALL_TEST_POLICY))
    # From here on every request is signed and checked.
    sts = client("sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="test")["Credentials"]
    return {
        "accessKeyId": key["AccessKeyId"],
        "secretAccessKey": key["SecretAccessKey"],
        "session": {
            "accessKeyId": creds["AccessKeyId"],
            "secretAccessKey": creds["SecretAccessKey"],
            "sessionToken": creds["SessionToken"],
        },
    }


if __name__ == "__main__":
    main()
