"""The demo page in a real headless Chromium (Debian's chromium + chromium-driver, Selenium from the
virtualenv) against the local stack with the real functions: a live count that goes up when another
page opens, survives a gateway restart, and a screenshot of the page in test-artifacts/."""
import os
import re
import struct
import zlib

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from local_stack import ARTIFACTS, running_stack, wait_until

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a driver


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,800"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


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


def png_is_not_blank(png):
    """Decodes the PNG's pixel rows (zlib, no image library) and checks they are not all one colour."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat = 8, b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        if kind == b"IDAT":
            idat += png[position + 8:position + 8 + length]
        position += 12 + length
    pixels = zlib.decompress(idat)
    return len(set(pixels)) > 16


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
    assert png_is_not_blank(png)

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
            # After its $connect and its sync, nothing more may reach a function.
            wait_until(lambda: "invoke DBUpdater sync" in gateway.text(), 10, message="the page's sync")
            assert function_invocations(gateway) == 2, gateway.text()

            # Ten pings a second apart: more than twice the idle timeout, and the connection is still the first.
            wait_until(lambda: gateway.text().count("mock ping answered by the gateway") >= 10, 30,
                       message="ten pings from the page")
            state = page.execute_script("return VisitorCounter.state")
            assert state["connected"] and state["backoff"] == [] and state["pingsSent"] >= 10
            assert status(page) == "live"
            assert "idle for" not in gateway.text()
            assert function_invocations(gateway) == 2, gateway.text()

            # Without the ping the same page is closed once idle, and reconnects as after any drop.
            page.execute_script("VisitorCounter.configure({keepAliveMs: 0})")
            wait_until(lambda: "idle for" in gateway.text(), 3 * IDLE_TIMEOUT, message="the silent page closed as idle")
            wait_until(lambda: len(page.execute_script("return VisitorCounter.state.backoff")) >= 1, 10,
                       message="the page to notice the close")
            wait_until(lambda: "invoke DBUpdater $disconnect" in gateway.text(), 10, message="the $disconnect")
            assert function_invocations(gateway) > 2
        finally:
            page.quit()
