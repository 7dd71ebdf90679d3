"""The pytest fixtures shared by the Python test tiers; the helpers they use are in the vctools package.

- ``chromium``: a session-wide headless Debian Chromium driven by Selenium (``/usr/bin/chromium`` and
  ``/usr/bin/chromedriver``, no Selenium Manager downloads), with the browser console log enabled.
"""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


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

