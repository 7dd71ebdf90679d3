#!/usr/bin/env python3
"""A loopback stand-in for the API Gateway Management API (@connections) that VERIFIES every request's
SigV4 signature with botocore, for the AWSClient tests.

- Listens on 127.0.0.1 (port 0 picks a free one), prints one JSON line {"port": N, "endpoint": "http://127.0.0.1:N"},
  serves until its stdin closes (so a test that dies never leaves it behind).
- Management API: POST/GET/DELETE {any stage path}/@connections/{id} (the id percent-decoded from the wire path).
  The signature is recomputed with botocore.auth.SigV4Auth for service execute-api against the configured
  credentials, with the time taken from X-Amz-Date, over exactly the headers the client says it signed
  (which must include host and x-amz-date, and x-amz-security-token when the credentials have a token).
  A bad signature gets 403 InvalidSignatureException; unknown keys 403 UnrecognizedClientException.
- Answers per connection id are scripted: a list of statuses used in turn, then a final status
  (default 200), and an optional delay. 410 → GoneException, 429 → LimitExceededException, 5xx → error.
- Account-wide throttling: for a while, every POST is answered 429 LimitExceededException whatever its
  connection's script (API Gateway's account-level limit is shared with every other API of the account).
- Control endpoints (unsigned, JSON):
    POST /_control/credentials {"accessKeyId", "secretAccessKey", "sessionToken"?, "region"?}
    POST /_control/behaviors   {"<connection id>": {"statuses": [429], "then": 200, "delayMs": 0}, ...}
    POST /_control/throttle    {"seconds": 3}: every POST gets 429 for that long, counted from the next POST
                               (so a slow start of the caller does not eat the window; 0 ends it)
    GET  /_control/requests    {"requests": [{"method", "path", "connectionId", "signatureValid", "problem",
                                              "body", "hasSessionToken", "status"}, ...]}
    POST /_control/reset       forget requests, behaviors and per-id counters (credentials stay)
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SERVICE = "execute-api"
ERROR_TYPES = {410: "GoneException", 429: "LimitExceededException", 403: "ForbiddenException",
               413: "PayloadTooLargeException", 500: "InternalServerErrorException", 503: "ServiceUnavailableException"}


class State:
    def __init__(self, region):
        self.lock = threading.Lock()
        self.region = region
        self.credentials = {}   # access key id -> (secret, token or None)
        self.behaviors = {}     # connection id -> {"statuses": [...], "then": int, "delayMs": int}
        self.counts = {}        # connection id -> requests seen
        self.requests = []
        self.throttled_until = 0.0  # time.monotonic() before which every POST is answered 429
        self.throttle_armed = 0.0   # seconds of throttling that start with the next POST


def verify(handler, state, body):
    """Returns None when the request is correctly signed, else a description of the problem."""
    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return "missing or non-SigV4 Authorization header"
    fields = {}
    for part in auth[len("AWS4-HMAC-SHA256 "):].split(","):
        key, _, value = part.strip().partition("=")
        fields[key] = value
    try:
        access_key, day, region, service, terminator = fields["Credential"].split("/")
        signed = fields["SignedHeaders"].split(";")
        signature = fields["Signature"]
    except (KeyError, ValueError):
        return "malformed Authorization header"
    with state.lock:
        known = state.credentials.get(access_key)
        expected_region = state.region
    if known is None:
        return "unknown access key"
    secret, token = known
    if region != expected_region or service != SERVICE or terminator != "aws4_request":
        return f"wrong credential scope {region}/{service}/{terminator}"
    amz_date = handler.headers.get("X-Amz-Date")
    if not amz_date or amz_date[:8] != day:
        return "missing X-Amz-Date or it disagrees with the credential scope"
    for required in ["host", "x-amz-date"] + (["x-amz-security-token"] if token else []):
        if required not in signed:
            return f"{required} is not signed"
    if token and handler.headers.get("X-Amz-Security-Token") != token:
        return "wrong or missing session token"
    if signed != sorted(signed):
        return "SignedHeaders not sorted"
    headers = {}
    for name in signed:
        values = handler.headers.get_all(name)
        if values is None:
            return f"signed header {name} is missing"
        headers[name] = ",".join(values)
    request = AWSRequest(method=handler.command, url=f"http://{handler.headers['Host']}{handler.path}",
                         headers=headers, data=body)
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(access_key, secret, token), SERVICE, expected_region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if expected != signature:
        return "signature mismatch"
    return None


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, payload=None, headers=None):
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if payload is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def control(self, body):
            name = self.path[len("/_control/"):]
            with state.lock:
                if name == "credentials" and self.command == "POST":
                    spec = json.loads(body)
                    state.credentials[spec["accessKeyId"]] = (spec["secretAccessKey"], spec.get("sessionToken"))
                    state.region = spec.get("region", state.region)
                elif name == "behaviors" and self.command == "POST":
                    state.behaviors.update(json.loads(body))
                elif name == "throttle" and self.command == "POST":
                    state.throttle_armed = float(json.loads(body).get("seconds", 0))
                    state.throttled_until = 0.0
                elif name == "requests" and self.command == "GET":
                    return self.reply(200, {"requests": list(state.requests)})
                elif name == "reset" and self.command == "POST":
                    state.behaviors.clear()
                    state.counts.clear()
                    state.requests.clear()
                    state.throttled_until = 0.0
                    state.throttle_armed = 0.0
                else:
                    return self.reply(404, {"message": "unknown control endpoint"})
            self.reply(200, {})

        def handle_any(self):
            body = self.body()
            if self.path.startswith("/_control/"):
                return self.control(body)
            raw_path = self.path.split("?", 1)[0]
            marker = "/%40connections/" if "/%40connections/" in raw_path else "/@connections/"
            if marker not in raw_path:
                return self.reply(404, {"message": "no such route"})
            connection_id = unquote(raw_path.split(marker, 1)[1])
            problem = verify(self, state, body)
            with state.lock:
                if self.command == "POST" and state.throttle_armed:
                    state.throttled_until = time.monotonic() + state.throttle_armed
                    state.throttle_armed = 0.0
                throttled = self.command == "POST" and time.monotonic() < state.throttled_until
                behavior = state.behaviors.get(connection_id, {})
                count = state.counts.get(connection_id, 0)
                if problem is not None:
                    status = 403
                elif throttled:
                    status = 429  # the account's limit: the connection's own script is not consumed
                else:
                    state.counts[connection_id] = count + 1
                    statuses = behavior.get("statuses", [])
                    status = statuses[count] if count < len(statuses) else behavior.get("then", 200)
                state.requests.append({
                    "method": self.command, "path": self.path, "connectionId": connection_id,
                    "signatureValid": problem is None, "problem": problem,
                    "body": body.decode("utf-8", "replace"),
                    "hasSessionToken": "X-Amz-Security-Token" in self.headers,
                    "status": status,
                })
            if problem is not None:
                kind = "UnrecognizedClientException" if problem == "unknown access key" else "InvalidSignatureException"
                return self.reply(403, {"message": f"signature check failed: {problem}"}, {"x-amzn-ErrorType": kind})
            if throttled:
                return self.reply(429, {"message": "Too Many Requests"}, {"x-amzn-ErrorType": "LimitExceededException:http://internal.amazon.com/"})
            if behavior.get("delayMs"):
                time.sleep(behavior["delayMs"] / 1000)
            if status >= 300:
                kind = ERROR_TYPES.get(status, "HTTPError")
                return self.reply(status, {"message": kind}, {"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/"})
            if self.command == "GET":
                return self.reply(200, {"connectedAt": "2026-01-01T00:00:00.000Z", "lastActiveAt": "2026-01-01T00:00:05.000Z",
                                        "identity": {"sourceIp": "127.0.0.1", "userAgent": "test-agent"}})
            if self.command == "DELETE":
                return self.reply(204)
            return self.reply(200)

        do_GET = do_POST = do_DELETE = do_PUT = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    state = State(args.region)
    # socketserver listens with a backlog of 5: a broadcast opens 64 connections at once, and the kernel
    # drops the handshakes past the backlog, so a request could sit unread for seconds, time out in the
    # client and then still be handled (the "message delivered twice" of the fan-out test). API Gateway
    # accepts them all at once; so does this server.
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state))
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": port, "endpoint": f"http://127.0.0.1:{port}"}), flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
