"""Raw HTML blocks inside generated Markdown: written once, copied through by the site generator.

Long, regular structures (a playbook's step table and check lists, its summary card, the
library index of every playbook) are written as HTML by the page templates, not as Markdown: the
HTML is what Markdown would produce anyway, and a Markdown engine spends most of a page's
build time on such structures. Each block is wrapped in ``<!-- cs-html -->`` …
``<!-- /cs-html -->`` lines, so any Markdown engine passes it through as raw HTML, and a site
generator can do better: :func:`split` lifts every block out before Markdown runs and
:func:`join` puts them back into the HTML afterwards (the MkDocs hook does this).

Conventions:

* A block is written by an HTML template (``templates/*.html``, ``templates/partials/``): its
  text is escaped HTML (:func:`~.escape.html_text`, :mod:`.templating`).
* Links inside a block are written as in the Markdown: relative to the page, to the target's
  ``.md`` source file (``../metrics/nrr.md#bands``). A generator turns them into URLs as it
  does for Markdown links; the MkDocs hook does it for lifted blocks and checks each target.
* A page written entirely as HTML (:mod:`.document`) is one block after its front matter.

>>> text, lifted = split("# T\\n\\n" + raw(ul(["a"])) + "\\n\\nEnd")
>>> text
'# T\\n\\n<!-- cs-raw:0 -->\\n\\nEnd'
>>> join("<h1>T</h1>\\n<p><!-- cs-raw:0 --></p>\\n<p>End</p>", lifted) == "<h1>T</h1>\\n" + ul(["a"]) + "\\n<p>End</p>"
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .escape import html_text
from .markup import href

OPEN = "<!-- cs-html -->"
CLOSE = "<!-- /cs-html -->"
_BLOCK = re.compile(rf"^{re.escape(OPEN)}\n(.*?)\n{re.escape(CLOSE)}$", re.M | re.S)
# Inside a tag only: text in a block never holds a literal ``<`` (it is escaped), so a field
# whose words read ``href="x.md"`` or ``id="y"`` is never taken for a link or an anchor.
#: ``<a … href="…">`` whose value is a relative path (no scheme, not site-absolute, not a bare
#: #anchor): groups are the tag up to the value, the value, and the closing quote.
RELATIVE_HREF = re.compile(r'(<a\s[^<>]*?\bhref=")(?![a-zA-Z][a-zA-Z0-9+.\-]*:|/|#)([^"]*)(")')
#: ``id="…"`` attributes of tags (the anchors a block adds to its page).
ID = re.compile(r'<[a-zA-Z][^<>]*?\sid="([^"]+)"')


def raw(*html: str) -> str:
    """A raw HTML block: the parts on lines of their own between the two marker comments."""
    body = "\n".join(h.strip("\n") for h in html if h)
    return f"{OPEN}\n{body}\n{CLOSE}"


def a(text: str, from_path: str, to_path: str, anchor: str = "") -> str:
    """An HTML link from page ``from_path`` to ``to_path`` (docs-relative); ``text`` already escaped."""
    return f'<a href="{html_text(href(from_path, to_path, anchor))}">{text}</a>'


def ul(items: Iterable[str]) -> str:
    """A bullet list (items already escaped HTML)."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def split(text: str, token: str = "cs-raw") -> tuple[str, list[str]]:
    """Replace each raw block by the comment ``<!-- TOKEN:N -->``; return the text and the blocks' HTML."""
    blocks: list[str] = []

    def lift(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f"<!-- {token}:{len(blocks) - 1} -->"

    return _BLOCK.sub(lift, text), blocks


def join(html: str, blocks: Sequence[str], token: str = "cs-raw") -> str:
    """Put the blocks :func:`split` lifted out back in place of their comments (and the ``<p>`` around one)."""
    if not blocks:
        return html
    return re.sub(rf"(?:<p>)?<!-- {re.escape(token)}:(\d+) -->(?:</p>)?", lambda m: blocks[int(m.group(1))], html)
