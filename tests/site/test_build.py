"""The shipped library, built with ``mkdocs build --strict`` (the ``built_site`` fixture).

Every playbook, segment and metric page exists, is reachable from the navigation (directly or
through an index page the navigation lists) and is in the search index; no internal link is
broken; the exports parse back to the YAML steps; generated pages link to their YAML for editing.
"""

from __future__ import annotations

import html.parser
import json
import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import build_site
import yaml

from cslibrary.model import Library
from cslibrary.model.loader import load_library
from cslibrary.render.exports import read_steps_csv

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.nav: list[str] = []
        self.ids: set[str] = set()
        self._nav_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        ident = a.get("id")
        if ident:
            self.ids.add(ident)
        if tag == "nav" and "md-nav--primary" in (a.get("class") or ""):
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        for name in ("href", "src"):
            if a.get(name):
                self.links.append((tag, name, a[name] or ""))
                if tag == "a" and self._nav_depth:
                    self.nav.append(a[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1


@cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file an internal link points at, and its fragment; None for external links."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "data:")):
        return None
    base = page.parent.relative_to(site).as_posix()
    path = unquote(parts.path)
    if path.startswith("/"):  # absolute: the test site is served at the root (404.html uses these)
        base, path = ".", path.lstrip("/") or "."
    rel = posixpath.normpath(posixpath.join(base, path)) if path else page.relative_to(site).as_posix()
    target = site / rel
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


def _page_urls(library: Library) -> dict[str, str]:
    urls = {f"playbooks/{p}/": p for p in library.playbooks}
    urls |= {f"metrics/{m}/": m for m in library.metrics}
    urls |= {f"segments/{t.id}/": t.id for t in library.segments.tiers}
    return urls


def test_every_playbook_metric_and_segment_page_exists(built_site: Path, library: Library) -> None:
    for url in _page_urls(library):
        assert (built_site / url / "index.html").is_file(), url


def test_every_page_is_reachable_from_the_navigation(built_site: Path, library: Library) -> None:
    # The navigation is pruned (navigation.prune): each section's pages appear once you are in it.
    nav_pages: set[Path] = set()
    todo = [built_site / "index.html"]
    while todo:
        page = todo.pop()
        if page in nav_pages or not page.is_file():
            continue
        nav_pages.add(page)
        todo += [t[0] for url in _parse(page).nav if (t := _target(built_site, page, url)) and t[0].suffix == ".html"]
    assert {
        built_site / "playbooks" / "index.html",
        built_site / "metrics" / "index.html",
        built_site / "segments" / "index.html",
    } <= nav_pages
    reachable = set(nav_pages)
    for page in nav_pages:
        reachable |= {t[0] for tag, _, url in _parse(page).links if tag == "a" and (t := _target(built_site, page, url))}
    for url in _page_urls(library):
        assert built_site / url / "index.html" in reachable, f"{url} is not linked from the navigation or a page it lists"


def test_every_page_is_in_the_search_index(built_site: Path, library: Library) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    for url in _page_urls(library):
        assert url in locations, url
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    assert titles["playbooks/at-risk/"] == library.playbooks["at-risk"].title


def test_no_broken_internal_links(built_site: Path) -> None:
    broken = []
    for page in sorted(built_site.rglob("*.html")):
        for tag, attr, url in _parse(page).links:
            found = _target(built_site, page, url)
            if found is None or (url.startswith("#") and not found[1]):
                continue
            target, fragment = found
            if not target.is_file():
                broken.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url}> → missing {target.relative_to(built_site)}")
            elif fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
                broken.append(f"{page.relative_to(built_site)}: {url} → no id {fragment!r}")
    assert not broken, "\n".join(broken[:30])


def test_exports_parse_back_to_the_yaml_steps(built_site: Path, library: Library) -> None:
    for playbook_id, source in library.playbook_paths.items():
        raw = yaml.safe_load((ROOT / source).read_text(encoding="utf-8"))["steps"]
        expected = [{k: v for k, v in step.items() if v not in (None, [], "")} for step in raw]
        csv_file = built_site / "playbooks" / playbook_id / "steps.csv"
        assert read_steps_csv(csv_file.read_text(encoding="utf-8")) == expected, playbook_id
        checklist = (built_site / "playbooks" / playbook_id / "checklist.md").read_text(encoding="utf-8")
        assert checklist.count("- [ ] **") == len(raw), playbook_id


# The variables that say which repository the site links to (mkdocs.yml, cslibrary/site/config.py).
REPOSITORY_VARIABLES = ("REPO_URL", "EDIT_URI", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY")


def _build_with(out: Path, **variables: str) -> Path:
    """The shipped library built with only ``variables`` of :data:`REPOSITORY_VARIABLES` set."""
    return build_site(out, without=REPOSITORY_VARIABLES, env=variables)


@pytest.fixture(scope="module")
def fork_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built as GitHub Actions builds a fork: the repository comes from the run's variables."""
    return _build_with(tmp_path_factory.mktemp("fork") / "site", GITHUB_SERVER_URL="https://github.com", GITHUB_REPOSITORY="acme/cs-fork")


def test_generated_pages_link_to_their_yaml_for_editing(fork_site: Path, library: Library) -> None:
    fork = "https://github.com/acme/cs-fork"
    page = fork_site / "playbooks" / "at-risk" / "index.html"
    edits = [url for tag, _, url in _parse(page).links if tag == "a" and "/edit/" in url]
    assert edits and all(url == f"{fork}/edit/main/playbooks/library/at-risk.yml" for url in edits), edits
    assert "Edit this playbook" in page.read_text(encoding="utf-8")
    metric = fork_site / "metrics" / "nrr" / "index.html"
    assert any(url == f"{fork}/edit/main/playbooks/metrics/nrr.yml" for _, _, url in _parse(metric).links)
    home = fork_site / "index.html"
    assert any(url == f"{fork}/edit/main/docs/index.md" for _, _, url in _parse(home).links)
    assert ("a", "href", fork) in _parse(home).links  # the header's repository link


def test_without_a_known_repository_no_page_links_to_one(tmp_path: Path) -> None:
    """A local build (no REPO_URL, not in GitHub Actions): no repository link, no edit button, no edit link."""
    site = _build_with(tmp_path / "site")
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert 'class="md-source"' not in text and 'rel="edit"' not in text, page
        assert "Edit this playbook" not in text and "edit this metric" not in text, page
        assert "github.com/example" not in text, page
    assert not [url for tag, _, url in _parse(site / "playbooks" / "at-risk" / "index.html").links if "/edit/" in url]


def test_repo_url_from_mkdocs_yml_wins_over_github_actions(tmp_path: Path) -> None:
    site = _build_with(
        tmp_path / "site",
        REPO_URL="https://gitlab.example.com/cs/library",
        EDIT_URI="-/edit/trunk/docs/",
        GITHUB_SERVER_URL="https://github.com",
        GITHUB_REPOSITORY="acme/cs-fork",
    )
    links = [url for _, _, url in _parse(site / "playbooks" / "at-risk" / "index.html").links]
    assert "https://gitlab.example.com/cs/library/-/edit/trunk/playbooks/library/at-risk.yml" in links
    assert not any("acme/cs-fork" in url for url in links)


def test_tags_and_exports_are_linked(built_site: Path, library: Library) -> None:
    tags = (built_site / "tags" / "index.html").read_text(encoding="utf-8")
    assert "Category: Intervention" in tags and "Segment: Tech touch" in tags
    page = built_site / "playbooks" / "renewal" / "index.html"
    hrefs = {url for tag, _, url in _parse(page).links if tag == "a"}
    assert {"steps.csv", "checklist.md"} <= hrefs
    assert "<title>Renewal - " in page.read_text(encoding="utf-8")


def test_invalid_yaml_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    repo = tmp_path / "repo"
    shutil.copytree(
        ROOT, repo, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "__pycache__", ".*_cache", "bench", "tests")
    )
    target = repo / "playbooks" / "library" / "at-risk.yml"
    target.write_text(target.read_text(encoding="utf-8").replace("owner: cs_manager", "owner: cs_manger", 1), encoding="utf-8")
    out = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "playbooks/library/at-risk.yml:" in proc.stderr and "'cs_manger' is not a known role" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_the_library_is_loaded_once_per_build_and_again_after_an_edit(tmp_path: Path) -> None:
    """Both hooks share one load (cslibrary.model.cache); `mkdocs serve` re-reads a changed YAML file."""
    import os
    import shutil

    from cslibrary.model import cache

    shutil.copytree(ROOT / "playbooks", tmp_path / "playbooks")
    cache.clear()
    first = cache.load(tmp_path)
    assert cache.load(tmp_path) is first
    target = tmp_path / "playbooks" / "library" / "at-risk.yml"
    stat = target.stat()
    target.write_text(target.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = cache.load(tmp_path)
    assert second is not first and second.library.playbooks["at-risk"].title.startswith("Edited ")
    assert second.config["playbooks"]["at-risk"]["title"].startswith("Edited ")
    cache.clear()


def test_the_hook_file_only_hands_events_to_the_plugin() -> None:
    """hooks/ holds no logic: every event MkDocs finds there is a bound method of one LibraryPlugin."""
    from cslibrary.site.plugin import LibraryPlugin
    from tests.conftest import load_hook

    hook = load_hook("playbook_library.py", "playbook_library_hook_under_test")
    events = {name: value for name, value in vars(hook).items() if name.startswith("on_")}
    assert set(events) >= {"on_config", "on_files", "on_page_content", "on_post_build"}
    assert {type(value.__self__) for value in events.values()} == {LibraryPlugin}
    source = (Path(__file__).resolve().parents[2] / "hooks" / "playbook_library.py").read_text(encoding="utf-8")
    assert "def " not in source and "class " not in source and "if " not in source
