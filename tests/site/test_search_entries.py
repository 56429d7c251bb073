"""cslibrary.site.search gives exactly the entries Material's search plugin would.

Every case runs both: ours, and Material's ``SearchIndex.add_entry_from_context`` (its HTMLParser-based
``Parser`` + ``create_entry_for_section``) on a tiny fake page. Real article bodies (``page.content``) of
the built site live in ``tests/fixtures/search/``.
"""

from __future__ import annotations

import ast
import html
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]

from cslibrary.site import search as module
from cslibrary.site.search import Section, page_sections, search_entries

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "search"
URL, TITLE = "playbooks/adoption/", "Page title"


def material(
    content: str, url: str = URL, title: str = TITLE, toc_urls: dict[str, str] | None = None, tags: list[str] | None = None
) -> list[dict[str, Any]]:
    """Material's entries for a page with this content, toc (flat) and tags front matter."""
    index = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    toc = [SimpleNamespace(id=i, url=u, children=[]) for i, u in (toc_urls or {}).items()]
    meta = {} if tags is None else {"tags": tags}
    index.add_entry_from_context(SimpleNamespace(content=content, toc=toc, url=url, title=title, meta=meta))
    entries: list[dict[str, Any]] = index.entries
    return entries


def outcome(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The result, or the exception type: Material itself raises on some mis-nested input."""
    try:
        return function(*args, **kwargs)
    except ValueError as error:
        return type(error)


def assert_same(content: str, toc_urls: dict[str, str] | None = None, tags: list[str] | None = None) -> None:
    ours = outcome(search_entries, content, URL, TITLE, toc_urls, tags or ())
    assert ours == outcome(material, content, URL, TITLE, toc_urls, tags)


def toc_of(content: str) -> dict[str, str]:
    return {i: f"#{i}" for i in re.findall(r'<h[1-6][^>]* id="([^"]*)"', content)}


# --- real pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.stem)
def test_real_article_bodies_give_materials_entries(path: Path) -> None:
    content = path.read_text(encoding="utf-8")
    entries = search_entries(content, URL, TITLE, toc_of(content), ["Category: Operational", "Stage: Value"])
    assert len(entries) > 1
    assert entries == material(content, URL, TITLE, toc_of(content), ["Category: Operational", "Stage: Value"])
    assert search_entries(content, URL, TITLE) == material(content)


def test_fixtures_cover_the_page_kinds() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in FIXTURES.glob("*.html"))
    for needle in ('class="headerlink"', "<table>", "task-list-item", "<pre>", "<details", "<svg", "&amp;", '<p class="cs-crumb">'):
        assert needle in text, needle
    assert all(p.stat().st_size < 30_000 for p in FIXTURES.glob("*.html"))


# --- every rule, one small page each -----------------------------------------------------------------------

H1 = '<h1 id="title">Title<a class="headerlink" href="#title" title="Permanent link">&para;</a></h1>\n'
CASES = {
    "permalink dropped from title": H1
    + '<p>Intro</p>\n<h2 id="a">A <code>x</code><a class="headerlink" href="#a">&para;</a></h2>\n<p>t</p>',
    "preface before h1": '<p class="cs-crumb"><a href="../">Library</a> › Ops</p>\n' + H1 + "<p>body</p>",
    "h2 before any section": '<h2 id="first">First</h2><p>x</p><h3 id="second">Second</h3><p>y</p>',
    "h1 without id is text": "<h1>Plain</h1><p>x</p>",
    "heading without id is not a section": H1 + '<h2 id="a">A</h2><p>x</p><h3>sub</h3><p>y</p><h2>same tag</h2><p>z</p>',
    "only a permalink: page title": '<h1 id="t"><a class="headerlink" href="#t">&para;</a></h1><p>x</p>',
    "whitespace-only title": '<h1 id="t"> <a class="headerlink" href="#t">&para;</a></h1><p>x</p>',
    "nested divs": H1
    + '<div class="admonition"><p class="admonition-title">Note</p>\n<div>\n<h2 id="in">In</h2>\n<p>inner</p>\n</div>\n<p>after inner</p>\n</div>\n<p>after outer</p>\n<h2 id="out">Out</h2>',
    "heading in div, nothing before": '<div><h2 id="a">A</h2><p>x</p></div><p>back</p>',
    "back to a section as deep as the closed element": H1
    + '<div><h2 id="a">A</h2><p>x</p><div><h3 id="b">B</h3><p>y</p></div><p>back in a</p></div><p>after</p>',
    "table": H1
    + "<table>\n<thead><tr><th>When</th><th>Action</th></tr></thead>\n<tbody>\n<tr><td><strong>Day 0</strong></td><td>Call</td></tr>\n<tr><td></td><td>x</td></tr>\n</tbody>\n</table>",
    "task list": H1
    + '<ul class="task-list">\n<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled checked/><span class="task-list-indicator"></span></label> Done</li>\n<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled/><span class="task-list-indicator"></span></label> Open</li>\n</ul>',
    "kept and dropped tags": H1
    + '<p>a <strong>b</strong> <em>c</em> <a href="x">d</a> H<sub>2</sub>O x<sup>2</sup> <span class="k">e</span> <code>f()</code></p><ol><li>1</li></ol>',
    "empty kept elements": H1 + "<p></p>\n<p>  </p><p>x</p><p></p><ul>\n<li></li>\n</ul><ul><li><p></p></li></ul>",
    "empty first p in a section": H1 + '<h2 id="a">A</h2><p></p><p>x</p><h2 id="b">B</h2><p>y</p><p> </p>',
    "entities": H1 + "<p>a &amp; b &lt;c&gt; &#39;q&#39; &quot;d&quot; &copy; &nbsp; &#x27;x&#x27; AT&amp;T</p><p>&nbsp;</p>",
    "data-search-exclude": H1 + '<div data-search-exclude><p>hidden</p></div><p>shown</p><p data-search-exclude="">gone</p><p>kept</p>',
    "exclusion goes by tag name": H1 + "<div data-search-exclude><div>x</div><p>leaks</p></div><div><p>inside a div</p></div>",
    "excluded heading drops its section": H1 + '<h2 id="a" data-search-exclude>A</h2><p>x</p><h2 id="b">B</h2><p>y</p>',
    "linenodiv": H1 + '<table><tr><td class="linenodiv"><pre>1\n2</pre></td><td><pre><code>code\n  here</code></pre></td></tr></table>',
    "script style object": H1
    + '<script>var a = "<p>x</p>"; if (a < b) {}</script><style>p > a { color: red }</style><object><p>obj</p></object><p>after</p><script/>',
    "pre whitespace": H1 + "<pre><code>line 1\n\n    indented &lt;tag&gt;\n\tTab</code></pre>\n\n<p>a\nb   c\t d</p>\n\n\n<p>e</p>",
    "highlighted pre": H1
    + '<pre><code><span class="k">def</span><span class="w"> </span>f():\n<span class="w">    </span>\n<span class="w">  </span>pass</code></pre>',
    "whitespace between blocks": H1 + "<p>a</p>\n \n<p>b</p> <p> c </p>\n<ul>\n<li>x</li>\n<li>y</li>\n</ul>",
    "comments and doctype": "<!DOCTYPE html>" + H1 + "<!-- c <p>no</p> --><p>a<!--x-->b</p><?pi x?>",
    "void and self-closing tags": H1 + "<p>a<br>b<br/>c<img src='x.png' alt=\"i\">d<hr>e<span/>f</p>",
    "attribute with > and quotes": H1 + '<p title="a > b" data-x=\'c > d\'>text</p><h2 id="q" title=">">Q</h2><p>y</p>',
    "attribute entities in id": H1 + '<h2 id="a&amp;b">A</h2><p>x</p>',
    "uppercase tags": H1 + '<P>Upper</P><H2 ID="up">Up</H2><UL><LI>x</LI></UL>',
    "uppercase attribute names": H1
    + '<DIV DATA-Search-Exclude><p>hidden</p></DIV><p>shown</p><h2 id="u">U<A Class="headerlink" href="#u">&para;</A></h2><pre CLASS=linenodiv>1</pre>',
    "entities in class values": H1
    + '<h2 id="e">E<a class="header&#108;ink" href="#e">&para;</a></h2><td class="linen&#111;div"><pre>1</pre></td>',
    "text before any tag": "lead text\n" + H1 + "<p>x</p>",
    "leading newline before h1": "\n" + H1 + "<p>x</p>",
    "mismatched end tag ignored": H1 + "<p>a</span>b</p></div><p>c</p>",
    "svg icon": H1 + '<p><span class="twemoji"><svg viewBox="0 0 24 24"><path d="M1 2h3z"/></svg></span> icon</p>',
    "details": H1 + '<details class="note">\n<summary>More</summary>\n<p>hidden-ish</p>\n</details>',
    "empty page": "",
    "text only": "just text &amp; more",
    "heading code in title": H1 + '<h2 id="c"><code>run()</code> and <code></code></h2><p>x</p>',
}


@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
def test_rules_match_material(content: str) -> None:
    assert_same(content)
    assert_same(content, toc_of(content), ["Tag", "Other tag"])


def test_sections_as_material_gives_them() -> None:
    content = CASES["preface before h1"] + '\n<h2 id="s">S <code>x</code><a class="headerlink" href="#s">&para;</a></h2>\n<p>a &amp;\nb</p>'
    assert page_sections(content) == [
        Section(None, "", "<p>Library › Ops</p>"),
        Section("title", "Title", "<p>body</p>"),
        Section("s", "S <code>x</code>", "<p>a &amp; b</p>"),
    ]


def test_location_uses_the_toc_url_and_tags_like_material() -> None:
    content = H1 + '<h2 id="a">A</h2><p>x</p><h2 id="b">B</h2>'
    entries = search_entries(content, URL, TITLE, {"a": "#custom-a"}, ["x", "", "y"])
    assert [e["location"] for e in entries] == [URL, URL + "#custom-a", URL + "#b"]
    assert entries[0]["tags"] == ["x", "y"]
    assert entries == material(content, URL, TITLE, {"a": "#custom-a"}, ["x", "", "y"])
    assert "tags" not in search_entries(content, URL, TITLE)[0]


def test_boost_goes_into_every_entry_like_material() -> None:
    """Front matter ``search: boost:`` is copied into each of the page's entries, as Material does (its
    search multiplies the page's scores by it); no boost, no key."""
    content = H1 + '<p>x</p><h2 id="a">A</h2><p>y</p>'
    index = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    meta = {"tags": ["t"], "search": {"boost": 0.5}}
    index.add_entry_from_context(SimpleNamespace(content=content, toc=[], url=URL, title=TITLE, meta=meta))
    ours = search_entries(content, URL, TITLE, tags=["t"], boost=0.5)
    assert ours == index.entries
    assert [e["boost"] for e in ours] == [0.5, 0.5]
    assert all("boost" not in e for e in search_entries(content, URL, TITLE)) and all("boost" not in e for e in material(content))


def test_also_known_as_headings_are_entries_of_their_own_like_material() -> None:
    """The block under a title (partials/also-known-as.html): each small heading is an entry whose title holds
    the words, and what follows the block belongs to the page's first section again."""
    content = (
        H1
        + "<p>Summary.</p>\n"
        + '<div class="cs-aka cs-links">\n<h6 id="cs-also-known-as">Also known as: upsell · cross-sell</h6>\n'
        + '<h6 id="cs-questions">Questions this answers: How do I upsell a customer? · When is an account ready?</h6>\n</div>\n'
        + '<div class="admonition abstract cs-card">\n<p class="admonition-title">At a glance</p>\n<ul><li>Owner</li></ul>\n</div>\n'
        + '<h2 id="steps">Steps</h2><p>z</p>'
    )
    entries = search_entries(content, URL, TITLE, toc_of(content), ["Stage: Expansion"])
    assert entries == material(content, URL, TITLE, toc_of(content), ["Stage: Expansion"])
    assert [(e["location"], e["title"]) for e in entries] == [
        (URL, "Title"),
        (URL + "#cs-also-known-as", "Also known as: upsell · cross-sell"),
        (URL + "#cs-questions", "Questions this answers: How do I upsell a customer? · When is an account ready?"),
        (URL + "#steps", "Steps"),
    ]
    assert "At a glance" in str(entries[0]["text"]) and entries[1]["text"] == entries[2]["text"] == ""


def test_module_uses_the_standard_library_only() -> None:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


# --- property: random nestings of the supported markup -------------------------------------------------------

ENTITIES = ("&amp;", "&lt;", "&gt;", "&#39;", "&quot;", "&nbsp;", "&copy;", "&#x27;", "&para;")
raw_text = st.text(alphabet="ab <>&\"'\n\t \xa0é", max_size=8).map(lambda s: html.escape(s, quote=False))
text = st.lists(st.one_of(raw_text, st.sampled_from(ENTITIES), st.sampled_from(("\n", " ", "  \n  ", ""))), max_size=4).map("".join)
ids = st.sampled_from(("a", "b", "c", "d-e", ""))
void = st.sampled_from(("<br>", "<br/>", '<img src="x" alt="y">', "<hr>", '<input type="checkbox" disabled checked/>', "<wbr>"))
inline_tags = ("span", "strong", "em", "code", "sub", "sup", "a")


def element(tag: str, attrs: str = "") -> Callable[[list[str]], str]:
    return lambda children: f"<{tag}{attrs}>{''.join(children)}</{tag}>"


inline = st.recursive(
    st.one_of(text, void, st.just("<!-- note -->"), st.just('<a class="headerlink" href="#x">&para;</a>')),
    lambda inner: st.one_of(
        st.builds(lambda tag, children: element(tag)(children), st.sampled_from(inline_tags), st.lists(inner, max_size=3)),
        st.builds(element("span", ' data-search-exclude=""'), st.lists(inner, max_size=2)),
    ),
    max_leaves=8,
)


@st.composite
def heading(draw: st.DrawFn) -> str:
    level = draw(st.integers(min_value=1, max_value=6))
    attrs = draw(st.sampled_from(("", ' id="{}"', ' id="{}" data-search-exclude', ' id="{}" class="x"'))).format(draw(ids))
    permalink = draw(st.sampled_from(("", '<a class="headerlink" href="#x" title="Permanent link">&para;</a>')))
    return f"<h{level}{attrs}>{''.join(draw(st.lists(inline, max_size=3)))}{permalink}</h{level}>"


def blocks(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def items(tag: str, child: str) -> st.SearchStrategy[str]:
        return st.lists(inner, max_size=3).map(lambda cs: f"<{tag}>" + "".join(f"<{child}>{c}</{child}>\n" for c in cs) + f"</{tag}>")

    div_attrs = st.sampled_from(("", ' class="admonition"', " data-search-exclude", ' class="linenodiv"'))
    return st.one_of(
        st.builds(lambda a, cs: f"<div{a}>\n" + "\n".join(cs) + "\n</div>", div_attrs, st.lists(inner, max_size=3)),
        items("ul", "li"),
        items("ol", "li"),
        st.builds(lambda cs: "<table><tr>" + "".join(f"<td>{c}</td>" for c in cs) + "</tr></table>", st.lists(inner, max_size=3)),
        st.builds(element("p"), st.lists(inline, max_size=3)),
        st.builds(element("details"), st.lists(inner, max_size=2)),
        st.builds(element("object"), st.lists(inner, max_size=2)),
    )


leaf_blocks = st.one_of(
    heading(),
    st.builds(element("p"), st.lists(inline, max_size=4)),
    st.builds(
        lambda ts: f"<pre><code>{''.join(ts)}</code></pre>",
        st.lists(st.one_of(text, st.builds(element("span"), st.lists(text, max_size=2))), max_size=4),
    ),
    st.sampled_from(("<script>if (a < b) { x = '</p>'; }</script>", "<style>p > a {}</style>", "<p></p>", "\n", " ")),
    inline,
)
page = st.lists(st.one_of(heading(), st.recursive(leaf_blocks, blocks, max_leaves=10)), max_size=10).map("\n".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page, st.sampled_from((None, ["Tag"])))
def test_random_markup_matches_material(content: str, tags: list[str] | None) -> None:
    assert_same(content, toc_of(content) if tags is None else None, tags)


# --- the fast split and the exact tokenizer agree ------------------------------------------------------------

# Pages split at "<" and then at the first ">", with tokens and pieces remembered across pages; a piece
# that is not what the exact tokenizer (_TOKEN) finds there sends the page to it. These cases need it.
FALLBACK_CASES = {
    "< and > in text": H1 + "<p>1 < 2 and 3 > 2</p><p>a > b</p>",
    "< before a tag": H1 + "<p>x <y <b>z</b></p><y >w</y>",
    "< before the end of a tag": H1 + "<p>a</p><p>b <p c</p>",
    "unterminated < at the end": H1 + "<p>x</p> <p",
    "> in a comment": H1 + "<p>a<!-- x > y -->b</p>",
    "< in a comment": H1 + "<p>a<!-- <p>c</p> -->b</p>",
    "> and < in a heading's attributes": H1 + "<h2 id=\"a>b\" title='<x>'>A</h2><p>x</p>",
    "lone < and >": H1 + "<p><></p><p>< p></p>",
    "script with a heading in a string": H1 + '<script>x = "<h2 id=\'no\'>"</script><h2 id="yes">Y</h2><p>p</p>',
    "upper-case style and script": H1 + "<STYLE>p > a {}</STYLE><p>after</p><Script>1<2</Script><p>z</p>",
}


@pytest.mark.parametrize("content", FALLBACK_CASES.values(), ids=FALLBACK_CASES.keys())
def test_pages_the_fast_split_cannot_take_match_material(content: str) -> None:
    assert_same(content)
    assert_same(content, toc_of(content), ["Tag"])


def test_a_remembered_token_is_not_taken_for_a_piece_without_its_end() -> None:
    search_entries(H1 + "<p>x</p><y >a</y>", URL, TITLE)  # remembers the token "y "
    assert_same(H1 + "<p>x <y <b>z</b></p>")  # "<y " is text here: no > before the next <


def sections_of(content: str, exact: bool) -> object:
    try:
        parts = module._parse(content, exact=exact)
    except ValueError as error:
        return type(error)
    return [(p.tag, p.depth, p.id, p.excluded, p.title, p.text) for p in parts]


fragments = st.sampled_from(
    (
        *("<p>", "</p>", "<y >", "<y ", "y", "<b>", "</b>", "<li>", "</li>", "<pre>", "</pre>", "<br/>", "<span/>"),
        *('<h2 id="a">', "<h2 id=", '"x>y"', "</h2>", '<h3 id="b">', "</h3>", '<a class="headerlink">', "</a>"),
        *("<div data-search-exclude>", "<div>", "</div>", "<script>", "</script>", "<style>", "</style>"),
        *("<!--", "-->", "--", "<!-- > -->", "<!-->", "<!--->", "<!", "<?", "<", ">", "/", "=", '"', "'", " ", "\n", "a"),
        *("&amp;", "&lt;"),
    )
)


@settings(max_examples=500, deadline=None)
@given(st.lists(fragments, max_size=30).map("".join))
def test_fast_split_gives_what_the_exact_tokenizer_gives(content: str) -> None:
    assert sections_of(content, exact=False) == sections_of(content, exact=True)
