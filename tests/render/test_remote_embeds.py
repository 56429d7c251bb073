"""Markdown fields may link out, never embed: nothing in a field makes the browser load from elsewhere.

Each trick of ``tests/fixtures/hostile/embeds.yml`` (images inline, by reference, behind
entities or brackets; raw ``<img srcset>``, ``<picture>``, ``<iframe>``, ``<video>``,
``<link>``, ``<object>``, ``<svg><image>``, CSS ``url()``…) goes through every way a field
reaches a page: :func:`~cslibrary.render.inline.md_html` and
:func:`~cslibrary.render.inline.md_inline_html` (fields inside the renderer's HTML) and
:func:`~cslibrary.render.escape.md_field` / :func:`~cslibrary.render.escape.md_inline` on a
Markdown page read with ``mkdocs.yml``'s extensions. No element may then load anything that is
not a relative path, and each trick becomes what the fixture says: a link, text, or (a local
image) an image. The same tricks in every text field of the whole library render to pages that
load nothing from elsewhere either. tests/site/test_hostile_library.py opens such a site in
Chromium.
"""

from __future__ import annotations

import html
import html.parser
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from cslibrary.model.calculator_config import config_from_model
from cslibrary.model.loader import load_library
from cslibrary.render import render_pages
from cslibrary.render.escape import disarm_images, md_field, md_inline
from cslibrary.render.inline import md_html, md_inline_html
from tests.conftest import site_markdown_extensions
from tests.render.test_escaping import poisoned_library, to_html

ROOT = Path(__file__).resolve().parents[2]
TRICKS: dict[str, dict[str, Any]] = yaml.safe_load((ROOT / "tests" / "fixtures" / "hostile" / "embeds.yml").read_text(encoding="utf-8"))

#: Attributes with which an element loads something (``href`` only on the elements that load it).
LOADING = {"src", "srcset", "poster", "data", "background", "xlink:href", "imagesrcset", "lowsrc", "dynsrc"}
HREF_LOADS = {"link", "image", "use", "feimage", "script"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.I)
_CSS_URL = re.compile(r"url\s*\(|@import", re.I)


def is_remote(url: str) -> bool:
    """True when the browser would load ``url`` from anywhere but the page's own site (``data:`` aside)."""
    probe = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(html.unescape(url)))
    if _SCHEME.match(probe):
        return not probe.lower().startswith("data:")
    return probe[:2].replace("\\", "/") == "//"


