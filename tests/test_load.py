"""Load on the local stack (Issue 8), CI setting: 1,000 page-like WebSocket clients connect in bursts of
100 through the gateway, 20 % of them drop (half without a close frame) and come back at random, a few as
a new page load, then all leave. The engine and the long setting (`make soak`, 10,000+ invocations) are in
scripts/soak.py; the figures go to test-artifacts/load-figures.json (docs/reliability-load.md).

Checked: the count equals the distinct visits, every client ends showing it, ConnectionIDs is empty after
all left, no function was restarted, and no process of the stack (gateway, every function process)
grew its open fds or RSS beyond a bound from the baseline (after a warm-up) to the end.
"""
import json
import sys

from local_stack import ARTIFACTS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from soak import Stack, StormConfig, leak_problems, run, storm_problems  # noqa: E402

CI_STORM = StormConfig(clients=1000, burst=100, burst_pause=0.3, reconnect_fraction=0.2, reload_fraction=0.05,
                       churn_seconds=10)


def test_thousand_clients_in_bursts_with_random_reconnects_count_exactly_and_leak_nothing():
    with Stack(instances=4, name="gateway-load") as stack:
        report = run(stack, CI_STORM, rounds=1)
        gateway_log = stack.gateway.text()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load-figures.json").write_text(json.dumps(report, indent=2))

    storm = report["rounds"][0]
    assert storm_problems(report["warmup"]) == []
    assert storm_problems(storm) == [], json.dumps(storm, indent=2)
    assert storm["handshakeFailures"] == 0, "a handshake failed under load"
    assert storm["reconnects"] >= 150 and storm["distinctVisits"] > CI_STORM.clients
    assert report["leakProblems"] == [], json.dumps(report["processes"], indent=2)
    assert leak_problems(report["processes"], set()) == []
    assert report["invocations"].get("errors", 0) == 0, "a function invocation failed"
    # Every connect, sync and disconnect of the storm went through the real DBUpdater.
    assert report["invocations"]["DBUpdater $connect"] == storm["connects"]
    assert report["invocations"]["DBUpdater $disconnect"] == storm["connects"]
    assert "exited with status" not in gateway_log
