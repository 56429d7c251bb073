"""The renderer's output: a generated file, with the YAML file it was made from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .document import Heading


@dataclass(frozen=True)
class Page:
    """One generated file.

    ``path`` is relative to the docs root (``playbooks/at-risk.md``). A ``page`` is Markdown
    with front matter, to be rendered by the site generator; a ``download`` (a CSV or a
    Markdown checklist) is published as it is, next to its page. ``source`` is the YAML
    file the content comes from, relative to the repository root: the page's "edit" link
    points there. ``listed`` pages are the index and overview pages meant for the
    navigation; the others are reached through them, the tags and search.

    A page with ``headings`` is written as HTML (:mod:`.document`): after its front matter,
    ``content`` is one raw HTML block (:mod:`.blocks`) holding the whole body, and
    ``headings`` lists its headings in order, for the generator's table of contents.
    """

    path: str
    content: str
    title: str = ""
    source: str = ""
    kind: Literal["page", "download"] = "page"
    listed: bool = False
    headings: tuple[Heading, ...] = ()


class RenderError(Exception):
    """A page could not be generated from valid YAML (say, a worked example the calculator refuses)."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
