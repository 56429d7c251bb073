"""Render the validated library into pages: Markdown strings and export files, no MkDocs.

``render_pages(library, config)`` returns every generated :class:`Page`: the playbook
library index and one page (plus a CSV and a Markdown checklist) per playbook, the metrics
index and one page per metric, the segments overview and one page per tier, the health
model, the journey map, the operating-model overview, the roles page, and the frameworks
index with one page per framework. The MkDocs hook
hands them to MkDocs as virtual files; :func:`write_pages` writes them to a folder for any
other site generator (``python -m cslibrary render OUTDIR``), all or nothing.

Python computes what each page says (a view of the :class:`~.catalog.Catalog`); a Jinja2
template under ``templates/`` lays it out, and escapes every YAML text it prints
(:mod:`.templating`). A team's own templates, in a folder passed as ``templates``, replace
the shipped ones of the same name (``docs/guides/page-templates.md``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from ..model import Library
from .catalog import Catalog
from .frameworks import framework_page, frameworks_index
from .health_model import health_page
from .journey import journey_page
from .library_index import library_index
from .metrics import metric_page, metrics_index
from .overview import operating_model_page
from .page import Page, RenderError
from .playbooks import playbook_pages
from .roles import roles_page
from .segments import segment_page, segments_index
from .templating import Templates

__all__ = ["Page", "RenderError", "render_pages", "write_pages"]

#: Where the pages go and the extensions they have: a folder holding nothing else is taken
#: for a previous render, which :func:`write_pages` may replace (with the current pages' own).
RENDER_FOLDERS = ("playbooks", "metrics", "segments", "model", "frameworks")
RENDER_SUFFIXES = (".md", ".csv")


def render_pages(library: Library, config: Mapping[str, Any], *, edit_base: str | None = None, templates: Path | None = None) -> list[Page]:
    """Every generated page and export for ``library``.

    ``config`` is the calculators' configuration built from the same library (the worked
    examples are computed with it). ``edit_base`` (``https://github.com/o/r/edit/main/``)
    makes pages link to their YAML source for editing. ``templates`` is a folder of page
    templates that replace the shipped ones of the same name (``playbook.html``…). Raises
    :class:`RenderError` when a page cannot be built (a worked example the calculator refuses,
    a template with an error, a ``templates`` folder that does not exist).
    """
    catalog = Catalog(library, config, edit_base)
    layouts = Templates(templates)
    pages = [library_index(catalog, layouts), metrics_index(catalog, layouts), segments_index(catalog, layouts)]
    pages += [
        health_page(catalog, layouts),
        journey_page(catalog, layouts),
        operating_model_page(catalog, layouts),
        roles_page(catalog, layouts),
    ]
    for playbook in catalog.playbooks():
        pages += playbook_pages(catalog, layouts, playbook)
    pages += [metric_page(catalog, layouts, m) for m in sorted(library.metrics.values(), key=lambda m: m.id)]
    pages += [segment_page(catalog, layouts, t) for t in library.segments.tiers]
    pages.append(frameworks_index(catalog, layouts))
    pages += [framework_page(catalog, layouts, f) for f in sorted(library.frameworks.values(), key=lambda f: f.id)]
    return pages


def write_pages(pages: Iterable[Page], outdir: Path) -> int:
    """Write ``pages`` as the whole content of ``outdir``, all or nothing; returns how many files.

    The pages are written into a new hidden folder next to ``outdir`` (``.<name>.render-…``),
    which then takes the place of ``outdir``: a render that fails half-way (a disk that fills
    up, a name the file system refuses) leaves ``outdir`` as it was and removes its own folder.
    ``outdir`` is replaced as a whole, so pages of playbooks since removed do not linger.

    Raises :class:`RenderError`, writing nothing, when ``outdir``

    * is a symbolic link (it is never followed into somewhere else), or exists and is no folder;
    * is a folder that is neither empty nor a previous render: a previous render holds only
      folders and files under the folders the pages go to (:data:`RENDER_FOLDERS`) with the
      extensions pages have (:data:`RENDER_SUFFIXES`), and no links. Anything else
      (a hand-written ``index.md`` at the top, a ``.git`` folder) would be deleted with the
      rest, so the folder is refused: pass a new or empty folder, or empty it first.

    The swap is two renames in the same folder: between them, for an instant, ``outdir``
    does not exist.
    """
    pages = list(pages)
    outdir = Path(os.path.abspath(outdir))  # abspath, not resolve: a link at outdir is refused, not followed
    where = str(outdir)
    paths: list[PurePosixPath] = []
    for page in pages:
        path = PurePosixPath(page.path)
        if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts) or "\\" in page.path:
            raise RenderError(page.path, "a page path must stay inside the output folder")
        paths.append(path)
    if not outdir.name:
        raise RenderError(where, "is the root of a file system: render into a folder of its own")
    tops, suffixes = {*RENDER_FOLDERS, *(p.parts[0] for p in paths)}, {*RENDER_SUFFIXES, *(p.suffix for p in paths)}
    _check_outdir(outdir, tops, suffixes)
    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = _fresh(outdir.parent, f".{outdir.name}.render-")
    os.mkdir(staging)  # not mkdtemp: the folder gets the usual permissions (umask), not 0700
    try:
        for page, path in zip(pages, paths, strict=True):
            target = staging.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "x", encoding="utf-8", newline="") as handle:  # "x": two pages never share a file
                handle.write(page.content)
        _check_outdir(outdir, tops, suffixes)  # again, just before the swap
        _swap(staging, outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(pages)


def _fresh(parent: Path, prefix: str) -> Path:
    """A name in ``parent`` that nothing has yet."""
    while os.path.lexists(path := parent / f"{prefix}{secrets.token_hex(6)}"):
        pass
    return path


def _check_outdir(outdir: Path, tops: set[str], suffixes: set[str]) -> None:
    """Refuse an ``outdir`` that :func:`write_pages` must not replace (see there)."""
    try:
        info = os.lstat(outdir)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise RenderError(str(outdir), "is a symbolic link: refused, nothing was written (pass the folder itself, not a link to it)")
    if not stat.S_ISDIR(info.st_mode):
        raise RenderError(str(outdir), "exists and is not a folder: refused, nothing was written")
    for top, dirs, files in os.walk(outdir):
        rel = Path(top).relative_to(outdir)
        for name in dirs + files:
            entry = Path(top, name)
            foreign = (
                entry.is_symlink()
                or (not rel.parts and name not in tops)
                or (name in files and (not entry.is_file() or entry.suffix not in suffixes))
            )
            if foreign:
                raise RenderError(
                    str(outdir),
                    f"holds {(rel / name).as_posix()!r}, which no render writes: refused, nothing was written "
                    "(a render replaces the whole folder; pass a new or empty folder, or a previous render's)",
                )


def _swap(staging: Path, outdir: Path) -> None:
    """Put ``staging`` in the place of ``outdir`` (which may not exist), then delete the old one."""
    if not os.path.lexists(outdir):
        os.replace(staging, outdir)
        return
    old = _fresh(outdir.parent, f".{outdir.name}.old-")
    os.replace(outdir, old)
    try:
        os.replace(staging, outdir)
    except BaseException:
        os.replace(old, outdir)
        raise
    shutil.rmtree(old, ignore_errors=True)
