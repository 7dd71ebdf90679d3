"""The pytest fixtures shared by the Python test tiers; the helpers they use are in the vctools package.

- ``chromium``: a session-wide headless Chromium (``vctools.page.chromium_driver``), quit at the end.
"""

import pytest

from vctools.page import chromium_driver


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium WebDriver for the whole session (quit at the end, even after failures)."""
    driver = chromium_driver()
    try:
        yield driver
    finally:
        driver.quit()
