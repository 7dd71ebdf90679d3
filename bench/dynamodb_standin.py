"""A loopback DynamoDB stand-in for the fan-out benchmark: `Scan` of the connections table answers
`count` connections in pages of `page_size` (following `ExclusiveStartKey`), any other call answers
`{}`. Pages are built once, so answering costs next to nothing. No signature checking.
"""
import json

from loopback_http import LoopbackHTTPServer


def connection_id(index):
    """API Gateway-like ids, `c00000000000042A=`; the same scheme as floor_fanout.c."""
    return f"c{index:014d}A="


class DynamoDBStandIn:
    def __init__(self, count, page_size=4000):
        self.pages = {}
        start = None  # page i starts after the last id of page i-1
        for first in range(0, max(count, 1), page_size):
            ids = [connection_id(i) for i in range(first, min(count, first + page_size))]
            page = {
                "Items": [{"connectionId": {"S": cid}, "connectedAt": {"N": "1700000000000"}} for cid in ids],
                "Count": len(ids), "ScannedCount": len(ids),
            }
            if first + page_size < count:
                page["LastEvaluatedKey"] = {"connectionId": {"S": ids[-1]}}
            self.pages[start] = json.dumps(page).encode()
            start = ids[-1] if ids else None
        self.calls = {}
        self.server = LoopbackHTTPServer(self._handle)
        self.endpoint = f"http://127.0.0.1:{self.server.port}"

    def close(self):
        self.server.close()

    def _handle(self, method, path, headers, body):
        target = headers.get("x-amz-target", "").rpartition(".")[2]
        self.calls[target] = self.calls.get(target, 0) + 1
        out = b"{}"
        if target == "Scan":
            start = json.loads(body or b"{}").get("ExclusiveStartKey", {}).get("connectionId", {}).get("S")
            out = self.pages.get(start, b'{"Items":[],"Count":0,"ScannedCount":0}')
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, out
