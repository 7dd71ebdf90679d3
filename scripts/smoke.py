#!/usr/bin/env python3
"""Smoke test of a running VisitorCounter: a real deployment (`make smoke STACK=<name>`) or the local
stack of `make dev` (`scripts/smoke.py --url ws://127.0.0.1:8080/local`).

Opens two WebSockets the way two pages do and checks, in order:
  1. page A connects (a new visit) and its {"action":"sync"} is answered with the total;
  2. page B connects (another new visit): its sync answer is exactly one more than A's, and the new total
     is pushed to A (the stream → DBStreamProcessor → Management API path) within --timeout seconds;
  3. B reconnects with the same visit id (a dropped connection coming back): not counted again;
  4. {"action":"ping"} (the keep-alive route, answered by API Gateway itself) gets {"pong": true}.
It prints the timings (handshakes, first count, broadcast arrival, reconnect, pong) and exits 0, or
exits 1 with the reason (no answer, refused handshake (origin?), no broadcast within the timeout, ...).
Other visitors at the same moment can make step 2 or 3 see more than one visit: run it again.

With --stack it reads the URL from the stack's outputs (`WebSocketURL`) and then reads both functions'
recent CloudWatch logs and names every error found there, an init error first (e.g. a library that failed
to load): a broken deployment usually says why in those logs. Credentials and region come from the usual
AWS environment (AWS_PROFILE, AWS_REGION, ...).

usage: smoke.py (--url WS_URL | --stack NAME) [--origin ORIGIN] [--region REGION] [--timeout 10]
                [--log-minutes 15] [--json]
"""
import argparse
import contextlib
import json
import re
import secrets
import sys
import time

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.sync.client import connect

# ---------------------------------------------------------------- the WebSocket check


class SmokeFailure(Exception):
    """Why the deployment does not work, in words for its owner."""


def millis(start):
    return round((time.monotonic() - start) * 1000)


class Page:
    """One page-like connection: a visit id, every JSON frame received, the highest total seen."""

    def __init__(self, url, origin, timeout, visit_id=None, name="A"):
        self.name, self.url, self.origin, self.timeout = name, url, origin, timeout
        self.visit_id = visit_id or secrets.token_urlsafe(16)
        self.frames = []
        self.ws = None
        self.exits = contextlib.ExitStack()

    def open(self):
        """Connects; returns the handshake time in ms."""
        separator = "&" if "?" in self.url else "?"
        start = time.monotonic()
        try:
            self.ws = self.exits.enter_context(connect(
                f"{self.url}{separator}visit={self.visit_id}", origin=self.origin, open_timeout=self.timeout,
                close_timeout=2))
        except InvalidStatus as error:
            status = error.response.status_code
            hint = (f" Is the origin {self.origin!r} in AllowedOrigins?" if self.origin
                    else " If AllowedOrigins is set, pass --origin with one of them.")
            raise SmokeFailure(f"page {self.name}: the handshake was refused with HTTP {status} "
                               f"($connect did not answer 200).{hint}") from None
        except (InvalidURI, ValueError) as error:
            raise SmokeFailure(f"not a WebSocket URL: {self.url} ({error})") from None
        except TimeoutError:
            raise SmokeFailure(f"page {self.name}: no answer from {self.url} within {self.timeout} s") from None
        except (OSError, InvalidHandshake) as error:
            raise SmokeFailure(f"page {self.name}: no answer from {self.url}: {error}") from None
        return millis(start)

    def send(self, message):
        self.ws.send(json.dumps(message))

    def wait_for(self, predicate, what):
        """Reads frames until one satisfies `predicate`; returns it. Fails after the timeout."""
        deadline = time.monotonic() + self.timeout
        for frame in self.frames:
            if predicate(frame):
                return frame
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise SmokeFailure(f"page {self.name}: {what} within {self.timeout} s")
            try:
                text = self.ws.recv(timeout=left)
            except TimeoutError:
                continue
            except ConnectionClosed as error:
                raise SmokeFailure(f"page {self.name}: the connection closed while waiting for {what} "
                                   f"(code {error.rcvd.code if error.rcvd else 'none'})") from None
            try:
                frame = json.loads(text)
            except (TypeError, ValueError):
                continue
            if isinstance(frame, dict):
                self.frames.append(frame)
                if predicate(frame):
                    return frame

    def close(self):
        self.ws = None
        self.exits.close()


def visits_at_least(n):
    return lambda frame: isinstance(frame.get("visits"), int) and frame["visits"] >= n


def has_visits(frame):
    return isinstance(frame.get("visits"), int)


