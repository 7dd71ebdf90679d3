#!/usr/bin/env python3
"""Signs requests with botocore's SigV4Auth, as a reference for the Swift signer's cross-check test.

stdin: a JSON array of requests, each
  {"method": "POST", "url": "https://host/path?query" (already percent-encoded, as sent),
   "headers": [["Name", "value"], ...] (order and duplicates kept), "body": "<base64>",
   "region": "us-east-1", "service": "dynamodb",
   "credentials": {"access_key_id": "...", "secret_access_key": "...", "session_token": null | "..."},
   "timestamp": 1440938160 (epoch seconds, UTC)}
stdout: a JSON array, one object per request, in order:
  {"authorization": "...", "x_amz_date": "...", "x_amz_security_token": null | "...",
   "canonical_request": "..."}

botocore takes the signing time from botocore.auth.get_current_datetime(); it is patched per request so
the signature is computed for the given timestamp. Test-only: never run with real credentials.
"""
import base64
import datetime
import json
import sys
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class RecordingSigV4Auth(SigV4Auth):
    """SigV4Auth that keeps the canonical request it signed, to explain a mismatch."""

    canonical = None

    def canonical_request(self, request):
        self.canonical = super().canonical_request(request)
        return self.canonical


def sign(spec):
    creds = spec["credentials"]
    credentials = Credentials(creds["access_key_id"], creds["secret_access_key"], creds.get("session_token"))
    request = AWSRequest(method=spec["method"], url=spec["url"], data=base64.b64decode(spec["body"]))
    # HTTPHeaders (an email.message.Message) appends on assignment, so duplicates and order are kept.
    for name, value in spec["headers"]:
        request.headers[name] = value
    signer = RecordingSigV4Auth(credentials, spec["service"], spec["region"])
    moment = datetime.datetime.fromtimestamp(spec["timestamp"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=moment):
        signer.add_auth(request)
    return {
        "authorization": request.headers["Authorization"],
        "x_amz_date": request.headers["X-Amz-Date"],
        "x_amz_security_token": request.headers.get("X-Amz-Security-Token"),
        "canonical_request": signer.canonical,
    }


def main():
    specs = json.load(sys.stdin)
    json.dump([sign(spec) for spec in specs], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
