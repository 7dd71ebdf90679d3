"""`make dev` (scripts/dev.sh) as a site owner meets it: started, used by real WebSocket clients, and stopped
again and again, by Ctrl-C (SIGINT to the whole process group, as a terminal sends it), by SIGTERM to the
script, and by SIGKILL to the gateway. Every stop must be boring: no crash text, no error line, status 0,
every `$disconnect` run before the functions and moto stop, and no process left behind. The count carries
over from one run to the next (the tables live in DEV_STATE_DIR), and DEV_RESET=1 (`make dev-reset`)
starts from zero.

The script runs on free ports with its own state folder, so it never touches a developer's `.dev-state/`.
"""
import asyncio
import os
import re
import signal

import pytest

from vctools.dev_stack import (
    DevRun,
    alive,
    at_least_four,
    closed_by_server,
    open_clients,
    readme_snippet,
    saved_visits,
    silent_client,
    total_reaches,
)
from vctools.local_stack import wait_until

CONNECTIONS = 3
# Crash reports of the Swift runtime, Python tracebacks, and any line that reports an error or a failure.
TROUBLE = re.compile(r"(?i)crash|fatal|backtrac|traceback|segmentation|\berror\b|\"level\":\"(warn|error)\"|failed")


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
            _, last = await open_clients(reset.port, 1)
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
