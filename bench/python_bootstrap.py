"""The common alternative for docs/benchmarks.md: a Python 3 custom runtime on the same Runtime API.

What a Python Lambda does before its first `/next`: import the handler module (boto3 and its client,
created once at init, as AWS recommends), then loop next → handler → response/error with urllib.
`BENCH_HANDLER` picks the handler in python_handlers.py: connect, fanout_sequential or fanout_pool.
"""
import json
import os
import urllib.request

import python_handlers  # next to this file; imports boto3 and creates the clients: the init phase

API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
handler = getattr(python_handlers, os.environ.get("BENCH_HANDLER", "connect"))
# No proxies on loopback (urllib would otherwise consult the environment on every request).
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

while True:
    with opener.open(API + "/invocation/next") as next_response:
        request_id = next_response.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(next_response.read())
    try:
        body, kind = json.dumps(handler(event, None)).encode(), "response"
    except Exception as error:  # noqa: BLE001 - report it as Lambda's Python runtime does, and go on
        body, kind = json.dumps({"errorMessage": str(error), "errorType": type(error).__name__}).encode(), "error"
    request = urllib.request.Request(f"{API}/invocation/{request_id}/{kind}", data=body, method="POST")
    opener.open(request).read()
