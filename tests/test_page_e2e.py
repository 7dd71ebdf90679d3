"""The demo page in a real headless Chromium (Debian's chromium + chromium-driver, Selenium from the
virtualenv) against the local stack with the real functions: a live count that goes up when another
page opens, survives a gateway restart, and a screenshot of the page in test-artifacts/."""
import os
import re
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By

from vctools.local_stack import running_stack, wait_until
from vctools.page import assert_not_blank, chromium_driver
from vctools.paths import ARTIFACTS, ROOT


def browser():
    return chromium_driver(window_size=(1000, 800))


@pytest.fixture(scope="module")
def stack():
    with running_stack("gateway-page") as running:
        yield running


@pytest.fixture
def pages():
    drivers = []
    try:
        drivers.extend([browser(), browser()])
        yield drivers
    finally:
        for driver in drivers:
            driver.quit()


def count(driver):
    """The number the page shows, or None while it shows none."""
    text = driver.find_element(By.CSS_SELECTOR, "[data-visitor-count]").text
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else None


def status(driver):
    return driver.execute_script("return document.documentElement.getAttribute('data-visitor-counter-status')")


def test_live_count_across_pages_and_gateway_restart(stack, pages):
    moto, gateway = stack
    a, b = pages
    a.get(gateway.url)
    first = wait_until(lambda: count(a), 20, message="page A to show a number")

    b.get(gateway.url)
    wait_until(lambda: count(a) == first + 1, 10, message=f"page A to go from {first} to {first + 1}")
    assert wait_until(lambda: count(b), 10, message="page B to show a number") == first + 1

    b.refresh()  # a reload is a new page view: a new visit
    wait_until(lambda: count(a) == first + 2, 10, message=f"page A to reach {first + 2}")

    ARTIFACTS.mkdir(exist_ok=True)
    png = a.get_screenshot_as_png()
    (ARTIFACTS / "demo-page.png").write_bytes(png)
    assert_not_blank(png)

    gateway.stop()
    wait_until(lambda: status(a) == "offline" and status(b) == "offline", 15, message="both pages offline")
    gateway.start()
    wait_until(lambda: status(a) == "live" and status(b) == "live", 60, message="both pages live again")
    # Reconnecting with the same visit id is not a new visit: both still show the same total.
    wait_until(lambda: count(a) == first + 2 and count(b) == first + 2, 10,
               message=f"both pages at {first + 2}; they show {count(a)} and {count(b)}; "
                       + str(moto.dynamodb().scan(TableName="VisitorCount")["Items"]))
    item = moto.dynamodb().get_item(TableName="VisitorCount", Key={"id": {"S": "visitors"}}, ConsistentRead=True)
    assert int(item["Item"]["visits"]["N"]) == first + 2


# ---------------------------------------------------------------- keep-alive (shortened timers)

IDLE_TIMEOUT = 4  # seconds; API Gateway's is 600


def function_invocations(gateway):
    return gateway.text().count("invoke DBUpdater ")


def test_pinging_page_outlives_the_idle_timeout_without_invoking_anything_and_closes_once_silent():
    with running_stack("gateway-page-keepalive", ["--idle-timeout", str(IDLE_TIMEOUT)]) as (_, gateway):
        page = browser()
        try:
            page.get(gateway.url)
            wait_until(lambda: count(page) and status(page) == "live", 20, message="the page live")
            page.execute_script("VisitorCounter.configure({keepAliveMs: 1000})")
            # After its $connect, its sync and its history request (the demo page draws the last 30 days),
            # nothing more may reach a function.
            wait_until(lambda: "invoke DBUpdater sync" in gateway.text() and "invoke DBUpdater history" in gateway.text(),
                       10, message="the page's sync and history request")
            assert function_invocations(gateway) == 3, gateway.text()

            # Ten pings a second apart: more than twice the idle timeout, and the connection is still the first.
            wait_until(lambda: gateway.text().count("mock ping answered by the gateway") >= 10, 30,
                       message="ten pings from the page")
            state = page.execute_script("return VisitorCounter.state")
            assert state["connected"] and state["backoff"] == [] and state["pingsSent"] >= 10
            assert status(page) == "live"
            assert "idle for" not in gateway.text()
            assert function_invocations(gateway) == 3, gateway.text()

            # Without the ping the same page is closed once idle, and reconnects as after any drop.
            page.execute_script("VisitorCounter.configure({keepAliveMs: 0})")
            wait_until(lambda: "idle for" in gateway.text(), 3 * IDLE_TIMEOUT, message="the silent page closed as idle")
            wait_until(lambda: len(page.execute_script("return VisitorCounter.state.backoff")) >= 1, 10,
                       message="the page to notice the close")
            wait_until(lambda: "invoke DBUpdater $disconnect" in gateway.text(), 10, message="the $disconnect")
            assert function_invocations(gateway) > 3
        finally:
            page.quit()


