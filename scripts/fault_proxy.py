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

Without --upstream it is a DynamoDB stand-in: a forwarded request is answered 200 with the operation's
canned answer (default `{}`), so a function's code paths run fast without any real table.

Prints one JSON line {"endpoint": "http://127.0.0.1:N"} when ready; serves until its stdin closes.
Control endpoints (unsigned JSON, never forwarded):
  POST /_fault/script  {"<Operation>": ["throttle", "pass", "500-after", ...]}   faults used in turn
  POST /_fault/random  {"seed": 7, "rate": 0.3, "operations": [...], "faults": [...], "slowMs": 300}
  POST /_fault/canned  {"<Operation>": {...answer...}}                           stand-in answers
  GET  /_fault/stats   {"requests": {op: n}, "injected": {fault: n}, "events": [[op, fault], ...]}
  POST /_fault/reset   forget scripts, random mode and statistics
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
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "upgrade"}


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.scripts = {}
        self.random = None
        self.canned = {}
        self.requests = {}
        self.injected = {}
        self.events = []

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
                elif name == "stats" and self.command == "GET":
                    payload = {"requests": state.requests, "injected": state.injected, "events": state.events}
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
            try:
                status, headers, data = self.forward(body, operation)
            except (http.client.HTTPException, OSError):
                return self.reply(502, b'{"message":"upstream unreachable"}')
            if fault == "drop-after":
                return self.drop()
            if fault == "500-after":
                status, kind, message = ERRORS[fault]
                return self.reply(status, json.dumps({"__type": kind, "message": message}).encode(),
                                  [("Content-Type", "application/x-amz-json-1.0")])
            self.reply(status, data, headers)

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", help="http://host:port to forward to; none = DynamoDB stand-in")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    upstream = urlsplit(args.upstream) if args.upstream else None
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(State(), upstream))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"endpoint": f"http://127.0.0.1:{server.server_address[1]}"}), flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
