"""Search-index entries for generated pages, without an HTML parser.

Material's search plugin (9.x) feeds every page through an ``html.parser.HTMLParser`` subclass (``Parser``)
and makes an entry per section (``SearchIndex.create_entry_for_section``); at thousands of generated pages
that dominates the build. Generated pages are left out of it and indexed here instead: tags and text split
apart (the page cut at every ``<`` and the next ``>``; pages where that is not exact go through a regex
tokenizer), what each distinct tag does worked out once for all pages, and a small state machine that
reproduces Parser's rules, quirks included.

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
- Entries: ``{"location", "title", "text"[, "tags"][, "boost"]}``; location is ``url + toc_urls[id]`` when
  the id is in the toc, else ``url#id``; a section without title falls back to the page title; title and
  text are joined and stripped; every entry of a page carries its tags and its ``search: boost:``.

Known differences, all for markup our renderer does not write: a ``<`` that starts no tag (``a < b``,
``</ x>``) is one text run here but separate chunks in HTMLParser (whitespace collapsing can differ next to
it); unterminated tags, comments or ``<script>``; a ``<script>``/``<style>`` start tag inside a comment or an
attribute value; an unquoted attribute value ending in ``/`` (``<a href=x/>``). Material's list-valued but
empty ``tags`` front matter gives ``"tags": []``, ``tags=()`` here gives no key; a ``search: boost:`` that
is present but null gives ``"boost": null`` there, ``boost=None`` here gives no key. Chinese segmentation
(jieba) and ``search.exclude`` are left to the caller. Mis-nested kept tags make Material's ``list.index``
raise ValueError; so does this module.

>>> html = '<h1 id="t">T<a class="headerlink" href="#t">&para;</a></h1>\\n<p>a &amp; b</p>\\n<h2 id="s">S</h2><p></p>'
>>> search_entries(html, "p/", "Page", tags=["x"])  # doctest: +NORMALIZE_WHITESPACE
[{'location': 'p/', 'title': 'T', 'text': '<p>a &amp; b</p>', 'tags': ['x']},
 {'location': 'p/#s', 'title': 'S', 'text': '', 'tags': ['x']}]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from typing import NamedTuple

__all__ = ["Section", "page_sections", "search_entries"]

_TOKEN = re.compile(  # a tag, comment or declaration; the group is what lies between < and >
    r"""<(/?[a-zA-Z][^\t\n\r\f />\x00]*+[^>"']*+(?:(?:"[^"]*"|'[^']*')[^>"']*+)*+|!--.*?--\s*|[!?][^>]*)>""", re.S
)
# What lies between a < and the next > (no < in between) is _TOKEN's group there exactly when it matches this.
_SIMPLE = re.compile(r"""/?[a-zA-Z][^\t\n\r\f />\x00]*+[^"']*+(?:(?:"[^"]*"|'[^']*')[^"']*+)*+|!--.*--\s*|(?!!--)[!?].*""", re.S)
_TAG = re.compile(r"(/?)([^\t\n\r\f />\x00]+)(.*)", re.S)  # a tag token: slash, name, attributes
_ATTR = re.compile(r"""([^\s/>=][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")
_CDATA = re.compile(r"""(<(script|style)(?:\s(?:[^>"']++|"[^"]*"|'[^']*')*+)?(?<!/)>).*?(?=</\s*\2\s*>)""", re.I | re.S)
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"))
_KEEP = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))  # written as bare <tag> … </tag>
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_ALWAYS_SKIPPED = frozenset(("object", "script", "style"))
_TRACKED = _HEADINGS | _ALWAYS_SKIPPED | {"hx", "pre"}  # elements whose push or pop can change how text is taken


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


class _Start(NamedTuple):
    """A start tag's attributes, as far as they matter."""

    heading: bool  # h1-h6 with an id: starts a section
    id: str | None
    search_exclude: bool  # data-search-exclude (leaves out a heading's section)
    skipped: bool  # data-search-exclude or class="linenodiv": the element's contents are skipped
    headerlink: bool  # <a class="headerlink">: the permalink, never part of a title
    self_closing: bool  # <x/>: start + end


# The kinds of token. _OPEN and _CLOSE are a start and an end tag of an element whose push or pop changes
# nothing else (not tracked, no attribute that matters); _START and _END are the other tags.
_IGNORED, _OPEN, _START, _CLOSE, _END = range(5)
_Token = tuple[int, str, str, str, _Start]  # kind, tag name, "<tag>" and "</tag>" if kept (else ""), attributes
_Piece = tuple[int, str, str, str, _Start, str, bool]  # a _Token, the text after it and True: it is blank
_NO_ATTRS = _Start(False, None, False, False, False, False)
_IGNORED_TOKEN: _Token = (_IGNORED, "", "", "", _NO_ATTRS)
# Shared by all pages (they repeat most tags): token text (between < and >) -> _Token, and piece ("token>text"
# where the text is whitespace or empty) -> _Piece. Only what the fast split vouches for goes in.
_TOKENS: dict[str, _Token] = {"!": _IGNORED_TOKEN}
_PIECES: dict[str, _Piece] = {}


