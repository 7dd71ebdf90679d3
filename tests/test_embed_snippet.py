"""The README's "Put the counter on your own page", done as a site owner does it, in headless Chromium
against the local stack: web/visitor-counter.js copied next to a page in a subfolder of a site served from
another port, with the README's snippet pasted in. It works (count, status, live viewers), it passes axe
(as does the demo page), and each way of getting it wrong fails with a reason: one console line from the
script naming the cause, the status the browser sees, and a gateway log line naming the right endpoint.
"""
import re
import shutil

import pytest
from axe_selenium_python import Axe

from vctools.dev_stack import readme_snippet
from vctools.local_stack import Gateway, Moto, bin_path, free_port, tables_file, wait_until
from vctools.paths import ROOT
from vctools.static_server import static_server

LOCAL_ENDPOINT = "ws://127.0.0.1:8080/local"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site with a résumé page in /cv/, the script copied next to it; one page per endpoint under test."""
    root = tmp_path_factory.mktemp("site")
    (root / "cv").mkdir()
    shutil.copy(ROOT / "web" / "visitor-counter.js", root / "cv" / "visitor-counter.js")

    def page(name, endpoint):
        snippet = readme_snippet().replace(LOCAL_ENDPOINT, endpoint)
        (root / "cv" / f"{name}.html").write_text(
            '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Ada Lovelace, résumé</title></head>\n'
            f"<body>\n<main>\n<h1>Ada Lovelace</h1>\n{snippet}</main>\n</body>\n</html>\n")
        return f"/cv/{name}.html"

    # Two origins serving the same files: the stack allows the first only.
    with static_server({"/": root}) as allowed, static_server({"/": root}) as refused:
        yield page, allowed, refused


@pytest.fixture(scope="module")
def stack(site, tmp_path_factory):
    """moto and a gateway that allows the first site origin and its own (the demo page), not the second."""
    _, allowed, _ = site
    port = free_port()
    moto = Moto()
    gateway = Gateway(moto, port, bin_path(), tables_file(tmp_path_factory.mktemp("tables")), name="gateway-embed",
                      extra_args=["--allowed-origins", f"{allowed},http://127.0.0.1:{port}", "--live-viewers"])
    try:
        yield moto, gateway.start()
    finally:
        gateway.stop()
        moto.close()


def console_lines(driver):
    """The browser console's entries since the last call (Chromium hands each entry out once)."""
    return [entry["message"] for entry in driver.get_log("browser")]


def state(driver):
    return driver.execute_script("return window.VisitorCounter && window.VisitorCounter.state")


def open_failing(driver, url):
    """Opens `url`, waits for the script to explain the failure and to have failed a few more times, and
    returns (problem, the console's lines from the script)."""
    console_lines(driver)
    driver.get(url)
    wait_until(lambda: (state(driver) or {}).get("problem"), 20, message="the script to name the cause")
    wait_until(lambda: state(driver)["attempt"] >= 3, 30, message="three failed attempts")
    lines = console_lines(driver)
    return state(driver)["problem"], lines


def ours(lines):
    return [line for line in lines if "visitor-counter: " in line]


def assert_axe_clean(driver):
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    assert results["violations"] == [], axe.report(results["violations"])


