"""`make dev` (scripts/dev.sh) driven as a terminal drives it, for tests/test_dev_stop.py: started in a
process group of its own on free ports with its own state folder, its processes found through /proc, and
page-like WebSocket clients (and one that stops answering) to use it with.
"""
import asyncio
import base64
import json
import os
import re
import secrets
import signal
import socket
import subprocess
from pathlib import Path

from websockets.asyncio.client import connect

from vctools.local_stack import free_port, wait_until
from vctools.paths import ARTIFACTS, ROOT

README_ENDPOINT = "ws://127.0.0.1:8080/local"


def readme_snippet():
    """The HTML block that follows the `<!-- embed-snippet -->` marker in the README."""
    match = re.search(r"<!-- embed-snippet -->\s*```html\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert match, "README.md has no embed snippet"
    return match.group(1)


def children(pid):
    """Direct children of `pid` (every thread's, as /proc lists them per thread)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def at_least_four(processes):
    """The gateway, both functions and moto once all four run, else None (for wait_until)."""
    return processes if len(processes) >= 4 else None


def alive(pid):
    """True while `pid` exists and is not a zombie (an exited child nobody has reaped yet is gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class DevRun:
    """One `scripts/dev.sh` in a process group of its own (as a terminal's foreground job), output kept."""

    def __init__(self, state_dir, name, reset=False, command=("scripts/dev.sh",)):
        self.port, self.dynamodb_port = free_port(), free_port()
        env = dict(os.environ, PORT=str(self.port), DYNAMODB_PORT=str(self.dynamodb_port),
                   DEV_STATE_DIR=str(state_dir))
        env.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
        if reset:
            env["DEV_RESET"] = "1"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"dev-{name}.log"
        self.log = open(self.log_path, "w")
        # A background job of a non-interactive shell ignores SIGINT; a terminal's job does not.
        self.process = subprocess.Popen(
            list(command), cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        wait_until(lambda: "VisitorCounter is running" in self.text() or self.process.poll() is not None,
                   300, message="make dev to print its banner")
        assert self.process.poll() is None, "dev.sh ended before it was ready:\n" + self.text()[-3000:]

    def text(self):
        return self.log_path.read_text(errors="replace")

    def processes(self):
        """{name: pid} of the gateway, its function processes and moto, while running."""
        found, queue = {}, children(self.process.pid)
        while queue:
            pid = queue.pop()
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "LocalGateway" in cmdline:
                found["gateway"] = pid
                for child in children(pid):
                    name = Path(f"/proc/{child}/comm").read_text().strip()
                    found[f"{name}-{child}"] = child
            elif "moto_server.py" in cmdline:
                found["moto"] = pid
            else:
                queue += children(pid)  # make, then dev.sh
        return found

    def banner_snippet(self):
        """The snippet the banner printed, as the README writes it (the README's address for this run's)."""
        lines = self.text().split("add:\n", 1)[1].split("\n\n", 1)[0].strip("\n").splitlines()
        return "\n".join(line[4:] for line in lines).replace(f"ws://127.0.0.1:{self.port}/local", README_ENDPOINT)

    def wait(self, timeout=30):
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.log.close()


async def open_clients(port, count):
    """`count` page-like clients, each a new visit (connected and synced one after the other); returns them
    and the total the last one sees once every visit is counted (broadcasts may come before a sync's answer,
    so the total is awaited rather than read from the first frame)."""
    clients = []
    for _ in range(count):
        ws = await connect(f"ws://127.0.0.1:{port}/local?visit={secrets.token_urlsafe(16)}", open_timeout=30)
        await ws.send(json.dumps({"action": "sync"}))
        await asyncio.wait_for(ws.recv(), 20)
        clients.append(ws)
    return clients, clients[-1]


def silent_client(port):
    """A WebSocket client that completes its handshake and then never reads or answers again (a suspended
    laptop, a script that stopped reading): a stop must not wait for it longer than the close timeout."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    sock.sendall((f"GET /local?visit={secrets.token_urlsafe(16)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    assert sock.recv(4096).startswith(b"HTTP/1.1 101"), "the silent client's handshake failed"
    return sock


async def total_reaches(ws, wanted, timeout=20):
    """Asks for the total until it is `wanted` (True) or passes it or time runs out (False)."""
    deadline = asyncio.get_running_loop().time() + timeout
    await ws.send(json.dumps({"action": "sync"}))
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            visits = json.loads(await asyncio.wait_for(ws.recv(), left))["visits"]
        except asyncio.TimeoutError:
            break
        if visits >= wanted:
            return visits == wanted
    return False


def saved_visits(state_dir):
    """The total in the tables moto saved when it stopped."""
    saved = json.loads((Path(state_dir) / "tables.json").read_text())
    table = next(t for t in saved["tables"] if t["TableName"] == "VisitorCount")
    return int(next(i for i in table["Items"] if i["id"]["S"] == "visitors")["visits"]["N"])


async def closed_by_server(clients, timeout=20):
    """Waits for the server to close every client; returns their close codes."""
    codes = []
    for ws in clients:
        try:
            while True:
                await asyncio.wait_for(ws.recv(), timeout)
        except Exception:  # noqa: BLE001 - any end of the connection is what we wait for
            codes.append(ws.close_code)
    return codes