# ---------------------------------------------------------------- history sparkline (real stack)

SPARKLINE = """
const chart = arguments[0], svg = chart.querySelector('svg');
if (!svg) return {empty: (chart.querySelector('.visitor-history__empty') || {}).textContent || null};
const box = svg.getBoundingClientRect();
return {label: svg.getAttribute('aria-label'), role: svg.getAttribute('role'), height: box.height,
        note: (chart.querySelector('.visitor-history__note') || {}).textContent || null,
        bars: [...svg.querySelectorAll('rect.visitor-history__bar')].map(r => ({
          day: r.dataset.day, value: Number(r.dataset.value), h: r.getBoundingClientRect().height}))};
"""


def utc_day(offset=0):
    import datetime
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=offset)).isoformat()


def drawn(driver, selector="[data-visitor-history-chart]"):
    return driver.execute_script(SPARKLINE, driver.find_element(By.CSS_SELECTOR, selector))


def table_figures(moto, days, series="visits"):
    """Each day's figure as the table keeps it: `day#<day>`'s latest total less its opening (0 without an item)."""
    keys = [{"id": {"S": f"day#{d}"}} for d in days]
    items = moto.dynamodb().batch_get_item(RequestItems={"VisitorCount": {"Keys": keys, "ConsistentRead": True}})
    by_day = {i["id"]["S"][4:]: i for i in items["Responses"]["VisitorCount"]}
    opening = "open" + series[0].upper() + series[1:]
    return [int(by_day[d][series]["N"]) - int(by_day[d][opening]["N"]) if d in by_day else 0 for d in days]


def assert_bars_match(chart, days, figures):
    """One bar per day, in order, each as tall as its figure's share of the largest (1 unit at least)."""
    assert [b["day"] for b in chart["bars"]] == days
    assert [b["value"] for b in chart["bars"]] == figures
    scale = chart["height"] / 60  # the viewBox is 60 units tall, the tallest bar 56
    top = max(figures)
    for bar, figure in zip(chart["bars"], figures):
        expected = 0 if figure == 0 else max(1, figure / top * 56) * scale
        assert abs(bar["h"] - expected) < 0.1, (bar, figure, expected)


def seed_history(moto, figures, visitor_figures, opening=500, opening_visitors=200):
    """29 recorded days before today as DBStreamProcessor writes them (no item for a day without visits),
    the `history` pointer at the last one, and the counter at its total."""
    client = moto.dynamodb()
    total, visitors = opening, opening_visitors
    last = None
    for offset, (figure, visitor_figure) in enumerate(zip(figures, visitor_figures), start=-29):
        day = utc_day(offset)
        if figure:
            last = {"day": {"S": day}, "openVisits": {"N": str(total)}, "visits": {"N": str(total + figure)},
                    "openVisitors": {"N": str(visitors)}, "visitors": {"N": str(visitors + visitor_figure)}}
            client.put_item(TableName="VisitorCount", Item={"id": {"S": f"day#{day}"}, **last})
        total += figure
        visitors += visitor_figure
    client.put_item(TableName="VisitorCount", Item={
        "id": {"S": "history"}, "since": {"S": utc_day(-60)}, "version": {"N": "7"}, **last})
    # The counter last: its stream record raises nothing the history has not got, so nothing is recorded.
    client.put_item(TableName="VisitorCount", Item={
        "id": {"S": "visitors"}, "visits": {"N": str(total)}, "visitors": {"N": str(visitors)}})
    return total