def test_the_readme_snippet_counts_live_on_a_page_of_another_origin_and_passes_axe(chromium, site, stack):
    page, allowed, _ = site
    _, gateway = stack
    chromium.get(allowed + page("works", gateway.ws_url))
    wait_until(lambda: (state(chromium) or {}).get("status") == "live", 20, message="the snippet to go live")
    wait_until(lambda: re.fullmatch(r"\d+", chromium.find_element("css selector", "[data-visitor-count]").text),
               10, message="a number in place of the placeholder")
    wait_until(lambda: chromium.find_element("css selector", "[data-live-viewers]").is_displayed(), 10,
               message="the live viewers")
    assert chromium.find_element("css selector", "[data-visitor-status]").text == "Live"
    assert_axe_clean(chromium)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_demo_page_passes_axe_in_each_state(chromium, stack, scheme):
    _, gateway = stack
    chromium.execute_cdp_cmd("Emulation.setEmulatedMedia",
                             {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        chromium.get(gateway.url)
        wait_until(lambda: (state(chromium) or {}).get("status") == "live", 20, message="the demo page to go live")
        assert "visits to this site" in chromium.find_element("css selector", ".caption").text
        assert chromium.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        assert_axe_clean(chromium)
        chromium.execute_script("window.VisitorCounter.disconnect()")
        assert state(chromium)["status"] == "offline"
        assert_axe_clean(chromium)
        # The connecting pill is on screen only for a moment; its colours are checked by setting its state.
        chromium.execute_script("document.querySelector('.pill').setAttribute('data-status', 'connecting')")
        assert_axe_clean(chromium)
    finally:
        chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_a_wrong_stage_names_the_endpoint_in_the_console_and_the_log(chromium, site, stack):
    page, allowed, _ = site
    _, gateway = stack
    wrong = gateway.ws_url.replace("/local", "/prod")
    problem, lines = open_failing(chromium, allowed + page("wrong-stage", wrong))
    assert problem["cause"] == "endpoint"
    assert len(ours(lines)) == 1, lines
    assert "no WebSocket API at /prod" in ours(lines)[0]
    assert any("Unexpected response code: 404" in line for line in lines), lines
    log = wait_until(lambda: [line for line in gateway.text().splitlines() if "refused a WebSocket upgrade to /prod" in line],
                     5, message="the gateway's log line")
    assert gateway.ws_url in log[0]
    # The placeholder stays and the status says so.
    assert chromium.find_element("css selector", "[data-visitor-count]").text == "–"
    assert chromium.find_element("css selector", "[data-visitor-status]").text == "Offline · reconnecting"


def test_an_endpoint_without_a_stage_is_named_as_such(chromium, site, stack):
    page, allowed, _ = site
    _, gateway = stack
    problem, lines = open_failing(chromium, allowed + page("no-stage", gateway.ws_url.replace("/local", "")))
    assert problem["cause"] == "endpoint"
    assert len(ours(lines)) == 1 and "no stage path" in ours(lines)[0], lines


def test_a_refused_origin_is_a_403_the_browser_sees_and_the_console_names_the_origin(chromium, site, stack):
    page, _, refused = site
    _, gateway = stack
    problem, lines = open_failing(chromium, refused + page("refused-origin", gateway.ws_url))
    assert problem["cause"] == "origin"
    assert len(ours(lines)) == 1 and refused in ours(lines)[0] and "allowed origins" in ours(lines)[0], lines
    assert any("Unexpected response code: 403" in line for line in lines), lines
    assert any("403 $connect refused origin " + refused in line for line in gateway.text().splitlines())


def test_nothing_listening_is_named_as_the_network(chromium, site, stack):
    page, allowed, _ = site
    problem, lines = open_failing(chromium, allowed + page("nothing-there", f"ws://127.0.0.1:{free_port()}/local"))
    assert problem["cause"] == "network"
    assert len(ours(lines)) == 1 and "nothing answers" in ours(lines)[0], lines


def test_a_server_that_refuses_without_saying_why_is_named_with_both_likely_causes(chromium, site, stack):
    """As API Gateway answers: a status the page cannot read (no CORS headers), so the script can only
    tell that the host answers and name the endpoint and the origin as the two likely causes."""
    page, allowed, refused = site
    problem, lines = open_failing(chromium, allowed + page("opaque", refused.replace("http:", "ws:") + "/prod"))
    assert problem["cause"] == "refused"
    assert len(ours(lines)) == 1, lines
    assert "endpoint" in ours(lines)[0] and "AllowedOrigins" in ours(lines)[0] and allowed in ours(lines)[0]
