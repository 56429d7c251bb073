"""Links between generated pages, for generators that do not resolve links inside HTML.

Generated pages link to each other's ``.md`` sources, as Markdown links do; inside raw HTML
blocks no generator rewrites them (the MkDocs package does it itself, see
:mod:`cslibrary.site.pages`). :func:`directory_urls` rewrites them the way a generator with
directory URLs publishes pages (``playbooks/at-risk.md`` at ``playbooks/at-risk/``,
``index.md`` at its folder), for ``python -m cslibrary render OUTDIR --links urls``.

>>> directory_urls('<a href="../metrics/nrr.md#bands">NRR</a> <a href="qbr/steps.csv">CSV</a>', "playbooks/qbr.md")
'<a href="../../metrics/nrr/#bands">NRR</a> <a href="steps.csv">CSV</a>'
>>> directory_urls('<a href="index.md">All</a> <a href="https://example.com/a.md">out</a>', "playbooks/qbr.md")
'<a href="../">All</a> <a href="https://example.com/a.md">out</a>'
"""

from __future__ import annotations

import html
import posixpath
import re

from .blocks import RELATIVE_HREF

__all__ = ["directory_url", "directory_urls"]


def directory_url(path: str) -> str:
    """The folder a source is published at with directory URLs; other files keep their path.

    >>> directory_url("playbooks/at-risk.md"), directory_url("playbooks/index.md"), directory_url("a/b.csv")
    ('playbooks/at-risk/', 'playbooks/', 'a/b.csv')
    """
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if posixpath.basename(stem) in ("index", "README"):
        folder = posixpath.dirname(stem)
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def directory_urls(content: str, page_path: str) -> str:
    """``content`` with every relative link in its HTML rewritten from a source path to a directory URL."""
    here = directory_url(page_path)
    source_folder = posixpath.dirname(page_path)

    def rewrite(match: re.Match[str]) -> str:
        opener, value, closer = match.groups()
        path, hash_, anchor = html.unescape(value).partition("#")
        if not path:
            return match.group(0)
        target = directory_url(posixpath.normpath(posixpath.join(source_folder, path)))
        start = here if here.endswith("/") or not here else posixpath.dirname(here)
        relative = posixpath.relpath(target or ".", start or ".")
        if target.endswith("/") or not target:
            relative = "./" if relative == "." else relative.rstrip("/") + "/"
        return opener + html.escape(relative + hash_ + anchor) + closer

    return RELATIVE_HREF.sub(rewrite, content)
