"""Render the validated library into pages: Markdown strings and export files, no MkDocs.

``render_pages(library, config)`` returns every generated :class:`Page`: the playbook
library index and one page (plus a CSV and a Markdown checklist) per playbook, the metrics
index and one page per metric, the segments overview and one page per tier, the health
model, the journey map, the operating-model overview and the roles page. The MkDocs hook
hands them to MkDocs as virtual files; :func:`write_pages` writes them to a folder for any
other site generator (``python -m cslibrary render OUTDIR``).

Python computes what each page says (a view of the :class:`~.catalog.Catalog`); a Jinja2
template under ``templates/`` lays it out, and escapes every YAML text it prints
(:mod:`.templating`). A team's own templates, in a folder passed as ``templates``, replace
the shipped ones of the same name (``docs/guides/page-templates.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..model import Library
from .catalog import Catalog
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
    return pages


def write_pages(pages: Iterable[Page], outdir: Path) -> int:
    """Write ``pages`` under ``outdir`` (folders created); returns how many files were written."""
    count = 0
    for page in pages:
        target = outdir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8", newline="")
        count += 1
    return count
