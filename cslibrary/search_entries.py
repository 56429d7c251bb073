"""Search-index entries for generated pages, without an HTML parser.

Material's search plugin (9.x) feeds every page through an ``html.parser.HTMLParser`` subclass (``Parser``)
and makes an entry per section (``SearchIndex.create_entry_for_section``); at thousands of generated pages
that dominates the build. Generated pages are left out of it and indexed here instead: a regex tokenizer
over tags plus a small state machine that reproduces Parser's rules, quirks included.

- Tokens: tags (names lower-cased), comments/declarations (ignored; they only split text) and the text
  between them, entity-decoded as a whole (``html.unescape``, as ``convert_charrefs=True`` does). The content
  of ``<script>``/``<style>`` is raw text up to its end tag. Void tags (br, img, input, hr, …) are ignored.
  An end tag that does not close the innermost open element is ignored; ``<x/>`` is start + end.
- Sections: every h1-h6 with an ``id`` starts one. The first section has no id (location = page url); an
  h2-h6 before any section first creates an empty preface section; any tag or text before the first heading
  creates a preface too. A heading nested in elements ends its section when its parent closes; text after
  that goes back to the latest section at most that deep (the exited section is never resumed).
- Skipping: the contents of script, style, object, and of an element with a ``data-search-exclude``
  attribute or ``class="linenodiv"`` are dropped. Like Material, exclusion goes by tag name: inside an
  excluded ``<div>`` every div is skipped and the first ``</div>`` ends the exclusion. A heading with
  ``data-search-exclude`` drops its section.
- Title: text inside an element named like the section's heading, except inside ``<a class="headerlink">``
  (the permalink ¶). Text: everything else. Only p, code, pre, li, ol, ul, sub, sup are kept as bare
  ``<tag>``/``</tag>``; a closing tag is dropped, together with everything from the *first* ``<tag>`` of the
  section on, when nothing but whitespace follows that first ``<tag>`` (so only an empty first one goes).
- Whitespace (outside ``<pre>``): a whitespace-only text run becomes one space, otherwise newlines become
  spaces; in the text, a space never follows another whitespace item. Text is ``html.escape(quote=False)``.
- Entries: ``{"location", "title", "text"[, "tags"]}``; location is ``url + toc_urls[id]`` when the id is in
  the toc, else ``url#id``; a section without title falls back to the page title; title and text are
  joined and stripped.

Known differences, all for markup our renderer does not write: a ``<`` that starts no tag (``a < b``,
``</ x>``) is one text run here but separate chunks in HTMLParser (whitespace collapsing can differ next to
it); unterminated tags, comments or ``<script>``; a ``<script>``/``<style>`` start tag inside a comment or an
attribute value; an unquoted attribute value ending in ``/`` (``<a href=x/>``). Material's list-valued but
empty ``tags`` front matter gives ``"tags": []``, ``tags=()`` here gives no key. Chinese segmentation
(jieba), ``search.boost`` and ``search.exclude`` are left to the caller. Mis-nested kept tags make
Material's ``list.index`` raise ValueError; so does this module.

>>> html = '<h1 id="t">T<a class="headerlink" href="#t">&para;</a></h1>\\n<p>a &amp; b</p>\\n<h2 id="s">S</h2><p></p>'
>>> search_entries(html, "p/", "Page", tags=["x"])  # doctest: +NORMALIZE_WHITESPACE
[{'location': 'p/', 'title': 'T', 'text': '<p>a &amp; b</p>', 'tags': ['x']},
 {'location': 'p/#s', 'title': 'S', 'text': '', 'tags': ['x']}]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape

__all__ = ["Section", "page_sections", "search_entries"]

_TOKEN = re.compile(
    r"""<(?:(/?)([a-zA-Z][^\t\n\r\f />\x00]*+)([^>"']*+(?:(?:"[^"]*"|'[^']*')[^>"']*+)*+)>|(?:!--.*?--\s*|[!?][^>]*)>)""", re.S
)
_ATTR = re.compile(r"""([^\s/>=][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")
_CDATA = re.compile(r"""(<(script|style)(?:\s(?:[^>"']++|"[^"]*"|'[^']*')*+)?(?<!/)>).*?(?=</\s*\2\s*>)""", re.I | re.S)
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"))
_KEEP = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))  # written as bare <tag> … </tag>
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_ALWAYS_SKIPPED = frozenset(("object", "script", "style"))


@dataclass(frozen=True)
class Section:
    id: str | None  # heading id; None for the page's first section (h1/preface)
    title: str  # heading text as Material gives it (escaped, permalink dropped, kept tags)
    text: str  # the section's text as Material gives it


class _Part:
    """A section under construction (Material's Parser ``Section``)."""

    __slots__ = ("depth", "excluded", "id", "tag", "text", "title")

    def __init__(self, tag: str, depth: float, id: str | None = None, excluded: bool = False) -> None:
        self.tag, self.depth, self.id, self.excluded = tag, depth, id, excluded
        self.title: list[str] = []
        self.text: list[str] = []


