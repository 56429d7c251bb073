"""The filters page templates use besides Jinja's own (``{{ value|number }}``): each escapes for one place.

A filter that takes text escapes it for the file it is used in, as printing does
(:mod:`.templating`): HTML in ``.html`` files, Markdown text in ``.md`` files. The others
write a value for one particular place in a page, where neither escaping fits.

>>> from markupsafe import Markup
>>> _code("a`b"), _anchor("pre_sales"), _anchor("a b<"), _url("../health_score.md#bands"), _url("javascript:x")
(Markup('``a`b``'), Markup('pre_sales'), Markup('a-b'), Markup('../health_score.md#bands'), Markup('#'))
>>> _yaml("Q&A \\"x\\""), _number(1234.5), _number(None)
(Markup('"Q&A \\\\"x\\\\""'), Markup('1,234.5'), Markup('—'))
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from . import labels
from .catalog import Link
from .escape import html_text, is_safe_url, md_text

__all__ = ["FILTERS", "TESTS", "escaper", "is_markdown"]

_ANCHOR = re.compile(r"[A-Za-z0-9_\-]+\Z")
_URL_ESCAPES = {c: f"%{ord(c):02X}" for c in " ()<>\\\t\n\r"}


def is_markdown(template_name: str | None) -> bool:
    """Whether a template is Markdown (``.md``); any other file is HTML."""
    return template_name is not None and template_name.endswith(".md")


def escaper(template_name: str | None) -> Callable[[object], str]:
    """The function that escapes plain text for the template ``template_name``."""
    return md_text if is_markdown(template_name) else html_text


@pass_context
def _escape(context: Context, value: object) -> Markup:
    """``e``/``escape``: what printing does anyway (escaped for the file)."""
    return value if isinstance(value, Markup) else Markup(escaper(context.name)(value))


@pass_context
def _join(context: Context, items: Iterable[object], separator: str = "") -> Markup:
    """``join``: each item escaped for the file (unless markup already); the separator is template text."""
    escape = escaper(context.name)
    return Markup(str(separator).join(i if isinstance(i, Markup) else escape(i) for i in items))


@pass_context
def _cell(context: Context, value: object) -> Markup:
    """A Markdown table cell: escaped, and one space when it would be empty."""
    return Markup(_escape(context, value) or " ")


@pass_context
def _link(context: Context, link: Link) -> Markup:
    """A :class:`~.catalog.Link` as a link (``<a>`` or ``[text](href)``); its text alone when it has no target."""
    if is_markdown(context.name):
        text = md_text(link.text)
        return Markup(text if link.href is None else f"[{text}]({_url(link.href)})")
    text = html_text(link.text)
    return Markup(text if link.href is None else f'<a href="{html_text(link.href)}">{text}</a>')


def _number(value: float | int | None) -> Markup:
    """A number as :func:`~.labels.number` writes it (digits and punctuation only: nothing to escape)."""
    if not isinstance(value, int | float | None):
        raise TypeError(f"number: expected a number, got {value!r}")
    return Markup(labels.number(value))


def _code(value: object) -> Markup:
    """Markdown code: backticks around the text, more of them than any run of backticks inside."""
    text = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def _anchor(value: object) -> Markup:
    """An id for ``{ #id }``: letters, digits, ``_`` and ``-`` only (others become ``-``)."""
    text = str(value)
    return Markup(text if _ANCHOR.match(text) else re.sub(r"[^A-Za-z0-9_\-]+", "-", text).strip("-") or "-")


def _url(value: object) -> Markup:
    """A Markdown link target: ``#`` for an unsafe scheme; spaces, brackets and ``<>`` %-escaped."""
    text = str(value)
    if not is_safe_url(text):
        return Markup("#")
    return Markup("".join(_URL_ESCAPES.get(c, c) for c in text))


def _yaml(value: object) -> Markup:
    """A front matter value: JSON, which YAML reads back verbatim."""
    return Markup(json.dumps(value))


FILTERS: dict[str, Callable[..., Any]] = {
    "e": _escape,
    "escape": _escape,
    "join": _join,
    "cell": _cell,
    "link": _link,
    "number": _number,
    "code": _code,
    "anchor": _anchor,
    "url": _url,
    "yaml": _yaml,
}


def _is_link(value: object) -> bool:
    """``value is link``: a :class:`~.catalog.Link` (printed with ``|link``)."""
    return isinstance(value, Link)


TESTS: dict[str, Callable[..., bool]] = {"link": _is_link}
