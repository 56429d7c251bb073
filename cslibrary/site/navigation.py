"""The generated pages' places in the site navigation: their tab, sidebar section and breadcrumb.

``mkdocs.yml`` lists the index pages (``playbooks/index.md``, ``metrics/index.md``,
``segments/index.md``, ``frameworks/index.md``); :func:`places` says where each playbook,
metric, segment and framework page goes
under them, and :func:`add_to_nav` puts the pages there in ``on_nav``, so Material highlights
the page's tab, marks it in the sidebar and writes its breadcrumb (``navigation.path``):

* playbooks, grouped by category (in the order of :data:`~cslibrary.render.labels.CATEGORIES`),
  by title within a category;
* metrics, grouped by category (:data:`~cslibrary.render.labels.METRIC_CATEGORIES`), by name;
* segments, in the order of ``segments.yml``, without groups;
* frameworks, grouped by topic (:data:`~cslibrary.render.frameworks.TOPICS`), by title.

A group is a collapsible section one level below the tab; with ``navigation.prune`` (and
without ``navigation.sections``, which would expand every group on every page) a page holds
its own group's links and one link per other group, so the build stays close to linear in
the number of playbooks (``bench/site_build.py``).
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from markdown.extensions.toc import slugify
from mkdocs.structure import StructureItem
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

from ..model import Library
from ..render import frameworks, labels, markup

__all__ = ["Group", "Links", "Place", "add_to_nav", "places"]


@dataclass(frozen=True)
class Place:
    """Where one generated page goes: under the section whose index page is ``index``, in ``group`` ("" for none).

    ``group_link`` is what the group's name links to in the breadcrumb, after the index page's
    address: the library filtered to the category (``?category=intervention``), or the
    category's table on the metrics index (``#business-outcome``).
    """

    path: str
    index: str
    group: str = ""
    group_link: str = ""


class Links(NamedTuple):
    """A group's links as one page's sidebar writes them (``overrides/partials/nav-item.html``)."""

    #: The links to the pages before the current one, as HTML.
    before: str
    #: The current page's position in the group (from 1); 0 when the page is not in it.
    current: int
    #: The links to the pages after it.
    after: str


class Group(Section):
    """A section of generated pages (a category) whose links are written once per build.

    Material writes a section's items with one template macro call per page, on every page
    that shows the section: with 200 playbooks in a category that is 200 calls on each of
    them, most of a build's time at 1,000 playbooks. A group's pages lie in one folder and
    none is an index page, so a link from one of them to another reads the same on all of
    them (``../qbr/``): :meth:`library_links` makes the list once, and each page's sidebar
    is the list cut around the page itself, which Material writes (it is marked current and
    carries the page's table of contents). ``overrides/partials/nav-item.html`` calls it.
    """

    def __init__(self, title: str, url: str = "") -> None:
        super().__init__(title, [])
        #: Where the group's name leads in the breadcrumb (``overrides/partials/path-item.html``);
        #: "" for Material's way, the group's first page.
        self.library_url = url
        self._pages: list[Page] = []
        self._position: dict[str, int] = {}
        #: The links as HTML and each page's span in it, by the page they are relative to ("" for any page of the group).
        self._made: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        self._uniform: bool | None = None

    def add(self, page: Page) -> None:
        page.parent = self
        self._position[page.file.src_uri] = len(self._pages)
        self._pages.append(page)
        self.children.append(page)

    def _links_read_alike(self) -> bool:
        """True when a link between two of the group's pages reads the same from any of them."""
        if self._uniform is None:
            folders = {posixpath.dirname(p.file.src_uri) for p in self._pages}
            self._uniform = self._pages == self.children and len(folders) <= 1 and not any(p.is_index for p in self._pages)
        return self._uniform

    def _made_for(self, page: Page) -> tuple[str, list[tuple[int, int]]]:
        shared = page.file.src_uri in self._position and self._links_read_alike()
        key = "" if shared else page.url
        made = self._made.get(key)
        if made is None:
            parts: list[str] = []
            spans: list[tuple[int, int]] = []
            start = 0
            for i, child in enumerate(self._pages):
                # Material's `url` filter, from another page of the group when the list is shared.
                here = self._pages[1 if i == 0 else 0] if shared and len(self._pages) > 1 else page
                href = normalize_url(child.url, page=here)
                item = (
                    f'<li class="md-nav__item"><a href="{html.escape(href)}" class="md-nav__link">'
                    f'<span class="md-ellipsis">{html.escape(str(child.title))}</span></a></li>'
                )
                parts.append(item)
                spans.append((start, start + len(item)))
                start += len(item)
            made = self._made[key] = ("".join(parts), spans)
        return made

    def library_links(self, page: Page) -> Links:
        """The group's links on ``page``: those before it, its position, those after it."""
        joined, spans = self._made_for(page)
        position = self._position.get(page.file.src_uri)
        if position is None:
            return Links(joined, 0, "")
        start, end = spans[position]
        return Links(joined[:start], position + 1, joined[end:])


def places(library: Library) -> list[Place]:
    """The places of every playbook, metric, segment and framework page, in navigation order."""
    found: list[Place] = []
    playbooks = sorted(library.playbooks.values(), key=lambda p: (_order(labels.CATEGORIES, p.category), p.title.lower(), p.id))
    for p in playbooks:
        # The library index's category filter (library-filter.js reads it from the address).
        found.append(
            Place(markup.playbook_path(p.id), markup.PLAYBOOKS, labels.label(labels.CATEGORIES, p.category), f"?category={p.category}")
        )
    metrics = sorted(library.metrics.values(), key=lambda m: (_order(labels.METRIC_CATEGORIES, m.category), m.name.lower(), m.id))
    for m in metrics:
        name = labels.label(labels.METRIC_CATEGORIES, m.category)
        # The metrics index has one "## <category>" table per category: Markdown's heading id.
        found.append(Place(markup.metric_path(m.id), markup.METRICS, name, "#" + slugify(name, "-")))
    found += [Place(markup.segment_path(t.id), markup.SEGMENTS) for t in library.segments.tiers]
    for f in frameworks.ordered(library.frameworks):
        # The frameworks index has one "## <topic>" table per topic: Markdown's heading id.
        topic = labels.label(frameworks.TOPICS, f.topic)
        found.append(Place(frameworks.framework_path(f.id), frameworks.INDEX, topic, "#" + slugify(topic, "-")))
    return found


def _order(mapping: dict[str, str], key: str) -> tuple[int, str]:
    keys = list(mapping)
    return (keys.index(key), "") if key in keys else (len(keys), key)


def _sections(items: Iterable[StructureItem]) -> Iterable[Section]:
    for item in items:
        if isinstance(item, Section):
            yield item
            yield from _sections(item.children)


def add_to_nav(nav: Navigation, files: Files, found: Sequence[Place]) -> list[str]:
    """Put each page of ``found`` in ``nav``; returns the paths placed.

    A page stays where it is when ``nav:`` in ``mkdocs.yml`` lists it already, and out of the
    navigation when ``nav:`` does not list its section's index page.
    """
    indexes: dict[str, tuple[Section, Page]] = {}
    for section in _sections(nav.items):
        for child in section.children:
            if isinstance(child, Page):
                indexes.setdefault(child.file.src_uri, (section, child))
    listed = {page.file.src_uri for page in nav.pages}
    groups: dict[tuple[str, str], Group] = {}
    placed: list[str] = []
    for place in found:
        file = files.get_file_from_path(place.path)
        if place.index not in indexes or file is None or not isinstance(file.page, Page) or place.path in listed:
            continue
        section, index = indexes[place.index]
        if place.group:
            group = groups.get((place.index, place.group))
            if group is None:
                group = groups[place.index, place.group] = Group(place.group, index.url + place.group_link if place.group_link else "")
                group.parent = section
                section.children.append(group)
            group.add(file.page)
        else:
            file.page.parent = section
            section.children.append(file.page)
        placed.append(place.path)
    if placed:
        nav.pages = _pages(nav.items)
        _link_pages(nav.pages)
    return placed


def _pages(items: Iterable[StructureItem]) -> list[Page]:
    found: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            found.append(item)
        elif isinstance(item, Section):
            found += _pages(item.children)
    return found


def _link_pages(pages: Sequence[Page]) -> None:
    """Previous and next links in navigation order (as MkDocs sets them for the pages of ``nav:``)."""
    for i, page in enumerate(pages):
        page.previous_page = pages[i - 1] if i else None
        page.next_page = pages[i + 1] if i + 1 < len(pages) else None
