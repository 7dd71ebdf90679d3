"""`make dev` (scripts/dev.sh) as a site owner meets it: started, used by real WebSocket clients, and stopped
again and again, by Ctrl-C (SIGINT to the whole process group, as a terminal sends it), by SIGTERM to the
script, and by SIGKILL to the gateway. Every stop must be boring: no crash text, no error line, status 0,
every `$disconnect` run before the functions and moto stop, and no process left behind. The count carries
over from one run to the next (the tables live in DEV_STATE_DIR), and DEV_RESET=1 (`make dev-reset`)
starts from zero.

The script runs on free ports with its own state folder, so it never touches a developer's `.dev-state/`.
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
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from local_stack import ARTIFACTS, ROOT, free_port, wait_until

CONNECTIONS = 3
README_ENDPOINT = "ws://127.0.0.1:8080/local"
# Crash reports of the Swift runtime, Python tracebacks, and any line that reports an error or a failure.
TROUBLE = re.compile(r"(?i)crash|fatal|backtrac|traceback|segmentation|\berror\b|\"level\":\"(warn|error)\"|failed")


def readme_snippet():
    match = re.search(r"<!-- embed-snippet -->\s*```html\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
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


def assert_clean(run, status, processes, connections=CONNECTIONS):
    text = run.text()
    assert status == 0, f"dev.sh ended with {status}:\n{text[-3000:]}"
    trouble = [line for line in text.splitlines() if TROUBLE.search(line)]
    assert trouble == [], "lines reporting trouble:\n" + "\n".join(trouble)
    lines = text.splitlines()
    stopped = lines.index("[gateway] stopped")
    disconnects = [i for i, line in enumerate(lines) if re.search(r"invoke DBUpdater \$disconnect \d+ms ok$", line)]
    assert len(disconnects) == connections and all(i < stopped for i in disconnects), text[-3000:]
    assert lines[-1] == "==> stopped", text[-500:]
    left = {name: pid for name, pid in processes.items() if alive(pid)}
    assert left == {}, f"processes left behind: {left}"


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("dev-state")


def test_stops_cleanly_every_time_and_the_count_carries_over(state_dir):
    expected = 0
    ways = ["make dev + ctrl-c", "sigterm", "ctrl-c", "sigterm", "ctrl-c", "sigterm"]
    for round_number, way in enumerate(ways):
        command = ["make", "--no-print-directory", "dev"] if way.startswith("make") else ["scripts/dev.sh"]
        run = DevRun(state_dir, f"stop-{round_number}-{way.replace(' ', '')}", command=command)
        try:
            processes = wait_until(lambda: at_least_four(run.processes()), 30,
                                   message="the gateway, both functions and moto")
            assert "moto" in processes and "gateway" in processes
            if round_number == 0:
                assert run.banner_snippet() == readme_snippet().strip()
                # Before the banner: one line per step, and the build's is one line too.
                before = run.text().split("[gateway] ready:", 1)[0].splitlines()
                assert [line for line in before if not line.startswith(("==> ", "[gateway] "))] in ([], ["scripts/dev.sh"])
                assert any(re.fullmatch(r"==> swift build .*\.\.\. done in \d+s", line) for line in before), before

            # In one round a client stops answering: the stop still takes seconds, not forever.
            silent = silent_client(run.port) if round_number == 1 else None
            visits = CONNECTIONS + (1 if silent else 0)

            async def use_then_stop():
                clients, last = await open_clients(run.port, CONNECTIONS)
                # Each client is a new visit, counted on top of every earlier run's.
                counted = await total_reaches(last, expected + visits)
                if way.endswith("ctrl-c"):
                    os.killpg(run.process.pid, signal.SIGINT)
                else:
                    os.kill(run.process.pid, signal.SIGTERM)
                return counted, await closed_by_server(clients)

            counted, codes = asyncio.run(use_then_stop())
            expected += visits
            assert counted, f"round {round_number}: the total did not reach {expected}"
            assert codes == [1000] * CONNECTIONS
            status = run.wait(timeout=20)
            if way.startswith("make"):
                # The recipe ended with 0, so make says nothing; it then re-raises the interrupt itself.
                assert "make: ***" not in run.text() and status == -signal.SIGINT, (status, run.text()[-500:])
                status = 0
            assert_clean(run, status, processes, connections=visits)
            assert saved_visits(state_dir) == expected
            if silent:
                silent.close()
        finally:
            if run.process.poll() is None:
                os.killpg(run.process.pid, signal.SIGKILL)

    reset = DevRun(state_dir, "reset", reset=True)
    try:
        assert "starting over" in reset.text()
        async def one_visit():
            clients, last = await open_clients(reset.port, 1)
            counted = await total_reaches(last, 1)
            await last.close()
            return counted

        assert asyncio.run(one_visit())
        os.killpg(reset.process.pid, signal.SIGINT)
        assert reset.wait(timeout=20) == 0
        assert saved_visits(state_dir) == 1
    finally:
        if reset.process.poll() is None:
            os.killpg(reset.process.pid, signal.SIGKILL)


def test_function_processes_end_with_a_gateway_killed_outright(state_dir):
    for round_number in range(2):
        run = DevRun(state_dir, f"sigkill-{round_number}")
        try:
            processes = wait_until(lambda: at_least_four(run.processes()), 30,
                                   message="the gateway, both functions and moto")
            functions = {name: pid for name, pid in processes.items() if name not in ("gateway", "moto")}
            assert len(functions) == 2, processes
            async def visit_then_kill():
                await open_clients(run.port, 1)
                os.kill(processes["gateway"], signal.SIGKILL)

            asyncio.run(visit_then_kill())
            wait_until(lambda: not any(alive(pid) for pid in functions.values()), 10,
                       message=f"the function processes {functions} to end with the gateway")
            status = run.wait(timeout=20)
            assert status == 1
            assert "the local gateway was killed (signal 9)" in run.text()
            assert not any(alive(pid) for pid in processes.values()), run.processes()
            assert not re.search(r"(?i)crash|backtrac|traceback", run.text())
        finally:
            if run.process.poll() is None:
                os.killpg(run.process.pid, signal.SIGKILL)
