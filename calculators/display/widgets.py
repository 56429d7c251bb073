"""One result slot of a calculator's page and the pieces it is built from.

An :class:`Output` fills one element ``data-output="KEY"``. The helpers here format
numbers for display (rounded here, for display only) and build the HTML of labelled values,
badges, tables and cells; every text is HTML-escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .charts import esc

Config = Mapping[str, Any]
Result = Mapping[str, Any]


@dataclass(frozen=True)
class Output:
    """One result slot: ``html`` goes into the element ``data-output="KEY"``.

    ``value`` is the raw value as JSON text (for ``data-value``), set for single values.
    ``wide`` outputs (tables, charts, formulas) take the full width under the key figures.
    """

    key: str
    label: str
    html: str
    value: str | None = None
    wide: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "html": self.html, "value": self.value}


#: A calculator's presenter: ``(inputs, result, config, base)`` → its outputs, in page order.
Presenter = Callable[[Mapping[str, Any], Result, Config, str], list[Output]]


# ---------------------------------------------------------------- number formatting


def money(value: float | None) -> str:
    """Money in the input's currency unit, thousands separated.

    >>> money(1_234_567.8), money(49.5), money(None)
    ('1,234,568', '49.50', '—')
    """
    if value is None:
        return "—"
    if abs(value) < 100 and value != int(value):
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def pct(value: float | None, digits: int = 1) -> str:
    """A percentage in percent units: ``pct(65.55)`` → ``'65.6 %'``."""
    return "—" if value is None else f"{value:,.{digits}f} %"


def num(value: float | None, digits: int = 1) -> str:
    """A plain number with ``digits`` decimals (integers print without)."""
    if value is None:
        return "—"
    if isinstance(value, int) or (digits and value == int(value) and abs(value) >= 1000):
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _raw(value: Any) -> str | None:
    if value is None or isinstance(value, str | int | float | bool):
        return json.dumps(value)
    return None


def stat(key: str, label: str, text: str, value: Any = None) -> Output:
    """A labelled value shown as plain ``text`` (escaped here); ``value`` is the raw value."""
    return Output(key, label, esc(text), _raw(value))


def html_output(key: str, label: str, html: str, value: Any = None, wide: bool = False) -> Output:
    """A labelled piece of ready-made (already escaped) ``html``: a badge, a table, a chart."""
    return Output(key, label, html, _raw(value), wide)


def badge(band: str | None, label: str | None, range_text: str | None = None) -> str:
    """A band's badge, with its range in muted text; ``no band`` when there is none."""
    if not band:
        return '<span class="cs-badge cs-badge--none">no band</span>'
    out = f'<span class="cs-badge cs-band--{esc(band)}">{esc(label or band)}</span>'
    if range_text:
        out += f' <span class="cs-muted">{esc(range_text)}</span>'
    return out


def html_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = (), caption: str = "", cls: str = ""
) -> str:
    """An HTML table; cells are already-escaped HTML. ``numeric`` columns align right."""
    right = ' class="cs-num"'
    head = "".join(f'<th scope="col"{right if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{right if i in numeric else ''}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<div class="cs-table-wrap"><table class="cs-table {esc(cls)}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def cell(key: str, text: str, value: Any = None) -> str:
    """A table cell's content that is itself an output (``data-output="contributions.support"``)."""
    raw = _raw(value)
    data = f' data-value="{esc(raw)}"' if raw is not None else ""
    return f'<span data-output="{esc(key)}"{data}>{esc(text)}</span>'


def labels(pairs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """``id`` → label of configuration items (a missing label is the id)."""
    return {str(p["id"]): str(p.get("label", p["id"])) for p in pairs}


def playbook_link(playbook: str | None, config: Config, base: str) -> str:
    """A link to the playbook's page (``base`` is the site root), its id when unknown, ``—`` when none."""
    if not playbook:
        return "—"
    known = config.get("playbooks", {})
    if playbook not in known:
        return esc(playbook)
    title = known[playbook].get("title", playbook)
    return f'<a class="cs-playbook-link" href="{esc(base)}playbooks/{esc(quote(playbook))}/">{esc(title)}</a>'
