"""The library's options in ``mkdocs.yml``, typed and checked as Material's plugins check theirs.

They live under ``extra: library:`` (a hook has no ``plugins:`` entry of its own)::

    extra:
      library:
        fast_pages: true   # generated pages skip Markdown and are indexed by our own code
        templates: ""      # a folder of page templates that replace the shipped ones
        pyodide_url: ""    # load Pyodide from this URL (a CDN) instead of the vendored copy
        snapshot: true     # make and serve the calculators' start-up snapshot

A wrong type or an unknown key stops the build with a message naming the option.

:func:`repository` decides where the repository link and the pages' "edit" links point:
``repo_url`` from ``mkdocs.yml`` (``REPO_URL``), else the repository GitHub Actions is
building (``GITHUB_SERVER_URL`` and ``GITHUB_REPOSITORY``, set in every workflow run, so a
fork's site links to the fork), else nowhere: no repository link and no edit links.

>>> options = load_options({"library": {"fast_pages": False}})
>>> options.fast_pages, options.snapshot
(False, True)
>>> load_options({"library": {"snapshot": "yes"}})
Traceback (most recent call last):
...
mkdocs.exceptions.PluginError: extra.library.snapshot in mkdocs.yml: Expected type: <class 'bool'> but received: <class 'str'>
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

__all__ = ["LibraryOptions", "load_options", "repository"]


class LibraryOptions(base.Config):  # type: ignore[no-untyped-call]  # MkDocs declares __init_subclass__ without types
    """``extra.library`` in ``mkdocs.yml``."""

    #: The fast path: generated pages are handed to MkDocs with their HTML lifted out of the
    #: Markdown and put back afterwards, playbook pages carry their own table of contents, and
    #: :mod:`cslibrary.site.search` indexes them. ``false`` is the plain path: the same pages
    #: go through Markdown whole and Material's search plugin indexes them.
    fast_pages = c.Type(bool, default=True)
    #: A folder (relative to ``mkdocs.yml``) whose page templates replace the shipped ones.
    templates = c.Type(str, default="")
    #: Load the Pyodide runtime from this URL instead of the copy vendored into the site.
    pyodide_url = c.Type(str, default="")
    #: Make and serve a start-up snapshot of the calculators (about 7 MB; starts ~3x faster).
    snapshot = c.Type(bool, default=True)


def load_options(extra: Mapping[str, Any] | None) -> LibraryOptions:
    """``extra.library`` of ``mkdocs.yml``, validated; :class:`PluginError` names the bad option."""
    raw = (extra or {}).get("library") or {}
    if not isinstance(raw, Mapping):
        raise PluginError("extra.library in mkdocs.yml must be a mapping of options")
    options = LibraryOptions()
    options.load_dict(dict(raw))
    errors, _warnings = options.validate()
    for key, error in errors:
        raise PluginError(f"extra.library.{key} in mkdocs.yml: {error}")
    unknown = sorted(set(raw) - set(options))
    if unknown:
        raise PluginError(f"extra.library in mkdocs.yml: unknown option {unknown[0]!r} (known: {', '.join(sorted(options))})")
    return options


_SERVER = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?/?")
_OWNER_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def repository(repo_url: str | None, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The repository's address and its name for the header link; None when unknown.

    ``repo_url`` is ``mkdocs.yml``'s (``REPO_URL`` there); without it, the repository a GitHub
    Actions run is building. The name is what MkDocs derives from the address.

    >>> repository(None, {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/cs-library"})
    ('https://github.com/acme/cs-library', 'GitHub')
    >>> repository("https://gitlab.example.com/cs/library", {"GITHUB_REPOSITORY": "acme/cs-library"})
    ('https://gitlab.example.com/cs/library', 'Gitlab')
    >>> repository(None, {}) is None, repository(None, {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "a b"})
    (True, None)
    """
    url = repo_url or ""
    if not url:
        server, name = environ.get("GITHUB_SERVER_URL", ""), environ.get("GITHUB_REPOSITORY", "")
        if not (_SERVER.fullmatch(server) and _OWNER_REPO.fullmatch(name)):
            return None
        url = f"{server.rstrip('/')}/{name}"
    host = urlsplit(url).netloc.lower()
    names = {"github.com": "GitHub", "bitbucket.org": "Bitbucket", "gitlab.com": "GitLab"}
    return url, names.get(host, host.split(".")[0].title())
