"""Unique visitors and the history route through the local stack (the real gateway, real WebSockets, the real
binaries, moto): the route as the template declares it, the answer's shape (docs/design.md §4), visitors
counted once per day across tabs and reconnects, `visitors` in every message, nothing stored that names a
visitor."""
import asyncio
import datetime
import json
import secrets

import pytest
from websockets.asyncio.client import connect

from vctools.local_stack import running_stack, wait_until


@pytest.fixture(scope="module")
def stack():
    with running_stack("gateway-unique-visitors", ["--instances", "2", "--unique-visitors"]) as running:
        yield running


def table_items(moto):
    return moto.dynamodb().scan(TableName="VisitorCount", ConsistentRead=True)["Items"]


def history_version(moto):
    item = moto.dynamodb().get_item(TableName="VisitorCount", Key={"id": {"S": "history"}},
                                    ConsistentRead=True).get("Item")
    return int(item["version"]["N"]) if item else 0


async def ask(ws, action):
    """Sends an action and returns the first answer frame that is not a broadcast of the count alone."""
    await ws.send(json.dumps({"action": action}))
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 20))
        if action != "history" or "history" in frame:
            return frame


def test_visitors_once_per_day_and_the_history_answer(stack):
    moto, gateway = stack
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()

    async def page(agent, visit=None):
        visit = visit or secrets.token_urlsafe(16)
        ws = await connect(f"{gateway.ws_url}?visit={visit}", user_agent_header=agent, open_timeout=30)
        return ws, visit

    async def scenario():
        # Before any broadcast was recorded there is no history yet.
        first, _ = await page("UA-one/1.0")
        sync = await ask(first, "sync")
        assert set(sync) == {"visits", "visitors"}
        before = await ask(first, "history")
        assert before["history"] == [] and "historySince" not in before
        # History begins with the first total the processor records (this page's own broadcast).
        await asyncio.to_thread(wait_until, lambda: history_version(moto) >= 1, 30, message="history begins")

        # The same browser opens three more tabs and one reconnects its socket; another browser opens one.
        tabs = [await page("UA-one/1.0") for _ in range(3)]
        again, _ = await page("UA-one/1.0", visit=tabs[0][1])
        other, _ = await page("UA-two/2.0")
        pages = [first, again, other] + [ws for ws, _ in tabs]
        # Every $connect is answered after its write: the sync answer (or a broadcast before it) reaches 5.
        await other.send(json.dumps({"action": "sync"}))
        frame = {}
        while frame.get("visits") != 5:
            frame = json.loads(await asyncio.wait_for(other.recv(), 20))
        assert frame == {"visits": 5, "visitors": 2}, frame
        await asyncio.to_thread(
            wait_until, lambda: any(i.get("visits", {}).get("N") == "5" for i in table_items(moto)
                                    if i["id"]["S"] == "history"), 30, message="the history records 5")
        history = await ask(other, "history")
        assert history["historySince"] == today
        assert history["visits"] == 5 and history["visitors"] == 2
        (entry,) = history["history"]
        assert entry["day"] == today
        # The first page's own visit opened history; the four after it are today's figure.
        assert (entry["visits"], entry["visitors"]) == (4, 1)
        for ws in pages:
            await ws.close()

    asyncio.run(scenario())
    text = json.dumps(table_items(moto))
    assert "UA-one" not in text and "UA-two" not in text and "127.0.0.1" not in text
    ids = [i["id"]["S"] for i in table_items(moto)]
    assert sum(1 for i in ids if i.startswith("visitor#")) == 2
    assert [i for i in ids if i.startswith("salt#")] == [f"salt#{today}"]
