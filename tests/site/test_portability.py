"""The site does not depend on one generator's internals.

* The fast path (generated pages lifted out of Markdown, indexed by our own code) and the
  plain path (``extra.library.fast_pages: false``: the same pages through Markdown whole,
  indexed by Material's search plugin) give the same page text, links and search entries.
* ProperDocs, the maintained fork of MkDocs 1.6, builds the shipped library with the same
  result.
* ``python -m cslibrary render OUTDIR --links urls`` writes pages that build as a plain
  MkDocs site with no hooks, and their links land on pages that exist.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import build_site

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = re.compile(r"<article.*?</article>", re.DOTALL)
HREF = re.compile(r'href="([^"]*)"')

pytestmark = pytest.mark.slow


def _article(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    match = ARTICLE.search(text)
    return match.group(0) if match else ""


def _words(article: str) -> str:
    article = re.sub(r"<script.*?</script>", " ", article, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


def _site(site: Path) -> tuple[dict[str, tuple[str, list[str]]], list[tuple[str, str, str]]]:
    """Each page's visible text and in-page links; the search index's entries."""
    pages = {}
    for page in sorted(site.rglob("*.html")):
        article = _article(page)
        links = [h for h in HREF.findall(article) if "/edit/" not in h]
        pages[page.relative_to(site).as_posix()] = (_words(article), links)
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return pages, sorted((d["location"], d["title"], d["text"]) for d in docs)


def _assert_same(expected: Path, actual: Path) -> None:
    pages_a, search_a = _site(expected)
    pages_b, search_b = _site(actual)
    assert sorted(pages_a) == sorted(pages_b)
    differ = [path for path in pages_a if pages_a[path] != pages_b[path]]
    assert not differ, f"{len(differ)} pages differ, first {differ[:5]}"
    assert len(search_a) == len(search_b) and search_a == search_b


@pytest.fixture(scope="module")
def fast_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fast") / "site"
    build_site(out, env={"CS_FAST_PAGES": "true"})
    return out


def test_the_plain_path_gives_the_same_pages_and_search_entries(fast_site: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    build_site(plain, env={"CS_FAST_PAGES": "false"})
    _assert_same(fast_site, plain)


def test_properdocs_builds_the_shipped_library_alike(fast_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "properdocs"
    build_site(out, generator="properdocs")
    _assert_same(fast_site, out)


def test_rendered_pages_build_as_a_plain_mkdocs_site_without_hooks(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    proc = subprocess.run(
        [sys.executable, "-m", "cslibrary", "render", str(docs), "--links", "urls", "--root", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (docs / "index.md").write_text("# Library\n\n[Playbooks](playbooks/index.md)\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Plain\nuse_directory_urls: true\nmarkdown_extensions: [attr_list, md_in_html, tables, toc]\n", encoding="utf-8"
    )
    site = tmp_path / "site"
    build_site(site, cwd=tmp_path, strict=False)
    page = site / "playbooks" / "at-risk" / "index.html"
    assert "At-risk" in page.read_text(encoding="utf-8") or "at-risk" in page.read_text(encoding="utf-8")
    broken = []
    for path in sorted((site / "playbooks").rglob("index.html")):
        for href in HREF.findall(path.read_text(encoding="utf-8")):
            if "://" in href or href.startswith(("#", "mailto:")) or not href:
                continue
            target = (path.parent / href.split("#", 1)[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            generated = target.relative_to(site.resolve()).parts[0] in {"playbooks", "metrics", "segments", "model"}
            if generated and not target.exists():
                broken.append(f"{path.relative_to(site)} -> {href}")
    assert not broken, broken[:10]
