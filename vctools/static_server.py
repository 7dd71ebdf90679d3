"""Directories served over HTTP on 127.0.0.1 (a free port) from a background thread, for the page tests:
``static_server(mounts)`` maps URL prefixes to directories, the longest prefix wins.
"""
import contextlib
import http.server
import posixpath
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path


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

    def list_directory(self, path):
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
