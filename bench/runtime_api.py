"""A loopback Lambda Runtime API for the benchmarks: one function instance, one invocation at a time.

Records when each `GET /next` arrives (time.monotonic_ns, the same clock as CLOCK_MONOTONIC), when each
invocation was handed out and when its response (or error) arrived, so the harness can time cold starts
("spawn → first /next", "spawn → first response") and warm invocations ("hand-out → response").
https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
"""
import queue
import threading
import time

from loopback_http import LoopbackHTTPServer

PREFIX = "/2018-06-01/runtime/"


class RuntimeAPI:
    def __init__(self):
        self.events = queue.Queue()
        self.results = queue.Queue()
        self.next_arrivals = []
        self.init_error = None
        self.counter = 0
        self.lock = threading.Lock()
        self.handed = {}
        self.server = LoopbackHTTPServer(self._handle)
        self.address = f"127.0.0.1:{self.server.port}"

    def close(self):
        self.server.close()

    def invoke(self, event: bytes, timeout=120):
        """Queues `event`, waits for its outcome: (kind, body, handed_ns, done_ns); kind is response or error."""
        with self.lock:
            self.counter += 1
            request_id = f"bench-{self.counter:08d}"
        self.events.put((request_id, event))
        return self.results.get(timeout=timeout)

    def _handle(self, method, path, headers, body):
        now = time.monotonic_ns()
        if method == "GET" and path == PREFIX + "invocation/next":
            self.next_arrivals.append(now)
            request_id, event = self.events.get()
            deadline_ms = int(time.time() * 1000) + 900_000
            self.handed[request_id] = time.monotonic_ns()
            return 200, {
                "Content-Type": "application/json",
                "Lambda-Runtime-Aws-Request-Id": request_id,
                "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:bench",
                "Lambda-Runtime-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0",
            }, event
        if method == "POST" and path == PREFIX + "init/error":
            self.init_error = body
            self.results.put(("init-error", body, now, now))
            return 202, {}, b'{"status":"OK"}'
        if method == "POST" and path.startswith(PREFIX + "invocation/"):
            parts = path[len(PREFIX + "invocation/"):].split("/")
            if len(parts) == 2 and parts[1] in ("response", "error"):
                handed = self.handed.pop(parts[0], now)
                self.results.put((parts[1], body, handed, now))
                return 202, {}, b'{"status":"OK"}'
        return 404, {}, b'{"errorMessage":"not found"}'
