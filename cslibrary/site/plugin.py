"""The library as one MkDocs plugin object: every build event, with the build's state on the object.

``hooks/playbook_library.py`` creates one :class:`LibraryPlugin` and hands MkDocs its event
methods; nothing else in the project imports MkDocs or Material. The work is done by:

* :mod:`cslibrary.model` — load and validate ``playbooks/`` (:func:`cslibrary.model.cache.load`
  reads it once per change, so ``mkdocs serve`` re-reads only after an edit);
* :mod:`cslibrary.render` — the pages, as strings, with no MkDocs imports;
* :class:`~cslibrary.site.pages.GeneratedPages` — those pages as MkDocs files, their links,
  contents and search entries;
* :class:`~cslibrary.site.calculator_pages.CalculatorPages` — the in-page calculators;
* :func:`~cslibrary.site.policy.policy` — the Content-Security-Policy, the same on every page,
  which ``overrides/main.html`` writes first in ``<head>`` (on calculator pages
  :meth:`~cslibrary.site.calculator_pages.CalculatorPages.add_data` writes it with the data).

Options come from ``extra.library`` in ``mkdocs.yml`` (:mod:`cslibrary.site.config`), which
also says where the repository and "edit" links point (:func:`~cslibrary.site.config.repository`:
nowhere when the repository is unknown). :mod:`cslibrary.site.navigation` puts the playbook,
metric and segment pages in the navigation under their section and group.

On any problem in the YAML, ``on_config`` logs every one as ``file:line:col: field: message``
and aborts before anything is written. Under ``mkdocs serve`` it keeps them instead, and the
build makes one page listing them (:mod:`cslibrary.site.serve_errors`) in place of the site,
until the files are fixed.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..model.cache import load
from ..model.loader import LibraryError
from ..model.yaml_reader import Problem
from ..render import RenderError, render_pages
from ..render.tasklist import name_task_boxes
from . import serve_errors
from .calculator_pages import CalculatorPages
from .config import LibraryOptions, load_options, repository
from .navigation import Place, add_to_nav, places
from .pages import GeneratedPages, edit_base

__all__ = ["LibraryPlugin"]

log = logging.getLogger("mkdocs.hooks.library")


class LibraryPlugin:
    """The library's MkDocs events; one instance lives as long as the MkDocs process."""

    def __init__(self) -> None:
        self.options = LibraryOptions()
        self.generated = GeneratedPages()
        self.calculators = CalculatorPages()
        #: Where each generated page goes in the navigation, and the pages placed there this build.
        self.places: list[Place] = []
        self.in_nav: set[str] = set()
        #: `mkdocs serve`: problems in the YAML make a page listing them instead of stopping the server.
        self.serving = False
        #: This build's problems (serve only), shown in place of the site.
        self.problems: list[Problem] = []
        self.root = Path()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # `mkdocs serve` injects an inline live-reload script: the policy allows inline scripts then.
        self.serving = self.calculators.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.options = load_options(config.extra)
        self._set_repository(config)
        root = self.root = Path(str(config.config_file_path)).resolve().parent
        templates = root / self.options.templates if self.options.templates else None
        self.problems = []
        try:
            loaded = load(root)
            pages = render_pages(
                loaded.library, loaded.config, edit_base=edit_base(config), **({"templates": templates} if templates else {})
            )
        except LibraryError as err:
            if self.serving:
                return self._show_problems(config, err.problems)
            for problem in err.problems:
                log.error(str(problem))
            raise Abort(
                f"{len(err.problems)} problem(s) in playbooks/: nothing was built. Run `make validate` after fixing them."
            ) from None
        except RenderError as err:
            if self.serving:
                return self._show_problems(config, [Problem(err.source, message=str(err).removeprefix(f"{err.source}: "))])
            log.error(str(err))
            raise Abort("a page could not be generated: nothing was built.") from None
        self.generated = GeneratedPages(fast=self.options.fast_pages)
        self.generated.pages = pages
        self.places = places(loaded.library)
        self.calculators.configure(root, loaded.config, cdn=self.options.pyodide_url, snapshot=self.options.snapshot)
        # The policy (it allows the calculators' runtime origin), for the pages the theme renders
        # without a page event (404.html); on_page_context hands it to the others.
        config.extra["library_csp"] = self.calculators.policy
        return config

    @staticmethod
    def _set_repository(config: MkDocsConfig) -> None:
        """The repository link and edit links: ``repo_url``, else GitHub Actions' repository, else none at all."""
        found = repository(config.repo_url, os.environ)
        if found:
            config.repo_url, name = found
            config.repo_name = config.repo_name or name
        else:
            config.repo_url = config.repo_name = None
            if config.edit_uri and "://" not in config.edit_uri:  # relative to a repository we do not know
                config.edit_uri = None

    def _show_problems(self, config: MkDocsConfig, problems: list[Problem]) -> MkDocsConfig:
        """Serve only: build no page, keep the problems for the page ``on_post_build`` writes."""
        serve_errors.report(problems)
        self.problems = list(problems)
        self.generated = GeneratedPages(fast=self.options.fast_pages)
        self.places = []
        # The navigation names pages this build leaves out: an empty one, or MkDocs would warn
        # about each (and `--strict` stop the build this page is made by).
        config.nav = []
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.problems:
            return Files([])
        return self.generated.add_files(files, config)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.in_nav = set(add_to_nav(nav, files, self.places))
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.generated.page_markdown(page)
        if page.file.src_uri in self.in_nav:
            hide = page.meta.get("hide")
            if isinstance(hide, list) and "navigation" in hide:
                # Its template asked for the full width; in the navigation it shows its section.
                page.meta["hide"] = [h for h in hide if h != "navigation"]
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Task list check boxes named by their text (a hand-written page's, a framework's checklist).
        return self.calculators.expand(name_task_boxes(self.generated.page_content(html, page, files)), page)

    # Before Material's search plugin, which rewrites ``page.content`` (it strips ``data-search-*``
    # attributes): the entries are made from the HTML as the events above left it.
    @event_priority(50)
    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        self.generated.index_page(page)
        # The policy, for overrides/main.html (a template variable: front matter cannot set it). On a
        # calculator page on_post_page writes it with the page's data, so the template writes none there.
        context["library_csp"] = "" if self.calculators.has_calculator(page) else self.calculators.policy  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.calculators.add_data(output, page)

    # After Material's search plugin (priority 0) has written the index, before its offline plugin
    # (-100) copies the index into search_index.js for sites opened from disk.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.problems:
            # The server answers every address with 404.html: the site has no other page now.
            (Path(config.site_dir) / "404.html").write_text(serve_errors.error_page(self.problems, self.root), encoding="utf-8")
            return
        self.generated.write_search_entries(config.site_dir)
        self.calculators.write_files(config.site_dir)