def run(url, origin=None, timeout=10.0):
    """The four checks; returns {"timings": {name: ms}, "visits": {...}}, or raises SmokeFailure."""
    timings, visits = {}, {}
    a = Page(url, origin, timeout, name="A")
    b = Page(url, origin, timeout, name="B")
    try:
        timings["handshakeA"] = a.open()
        start = time.monotonic()
        a.send({"action": "sync"})
        a.wait_for(has_visits, "no answer to sync (is the sync route deployed?)")
        timings["firstCount"] = millis(start)
        visits["afterA"] = max(f["visits"] for f in a.frames if has_visits(f))

        timings["handshakeB"] = b.open()
        start = time.monotonic()
        b.send({"action": "sync"})
        b_total = b.wait_for(has_visits, "no answer to sync")["visits"]
        visits["afterB"] = b_total
        added = b_total - visits["afterA"]
        if added < 1:
            raise SmokeFailure(f"page B's visit was not counted: the total stayed at {b_total}")
        pushed = a.wait_for(visits_at_least(b_total),
                            f"no broadcast of the new total {b_total} (the stream and DBStreamProcessor did not "
                            "push it; see DBStreamProcessor's logs)")
        timings["broadcast"] = millis(start)
        visits["pushedToA"] = pushed["visits"]
        if added != 1:
            raise SmokeFailure(f"one new visit raised the total by {added} ({visits['afterA']} → {b_total}); "
                               "other visitors at the same time? Run it again")

        # A dropped connection of the same page view coming back is not a new visit.
        b.close()
        again = Page(url, origin, timeout, visit_id=b.visit_id, name="B (reconnected)")
        try:
            start = time.monotonic()
            again.open()
            again.send({"action": "sync"})
            total = again.wait_for(has_visits, "no answer to sync")["visits"]
            timings["reconnect"] = millis(start)
        finally:
            again.close()
        visits["afterReconnect"] = total
        if total != b_total:
            raise SmokeFailure(f"a reconnect with the same visit id changed the total ({b_total} → {total}): "
                               "counted again, or other visitors at the same time")

        start = time.monotonic()
        a.send({"action": "ping"})
        a.wait_for(lambda frame: frame.get("pong") is True,
                   'no {"pong": true} for {"action":"ping"} (is the keep-alive route deployed? redeploy the template)')
        timings["pong"] = millis(start)
    finally:
        a.close()
        b.close()
    return {"timings": timings, "visits": visits}


# ---------------------------------------------------------------- a deployed stack: URL and logs

FUNCTION_LOG_GROUPS = {"DBUpdater": "DBUpdaterLogGroup", "DBStreamProcessor": "DBStreamProcessorLogGroup"}

LIBRARY = re.compile(r"error while loading shared libraries: ([^:\s]+): (.+)")
LIBCURL = re.compile(r"cannot load libcurl[^\n]*")
INIT_FAILED = re.compile(r"LambdaRuntime: initiali[sz]ation failed: ([^\n]+)")
TEXT_REPORT = re.compile(r"(INIT_REPORT|REPORT) .*Status: (error|timeout)(?:\s+Error Type: (\S+))?")
TIMED_OUT = re.compile(r"Task timed out after [\d.]+ seconds")


def stack_details(cloudformation, stack):
    """(WebSocketURL, {function: log group name}) of a stack."""
    try:
        described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    except Exception as error:  # noqa: BLE001 - botocore's ClientError and friends: name the stack and the reason
        raise SmokeFailure(f"cannot read stack {stack}: {error}") from None
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    if "WebSocketURL" not in outputs:
        raise SmokeFailure(f"stack {stack} has no WebSocketURL output (status {described.get('StackStatus')})")
    groups = {}
    for function, logical_id in FUNCTION_LOG_GROUPS.items():
        resource = cloudformation.describe_stack_resource(StackName=stack, LogicalResourceId=logical_id)
        groups[function] = resource["StackResourceDetail"]["PhysicalResourceId"]
    return outputs["WebSocketURL"], groups


