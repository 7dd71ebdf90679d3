#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for DynamoDB's JSON protocol, on loopback, for the robustness tests.

Sits between a function and moto (or stands in for DynamoDB altogether) and, per operation (the
`X-Amz-Target` suffix: TransactWriteItems, PutItem, Scan, ...), injects faults chosen by a script or
by a seeded random draw. Requests are forwarded byte for byte (Host header included), so SigV4
signatures still verify upstream.

Faults (names used by the control API and in the statistics):
  pass         forward unchanged
  throttle     400 ProvisionedThroughputExceededException, not forwarded
  throttling   400 ThrottlingException, not forwarded
  500          500 InternalServerError, not forwarded
  500-after    forwarded (upstream APPLIES it), then 500 instead of the answer: an unknown outcome
  drop         connection closed without an answer, not forwarded
  drop-after   forwarded (upstream APPLIES it), then the connection closed without an answer
  slow         answer delayed by slowMs, then forwarded

Contention (--contention-ms MS, or POST /_fault/contention at run time) models what moto, serving one
request at a time, never shows: DynamoDB's transaction conflicts. A TransactWriteItems holds every item
it touches (table + key) for MS ms around its forwarding (half before, half after); while it does:
  - another TransactWriteItems touching a held item is answered 400 TransactionCanceledException, with
    CancellationReasons in action order (TransactionConflict for the held items, None for the others),
    as DynamoDB shapes it, and is not forwarded;
  - a PutItem, UpdateItem or DeleteItem of a held item is answered 400 TransactionConflictException;
  - reads (GetItem, BatchGetItem, Scan, Query, ...) pass.
A Put's key is taken from its Item: the attributes named as key of that table in any request seen so far
(a Key member), plus --key-attributes (default id,connectionId: the two tables of this project).
See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling

Without --upstream it is a DynamoDB stand-in: a forwarded request is answered 200 with the operation's
canned answer (default `{}`), so a function's code paths run fast without any real table.

Prints one JSON line {"endpoint": "http://127.0.0.1:N"} when ready; serves until its stdin closes.
Control endpoints (unsigned JSON, never forwarded):
  POST /_fault/script  {"<Operation>": ["throttle", "pass", "500-after", ...]}   faults used in turn
  POST /_fault/random  {"seed": 7, "rate": 0.3, "operations": [...], "faults": [...], "slowMs": 300}
  POST /_fault/canned  {"<Operation>": {...answer...}}                           stand-in answers
  POST /_fault/contention {"ms": 20}                                               transaction window (0 = off)
  GET  /_fault/stats   {"requests": {op: n}, "injected": {fault: n}, "events": [[op, fault], ...],
                        "conflicts": {op: n}, "conflictsTotal": n, "held": items held now, "contentionMs": ms}
  POST /_fault/reset   forget scripts, random mode and statistics (the contention window stays)
