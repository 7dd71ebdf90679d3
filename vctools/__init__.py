"""VisitorCounter's Python support package: what the tests, `make soak`, `make bench` and the Swift tests'
fixture servers share (docs/python-layout.md).

- ``vctools.paths``: the repository root and ``test-artifacts/``, found once, here.
- ``vctools.local_stack``: moto and the LocalGateway binary on free loopback ports, and the table readers
  the end-to-end tests and the load storms check with.
- ``vctools.dev_stack``: ``make dev`` driven as a terminal drives it.
- ``vctools.load``: the load storm engine (``tests/test_load.py`` and ``scripts/soak.py``).
- ``vctools.moto_transactions``: the patch that makes moto's TransactWriteItems O(1) for the storms.
- ``vctools.static_server`` and ``vctools.page``: folders served over HTTP, headless Chromium and the page
  helpers of the browser tests.
- ``vctools.fixtures``: servers and tools the Swift tests start as child processes.

Installed editable into ``.venv`` by ``scripts/setup.sh`` (``pip install -e .``), so it imports from any
folder without touching ``sys.path``.
"""