def classify(message):
    """The problem one log line reports, in words, or None. Knows the runtime's own lines (plain text on
    stderr), our JSON log lines (`level`), and Lambda's platform records in JSON and text format."""
    text = message.strip()
    match = LIBRARY.search(text)
    if match:
        return f"init error: the library {match.group(1)} failed to load ({match.group(2).strip()})"
    match = LIBCURL.search(text)
    if match:
        return f"init error: {match.group(0).strip()}"
    match = INIT_FAILED.search(text)
    if match:
        return f"init error: {match.group(1).strip()}"
    try:
        record = json.loads(text)
    except ValueError:
        record = None
    if isinstance(record, dict):
        kind = record.get("type", "")
        details = record.get("record") if isinstance(record.get("record"), dict) else {}
        status = details.get("status")
        if kind in ("platform.initReport", "platform.initRuntimeDone") and status not in (None, "success"):
            return f"init {status}: {details.get('errorType', 'no error type')}"
        if kind in ("platform.report", "platform.runtimeDone") and status not in (None, "success"):
            return f"invocation {status}: {details.get('errorType', 'no error type')}"
        level = str(record.get("level", "")).upper()
        if level in ("ERROR", "FATAL") or "errorType" in record:
            what = record.get("errorMessage") or record.get("message") or text
            kind = record.get("errorType")
            return f"{level.lower() or 'error'}: {what}" + (f" ({kind})" if kind else "")
        if isinstance(record.get("message"), str) and record["message"] != text:
            return classify(record["message"])  # a plain-text line Lambda wrapped in JSON
        return None
    match = TEXT_REPORT.search(text)
    if match:
        phase = "init" if match.group(1) == "INIT_REPORT" else "invocation"
        return f"{phase} {match.group(2)}: {match.group(3) or 'no error type'}"
    if TIMED_OUT.search(text):
        return "invocation timeout: " + TIMED_OUT.search(text).group(0)
    return None


def scan_logs(logs, groups, minutes, now_ms=None):
    """{function: [problem, ...]} from each log group's events of the last `minutes` (each problem once,
    with how often it was seen); a log group that cannot be read is reported as a problem too."""
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    found = {}
    for function, group in groups.items():
        counts = {}
        try:
            for page in logs.get_paginator("filter_log_events").paginate(
                    logGroupName=group, startTime=now_ms - minutes * 60_000, endTime=now_ms):
                for event in page.get("events", []):
                    problem = classify(event.get("message", ""))
                    if problem:
                        counts[problem] = counts.get(problem, 0) + 1
        except Exception as error:  # noqa: BLE001 - e.g. ResourceNotFoundException before the first invocation
            counts[f"cannot read the log group {group}: {error}"] = 1
        # Init errors first: they explain the rest.
        ordered = sorted(counts.items(), key=lambda item: (not item[0].startswith("init"), item[0]))
        found[function] = [p if n == 1 else f"{p} (×{n})" for p, n in ordered]
    return found


# ---------------------------------------------------------------- command line

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="ws:// or wss:// URL incl. the stage, e.g. wss://abc.execute-api.eu-west-1.amazonaws.com/prod")
    where.add_argument("--stack", help="CloudFormation stack name: URL from its outputs, and its functions' logs")
    parser.add_argument("--origin", help="Origin header to send (must be in AllowedOrigins when that is set)")
    parser.add_argument("--region", help="AWS region of the stack (default: the AWS environment's)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each answer (default 10)")
    parser.add_argument("--log-minutes", type=int, default=15, help="how far back to read the logs (default 15)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args(argv)

    url, groups, session = args.url, None, None
    result = {"ok": False, "url": url}
    try:
        if args.stack:
            import boto3  # only needed for a deployed stack
            session = boto3.session.Session(region_name=args.region)
            url, groups = stack_details(session.client("cloudformation"), args.stack)
            result["url"] = url
        if not url.startswith(("ws://", "wss://")):
            raise SmokeFailure(f"not a WebSocket URL (ws:// or wss://): {url}")
        result.update(run(url, args.origin, args.timeout))
        result["ok"] = True
    except SmokeFailure as failure:
        result["reason"] = str(failure)
    if groups is not None:
        result["logs"] = scan_logs(session.client("logs"), groups, args.log_minutes)
        problems = [f"{fn}: {p}" for fn, ps in result["logs"].items() for p in ps]
        if problems and result["ok"]:
            result["ok"] = False
            result["reason"] = "errors in the functions' logs: " + "; ".join(problems)
    report(result, args)
    return 0 if result["ok"] else 1


LABELS = [("handshakeA", "handshake A"), ("firstCount", "first count (sync)"), ("handshakeB", "handshake B"),
          ("broadcast", "broadcast to A"), ("reconnect", "reconnect B, not counted"), ("pong", "ping → pong")]


def report(result, args):
    if args.json:
        print(json.dumps(result, sort_keys=True))
        return
    print(f"smoke: {result['url']}" + (f" (origin {args.origin})" if args.origin else ""))
    for key, label in LABELS:
        if key in result.get("timings", {}):
            print(f"  {label:<26} {result['timings'][key]:>6} ms")
    if result.get("visits"):
        print("  visits: " + ", ".join(f"{k} {v}" for k, v in result["visits"].items()))
    for function, problems in (result.get("logs") or {}).items():
        print(f"  logs of {function}: " + ("no errors" if not problems else ""))
        for problem in problems:
            print(f"    {problem}")
    print("smoke: OK" if result["ok"] else f"smoke: FAIL: {result['reason']}", file=sys.stdout if result["ok"] else sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