def _attrs(source: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name, rest, value in _ATTR.findall(source):
        if not rest:
            found[name.lower()] = None
            continue
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        found[name.lower()] = unescape(value) if "&" in value else value
    return found


def _parse(html: str) -> list[_Part]:
    parts: list[_Part] = []
    sec: _Part | None = None
    stack: list[str] = []  # open elements (tag names): Material's ``context``
    links: list[int] = []  # stack depths of open <a class="headerlink">
    skip = set(_ALWAYS_SKIPPED)  # tag names whose contents are skipped
    isdisjoint, push = skip.isdisjoint, stack.append
    html = _CDATA.sub(r"\1", html)  # script/style content is raw text, always skipped: drop it
    pieces: list[str | None] = _TOKEN.split(html)
    pieces += (None, None, None)
    for data, slash, name, rest in zip(pieces[0::4], pieces[1::4], pieces[2::4], pieces[3::4], strict=True):
        if data and isdisjoint(stack):  # ---- text run (Material's handle_data)
            if "&" in data:
                data = unescape(data)
            if sec is None:
                sec = _Part("hx", 0)
                parts.append(sec)
            pre = "pre" in stack
            if data.isspace():
                if not pre:
                    data = " "
                if sec.tag in stack:
                    if not links:
                        sec.title.append(data)
                elif pre or not sec.text or not sec.text[-1].isspace():
                    sec.text.append(data)
            else:
                if not pre:
                    data = data.replace("\n", " ")
                if "&" in data or "<" in data or ">" in data:
                    data = escape(data, quote=False)
                if sec.tag not in stack:
                    sec.text.append(data)
                elif not links:
                    sec.title.append(data)
        if not name:  # comment, declaration, processing instruction, end of input
            continue
        tag = name.lower()
        if not slash:  # ---- start tag (Material's handle_starttag)
            if tag in _VOID:
                continue
            push(tag)
            special = tag in _HEADINGS or (rest and ("data-search-exclude" in rest or "linenodiv" in rest or "headerlink" in rest))
            attrs = _attrs(rest or "") if special else None
            if attrs and tag in _HEADINGS and "id" in attrs:
                depth = len(stack)
                if tag != "h1" and not parts:
                    parts.append(_Part("hx", depth))
                sec = _Part(tag, depth, attrs["id"] if parts else None, "data-search-exclude" in attrs)
                parts.append(sec)
            if sec is None:
                sec = _Part("hx", 0)
                parts.append(sec)
            if attrs and tag == "a" and attrs.get("class") == "headerlink":
                links.append(len(stack))
            if attrs and ("data-search-exclude" in attrs or attrs.get("class") == "linenodiv"):
                skip.add(tag)
            elif tag in _KEEP and isdisjoint(stack):
                (sec.title if sec.tag in stack else sec.text).append(f"<{tag}>")
            if not rest or rest[-1] != "/":
                continue
        # ---- end tag (Material's handle_endtag)
        if not stack or stack[-1] != tag or sec is None:
            continue
        if sec.depth > len(stack):
            for previous in reversed(parts):
                if previous.depth <= len(stack):
                    sec.depth, sec = float("inf"), previous
                    break
        stack.pop()
        if links and links[-1] > len(stack):
            links.pop()
        if tag in skip:
            if tag not in _ALWAYS_SKIPPED:
                skip.discard(tag)
            continue
        if tag in _KEEP and isdisjoint(stack):
            out = sec.title if sec.tag in stack else sec.text
            first = out.index(f"<{tag}>")  # the section's first <tag>, as Material does
            last = len(out) - 1
            while last > first and out[last].isspace():
                last -= 1
            if last > first:
                out.append(f"</{tag}>")
            else:
                del out[first:]
    return parts


def page_sections(html: str) -> list[Section]:
    """The sections Material's search would index for ``html`` (excluded ones left out); a heading without
    text has title "" (``search_entries`` puts the page title there unless the heading held whitespace)."""
    return [Section(p.id, "".join(p.title).strip(), "".join(p.text).strip()) for p in _parse(html) if not p.excluded]


def search_entries(
    html: str, url: str, title: str, toc_urls: Mapping[str, str] | None = None, tags: Sequence[str] = ()
) -> list[dict[str, object]]:
    """Entries exactly in the shape Material's create_entry_for_section makes: {"location", "title", "text"[, "tags"]}.

    ``title`` is what Material falls back to (``page.meta.get("title", page.title)``); ``tags`` the page's
    tags (front matter); none gives no "tags" key.
    """
    toc = toc_urls or {}
    names = [str(name) for name in tags if name and isinstance(name, str | int | float | bool)]
    entries: list[dict[str, object]] = []
    for p in _parse(html):
        if not p.excluded:
            location = url + toc[p.id] if p.id is not None and p.id in toc else url + "#" + p.id if p.id else url
            entry: dict[str, object] = {"location": location, "title": "".join(p.title or [title]).strip(), "text": "".join(p.text).strip()}
            if tags:
                entry["tags"] = list(names)
            entries.append(entry)
    return entries
