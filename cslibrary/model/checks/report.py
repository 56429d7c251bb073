"""The report every cross-check writes to, and the checks that every file shares.

:class:`Report` turns ``(file, path, message)`` into a :class:`~cslibrary.model.yaml_reader.Problem`
at the ``line:col`` of ``path`` in that file, and :meth:`Report.ref` reports a reference that
names nothing, listing the ids it could be. :class:`Known` holds those ids (``None`` for a
file that failed to load: references into it are not checked).

What is checked here, for whichever file asks: every list of records with an ``id`` holds
each id once (recursively); a list names each entry once; a metric or playbook is not
related to itself; a playbook's or a metric's id equals its file name; ranges are contiguous
(sorted by their lower bound, each one's top is the next one's bottom, and two ranges that
meet do not both include the shared edge). :func:`numbers_in` reads the numbers a text
states, for the checks that a rule's or a target's numbers are written in the prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypedDict

from pydantic import BaseModel

from cslibrary import model as m

from ..yaml_reader import Problem, _dotted, quote

EPS = 1e-9
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


class Known(TypedDict):
    """The ids a reference may name; ``None`` when their file failed to load (not checked)."""

    roles: list[str] | None
    segments: list[str] | None
    stages: list[str] | None
    metrics: set[str]
    playbooks: set[str]
    events: dict[str, list[str]] | None
    dates: list[str] | None


#: Checks that an owner field names a role: ``role(rel, path, value)``.
RoleCheck = Callable[[str, tuple[Any, ...], str | None], None]


class Report:
    """The problems found so far: ``report(rel, path, message)`` adds one at ``path``'s key in file ``rel``."""

    def __init__(self, lib: m.Library) -> None:
        self.lib = lib
        self.problems: list[Problem] = []

    def __call__(self, rel: str, path: tuple[Any, ...], message: str) -> None:
        line, col = self.lib.positions[rel].at(path, key=True) if rel in self.lib.positions else (0, 0)
        self.problems.append(Problem(rel, line, col, _dotted(path), message))

    def ref(self, rel: str, path: tuple[Any, ...], value: str, known: Iterable[str], what: str) -> None:
        names = list(known)
        if value not in names:
            listed = ", ".join(sorted(names)) or f"none: no {what} is defined"
            self(rel, path, f"{quote(value)} is not a known {what} (known: {listed})")


def unique_ids(report: Report, rel: str, obj: object, path: tuple[Any, ...] = ()) -> None:
    """Every list of records with an ``id`` holds each id once (recursively)."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            unique_ids(report, rel, getattr(obj, name, None), (*path, name))
    elif isinstance(obj, list):
        seen: dict[Any, int] = {}
        for i, item in enumerate(obj):
            ident = getattr(item, "id", None)
            if isinstance(item, BaseModel) and ident is not None:
                if ident in seen:
                    report(rel, (*path, i, "id"), f"duplicate id {ident!r} (also {_dotted((*path, seen[ident]))})")
                seen.setdefault(ident, i)
            unique_ids(report, rel, item, (*path, i))


def no_repeats(report: Report, rel: str, path: tuple[Any, ...], values: Sequence[object]) -> None:
    """A list names each entry once: the second mention is reported."""
    for i, value in enumerate(values):
        if value in values[:i]:
            report(rel, (*path, i), f"{quote(value)} is listed twice")


def contiguous(
    report: Report, rel: str, path: tuple[Any, ...], rows: list[Any], low: str, high: str, what: str, *, cover: bool = False
) -> None:
    """Ranges sorted by their lower bound meet exactly: each one's top is the next one's bottom.

    With ``cover`` the lowest range starts at 0 and the highest has no upper bound.
    """
    order = sorted(range(len(rows)), key=lambda i: -1e300 if getattr(rows[i], low) is None else getattr(rows[i], low))
    if cover and order and getattr(rows[order[0]], low) != 0:
        report(rel, (*path, order[0], low), f"the lowest {what} must start at 0 so that every account has one")
    if cover and order and getattr(rows[order[-1]], high) is not None:
        report(rel, (*path, order[-1], high), f"the highest {what} must leave out {high} so that every account has one")
    for n, i in enumerate(order):
        lo, hi = getattr(rows[i], low), getattr(rows[i], high)
        if lo is not None and hi is not None and hi <= lo:
            report(rel, (*path, i, high), f"{high} {hi:g} must be above {low} {lo:g}")
        if n and getattr(rows[order[n - 1]], high) is None:
            report(rel, (*path, order[n - 1], high), f"only the highest {what} may leave out {high}")
        if lo is None and n:
            report(rel, (*path, i, low), f"only the lowest {what} may leave out {low}")
        if n:
            prev = rows[order[n - 1]]
            top = getattr(prev, high)
            if top is not None and lo is not None and abs(top - lo) > EPS:
                kind = "a gap" if lo > top else "an overlap"
                report(
                    rel,
                    (*path, i, low),
                    f"{kind} between {what}s: {getattr(prev, 'id', order[n - 1])!r} ends at {top:g} but {getattr(rows[i], 'id', i)!r} starts at {lo:g}",
                )
            elif top is not None and lo is not None and getattr(prev, "max_inclusive", False) == getattr(rows[i], "min_inclusive", True):
                both = "include" if getattr(prev, "max_inclusive", False) else "exclude"
                report(
                    rel,
                    (*path, i, "min_inclusive"),
                    f"both {what}s {both} {lo:g}: set max_inclusive on one and min_inclusive: false on the other, or neither",
                )


def ref_other(report: Report, rel: str, path: tuple[Any, ...], value: str, own: str, known: Iterable[str], what: str) -> None:
    """A reference to another record of the same kind: it exists and is not the record itself."""
    if value == own:
        report(rel, path, f"a {what} cannot be related to itself")
    else:
        report.ref(rel, path, value, known, what)


def id_is_file_name(report: Report, rel: str, ident: str) -> None:
    """A metric's or playbook's id equals its file name (``<id>.yml``)."""
    name = rel.rsplit("/", 1)[-1]
    if name != f"{ident}.yml":
        report(rel, ("id",), f"the id {ident!r} must equal the file name ({name} → rename the file or the id)")


def numbers_in(text: str) -> set[float]:
    """The numbers a text states, as digits (``500,000``, ``T-90``, ``20 %``) or as words up to twelve."""
    found = {float(x.replace(",", "")) for x in re.findall(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?", text)}
    return found | {float(_NUMBER_WORDS.index(w)) for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
