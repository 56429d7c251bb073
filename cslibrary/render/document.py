"""A page body written directly as HTML, with the headings a site generator needs for its contents.

The playbook pages are the part of the site that grows with the library (one per playbook), and
every part of them is a regular structure the renderer knows better than Markdown would: the
card, the steps, the check lists. They are written as HTML from the start, headings included,
so a generator need not run Markdown over them at all (the MkDocs hook does not). Headings get
what Python-Markdown's ``toc`` extension would give them: an id slugged from the text (unique
on the page: ``steps``, ``steps_1``), a permalink, and an entry in :attr:`Document.headings`.

>>> doc = Document()
>>> doc.heading(2, "Q&A")
>>> doc.add("<p>Text</p>")
>>> print(doc.html())
<h2 id="qa">Q&amp;A<a class="headerlink" href="#qa" title="Permanent link">&para;</a></h2>
<p>Text</p>
>>> doc.headings
(Heading(level=2, id='qa', name='Q&amp;A'),)
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown.extensions.toc import slugify, unique

from .escape import html_text


@dataclass(frozen=True)
class Heading:
    """One heading: its level (1–6), its id, and its text as escaped HTML (as ``toc`` gives ``name``)."""

    level: int
    id: str
    name: str


class Document:
    """Collects a page body's HTML parts and headings, in order."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._headings: list[Heading] = []
        self._ids: set[str] = set()

    def heading(self, level: int, text: str) -> None:
        """Add a heading for the plain text ``text`` (escaped here)."""
        self._parts.append(self.heading_html(level, text))

    def heading_html(self, level: int, text: str) -> str:
        """The HTML of a heading for the plain text ``text`` (escaped here), recorded in :attr:`headings`.

        Page templates call it as ``{{ heading(2, "Steps") }}`` (:mod:`.templating`).
        """
        anchor = unique(slugify(text, "-"), self._ids)
        name = html_text(text)
        permalink = f'<a class="headerlink" href="#{anchor}" title="Permanent link">&para;</a>'
        self._headings.append(Heading(level, anchor, name))
        return f'<h{level} id="{anchor}">{name}{permalink}</h{level}>'

    def add(self, *html: str) -> None:
        """Add HTML parts (already escaped); empty parts are skipped."""
        self._parts.extend(part for part in html if part)

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(self._headings)

    def html(self) -> str:
        return "\n".join(self._parts)
