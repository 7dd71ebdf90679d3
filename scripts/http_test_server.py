#!/usr/bin/env python3
"""Loopback HTTP/1.1 server for the CurlHTTP tests (Python standard library only).

Binds 127.0.0.1 on a free port, prints the port as the first stdout line and serves until stdin
closes (so it dies with the test process that started it). Keep-alive is on (HTTP/1.1, every
response has a Content-Length), so tests can count how many TCP connections a client opened.

Behaviour is chosen by path:
  /status/<code>        answers <code> (429 also carries Retry-After: 0)
  /delay/<ms>           answers 200 after <ms> milliseconds
  /echo                 answers JSON {"method", "headers": [[name, value]...], "body": base64}
  /bytes/<n>            answers n bytes (i % 251), with a mixed-case header X-Mixed-Case: yes
  /flaky/<key>/<n>      answers 500 (or ?status=<code>) for the first n requests with that key, then 200
  /hang                 never answers (the handler waits until the client goes away)
Control endpoints (not counted in the statistics):
  GET  /_stats          JSON {"connections", "requests", "inFlight", "maxInFlight"}
  POST /_reset          zeroes every counter and forgets the flaky keys

With --tls-cert/--tls-key the server speaks HTTPS (used to check that a self-signed certificate is
rejected).
"""
import argparse
import base64
import json
import select
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
stats = {"connections": 0, "requests": 0, "inFlight": 0, "maxInFlight": 0}
flaky_counts = {}


def reset():
    with lock:
        for key in stats:
            stats[key] = 0
        flaky_counts.clear()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet: the tests read stdout for the port only
        pass

    def setup(self):
        super().setup()
        # A connection counts once it carried a request that is not a control request, so the
        # test's own control connection does not disturb the figures.
        self.counted = False

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def do_HEAD(self):
        self.dispatch()

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            count = int(length)
        except ValueError:
            count = -1
        if count < 0:
            self.close_connection = True
            return None
        return self.rfile.read(count)

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def dispatch(self):
        body = self.read_body()
        if body is None:
            self.send(400, b"bad Content-Length")
            return
        path, _, query = self.path.partition("?")
        if path == "/_stats":
            with lock:
                payload = json.dumps(stats).encode()
            self.send(200, payload, [("Content-Type", "application/json")])
            return
        if path == "/_reset":
            reset()
            self.send(204)
            return
        with lock:
            if not self.counted:
                self.counted = True
                stats["connections"] += 1
            stats["requests"] += 1
            stats["inFlight"] += 1
            stats["maxInFlight"] = max(stats["maxInFlight"], stats["inFlight"])
        try:
            self.route(path, query, body)
        finally:
            with lock:
                stats["inFlight"] -= 1

    def route(self, path, query, body):
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and parts[0] == "status" and parts[1].isdigit():
            status = int(parts[1])
            extra = [("Retry-After", "0")] if status == 429 else []
            self.send(status, b"status %d" % status, extra)
        elif len(parts) == 2 and parts[0] == "delay" and parts[1].isdigit():
            time.sleep(int(parts[1]) / 1000)
            self.send(200, b"delayed")
        elif parts == ["echo"]:
            payload = {
                "method": self.command,
                "headers": [[name, value] for name, value in self.headers.items()],
                "body": base64.b64encode(body).decode(),
            }
            self.send(200, json.dumps(payload).encode(), [("Content-Type", "application/json")])
        elif len(parts) == 2 and parts[0] == "bytes" and parts[1].isdigit():
            data = bytes(i % 251 for i in range(int(parts[1])))
            self.send(200, data, [("X-Mixed-Case", "yes"), ("Content-Type", "application/octet-stream")])
        elif len(parts) == 3 and parts[0] == "flaky" and parts[2].isdigit():
            with lock:
                seen = flaky_counts.get(parts[1], 0)
                flaky_counts[parts[1]] = seen + 1
            if seen < int(parts[2]):
                code = query[len("status="):] if query.startswith("status=") else ""
                status = int(code) if code.isdigit() else 500
                self.send(status, b"flaky failure")
            else:
                self.send(200, b"flaky ok")
        elif parts == ["hang"]:
            self.hang()
        else:
            self.send(404, b"no such endpoint")

    def hang(self):
        # Never answer; return (and drop the connection) once the client closes its side.
        self.close_connection = True
        while True:
            readable, _, _ = select.select([self.connection], [], [], 0.2)
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return
                except OSError:
                    return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Serve until whoever started us closes our stdin (or dies).
    sys.stdin.buffer.read()
    server.shutdown()


if __name__ == "__main__":
    main()
