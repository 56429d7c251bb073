"""``mkdocs serve`` shows the library's problems in the browser, and the site again once they are fixed.

A copy of the repository with a broken playbook is served (``mkdocs serve --strict``, as
``make serve`` runs it) on a free port: every address answers the page listing the problems
(``file:line:col: field: message``, escaped, each a ``vscode://file/…`` link); the terminal
lists them too. Once the file is fixed, serve rebuilds and the address answers the real page;
in Chromium the error page reloads itself into it. ``mkdocs build --strict`` still stops
before writing anything (``test_build.py``). Every wait is bounded; the server is always
stopped.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cslibrary.model.yaml_reader import Problem
from cslibrary.site.serve_errors import POLICY, error_page
from tests.site.test_browser_calculators import base_url, browser_type_launch_args  # noqa: F401  (fixtures: Debian's Chromium)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BROKEN = "owner: cs_<b>manger</b>"  # markup in a value: the page must print it as text
START = 120.0  # s: the first build of a busy two-core machine, Pyodide copied in
REBUILD = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _copy(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    ignore = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "__pycache__", ".*_cache", "bench", "tests")
    shutil.copytree(ROOT, repo, ignore=ignore)
    if (ROOT / "node_modules").is_dir():
        (repo / "node_modules").symlink_to(ROOT / "node_modules")  # the calculators' runtime, once the site builds
    return repo


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return int(answer.status), answer.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return int(err.code), err.read().decode("utf-8")


def _until(what: str, seconds: float, check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds:.0f} s waiting for {what}")
        time.sleep(0.5)


def _answers(url: str) -> bool:
    try:
        _get(url)
    except OSError:
        return False
    return True


@contextmanager
def _serving(repo: Path, log: Path) -> Iterator[str]:
    """``mkdocs serve --strict`` on a free port in ``repo``; yields its address and stops it however the test ends."""
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=repo,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            _until("the server", START, lambda: proc.poll() is not None or _answers(url))
            assert proc.poll() is None, f"mkdocs serve stopped:\n{log.read_text(encoding='utf-8')}"
            yield url
        finally:
            proc.send_signal(signal.SIGINT)  # serve's own shutdown: it removes its temporary site
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)


def _break(repo: Path) -> tuple[Path, str]:
    target = repo / "playbooks" / "library" / "at-risk.yml"
    good = target.read_text(encoding="utf-8")
    assert good.count("owner: cs_manager") >= 1
    target.write_text(good.replace("owner: cs_manager", BROKEN), encoding="utf-8")
    return target, good


def _fix(target: Path, good: str) -> None:
    stat = target.stat()
    target.write_text(good, encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_the_page_lists_every_problem_escaped_with_a_link_to_its_place(tmp_path: Path) -> None:
    problems = [
        Problem("playbooks/library/qbr.yml", 3, 8, "owner", "'<script>alert(1)</script>' is not a known role"),
        Problem("playbooks/segments.yml", message="the file is missing"),
        Problem("../outside.yml", 1, 1, "id", "x"),
    ]
    page = error_page(problems, tmp_path)
    assert "<script>alert(1)" not in page and "&#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; is not a known role" in page
    assert f'href="vscode://file{(tmp_path / "playbooks/library/qbr.yml").as_posix()}:3:8">playbooks/library/qbr.yml:3:8</a>' in page
    assert f'href="vscode://file{(tmp_path / "playbooks/segments.yml").as_posix()}">playbooks/segments.yml</a>' in page
    assert "vscode://file" + (tmp_path.parent / "outside.yml").as_posix() not in page  # outside the repository: no link
    assert "3 problems in playbooks/" in page
    assert f'content="{POLICY}"' in page and "unsafe-inline" not in POLICY
    assert error_page(problems[:1], tmp_path) != page  # another list, another mark: the open page reloads


def test_serve_shows_the_problems_then_the_site_once_fixed(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    target, good = _break(repo)
    log = tmp_path / "serve.log"
    with _serving(repo, log) as url:
        status, text = _get(url + "playbooks/at-risk/")
        assert status == 404, status  # the server's "not found" page is the error page, for every address
        assert "playbooks/library/at-risk.yml:" in text and "cs_&lt;b&gt;manger&lt;/b&gt;" in text and "<b>manger" not in text
        assert f'href="vscode://file{(repo / "playbooks/library/at-risk.yml").resolve().as_posix()}:' in text
        assert _get(url)[1] == text
        assert "'cs_<b>manger</b>' is not a known role" in log.read_text(encoding="utf-8")

        _fix(target, good)
        _until("the fixed site", REBUILD, lambda: _get(url + "playbooks/at-risk/")[0] == 200)
        status, text = _get(url + "playbooks/at-risk/")
        assert "<title>At-risk intervention" in text and "data-library-problems" not in text
    assert "Traceback" not in log.read_text(encoding="utf-8")


@pytest.mark.browser
def test_the_error_page_reloads_itself_into_the_site(tmp_path: Path, page: Page) -> None:
    repo = _copy(tmp_path)
    target, good = _break(repo)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    with _serving(repo, tmp_path / "serve.log") as url:
        page.goto(url + "playbooks/at-risk/")
        assert "cs_<b>manger</b>" in page.inner_text("ol")
        _fix(target, good)
        expect(page).to_have_title(re.compile("^At-risk intervention"), timeout=REBUILD * 1000)
        assert page.locator("h1").first.inner_text().startswith("At-risk intervention")
    assert not violations, violations
