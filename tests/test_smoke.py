"""scripts/smoke.py: the log scan and the stack lookup against botocore's Stubber (canned AWS answers, no
account), and the whole check against the local stack: a pass, a refused origin, no answer, and a broadcast
that never comes (the gateway's Management API throttled for longer than the smoke test waits)."""
import importlib.util
import json
import subprocess
import sys

import boto3
import pytest
from botocore.stub import Stubber

from vctools.local_stack import Gateway, free_port, running_stack
from vctools.paths import ROOT

# scripts/ is what a user runs, not a package: load the script as a module by its path.
_spec = importlib.util.spec_from_file_location("smoke", ROOT / "scripts" / "smoke.py")
smoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smoke)

SMOKE = [sys.executable, str(ROOT / "scripts" / "smoke.py")]


# ---------------------------------------------------------------- the log scan (canned data)

@pytest.mark.parametrize("line, expected", [
    ("/var/task/bootstrap: error while loading shared libraries: libcurl.so.4: cannot open shared object file: "
     "No such file or directory",
     "init error: the library libcurl.so.4 failed to load (cannot open shared object file: No such file or directory)"),
    ("LambdaRuntime: initialisation failed: VISITOR_COUNT_TABLE is not set",
     "init error: VISITOR_COUNT_TABLE is not set"),
    ("cannot load libcurl: tried libcurl.so.4 (not found), libcurl.so (not found)",
     "init error: cannot load libcurl: tried libcurl.so.4 (not found), libcurl.so (not found)"),
    (json.dumps({"time": "2026-12-02T00:00:00Z", "type": "platform.initReport",
                 "record": {"initializationType": "on-demand", "phase": "init", "status": "error",
                            "errorType": "Runtime.ExitError"}}),
     "init error: Runtime.ExitError"),
    (json.dumps({"type": "platform.report", "record": {"status": "timeout", "requestId": "r"}}),
     "invocation timeout: no error type"),
    (json.dumps({"timestamp": "t", "level": "ERROR", "requestId": "r", "message": "could not count the visit"}),
     "error: could not count the visit"),
    (json.dumps({"errorType": "VisitorCounterError", "errorMessage": "boom"}), "error: boom (VisitorCounterError)"),
    ("INIT_REPORT Init Duration: 10.1 ms Phase: init Status: error Error Type: Runtime.ExitError",
     "init error: Runtime.ExitError"),
    ("2026-12-02T00:00:00.000Z r Task timed out after 10.01 seconds", "invocation timeout: Task timed out after 10.01 seconds"),
])
def test_classify_names_the_problem(line, expected):
    assert smoke.classify(line) == expected


@pytest.mark.parametrize("line", [
    json.dumps({"timestamp": "t", "level": "INFO", "message": "broadcast", "sent": 3, "failed": 0}),
    json.dumps({"type": "platform.initReport", "record": {"status": "success"}}),
    json.dumps({"type": "platform.report", "record": {"status": "success"}}),
    "START RequestId: r Version: $LATEST",
    "REPORT RequestId: r Duration: 3.2 ms Billed Duration: 4 ms",
    json.dumps({"level": "WARN", "message": "retrying"}),
])
def test_classify_ignores_healthy_lines(line):
    assert smoke.classify(line) is None


