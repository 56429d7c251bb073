"""Escaping: YAML text is data, never markup.

Three contexts, three functions:

* :func:`md_text` — plain text placed in generated Markdown (a table cell, a list item, a
  heading): every Markdown-special character is backslash-escaped and ``& < >`` become
  entities, so the text renders exactly as written and never as markup or HTML.
* :func:`html_text` — plain text placed inside raw HTML that the renderer writes itself.
* :func:`md_field` — a field that *is* Markdown (``summary``, ``description``, ``notes``,
  ``details``, ``definition``): Markdown formatting works, but raw HTML is shown as text,
  ``{: attr}`` lists cannot add attributes (``onclick``), links whose target is not
  http(s), mailto or relative are turned back into text, and an image that is not a plain
  relative path inside the site becomes a link (:func:`disarm_images`): a field may link
  out, never make the reader's browser load something from another origin.

:func:`title_text` double-checks page titles (the model already refuses ``<`` and ``>``):
MkDocs and the theme copy a title into ``<title>``, the navigation and the search index
without escaping it, so the characters that could open a tag or an attribute are replaced.
"""

from __future__ import annotations

import html
import re

__all__ = ["ALLOWED_SCHEMES", "disarm_images", "html_text", "is_safe_url", "md_field", "md_inline", "md_text", "tag_text", "title_text"]

#: Link schemes a Markdown field may use; anything else with a scheme is refused.
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

# Escaped anywhere: emphasis, code, links, attribute lists, table cells, ATX heading marks.
# `( ) . ! - +` need no escape once `[ ]` are escaped, except at the start of a line, where
# `- + 1.` open lists: :func:`md_text` escapes those there only. `< > &` become entities.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|])")
_LINE_START = re.compile(r"^([+\-]|\d+(?=[.)]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WHITESPACE_AND_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# `](` opens an inline link or image target and `]:` a reference definition (Python-Markdown
# needs both characters adjacent).
_LINK_OPENER = re.compile(r"\]\(|\]:")
# An image Markdown can only read one way, loading a file of the site: `![alt](path)` or
# `![alt](path "title")`, the alt text without brackets, backslashes or backticks (nothing that
# could end it elsewhere or open a code span across it), the path relative or from the site's
# root (not `//host`) with no scheme, entity, space or backslash.
_LOCAL_IMAGE = re.compile(r"""!\[[^\[\]\\`\n]*\]\((?!//)[\w.~%+\-/=?#,]+(?:[ ]+"[^"\\()\[\]`\n]*")?\)""")
# Every `![` (with the `!` before it): a Markdown image starts with one, whatever its form.
_IMAGE_OPENER = re.compile(r"(!+)\[")
_TITLE_SWAP = str.maketrans({"<": "‹", ">": "›", '"': "”", "'": "’", "&": "＆", "`": "’", "\\": "/"})
_TAG_DROP = re.compile(r"[^\w \-./+:]")


def md_text(value: object) -> str:
    """Plain text for a single line of generated Markdown; renders exactly as written.

    >>> print(md_text("Q&A <b>[x](y)</b> | 3.5 *a*"))
    Q&amp;A &lt;b&gt;\\[x\\](y)&lt;/b&gt; \\| 3.5 \\*a\\*
    >>> print(md_text("- item"), md_text("1. First"), md_text("2024) x"))
    \\- item 1\\. First 2024\\) x
    """
    text = " ".join(_CONTROL.sub("", str(value)).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), text)
    return html.escape(text, quote=False)


_HTML = str.maketrans(
    {**dict.fromkeys([*range(0x09), *range(0x0B, 0x20), 0x7F]), "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
)
_HTML_NEEDED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f&<>\"']")


def html_text(value: object) -> str:
    """Plain text (or an attribute value) inside raw HTML written by the renderer.

    Control characters are dropped; ``& < > " '`` become entities, as ``html.escape`` writes them.

    >>> html_text("Q&A <b class='x'>\x07")
    'Q&amp;A &lt;b class=&#x27;x&#x27;&gt;'
    """
    text = str(value)
    return text.translate(_HTML) if _HTML_NEEDED.search(text) else text