class _Loads(html.parser.HTMLParser):
    """What a piece of HTML would load: every remote URL in a loading attribute, CSS ``url()``, ``<style>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "style":
            self._style = True
        for name, value in a.items():
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if name.endswith("srcset") else [value]
            if (name in LOADING or (name == "href" and tag in HREF_LOADS)) and any(is_remote(u) for u in urls):
                self.remote.append(f"<{tag} {name}={value!r}>")
            if name == "style" and _CSS_URL.search(value):
                self.remote.append(f"<{tag} style={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if self._style and _CSS_URL.search(data):
            self.remote.append(f"<style>{data}</style>")


def loads(text: str) -> _Loads:
    parser = _Loads()
    parser.feed(text)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page_markdown() -> markdown.Markdown:
    names, configs = site_markdown_extensions()
    return markdown.Markdown(extensions=names, extension_configs=configs)


def renderings(value: str, md: markdown.Markdown) -> dict[str, str]:
    """The field as each path to a page renders it."""
    return {
        "md_html": md_html(value),
        "md_inline_html": md_inline_html(value),
        "page": md.reset().convert(md_field(value)),
        "page table cell": md.reset().convert(f"| a |\n|--:|\n| {md_inline(value)} |"),
    }


def test_the_checker_sees_every_trick_when_nothing_is_escaped() -> None:
    """Rendered by Markdown as written (raw HTML kept), every trick but the local image would load from elsewhere."""
    names, configs = site_markdown_extensions()
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    for name, trick in TRICKS.items():
        found = loads(md.reset().convert(trick["markdown"])).remote
        if trick["becomes"] == "image":
            assert not found, name
        elif name not in ("autolink", "attribute_list"):  # an autolink is a link; `{: }` needs a block it can bind to
            assert found, name


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_a_trick_loads_nothing_from_elsewhere(name: str, page_markdown: markdown.Markdown) -> None:
    for where, out in renderings(TRICKS[name]["markdown"], page_markdown).items():
        assert not loads(out).remote, (where, out)


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_a_trick_becomes_what_was_chosen(name: str, page_markdown: markdown.Markdown) -> None:
    """Remote images become links to the same address (alt text as the link text); raw HTML shows as text."""
    trick = TRICKS[name]
    for where in ("md_html", "page"):
        out = renderings(trick["markdown"], page_markdown)[where]
        parsed = loads(out)
        tags = {tag for tag, _ in parsed.tags}
        images = [a.get("src", "") for tag, a in parsed.tags if tag == "img"]
        links = [a.get("href", "") for tag, a in parsed.tags if tag == "a"]
        if trick["becomes"] == "link":
            assert any("tracker.example.com" in html.unescape(h) for h in links), (where, out)
            assert not any("tracker.example.com" in html.unescape(s) for s in images), (where, out)
        elif trick["becomes"] == "text":
            assert tags <= {"p", "code", "div", "table", "thead", "tbody", "tr", "th", "td"}, (where, out)
            assert "&lt;" in out or "&#123;" in out, (where, out)
        else:
            assert images and all(not is_remote(s) for s in images), (where, out)


def test_remote_images_become_links_with_their_alt_text() -> None:
    assert md_html("![Tracking pixel](https://tracker.example.com/p.png)") == (
        '<p><a href="https://tracker.example.com/p.png">Tracking pixel</a></p>'
    )
    assert md_html("![x][r]\n\n[r]: https://tracker.example.com/r.png") == '<p><a href="https://tracker.example.com/r.png">x</a></p>'
    assert md_inline_html("See ![chart](//tracker.example.com/c.png)") == 'See <a href="//tracker.example.com/c.png">chart</a>'
    assert md_html("Wow!![a](https://t.example/a.png)") == '<p>Wow!<a href="https://t.example/a.png">a</a></p>'


def test_local_images_stay_images() -> None:
    assert md_html("![Logo](../img/logo.png)") == '<p><img alt="Logo" src="../img/logo.png"></p>'
    assert md_html('![Logo](/img/logo.png "The logo")') == '<p><img alt="Logo" src="/img/logo.png" title="The logo"></p>'
    assert md_inline_html("A ![dot](dot.svg) B") == 'A <img alt="dot" src="dot.svg"> B'


def test_raw_html_shows_as_text() -> None:
    assert md_html('<img src="https://tracker.example.com/p.png">') == '<p>&lt;img src="https://tracker.example.com/p.png"&gt;</p>'
    assert md_inline_html("<iframe src=https://t.example/f>") == "&lt;iframe src=https://t.example/f&gt;"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no image here", "no image here"),
        ("![a](b.png)", "![a](b.png)"),
        ("![a](https://x.org/b.png)", "[a](https://x.org/b.png)"),
        ('![a](b.png "t") ![c](//x.org/d)', '![a](b.png "t") [c](//x.org/d)'),
        ("![a][r]", "[a][r]"),
        ("![a]", "[a]"),
        ("!![a](//x)", "\\![a](//x)"),
        ("\\![a](//x)", "\\![a](//x)"),  # an escaped `!`: no image, left alone
        ("\\\\![a](//x)", "\\\\[a](//x)"),  # an escaped backslash, then an image
        ("![a](b c.png)", "[a](b c.png)"),  # a space in the target: unclear, so a link
        ("![a](x:y.png)", "[a](x:y.png)"),  # any scheme
        ("![a `b`](c.png)", "[a `b`](c.png)"),  # a backtick in the alt text
    ],
)
def test_disarm_images(text: str, expected: str) -> None:
    assert disarm_images(text) == expected


def test_every_text_field_of_the_library_loads_nothing_from_elsewhere(page_markdown: markdown.Markdown) -> None:
    """All the tricks at once in every text field (titles and ids too) of every page the renderer writes."""
    library = load_library(ROOT)
    payload = "\n\n".join(t["markdown"] for t in TRICKS.values())
    pages = render_pages(poisoned_library(library, payload), config_from_model(library), edit_base="https://github.com/o/r/edit/main/")
    checked = 0
    for page in pages:
        if page.kind != "page":
            continue
        out = to_html(page, page_markdown)
        assert not loads(out).remote, page.path
        checked += "tracker.example.com" in out
    assert checked > 20
