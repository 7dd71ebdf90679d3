"""Shared pytest helpers for the Python test tiers.

Kept small on purpose; each helper is generic so other suites (local stack, end to end) can reuse it:

- ``REPO_ROOT`` and ``ARTIFACTS``: the repository root and ``test-artifacts/`` (git-ignored; made on demand).
- ``static_server(mounts)``: a context manager serving directories over HTTP on 127.0.0.1 (free port) from
  a background thread; ``mounts`` maps URL prefixes to directories, the longest prefix wins.
- ``chromium``: a session-wide headless Debian Chromium driven by Selenium (``/usr/bin/chromium`` and
  ``/usr/bin/chromedriver``, no Selenium Manager downloads), with the browser console log enabled.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import posixpath
import threading
import urllib.parse
from pathlib import Path
from typing import Iterator, Mapping

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class _MountedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files from several directories by URL prefix; never lists or leaves a mount."""

    mounts: Mapping[str, Path] = {}

    def translate_path(self, path: str) -> str:
        path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        for prefix in sorted(self.mounts, key=len, reverse=True):
            if path == prefix.rstrip("/") or path.startswith(prefix):
                root = self.mounts[prefix]
                rest = posixpath.normpath("/" + path[len(prefix):]).lstrip("/")
                return str(root / rest) if rest else str(root)
        return str(Path("/nonexistent"))

    def list_directory(self, path):  # noqa: ANN001 - signature from the base class
        self.send_error(404)
        return None

    def end_headers(self) -> None:
        # Tests edit files between runs; never let the browser cache them.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep pytest output clean
        pass


@contextlib.contextmanager
def static_server(mounts: Mapping[str, Path | str]) -> Iterator[str]:
    """Serves ``mounts`` ({"/": web_dir, "/fixtures/": dir}) on 127.0.0.1; yields the base URL (no slash)."""
    handler = type("Handler", (_MountedHandler,), {"mounts": {k: Path(v) for k, v in mounts.items()}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium WebDriver for the whole session (quit at the end, even after failures)."""
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager reach the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@functools.cache
def artifacts_dir() -> Path:
    """``test-artifacts/``, created on first use."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
