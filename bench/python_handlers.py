"""boto3 handlers doing what DBUpdater's `$connect` and DBStreamProcessor do, written the way most
tutorials write them, for docs/benchmarks.md. Clients are made at import (Lambda's init phase).
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

VISITOR_COUNT_TABLE = os.environ.get("VISITOR_COUNT_TABLE", "VisitorCount")
CONNECTIONS_TABLE = os.environ.get("CONNECTIONS_TABLE", "ConnectionIDs")
POOL_SIZE = int(os.environ.get("FANOUT_CONCURRENCY", "64"))

dynamodb = boto3.client("dynamodb", config=Config(max_pool_connections=POOL_SIZE))
management = None
if os.environ.get("WEBSOCKET_API_ENDPOINT"):
    management = boto3.client("apigatewaymanagementapi", endpoint_url=os.environ["WEBSOCKET_API_ENDPOINT"],
                              config=Config(max_pool_connections=POOL_SIZE))


def connect(event, context):
    """$connect: the connection, the visit marker and the count in one transaction (docs/design.md §5)."""
    ctx = event["requestContext"]
    now_ms = int(time.time() * 1000)
    visit = (event.get("queryStringParameters") or {}).get("visit")
    items = [{"Put": {"TableName": CONNECTIONS_TABLE, "ConditionExpression": "attribute_not_exists(connectionId)", "Item": {
        "connectionId": {"S": ctx["connectionId"]}, "connectedAt": {"N": str(now_ms)},
        "expiresAt": {"N": str(now_ms // 1000 + 7500)}, **({"visitId": {"S": visit}} if visit else {})}}}]
    if visit:
        items.append({"Put": {"TableName": VISITOR_COUNT_TABLE, "ConditionExpression": "attribute_not_exists(id)", "Item": {
            "id": {"S": f"visit#{visit}"}, "expiresAt": {"N": str(now_ms // 1000 + 86400)}}}})
    items.append({"Update": {"TableName": VISITOR_COUNT_TABLE, "Key": {"id": {"S": "visitors"}},
                             "UpdateExpression": "ADD visits :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}})
    dynamodb.transact_write_items(TransactItems=items)
    return {"statusCode": 200}


def _newest_message(event):
    newest = None
    for record in event.get("Records", []):
        image = record.get("dynamodb", {}).get("NewImage", {})
        if record.get("eventName") in ("INSERT", "MODIFY") and "visits" in image:
            if newest is None or int(record["dynamodb"]["SequenceNumber"]) > int(newest["dynamodb"]["SequenceNumber"]):
                newest = record
    return None if newest is None else ('{"visits":' + newest["dynamodb"]["NewImage"]["visits"]["N"] + '}').encode()


def _connection_ids():
    ids = []
    for page in dynamodb.get_paginator("scan").paginate(TableName=CONNECTIONS_TABLE, ProjectionExpression="connectionId, connectedAt"):
        ids += [item["connectionId"]["S"] for item in page["Items"]]
    return ids


def _post(connection_id, message):
    try:
        management.post_to_connection(ConnectionId=connection_id, Data=message)
        return True
    except management.exceptions.GoneException:
        dynamodb.delete_item(TableName=CONNECTIONS_TABLE, Key={"connectionId": {"S": connection_id}})
        return False


def fanout_sequential(event, context):
    """The tutorial loop: one post after another."""
    message = _newest_message(event)
    sent = sum(_post(cid, message) for cid in _connection_ids()) if message else 0
    return {"sent": sent}


def fanout_pool(event, context):
    """The same with a thread pool of FANOUT_CONCURRENCY workers sharing one (thread-safe) client."""
    message = _newest_message(event)
    if not message:
        return {"sent": 0}
    with ThreadPoolExecutor(max_workers=POOL_SIZE) as pool:
        sent = sum(pool.map(lambda cid: _post(cid, message), _connection_ids()))
    return {"sent": sent}