def test_the_demo_pages_sparkline_draws_the_tables_figures_and_follows_visits():
    figures = [(i * 13) % 17 for i in range(29)]  # some days without a visit (no item: zeros)
    visitor_figures = [f // 2 for f in figures]
    with running_stack("gateway-sparkline", ["--unique-visitors"]) as (moto, gateway):
        seed_history(moto, figures, visitor_figures)
        a, b = browser(), browser()
        try:
            a.get(gateway.url)
            wait_until(lambda: status(a) == "live" and count(a), 20, message="page A live")
            section = a.find_element(By.CSS_SELECTOR, "[data-visitor-history]")
            wait_until(lambda: section.is_displayed() and drawn(a).get("bars"), 20, message="A's sparkline")
            # A visitors chart as an embedding page would add it, drawn from the same answer.
            a.execute_script("const t = document.createElement('p'); t.className = 'history__title';"
                             "t.textContent = 'Visitors'; const e = document.createElement('div'); e.id = 'by-visitor';"
                             "e.className = 'history__chart'; e.setAttribute('data-visitor-history', 'visitors');"
                             "document.querySelector('.history').append(t, e); VisitorCounter.refresh()")

            b.get(gateway.url)  # a second visit today, by the same visitor (same address, browser and site)
            wait_until(lambda: count(a) == count(b) and drawn(a)["bars"][-1]["value"] == 2, 20,
                       message=f"A's bar for today at 2: {drawn(a)}")
            days = [utc_day(k) for k in range(-29, 1)]
            # Today's figure is in the table once DBStreamProcessor has recorded B's visit.
            wait_until(lambda: table_figures(moto, days)[-1] == 2, 20, message="today's figure recorded as 2")
            assert table_figures(moto, days)[:-1] == figures
            for page in (a, b):
                chart = drawn(page)
                assert chart["role"] == "img"
                assert_bars_match(chart, days, table_figures(moto, days))
                assert chart["label"].startswith("Visits over the last 30 days: ") and chart["label"].endswith(", today 2.")
                assert chart["note"] is None  # history began 60 days ago
            visitors_chart = drawn(a, "#by-visitor")
            assert_bars_match(visitors_chart, days, table_figures(moto, days, "visitors"))
            assert visitors_chart["bars"][-1]["value"] >= 1  # A at least was a new visitor today
            counter = moto.dynamodb().get_item(TableName="VisitorCount", Key={"id": {"S": "visitors"}}, ConsistentRead=True)
            # A and B are one visitor (same address, browser and site): counted once today.
            assert int(counter["Item"]["visitors"]["N"]) == 200 + sum(visitor_figures) + 1, counter
            shown = a.find_element(By.CSS_SELECTOR, "[data-unique-visitors-count]")
            wait_until(lambda: shown.text.replace(",", "") == counter["Item"]["visitors"]["N"], 10,
                       message=f"A to show the table's {counter['Item']['visitors']['N']} visitors, not {shown.text}")
            assert a.find_element(By.CSS_SELECTOR, "[data-unique-visitors]").is_displayed()

            ARTIFACTS.mkdir(exist_ok=True)
            png = a.get_screenshot_as_png()
            (ARTIFACTS / "sparkline-local-stack.png").write_bytes(png)
            assert_not_blank(png)
        finally:
            a.quit()
            b.quit()


def test_carried_over_visits_are_no_days_figure_and_history_says_when_it_starts():
    with running_stack("gateway-sparkline-carried") as (moto, gateway):
        env = dict(os.environ, **moto.environment())
        subprocess.run([sys.executable, str(ROOT / "scripts/set_visits.py"), "5000", "--endpoint-url", moto.endpoint,
                        "--region", moto.region], env=env, check=True, capture_output=True, timeout=60)
        # Its stream record begins history at 5,000 (DBStreamProcessor records every total it broadcasts).
        wait_until(lambda: "Item" in moto.dynamodb().get_item(TableName="VisitorCount", Key={"id": {"S": "history"}},
                                                             ConsistentRead=True), 20, message="history to begin")
        a, b = browser(), browser()
        try:
            a.get(gateway.url)
            wait_until(lambda: count(a) == 5001, 20, message="page A at 5001")
            b.get(gateway.url)
            # History began with the carried-over total (the stream record of set_visits.py): the 5,000 are in
            # no day's figure, A's and B's visits are today's two.
            wait_until(lambda: (drawn(a).get("bars") or [{}])[-1].get("value") == 2, 20,
                       message="A's bar for today at 2")
            wait_until(lambda: table_figures(moto, [utc_day()]) == [2], 20, message="today's figure recorded as 2")
            for page in (a, b):
                chart = drawn(page)
                assert_bars_match(chart, [utc_day()], table_figures(moto, [utc_day()]))
                today = a.execute_script("return new Intl.DateTimeFormat('en', {month: 'short', day: 'numeric',"
                                         " timeZone: 'UTC'}).format(new Date())")
                assert chart["note"] == f"history starts {today}"
                assert chart["label"] == f"Visits per day since history started on {today}: today 2."
            item = moto.dynamodb().get_item(TableName="VisitorCount", Key={"id": {"S": "history"}}, ConsistentRead=True)
            assert item["Item"]["since"]["S"] == utc_day()
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / "sparkline-history-starts.png").write_bytes(a.get_screenshot_as_png())
        finally:
            a.quit()
            b.quit()
