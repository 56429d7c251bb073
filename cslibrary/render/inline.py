r"""Markdown fields rendered to HTML, for the parts of pages the renderer writes as HTML.

A field inside HTML the renderer writes (:mod:`.blocks`, :mod:`.document`) — a playbook's
summary, notes, or its trigger's description in the summary card — is converted here, by the
same Python-Markdown the site uses, after :func:`~.escape.md_field` has made it safe: raw
HTML shows as text and unsafe link targets are disarmed, exactly as on a Markdown page.
Relative links stay relative to the page (``../metrics/nrr.md``), as in every block.
:func:`md_html` allows what a field on a Markdown page would: paragraphs, lists, tables,
admonitions, details, fenced code, task lists, emphasis and links (the site's extensions); a
heading inside a field renders but does not reach the page's contents.

>>> md_html("Call *today*.\n\n- one\n- two")
'<p>Call <em>today</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>'
>>> md_inline_html("Health **below 40** for [two weeks](../metrics/health_score.md) <b>")
'Health <strong>below 40</strong> for <a href="../metrics/health_score.md">two weeks</a> &lt;b&gt;'
>>> [md_inline_html(t) for t in ("# 1", "> q", "- a", "2024. b", "*a*", "***", "[r]: http://x.org")]
['# 1', '&gt; q', '- a', '2024. b', '<em>a</em>', '***', '[r]: http://x.org']
"""

from __future__ import annotations

import re
import threading

import markdown

from .escape import md_field

_local = threading.local()
_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.S)
# What would open a block at the start of the line (heading, quote, list): escaped, since the
# field continues a line of the card (``Trigger: …``) and never starts one.
_BLOCK_START = re.compile(r"\A(?:[#>]|[*+\-](?=\s)|\d+(?=[.)])|[*_\-](?=(?:[ ]*[*_\-]){2,}[ ]*\Z)|\[(?=[^\]]*\]:))")
#: The site's Markdown extensions (mkdocs.yml) that a field can use; ``toc``, ``attr_list`` and
#: ``md_in_html`` are left out (fields add no contents entries; ``{`` and ``<`` are escaped).
#: tests/test_render_fields.py keeps this in step with mkdocs.yml.
FIELD_EXTENSIONS = ["admonition", "tables", "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist"]
FIELD_EXTENSION_CONFIGS: dict[str, dict[str, object]] = {
    "tables": {"use_align_attribute": True},
    "pymdownx.tasklist": {"custom_checkbox": True},
}
# One line of prose with nothing Markdown acts on (no emphasis, code, link, entity, escape or
# tab, and no list, quote or heading marker in front): Markdown would only wrap it in <p>.
_PROSE = re.compile(r"(?![ ]*(?:[-+*>#=]|\d+[.)]))[^\\`*_\[\]{}<>&#|~\t\n\r]*\Z")


def _engine(name: str, extensions: list[str]) -> markdown.Markdown:
    engine: markdown.Markdown | None = getattr(_local, name, None)
    if engine is None:
        engine = markdown.Markdown(extensions=extensions, extension_configs=FIELD_EXTENSION_CONFIGS, output_format="html")
        setattr(_local, name, engine)
    return engine


def md_html(value: object) -> str:
    """A Markdown field (several paragraphs, lists, tables) as block HTML."""
    text = md_field(value)
    if _PROSE.match(text):  # the common case, without Markdown: same output (tests/test_render_fields.py)
        return f"<p>{text}</p>" if text else ""
    return str(_engine("blocks", FIELD_EXTENSIONS).reset().convert(text))


def md_inline_html(value: object) -> str:
    """One line of Markdown (a field) as inline HTML: emphasis, code and links; no block elements."""
    text = " ".join(md_field(value).split())
    if _PROSE.match(text):
        return text
    text = _BLOCK_START.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), text)
    out = _engine("inline", []).reset().convert(text)
    match = _PARAGRAPH.match(out)
    return match.group(1) if match else out
