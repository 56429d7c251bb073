"""A Markdown field rendered to inline HTML, for the renderer's raw HTML blocks.

Most Markdown fields (a playbook's summary and notes) stay Markdown on the page. A field that
sits inside a raw HTML block (:mod:`.blocks`) — a trigger's description in the summary card —
is converted here, by the same Python-Markdown the site uses, after :func:`~.escape.md_field`
has made it safe: raw HTML shows as text and unsafe link targets are disarmed, exactly as on
a Markdown page. Relative links stay relative to the page (``../metrics/nrr.md``), as in
every block.

>>> md_inline_html("Health **below 40** for [two weeks](../metrics/health_score.md) <b>")
'Health <strong>below 40</strong> for <a href="../metrics/health_score.md">two weeks</a> &lt;b&gt;'
>>> [md_inline_html(t) for t in ("# 1", "> q", "- a", "2024. b", "*a*")]
['# 1', '&gt; q', '- a', '2024. b', '<em>a</em>']
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
_BLOCK_START = re.compile(r"\A(?:[#>]|[*+\-](?=\s)|\d+(?=[.)]))")


def md_inline_html(value: object) -> str:
    """One line of Markdown (a field) as inline HTML: emphasis, code and links; no block elements."""
    engine = getattr(_local, "engine", None)
    if engine is None:
        engine = _local.engine = markdown.Markdown(output_format="html")
    text = " ".join(md_field(value).split())
    text = _BLOCK_START.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), text)
    out = engine.reset().convert(text)
    match = _PARAGRAPH.match(out)
    return match.group(1) if match else out
