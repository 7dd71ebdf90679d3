"""Fast tier for the page: web/visitor-counter.js and web/index.html in headless Chromium.

No server side at all: every page here gets tests/page_fixtures/fake-websocket.js before the counter
script, so the test plays the WebSocket server (open, message, drop) and reads what the page sent.
Timers in the script are configured small (data attributes / VisitorCounter.configure); the tests
wait for states and assert order and growth, never wall-clock durations.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from selenium.webdriver.common.by import By

from vctools.page import FIXTURES, SYNC, Page, assert_not_blank, demo_page
from vctools.paths import ROOT, artifacts_dir
from vctools.static_server import static_server

WEB = ROOT / "web"
VISIT_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


@pytest.fixture(scope="module")
def base_url():
    with static_server({"/": WEB, "/fixtures/": FIXTURES}) as url:
        yield url


@pytest.fixture
def page(chromium, base_url):
    """Opens a fixture page and returns helpers bound to it."""

    def load(name: str = "counter.html") -> Page:
        chromium.get(f"{base_url}/fixtures/{name}")
        helper = Page(chromium)
        helper.wait(lambda: helper.js("return document.readyState") == "complete")
        return helper

    return load


def visit_param(url: str) -> str:
    match = re.search(r"[?&]visit=([^&]*)$", url)
    assert match, url
    return match.group(1)


# ---- connection and wire format ------------------------------------------------------------------

def test_connects_to_same_origin_local_stage_with_a_visit_id_and_syncs_after_open(page, base_url):
    p = page()
    p.wait_sockets(1)
    url = p.fake("info", 0)["url"]
    host = base_url.removeprefix("http://")
    assert url.startswith(f"ws://{host}/local?visit="), url
    visit = visit_param(url)
    assert VISIT_ID.match(visit)
    assert visit == p.js("return VisitorCounter.visitId")
    p.wait_status("connecting")
    assert p.text("status") == "Connecting…"
    assert p.fake("info", 0)["sent"] == []

    p.fake("open", 0)
    p.wait_status("live")
    assert p.fake("info", 0)["sent"] == [SYNC]
    assert p.text("status") == "Live"
    status = p.driver.find_element(By.ID, "status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.get_attribute("role") == "status"


def test_each_page_load_gets_a_new_visit_id(page):
    p = page()
    p.wait_sockets(1)
    first = visit_param(p.fake("info", 0)["url"])
    p = page()
    p.wait_sockets(1)
    assert visit_param(p.fake("info", 0)["url"]) != first


def test_endpoint_attribute_locale_and_fallback_live_region(page):
    p = page("embedded.html")
    p.wait_sockets(1)
    url = p.fake("info", 0)["url"]
    assert url.startswith("wss://example.invalid/prod?visit="), url
    p.fake("open", 0)
    p.fake("message", json.dumps({"visits": 1234567}))
    p.wait(lambda: p.text("count") == "1.234.567", message="de-DE grouping")
    region = p.js("return document.querySelector('[role=status][aria-live=polite]')")
    assert region is not None
    assert p.js("return arguments[0].textContent", region) == "Live"


def test_configured_endpoint_may_be_relative_or_http_and_keeps_its_query(page, base_url):
    p = page()
    p.wait_sockets(1)
    visit = visit_param(p.fake("info", 0)["url"])
    host = base_url.removeprefix("http://")
    expected = {
        "/prod": f"ws://{host}/prod?visit={visit}",
        "https://example.invalid/stage?tenant=a": f"wss://example.invalid/stage?tenant=a&visit={visit}",
        "ws://127.0.0.1:9/local": f"ws://127.0.0.1:9/local?visit={visit}",
    }
    for n, (endpoint, url) in enumerate(expected.items(), start=2):
        p.js("VisitorCounter.disconnect(); VisitorCounter.configure({endpoint: arguments[0]});"
             "VisitorCounter.connect()", endpoint)
        p.wait_sockets(n)
        assert p.fake("info")["url"] == url


# ---- messages -----------------------------------------------------------------------------------

def test_messages_update_every_counter_and_live_viewers_appear_only_with_live(page):
    p = page()
    p.wait_sockets(1)
    p.fake("open", 0)
    live = p.driver.find_element(By.ID, "live")
    assert not live.is_displayed()

    p.fake("message", json.dumps({"visits": 1234567}))
    p.wait(lambda: p.text("count-a") == "1,234,567")
    assert p.text("count-b") == "1,234,567"
    assert not live.is_displayed()
    assert live.get_attribute("hidden") is not None

    p.fake("message", json.dumps({"visits": 1234568, "live": 3, "region": "eu-west-1", "nested": {"x": 1}}))
    p.wait(lambda: live.is_displayed(), message="live viewers shown")
    assert p.text("live-count") == "3"
    assert p.text("count-a") == "1,234,568"
    assert p.state()["visits"] == 1234568 and p.state()["live"] == 3

    # Live viewers may go down; the total never does (a slow sync answer must not undo a broadcast).
    p.fake("message", json.dumps({"visits": 1234000, "live": 2}))
    p.wait(lambda: p.text("live-count") == "2")
    assert p.text("count-a") == "1,234,568"


def test_invalid_messages_are_ignored(page):
    p = page()
    p.wait_sockets(1)
    p.fake("open", 0)
    bad = [
        "not json", "", "null", "[]", "[1,2]", "42", '"visits"', "{", '{"visits":"12"}', '{"visits":-1}',
        '{"visits":1.5}', '{"visits":1e400}', '{"visits":9007199254740993}', '{"visits":null}',
        '{"visits":true}', '{"live":-2}', '{"live":"3"}', '{"count":5}',
    ]
    for frame in bad:
        p.fake("message", frame)
    p.js("window.__fakeWS.message(new ArrayBuffer(8))")
    assert p.text("count-a") == "–"
    assert p.text("count-b") == "–"
    assert p.state()["visits"] is None and p.state()["live"] is None
    assert not p.driver.find_element(By.ID, "live").is_displayed()

    p.fake("message", '{"visits":7}')
    p.wait(lambda: p.text("count-a") == "7")
    for frame in bad:
        p.fake("message", frame)
    p.fake("message", '{"visits":8,"live":-1}')  # a valid total next to an invalid live count
    p.wait(lambda: p.text("count-a") == "8")
    assert not p.driver.find_element(By.ID, "live").is_displayed()
    assert "NaN" not in p.js("return document.body.textContent")
    p.wait_status("live")


# ---- reconnects ---------------------------------------------------------------------------------

def test_reconnects_with_same_visit_id_and_growing_capped_backoff(page):
    p = page()  # backoff base 20 ms, cap 160 ms, stable after 60 s (never, in this test)
    p.wait_sockets(1)
    visit = visit_param(p.fake("info", 0)["url"])
    p.fake("open", 0)
    p.wait_status("live")

    p.fake("drop", 0)
    p.wait_sockets(2)
    p.wait_status("connecting")
    p.fake("open", 1)  # opens, but drops before it counts as stable: backoff keeps growing
    p.fake("drop", 1)
    for n in range(3, 7):
        p.wait_sockets(n)
        p.fake("drop", n - 1)  # refused before it opened
    p.wait_sockets(7)

    urls = p.fake("urls")
    assert {visit_param(u) for u in urls} == {visit}
    assert all(u == urls[0] for u in urls)
    backoff = p.state()["backoff"]
    assert [b["ceilingMs"] for b in backoff] == [20, 40, 80, 160, 160, 160]
    assert [b["attempt"] for b in backoff] == [0, 1, 2, 3, 4, 5]
    assert all(0 <= b["delayMs"] < b["ceilingMs"] for b in backoff)

    # Every reconnect comes after the close before it.
    order = [(e["type"], e["socket"]) for e in p.fake("log") if e["type"] in ("create", "close")]
    assert order == [("create", 0)] + [x for i in range(6) for x in (("close", i), ("create", i + 1))]
    # The sync goes out again on every connection that opens.
    assert p.fake("info", 0)["sent"] == [SYNC] and p.fake("info", 1)["sent"] == [SYNC]


def test_full_jitter_and_reset_after_a_stable_connection(page):
    p = page()
    p.wait_sockets(1)
    p.js("VisitorCounter.configure({random: () => 0.5})")
    for n in range(1, 4):
        p.fake("drop", n - 1)
        p.wait_sockets(n + 1)
    backoff = p.state()["backoff"]
    assert [(b["ceilingMs"], b["delayMs"]) for b in backoff] == [(20, 10), (40, 20), (80, 40)]

    p.js("VisitorCounter.configure({stableMs: 10})")
    p.fake("open", 3)
    p.wait(lambda: p.state()["attempt"] == 0, message="backoff reset once the connection is stable")
    p.fake("drop", 3)
    p.wait_sockets(5)
    assert p.state()["backoff"][-1]["ceilingMs"] == 20


def test_disconnect_stops_and_connect_resumes_with_the_same_visit(page):
    p = page()
    p.wait_sockets(1)
    p.fake("open", 0)
    p.js("VisitorCounter.disconnect()")
    p.wait(lambda: p.fake("info", 0)["readyState"] == 3)
    assert p.fake("info", 0)["closeCalls"] == [{"code": 1000, "reason": "disconnect"}]
    p.wait_status("offline")
    assert p.text("status") == "Offline"
    assert p.state()["backoff"] == []  # a deliberate close is not retried
    p.js("VisitorCounter.connect()")
    p.wait_sockets(2)
    assert visit_param(p.fake("info", 1)["url"]) == visit_param(p.fake("info", 0)["url"])


# ---- visibility ---------------------------------------------------------------------------------

def test_hidden_tab_closes_after_grace_and_visible_reconnects_with_same_visit(page):
    p = page()  # hidden grace 30 ms
    p.wait_sockets(1)
    p.fake("open", 0)
    p.wait_status("live")

    p.fake("setVisibility", "hidden")
    p.wait(lambda: p.fake("info", 0)["readyState"] == 3, message="socket closed while hidden")
    assert p.fake("info", 0)["closeCalls"] == [{"code": 1000, "reason": "hidden"}]
    p.wait_status("offline")
    assert p.state()["paused"] is True
    assert p.text("status") == "Paused while hidden"
    time.sleep(0.3)  # many backoff periods: a paused page must not reconnect on its own
    assert p.fake("count") == 1

    p.fake("setVisibility", "visible")
    p.wait_sockets(2)
    assert visit_param(p.fake("info", 1)["url"]) == visit_param(p.fake("info", 0)["url"])
    p.wait_status("connecting")
    p.fake("open", 1)
    p.wait_status("live")
    assert p.fake("info", 1)["sent"] == [SYNC]
    assert p.state()["backoff"] == []  # pausing is not a failure


def test_short_hide_within_grace_keeps_the_socket(page):
    p = page()
    p.wait_sockets(1)
    p.fake("open", 0)
    p.js("VisitorCounter.configure({hiddenGraceMs: 60000})")
    p.fake("setVisibility", "hidden")
    p.fake("setVisibility", "visible")
    p.fake("message", '{"visits":5}')
    p.wait(lambda: p.text("count-a") == "5")
    info = p.fake("info", 0)
    assert info["readyState"] == 1 and info["closeCalls"] == []
    assert p.fake("count") == 1
    p.wait_status("live")


def test_hidden_while_waiting_to_reconnect_cancels_the_retry(page):
    p = page()
    p.wait_sockets(1)
    p.js("VisitorCounter.configure({backoffBaseMs: 60000, backoffMaxMs: 60000, hiddenGraceMs: 0})")
    p.fake("drop", 0)
    p.wait(lambda: len(p.state()["backoff"]) == 1)
    p.fake("setVisibility", "hidden")
    p.wait(lambda: p.state()["paused"] is True)
    p.fake("setVisibility", "visible")
    p.wait_sockets(2)  # visible again: connects now instead of waiting out the minute


# ---- embedding ----------------------------------------------------------------------------------

def test_script_included_three_times_makes_one_connection(page):
    p = page("twice.html")
    p.wait_sockets(1)
    time.sleep(0.3)  # give any second copy the chance to connect
    assert p.fake("count") == 1
    assert p.js("return performance.getEntriesByType('resource')"
                ".filter(e => e.name.includes('visitor-counter.js')).length") >= 2
    p.fake("open", 0)
    p.fake("message", '{"visits":42}')
    p.wait(lambda: p.text("count") == "42")
    assert p.fake("info", 0)["sent"] == [SYNC]


# ---- the demo page ------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_demo_page_shows_count_status_and_live_viewers(chromium, base_url, scheme):
    with demo_page(chromium, base_url, scheme) as p:
        assert p.fake("info", 0)["url"].startswith(f"ws://{base_url.removeprefix('http://')}/local?visit=")
        pill = chromium.find_element(By.CSS_SELECTOR, "[data-visitor-status]")
        live = chromium.find_element(By.CSS_SELECTOR, "[data-live-viewers]")
        assert not live.is_displayed()
        assert pill.text == "Connecting…"

        p.fake("open", 0)
        p.fake("message", json.dumps({"visits": 1234, "live": 3}))
        p.wait(lambda: chromium.find_element(By.CSS_SELECTOR, "[data-visitor-count]").text == "1,234")
        assert live.is_displayed()
        assert live.text == "3 here right now"
        assert pill.text == "Live"
        assert pill.get_attribute("data-status") == "live"
        assert pill.get_attribute("aria-live") == "polite"
        assert chromium.find_element(By.CSS_SELECTOR, "footer").is_displayed()
        # Everything is external: the page's own CSP would have logged any inline code or outside request.
        errors = [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []

        name = "page-unit.png" if scheme == "light" else "page-unit-dark.png"
        png = chromium.get_screenshot_as_png()
        (artifacts_dir() / name).write_bytes(png)
        assert_not_blank(png)


def test_demo_page_fits_a_long_number_on_a_phone(chromium, base_url):
    with demo_page(chromium, base_url, size=(390, 800)) as p:
        p.fake("open", 0)
        p.fake("message", json.dumps({"visits": 98765432109}))
        count = chromium.find_element(By.CSS_SELECTOR, "[data-visitor-count]")
        p.wait(lambda: count.text == "98,765,432,109")
        fits = p.js("""
            const count = document.querySelector('[data-visitor-count]');
            const card = document.querySelector('.card').getBoundingClientRect();
            const box = count.getBoundingClientRect();
            return {oneLine: box.height < parseFloat(getComputedStyle(count).fontSize) * 1.5,
                    inside: box.left >= card.left && box.right <= card.right,
                    noOverflow: count.scrollWidth <= count.clientWidth + 1,
                    page: document.documentElement.scrollWidth <= window.innerWidth};""")
        assert fits == {"oneLine": True, "inside": True, "noOverflow": True, "page": True}
        (artifacts_dir() / "page-unit-phone.png").write_bytes(chromium.get_screenshot_as_png())


# ---- keep-alive ---------------------------------------------------------------------------------

PING = json.dumps({"action": "ping"}, separators=(",", ":"))


def test_visible_page_pings_while_open_and_stops_when_hidden_or_closed(page):
    p = page()
    p.wait_sockets(1)
    p.js("VisitorCounter.configure({keepAliveMs: 20, hiddenGraceMs: 60000})")
    assert p.fake("info", 0)["sent"] == []  # nothing before the socket opens
    p.fake("open", 0)
    p.wait(lambda: p.fake("info", 0)["sent"].count(PING) >= 3, message="three pings")
    # Both read in one script: a 20 ms keep-alive may send another ping between two calls.
    sent, pings = p.js("return [window.__fakeWS.info(0).sent, VisitorCounter.state.pingsSent]")
    assert sent[0] == SYNC and set(sent[1:]) == {PING}
    assert pings == len(sent) - 1

    # Hidden (within the grace period, so the socket stays open): no pings.
    p.fake("setVisibility", "hidden")
    before = len(p.fake("info", 0)["sent"])
    time.sleep(0.3)  # about fifteen keep-alive periods
    assert len(p.fake("info", 0)["sent"]) == before
    assert p.fake("info", 0)["readyState"] == 1

    p.fake("setVisibility", "visible")
    p.wait(lambda: len(p.fake("info", 0)["sent"]) > before, message="pings again once visible")

    # A closed socket stops the pinging; the next one starts its own after its sync.
    p.fake("drop", 0)
    p.wait_sockets(2)
    closed = len(p.fake("info", 0)["sent"])
    p.fake("open", 1)
    p.wait(lambda: p.fake("info", 1)["sent"].count(PING) >= 2, message="the new socket pings")
    assert p.fake("info", 1)["sent"][0] == SYNC
    assert len(p.fake("info", 0)["sent"]) == closed


def test_keep_alive_zero_turns_it_off(page):
    p = page()
    p.wait_sockets(1)
    p.fake("open", 0)
    p.js("VisitorCounter.configure({keepAliveMs: 20})")
    p.wait(lambda: PING in p.fake("info", 0)["sent"], message="a ping")
    p.js("VisitorCounter.configure({keepAliveMs: 0})")
    count = len(p.fake("info", 0)["sent"])
    time.sleep(0.3)
    assert len(p.fake("info", 0)["sent"]) == count


def test_keep_alive_period_from_the_script_tag(page):
    p = page("keepalive.html")  # data-keep-alive-ms="25"
    p.wait_sockets(1)
    p.fake("open", 0)
    p.wait(lambda: p.fake("info", 0)["sent"].count(PING) >= 2, message="pings without any configure() call")
    assert p.fake("info", 0)["sent"][0] == SYNC
