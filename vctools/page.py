"""Headless Chromium for the page tests: the driver, helpers over the fake WebSocket of
tests/page_fixtures/fake-websocket.js and the counter's API, the demo page with the fake socket injected, and
a screenshot check (PNG decoded with zlib, no image library).
"""
from __future__ import annotations

import contextlib
import json
import os
import struct
import zlib

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from vctools.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FIXTURES = ROOT / "tests" / "page_fixtures"
SYNC = json.dumps({"action": "sync"}, separators=(",", ":"))


def chromium_driver(window_size=(1200, 900)):
    """A headless Debian Chromium driven by Selenium (no Selenium Manager downloads), console log enabled."""
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager reach the network
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={window_size[0]},{window_size[1]}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


class Page:
    """Thin helpers over the fake socket API (window.__fakeWS) and the counter API (window.VisitorCounter)."""

    def __init__(self, driver):
        self.driver = driver

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def fake(self, method: str, *args):
        return self.js(f"return window.__fakeWS.{method}(...arguments)", *args)

    def state(self) -> dict:
        return self.js("return window.VisitorCounter.state")

    def wait(self, condition, timeout: float = 5.0, message: str = ""):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.02).until(lambda _: condition())
        except TimeoutException:
            raise AssertionError(f"timed out waiting: {message or condition}") from None

    def wait_sockets(self, n: int):
        self.wait(lambda: self.fake("count") >= n, message=f"{n} socket(s)")
        assert self.fake("count") == n

    def text(self, element_id: str) -> str:
        return self.js("return document.getElementById(arguments[0]).textContent", element_id)

    def statuses(self) -> set[str]:
        """data-status of every counter and status element, plus the <html> attribute."""
        return set(self.js(
            "return [...document.querySelectorAll('[data-visitor-count],[data-visitor-status]')]"
            ".map(e => e.dataset.status)"
            ".concat(document.documentElement.dataset.visitorCounterStatus)"))

    def wait_status(self, status: str):
        self.wait(lambda: self.statuses() == {status}, message=f"status {status}, have {self.statuses()}")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Decodes an 8-bit, non-interlaced RGB/RGBA PNG (what Chromium writes) with zlib.

    Returns width, height, the unfiltered rows and the bytes per pixel."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def assert_not_blank(png: bytes):
    """A screenshot of a drawn page: at least 600×400, more than 20 colours, text far from its background."""
    width, height, rows, bpp = png_pixels(png)
    assert width >= 600 and height >= 400, (width, height)
    colours = {row[i:i + 3] for row in rows[::2] for i in range(0, len(row), bpp * 2)}
    assert len(colours) > 20, f"only {len(colours)} colours: blank screenshot?"
    # Text and background far apart in brightness, in either colour scheme.
    lum = [sum(c) / 3 for c in colours]
    assert max(lum) - min(lum) > 120


@contextlib.contextmanager
def demo_page(chromium, base_url, scheme="light", size=(1200, 900)):
    """Opens web/index.html as it is, with the fake socket injected ahead of every script (CDP)."""
    fake = (FIXTURES / "fake-websocket.js").read_text()
    script_id = chromium.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": fake})["identifier"]
    chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme},
                     {"name": "prefers-reduced-motion", "value": "reduce"}]})
    chromium.set_window_size(*size)
    try:
        chromium.get_log("browser")  # drop what earlier tests logged
        chromium.get(f"{base_url}/")
        p = Page(chromium)
        p.wait_sockets(1)
        yield p
    finally:
        chromium.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script_id})
        chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        chromium.set_window_size(1200, 900)
