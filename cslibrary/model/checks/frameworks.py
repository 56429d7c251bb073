"""Each framework file (``playbooks/frameworks/<id>.yml``).

A framework's id equals its file name and no other framework has its title (ignoring case);
its section ids are unique; each table row has one cell per column; a section that states a
figure (a digit anywhere in its text) names its ``source``; and every link of ``see`` and
``related`` names something that exists: a playbook, metric, segment, framework (optionally
``framework#section``, a section of it) or calculator page (``docs/calculators/<name>.md``, optionally
``<name>#heading``,
checked when the library's repository has that folder). A link is listed once and a
framework does not link to itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from cslibrary import model as m

from ..yaml_reader import quote
from .report import Known, Report, id_is_file_name, no_repeats, unique_ids

_DIGIT = re.compile(r"\d")


def _texts(value: Any) -> Iterable[str]:
    """Every text of a section's content (not its id, links or source)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, m.Strict):
        for name in type(value).model_fields:
            if name not in ("id", "source", "see"):
                yield from _texts(getattr(value, name))


def check_framework(
    report: Report,
    rel: str,
    fid: str,
    framework: m.Framework,
    known: Known,
    frameworks: dict[str, m.Framework],
    calculators: set[str] | None,
    refused: Iterable[str] = (),
) -> None:
    """One framework file (see the module docstring); ``refused``: framework files there but not loaded."""
    unique_ids(report, rel, framework)
    id_is_file_name(report, rel, fid)
    for i, section in enumerate(framework.sections):
        where = ("sections", i)
        if section.table is not None:
            width = len(section.table.columns)
            for j, row in enumerate(section.table.rows):
                if len(row) != width:
                    report(rel, (*where, "table", "rows", j), f"has {len(row)} cell(s); the table has {width} columns")
        if section.source is None:
            figure = next((t for t in _texts(section) if _DIGIT.search(t)), None)
            if figure is not None:
                report(
                    rel,
                    (*where, "id"),
                    f"the section states a figure ({quote(figure)}) but names no source: add "
                    'source: {seed: "002", section: <the seed\'s heading>}',
                )
        if section.see is not None:
            _links(report, rel, (*where, "see"), section.see, fid, known, frameworks, calculators, refused)
    if framework.related is not None:
        _links(report, rel, ("related",), framework.related, fid, known, frameworks, calculators, refused)


def _links(
    report: Report,
    rel: str,
    path: tuple[Any, ...],
    links: m.Links,
    fid: str,
    known: Known,
    frameworks: dict[str, m.Framework],
    calculators: set[str] | None,
    refused: Iterable[str],
) -> None:
    lists: list[tuple[str, list[str], Iterable[str] | None, str]] = [
        ("playbooks", links.playbooks, known["playbooks"], "playbook"),
        ("metrics", links.metrics, known["metrics"], "metric"),
        ("segments", links.segments, known["segments"], "segment"),
        ("calculators", links.calculators, sorted(calculators) if calculators is not None else None, "calculator page"),
    ]
    for key, values, names, what in lists:
        no_repeats(report, rel, (*path, key), values)
        if names is None:
            continue
        for i, value in enumerate(values):
            # a calculator page may name a heading of it: leadership#renewal-incentive-payout
            report.ref(rel, (*path, key, i), value.partition("#")[0] if key == "calculators" else value, names, what)
    no_repeats(report, rel, (*path, "frameworks"), links.frameworks)
    for i, value in enumerate(links.frameworks):
        target, _, section = value.partition("#")
        if target == fid and not section:
            report(rel, (*path, "frameworks", i), "a framework cannot link to itself (link to one of its sections: id#section)")
            continue
        report.ref(rel, (*path, "frameworks", i), target, sorted({*frameworks, *refused}), "framework")
        other = frameworks.get(target)
        if other is not None and section and section not in {s.id for s in other.sections}:
            report.ref(rel, (*path, "frameworks", i), section, [s.id for s in other.sections], f"section of framework {target!r}")


def check_titles(report: Report, lib: m.Library) -> None:
    """No two frameworks share a title (ignoring case): the navigation and search show titles."""
    titles: dict[str, str] = {}
    for fid in sorted(lib.frameworks):
        title = lib.frameworks[fid].title.casefold()
        if title in titles:
            report(
                lib.framework_paths[fid],
                ("title",),
                f"the title {lib.frameworks[fid].title!r} is already used by framework {titles[title]!r}",
            )
        titles.setdefault(title, fid)