def test_scan_logs_reads_each_group_names_init_errors_first_and_counts_repeats():
    logs = boto3.client("logs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    now = 1_800_000_000_000
    window = {"startTime": now - 15 * 60_000, "endTime": now}
    with Stubber(logs) as stub:
        stub.add_response("filter_log_events", {
            "events": [{"message": json.dumps({"level": "ERROR", "message": "could not count the visit"})}],
            "nextToken": "page2"}, {"logGroupName": "/aws/lambda/s/DBUpdater", **window})
        stub.add_response("filter_log_events", {"events": [
            {"message": json.dumps({"level": "ERROR", "message": "could not count the visit"})},
            {"message": "/var/task/bootstrap: error while loading shared libraries: libcurl.so.4: cannot open "
                        "shared object file: No such file or directory"},
            {"message": json.dumps({"level": "INFO", "message": "ok"})},
        ]}, {"logGroupName": "/aws/lambda/s/DBUpdater", "nextToken": "page2", **window})
        stub.add_response("filter_log_events", {"events": [
            {"message": json.dumps({"level": "INFO", "message": "broadcast", "sent": 0})}]},
            {"logGroupName": "/aws/lambda/s/DBStreamProcessor", **window})
        found = smoke.scan_logs(logs, {"DBUpdater": "/aws/lambda/s/DBUpdater",
                                       "DBStreamProcessor": "/aws/lambda/s/DBStreamProcessor"}, 15, now_ms=now)
        stub.assert_no_pending_responses()
    assert found == {
        "DBUpdater": [
            "init error: the library libcurl.so.4 failed to load (cannot open shared object file: No such file or directory)",
            "error: could not count the visit (×2)"],
        "DBStreamProcessor": [],
    }


def test_scan_logs_reports_a_log_group_it_cannot_read():
    logs = boto3.client("logs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(logs) as stub:
        stub.add_client_error("filter_log_events", "ResourceNotFoundException", "The specified log group does not exist.")
        found = smoke.scan_logs(logs, {"DBUpdater": "/aws/lambda/s/DBUpdater"}, 5, now_ms=1_000_000_000)
    (problem,) = found["DBUpdater"]
    assert problem.startswith("cannot read the log group /aws/lambda/s/DBUpdater") and "does not exist" in problem


def test_stack_details_reads_the_url_output_and_the_log_groups():
    cloudformation = boto3.client("cloudformation", region_name="eu-west-1", aws_access_key_id="x",
                                  aws_secret_access_key="x")
    url = "wss://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    created = "2026-12-01T00:00:00Z"
    with Stubber(cloudformation) as stub:
        stub.add_response("describe_stacks", {"Stacks": [{
            "StackName": "counter", "CreationTime": created, "StackStatus": "CREATE_COMPLETE",
            "Outputs": [{"OutputKey": "WebSocketURL", "OutputValue": url},
                        {"OutputKey": "WebSocketApiId", "OutputValue": "abc123"}]}]}, {"StackName": "counter"})
        for logical_id, name in (("DBUpdaterLogGroup", "/aws/lambda/counter/DBUpdater"),
                                 ("DBStreamProcessorLogGroup", "/aws/lambda/counter/DBStreamProcessor")):
            stub.add_response("describe_stack_resource", {"StackResourceDetail": {
                "LogicalResourceId": logical_id, "PhysicalResourceId": name, "ResourceType": "AWS::Logs::LogGroup",
                "LastUpdatedTimestamp": created, "ResourceStatus": "CREATE_COMPLETE"}},
                {"StackName": "counter", "LogicalResourceId": logical_id})
        assert smoke.stack_details(cloudformation, "counter") == (url, {
            "DBUpdater": "/aws/lambda/counter/DBUpdater", "DBStreamProcessor": "/aws/lambda/counter/DBStreamProcessor"})
    # The logical ids it asks for are the template's.
    template = (ROOT / "template.yaml").read_text()
    assert all(f"\n  {logical_id}:\n" in template for logical_id in smoke.FUNCTION_LOG_GROUPS.values())

    with Stubber(cloudformation) as stub:
        stub.add_client_error("describe_stacks", "ValidationError", "Stack with id nope does not exist")
        with pytest.raises(smoke.SmokeFailure, match=r"cannot read stack nope: .*does not exist"):
            smoke.stack_details(cloudformation, "nope")


def test_makefile_smoke_target_passes_the_stack_or_the_url():
    makefile = (ROOT / "Makefile").read_text()
    assert "\nsmoke:" in makefile
    dry = subprocess.run(["make", "-n", "smoke", "STACK=counter", "REGION=eu-west-1"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "scripts/smoke.py --stack counter --region eu-west-1" in dry
    dry = subprocess.run(["make", "-n", "smoke", "URL=ws://127.0.0.1:9/local", "ORIGIN=https://a.example"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "scripts/smoke.py --url ws://127.0.0.1:9/local --origin https://a.example" in dry


# ---------------------------------------------------------------- against the local stack

@pytest.fixture(scope="module")
def stack():
    with running_stack("gateway-smoke", ["--fault-control"]) as running:
        yield running


def smoke_run(*args, timeout=120):
    result = subprocess.run([*SMOKE, *args], capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout, result.stderr


def test_smoke_passes_against_the_local_stack_and_prints_the_timings(stack):
    _, gateway = stack
    code, out, err = smoke_run("--url", gateway.ws_url)
    assert code == 0, out + err
    for label in ("handshake A", "first count (sync)", "handshake B", "broadcast to A", "reconnect B", "ping → pong"):
        assert label in out
    assert "smoke: OK" in out

    code, out, err = smoke_run("--url", gateway.ws_url, "--json")
    assert code == 0, out + err
    result = json.loads(out)
    assert result["ok"] is True
    visits = result["visits"]
    assert visits["afterB"] == visits["afterA"] + 1 == visits["pushedToA"] == visits["afterReconnect"]
    assert set(result["timings"]) == {"handshakeA", "firstCount", "handshakeB", "broadcast", "reconnect", "pong"}
    # The ping was answered by the gateway itself.
    assert "mock ping answered by the gateway" in gateway.text()


def test_smoke_fails_when_nothing_answers():
    code, _, err = smoke_run("--url", f"ws://127.0.0.1:{free_port()}/local", "--timeout", "3")
    assert code == 1
    assert "smoke: FAIL: page A: no answer from ws://127.0.0.1:" in err


def test_smoke_fails_on_a_refused_origin_and_passes_with_an_allowed_one(stack):
    moto, gateway = stack
    strict = Gateway(moto, free_port(), gateway.bin_dir, gateway.tables, name="gateway-smoke-origins",
                     extra_args=["--allowed-origins", "https://allowed.example"]).start()
    try:
        code, out, err = smoke_run("--url", strict.ws_url, "--origin", "https://evil.example")
        assert code == 1
        assert "the handshake was refused with HTTP" in err and "'https://evil.example' in AllowedOrigins" in err
        code, out, err = smoke_run("--url", strict.ws_url, "--origin", "https://allowed.example")
        assert code == 0, out + err
    finally:
        strict.stop()


def test_smoke_fails_when_no_broadcast_arrives_in_time(stack):
    _, gateway = stack
    gateway.throttle_management_api(60)  # every Management API POST answers 429 for a minute
    try:
        code, _, err = smoke_run("--url", gateway.ws_url, "--timeout", "3")
    finally:
        gateway.throttle_management_api(0)
    assert code == 1
    assert "smoke: FAIL: page A: no broadcast of the new total" in err and "within 3.0 s" in err
    assert gateway.faults()["managementAPI"]["throttledPosts"] >= 1


# ---------------------------------------------------------------- --stack end to end (AWS stubbed, stack local)

class StubbedSession:
    """Stands in for boto3's Session: CloudFormation says the stack's URL is the local gateway's, and the
    functions' logs are canned."""

    def __init__(self, url, log_messages):
        self.url, self.log_messages = url, log_messages
        self.stubs = []

    def __call__(self, region_name=None):
        return self

    def client(self, name):
        client = boto3.client(name, region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
        stub = Stubber(client)
        if name == "cloudformation":
            created = "2026-12-01T00:00:00Z"
            stub.add_response("describe_stacks", {"Stacks": [{
                "StackName": "counter", "CreationTime": created, "StackStatus": "CREATE_COMPLETE",
                "Outputs": [{"OutputKey": "WebSocketURL", "OutputValue": self.url}]}]})
            for logical_id in smoke.FUNCTION_LOG_GROUPS.values():
                stub.add_response("describe_stack_resource", {"StackResourceDetail": {
                    "LogicalResourceId": logical_id, "PhysicalResourceId": f"/aws/lambda/counter/{logical_id}",
                    "ResourceType": "AWS::Logs::LogGroup", "LastUpdatedTimestamp": created,
                    "ResourceStatus": "CREATE_COMPLETE"}})
        else:
            for function in smoke.FUNCTION_LOG_GROUPS:
                stub.add_response("filter_log_events", {"events": [
                    {"message": m} for m in self.log_messages.get(function, [])]})
        stub.activate()
        self.stubs.append(stub)
        return client


def run_main(monkeypatch, capsys, session, *args):
    monkeypatch.setattr(boto3.session, "Session", session)
    code = smoke.main(["--stack", "counter", *args])
    for stub in session.stubs:
        stub.assert_no_pending_responses()
    return code, capsys.readouterr()


def test_stack_mode_passes_with_clean_logs(stack, monkeypatch, capsys):
    _, gateway = stack
    code, out = run_main(monkeypatch, capsys, StubbedSession(gateway.ws_url, {}))
    assert code == 0, out.out + out.err
    assert f"smoke: {gateway.ws_url}" in out.out
    assert "logs of DBUpdater: no errors" in out.out and "logs of DBStreamProcessor: no errors" in out.out


def test_stack_mode_fails_on_errors_in_the_logs_and_names_an_init_error(stack, monkeypatch, capsys):
    _, gateway = stack
    logs = {"DBStreamProcessor": [
        "/var/task/bootstrap: error while loading shared libraries: libcurl.so.4: cannot open shared object file: "
        "No such file or directory"]}
    code, out = run_main(monkeypatch, capsys, StubbedSession(gateway.ws_url, logs), "--json")
    assert code == 1
    result = json.loads(out.out)
    assert result["ok"] is False and "timings" in result  # the WebSocket check itself passed
    assert result["reason"] == ("errors in the functions' logs: DBStreamProcessor: init error: the library "
                                "libcurl.so.4 failed to load (cannot open shared object file: No such file or directory)")


def test_stack_mode_reads_the_logs_even_when_nothing_answers(monkeypatch, capsys):
    url = f"ws://127.0.0.1:{free_port()}/prod"
    logs = {"DBUpdater": ["LambdaRuntime: initialisation failed: CONNECTIONS_TABLE is not set"]}
    code, out = run_main(monkeypatch, capsys, StubbedSession(url, logs), "--timeout", "2")
    assert code == 1
    assert "init error: CONNECTIONS_TABLE is not set" in out.out
    assert "smoke: FAIL: page A: no answer from " + url in out.err
