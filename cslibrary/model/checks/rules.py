"""Each trigger rule (see :mod:`cslibrary.model.rule`): what it names exists, and its prose states its numbers.

Every metric, event, event attribute, account date (or ``last_<playbook>``, the last run of a
known playbook), journey stage and playbook a rule names exists; a bound on an event
attribute lies within the attribute's range; a rule's segments are among its playbook's; a
play neither suppresses nor runs with itself, and does not both suppress and run with one
play; a play only suppresses plays that rank after it (a lower priority number); and every
number the rule uses (bounds, percent changes, day and month counts) is written in the
trigger's description, as digits or as a word up to twelve.

The plays of the ``health_band`` group are checked against the health bands by
:mod:`.health`; plays that can fire on the same signal by :mod:`.overlapping_rules`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cslibrary import model as m

from ..rule import BOUND_KEYS, walk
from ..yaml_reader import quote
from .report import Known, Report, no_repeats, numbers_in

#: The keys of a condition that hold a threshold or a count the trigger's prose must state.
_NUMBER_KEYS = (
    "at_least",
    "above",
    "below",
    "at_most",
    "drops_by",
    "rises_by",
    "within_days",
    "days_before",
    "days_after",
    "every_days",
    "every_months",
)


def _run_date(value: str) -> str | None:
    """The playbook id a ``last_<playbook>`` date names (``_`` for ``-``), or None."""
    return value.removeprefix("last_").replace("_", "-") if value.startswith("last_") else None


def _date_ref(report: Report, rel: str, path: tuple[Any, ...], value: str, known: Known) -> None:
    if known["dates"] is None or value in known["dates"]:
        return
    run = _run_date(value)
    if run is not None:
        if run not in known["playbooks"]:
            report(rel, path, f"{quote(value)} is the last run of playbook {quote(run)}, which is not a known playbook")
        return
    listed = ", ".join(sorted(d for d in known["dates"] if _run_date(d) is None))
    report(
        rel, path, f"{quote(value)} is not a known account date (known: {listed}; or last_<playbook id with _> for a playbook's last run)"
    )


def rule_numbers(rule: m.Rule) -> list[tuple[tuple[Any, ...], float]]:
    """Every threshold and count of ``rule`` with its path under the playbook (``trigger.rule.when…``)."""
    out: list[tuple[tuple[Any, ...], float]] = []
    for path, cond in walk(rule.when, ("trigger", "rule", "when")):
        out += [((*path, key), getattr(cond, key)) for key in _NUMBER_KEYS if getattr(cond, key, None) is not None]
        if isinstance(cond, m.EventCondition):
            for attr, bounds in cond.where.items():
                out += [((*path, "where", attr, k), getattr(bounds, k)) for k in BOUND_KEYS if getattr(bounds, k) is not None]
        if isinstance(cond, m.ArrCondition):
            out += [((*path, "arr", k), getattr(cond.arr, k)) for k in BOUND_KEYS if getattr(cond.arr, k) is not None]
    return out


def _condition_refs(report: Report, rel: str, path: tuple[Any, ...], cond: BaseModel, known: Known) -> None:
    """The ids one condition names exist."""
    if isinstance(cond, m.MetricCondition):
        report.ref(rel, (*path, "metric"), cond.metric, known["metrics"] | {"health_score"}, "metric")
    elif isinstance(cond, m.ChangeCondition):
        report.ref(rel, (*path, "change"), cond.change, known["metrics"], "metric")
    elif isinstance(cond, m.EventCondition) and known["events"] is not None:
        if cond.event not in known["events"]:
            report.ref(rel, (*path, "event"), cond.event, known["events"], "event")
        else:
            attrs = known["events"][cond.event]
            for attr in cond.where:
                report.ref(rel, (*path, "where", attr), attr, attrs, f"attribute of the event {cond.event!r}")
    elif isinstance(cond, m.DateCondition):
        _date_ref(report, rel, (*path, "date"), cond.date, known)
    elif isinstance(cond, m.ScheduleCondition) and cond.since is not None:
        _date_ref(report, rel, (*path, "since"), cond.since, known)
    elif isinstance(cond, m.StageCondition):
        no_repeats(report, rel, (*path, "stage"), cond.stage)
        if known["stages"] is not None:
            for i, stage in enumerate(cond.stage):
                report.ref(rel, (*path, "stage", i), stage, known["stages"], "journey stage")


def _attribute_ranges(report: Report, rel: str, rule: m.Rule, lib: m.Library) -> None:
    """A bound on an event attribute lies within the attribute's range."""
    for path, cond in walk(rule.when, ("trigger", "rule", "when")):
        event = lib.events.event(cond.event) if isinstance(cond, m.EventCondition) else None
        if event is None or not isinstance(cond, m.EventCondition):
            continue
        for attr in event.attributes:
            bounds = cond.where.get(attr.id)
            for key in BOUND_KEYS:
                value = getattr(bounds, key, None)
                if value is not None and not attr.minimum <= value <= attr.maximum:
                    report(
                        rel,
                        (*path, "where", attr.id, key),
                        f"{value:g} lies outside the range of {event.id}.{attr.id} ({attr.minimum:g} to {attr.maximum:g})",
                    )


def check_rule(report: Report, rel: str, pb: m.Playbook, known: Known, lib: m.Library) -> None:
    """The references and the prose of one playbook's trigger rule."""
    rule = pb.trigger.rule
    if rule is None:
        return
    base = ("trigger", "rule")
    no_repeats(report, rel, (*base, "segments"), rule.segments)
    for i, seg in enumerate(rule.segments):
        if known["segments"] is not None and seg not in known["segments"]:
            report.ref(rel, (*base, "segments", i), seg, known["segments"], "segment")
        elif seg not in pb.segments:
            report(
                rel,
                (*base, "segments", i),
                f"{seg!r} is not one of the playbook's segments ({', '.join(pb.segments)}): a rule runs only where its playbook does",
            )
    no_repeats(report, rel, (*base, "suppresses"), rule.suppresses)
    for i, other in enumerate(rule.suppresses):
        if other == pb.id:
            report(rel, (*base, "suppresses", i), "a playbook cannot suppress itself")
            continue
        report.ref(rel, (*base, "suppresses", i), other, known["playbooks"], "playbook")
        theirs = lib.playbooks[other].trigger.rule if other in lib.playbooks else None
        if theirs is not None and theirs.priority <= rule.priority:
            report(
                rel,
                (*base, "priority"),
                f"priority {rule.priority} does not rank before {other!r} (priority {theirs.priority}), which this rule suppresses: "
                "a play only removes plays that come after it, so give it a lower number",
            )
    no_repeats(report, rel, (*base, "runs_with"), rule.runs_with)
    for i, other in enumerate(rule.runs_with):
        if other == pb.id:
            report(rel, (*base, "runs_with", i), "a playbook cannot run with itself")
        elif other in rule.suppresses:
            report(rel, (*base, "runs_with", i), f"{quote(other)} is also in suppresses: a play either replaces another or runs with it")
        else:
            report.ref(rel, (*base, "runs_with", i), other, known["playbooks"], "playbook")
    for path, cond in walk(rule.when, (*base, "when")):
        _condition_refs(report, rel, path, cond, known)
    _attribute_ranges(report, rel, rule, lib)
    stated = numbers_in(pb.trigger.description)
    for path, value in rule_numbers(rule):
        if float(value) not in stated:
            report(
                rel,
                path,
                f"{value:g} is not in trigger.description: the prose must state every threshold and day count the rule uses (or the rule is wrong)",
            )
