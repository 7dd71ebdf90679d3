"""The history sparkline of web/visitor-counter.js in headless Chromium, with the fake WebSocket.

The test plays the server: it answers the page's {"action":"history"} with 0, 1 or 30 days, sends
broadcasts, and reads back what was drawn: one <rect> per day (its data-day, data-value and its size on
screen, so the bars' heights are checked against the figures in CSS pixels), the SVG's role and
aria-label, and the short texts for no history and for history that starts inside the window. The page's
clock is fixed through VisitorCounter.configure({now}) so "today" is a known day.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from selenium.webdriver.common.by import By

from vctools.page import FIXTURES, SYNC, Page, assert_not_blank, demo_page
from vctools.paths import ROOT, artifacts_dir
from vctools.static_server import static_server

HISTORY = json.dumps({"action": "history"}, separators=(",", ":"))
TODAY = dt.date(2026, 3, 15)
NOW_MS = int(dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.timezone.utc).timestamp() * 1000)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
SLOTS, SLOT, BAR, ROOM, HEIGHT = 30, 10, 7, 56, 60  # the chart's geometry in viewBox units

CHART = """
const el = document.getElementById(arguments[0]);
const svg = el.querySelector('svg');
const text = sel => { const n = el.querySelector(sel); return n ? n.textContent : null; };
const out = {shown: !el.hidden && el.getBoundingClientRect().height > 0, note: text('.visitor-history__note'),
             empty: text('.visitor-history__empty'), chart: null};
if (!svg) return out;
const box = svg.getBoundingClientRect();
out.chart = {
  role: svg.getAttribute('role'), label: svg.getAttribute('aria-label'), width: box.width, height: box.height,
  bars: [...svg.querySelectorAll('rect.visitor-history__bar')].map(r => {
    const b = r.getBoundingClientRect();
    return {day: r.dataset.day, value: Number(r.dataset.value), x: b.left - box.left, w: b.width, h: b.height,
            bottom: box.bottom - b.bottom, today: r.classList.contains('visitor-history__bar--today'),
            title: r.querySelector('title').textContent};
  })};
