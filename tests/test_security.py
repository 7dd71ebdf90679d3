"""Security checks over the code and over everything the other suites printed (Issue 8).

- No secret key, session token, `Authorization` header or SigV4 signature in any captured output: the
  logs in test-artifacts/ (swift test, pytest, the robustness suites' processes, the local stack) are
  searched for the credentials moto made during the run (scripts/moto_server.py records them in
  test-artifacts/credentials-seen.jsonl; they are random per run) and for signing material.
- TLS verification is never turned off in the code.
- The template grants each function nothing beyond the DynamoDB and Management API operations its code
  calls (derived from Sources/, not listed by hand), plus what Lambda needs for logs and the stream.

scripts/test.sh runs this file after every other suite, so the logs are complete; run alone, it scans
whatever an earlier `make test` left behind and fails when nothing is there.
"""
import json
import re
from pathlib import Path

import yaml

from vctools.paths import ARTIFACTS, ROOT

CREDENTIALS = ARTIFACTS / "credentials-seen.jsonl"
TEXT_SUFFIXES = {".log", ".txt", ".json", ".jsonl", ".html", ".xml", ".out"}

# Signing material that must never be printed, whatever the credentials.
SIGNING_PATTERNS = {
    "SigV4 Authorization header": re.compile(r"AWS4-HMAC-SHA256\s+Credential=", re.I),
    "SigV4 signature": re.compile(r"Signature=[0-9a-f]{64}"),
    "Authorization header line": re.compile(r"authorization[\"']?\s*[:=]\s*[\"']?\s*(AWS4|Bearer|Basic)\b", re.I),
    "session token header": re.compile(r"x-amz-security-token[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9/+=]{16,}", re.I),
}


# ---------------------------------------------------------------- secrets in logs

