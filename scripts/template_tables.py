#!/usr/bin/env python3
"""Prints, as JSON, what the local gateway needs from template.yaml, so the local stack and the
deployed one never drift (docs/design.md §7):

  {"tables": [{"name", "envVar", "logicalId", "keySchema", "attributeDefinitions", "streamViewType", "ttlAttribute"}],
   "stream": {"table", "batchSize", "maximumBatchingWindowInSeconds", "maximumRetryAttempts", "filters": [pattern, ...]},
   "routes": [{"routeKey", "hasResponse", "integrationType", "mockResponse" (MOCK routes only)}]}

A table's local name is the design default of the function environment variable that carries it
(VISITOR_COUNT_TABLE → VisitorCount, CONNECTIONS_TABLE → ConnectionIDs); the template itself lets
CloudFormation name the tables. Uses SAM's own YAML loader (short-form intrinsics like !Ref).

usage: template_tables.py [template.yaml] [-o out.json]
"""
import argparse
import json
import sys

from samtranslator.yaml_helper import yaml_parse

# docs/design.md §2: the environment variables that carry table names, and their defaults.
TABLE_DEFAULTS = {"VISITOR_COUNT_TABLE": "VisitorCount", "CONNECTIONS_TABLE": "ConnectionIDs"}
# Lambda's defaults for a DynamoDB event source mapping. Lambda retries a failing batch until the
# records expire (-1); locally that would stall the stream forever, so the local default is small.
MAPPING_DEFAULTS = {"BatchSize": 100, "MaximumBatchingWindowInSeconds": 0, "MaximumRetryAttempts": 2}


class TemplateError(Exception):
    pass


def resolve(value, parameters):
    """Resolves a `Ref` to a template parameter to its default; other values pass through."""
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in parameters:
        default = parameters[value["Ref"]].get("Default")
        if default is None:
            raise TemplateError(f"parameter {value['Ref']} has no default")
        return default
    return value


def ref_target(value):
    """The logical id a `Ref` or `Fn::GetAtt` points at, else None."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            return target[0] if isinstance(target, list) else str(target).split(".")[0]
    return None


def environment_variables(template):
    """Every function environment variable (Globals and each function), name → value."""
    found = {}
    blocks = [template.get("Globals", {}).get("Function", {})]
    blocks += [r.get("Properties", {}) for r in template.get("Resources", {}).values()
               if r.get("Type") in ("AWS::Serverless::Function", "AWS::Lambda::Function")]
    for block in blocks:
        found.update(block.get("Environment", {}).get("Variables", {}) or {})
    return found


def tables(template):
    resources = template.get("Resources", {})
    by_table = {}
    for name, value in environment_variables(template).items():
        target = ref_target(value)
        if target in resources:
            by_table[target] = name
    out = []
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::DynamoDB::Table":
            continue
        props = resource.get("Properties", {})
        env_var = by_table.get(logical_id)
        if env_var is None:
            raise TemplateError(f"no function environment variable refers to table {logical_id}")
        ttl = props.get("TimeToLiveSpecification") or {}
        out.append({
            "name": TABLE_DEFAULTS.get(env_var, logical_id),
            "envVar": env_var,
            "logicalId": logical_id,
            "keySchema": props["KeySchema"],
            "attributeDefinitions": props["AttributeDefinitions"],
            "streamViewType": (props.get("StreamSpecification") or {}).get("StreamViewType"),
            "ttlAttribute": ttl.get("AttributeName") if ttl.get("Enabled", False) in (True, "true") else None,
        })
    return out


def stream_mapping(template, table_names):
    parameters = template.get("Parameters", {})
    mappings = []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            for event in (resource.get("Properties", {}).get("Events") or {}).values():
                if event.get("Type") == "DynamoDB":
                    mappings.append(event.get("Properties", {}))
        elif resource.get("Type") == "AWS::Lambda::EventSourceMapping":
            props = dict(resource.get("Properties", {}))
            props["Stream"] = props.get("EventSourceArn")
            mappings.append(props)
    if len(mappings) != 1:
        raise TemplateError(f"expected one DynamoDB stream event source, found {len(mappings)}")
    props = mappings[0]
    table = ref_target(props.get("Stream"))
    if table not in table_names:
        raise TemplateError(f"the stream event reads {table!r}, which is not a table of the template")
    settings = {key: resolve(props.get(key, default), parameters) for key, default in MAPPING_DEFAULTS.items()}
    if int(settings["MaximumRetryAttempts"]) < 0:
        settings["MaximumRetryAttempts"] = MAPPING_DEFAULTS["MaximumRetryAttempts"]
    filters = []
    for entry in (props.get("FilterCriteria") or {}).get("Filters", []):
        pattern = resolve(entry.get("Pattern"), parameters)
        filters.append(json.loads(pattern) if isinstance(pattern, str) else pattern)
    return {
        "table": table_names[table],
        "batchSize": int(settings["BatchSize"]),
        "maximumBatchingWindowInSeconds": float(settings["MaximumBatchingWindowInSeconds"]),
        "maximumRetryAttempts": int(settings["MaximumRetryAttempts"]),
        "filters": filters,
    }


def integration_of(route, resources):
    """The logical id of the integration a route targets (`Target: !Sub integrations/${Integration}`)."""
    target = route.get("Properties", {}).get("Target")
    text = target.get("Fn::Sub") if isinstance(target, dict) else target
    if isinstance(text, list):
        text = text[0]
    if isinstance(text, str) and text.startswith("integrations/${") and text.endswith("}"):
        name = text[len("integrations/${"):-1]
        return name if name in resources else None
    return None


def mock_response(integration_id, resources):
    """The `$default` response template of a MOCK integration's `$default` integration response, if any:
    what API Gateway sends back on a two-way MOCK route (the local gateway sends the same text)."""
    for resource in resources.values():
        props = resource.get("Properties", {})
        if (resource.get("Type") == "AWS::ApiGatewayV2::IntegrationResponse"
                and ref_target(props.get("IntegrationId")) == integration_id
                and props.get("IntegrationResponseKey") == "$default"):
            return (props.get("ResponseTemplates") or {}).get("$default")
    return None


def routes(template):
    resources = template.get("Resources", {})
    with_response = {ref_target(r.get("Properties", {}).get("RouteId"))
                     for r in resources.values() if r.get("Type") == "AWS::ApiGatewayV2::RouteResponse"}
    out = []
    for logical_id, r in resources.items():
        if r.get("Type") != "AWS::ApiGatewayV2::Route":
            continue
        integration = integration_of(r, resources)
        kind = resources[integration].get("Properties", {}).get("IntegrationType") if integration else None
        entry = {"routeKey": r["Properties"]["RouteKey"], "hasResponse": logical_id in with_response,
                 "integrationType": kind or "AWS_PROXY"}
        if kind == "MOCK":
            entry["mockResponse"] = mock_response(integration, resources)
        out.append(entry)
    if not out:
        raise TemplateError("the template has no AWS::ApiGatewayV2::Route")
    return sorted(out, key=lambda route: route["routeKey"])


def describe(template):
    table_list = tables(template)
    names = {t["logicalId"]: t["name"] for t in table_list}
    return {"tables": table_list, "stream": stream_mapping(template, names), "routes": routes(template)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("template", nargs="?", default="template.yaml")
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    args = parser.parse_args()
    try:
        with open(args.template) as f:
            result = describe(yaml_parse(f.read()))
    except (OSError, KeyError, ValueError, TemplateError) as error:
        sys.exit(f"template_tables: {args.template}: {type(error).__name__}: {error}")
    text = json.dumps(result, indent=2, sort_keys=True) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