return out;
"""


def day(offset: int) -> str:
    """TODAY plus `offset` days, as the wire writes it."""
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def short(iso: str) -> str:
    """The en-US short date the page writes ("Mar 15")."""
    d = dt.date.fromisoformat(iso)
    return f"{MONTHS[d.month - 1]} {d.day}"


def answer(days: list[dict], since: str | None, visits: int | None = None, **extra) -> str:
    message = {"history": days, **extra}
    if visits is not None:
        message["visits"] = visits
    if since is not None:
        message["historySince"] = since
    return json.dumps(message)


@pytest.fixture
def page(chromium, base_url):
    """history.html, its clock at TODAY noon UTC, its first socket open; returns the Page helper."""
    chromium.get(f"{base_url}/fixtures/history.html")
    p = Page(chromium)
    p.wait(lambda: p.js("return document.readyState") == "complete")
    p.wait_sockets(1)
    p.js("VisitorCounter.configure({now: () => arguments[0]})", NOW_MS)
    p.fake("open", 0)
    p.wait(lambda: p.fake("info", 0)["sent"] == [SYNC, HISTORY], message="sync, then history")
    return p


@pytest.fixture(scope="module")
def base_url():
    with static_server({"/": ROOT / "web", "/fixtures/": FIXTURES}) as url:
        yield url


def chart(p: Page, element_id: str = "history") -> dict:
    return p.js(CHART, element_id)


def expected_heights(values: list[int], scale: float = 1.0) -> list[float]:
    top = max(values)
    return [0.0 if v == 0 else max(1.0, v / top * ROOM) * scale for v in values]


def assert_bars(drawn: dict, days: list[str], values: list[int], scale: float = 1.0):
    """The bars are the days, right-aligned in 30 slots, as tall as their share of the largest figure."""
    bars = drawn["bars"]
    assert [b["day"] for b in bars] == days
    assert [b["value"] for b in bars] == values
    assert [b["today"] for b in bars] == [False] * (len(days) - 1) + [True]
    for bar, height, slot in zip(bars, expected_heights(values, scale), range(SLOTS - len(days), SLOTS)):
        assert bar["h"] == pytest.approx(height, abs=0.05), (bar, height)
        assert bar["bottom"] == pytest.approx(0, abs=0.05), bar  # every bar stands on the baseline
        assert bar["x"] == pytest.approx((slot * SLOT + (SLOT - BAR) / 2) * scale, abs=0.05), bar
        assert bar["w"] == pytest.approx(BAR * scale, abs=0.05), bar
    assert drawn["width"] == pytest.approx(SLOTS * SLOT * scale, abs=0.5)
    assert drawn["height"] == pytest.approx(HEIGHT * scale, abs=0.5)


# ---- asking ---------------------------------------------------------------------------------------

def test_asks_once_per_connection_after_the_sync(page):
    p = page
    p.js("VisitorCounter.refresh()")  # a redraw asks nothing more
    p.fake("message", answer([], None, visits=3))
    p.wait(lambda: chart(p)["empty"] is not None)
    assert p.fake("info", 0)["sent"] == [SYNC, HISTORY]

    p.fake("drop", 0)  # every new connection asks again (and gets figures it may have missed)
    p.wait_sockets(2)
    p.fake("open", 1)
    p.wait(lambda: p.fake("info", 1)["sent"] == [SYNC, HISTORY], message="the new connection asks")


def test_a_page_without_a_history_element_never_asks(chromium, base_url):
    chromium.get(f"{base_url}/fixtures/counter.html")
    p = Page(chromium)
    p.wait_sockets(1)
    p.fake("open", 0)
    p.fake("message", json.dumps({"visits": 9}))
    p.wait(lambda: p.text("count-a") == "9")
    assert p.fake("info", 0)["sent"] == [SYNC]


# ---- 0, 1 and 30 days ------------------------------------------------------------------------------

def test_no_history_yet_is_a_short_text_and_the_next_visit_starts_it(page):
    p = page
    assert p.js("return document.getElementById('history-wide').hidden") is True  # nothing to show yet
    p.fake("message", answer([], None, visits=41))
    p.wait(lambda: chart(p)["empty"] is not None)
    drawn = chart(p)
    assert drawn["chart"] is None and drawn["shown"]
    assert drawn["empty"] == "No daily figures yet: history starts with the next visit."
    assert chart(p, "history-wide")["shown"]  # the hidden section is shown with its text

    p.fake("message", json.dumps({"visits": 42}))  # a broadcast: that visit is today's
    p.wait(lambda: chart(p)["chart"] is not None)
    drawn = chart(p)
    assert_bars(drawn["chart"], [day(0)], [1])
    assert drawn["chart"]["label"] == "Visits per day since history started on Mar 15: today 1."
    assert drawn["note"] == "history starts Mar 15"


def test_one_day(page):
    p = page
    p.fake("message", answer([{"day": day(0), "visits": 5}], day(0), visits=1005))
    p.wait(lambda: chart(p)["chart"] is not None)
    drawn = chart(p)
    assert drawn["chart"]["role"] == "img"
    assert drawn["chart"]["label"] == "Visits per day since history started on Mar 15: today 5."
    assert_bars(drawn["chart"], [day(0)], [5])
    assert drawn["chart"]["bars"][0]["title"] == "Mar 15: 5 visits"
    assert drawn["note"] == "history starts Mar 15"
    assert p.text("count") == "1,005"


def test_thirty_days_drawn_to_scale_in_any_box(page):
    p = page
    values = [(i * 7) % 23 for i in range(29)] + [12]
    values[3] = 1234
    days = [day(i - 29) for i in range(30)]
    p.fake("message", answer([{"day": d, "visits": v} for d, v in zip(days, values)], day(-400), visits=99999))
    p.wait(lambda: chart(p)["chart"] is not None)
    drawn = chart(p)
    assert_bars(drawn["chart"], days, values)
    figures = ", ".join(f"{short(d)} {v:,}" for d, v in zip(days[:-1], values[:-1]))
    assert drawn["chart"]["label"] == f"Visits over the last 30 days: {figures}, today 12."
    assert drawn["note"] is None  # history began before the window: nothing to say
    assert 0 in values and drawn["chart"]["bars"][0]["h"] == 0  # a real zero is a day without a bar

    # The same figures in a box twice the size, drawn into the section's chart child.
    wide = chart(p, "history-wide")
    assert wide["shown"]
    assert_bars(wide["chart"], days, values, scale=2.0)
    assert p.js("return document.querySelector('#history-wide h2').textContent") == "Last 30 days"

    # A box that changes size redraws nothing: the SVG scales.
    p.js("document.getElementById('history').style.width = '450px';"
         "document.querySelector('#history svg').style.height = '90px'")
    assert_bars(chart(p)["chart"], days, values, scale=1.5)


def test_days_before_history_began_are_not_drawn_as_zeros(page):
    p = page
    days = [day(i - 29) for i in range(30)]
    values = [0] * 20 + [4, 0, 6, 2, 8, 1, 3, 5, 7, 9]
    since = day(-9)
    p.fake("message", answer([{"day": d, "visits": v} for d, v in zip(days, values)], since, visits=45))
    p.wait(lambda: chart(p)["chart"] is not None)
    drawn = chart(p)
    assert_bars(drawn["chart"], days[20:], values[20:])
    assert drawn["note"] == "history starts Mar 6"
    assert drawn["chart"]["label"] == ("Visits per day since history started on Mar 6: Mar 6 4, Mar 7 0, Mar 8 6, "
                                       "Mar 9 2, Mar 10 8, Mar 11 1, Mar 12 3, Mar 13 5, Mar 14 7, today 9.")
    lines = p.js("return [...document.querySelectorAll('#history line')].map(l => "
                 "[l.getAttribute('class'), +l.getAttribute('x1'), +l.getAttribute('x2'), l.getAttribute('stroke-dasharray')])")
    # The baseline starts where history starts; before it, a dotted line for days that are unknown.
    assert lines == [["visitor-history__before", 0, 200, "2 4"], ["visitor-history__baseline", 200, 300, None]]


# ---- live ------------------------------------------------------------------------------------------

def test_todays_bar_follows_every_broadcast(page):
    p = page
    p.fake("message", answer([{"day": day(-1), "visits": 20}, {"day": day(0), "visits": 12}], day(-1), visits=100))
    p.wait(lambda: chart(p)["chart"] is not None)
    assert_bars(chart(p)["chart"], [day(-1), day(0)], [20, 12])

    p.fake("message", json.dumps({"visits": 103}))
    p.wait(lambda: chart(p)["chart"]["bars"][-1]["value"] == 15)
    drawn = chart(p)["chart"]
    assert_bars(drawn, [day(-1), day(0)], [20, 15])
    assert drawn["label"].endswith("Mar 14 20, today 15.")

    # Totals never go down and a repeated one adds nothing.
    p.fake("message", json.dumps({"visits": 101}))
    p.fake("message", json.dumps({"visits": 103}))
    p.fake("message", json.dumps({"visits": 125}))  # today overtakes yesterday: the scale follows
    p.wait(lambda: chart(p)["chart"]["bars"][-1]["value"] == 37)
    assert_bars(chart(p)["chart"], [day(-1), day(0)], [20, 37])
    assert p.state()["history"]["days"] == [{"day": day(-1), "visits": 20}, {"day": day(0), "visits": 37}]


def test_a_broadcast_that_overtakes_the_answer_still_counts_once(page):
    p = page
    p.fake("message", json.dumps({"visits": 110}))
    p.wait(lambda: p.text("count") == "110")
    # The answer was read at 100: the ten visits the page already knows of are today's.
    p.fake("message", answer([{"day": day(0), "visits": 12}], day(-3), visits=100))
    p.wait(lambda: chart(p)["chart"] is not None)
    assert [b["value"] for b in chart(p)["chart"]["bars"]] == [0, 0, 0, 22]
    p.fake("message", json.dumps({"visits": 111}))
    p.wait(lambda: chart(p)["chart"]["bars"][-1]["value"] == 23)
    assert p.text("count") == "111"


def test_a_page_open_past_midnight_starts_a_new_bar(page):
    p = page
    days = [day(i - 29) for i in range(30)]
    p.fake("message", answer([{"day": d, "visits": 3} for d in days], day(-100), visits=500))
    p.wait(lambda: chart(p)["chart"] is not None)
    p.js("VisitorCounter.configure({now: () => arguments[0]})", NOW_MS + 86400000)
    p.fake("message", json.dumps({"visits": 502}))
    p.wait(lambda: chart(p)["chart"]["bars"][-1]["day"] == day(1))
    drawn = chart(p)["chart"]
    assert_bars(drawn, days[1:] + [day(1)], [3] * 29 + [2])
    assert drawn["label"].startswith("Visits over the last 30 days: Feb 15 3, ")
    assert drawn["label"].endswith("Mar 15 3, today 2.")


def test_reconnect_replaces_the_history_with_the_new_answer(page):
    p = page
    p.fake("message", answer([{"day": day(0), "visits": 12}], day(0), visits=100))
    p.wait(lambda: chart(p)["chart"] is not None)
    p.fake("drop", 0)
    p.wait_sockets(2)
    p.fake("open", 1)
    p.fake("message", answer([{"day": day(0), "visits": 30}], day(0), visits=118), 1)
    p.wait(lambda: chart(p)["chart"]["bars"][-1]["value"] == 30)
    assert len(chart(p)["chart"]["bars"]) == 1


# ---- unique visitors ---------------------------------------------------------------------------------

def test_unique_visitors_total_and_their_own_sparkline(page):
    p = page
    assert not p.driver.find_element(By.ID, "visitors").is_displayed()
    # Visitors were switched on four days ago: days before that have no `visitors` and are not drawn.
    days = [{"day": day(i - 9), "visits": 10 + i} for i in range(10)]
    for i, entry in enumerate(days[6:]):
        entry["visitors"] = [3, 0, 5, 2][i]
    p.fake("message", answer(days, day(-9), visits=5000, visitors=321))
    p.wait(lambda: chart(p, "history-visitors")["chart"] is not None)
    assert p.text("visitors-count") == "321"
    assert p.driver.find_element(By.ID, "visitors").is_displayed()
    drawn = chart(p, "history-visitors")
    assert_bars(drawn["chart"], [day(-3), day(-2), day(-1), day(0)], [3, 0, 5, 2])
    assert drawn["chart"]["label"] == "Visitors per day since history started on Mar 12: Mar 12 3, Mar 13 0, Mar 14 5, today 2."
    assert drawn["chart"]["bars"][0]["title"] == "Mar 12: 3 visitors"
    assert_bars(chart(p)["chart"], [e["day"] for e in days], [e["visits"] for e in days])  # visits: all ten

    p.fake("message", json.dumps({"visits": 5003, "visitors": 322}))
    p.wait(lambda: chart(p, "history-visitors")["chart"]["bars"][-1]["value"] == 3)
    assert p.text("visitors-count") == "322"
    assert chart(p)["chart"]["bars"][-1]["value"] == 22
    p.fake("message", json.dumps({"visits": 5004, "visitors": 300}))  # visitors never go down either
    p.wait(lambda: chart(p)["chart"]["bars"][-1]["value"] == 23)
    assert p.text("visitors-count") == "322"
    assert chart(p, "history-visitors")["chart"]["bars"][-1]["value"] == 3


def test_visitors_chart_without_visitor_counting_says_so(page):
    p = page
    p.fake("message", answer([{"day": day(0), "visits": 4}], day(0), visits=4))
    p.wait(lambda: chart(p, "history-visitors")["empty"] is not None)
    assert chart(p, "history-visitors")["empty"] == "Unique visitors are not counted here."
    assert not p.driver.find_element(By.ID, "visitors").is_displayed()


def test_malformed_answers_are_ignored(page):
    p = page
    bad = [
        {"history": [{"day": "2026-02-30", "visits": 1}]},
        {"history": [{"day": day(0), "visits": -1}]},
        {"history": [{"day": day(0), "visits": "3"}]},
        {"history": [{"day": day(0), "visits": 3, "visitors": 1.5}]},
        {"history": [{"day": "15.03.2026", "visits": 3}]},
        {"history": [None]},
        {"history": "[]"},
        {"history": {"day": day(0), "visits": 3}},
    ]
    for message in bad:
        p.fake("message", json.dumps(message))
    p.fake("message", json.dumps({"visits": 7}))
    p.wait(lambda: p.text("count") == "7")
    assert p.state()["history"] is None
    drawn = chart(p)
    assert (drawn["chart"], drawn["empty"], drawn["note"]) == (None, None, None)
    assert p.js("return document.getElementById('history-wide').hidden") is True


def test_a_deployment_without_the_route_leaves_the_history_element_as_it_was(page):
    p = page
    # What API Gateway answers an action without a route (and no $default route).
    p.fake("message", json.dumps({"message": "Forbidden", "connectionId": "abc=", "requestId": "def="}))
    p.fake("message", json.dumps({"visits": 12}))
    p.wait(lambda: p.text("count") == "12")
    assert p.state()["history"] is None
    assert p.js("return document.getElementById('history-wide').hidden") is True
    assert p.js("return document.getElementById('history').childNodes.length") == 0


# ---- the demo page -------------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_demo_page_shows_the_sparkline_under_the_count(chromium, base_url, scheme):
    with demo_page(chromium, base_url, scheme) as p:
        p.js("VisitorCounter.configure({now: () => arguments[0]})", NOW_MS)
        p.fake("open", 0)
        p.wait(lambda: p.fake("info", 0)["sent"] == [SYNC, HISTORY], message="the demo page asks for its history")
        values = [40 + (i * 37) % 90 for i in range(30)]
        days = [day(i - 29) for i in range(30)]
        p.fake("message", answer([{"day": d, "visits": v, "visitors": v // 3} for d, v in zip(days, values)],
                                 day(-200), visits=12345, visitors=4321, live=2))
        p.fake("message", json.dumps({"visits": 12350, "visitors": 4322, "live": 3}))
        section = chromium.find_element(By.CSS_SELECTOR, "[data-visitor-history]")
        p.wait(lambda: section.is_displayed(), message="the history section")
        drawn = p.js(CHART.replace("document.getElementById(arguments[0])",
                                   "document.querySelector('[data-visitor-history-chart]')"))["chart"]
        assert [b["value"] for b in drawn["bars"]] == values[:-1] + [values[-1] + 5]
        assert drawn["label"].startswith("Visits over the last 30 days: Feb 14 40, ")
        assert drawn["label"].endswith(f"today {values[-1] + 5}.")
        layout = p.js("""
            const box = e => document.querySelector(e).getBoundingClientRect();
            const count = box('.count'), history = box('.history'), card = box('.card'), svg = box('.history svg');
            return {under: history.top >= count.bottom, inside: svg.left >= card.left && svg.right <= card.right,
                    tall: svg.height, wide: svg.width,
                    barColour: getComputedStyle(document.querySelector('.visitor-history__bar--today')).fill};""")
        assert layout["under"] and layout["inside"], layout
        assert layout["tall"] > 40 and layout["wide"] > 300, layout
        assert chromium.find_element(By.CSS_SELECTOR, "[data-unique-visitors]").text == \
            "4,322 visitors, each counted once a day"
        errors = [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []  # the page's strict CSP allows everything the chart does
        png = chromium.get_screenshot_as_png()
        (artifacts_dir() / f"sparkline-{scheme}.png").write_bytes(png)
        assert_not_blank(png)