class _Exact(Exception):
    """The page needs the exact tokenizer: a token the fast split cannot vouch for, or a <script>/<style>."""


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


def _classify(text: str) -> _Token:
    """What the token ``<text>`` (a _TOKEN) does."""
    match = _TAG.fullmatch(text)
    if text[0] in "!?" or match is None:  # comment, declaration, processing instruction
        return _IGNORED_TOKEN
    slash, name, rest = match.groups()
    name = sys.intern(name.lower())
    opening, closing = (f"<{name}>", f"</{name}>") if name in _KEEP else ("", "")
    if slash:
        return _END if name in _TRACKED else _CLOSE, name, opening, closing, _NO_ATTRS
    if name in _VOID:
        return _IGNORED_TOKEN
    self_closing = rest.endswith("/")
    low = rest.lower()  # attributes that matter to other elements (class, data-search-exclude) are named in it
    if name not in _TRACKED and not self_closing and "class" not in low and "data-search-exclude" not in low:
        return _OPEN, name, opening, closing, _NO_ATTRS
    attrs = _attrs(rest)
    heading = name in _HEADINGS and "id" in attrs
    excluded = "data-search-exclude" in attrs
    skipped = excluded or attrs.get("class") == "linenodiv"
    headerlink = name == "a" and attrs.get("class") == "headerlink"
    start = _Start(heading, attrs["id"] if heading else None, excluded, skipped, headerlink, self_closing)
    return _OPEN if name not in _TRACKED and start == _NO_ATTRS else _START, name, opening, closing, start


def _token(text: str) -> _Token:
    """A token of the fast split not seen before: checked, classified and remembered."""
    if _SIMPLE.fullmatch(text) is None:
        raise _Exact
    token = _classify(text)
    if token[0] == _START and token[1] in ("script", "style"):
        raise _Exact  # their contents are raw text
    if len(_TOKENS) >= 100_000:
        _TOKENS.clear()
    _TOKENS[text] = token
    return token


def _parse(html: str, exact: bool = False) -> list[_Part]:
    """The sections. The page is split at every ``<``, and each piece at its first ``>`` into token and
    text. When a piece is not what ``_TOKEN`` finds there, or there is raw text (or ``exact``), the page is
    tokenized with ``_TOKEN`` instead; its tokens then go by number ("0>text", "1>text", …)."""
    if not exact:
        pieces = html.split("<")
        pieces[0] = "!>" + pieces[0]  # "<!>" before the first text, to pair it with a token
        pieces.append("!>")  # and one after the last text
        try:
            return _sections(pieces, _TOKENS, _PIECES)
        except _Exact:
            pass
    split = _TOKEN.split(_CDATA.sub(r"\1", html))  # script/style content is raw text, always skipped: drop it
    tokens = {"!": _IGNORED_TOKEN} | {str(n): _classify(text) for n, text in enumerate(split[1::2])}
    texts = [text.replace("<", "&lt;") for text in split[0::2]]  # the same text, with no < in it (as in a piece)
    pieces = ["!>" + texts[0], *(f"{n}>{text}" for n, text in enumerate(texts[1:])), "!>"]
    return _sections(pieces, tokens, {})