def title_text(value: object) -> str:
    """A page title made safe for ``<title>``, attributes and the search index.

    >>> title_text('</title><script>alert("x")</script>')
    '‹/title›‹script›alert(”x”)‹/script›'
    """
    return " ".join(_CONTROL.sub("", str(value)).split()).translate(_TITLE_SWAP)


def tag_text(value: object) -> str:
    """A Material tag name: letters, digits, spaces and ``- . / + :`` only."""
    return " ".join(_TAG_DROP.sub("", str(value)).split())


def is_safe_url(url: str) -> bool:
    """True when ``url`` is relative, an anchor, or uses http(s) or mailto.

    Entities are decoded and whitespace and control characters dropped first, as a browser
    would, so ``java&#115;cript:`` and ``java\\tscript:`` are both caught.

    >>> [is_safe_url(u) for u in ("https://x.org", "../qbr.md#steps", "mailto:a@b.c", "JavaScript:alert(1)", "data:text/html,x")]
    [True, True, True, False, False]
    """
    probe = _WHITESPACE_AND_CONTROL.sub("", html.unescape(html.unescape(url))).lstrip("<")
    match = _SCHEME.match(probe)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


def _neutralise_links(text: str) -> str:
    """Turn every link, image or reference definition with an unsafe target into text."""
    out: list[str] = []
    pos = 0
    for match in _LINK_OPENER.finditer(text):
        rest = text[match.end() : match.end() + 400]
        if is_safe_url(rest):
            continue
        out.append(text[pos : match.start()])
        # Python-Markdown needs a literal `(` or `:` right after `]`: an entity breaks the link.
        out.append("]&#40;" if match.group(0) == "](" else "]&#58;")
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def disarm_images(text: str) -> str:
    """Every Markdown image that could load from another origin becomes a link to it.

    Only ``![alt](path)`` with a plain relative path (or one from the site's root) stays an
    image. Any other image — an absolute or protocol-relative URL, a reference (``![a][r]``,
    ``![r]``), a target with entities or spaces — loses its ``!`` and so becomes a link whose
    text is the alt text, to the same target (one a reader can follow, nothing loads). A run
    of ``!`` before ``[`` keeps its other ``!`` as ``\\!`` so none of them can open an image;
    an escaped ``\\![`` is no image and stays as it is.

    >>> disarm_images("![px](https://t.example/p.png) ![logo](../img/logo.png) ![r][ref] Wow!![a](//t.example/a) \\\\![b](u)")
    '[px](https://t.example/p.png) ![logo](../img/logo.png) [r][ref] Wow\\\\![a](//t.example/a) \\\\![b](u)'
    """
    if "![" not in text:
        return text
    out: list[str] = []
    pos = 0
    for match in _IMAGE_OPENER.finditer(text):
        start, last = match.start(1), match.end(1) - 1  # `last`: the `!` right before `[`
        slashes = 0
        while start - slashes > 0 and text[start - slashes - 1] == "\\":
            slashes += 1
        escaped = slashes % 2 == 1  # `\!`: the run's first `!` is text already
        if (escaped and start == last) or _LOCAL_IMAGE.match(text, last):
            continue
        out.append(text[pos:start])
        out.append("!" if escaped else "")
        out.append("\\!" * (last - start - escaped))
        pos = last + 1
    out.append(text[pos:])
    return "".join(out)


def md_field(value: object) -> str:
    """A Markdown field made safe: formatting kept, HTML shown as text, unsafe links disarmed.

    >>> md_field("**Go** <script>x</script> [a](javascript:alert(1)) {: onclick=x}")
    '**Go** &lt;script>x&lt;/script> [a]&#40;javascript:alert(1)) &#123;: onclick=x}'
    """
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    text = disarm_images(_neutralise_links(text))
    # `<` opens every raw HTML tag, comment and autolink; `{` opens every attribute list.
    return text.replace("<", "&lt;").replace("{", "&#123;").strip()


def md_inline(value: object) -> str:
    """A Markdown field on one line, for a table cell or a list item (``|`` escaped)."""
    return " ".join(md_field(value).split()).replace("|", "\\|")