Nothing it logs carries a header: no Authorization, signature or session token ever reaches a log.
"""
import argparse
import http.client
import json
import random
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = ("pass", "throttle", "throttling", "500", "500-after", "drop", "drop-after", "slow")
ERRORS = {
    "throttle": (400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                 "The level of configured provisioned throughput for the table was exceeded."),
    "throttling": (400, "com.amazon.coral.availability#ThrottlingException", "Rate exceeded"),
    "500": (500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error"),
    "500-after": (500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error"),
}
CONFLICT_MESSAGE = "Transaction is ongoing for the item"
WRITES = ("PutItem", "UpdateItem", "DeleteItem")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "upgrade"}


class State:
    def __init__(self, contention_ms=0, key_attributes=("id", "connectionId")):
        self.lock = threading.Lock()
        self.contention_ms = contention_ms
        self.default_keys = set(key_attributes)
        self.key_names = {}  # table -> key attribute names seen in Key members
        self.held = {}       # (table, canonical key) -> owner
        self.reset()

    def reset(self):
        self.scripts = {}
        self.random = None
        self.canned = {}
        self.requests = {}
        self.injected = {}
        self.events = []
        self.conflicts = {}

    def item_key(self, table, action):
        """(table, canonical key JSON) of one write or check; None when it names no item."""
        key = action.get("Key")
        with self.lock:  # handler threads learn key names concurrently
            if isinstance(key, dict):
                self.key_names.setdefault(table, set()).update(key)
            elif isinstance(action.get("Item"), dict):
                names = self.key_names.get(table, set()) | self.default_keys
                key = {name: value for name, value in action["Item"].items() if name in names}
        if not key:
            return None
        return table, json.dumps(key, sort_keys=True)

    def transaction_keys(self, body):
        """One entry per TransactItems action, in order: its (table, key) or None."""
        keys = []
        for entry in body.get("TransactItems", []):
            action = next(iter(entry.values()), {}) if isinstance(entry, dict) and entry else {}
            keys.append(self.item_key(action.get("TableName"), action) if isinstance(action, dict) else None)
        return keys

    def acquire(self, operation, keys, owner):
        """Holds `keys` for `owner` and returns None, or, when one is held already, counts a conflict and
        returns which of them are (nothing is held then)."""
        with self.lock:
            busy = [key is not None and key in self.held for key in keys]
            if any(busy):
                self.conflicts[operation] = self.conflicts.get(operation, 0) + 1
                return busy
            for key in keys:
                if key is not None:
                    self.held[key] = owner
            return None

    def release(self, keys, owner):
        with self.lock:
            for key in keys:
                if key is not None and self.held.get(key) is owner:
                    del self.held[key]

    def is_held(self, operation, key):
        """Whether a single-item write hits a held item (counted as a conflict)."""
        with self.lock:
            if key is None or key not in self.held:
                return False
            self.conflicts[operation] = self.conflicts.get(operation, 0) + 1
            return True

    def choose(self, operation):
        """The fault for this request, and the slow delay in ms; records the choice."""
        with self.lock:
            self.requests[operation] = self.requests.get(operation, 0) + 1
            fault, slow_ms = "pass", 0
            queue = self.scripts.get(operation)
            if queue:
                fault = queue.pop(0)
                slow_ms = 500
            elif self.random and operation in self.random["operations"]:
                mode = self.random
                if mode["rng"].random() < mode["rate"]:
                    fault = mode["rng"].choice(mode["faults"])
                slow_ms = mode["slowMs"]
            if fault.startswith("slow:"):
                fault, slow_ms = "slow", int(fault[5:])
            self.injected[fault] = self.injected.get(fault, 0) + 1
            self.events.append([operation, fault])
            return fault, slow_ms


def make_handler(state, upstream):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        upstream_connection = None

        def log_message(self, *args):
            pass

        def reply(self, status, body, headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def drop(self):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def control(self, body):
            name = self.path[len("/_fault/"):]
            with state.lock:
                if name == "script" and self.command == "POST":
                    for operation, faults in json.loads(body).items():
                        unknown = [f for f in faults if f not in FAULTS and not f.startswith("slow:")]
                        if unknown:
                            return self.reply(400, json.dumps({"unknown": unknown}).encode())
                        state.scripts.setdefault(operation, []).extend(faults)
                elif name == "random" and self.command == "POST":
                    spec = json.loads(body)
                    state.random = {"rng": random.Random(spec["seed"]), "rate": spec["rate"],
                                    "operations": set(spec["operations"]), "faults": spec["faults"],
                                    "slowMs": spec.get("slowMs", 300)}
                elif name == "canned" and self.command == "POST":
                    state.canned.update(json.loads(body))
                elif name == "contention" and self.command == "POST":
                    state.contention_ms = max(0, int(json.loads(body).get("ms", 0)))
                elif name == "stats" and self.command == "GET":
                    payload = {"requests": state.requests, "injected": state.injected, "events": state.events,
                               "conflicts": state.conflicts, "conflictsTotal": sum(state.conflicts.values()),
                               "held": len(state.held), "contentionMs": state.contention_ms}
                    return self.reply(200, json.dumps(payload).encode(), [("Content-Type", "application/json")])
                elif name == "reset" and self.command == "POST":
                    state.reset()
                else:
                    return self.reply(404, b'{"message":"unknown control endpoint"}')
            self.reply(200, b"{}", [("Content-Type", "application/json")])

        def forward(self, body, operation):
            """The upstream's (status, headers, body), or the stand-in's canned answer."""
            if upstream is None:
                with state.lock:
                    canned = state.canned.get(operation, {})
                return 200, [("Content-Type", "application/x-amz-json-1.0")], json.dumps(canned).encode()
            for attempt in range(2):  # once more on a stale keep-alive connection to the upstream
                if self.upstream_connection is None:
                    self.upstream_connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
                try:
                    self.upstream_connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                    for name, value in self.headers.items():
                        if name.lower() not in HOP_BY_HOP:
                            self.upstream_connection.putheader(name, value)
                    self.upstream_connection.putheader("Content-Length", str(len(body)))
                    self.upstream_connection.endheaders(body)
                    response = self.upstream_connection.getresponse()
                    data = response.read()
                    headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
                    return response.status, headers, data
                except (http.client.HTTPException, OSError):
                    self.upstream_connection.close()
                    self.upstream_connection = None
                    if attempt == 1:
                        raise

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.startswith("/_fault/"):
                return self.control(body)
            operation = (self.headers.get("X-Amz-Target") or "none").rsplit(".", 1)[-1]
            fault, slow_ms = state.choose(operation)
            if fault == "drop":
                return self.drop()
            if fault in ("throttle", "throttling", "500"):
                status, kind, message = ERRORS[fault]
                return self.reply(status, json.dumps({"__type": kind, "message": message}).encode(),
                                  [("Content-Type", "application/x-amz-json-1.0")])
            if fault == "slow":
                time.sleep(slow_ms / 1000)
            held, window = self.contend(operation, body)
            if held is False:
                return None  # refused as a conflict, already answered
            try:
                if window:
                    time.sleep(window / 2)
                status, headers, data = self.forward(body, operation)
                if window:
                    time.sleep(window / 2)
            except (http.client.HTTPException, OSError):
                return self.reply(502, b'{"message":"upstream unreachable"}')
            finally:
                if held:
                    state.release(held, self)
            if fault == "drop-after":
                return self.drop()
            if fault == "500-after":
                status, kind, message = ERRORS[fault]
                return self.reply(status, json.dumps({"__type": kind, "message": message}).encode(),
                                  [("Content-Type", "application/x-amz-json-1.0")])
            self.reply(status, data, headers)

        def contend(self, operation, body):
            """The contention model: (keys held by this request, hold seconds) to go on with, or
            (False, 0) once a conflict has been answered. Off (no keys, 0) when the window is 0."""
            window = state.contention_ms / 1000
            if not window or (operation != "TransactWriteItems" and operation not in WRITES):
                return [], 0
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                return [], 0
            if operation != "TransactWriteItems":
                if state.is_held(operation, state.item_key(request.get("TableName"), request)):
                    self.error(400, "TransactionConflictException", {"message": CONFLICT_MESSAGE})
                    return False, 0
                return [], 0
            keys = state.transaction_keys(request)
            busy = state.acquire(operation, keys, self)
            if busy is None:
                return keys, window
            reasons = [{"Code": "TransactionConflict", "Message": CONFLICT_MESSAGE} if b else {"Code": "None"} for b in busy]
            summary = ", ".join("TransactionConflict" if b else "None" for b in busy)
            self.error(400, "TransactionCanceledException", {
                "CancellationReasons": reasons,
                "Message": f"Transaction cancelled, please refer cancellation reasons for specific reasons [{summary}]"})
            return False, 0

        def error(self, status, kind, fields):
            payload = {"__type": f"com.amazonaws.dynamodb.v20120810#{kind}", **fields}
            self.reply(status, json.dumps(payload).encode(), [("Content-Type", "application/x-amz-json-1.0")])

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", help="http://host:port to forward to; none = DynamoDB stand-in")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--contention-ms", type=int, default=0,
                        help="how long a TransactWriteItems holds its items (0: no contention model)")
    parser.add_argument("--key-attributes", default="id,connectionId",
                        help="attribute names that are a table's key, for Put items (comma-separated)")
    args = parser.parse_args()
    upstream = urlsplit(args.upstream) if args.upstream else None
    state = State(max(0, args.contention_ms), [name for name in args.key_attributes.split(",") if name])
    # socketserver listens with a backlog of 5: a broadcast opens 64 connections at once, and the kernel
    # drops the handshakes past the backlog, so a request could sit unread for seconds, time out in the
    # client and then still be handled (the "message delivered twice" of the fan-out test). API Gateway
    # accepts them all at once; so does this server.
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state, upstream))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"endpoint": f"http://127.0.0.1:{server.server_address[1]}"}), flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