def _sections(pieces: list[str], tokens: dict[str, _Token], seen: dict[str, _Piece]) -> list[_Part]:
    """Material's Parser over the pieces ("token>text"). ``stack`` holds the open elements (Material's
    ``context``); what text depends on (skipping, pre, in the title) changes only when a tracked element
    or one with attributes that matter is pushed or popped, so any other tag is just a push or a pop."""
    parts: list[_Part] = []
    sec = _Part("hx", 0)  # the current section: a preface, until it is added to ``parts`` or replaced
    head, body = sec.title, sec.text  # its title and text
    floor: float = 0  # the depth of the element its heading is nested in (0: none), where the section ends
    stack = [""]  # open elements (tag names), on a sentinel: len(stack) is the depth + 1
    links: list[int] = []  # stack depths of open <a class="headerlink">
    skip = set(_ALWAYS_SKIPPED)  # tag names whose contents are skipped
    skipping = pre = title = False  # not skip.isdisjoint(stack), "pre" in stack, sec.tag in stack
    out = body  # head if title else body: where text and kept tags go
    push, pop, known, piece_of = stack.append, stack.pop, tokens.get, seen.get
    data, blank = "", True  # the text after the last token, and whether it is whitespace (or empty)
    for piece in pieces:
        if data and not skipping and not (title and links):  # ---- text (Material's handle_data)
            if not parts:
                parts.append(sec)
            if not blank and "&" in data:
                data = escape(unescape(data), quote=False)  # (escaping keeps whitespace as it is)
                blank = data.isspace()
            if blank:
                if title:
                    head.append(data if pre else " ")
                elif pre:
                    body.append(data)
                elif not body or not body[-1].isspace():
                    body.append(" ")
            else:
                if not pre and "\n" in data:
                    data = data.replace("\n", " ")
                if ">" in data:  # the only character to escape in text without entities (no < in it)
                    data = data.replace(">", "&gt;")
                out.append(data)
        found = piece_of(piece)
        if found is None:
            text, gt, data = piece.partition(">")
            if not gt:  # a < without a > after it
                raise _Exact
            kind, tag, opening, closing, start = known(text) or _token(text)
            blank = not data or data.isspace()
            if blank:  # most pieces: a tag and a line break or nothing
                if len(seen) >= 100_000:
                    seen.clear()
                seen[piece] = (kind, tag, opening, closing, start, data, True)
        else:
            kind, tag, opening, closing, start, data, blank = found
        if kind == _CLOSE:  # ---- end tag (Material's handle_endtag): ignored unless it closes the innermost element
            if stack[-1] != tag:
                continue
            pop()
        elif kind == _OPEN:  # ---- start tag (Material's handle_starttag)
            push(tag)
            if not parts:
                parts.append(sec)
            if opening and not skipping:
                out.append(opening)
            continue
        elif kind == _START:
            push(tag)
            if start.heading:
                depth = len(stack) - 1
                if tag != "h1" and not parts:
                    parts.append(_Part("hx", depth))
                sec = _Part(tag, depth, start.id if parts else None, start.search_exclude)
                head, body, floor = sec.title, sec.text, depth - 1
                parts.append(sec)
            elif not parts:
                parts.append(sec)
            if start.headerlink:
                links.append(len(stack))
            if start.skipped:
                skip.add(tag)
            skipping = skipping or tag in skip
            pre = pre or tag == "pre"
            title = sec.tag in stack
            out = head if title else body
            if opening and not skipping:
                out.append(opening)
            if not start.self_closing:
                continue
            pop()  # <x/>: and its end tag
            pre, title = "pre" in stack, sec.tag in stack
            out = head if title else body
        elif kind == _END:
            if stack[-1] != tag:
                continue
            pop()
            pre, title = "pre" in stack, sec.tag in stack
            out = head if title else body
        else:  # comment, declaration, void element
            continue
        # ---- the innermost element closed
        if floor and floor >= len(stack):  # it held the section's heading: the section ends, back to the latest
            for previous in reversed(parts):  # one at most as deep as that element was
                if previous.depth <= len(stack):
                    sec.depth, sec = float("inf"), previous  # the exited section is never resumed
                    head, body, floor = sec.title, sec.text, max(sec.depth - 1, 0)
                    title = sec.tag in stack
                    out = head if title else body
                    break
        if links and links[-1] > len(stack):
            links.pop()
        if tag in skip:
            if tag not in _ALWAYS_SKIPPED:
                skip.discard(tag)
            skipping = not skip.isdisjoint(stack)
        elif closing and not skipping:
            first = out.index(opening)  # the section's first <tag>, as Material does
            last = len(out) - 1
            while last > first and out[last].isspace():
                last -= 1
            if last > first:
                out.append(closing)
            else:
                del out[first:]
    return parts


def page_sections(html: str) -> list[Section]:
    """The sections Material's search would index for ``html`` (excluded ones left out); a heading without
    text has title "" (``search_entries`` puts the page title there unless the heading held whitespace)."""
    return [Section(p.id, "".join(p.title).strip(), "".join(p.text).strip()) for p in _parse(html) if not p.excluded]


def search_entries(
    html: str,
    url: str,
    title: str,
    toc_urls: Mapping[str, str] | None = None,
    tags: Sequence[str] = (),
    *,
    boost: object = None,
) -> list[dict[str, object]]:
    """Entries exactly in the shape Material's create_entry_for_section makes: {"location", "title", "text"[,
    "tags"][, "boost"]}.

    ``title`` is what Material falls back to (``page.meta.get("title", page.title)``); ``tags`` the page's
    tags (front matter); none gives no "tags" key. ``boost`` is the page's ``search: boost:`` front matter
    (``(page.meta.get("search") or {}).get("boost")``): Material copies it as it is into every entry of the
    page, where its search multiplies the page's scores by it (lunr's document boost); None gives no key.
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
            if boost is not None:
                entry["boost"] = boost
            entries.append(entry)
    return entries
