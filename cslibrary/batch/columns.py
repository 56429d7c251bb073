"""Matching a file's headers to the columns the batch scorer reads.

Conventions:

* A header matches a column when the two are equal after lower-casing and removing spaces,
  hyphens and underscores: ``Product Usage``, ``product-usage`` and ``PRODUCT_USAGE`` all
  mean ``product_usage``. A few common CRM spellings are accepted too (``Account name`` and
  ``Customer`` for ``account``, ``Health score`` for ``health``, ``Contract end date`` for
  ``renewal_date``; see :data:`ALIASES`).
* ``--map map.yml`` renames headers first. It is a YAML mapping of ``file header: column``
  (optionally under a top-level ``columns:`` key). The header side is matched the same
  forgiving way; a column of ``null`` or ``ignore`` keeps a header out of the matching (it is
  still copied to the output).
* Required: ``account``; ``arr`` or ``mrr`` (``arr`` wins when both are present; ``mrr`` is
  multiplied by 12); ``health`` or at least one component column (the components win when
  both are present, and ``health`` is then only copied through). ``backtest`` also needs
  ``outcome``. A missing required column, or two headers that mean the same column, is a
  :class:`~cslibrary.batch.reader.BatchInputError` (one line, exit 2).
* Every input column is copied to the output under its own header. An input header equal to
  one of :data:`RESULT_COLUMNS` is written as ``<header>_input`` so that nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .reader import BatchInputError

#: The columns the scorer appends to every accepted row, in this order.
RESULT_COLUMNS = ("score", "band", "playbook", "renewal_probability", "expected_renewal", "segment", "segment_source", "transition")

#: The columns of the errors file. ``sheet_row`` is the row number a spreadsheet shows for
#: the rejected row (the header is row 1); ``data_row`` counts data rows from 1.
ERROR_COLUMNS = ("sheet_row", "data_row", "account", "column", "value", "reason")

#: Columns the scorer understands besides the health components.
BASE_COLUMNS = ("account", "arr", "mrr", "segment", "health", "renewal_date", "outcome")

#: Extra spellings, written normalised (see :func:`normalise`).
ALIASES = {
    "accountname": "account",
    "customer": "account",
    "customername": "account",
    "healthscore": "health",
    "contractend": "renewal_date",
    "contractenddate": "renewal_date",
    "renewal": "renewal_date",
    "annualrecurringrevenue": "arr",
    "monthlyrecurringrevenue": "mrr",
    "renewaloutcome": "outcome",
}

_IGNORE = {"", "ignore", "none", "null", "~"}


def normalise(header: str) -> str:
    """A header as compared: lower case, without spaces, hyphens and underscores.

    >>> normalise(" Product-Usage ")
    'productusage'
    >>> normalise("RENEWAL_DATE")
    'renewaldate'
    """
    return re.sub(r"[\s_\-]+", "", header.replace("\ufeff", "")).lower()


def percent_columns(components: Sequence[str], mapping: Mapping[str, str | None] | None = None) -> Callable[[str], bool]:
    """Which headers hold a percentage: the health score, its components (0–100) and percent changes (``nps_change``).

    An XLSX cell of such a column formatted as a percentage (0.72 shown as 72 %) is read as the
    percentage shown.

    >>> check = percent_columns(["product_usage"], {"Usage %": "product_usage"})
    >>> [check(h) for h in ("Health Score", "Usage %", "NPS change", "ARR")]
    [True, True, True, False]
    """
    names = {normalise(c) for c in ("health", *components)} | {k for k, v in ALIASES.items() if v == "health"}
    renamed = {normalise(k): normalise(v) for k, v in (mapping or {}).items() if v}

    def check(header: str) -> bool:
        name = renamed.get(normalise(header), normalise(header))
        return name in names or name.endswith("change")

    return check


@dataclass(frozen=True)
class Plan:
    """How a file's columns are used: ``roles`` maps a column name to its position."""

    headers: tuple[str, ...]
    roles: dict[str, int]
    components: tuple[str, ...]
    use_health: bool
    arr_from_mrr: bool
    output_headers: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    def header(self, role: str) -> str:
        """The file's own header for a column the scorer reads."""
        return self.headers[self.roles[role]]