def captured_files(folder):
    """Every text file under `folder` except the credentials record itself."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix in TEXT_SUFFIXES and p.name != CREDENTIALS.name)


def recorded_secrets(path):
    secrets = set()
    for line in path.read_text().splitlines():
        if line.strip():
            secrets.update(s for s in json.loads(line)["secrets"] if s and len(s) >= 8)
    return secrets


def leaks(files, secrets):
    """(file, what) for every secret or signing pattern found."""
    found = []
    for path in files:
        text = path.read_text(errors="replace")
        for secret in secrets:
            if secret in text:
                found.append((str(path), f"secret {secret[:4]}…"))
        for name, pattern in SIGNING_PATTERNS.items():
            if pattern.search(text):
                found.append((str(path), name))
    return found


def test_the_scanner_finds_a_planted_secret_and_signature(tmp_path):
    (tmp_path / "a.log").write_text("ok\nusing key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here\n")
    (tmp_path / "b.log").write_text("> Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
                                    "SignedHeaders=host, Signature=" + "ab" * 32 + "\n")
    (tmp_path / "c.log").write_text("nothing to see: the Authorization header is never logged\n")
    found = leaks(captured_files(tmp_path), {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
    kinds = {what for _, what in found}
    assert {"SigV4 Authorization header", "SigV4 signature", "Authorization header line"} <= kinds
    assert any(what.startswith("secret") for what in kinds)
    assert not any(path.endswith("c.log") for path, _ in found)


def test_no_secret_token_or_signature_appears_in_any_captured_output():
    assert CREDENTIALS.is_file(), "no test-artifacts/credentials-seen.jsonl: run scripts/test.sh (make test) first"
    secrets = recorded_secrets(CREDENTIALS)
    files = captured_files(ARTIFACTS)
    names = {p.name for p in files}
    assert secrets, "moto recorded no credentials"
    assert "swift-test.log" in names, "the swift test output was not captured"
    assert "swift-test-local.log" in names, "the local stack's swift test output was not captured"
    assert "pytest.log" in names, "the pytest output was not captured"
    assert any(p.parent.name == "robustness" for p in files), "the robustness suites left no process logs"
    found = leaks(files, secrets)
    assert not found, f"secrets or signing material in captured output: {found[:20]}"
    print(f"security scan: {len(files)} files, {sum(p.stat().st_size for p in files)} bytes, "
          f"{len(secrets)} secrets searched, 0 found")


# ---------------------------------------------------------------- TLS verification

CODE_GLOBS = ["Sources/**/*.swift", "Sources/**/*.c", "Sources/**/*.h", "scripts/*.py", "scripts/*.sh",
              "tests/*.py", "vctools/**/*.py", "bench/*.py", "bench/*.c", "web/*.js", "Makefile"]
TLS_OFF = [
    re.compile(r"CURLOPT_SSL_VERIFY(PEER|HOST)\s*,\s*(0|0L|false)\s*\)"),
    re.compile(r"verify\s*=\s*False"),
    re.compile(r"CERT_NONE"),
    re.compile(r"_create_unverified_context"),
    re.compile(r"check_hostname\s*=\s*False"),
    re.compile(r"(curl|wget)\b[^\n]*\s(-k|--insecure|--no-check-certificate)\b"),
    re.compile(r"rejectUnauthorized\s*:\s*false"),
    re.compile(r"NODE_TLS_REJECT_UNAUTHORIZED"),
    re.compile(r"PYTHONHTTPSVERIFY\s*=\s*0"),
]


def code_files():
    return sorted({p for pattern in CODE_GLOBS for p in ROOT.glob(pattern)} - {Path(__file__).resolve()})


def test_tls_verification_is_never_turned_off():
    offenders = [(str(p.relative_to(ROOT)), m.group(0)) for p in code_files()
                 for pattern in TLS_OFF for m in pattern.finditer(p.read_text(errors="replace"))]
    assert not offenders, offenders
    # And the one HTTP client of the Lambda path turns it on explicitly (peer and host name).
    transfer = (ROOT / "Sources/CurlHTTP/CurlTransfer.swift").read_text()
    assert re.search(r"CURLOPT_SSL_VERIFYPEER,\s*1\)", transfer)
    assert re.search(r"CURLOPT_SSL_VERIFYHOST,\s*2\)", transfer)


def test_the_tls_pattern_catches_a_disabled_check():
    sample = 'vc_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)\nrequests.get(url, verify=False)\n'
    assert sum(1 for pattern in TLS_OFF for _ in pattern.finditer(sample)) == 2


# ---------------------------------------------------------------- least privilege

# What the code calls is read from Sources/: the AWSClient method → operation map from the `call("Op"`
# in each method, the store's methods from DynamoDBCounterStore and its extensions (each `client.x(` or transaction item
# with its `table:`), and each function's store methods from its handler.
TRANSACT_KINDS = {"put": "PutItem", "update": "UpdateItem", "delete": "DeleteItem", "conditionCheck": "ConditionCheckItem"}
# The store's table properties and the template resource each is configured with (checked below).
TABLE_VARIABLES = {"connectionsTable": "ConnectionsTable", "counterTable": "VisitorCountTable"}
HANDLERS = {"DBUpdater": "DBUpdaterHandler.swift", "DBStreamProcessor": "StreamProcessorHandler.swift"}


def functions_in(text):
    """name → body of every `func` in a Swift file (a body runs to the next func)."""
    heads = list(re.finditer(r"\bfunc (\w+)\s*[(<]", text))
    return {m.group(1): text[m.end():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
            for i, m in enumerate(heads)}


def client_operations(root):
    """DynamoDBClient method → DynamoDB operation, from the `call("Op"` in each method."""
    ops = {}
    for path in (root / "Sources/AWSClient").glob("*.swift"):
        text = path.read_text()
        for name, body in functions_in(text).items():
            found = re.search(r'\bcall\("(\w+)"', body)
            if found:
                ops[name] = found.group(1)
            elif "ScanSequence(" in body:
                ops[name] = "Scan"
    return ops


def store_calls(root):
    """DynamoDBCounterStore method → {(action, table resource)}, following calls between its methods."""
    # The store and its extensions (DynamoDBCounterStore+Visitors.swift, +History.swift).
    text = "\n".join(path.read_text() for path in sorted((root / "Sources/VisitorCounterCore").glob("DynamoDBCounterStore*.swift")))
    ops = client_operations(root)
    bodies = functions_in(text)
    direct = {}
    token = re.compile(r"client\.(\w+)\(|\.(put|update|delete|conditionCheck)\(|table:\s*(\w+)")
    for name, body in bodies.items():
        pending, found = None, set()
        for m in token.finditer(body):
            if m.group(1):
                pending = ops.get(m.group(1)) if m.group(1) != "transactWriteItems" else None
            elif m.group(2):
                pending = TRANSACT_KINDS[m.group(2)]
            elif pending:
                found.add(("dynamodb:" + pending, TABLE_VARIABLES[m.group(3)]))
                pending = None
        direct[name] = found
    def closure(name, seen=()):
        result = set(direct.get(name, set()))
        for other in bodies:
            if other != name and other not in seen and re.search(r"(?<![.\w])" + other + r"\(", bodies[name]):
                result |= closure(other, seen + (name,))
        return result
    return {name: closure(name) for name in bodies}


def calls_by_function(root):
    store = store_calls(root)
    core = root / "Sources/VisitorCounterCore"
    result = {}
    for function, handler in HANDLERS.items():
        text = (core / handler).read_text()
        calls = set()
        for method in re.findall(r"\bstore\.(\w+)\(", text):
            calls |= store[method]
        if re.search(r"\bchannel\.broadcast\(", text):
            # ManagementAPIPushChannel → ManagementAPIClient.post: POST @connections/{id}.
            calls.add(("execute-api:ManageConnections", "POST"))
        if re.search(r"deleteConnection\(", text):
            calls.add(("execute-api:ManageConnections", "DELETE"))
        result[function] = calls
    return result


class CloudFormationLoader(yaml.SafeLoader):
    """Short-form tags (!Ref, !GetAtt, !Sub) as plain values: enough to name resources."""


CloudFormationLoader.add_multi_constructor(
    "!", lambda loader, suffix, node: {suffix: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode)
                                       else loader.construct_sequence(node, deep=True) if isinstance(node, yaml.SequenceNode)
                                       else loader.construct_mapping(node, deep=True)})


def resource_name(resource):
    """A short name for a policy resource: the table, the stream, the log group, or the HTTP method."""
    if isinstance(resource, dict) and "GetAtt" in resource:
        target, _, attribute = resource["GetAtt"].partition(".")
        return target + "/stream" if attribute == "StreamArn" else target
    if isinstance(resource, dict) and "Sub" in resource:
        text = resource["Sub"] if isinstance(resource["Sub"], str) else resource["Sub"][0]
        if "/stream/" in text:
            return re.search(r"\$\{(\w+)\.Arn\}", text).group(1) + "/stream"
        method = re.search(r"/(GET|POST|DELETE|PUT)/@connections/", text)
        if method:
            return method.group(1)
    return json.dumps(resource)  # anything else ("*", a literal ARN) never matches a call


def granted_by_function(template_path):
    template = yaml.load(template_path.read_text(), Loader=CloudFormationLoader)
    resources = template["Resources"]
    grants = {}
    for function in HANDLERS:
        role = resources[function + "Function"]["Properties"]["Role"]["GetAtt"].split(".")[0]
        granted = set()
        for policy in resources[role]["Properties"]["Policies"]:
            for statement in policy["PolicyDocument"]["Statement"]:
                assert statement["Effect"] == "Allow"
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                granted |= {(action, resource_name(target)) for action in actions for target in targets}
        variables = resources[function + "Function"]["Properties"]["Environment"]["Variables"]
        assert variables.get("CONNECTIONS_TABLE") == {"Ref": "ConnectionsTable"}
        assert variables.get("VISITOR_COUNT_TABLE") == {"Ref": "VisitorCountTable"}
        grants[function] = granted
    return grants


def test_iam_grants_exactly_what_the_code_calls():
    calls = calls_by_function(ROOT)
    grants = granted_by_function(ROOT / "template.yaml")
    # Lambda itself needs these for the function's logs and (DBStreamProcessor) the stream mapping;
    # the function code never calls them.
    platform = {
        "DBUpdater": {("logs:CreateLogStream", "DBUpdaterLogGroup"), ("logs:PutLogEvents", "DBUpdaterLogGroup")},
        "DBStreamProcessor": {("logs:CreateLogStream", "DBStreamProcessorLogGroup"), ("logs:PutLogEvents", "DBStreamProcessorLogGroup"),
                              ("dynamodb:DescribeStream", "VisitorCountTable/stream"), ("dynamodb:GetRecords", "VisitorCountTable/stream"),
                              ("dynamodb:GetShardIterator", "VisitorCountTable/stream"), ("dynamodb:ListStreams", "VisitorCountTable/stream"),
                              # The stream mapping sends a batch it gave up on to its on-failure destination.
                              ("sqs:SendMessage", "FailedStreamBatchesQueue")},
    }
    print("operations the code calls:", {f: sorted(c) for f, c in calls.items()})
    for function in ("DBUpdater", "DBStreamProcessor"):
        allowed = calls[function] | platform[function]
        beyond = grants[function] - allowed
        missing = calls[function] - grants[function]
        assert not beyond, f"{function}'s role grants more than its code calls: {sorted(beyond)}"
        assert not missing, f"{function}'s code calls what its role does not grant: {sorted(missing)}"


def test_the_call_scan_sees_the_store_and_the_management_api():
    calls = calls_by_function(ROOT)
    assert ("dynamodb:PutItem", "ConnectionsTable") in calls["DBUpdater"]
    assert ("dynamodb:UpdateItem", "VisitorCountTable") in calls["DBUpdater"]
    assert ("dynamodb:Scan", "ConnectionsTable") in calls["DBStreamProcessor"]
    assert ("execute-api:ManageConnections", "POST") in calls["DBStreamProcessor"]
    assert not any(action.startswith("execute-api") for action, _ in calls["DBUpdater"])
    # Unique visitors and history, from the store's extensions: the salt is created, read and deleted by
    # DBUpdater; the history is written by DBStreamProcessor and read by DBUpdater.
    assert {("dynamodb:PutItem", "VisitorCountTable"), ("dynamodb:DeleteItem", "VisitorCountTable"),
            ("dynamodb:BatchGetItem", "VisitorCountTable")} <= calls["DBUpdater"]
    assert {("dynamodb:GetItem", "VisitorCountTable"), ("dynamodb:UpdateItem", "VisitorCountTable")} <= calls["DBStreamProcessor"]
    assert ("dynamodb:PutItem", "VisitorCountTable") not in calls["DBStreamProcessor"]
