"""The site's Content-Security-Policy: one policy, the same on every page.

Every page the theme renders (generated pages, hand-written pages, ``404.html``) carries it as
the first element of ``<head>``, so it governs everything the page loads:
``overrides/main.html`` writes it (the plugin hands the text over in ``config.extra
["library_csp"]``, read by ``404.html`` too, which has no page events, and in each page's
template context, which front matter cannot set); on a calculator page
:meth:`~cslibrary.site.calculator_pages.CalculatorPages.add_data` writes it next to the page's data.

Everything comes from the site's own origin: scripts, styles, fonts, images (and ``data:``
images, which Material's icons use), connections (the search index, the calculators' files),
workers (Material's search), frames and media; no plugins (``object-src 'none'``), and
``<base>`` and form targets stay on the site. No inline script runs: Material's inline scripts
are files (``overrides/partials/javascripts/``), and no inline style either: Material sets
styles through the CSSOM, which the policy does not restrict, and Markdown writes a table
column's alignment as ``align="right"`` (``tables: use_align_attribute`` in ``mkdocs.yml``).

The calculators need WebAssembly (``'wasm-unsafe-eval'``, for Pyodide) and, when
``extra.library.pyodide_url`` names a CDN, that origin for scripts and connections. Every page
allows them, not only the calculator pages: after an instant navigation the browser keeps the
policy of the page the reader opened first, so a calculator reached from the home page runs
under the home page's policy. ``'wasm-unsafe-eval'`` lets the site's own scripts compile
WebAssembly; it allows no ``eval`` and no script from anywhere else.

``mkdocs serve`` injects an inline live-reload script into every page: while serving, the
policy also allows inline scripts, so a remote image or font in a page still shows as a
violation in the browser console before the site is published.

>>> print(policy())
default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'
>>> [d for d in policy(cdn="https://cdn.example.org/pyodide/v1/full/").split("; ") if "cdn" in d]
["script-src 'self' 'wasm-unsafe-eval' https://cdn.example.org", "connect-src 'self' https://cdn.example.org"]
>>> policy(serving=True).split("; ")[1]
"script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'"
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["policy"]

# A host (name, IPv4 or [IPv6]) and an optional port: nothing that could end the directive.
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?\Z")


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of an http(s) URL; :class:`ValueError` for anything else."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower()
    if parts.scheme.lower() not in ("http", "https") or not _HOST.match(netloc):
        raise ValueError(f"not an http(s) URL with a plain host: {url!r}")
    return f"{parts.scheme.lower()}://{netloc}"


def policy(*, cdn: str = "", serving: bool = False) -> str:
    """The Content-Security-Policy of every page; ``cdn``: the Pyodide URL when it is set, ``serving``: ``mkdocs serve``."""
    scripts = ["'self'", "'wasm-unsafe-eval'"]
    connect = ["'self'"]
    if cdn:
        scripts.append(_origin(cdn))
        connect.append(_origin(cdn))
    if serving:
        scripts.append("'unsafe-inline'")
    directives = [
        "default-src 'self'",
        f"script-src {' '.join(scripts)}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src {' '.join(connect)}",
        "worker-src 'self'",
        "frame-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)