def load_map(path: str | Path) -> dict[str, str | None]:
    """Read a ``--map`` YAML file of ``file header: column`` renames."""
    import yaml

    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BatchInputError(f"--map {source}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise BatchInputError(f"--map {source}: is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise BatchInputError(f"--map {source}{where}: is not valid YAML") from None
    if isinstance(data, dict) and set(data) == {"columns"}:
        data = data["columns"]
    if not isinstance(data, dict) or not data:
        raise BatchInputError(f"--map {source}: must be a YAML mapping of 'file header: column'")
    out: dict[str, str | None] = {}
    for key, value in data.items():
        if not isinstance(key, str | int | float) or not (value is None or isinstance(value, str)):
            raise BatchInputError(f"--map {source}: {key!r}: expected 'file header: column name' (got {value!r})")
        out[str(key)] = value
    return out


def resolve(
    headers: Sequence[str],
    components: Sequence[str],
    mapping: Mapping[str, str | None] | None = None,
    *,
    need_outcome: bool = False,
    need_score: bool = True,
    extra: Sequence[str] = (),
    source: str = "input",
) -> Plan:
    """Match ``headers`` to the scorer's columns; raise :class:`BatchInputError` when it can't.

    ``extra`` names further columns a command reads (``plays``: metrics, dates, events);
    ``need_score=False`` makes ``arr`` and the health columns optional.

    >>> plan = resolve(["Account Name", "ARR", "Health Score"], ["product_usage"])
    >>> plan.roles, plan.use_health
    ({'account': 0, 'arr': 1, 'health': 2}, True)
    >>> resolve(["account", "NPS"], ["product_usage"], need_score=False, extra=["nps"]).roles
    {'account': 0, 'nps': 1}
    """
    known = {normalise(c): c for c in (*BASE_COLUMNS, *components, *extra)}
    targets = {**{k: v for k, v in ALIASES.items() if v in known.values()}, **known}
    renames: dict[str, str | None] = {}
    for key, value in (mapping or {}).items():
        if value is None or normalise(value) in _IGNORE:
            renames[normalise(key)] = None
            continue
        if normalise(value) not in known:
            raise BatchInputError(f"--map: {key!r} → {value!r}: not a column the scorer reads (columns: {', '.join(known.values())})")
        renames[normalise(key)] = known[normalise(value)]
    roles: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = normalise(header)
        role = renames[key] if key in renames else targets.get(key)
        if role is None:
            continue
        if role in roles:
            first = headers[roles[role]]
            raise BatchInputError(f"{source}: columns {first!r} and {header!r} both mean {role!r}; rename one or use --map")
        roles[role] = position
    found = ", ".join(repr(h) for h in headers) or "none"
    missing = [c for c in ("account",) if c not in roles]
    if need_score and "arr" not in roles and "mrr" not in roles:
        missing.append("arr (or mrr)")
    present = tuple(c for c in components if c in roles)
    if need_score and "health" not in roles and not present:
        missing.append(f"health (or the component columns {', '.join(components)})")
    if need_outcome and "outcome" not in roles:
        missing.append("outcome")
    if missing:
        what = "column" if len(missing) == 1 else "columns"
        raise BatchInputError(f"{source}: missing required {what} {'; '.join(missing)} (columns found: {found}); see --map")
    notes = []
    use_health = not present
    if present and "health" in roles:
        notes.append(f"scored from the component columns; {headers[roles.pop('health')]!r} is copied through unchanged")
    arr_from_mrr = "arr" not in roles
    if not arr_from_mrr and "mrr" in roles:
        notes.append(f"ARR read from {headers[roles['arr']]!r}; {headers[roles.pop('mrr')]!r} is copied through unchanged")
    output = tuple(f"{h}_input" if h in RESULT_COLUMNS else h for h in headers)
    return Plan(tuple(headers), roles, present, use_health, arr_from_mrr, output, tuple(notes))
