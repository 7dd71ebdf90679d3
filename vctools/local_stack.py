"""The local stack for end-to-end tests and load storms: moto (scripts/moto_server.py, signature checking on)
and the LocalGateway binary with the real DBUpdater and DBStreamProcessor behind it, on free loopback ports;
and the readers the tests check the stack with (the count, the open connections, the processes, the
gateway's Management API signed as a function signs it).

The binaries must be built (`swift build`, as scripts/test.sh does before pytest). Everything started
here is stopped by `close()`, also when a test fails.
"""
import contextlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from vctools.paths import ARTIFACTS, PYTHON, ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bin_path():
    """The build folder with LocalGateway, DBUpdater and DBStreamProcessor (LOCAL_STACK_BIN_PATH overrides,
    e.g. to run against a release build)."""
    if os.environ.get("LOCAL_STACK_BIN_PATH"):
        return Path(os.environ["LOCAL_STACK_BIN_PATH"])
    out = subprocess.run(["swift", "build", "--package-path", "LocalStack", "--show-bin-path"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return Path(out)


def function_bin_path(bin_dir):
    """The folder the gateway starts DBUpdater and DBStreamProcessor from: VC_FUNCTION_BIN_DIR when set
    (`make test` points it at the release bootstraps, what `sam build` ships), else the build folder."""
    folder = os.environ.get("VC_FUNCTION_BIN_DIR")
    return Path(folder) if folder else Path(bin_dir)


def tables_file(directory):
    """The gateway's tables JSON from template.yaml (as `make dev` makes it), or None for the defaults."""
    template = ROOT / "template.yaml"
    if not template.exists():
        return None
    out = Path(directory) / "tables.json"
    subprocess.run([PYTHON, str(ROOT / "scripts" / "template_tables.py"), str(template), "-o", str(out)], check=True)
    return out


class Moto:
    """scripts/moto_server.py on a free port; stops when its stdin closes. `auth=False` turns signature checking
    off (`info` then has the fixed key pair `testing`, and `credentials` no session token)."""

    def __init__(self, auth=True):
        command = [PYTHON, str(ROOT / "scripts" / "moto_server.py")]
        if not auth:
            command.append("--no-auth")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("moto_server.py exited before printing its credentials")
        self.info = json.loads(line)
        self.endpoint = self.info["endpoint"]
        self.region = self.info["region"]
        self.credentials = self.info.get("session") or {
            "accessKeyId": self.info["accessKeyId"], "secretAccessKey": self.info["secretAccessKey"], "sessionToken": None}

    def environment(self):
        c = self.credentials
        token = {"AWS_SESSION_TOKEN": c["sessionToken"]} if c["sessionToken"] else {}
        return {"AWS_ENDPOINT_URL_DYNAMODB": self.endpoint, "AWS_REGION": self.region,
                "AWS_ACCESS_KEY_ID": c["accessKeyId"], "AWS_SECRET_ACCESS_KEY": c["secretAccessKey"],
                **token}

    def client(self, service):
        """A boto3 client of `service` (dynamodb, dynamodbstreams) on this server, with its credentials."""
        c = self.credentials
        return boto3.client(service, endpoint_url=self.endpoint, region_name=self.region,
                            aws_access_key_id=c["accessKeyId"], aws_secret_access_key=c["secretAccessKey"],
                            aws_session_token=c["sessionToken"])

    def dynamodb(self):
        return self.client("dynamodb")

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Gateway:
    """The LocalGateway process; its output goes to test-artifacts/<name>.log and is kept for asserts."""

    def __init__(self, moto, port, bin_dir, tables=None, name="gateway", extra_args=()):
        self.moto, self.port, self.bin_dir, self.tables = moto, port, bin_dir, tables
        self.function_dir = function_bin_path(bin_dir)
        self.name, self.extra_args = name, list(extra_args)
        self.url = f"http://127.0.0.1:{port}/"
        self.ws_url = f"ws://127.0.0.1:{port}/local"
        self.process = None
        self.output = []
        self.lock = threading.Lock()

    def start(self, timeout=60):
        args = [str(self.bin_dir / "LocalGateway"), "--port", str(self.port), "--bin-path", str(self.function_dir),
                "--web-root", str(ROOT / "web"), *self.extra_args]
        if self.tables:
            args += ["--tables", str(self.tables)]
        env = dict(os.environ, **self.moto.environment())
        ARTIFACTS.mkdir(exist_ok=True)
        self.process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        log = open(ARTIFACTS / f"{self.name}.log", "a")
        ready = threading.Event()

        def pump(stream=self.process.stdout):
            for line in stream:
                log.write(line)
                log.flush()
                with self.lock:
                    self.output.append(line)
                if "ready: page" in line:
                    ready.set()
            log.close()

        self.pump = threading.Thread(target=pump, daemon=True)
        self.pump.start()
        deadline = time.time() + timeout
        while not ready.wait(0.1):
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("the gateway did not start:\n" + self.text()[-4000:])
        return self

    def text(self):
        with self.lock:
            return "".join(self.output)

    def invocations(self, route):
        """How many times the gateway invoked DBUpdater for `route` (`$connect`, `sync`, ...) so far."""
        return sum(1 for line in self.text().splitlines() if line.startswith(f"[gateway] invoke DBUpdater {route} "))

    def stop(self):
        """Stops the gateway with SIGTERM, as `make dev` does, and checks that it stopped cleanly: status 0 and
        no crash report (a crash while stopping would otherwise pass unnoticed at the end of a test)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"the gateway ({self.name}) did not stop within 15 s of SIGTERM") from None
            self.pump.join(timeout=5)
            output = self.text()
            if self.process.returncode != 0 or "Program crashed" in output:
                raise AssertionError(
                    f"the gateway ({self.name}) did not stop cleanly: status {self.process.returncode}\n{output[-3000:]}")

    def get(self, path):
        with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=5) as response:
            return response.status, response.read()

    def management_api(self, moto, method, connection_id, body=b"", secret=None):
        """A request to the gateway's Management API (`@connections/{id}`), SigV4-signed by botocore with
        moto's session credentials as a function signs it (`secret` replaces the secret key, to be refused);
        returns (status, headers, body), error statuses included."""
        c = moto.credentials
        url = f"{self.url}local/@connections/{urllib.parse.quote(connection_id, safe='')}"
        request = AWSRequest(method=method, url=url, data=body)
        SigV4Auth(Credentials(c["accessKeyId"], secret or c["secretAccessKey"], c["sessionToken"]), "execute-api",
                  moto.region).add_auth(request)
        prepared = request.prepare()
        http = urllib.request.Request(prepared.url, data=body or None, method=method, headers=dict(prepared.headers))
        try:
            with urllib.request.urlopen(http, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    # The fault control endpoint (a gateway started with --fault-control).

    def faults(self):
        """What the gateway's fault modes did so far (GET /_local/faults)."""
        status, body = self.get("/_local/faults")
        assert status == 200
        return json.loads(body)

    def throttle_management_api(self, seconds):
        """Every Management API POST answers 429 for `seconds` from now (0 ends it)."""
        request = urllib.request.Request(self.url + "_local/faults/management-throttle", method="POST",
                                         data=json.dumps({"seconds": seconds}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            return json.loads(response.read())


def wait_until(predicate, timeout, interval=0.1, message="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")


@contextlib.contextmanager
def running_stack(name, extra_args=()):
    """moto and a started gateway (named `name` in test-artifacts) with the tables file in a temporary
    directory; yields (moto, gateway) and stops both, and removes the directory, however the block ends."""
    moto = Moto()
    workdir = tempfile.TemporaryDirectory()
    gateway = None
    try:
        gateway = Gateway(moto, free_port(), bin_path(), tables_file(workdir.name), name=name,
                          extra_args=list(extra_args)).start()
        yield moto, gateway
    finally:
        if gateway:
            gateway.stop()
        moto.close()
        workdir.cleanup()


def visits_in_table(moto):
    """The counter's `visits` (0 before the first visit), read consistently."""
    item = moto.dynamodb().get_item(TableName="VisitorCount", Key={"id": {"S": "visitors"}},
                                    ConsistentRead=True).get("Item")
    return int(item["visits"]["N"]) if item and "visits" in item else 0


def connection_count(moto):
    """The rows of ConnectionIDs, read consistently (every page)."""
    client, count, start = moto.dynamodb(), 0, None
    while True:
        page = client.scan(TableName="ConnectionIDs", Select="COUNT", ConsistentRead=True,
                           **({"ExclusiveStartKey": start} if start else {}))
        count += page["Count"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return count


def processes(root_pid):
    """{pid: {"name", "fds", "rssKB"}} for `root_pid` (named "gateway") and its children, read from /proc."""
    pids = [root_pid]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == root_pid:
                pids.append(int(entry))
    table = {}
    for pid in pids:
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            fds = len(os.listdir(f"/proc/{pid}/fd"))
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        table[pid] = {"name": "gateway" if pid == root_pid else name, "fds": fds, "rssKB": rss}
    return table
