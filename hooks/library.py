"""MkDocs hooks: wire MkDocs events to the library's loader and renderer (glue only).

* ``on_config`` loads and validates ``playbooks/``; on any problem it logs every one as
  ``file:line:col: field: message`` and aborts before anything is written. It then renders
  the pages (:mod:`cslibrary.render`, which knows nothing of MkDocs).
* ``on_files`` adds them as virtual files (``File.generated``): pages for the index and
  overview pages the navigation lists, pages left out of the navigation (``NOT_IN_NAV``:
  reached through the index pages, tags and search, which keeps the build linear in the
  number of playbooks), and downloads (CSV, Markdown checklist) copied as they are. Each
  generated page's "edit" link points at its YAML file.
* ``on_page_content`` puts back the raw HTML blocks (:mod:`cslibrary.render.blocks`: cards,
  step tables, check lists, long lists of links) that ``on_files`` lifted out of the generated
  Markdown, with their links turned into URLs and checked as MkDocs checks Markdown links.
  Markdown would only copy the blocks through, after parsing every tag of them.
* Generated pages are left out of Material's search plugin (``search: exclude`` set in
  ``on_page_markdown``) and indexed by ``on_page_context`` with :mod:`cslibrary.site.search`,
  which gives the same entries without an HTML parser; ``on_post_build`` adds them to
  ``search/search_index.json`` once the plugin has written it.

The library is loaded once per build through :mod:`cslibrary.model.cache`, which the calculators'
hook (``hooks/calculator_forms.py``) shares; the hooks work in either order.
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

# MkDocs puts this folder first on sys.path while it imports a hook (and restores it after):
# drop it, so the imports below are the installed packages, never a hook file that happens
# to share their name (whichever hook MkDocs imports first).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from cslibrary import session  # noqa: E402
from cslibrary.model.loader import LibraryError  # noqa: E402
from cslibrary.render import Page, RenderError, blocks, render_pages  # noqa: E402
from cslibrary.render.document import Heading  # noqa: E402
from cslibrary.site.search import search_entries  # noqa: E402

log = logging.getLogger("mkdocs.hooks.library")
_pages: list[Page] = []
#: The raw HTML blocks lifted out of each generated page (by source path), put back after Markdown.
_raw: dict[str, list[str]] = {}
#: The headings of each page written as HTML (cslibrary.render.document), for its table of contents.
_headings: dict[str, tuple[Heading, ...]] = {}
#: Link targets by (linking page's folder, relative path), for this build's files.
_targets: dict[tuple[str, str], File | None] = {}
#: Search-index entries of each generated page (by source path), added to Material's index after it is written.
_search: dict[str, list[dict[str, object]]] = {}


class _Download(File):
    """A generated file published as it is, even when its name ends in ``.md``."""

    def is_documentation_page(self) -> bool:
        return False


def _edit_base(config: MkDocsConfig) -> str | None:
    """``<repo_url>/edit/main/``: the repository-level edit prefix (``edit_uri`` minus the docs folder)."""
    if not config.repo_url or not config.edit_uri or "://" in config.edit_uri:
        return None
    try:
        docs = Path(config.docs_dir).resolve().relative_to(Path(config.config_file_path).resolve().parent).as_posix()
    except ValueError:  # docs_dir outside the repository: no edit links for generated pages
        return None
    prefix = config.edit_uri.removesuffix("/").removesuffix(docs)
    return f"{config.repo_url.rstrip('/')}/{prefix.strip('/')}/"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    try:
        loaded = session.load(root)
        _pages[:] = render_pages(loaded.library, loaded.config, edit_base=_edit_base(config))
    except LibraryError as err:
        for problem in err.problems:
            log.error(str(problem))
        raise Abort(f"{len(err.problems)} problem(s) in playbooks/: nothing was built. Run `make validate` after fixing them.") from None
    except RenderError as err:
        log.error(str(err))
        raise Abort("a page could not be generated: nothing was built.") from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    docs = Path(config.docs_dir).resolve()
    source_prefix = posixpath.relpath(Path(config.config_file_path).resolve().parent.as_posix(), docs.as_posix())
    _raw.clear()
    _targets.clear()
    _headings.clear()
    _search.clear()
    for page in _pages:
        if files.get_file_from_path(page.path) is not None:
            raise Abort(f"docs/{page.path} clashes with a generated page: remove or rename it.")
        if page.kind == "download":
            files.append(_Download.generated(config, page.path, content=page.content))
            continue
        inclusion = InclusionLevel.UNDEFINED if page.listed else InclusionLevel.NOT_IN_NAV
        content, lifted = blocks.split(page.content)
        if lifted:
            _raw[page.path] = lifted
        if page.headings:
            _headings[page.path] = page.headings
        file = File.generated(config, page.path, content=content, inclusion=inclusion)
        # Relative to the docs folder, as `edit_uri` is: "../playbooks/library/at-risk.yml".
        file.edit_uri = posixpath.join(source_prefix, page.source) if page.source else None
        files.append(file)
        _search[page.path] = []
    return files


def on_page_markdown(markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri in _search:  # indexed by on_page_context, not by Material's HTML parser
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return markdown


def _resolve_links(block: str, page: MkDocsPage, files: Files) -> str:
    """Turn the block's relative links to ``.md`` sources into URLs, as MkDocs does for Markdown links.

    A link to a missing file is a warning (an error under ``--strict``); links to anchors are
    handed to MkDocs' own anchor check (``Page.links_to_anchors``).
    """
    here = page.file
    folder = posixpath.dirname(here.src_uri)

    def resolve(match: re.Match[str]) -> str:
        opener, value, closer = match.groups()
        url = html.unescape(value)
        path, _, anchor = url.partition("#")
        if path:
            key = (folder, path)
            if key not in _targets:  # many pages share a folder and link to the same pages
                _targets[key] = files.get_file_from_path(posixpath.normpath(posixpath.join(folder, unquote(path))))
            target = _targets[key]
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


def on_page_content(html_text: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
    lifted = _raw.get(page.file.src_uri)
    if not lifted:
        return html_text
    resolved = [_resolve_links(block, page, files) for block in lifted]
    if page.present_anchor_ids is not None:
        for block in resolved:
            page.present_anchor_ids.update(blocks.ID.findall(block))
    headings = _headings.get(page.file.src_uri)
    if headings:  # written as HTML: Markdown saw no heading, so the contents come from the renderer
        page.toc = get_toc(nest_toc_tokens([{"level": h.level, "id": h.id, "name": h.name} for h in headings]))
    return blocks.join(html_text, resolved)


def _toc_urls(items: Iterable[AnchorLink]) -> dict[str, str]:
    urls: dict[str, str] = {}
    for item in items:
        urls.setdefault(item.id, item.url)
        for key, value in _toc_urls(item.children).items():
            urls.setdefault(key, value)
    return urls


# Before Material's search plugin, which rewrites ``page.content`` (it strips ``data-search-*``
# attributes): the entries are made from the HTML as the calculators' hook left it.
@event_priority(50)
def on_page_context(context: TemplateContext, page: MkDocsPage, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    if page.file.src_uri in _search and page.content is not None:
        tags = page.meta.get("tags")
        _search[page.file.src_uri] = search_entries(
            page.content,
            page.url,
            str(page.meta.get("title", page.title)),
            _toc_urls(page.toc),
            [str(t) for t in tags if t and isinstance(t, str | int | float | bool)] if isinstance(tags, list) else (),
        )
    return context


# After Material's search plugin (priority 0) has written the index, before its offline plugin
# (-100) copies the index into search_index.js for sites opened from disk.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    if not _search or not index_file.is_file():  # no search plugin
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    index["docs"] += [entry for entries in _search.values() for entry in entries]
    index_file.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
