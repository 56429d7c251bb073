"""Shared fixtures: the shipped library, its calculator config, and one built + served site.

The site is built once per test session (``mkdocs build --strict``) into a temporary
folder with ``SITE_URL`` pointing at the port it is then served on, because Material's
instant navigation only works when ``site_url`` matches the server exactly.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOKS = ROOT / "playbooks"


def site_markdown_extensions() -> tuple[list[str], dict[str, Any]]:
    """mkdocs.yml's Markdown extensions (names, in order) and the settings of those that have any."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))["markdown_extensions"]:
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if settings:
            configs[name] = settings
    return names, configs


def build_site(
    out: Path,
    *,
    cwd: Path = ROOT,
    generator: str = "mkdocs",
    strict: bool = True,
    without: Iterable[str] = (),
    env: Mapping[str, str] | None = None,
) -> Path:
    """Build the site at ``cwd`` into ``out`` with ``generator`` (``mkdocs`` or ``properdocs``) and assert it succeeded.

    The environment is this process's, less the ``without`` variables, plus ``env``.
    """
    dropped = set(without)
    variables = {k: v for k, v in os.environ.items() if k not in dropped} | {"NO_MKDOCS_2_WARNING": "1", **(env or {})}
    args = [sys.executable, "-m", generator, "build", "-q", "-d", str(out), *(["--strict"] if strict else [])]
    proc = subprocess.run(args, cwd=cwd, env=variables, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{generator} build failed:\n{proc.stdout}\n{proc.stderr}"
    return out


def load_hook(filename: str, name: str) -> ModuleType:
    """Import ``hooks/<filename>`` as module ``name``, the way MkDocs loads a hook file (tests of the shim)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / filename)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def config() -> dict[str, Any]:
    """The calculators' configuration built from the shipped YAML."""
    from cslibrary.model.config_files import config_from_library

    return config_from_library(PLAYBOOKS)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_port() -> int:
    return _free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Path:
    """The shipped library built with ``mkdocs build --strict``; returns the site folder."""
    return build_site(tmp_path_factory.mktemp("site") / "site", env={"SITE_URL": f"http://127.0.0.1:{site_port}/"})


@pytest.fixture(scope="session")
def site_url(built_site: Path, site_port: int) -> Iterator[str]:
    """The built site served on 127.0.0.1 (the port its site_url names)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site_port}/"
    server.shutdown()
    server.server_close()
