"""What the browser benchmarks share: Debian's Chromium, a built site and a quiet local server.

A module of helpers, not a benchmark (``run_all.py`` skips names starting with ``_``).
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
#: Debian's Chromium without its calls home (PITFALLS.md).
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves quietly and counts the body bytes it sends per path (``server.bytes_sent``)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        counts: dict[str, int] = getattr(self.server, "bytes_sent", {})
        while chunk := source.read(64 * 1024):
            outputfile.write(chunk)
            counts[self.path] = counts.get(self.path, 0) + len(chunk)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build(site: Path, port: int) -> None:
    """The shipped library built into ``site`` for ``http://127.0.0.1:PORT/`` (instant navigation needs the match)."""
    env = {**os.environ, "SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, env=env, check=True)


def serve(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    """``site`` served on 127.0.0.1:``port`` from a background thread; call ``shutdown()`` when done."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
    server.bytes_sent = {}  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
