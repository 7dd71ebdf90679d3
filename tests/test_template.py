"""template.yaml: linters, a real `sam build` checked for Amazon Linux 2023, and the template's contract
(routes, tables, stream mapping, environment, least-privilege IAM) read from the YAML itself."""
import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from vctools.paths import ROOT

VENV_BIN = ROOT / ".venv" / "bin"
TEMPLATE_PATH = ROOT / "template.yaml"
CHECK = ROOT / "scripts" / "bootstrap_check.sh"
FUNCTIONS = ("DBUpdaterFunction", "DBStreamProcessorFunction")


# ---------------------------------------------------------------- loading

class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !Sub, !GetAtt, ...) as their long-form dictionaries."""


def _intrinsic(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Fn::" + tag_suffix: value}


CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@pytest.fixture(scope="module")
def template():
    return yaml.load(TEMPLATE_PATH.read_text(), Loader=CloudFormationLoader)


def resources_of_type(template, kind):
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def function_property(template, name, key):
    """A function's property, falling back to Globals.Function as SAM does."""
    props = template["Resources"][name]["Properties"]
    return props[key] if key in props else template["Globals"]["Function"][key]


def env():
    """Environment for the SAM CLI tools: no telemetry and a region (no credentials are needed)."""
    return dict(os.environ, SAM_CLI_TELEMETRY="0", AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1")


# ---------------------------------------------------------------- linters and a real build

def test_cfn_lint_is_clean():
    result = subprocess.run([str(VENV_BIN / "cfn-lint"), str(TEMPLATE_PATH)],
                            capture_output=True, text=True, cwd=ROOT, env=env(), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sam_validate_lint_is_clean():
    result = subprocess.run([str(VENV_BIN / "sam"), "validate", "--lint", "--template-file", str(TEMPLATE_PATH)],
                            capture_output=True, text=True, cwd=ROOT, env=env(), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is a valid SAM Template" in result.stdout + result.stderr


@pytest.fixture(scope="module")
def sam_build(tmp_path_factory):
    """`sam build --build-in-source` with no container, into a temporary build directory."""
    build_dir = tmp_path_factory.mktemp("sam-build")
    result = subprocess.run(
        [str(VENV_BIN / "sam"), "build", "--build-in-source", "--build-dir", str(build_dir),
         "--template-file", str(TEMPLATE_PATH)],
        capture_output=True, text=True, cwd=ROOT, env=env(), timeout=3600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return build_dir


@pytest.mark.parametrize("function", FUNCTIONS)
def test_sam_build_makes_an_executable_bootstrap_that_loads_on_al2023(sam_build, function):
    bootstrap = sam_build / function / "bootstrap"
    assert bootstrap.is_file()
    assert os.access(bootstrap, os.X_OK)
    with bootstrap.open("rb") as f:
        assert f.read(4) == b"\x7fELF"
    check = subprocess.run([str(CHECK), str(bootstrap)], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "size:" in check.stdout and "gzipped" in check.stdout


def test_built_template_points_each_function_at_its_artifact(sam_build):
    built = yaml.load((sam_build / "template.yaml").read_text(), Loader=CloudFormationLoader)
    for function in FUNCTIONS:
        assert built["Resources"][function]["Properties"]["CodeUri"] == function


# ---------------------------------------------------------------- the check itself must catch violations

def compile_c(tmp_path, name, source, *libs):
    compiler = shutil.which("clang") or shutil.which("cc")
    assert compiler, "a C compiler (clang from the Swift toolchain, or cc) is needed"
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    out = tmp_path / name
    subprocess.run([compiler, "-O0", "-o", str(out), str(src), *libs], check=True, capture_output=True, timeout=120)
    return out


def test_check_refuses_a_glibc_symbol_newer_than_2_34(tmp_path):
    # hypotf got a new symbol version in glibc 2.35 (what FoundationEssentials pulls in without the wrap).
    binary = compile_c(tmp_path, "hypotf", """
        #include <math.h>
        #include <stdio.h>
        int main(int argc, char **argv) { (void)argv; printf("%f\\n", (double)hypotf((float)argc, 2.0f)); return 0; }
    """, "-lm")
    result = subprocess.run([str(CHECK), str(binary)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "hypotf@GLIBC_2.35" in result.stderr


def test_check_refuses_versioned_libcurl_and_libraries_off_the_allow_list(tmp_path):
    binary = compile_c(tmp_path, "curlclient", """
        #include <curl/curl.h>
        int main(void) { CURL *h = curl_easy_init(); curl_easy_cleanup(h); return 0; }
    """, "-lcurl")
    result = subprocess.run([str(CHECK), str(binary)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "curl_easy_init@CURL_OPENSSL_" in result.stderr
    assert "NEEDED libcurl.so.4 is not on the allow-list" in result.stderr


def test_check_refuses_files_that_are_not_binaries_and_needs_arguments(tmp_path):
    text = tmp_path / "bootstrap"
    text.write_text("#!/bin/sh\necho not a binary\n")
    text.chmod(0o755)
    result = subprocess.run([str(CHECK), str(text)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "not an ELF file" in result.stderr
    assert subprocess.run([str(CHECK)], capture_output=True, timeout=60).returncode == 2


# ---------------------------------------------------------------- WebSocket API (docs/design.md §4)

def test_websocket_api_routes_on_the_action_field(template):
    (api,) = resources_of_type(template, "AWS::ApiGatewayV2::Api").values()
    assert api["Properties"]["ProtocolType"] == "WEBSOCKET"
    assert api["Properties"]["RouteSelectionExpression"] == "$request.body.action"


def route_integration(template, route):
    """(logical id, properties) of the integration a route targets."""
    target = route["Properties"]["Target"]["Fn::Sub"]
    name = target.removeprefix("integrations/${").removesuffix("}")
    return name, resources_of_type(template, "AWS::ApiGatewayV2::Integration")[name]["Properties"]


def test_routes_are_connect_disconnect_sync_and_history_to_dbupdater_and_a_mock_ping_with_no_default(template):
    routes = {r["Properties"]["RouteKey"]: r for r in resources_of_type(template, "AWS::ApiGatewayV2::Route").values()}
    assert sorted(routes) == ["$connect", "$disconnect", "history", "ping", "sync"]
    for key in ("$connect", "$disconnect", "sync", "history"):
        _, integration = route_integration(template, routes[key])
        assert integration["IntegrationType"] == "AWS_PROXY"
        assert "${DBUpdaterFunction.Arn}" in integration["IntegrationUri"]["Fn::Sub"]


def test_ping_is_answered_by_api_gateway_itself(template):
    """The keep-alive route invokes no function: a MOCK integration (status from its request template) whose
    integration response and route response send {"pong": true} back to the caller."""
    routes = resources_of_type(template, "AWS::ApiGatewayV2::Route")
    (ping_name,) = [n for n, r in routes.items() if r["Properties"]["RouteKey"] == "ping"]
    integration_name, integration = route_integration(template, routes[ping_name])
    assert integration["IntegrationType"] == "MOCK"
    assert "IntegrationUri" not in integration
    assert integration["TemplateSelectionExpression"] == "\\$default"
    assert json.loads(integration["RequestTemplates"]["$default"]) == {"statusCode": 200}
    (response,) = [r["Properties"] for r in resources_of_type(template, "AWS::ApiGatewayV2::IntegrationResponse").values()
                   if r["Properties"]["IntegrationId"] == {"Ref": integration_name}]
    assert response["IntegrationResponseKey"] == "$default"
    assert json.loads(response["ResponseTemplates"]["$default"]) == {"pong": True}
    assert routes[ping_name]["Properties"]["RouteResponseSelectionExpression"] == "$default"
    route_responses = [r["Properties"] for r in resources_of_type(template, "AWS::ApiGatewayV2::RouteResponse").values()]
    assert any(p["RouteId"] == {"Ref": ping_name} and p["RouteResponseKey"] == "$default" for p in route_responses)
    # The page sends exactly this action (web/visitor-counter.js).
    assert '{ action: "ping" }' in (ROOT / "web" / "visitor-counter.js").read_text()


def references(value):
    """Every logical id a value refers to (Ref, GetAtt, ${...} in Sub), through Fn::If branches too."""
    found = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                found.update(part.split("}")[0].split(".")[0] for part in text.split("${")[1:])
                if not isinstance(inner, str):
                    found |= references(inner[1])
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def test_stage_is_created_after_the_account_settings_when_the_stack_sets_them(template):
    """A first deploy into a region without API Gateway's CloudWatch role: the stage's access logging fails
    unless ApiGatewayAccount exists first. cfn-lint refuses DependsOn on a conditional resource, so the stage
    refers to it through !If (a tag), which CloudFormation orders like a DependsOn."""
    resources = template["Resources"]
    account = resources["ApiGatewayAccount"]
    condition = account["Condition"]
    (stage_name, stage), = resources_of_type(template, "AWS::ApiGatewayV2::Stage").items()
    assert "ApiGatewayAccount" not in stage.get("DependsOn", [])
    assert "ApiGatewayAccount" in references(stage["Properties"])
    # The reference exists only when the account resource does; otherwise the property is left out.
    tag = stage["Properties"]["Tags"]["ApiGatewayAccount"]
    assert tag == {"Fn::If": [condition, {"Ref": "ApiGatewayAccount"}, {"Ref": "AWS::NoValue"}]}
    assert template["Conditions"][condition] == {"Fn::Equals": [{"Ref": "ConfigureApiGatewayLogging"}, "true"]}
    # And the account setting itself waits for its role.
    assert "ApiGatewayLoggingRole" in references(account["Properties"])
    assert stage_name != "ApiGatewayAccount"


@pytest.mark.parametrize("key", ["sync", "history"])
def test_sync_and_history_have_a_route_response_so_the_body_reaches_the_caller(template, key):
    routes = resources_of_type(template, "AWS::ApiGatewayV2::Route")
    (name,) = [n for n, r in routes.items() if r["Properties"]["RouteKey"] == key]
    assert routes[name]["Properties"]["RouteResponseSelectionExpression"] == "$default"
    responses = [r["Properties"] for r in resources_of_type(template, "AWS::ApiGatewayV2::RouteResponse").values()]
    assert {"RouteId": {"Ref": name}, "RouteResponseKey": "$default"} in [
        {"RouteId": p["RouteId"], "RouteResponseKey": p["RouteResponseKey"]} for p in responses]
    # The stage's first automatic deployment already has the route and its response.
    (stage,) = resources_of_type(template, "AWS::ApiGatewayV2::Stage").values()
    response_name = next(n for n, r in resources_of_type(template, "AWS::ApiGatewayV2::RouteResponse").items()
                         if r["Properties"]["RouteId"] == {"Ref": name})
    assert {name, response_name} <= set(stage["DependsOn"])


def test_stage_auto_deploys_throttles_and_logs_access(template):
    (stage,) = resources_of_type(template, "AWS::ApiGatewayV2::Stage").values()
    props = stage["Properties"]
    assert props["AutoDeploy"] is True
    assert props["StageName"] == {"Ref": "StageName"}
    assert props["DefaultRouteSettings"]["ThrottlingRateLimit"] == {"Ref": "ThrottlingRateLimit"}
    assert props["DefaultRouteSettings"]["ThrottlingBurstLimit"] == {"Ref": "ThrottlingBurstLimit"}
    log_group = props["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]
    assert template["Resources"][log_group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    log_format = json.loads(props["AccessLogSettings"]["Format"])
    assert "$context.requestId" in log_format.values()
    assert not any("sourceIp" in v or "userAgent" in v for v in log_format.values())  # docs/design.md §3: no IPs
    # Every route exists before the first automatic deployment.
    assert set(resources_of_type(template, "AWS::ApiGatewayV2::Route")) <= set(stage["DependsOn"])


def test_only_this_api_stage_may_invoke_dbupdater(template):
    (permission,) = resources_of_type(template, "AWS::Lambda::Permission").values()
    props = permission["Properties"]
    assert props["FunctionName"] == {"Ref": "DBUpdaterFunction"}
    assert props["Principal"] == "apigateway.amazonaws.com"
    assert props["SourceArn"]["Fn::Sub"].endswith(":${WebSocketApi}/${StageName}/*")


# ---------------------------------------------------------------- tables (docs/design.md §3)

def test_visitor_count_table(template):
    props = template["Resources"]["VisitorCountTable"]["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert props["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert template["Resources"]["VisitorCountTable"]["DeletionPolicy"] == "Retain"


def test_connections_table(template):
    props = template["Resources"]["ConnectionsTable"]["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["KeySchema"] == [{"AttributeName": "connectionId", "KeyType": "HASH"}]
    assert props["AttributeDefinitions"] == [{"AttributeName": "connectionId", "AttributeType": "S"}]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}


# ---------------------------------------------------------------- functions (docs/design.md §2, §6)

@pytest.mark.parametrize("function", FUNCTIONS)
def test_functions_are_custom_runtime_bootstraps_built_by_make(template, function):
    resource = template["Resources"][function]
    assert resource["Type"] == "AWS::Serverless::Function"
    assert resource["Metadata"]["BuildMethod"] == "makefile"
    assert function_property(template, function, "Runtime") == "provided.al2023"
    assert function_property(template, function, "Handler") == "bootstrap"
    assert function_property(template, function, "Architectures") == [{"Ref": "Architecture"}]
    assert function_property(template, function, "MemorySize") == 128
    logging = resource["Properties"]["LoggingConfig"]
    assert logging["LogFormat"] == "JSON"
    assert logging["ApplicationLogLevel"] == {"Fn::FindInMap": ["LogLevels", {"Ref": "LogLevel"}, "Application"]}
    log_group = template["Resources"][logging["LogGroup"]["Ref"]]
    assert log_group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    # Every LOG_LEVEL value maps to one of Lambda's application log levels.
    levels = template["Mappings"]["LogLevels"]
    assert sorted(levels) == sorted(template["Parameters"]["LogLevel"]["AllowedValues"])
    assert {v["Application"] for v in levels.values()} <= {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}


def test_makefile_has_a_build_target_per_function():
    makefile = (ROOT / "Makefile").read_text()
    for function in FUNCTIONS:
        assert f"\nbuild-{function}:" in makefile


def test_dbupdater_environment(template):
    variables = template["Resources"]["DBUpdaterFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "VISITOR_COUNT_TABLE": {"Ref": "VisitorCountTable"},
        "CONNECTIONS_TABLE": {"Ref": "ConnectionsTable"},
        "ALLOWED_ORIGINS": {"Ref": "AllowedOrigins"},
        "LIVE_VIEWERS": {"Ref": "LiveViewers"},
        "COUNTER_SHARDS": {"Ref": "CounterShards"},
        "UNIQUE_VISITORS": {"Ref": "UniqueVisitors"},
        "LOG_LEVEL": {"Ref": "LogLevel"},
    }


def test_dbstreamprocessor_environment(template):
    variables = template["Resources"]["DBStreamProcessorFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "VISITOR_COUNT_TABLE": {"Ref": "VisitorCountTable"},
        "CONNECTIONS_TABLE": {"Ref": "ConnectionsTable"},
        "WEBSOCKET_API_ENDPOINT": {
            "Fn::Sub": "https://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}"},
        "FANOUT_CONCURRENCY": {"Ref": "FanoutConcurrency"},
        "LIVE_VIEWERS": {"Ref": "LiveViewers"},
        "COUNTER_SHARDS": {"Ref": "CounterShards"},
        "UNIQUE_VISITORS": {"Ref": "UniqueVisitors"},
        "LOG_LEVEL": {"Ref": "LogLevel"},
    }


def test_stream_mapping_settings_and_filter(template):
    events = template["Resources"]["DBStreamProcessorFunction"]["Properties"]["Events"]
    (event,) = events.values()
    assert event["Type"] == "DynamoDB"
    props = event["Properties"]
    assert props["Stream"] == {"Fn::GetAtt": ["VisitorCountTable", "StreamArn"]}
    assert props["StartingPosition"] == "LATEST"
    assert 1 <= props["MaximumBatchingWindowInSeconds"] <= 5
    assert 1 <= props["BatchSize"] <= 1000
    assert 0 <= props["MaximumRetryAttempts"] <= 3
    assert props["MaximumRecordAgeInSeconds"] == 60
    assert props["BisectBatchOnFunctionError"] is False
    (pattern,) = [json.loads(f["Pattern"]) for f in props["FilterCriteria"]["Filters"]]
    # A DynamoDB mapping filters only on keys under `dynamodb`
    # (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html). The prefix matches every counter
    # shard (`visitors`, `visitors#k`) and no visit marker (`visit#...`); LocalStack/Tests/LocalGatewayTests/EventFilterTests
    # runs this same pattern through the local gateway's filter.
    assert list(pattern) == ["dynamodb"]
    assert pattern == {"dynamodb": {"Keys": {"id": {"S": [{"prefix": "visitors"}]}}}}


# ---------------------------------------------------------------- IAM: exact actions, exact resources

def policy_statements(template):
    """Every IAM statement in the template, with the resource it belongs to."""
    for name, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        documents = []
        if resource["Type"] == "AWS::IAM::Role":
            documents += [p["PolicyDocument"] for p in props.get("Policies", [])]
        if resource["Type"] == "AWS::Serverless::Function":
            documents += [p for p in props.get("Policies", []) if isinstance(p, dict) and "Statement" in p]
        for document in documents:
            for statement in document["Statement"]:
                yield name, statement


def as_list(value):
    return value if isinstance(value, list) else [value]


def resource_text(resource):
    """The ARN pattern of a resource, with intrinsic references written as ${...}."""
    if isinstance(resource, str):
        return resource
    if "Fn::Sub" in resource:
        return resource["Fn::Sub"] if isinstance(resource["Fn::Sub"], str) else resource["Fn::Sub"][0]
    if "Fn::GetAtt" in resource:
        return "${" + ".".join(resource["Fn::GetAtt"]) + "}"
    if "Ref" in resource:
        return "${" + resource["Ref"] + "}"
    raise AssertionError(f"unexpected resource form {resource}")


def test_no_wildcard_actions_and_no_wildcard_resources_for_dynamodb_or_execute_api(template):
    statements = list(policy_statements(template))
    assert statements
    for owner, statement in statements:
        assert statement["Effect"] == "Allow"
        actions = as_list(statement["Action"])
        assert not any("*" in a for a in actions), (owner, actions)
        if any(a.startswith(("dynamodb:", "execute-api:", "sqs:")) for a in actions):
            for resource in as_list(statement["Resource"]):
                text = resource_text(resource)
                assert text != "*", (owner, statement)
                # The only wildcards allowed: any connection id, any stream label of this table.
                assert text.count("*") == 0 or text.endswith(("/@connections/*", "}/stream/*")), (owner, text)


def granted(template, role):
    """{action: {resource text}} for one role."""
    grants = {}
    for owner, statement in policy_statements(template):
        if owner == role:
            for action in as_list(statement["Action"]):
                grants.setdefault(action, set()).update(resource_text(r) for r in as_list(statement["Resource"]))
    return grants


@pytest.mark.parametrize("function", FUNCTIONS)
def test_functions_use_their_own_role_with_no_managed_policies(template, function):
    props = template["Resources"][function]["Properties"]
    role_name = props["Role"]["Fn::GetAtt"][0]
    assert props["Role"] == {"Fn::GetAtt": [role_name, "Arn"]}
    assert "Policies" not in props  # SAM would add its own statements and managed policies
    assert "ManagedPolicyArns" not in template["Resources"][role_name]["Properties"]


def test_dbupdater_may_only_write_connections_and_count_visits(template):
    assert granted(template, "DBUpdaterRole") == {
        "logs:CreateLogStream": {"${DBUpdaterLogGroup.Arn}"},
        "logs:PutLogEvents": {"${DBUpdaterLogGroup.Arn}"},
        # TransactWriteItems is authorised per contained Put/Update/Delete.
        # PutItem on VisitorCount: markers (in the transaction) and the day's salt.
        "dynamodb:PutItem": {"${ConnectionsTable.Arn}", "${VisitorCountTable.Arn}"},
        # DeleteItem on VisitorCount: the previous day's salt (unique visitors).
        "dynamodb:DeleteItem": {"${ConnectionsTable.Arn}", "${VisitorCountTable.Arn}"},
        "dynamodb:UpdateItem": {"${VisitorCountTable.Arn}"},
        "dynamodb:GetItem": {"${VisitorCountTable.Arn}"},
        # sync reads every counter shard in one call; history the shards and the days in one call.
        "dynamodb:BatchGetItem": {"${VisitorCountTable.Arn}"},
    }


def test_dbstreamprocessor_may_read_the_stream_scan_connections_and_post_to_them(template):
    prefix = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}"
    assert granted(template, "DBStreamProcessorRole") == {
        "logs:CreateLogStream": {"${DBStreamProcessorLogGroup.Arn}"},
        "logs:PutLogEvents": {"${DBStreamProcessorLogGroup.Arn}"},
        "dynamodb:DescribeStream": {"${VisitorCountTable.StreamArn}"},
        "dynamodb:GetRecords": {"${VisitorCountTable.StreamArn}"},
        "dynamodb:GetShardIterator": {"${VisitorCountTable.StreamArn}"},
        "dynamodb:ListStreams": {"${VisitorCountTable.Arn}/stream/*"},
        "dynamodb:Scan": {"${ConnectionsTable.Arn}"},
        "dynamodb:DeleteItem": {"${ConnectionsTable.Arn}"},
        # The shard total in one call; `live` corrected to the connections found open (live viewers on);
        # the history item read, then it and the day's item updated in one transaction.
        "dynamodb:GetItem": {"${VisitorCountTable.Arn}"},
        "dynamodb:BatchGetItem": {"${VisitorCountTable.Arn}"},
        "dynamodb:UpdateItem": {"${VisitorCountTable.Arn}"},
        "execute-api:ManageConnections": {prefix + "/POST/@connections/*"},
        # The stream mapping sends a batch it gave up on to the failed-batch queue with this role.
        "sqs:SendMessage": {"${FailedStreamBatchesQueue.Arn}"},
    }


# ---------------------------------------------------------------- parameters and outputs

def test_parameters(template):
    assert {"StageName", "AllowedOrigins", "LiveViewers", "ThrottlingRateLimit", "ThrottlingBurstLimit",
            "LogRetentionDays", "Architecture", "LogLevel", "FanoutConcurrency"} <= set(template["Parameters"])
    assert template["Parameters"]["Architecture"]["AllowedValues"] == ["x86_64", "arm64"]
    assert template["Parameters"]["LiveViewers"]["Default"] == "false"
    assert template["Parameters"]["FanoutConcurrency"]["Default"] == 64


def test_unique_visitors_parameter_is_off_by_default_and_reaches_both_functions(template):
    unique = template["Parameters"]["UniqueVisitors"]
    assert (unique["Type"], unique["Default"], unique["AllowedValues"]) == ("String", "false", ["true", "false"])
    for function in FUNCTIONS:
        variables = template["Resources"][function]["Properties"]["Environment"]["Variables"]
        assert variables["UNIQUE_VISITORS"] == {"Ref": "UniqueVisitors"}


def test_counter_shards_parameter_reaches_both_functions(template):
    shards = template["Parameters"]["CounterShards"]
    assert (shards["Type"], shards["Default"], shards["MinValue"], shards["MaxValue"]) == ("Number", 8, 1, 32)
    assert "only ever raise" in shards["Description"].lower()
    for function in FUNCTIONS:
        variables = template["Resources"][function]["Properties"]["Environment"]["Variables"]
        assert variables["COUNTER_SHARDS"] == {"Ref": "CounterShards"}


def test_outputs(template):
    outputs = template["Outputs"]
    host = "${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}"
    assert outputs["WebSocketURL"]["Value"] == {"Fn::Sub": "wss://" + host}
    assert outputs["ManagementApiEndpoint"]["Value"] == {"Fn::Sub": "https://" + host}
    assert outputs["VisitorCountTableName"]["Value"] == {"Ref": "VisitorCountTable"}
    assert outputs["ConnectionsTableName"]["Value"] == {"Ref": "ConnectionsTable"}
    assert outputs["AlarmTopicArn"]["Value"] == {"Ref": "AlarmTopic"}
    assert outputs["FailedStreamBatchesQueueUrl"]["Value"] == {"Ref": "FailedStreamBatchesQueue"}
    assert outputs["DashboardURL"]["Value"]["Fn::Sub"].endswith("#dashboards:name=${Dashboard}")


def test_the_local_gateway_reads_the_routes_and_the_filter_as_the_template_declares_them():
    """scripts/template_tables.py (what `make dev` and tests/local_stack.py give the gateway): the ping route
    is a MOCK route with its answer, the others go to the function, and the stream filter is the template's."""
    out = subprocess.run([str(VENV_BIN / "python"), str(ROOT / "scripts" / "template_tables.py"), str(TEMPLATE_PATH)],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    described = json.loads(out)
    routes = {r["routeKey"]: r for r in described["routes"]}
    assert routes["ping"] == {"routeKey": "ping", "hasResponse": True, "integrationType": "MOCK",
                              "mockResponse": '{"pong": true}'}
    for key in ("$connect", "$disconnect", "sync", "history"):
        assert routes[key]["integrationType"] == "AWS_PROXY" and "mockResponse" not in routes[key]
    assert routes["sync"]["hasResponse"] and routes["history"]["hasResponse"] and not routes["$connect"]["hasResponse"]
    assert described["stream"]["filters"] == [{"dynamodb": {"Keys": {"id": {"S": [{"prefix": "visitors"}]}}}}]


# ---------------------------------------------------------------- alarms, dashboard, failed batches

SUMMARY_SWIFT = ROOT / "Sources" / "VisitorCounterCore" / "BroadcastSummary.swift"
UPDATER_METRICS_SWIFT = ROOT / "Sources" / "VisitorCounterCore" / "UpdaterMetrics.swift"


def emf_metrics():
    """(namespace, {function: {metric names}}, dimension name) of the two functions' EMF lines, read from the
    code that writes them (DBStreamProcessor's summary line, DBUpdater's metric line), so an alarm or widget
    cannot name a metric a function does not write. The functions are keyed as the dashboard reader shows
    their names (`<DBUpdaterFunction>`)."""
    summary = SUMMARY_SWIFT.read_text()
    namespace = re.search(r'static let namespace = "(\w+)"', summary).group(1)
    definitions = re.search(r"static let metricDefinitions: .*? = \[(.*?)\]\n", summary, re.S).group(1)
    stream_names = set(re.findall(r'\("(\w+)", "\w+"\)', definitions))
    (dimension,) = re.findall(r'dimensions = "\[\[\\"(\w+)\\"\]\]"', summary)

    updater = UPDATER_METRICS_SWIFT.read_text()
    constants = dict(re.findall(r'static let (\w+Metric) = "(\w+)"', updater))
    listed = re.search(r"static let metricNames = \[(.*?)\]", updater).group(1)
    updater_names = {constants[name.strip()] for name in listed.split(",")}
    # The same namespace and dimension as the summary line.
    assert "\\\"Namespace\\\":\\\"\\(BroadcastSummary.namespace)\\\"" in updater
    assert re.findall(r'dimensions = "\[\[\\"(\w+)\\"\]\]"', updater) == [dimension]
    return namespace, {"<DBStreamProcessorFunction>": stream_names, "<DBUpdaterFunction>": updater_names}, dimension


def test_the_emf_reader_sees_both_lines_metrics():
    namespace, names, dimension = emf_metrics()
    assert namespace == "VisitorCounter"
    assert names["<DBStreamProcessorFunction>"] == {"connections", "sent", "gone", "failed", "retries", "durationMs"}
    assert names["<DBUpdaterFunction>"] == {"visits", "newVisitors", "handshakeErrors", "conflicts", "retries"}
    assert dimension == "FunctionName"


def test_alarm_email_is_optional_and_subscribed_only_when_set(template):
    param = template["Parameters"]["AlarmEmail"]
    assert (param["Type"], param["Default"]) == ("String", "")
    pattern = re.compile(param["AllowedPattern"])
    assert pattern.fullmatch("") and pattern.fullmatch("owner@example.com")
    assert not pattern.fullmatch("owner") and not pattern.fullmatch("owner@example") and not pattern.fullmatch("a b@c.de")
    assert template["Conditions"]["HasAlarmEmail"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}
    (topic_name, topic), = resources_of_type(template, "AWS::SNS::Topic").items()
    assert "Condition" not in topic  # alarms always have a topic; other endpoints can subscribe to it
    (subscription,) = resources_of_type(template, "AWS::SNS::Subscription").values()
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {"TopicArn": {"Ref": topic_name}, "Protocol": "email",
                                          "Endpoint": {"Ref": "AlarmEmail"}}


def lambda_metric(function, metric):
    return ("AWS/Lambda", metric, {"FunctionName": {"Ref": function}})


# alarm → (namespace, metric, dimensions, statistic, period s, evaluation periods, datapoints to alarm,
# threshold, comparison). docs/deploying.md ("Alarms") explains each one.
SINGLE_METRIC_ALARMS = {
    "DBUpdaterErrorsAlarm": (*lambda_metric("DBUpdaterFunction", "Errors"), "Sum", 300, 1, 1, 5,
                             "GreaterThanOrEqualToThreshold"),
    "DBUpdaterThrottlesAlarm": (*lambda_metric("DBUpdaterFunction", "Throttles"), "Sum", 300, 1, 1, 1,
                                "GreaterThanOrEqualToThreshold"),
    # 3 = the first attempt and MaximumRetryAttempts (2) retries of one batch.
    "DBStreamProcessorErrorsAlarm": (*lambda_metric("DBStreamProcessorFunction", "Errors"), "Sum", 300, 1, 1, 3,
                                     "GreaterThanOrEqualToThreshold"),
    "DBStreamProcessorThrottlesAlarm": (*lambda_metric("DBStreamProcessorFunction", "Throttles"), "Sum", 300, 3, 2, 1,
                                        "GreaterThanOrEqualToThreshold"),
    # Half of MaximumRecordAgeInSeconds, in milliseconds.
    "StreamIteratorAgeAlarm": (*lambda_metric("DBStreamProcessorFunction", "IteratorAge"), "Maximum", 60, 5, 3, 30000,
                               "GreaterThanOrEqualToThreshold"),
    # Several periods in a row: every one of 3.
    "BroadcastFailuresAlarm": ("VisitorCounter", "failed", {"FunctionName": {"Ref": "DBStreamProcessorFunction"}},
                               "Sum", 300, 3, 3, 1, "GreaterThanOrEqualToThreshold"),
    # The share of $connects that failed (each writes one 0/1 sample): a fifth, in 2 of 3 periods.
    "DBUpdaterHandshakeErrorsAlarm": ("VisitorCounter", "handshakeErrors", {"FunctionName": {"Ref": "DBUpdaterFunction"}},
                                      "Average", 300, 3, 2, 0.2, "GreaterThanOrEqualToThreshold"),
    "FailedStreamBatchesAlarm": ("AWS/SQS", "ApproximateNumberOfMessagesVisible",
                                 {"QueueName": {"Fn::GetAtt": ["FailedStreamBatchesQueue", "QueueName"]}},
                                 "Maximum", 300, 1, 1, 1, "GreaterThanOrEqualToThreshold"),
}


def test_every_alarm_is_one_of_those_tested_here(template):
    assert set(resources_of_type(template, "AWS::CloudWatch::Alarm")) == set(SINGLE_METRIC_ALARMS) | {"HandshakeFailuresAlarm"}


@pytest.mark.parametrize("name", sorted(SINGLE_METRIC_ALARMS) + ["HandshakeFailuresAlarm"])
def test_each_alarm_notifies_the_topic_and_reads_no_data_as_healthy(template, name):
    props = template["Resources"][name]["Properties"]
    assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert props["OKActions"] == [{"Ref": "AlarmTopic"}]
    # The metrics only have data points when something happened: a quiet site is not an incident.
    assert props["TreatMissingData"] == "notBreaching"
    assert "docs/deploying.md" in props["AlarmDescription"]
    assert props["DatapointsToAlarm"] <= props["EvaluationPeriods"]


@pytest.mark.parametrize("name", sorted(SINGLE_METRIC_ALARMS))
def test_single_metric_alarm(template, name):
    namespace, metric, dimensions, statistic, period, evaluations, datapoints, threshold, comparison = SINGLE_METRIC_ALARMS[name]
    props = template["Resources"][name]["Properties"]
    assert (props["Namespace"], props["MetricName"]) == (namespace, metric)
    assert {d["Name"]: d["Value"] for d in props["Dimensions"]} == dimensions
    assert len(props["Dimensions"]) == len(dimensions)
    assert (props["Statistic"], props["Period"], props["EvaluationPeriods"], props["DatapointsToAlarm"]) == (
        statistic, period, evaluations, datapoints)
    assert (props["Threshold"], props["ComparisonOperator"]) == (threshold, comparison)
    # A Unit would have to match the one the metric is written with exactly, or the alarm sees no data.
    assert "Unit" not in props


@pytest.mark.parametrize("name", sorted(n for n, a in SINGLE_METRIC_ALARMS.items() if a[0] == "VisitorCounter"))
def test_each_emf_alarm_reads_a_metric_its_function_writes(template, name):
    namespace, names, dimension = emf_metrics()
    props = template["Resources"][name]["Properties"]
    # The dimension value is AWS_LAMBDA_FUNCTION_NAME, the function's name (its Ref).
    (dimensions,) = props["Dimensions"]
    assert dimensions["Name"] == dimension
    function = f"<{dimensions['Value']['Ref']}>"
    assert props["Namespace"] == namespace and props["MetricName"] in names[function], (name, function)


def test_handshake_errors_alarm_is_a_share_of_the_connects_dbupdater_handled(template):
    """handshakeErrors is 0 or 1 once per $connect (UpdaterMetricsTests checks the line), so its Average is the
    share of failed handshakes; a threshold between 0 and 1 makes sense only for that statistic."""
    props = template["Resources"]["DBUpdaterHandshakeErrorsAlarm"]["Properties"]
    assert props["Statistic"] == "Average"
    assert 0 < props["Threshold"] < 1
    # One failed connect out of the four a quiet site sees in 5 minutes is enough in 2 of 3 periods, not in one.
    assert 1 / 4 >= props["Threshold"]
    assert props["DatapointsToAlarm"] >= 2


def test_iterator_age_alarm_fires_before_records_age_out(template):
    age = template["Resources"]["StreamIteratorAgeAlarm"]["Properties"]["Threshold"]
    (event,) = template["Resources"]["DBStreamProcessorFunction"]["Properties"]["Events"].values()
    assert age < event["Properties"]["MaximumRecordAgeInSeconds"] * 1000


def test_dbstreamprocessor_errors_alarm_counts_one_batch_s_attempts(template):
    (event,) = template["Resources"]["DBStreamProcessorFunction"]["Properties"]["Events"].values()
    threshold = template["Resources"]["DBStreamProcessorErrorsAlarm"]["Properties"]["Threshold"]
    assert threshold == 1 + event["Properties"]["MaximumRetryAttempts"]


def evaluate_metric_math(expression, values):
    """The alarm's expression in Python: FILL(x, 0) is x or 0 when x has no data point; names are the ids."""
    assert re.fullmatch(r"[\w\s()+*/,.]+", expression), expression  # names, numbers and arithmetic only
    python = re.sub(r"FILL\((\w+), 0\)", r"(0 if \1 is None else \1)", expression)
    return eval(python, {"__builtins__": {}}, dict(values))  # noqa: S307 - the template's own expression


def test_handshake_alarm_is_the_share_of_failed_connects_seen_by_api_gateway(template):
    props = template["Resources"]["HandshakeFailuresAlarm"]["Properties"]
    assert "Namespace" not in props and "MetricName" not in props
    queries = {m["Id"]: m for m in props["Metrics"]}
    (result,) = [m for m in props["Metrics"] if m["ReturnData"]]
    stats = {}
    for query_id, query in queries.items():
        if query is result:
            continue
        metric = query["MetricStat"]["Metric"]
        assert metric["Namespace"] == "AWS/ApiGateway"
        # The WebSocket API's stage-level dimensions.
        assert metric["Dimensions"] == [{"Name": "ApiId", "Value": {"Ref": "WebSocketApi"}},
                                        {"Name": "Stage", "Value": {"Ref": "StageName"}}]
        assert (query["MetricStat"]["Period"], query["MetricStat"]["Stat"]) == (300, "Sum")
        stats[query_id] = metric["MetricName"]
    assert sorted(stats.values()) == ["ConnectCount", "ExecutionError", "IntegrationError"]
    by_metric = {metric: query_id for query_id, metric in stats.items()}

    def share(connects, integration_errors, execution_errors):
        return evaluate_metric_math(result["Expression"], {
            by_metric["ConnectCount"]: connects, by_metric["IntegrationError"]: integration_errors,
            by_metric["ExecutionError"]: execution_errors})

    assert share(10, 6, None) == 60
    assert share(10, None, 3) == 30
    assert share(10, 2, 4) == 60
    assert share(10, None, None) == 0
    assert (props["Threshold"], props["ComparisonOperator"]) == (50, "GreaterThanThreshold")
    assert share(10, 5, None) <= props["Threshold"] < share(10, 6, None)
    assert (props["EvaluationPeriods"], props["DatapointsToAlarm"]) == (3, 3)


def test_a_batch_given_up_on_goes_to_the_failed_batch_queue(template):
    (event,) = template["Resources"]["DBStreamProcessorFunction"]["Properties"]["Events"].values()
    on_failure = event["Properties"]["DestinationConfig"]["OnFailure"]
    # No `Type`: SAM would only use it to add a policy to a role it generated (the role here is explicit).
    assert on_failure == {"Destination": {"Fn::GetAtt": ["FailedStreamBatchesQueue", "Arn"]}}
    queue = template["Resources"]["FailedStreamBatchesQueue"]
    assert queue["Type"] == "AWS::SQS::Queue"
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    assert "FifoQueue" not in queue["Properties"]  # an on-failure destination must be a standard queue


def test_sam_passes_the_destination_through_and_adds_no_permission_of_its_own(monkeypatch):
    """The template as SAM transforms it: the event source mapping carries the destination, and the only
    sqs:SendMessage grant is the role's own statement on that queue."""
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    source = yaml_parse(TEMPLATE_PATH.read_text())
    source["Globals"]["Function"]["CodeUri"] = "s3://bucket/key"  # what `sam package` would put there

    class NoManagedPolicies:
        def load(self):
            return {}

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the translator resolves pseudo parameters
    transformed = transform(source, {}, NoManagedPolicies())
    resources = transformed["Resources"]
    (mapping,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::EventSourceMapping"]
    assert mapping["DestinationConfig"] == {"OnFailure": {"Destination": {"Fn::GetAtt": ["FailedStreamBatchesQueue", "Arn"]}}}
    sends = [(name, statement["Resource"]) for name, resource in resources.items() if resource["Type"] == "AWS::IAM::Role"
             for policy in resource["Properties"].get("Policies", [])
             for statement in policy["PolicyDocument"]["Statement"]
             if "sqs:SendMessage" in as_list(statement["Action"])]
    assert sends == [("DBStreamProcessorRole", {"Fn::GetAtt": ["FailedStreamBatchesQueue", "Arn"]})]


# ---------------------------------------------------------------- the dashboard

PSEUDO_PARAMETERS = {"AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::StackName": "counter",
                     "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}


def resolve_sub(text, template):
    """A !Sub string with each ${Name} / ${Name.Attribute} replaced by a stand-in; every name must exist."""
    def stand_in(match):
        name = match.group(1)
        if name in PSEUDO_PARAMETERS:
            return PSEUDO_PARAMETERS[name]
        logical, _, attribute = name.partition(".")
        assert logical in template["Resources"] or (logical in template["Parameters"] and not attribute), name
        return f"<{name}>"
    return re.sub(r"\$\{([\w:.]+)\}", stand_in, text)


@pytest.fixture(scope="module")
def dashboard(template):
    (resource,) = resources_of_type(template, "AWS::CloudWatch::Dashboard").values()
    assert resource["Properties"]["DashboardName"] == {"Fn::Sub": "${AWS::StackName}-visitor-counter"}
    return json.loads(resolve_sub(resource["Properties"]["DashboardBody"]["Fn::Sub"], template))


def widget_metrics(dashboard):
    """(widget title, namespace, metric, {dimension: value}) of every metric line, with the `[".", ...]`
    shorthand of the dashboard format expanded."""
    for widget in dashboard["widgets"]:
        if widget["type"] != "metric":
            continue
        previous = None
        for line in widget["properties"]["metrics"]:
            fields = [f for f in line if not isinstance(f, dict)]
            if previous:
                fields = [prev if f == "." else f for f, prev in zip(fields, previous)] + fields[len(previous):]
            previous = fields
            namespace, metric, *pairs = fields
            assert len(pairs) % 2 == 0, line
            yield widget["properties"]["title"], namespace, metric, dict(zip(pairs[::2], pairs[1::2]))


# AWS's own metrics the dashboard may use, with the dimensions each is read by.
LAMBDA_METRICS = {"Duration", "Errors", "Throttles", "IteratorAge"}
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-logging.html
WEBSOCKET_METRICS = {"ConnectCount", "MessageCount", "IntegrationError", "ClientError", "ExecutionError", "IntegrationLatency"}


def test_dashboard_names_only_metrics_that_exist(dashboard):
    namespace, emf_names, dimension = emf_metrics()
    functions = {"<DBUpdaterFunction>", "<DBStreamProcessorFunction>"}
    lines = list(widget_metrics(dashboard))
    assert lines
    for title, line_namespace, metric, dimensions in lines:
        if line_namespace == namespace:
            assert set(dimensions) == {dimension}, (title, metric)
            assert metric in emf_names[dimensions[dimension]], (title, metric)
        elif line_namespace == "AWS/Lambda":
            assert metric in LAMBDA_METRICS, (title, metric)
            assert set(dimensions) == {"FunctionName"} and dimensions["FunctionName"] in functions
            if metric == "IteratorAge":
                assert dimensions["FunctionName"] == "<DBStreamProcessorFunction>"
        elif line_namespace == "AWS/ApiGateway":
            assert metric in WEBSOCKET_METRICS, (title, metric)
            assert dimensions == {"ApiId": "<WebSocketApi>", "Stage": "<StageName>"}
        elif line_namespace == "AWS/SQS":
            assert (metric, dimensions) == ("ApproximateNumberOfMessagesVisible",
                                            {"QueueName": "<FailedStreamBatchesQueue.QueueName>"})
        else:
            raise AssertionError(f"unexpected namespace {line_namespace} in {title}")


def test_dashboard_shows_every_figure_of_both_functions_and_lambda_s_own(dashboard):
    namespace, emf_names, dimension = emf_metrics()
    lines = list(widget_metrics(dashboard))
    for function, names in emf_names.items():
        assert {metric for _, ns, metric, dims in lines if ns == namespace and dims[dimension] == function} == names
    for function in ("<DBUpdaterFunction>", "<DBStreamProcessorFunction>"):
        assert {metric for _, ns, metric, dims in lines if ns == "AWS/Lambda" and dims["FunctionName"] == function} >= {
            "Duration", "Errors", "Throttles"}
    assert ("AWS/ApiGateway", "ConnectCount") in {(ns, metric) for _, ns, metric, _ in lines}


def test_dashboard_lists_every_alarm(dashboard, template):
    (widget,) = [w for w in dashboard["widgets"] if w["type"] == "alarm"]
    assert sorted(widget["properties"]["alarms"]) == sorted(
        f"<{name}.Arn>" for name in resources_of_type(template, "AWS::CloudWatch::Alarm"))


def test_dashboard_cold_starts_come_from_both_functions_report_records(dashboard, template):
    """Init duration is no CloudWatch metric: with LogFormat JSON each cold start's `platform.report` record
    carries `record.metrics.initDurationMs` (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html)."""
    (widget,) = [w for w in dashboard["widgets"] if w["type"] == "log"]
    query = widget["properties"]["query"]
    sources = re.findall(r"SOURCE '([^']+)'", query)
    assert sorted(sources) == ["<DBStreamProcessorLogGroup>", "<DBUpdaterLogGroup>"]
    for function in FUNCTIONS:
        assert function_property(template, function, "LoggingConfig")["LogFormat"] == "JSON"
    assert 'type = "platform.report"' in query and "ispresent(record.metrics.initDurationMs)" in query


def test_dashboard_widgets_fit_the_grid_without_overlapping(dashboard):
    cells = set()
    for widget in dashboard["widgets"]:
        assert widget["x"] + widget["width"] <= 24
        area = {(x, y) for x in range(widget["x"], widget["x"] + widget["width"])
                for y in range(widget["y"], widget["y"] + widget["height"])}
        assert not cells & area, widget.get("properties", {}).get("title")
        cells |= area
        if widget["type"] in ("metric", "log"):
            assert widget["properties"]["region"] == PSEUDO_PARAMETERS["AWS::Region"]


def test_the_dashboard_reader_rejects_an_unknown_reference(template):
    with pytest.raises(AssertionError):
        resolve_sub('{"a": "${NoSuchResource}"}', template)


def test_deploying_md_explains_every_alarm_and_the_alarm_parameter(template):
    """Each alarm has its row in docs/deploying.md (what it means, what to do), and AlarmEmail is listed."""
    text = (ROOT / "docs" / "deploying.md").read_text()
    rows = {line.split("|")[1].strip().strip("`"): line for line in text.splitlines() if line.startswith("| `")}
    for name in resources_of_type(template, "AWS::CloudWatch::Alarm"):
        assert name in rows, name
        assert len([cell for cell in rows[name].split("|")[1:-1] if cell.strip()]) == 4, name
    assert "AlarmEmail" in rows
    for output in ("AlarmTopicArn", "FailedStreamBatchesQueueUrl", "DashboardURL"):
        assert output in rows
