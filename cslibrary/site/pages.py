"""The generated pages inside an MkDocs build: files, HTML blocks, links, contents and search.

:class:`GeneratedPages` holds what one build knows about the pages :mod:`cslibrary.render`
made (it is reset by :meth:`GeneratedPages.add_files`, once per build):

* :meth:`add_files` hands them to MkDocs as virtual files (``File.generated``): index and
  overview pages for ``nav:`` in ``mkdocs.yml``, the others marked "not in nav" there (the
  plugin places playbook, metric and segment pages in the navigation itself, in ``on_nav``:
  :mod:`cslibrary.site.navigation`), and downloads (CSV, Markdown checklist) copied as they
  are. Each page's "edit" link points at its YAML file (none when the repository is unknown:
  :func:`edit_base`).
* On the **fast path** the raw HTML blocks (:mod:`cslibrary.render.blocks`) are lifted out of
  the Markdown before MkDocs parses it and put back by :meth:`page_content`; Material's search
  skips these pages (:meth:`page_markdown`) and :meth:`index_page` indexes them with
  :mod:`cslibrary.site.search`, which gives the same entries without an HTML parser. On the
  **plain path** Markdown reads the whole page and Material indexes it.
* Either way the blocks' relative links to ``.md`` sources become URLs and are checked as
  MkDocs checks Markdown links (a missing target is a warning, an error under ``--strict``),
  and pages written as HTML get their table of contents from the renderer's headings.
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import unquote

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils import get_relative_url

from ..render import Page, blocks
from ..render.document import Heading
from .search import search_entries

__all__ = ["GeneratedPages", "edit_base"]

log = logging.getLogger("mkdocs.hooks.library")


class _Download(File):
    """A generated file published as it is, even when its name ends in ``.md``."""

    def is_documentation_page(self) -> bool:
        return False


def edit_base(config: MkDocsConfig) -> str | None:
    """``<repo_url>/edit/main/``: the repository-level edit prefix (``edit_uri`` minus the docs folder)."""
    if not config.repo_url or not config.edit_uri or "://" in config.edit_uri:
        return None
    try:
        docs = Path(config.docs_dir).resolve().relative_to(Path(str(config.config_file_path)).resolve().parent).as_posix()
    except ValueError:  # docs_dir outside the repository: no edit links for generated pages
        return None
    prefix = config.edit_uri.removesuffix("/").removesuffix(docs)
    return f"{config.repo_url.rstrip('/')}/{prefix.strip('/')}/"


def _toc_urls(items: Iterable[AnchorLink]) -> dict[str, str]:
    urls: dict[str, str] = {}
    for item in items:
        urls.setdefault(item.id, item.url)
        for key, value in _toc_urls(item.children).items():
            urls.setdefault(key, value)
    return urls


class GeneratedPages:
    """The generated pages of one build and what MkDocs needs to know about them."""

    def __init__(self, *, fast: bool = True) -> None:
        self.fast = fast
        self.pages: Sequence[Page] = ()
        #: The raw HTML blocks lifted out of each generated page (by source path), put back after Markdown.
        self.raw: dict[str, list[str]] = {}
        #: The headings of each page written as HTML, for its table of contents.
        self.headings: dict[str, tuple[Heading, ...]] = {}
        #: Link targets by (linking page's folder, relative path), for this build's files.
        self.targets: dict[tuple[str, str], File | None] = {}
        #: Search-index entries of each generated page (fast path), added to Material's index after it is written.
        self.search: dict[str, list[dict[str, object]]] = {}
        #: Source paths of the generated pages.
        self.generated: set[str] = set()

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        docs = Path(config.docs_dir).resolve()
        source_prefix = posixpath.relpath(Path(str(config.config_file_path)).resolve().parent.as_posix(), docs.as_posix())
        self.raw, self.targets, self.headings, self.search, self.generated = {}, {}, {}, {}, set()
        for page in self.pages:
            if files.get_file_from_path(page.path) is not None:
                raise Abort(f"docs/{page.path} clashes with a generated page: remove or rename it.")
            if page.kind == "download":
                files.append(_Download.generated(config, page.path, content=page.content))
                continue
            inclusion = InclusionLevel.UNDEFINED if page.listed else InclusionLevel.NOT_IN_NAV
            content = page.content
            if self.fast:
                content, lifted = blocks.split(page.content)
                if lifted:
                    self.raw[page.path] = lifted
                self.search[page.path] = []
            if page.headings:
                self.headings[page.path] = page.headings
            file = File.generated(config, page.path, content=content, inclusion=inclusion)
            # Relative to the docs folder, as `edit_uri` is: "../playbooks/library/at-risk.yml".
            file.edit_uri = posixpath.join(source_prefix, page.source) if page.source else None
            files.append(file)
            self.generated.add(page.path)
        return files

    def page_markdown(self, page: MkDocsPage) -> None:
        """Fast path: leave the page out of Material's search (:meth:`index_page` indexes it)."""
        if page.file.src_uri in self.search:
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}

    def _resolve_links(self, block: str, page: MkDocsPage, files: Files) -> str:
        """Turn the block's relative links to ``.md`` sources into URLs, as MkDocs does for Markdown links."""
        here = page.file
        folder = posixpath.dirname(here.src_uri)

        def resolve(match: re.Match[str]) -> str:
            opener, value, closer = match.groups()
            url = html.unescape(value)
            path, _, anchor = url.partition("#")
            if path:
                key = (folder, path)
                if key not in self.targets:  # many pages share a folder and link to the same pages
                    self.targets[key] = files.get_file_from_path(posixpath.normpath(posixpath.join(folder, unquote(path))))
                target = self.targets[key]
            else:
                target = here
            if target is None:
                log.warning("Doc file '%s' contains a link '%s', but the target is not found among documentation files.", here.src_uri, url)
                return match.group(0)
            if anchor and page.links_to_anchors is not None:
                page.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
            new = get_relative_url(target.url, here.url) if path else ""
            return opener + html.escape(new + ("#" + anchor if anchor else "")) + closer

        return blocks.RELATIVE_HREF.sub(resolve, block)

    def page_content(self, html_text: str, page: MkDocsPage, files: Files) -> str:
        """Put the lifted blocks back (fast path) with their links resolved; set the contents of HTML pages."""
        src = page.file.src_uri
        if src not in self.generated:
            return html_text
        headings = self.headings.get(src)
        if headings:  # written as HTML: Markdown saw no heading, so the contents come from the renderer
            page.toc = get_toc(nest_toc_tokens([{"level": h.level, "id": h.id, "name": h.name} for h in headings]))
        if not self.fast:
            resolved_page = self._resolve_links(html_text, page, files)
            if page.present_anchor_ids is not None:
                page.present_anchor_ids.update(blocks.ID.findall(resolved_page))
            return resolved_page
        lifted = self.raw.get(src)
        if not lifted:
            return html_text
        resolved = [self._resolve_links(block, page, files) for block in lifted]
        if page.present_anchor_ids is not None:
            for block in resolved:
                page.present_anchor_ids.update(blocks.ID.findall(block))
        return blocks.join(html_text, resolved)

    def index_page(self, page: MkDocsPage) -> None:
        """Fast path: the page's search entries, from the HTML as the other events left it."""
        if page.file.src_uri in self.search and page.content is not None:
            tags = page.meta.get("tags")
            self.search[page.file.src_uri] = search_entries(
                page.content,
                page.url,
                str(page.meta.get("title", page.title)),
                _toc_urls(page.toc),
                [str(t) for t in tags if t and isinstance(t, str | int | float | bool)] if isinstance(tags, list) else (),
                boost=(page.meta.get("search") or {}).get("boost"),
            )

    def write_search_entries(self, site_dir: str) -> None:
        """Fast path: add the generated pages' entries to ``search/search_index.json`` once Material wrote it."""
        index_file = Path(site_dir) / "search" / "search_index.json"
        if not self.search or not index_file.is_file():  # plain path, or no search plugin
            return
        index = json.loads(index_file.read_text(encoding="utf-8"))
        index["docs"] += [entry for entries in self.search.values() for entry in entries]
        index_file.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
