"""Cross-checks over the whole library, run in one pass; every problem names ``file:line:col``.

What is checked: every reference resolves (roles, metrics, segments, journey stages,
playbooks, calculators); ids are unique within each list and across files; a playbook's or
a metric's id equals its file name; steps never go back in time; health bands cover 0–100
exactly; each weight model's weights are positive, name known components and sum to 100;
renewal probabilities never rise as bands get worse; tier and ratio-table ARR ranges are
contiguous; metric bands are contiguous; scoring weights sum to 100; each metric's worked
example runs through :func:`calculators.run` and shows outputs the calculator produces.

Trigger rules (see :mod:`cslibrary.model.rule`): every metric, event, event attribute,
account date, journey stage, segment and playbook a rule names exists; a rule's segments
are among its playbook's; a play only suppresses plays that rank after it; every number the
rule uses (bounds, percent changes, day and month counts) is written in the trigger's
description; and in the ``health_band`` group a health score condition covers whole health
bands, each of which routes to that playbook, while every band's playbook covers its band.

Consistency between the files, each failure reported at the field that would change:

* **Overlapping rules.** Two plays that can fire on the same signal must say which runs. Each
  rule's ``when`` is expanded into alternatives (:mod:`cslibrary.model.overlaps`): ``any``
  gives one alternative per branch, ``all`` combines one alternative of each part, so an
  ``all`` adds constraints and an ``any`` adds alternatives. A *signal* is a metric condition
  (the metric and its range), a change (the metric and the direction: fall or rise), an event
  (the event and its attribute bounds; ``within_days`` is ignored, both windows hold the day
  of the event) or an account date (both date rules fire from the later day until their play
  has run). Schedules, journey stages and ARR are cadences and scopes, never signals by
  themselves. Two rules **overlap** when they run in a common segment (the rule's
  ``segments``, else the playbook's) and some alternative of each names the same signal with
  ranges (or attribute bounds) that meet, while the two alternatives together can hold:
  their ranges on any metric both bound meet, as do their ARR bounds, their stage lists share
  a stage, and no change is required to both fall and rise. An overlapping pair is settled
  when both rules are in one ``group``, one ``suppresses`` the other, or one names the other
  in ``runs_with`` (both run, deliberately); otherwise it is reported once, at the shared
  condition of the play that ranks after the other (higher priority number, then id). A
  ``runs_with`` that names a play sharing no signal, or a play it also suppresses, is
  reported too. The approximation is deliberately syntactic: two rules on different signals
  that happen to co-occur (a cancellation and a low health score) are not compared.
* **Playbook targets.** ``targets`` (metric id → value) states what a playbook sets out to
  reach. Each metric is one the playbook lists under ``metrics``; each value is stated in the
  exit criteria or a step (action or goal); and each lies in the metric's *target band* (the
  assessment band holding the metric's ``target``, else its best band) or a better one in the
  metric's direction: with time-to-value bands great < 14 ≤ good < 30 ≤ slow, a target of 30
  days is refused, 14 is accepted. A threshold at which an intervention ends (health back to
  60) is the edge of its trigger, not a target, and is not declared as one.
* **Segment boundaries.** Each ratio-table row's ARR range lies inside its tier's; each row's
  ARR score (``scoring.arr_scores``) falls in the score range of the row's own tier (an account
  whose other factors score like its ARR keeps the tier its ARR gives); each transition's
  ``arr_crosses`` is where the tiers draw the line (the ``to`` tier's ``arr_min`` going up,
  the ``from`` tier's going down).
* **Example organisation.** Each segment (a ratio-table row or a tier) has an average ARR
  inside its range; each segment's CSMs (accounts ÷ planning ratio) rounded up add up to the
  total rounded up, the coverage calculator's headcount (else the page would show two
  headcounts); and a stated ``headcount`` equals that sum.

A file that exists but failed to load is in ``broken``: references *into* it are not
checked (they would only repeat its own error). A file that is absent is simply empty, so
references into it are reported as dangling.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypedDict

from pydantic import BaseModel

import calculators
from cslibrary import model as m

from . import overlaps
from .rule import BOUND_KEYS, walk
from .yaml_reader import Problem, _dotted, clip, quote

EPS = 1e-9
#: The exclusive group of the health-band plays (see ``playbooks/health-model.yml``).
HEALTH_GROUP = "health_band"
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
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


class _Known(TypedDict):
    """The ids a reference may name; ``None`` when their file failed to load (not checked)."""

    roles: list[str] | None
    segments: list[str] | None
    stages: list[str] | None
    metrics: set[str]
    playbooks: set[str]
    events: dict[str, list[str]] | None
    dates: list[str] | None


#: Checks that an owner field names a role: ``role(rel, path, value)``.
_RoleCheck = Callable[[str, tuple[Any, ...], str | None], None]


class _Report:
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


def placeholder(folder: str = "playbooks") -> m.Library:
    """An empty library: stands in for files that are missing or failed to load."""
    health = m.HealthModel.model_construct(
        components=[],
        weights={},
        bands=[],
        missing_data=m.MissingData.model_construct(policy="renormalise", min_coverage=0),
        sub_score_tables=[],
    )
    segments = m.SegmentsFile.model_construct(
        tiers=[], ratio_table=[], transitions=[], scoring=m.Scoring.model_construct(weights={}, arr_scores={}, tiers=[]),
        example_organisation=m.ExampleOrganisation.model_construct(description="", csm_cost=1, segments=[]),
    )  # fmt: skip
    return m.Library(
        health=health, segments=segments, roles={}, stages=m.Stages(), metrics={}, playbooks={},
        health_path=f"{folder}/health-model.yml", segments_path=f"{folder}/segments.yml",
        roles_path=f"{folder}/roles.yml", stages_path=f"{folder}/stages.yml", events_path=f"{folder}/events.yml",
    )  # fmt: skip


def _unique_ids(report: _Report, rel: str, obj: object, path: tuple[Any, ...] = ()) -> None:
    """Every list of records with an ``id`` holds each id once (recursively)."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            _unique_ids(report, rel, getattr(obj, name, None), (*path, name))
    elif isinstance(obj, list):
        seen: dict[Any, int] = {}
        for i, item in enumerate(obj):
            ident = getattr(item, "id", None)
            if isinstance(item, BaseModel) and ident is not None:
                if ident in seen:
                    report(rel, (*path, i, "id"), f"duplicate id {ident!r} (also {_dotted((*path, seen[ident]))})")
                seen.setdefault(ident, i)
            _unique_ids(report, rel, item, (*path, i))


def _no_repeats(report: _Report, rel: str, path: tuple[Any, ...], values: Sequence[object]) -> None:
    for i, value in enumerate(values):
        if value in values[:i]:
            report(rel, (*path, i), f"{quote(value)} is listed twice")


def _contiguous(
    report: _Report, rel: str, path: tuple[Any, ...], rows: list[Any], low: str, high: str, what: str, *, cover: bool = False
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


def _health(report: _Report, lib: m.Library) -> None:
    rel, h = lib.health_path, lib.health
    components = [c.id for c in h.components]
    models = ["default", *(t.id for t in lib.segments.tiers)]
    if h.components and "default" not in h.weights:
        report(rel, ("weights",), "needs a 'default' weight model")
    for name, weights in h.weights.items():
        if lib.segments.tiers and name not in models:
            report.ref(rel, ("weights", name), name, models, "weight model (default or a segment id)")
        for comp, weight in weights.items():
            report.ref(rel, ("weights", name, comp), comp, components, "health component")
            if weight <= 0:
                report(rel, ("weights", name, comp), f"weight must be positive (got {weight:g}); leave the component out instead")
        total = sum(weights.values())
        if abs(total - 100) > EPS:
            report(rel, ("weights", name), f"weights add up to {total:g}, not 100")
    bands = h.bands
    for i, band in enumerate(bands):
        if band.max <= band.min:
            report(rel, ("bands", i, "max"), f"max {band.max:g} must be above min {band.min:g}")
    if bands:
        order = sorted(range(len(bands)), key=lambda i: bands[i].min)
        if bands[order[0]].min != 0:
            report(rel, ("bands", order[0], "min"), f"the lowest band must start at 0 (starts at {bands[order[0]].min:g})")
        if bands[order[-1]].max != 100:
            report(rel, ("bands", order[-1], "max"), f"the highest band must end at 100 (ends at {bands[order[-1]].max:g})")
        for prev, cur in itertools.pairwise(order):
            if bands[prev].max != bands[cur].min:
                kind = "a gap" if bands[cur].min > bands[prev].max else "an overlap"
                report(
                    rel,
                    ("bands", cur, "min"),
                    f"{kind}: band {bands[prev].id!r} ends at {bands[prev].max:g} but {bands[cur].id!r} starts at {bands[cur].min:g}",
                )
            if bands[prev].probability > bands[cur].probability:
                report(
                    rel,
                    ("bands", prev, "probability"),
                    f"renewal probability rises as health falls: {bands[prev].id!r} ({bands[prev].probability:g}) is above the healthier {bands[cur].id!r} ({bands[cur].probability:g})",
                )
    for t, table in enumerate(h.sub_score_tables):
        _contiguous(report, rel, ("sub_score_tables", t, "rows"), table.rows, "min", "max", "row")


def _segments(report: _Report, lib: m.Library, playbooks: set[str]) -> None:
    rel, s = lib.segments_path, lib.segments
    tiers = [t.id for t in s.tiers]
    rows = [r.id for r in s.ratio_table]
    _contiguous(report, rel, ("tiers",), s.tiers, "arr_min", "arr_max", "tier", cover=True)
    _contiguous(report, rel, ("ratio_table",), s.ratio_table, "arr_min", "arr_max", "ratio table row", cover=True)
    ratios = [("tiers", i, t.ratio) for i, t in enumerate(s.tiers)] + [("ratio_table", i, r.ratio) for i, r in enumerate(s.ratio_table)]
    for key, i, r in ratios:
        if (r.min is not None and r.planning < r.min) or (r.max is not None and r.planning > r.max):
            report(
                rel, (key, i, "ratio", "planning"), f"planning ratio {r.planning:g} lies outside its range {r.min or 0:g}–{r.max or '∞'}"
            )
    for i, tier in enumerate(s.tiers):
        for j, pid in enumerate(tier.playbooks):
            report.ref(rel, ("tiers", i, "playbooks", j), pid, playbooks, "playbook")
    for i, row in enumerate(s.ratio_table):
        report.ref(rel, ("ratio_table", i, "tier"), row.tier, tiers, "tier")
    total = sum(s.scoring.weights.values())
    if s.scoring.weights and abs(total - 100) > EPS:
        report(rel, ("scoring", "weights"), f"weights add up to {total:g}, not 100")
    for name, weight in s.scoring.weights.items():
        if weight <= 0:
            report(rel, ("scoring", "weights", name), f"weight must be positive (got {weight:g})")
    for name in s.scoring.arr_scores:
        report.ref(rel, ("scoring", "arr_scores", name), name, rows, "ratio table row")
    for i, st in enumerate(s.scoring.tiers):
        report.ref(rel, ("scoring", "tiers", i, "tier"), st.tier, tiers, "tier")
    for i, tr in enumerate(s.transitions):
        report.ref(rel, ("transitions", i, "from"), tr.from_, [*tiers, "any"], "tier (or 'any')")
        report.ref(rel, ("transitions", i, "to"), tr.to, [*tiers, "any"], "tier (or 'any')")
    for i, seg in enumerate(s.example_organisation.segments):
        report.ref(rel, ("example_organisation", "segments", i, "segment"), seg.segment, [*rows, *tiers], "ratio table row or tier")
    _tier_agreement(report, lib)
    _organisation(report, lib)


def _examples(report: _Report, lib: m.Library) -> None:
    from .calculator_config import config_from_model

    config = config_from_model(lib)
    for mid, metric in lib.metrics.items():
        rel, ex = lib.metric_paths[mid], metric.example
        if ex is None:
            continue
        if ex.calculator not in calculators.CALCULATORS:
            report.ref(rel, ("example", "calculator"), ex.calculator, calculators.CALCULATORS, "calculator")
            continue
        try:
            result = calculators.run(ex.calculator, ex.inputs, config)
        except calculators.InputError as err:
            path = tuple(int(p) if p.isdigit() else p for p in err.field.replace("[", ".").replace("]", "").split(".") if p)
            report(rel, ("example", "inputs", *path), f"the worked example's input {quote(err.field)} is invalid: {clip(err.rule, 200)}")
            continue
        except Exception as err:  # a calculator bug must still not become a traceback
            report(rel, ("example",), f"the {ex.calculator!r} calculator failed on this example: {type(err).__name__}: {clip(err, 200)}")
            continue
        for i, key in enumerate(ex.show):
            report.ref(rel, ("example", "show", i), key, result, f"output of {ex.calculator!r}")


def _ref_other(report: _Report, rel: str, path: tuple[Any, ...], value: str, own: str, known: Iterable[str], what: str) -> None:
    if value == own:
        report(rel, path, f"a {what} cannot be related to itself")
    else:
        report.ref(rel, path, value, known, what)


def _id_is_file_name(report: _Report, rel: str, ident: str) -> None:
    name = rel.rsplit("/", 1)[-1]
    if name != f"{ident}.yml":
        report(rel, ("id",), f"the id {ident!r} must equal the file name ({name} → rename the file or the id)")


def _playbook(report: _Report, rel: str, pb: m.Playbook, known: _Known, role: _RoleCheck) -> None:
    _id_is_file_name(report, rel, pb.id)
    role(rel, ("owner",), pb.owner)
    if known["stages"] is not None:
        report.ref(rel, ("stage",), pb.stage, known["stages"], "journey stage")
    for key in ("segments", "metrics", "related", "tags"):
        _no_repeats(report, rel, (key,), getattr(pb, key))
    if known["segments"] is not None:
        for i, value in enumerate(pb.segments):
            report.ref(rel, ("segments", i), value, known["segments"], "segment")
    for i, value in enumerate(pb.metrics):
        report.ref(rel, ("metrics", i), value, known["metrics"], "metric")
    for i, other in enumerate(pb.related):
        _ref_other(report, rel, ("related", i), other, pb.id, known["playbooks"], "playbook")
    trig = pb.trigger
    if trig.type == "metric":
        for key in ("metric", "condition", "threshold"):
            if getattr(trig, key) is None:
                report(rel, ("trigger",), f"trigger.{key} is required when the trigger type is 'metric'")
        if trig.metric is not None:
            report.ref(rel, ("trigger", "metric"), trig.metric, known["metrics"], "metric")
    elif trig.metric is not None or trig.condition is not None or trig.threshold is not None:
        report(
            rel, ("trigger", "type"), "metric, condition and threshold belong to 'metric' triggers only: set type: metric or remove them"
        )
    for i, step in enumerate(pb.steps):
        role(rel, ("steps", i, "owner"), step.owner)
        if i and step.at < pb.steps[i - 1].at:
            report(
                rel,
                ("steps", i, "at"),
                f"steps go back in time: at {step.at} comes after at {pb.steps[i - 1].at} (order the steps by 'at')",
            )
    for i, esc in enumerate(pb.escalation):
        role(rel, ("escalation", i, "owner"), esc.owner)


# --- trigger rules ------------------------------------------------------------------------


def _run_date(value: str) -> str | None:
    """The playbook id a ``last_<playbook>`` date names (``_`` for ``-``), or None."""
    return value.removeprefix("last_").replace("_", "-") if value.startswith("last_") else None


def _date_ref(report: _Report, rel: str, path: tuple[Any, ...], value: str, known: _Known) -> None:
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


def _numbers_in(text: str) -> set[float]:
    """The numbers a text states, as digits (``500,000``, ``T-90``, ``20 %``) or as words up to twelve."""
    found = {float(x.replace(",", "")) for x in re.findall(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?", text)}
    return found | {float(_NUMBER_WORDS.index(w)) for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}


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


def _condition_refs(report: _Report, rel: str, path: tuple[Any, ...], cond: BaseModel, known: _Known) -> None:
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
        _no_repeats(report, rel, (*path, "stage"), cond.stage)
        if known["stages"] is not None:
            for i, stage in enumerate(cond.stage):
                report.ref(rel, (*path, "stage", i), stage, known["stages"], "journey stage")


def _attribute_ranges(report: _Report, rel: str, rule: m.Rule, lib: m.Library) -> None:
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


def _rule(report: _Report, rel: str, pb: m.Playbook, known: _Known, lib: m.Library) -> None:
    """The references and the prose of one playbook's trigger rule."""
    rule = pb.trigger.rule
    if rule is None:
        return
    base = ("trigger", "rule")
    _no_repeats(report, rel, (*base, "segments"), rule.segments)
    for i, seg in enumerate(rule.segments):
        if known["segments"] is not None and seg not in known["segments"]:
            report.ref(rel, (*base, "segments", i), seg, known["segments"], "segment")
        elif seg not in pb.segments:
            report(
                rel,
                (*base, "segments", i),
                f"{seg!r} is not one of the playbook's segments ({', '.join(pb.segments)}): a rule runs only where its playbook does",
            )
    _no_repeats(report, rel, (*base, "suppresses"), rule.suppresses)
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
    _no_repeats(report, rel, (*base, "runs_with"), rule.runs_with)
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
    stated = _numbers_in(pb.trigger.description)
    for path, value in rule_numbers(rule):
        if float(value) not in stated:
            report(
                rel,
                path,
                f"{value:g} is not in trigger.description: the prose must state every threshold and day count the rule uses (or the rule is wrong)",
            )


def _band_cover(cond: m.MetricCondition, bands: list[m.HealthBand]) -> tuple[list[m.HealthBand], str | None, str]:
    """The bands a health score condition covers, or a problem (and the key it is about) when it does not follow their edges."""
    top = bands[-1]
    whole = (
        f"in the {HEALTH_GROUP!r} group a health score condition covers whole bands, from a band's min (at_least) to a band's max (below): "
    )
    whole += ", ".join(f"{b.id} {b.min:g}–{b.max:g}" for b in bands)
    if cond.above is not None:
        return [], whole + " (bands include their min: write at_least, not above)", "above"
    if cond.at_most is not None and cond.at_most != top.max:
        return [], whole + " (bands exclude their max: write below, not at_most)", "at_most"
    if cond.below is not None and cond.below == top.max:
        return [], f"the top band {top.id!r} includes {top.max:g}: leave out below (or write at_most: {top.max:g})", "below"
    low = cond.at_least if cond.at_least is not None else bands[0].min
    high = cond.below if cond.below is not None else top.max
    if all(abs(b.min - low) > EPS for b in bands):
        return [], whole, "at_least"
    if all(abs(b.max - high) > EPS for b in bands):
        return [], whole, "below"
    return [b for b in bands if b.min >= low - EPS and b.max <= high + EPS], None, ""


def _band_range(band: m.HealthBand, bands: list[m.HealthBand]) -> str:
    """The condition that covers exactly ``band``, as written in a rule."""
    bounds = [f"at_least: {band.min:g}"] if band.min != bands[0].min else []
    bounds += [f"below: {band.max:g}"] if band is not bands[-1] else []
    return "{metric: health_score, " + ", ".join(bounds) + "}"


def _health_bands(report: _Report, lib: m.Library) -> None:
    """The health-band plays: each covers exactly the bands that route to it (see the module docstring)."""
    bands = sorted(lib.health.bands, key=lambda b: b.min)
    if not bands:
        return
    covered: dict[str, set[str]] = {}
    faulty: set[str] = set()  # a health condition was reported: the bands it misses would only repeat that
    for pid, pb in lib.playbooks.items():
        rule = pb.trigger.rule
        if rule is None or rule.group != HEALTH_GROUP:
            continue
        rel = lib.playbook_paths[pid]
        for path, cond in walk(rule.when, ("trigger", "rule", "when")):
            if not isinstance(cond, m.MetricCondition) or cond.metric != "health_score":
                continue
            cover, problem, key = _band_cover(cond, bands)
            if problem is not None:
                report(rel, (*path, key), problem)
                faulty.add(pid)
            for band in cover:
                if band.playbook != pid:
                    report(
                        rel,
                        path,
                        f"covers the health band {band.id!r} ({band.min:g}–{band.max:g}), which routes to playbook {band.playbook!r} "
                        f"in {lib.health_path}, not to this one",
                    )
                covered.setdefault(pid, set()).add(band.id)
    for pid, pb in lib.playbooks.items():
        own = [(i, b) for i, b in enumerate(lib.health.bands) if b.playbook == pid]
        rule = pb.trigger.rule
        if not own or rule is None or pid in faulty:
            continue
        rel = lib.playbook_paths[pid]
        names = ", ".join(f"{b.id!r}" for _, b in own)
        where = ", ".join(f"bands[{i}]" for i, _ in own)
        if rule.group != HEALTH_GROUP:
            report(
                rel,
                ("trigger", "rule", "group") if rule.group else ("trigger", "rule"),
                f"the health band(s) {names} route to this playbook ({lib.health_path} {where}): put its rule in group "
                f"{HEALTH_GROUP!r}, so that an account in a band gets that band's play and no other",
            )
            continue
        for i, band in own:
            if band.id not in covered.get(pid, set()):
                report(
                    rel,
                    ("trigger", "rule", "when"),
                    f"the health band {band.id!r} routes to this playbook ({lib.health_path} bands[{i}]) but no health_score condition "
                    f"of the rule covers it: add {_band_range(band, bands)}",
                )


# --- consistency: overlapping rules, playbook targets, segment boundaries, headcount --------


def _segments_of(pb: m.Playbook) -> list[str]:
    rule = pb.trigger.rule
    return list(rule.segments) if rule is not None and rule.segments else list(pb.segments)


def _settled(a: m.Playbook, b: m.Playbook) -> str | None:
    """How a pair of rules settles which runs: a shared group, a suppression or a declared ``runs_with``; None if not."""
    ra, rb = a.trigger.rule, b.trigger.rule
    assert ra is not None and rb is not None
    if ra.group is not None and ra.group == rb.group:
        return "group"
    if b.id in ra.suppresses or a.id in rb.suppresses:
        return "suppresses"
    if b.id in ra.runs_with or a.id in rb.runs_with:
        return "runs_with"
    return None


def _overlaps(report: _Report, lib: m.Library) -> None:
    """Two plays that can fire on the same signal for a common segment settle which runs (see the module docstring)."""
    ruled = sorted((pid, pb) for pid, pb in lib.playbooks.items() if pb.trigger.rule is not None)
    overlapping: set[tuple[str, str]] = set()
    when = ("trigger", "rule", "when")
    for (aid, a), (bid, b) in itertools.combinations(ruled, 2):
        ra, rb = a.trigger.rule, b.trigger.rule
        assert ra is not None and rb is not None
        segments = [s for s in _segments_of(a) if s in _segments_of(b)]
        if not segments:
            continue
        shared = overlaps.shared_signals(ra, rb, when, when)
        if not shared:
            continue
        overlapping |= {(aid, bid), (bid, aid)}
        if _settled(a, b) is not None:
            continue
        # Reported once, at the play that ranks after the other (the one a suppression would remove).
        (first, first_rule), (later, later_rule) = (
            ((aid, ra), (bid, rb)) if (ra.priority, aid) <= (rb.priority, bid) else ((bid, rb), (aid, ra))
        )
        signal = shared[0]
        here, there = (signal.path, signal.other_path) if later == aid else (signal.other_path, signal.path)
        suppress = (
            f"let {first!r} suppress this one"
            if first_rule.priority < later_rule.priority
            else f"let one suppress the other (both have priority {first_rule.priority}: the suppressing rule needs the lower number)"
        )
        first_rel = lib.playbook_paths[first]
        line = lib.positions[first_rel].at(there, key=True)[0] if first_rel in lib.positions else 0
        report(
            lib.playbook_paths[later],
            here,
            f"can fire on the same signal as playbook {first!r} ({signal.text}; {first_rel}:{line} {_dotted(there)}) for "
            f"{', '.join(segments)}, and no rule says which runs: put both rules in one group, {suppress}, narrow one of the "
            "rules, or name the other in runs_with if both must run",
        )
    for pid, pb in ruled:
        rule = pb.trigger.rule
        assert rule is not None
        for i, other in enumerate(rule.runs_with):
            if other in lib.playbooks and other != pid and other not in rule.suppresses and (pid, other) not in overlapping:
                report(
                    lib.playbook_paths[pid],
                    ("trigger", "rule", "runs_with", i),
                    f"{other!r} shares no signal with this rule in a common segment, so there is nothing to declare: remove it",
                )


def _in_band(value: float, band: m.MetricBand) -> bool:
    low = band.min is None or value > band.min or (value == band.min and band.min_inclusive)
    return low and (band.max is None or value < band.max or (value == band.max and band.max_inclusive))


def _metric_band_range(band: m.MetricBand) -> str:
    low = "" if band.min is None else f"{band.min:g}"
    high = "" if band.max is None else f"{band.max:g}"
    return f"{low}–{high}" if low and high else (f"from {low}" if low else f"below {high}")


def target_band(metric: m.Metric) -> m.MetricBand | None:
    """The band a playbook's target for ``metric`` must reach (or beat): the one holding the metric's own ``target``, else its best band."""
    if metric.target is not None:
        return next((b for b in metric.bands if _in_band(metric.target, b)), None)
    ordered = sorted(metric.bands, key=lambda b: -math.inf if b.min is None else b.min)
    return (ordered[-1] if metric.direction == "higher_is_better" else ordered[0]) if ordered else None


def _targets(report: _Report, rel: str, pb: m.Playbook, lib: m.Library, known: _Known) -> None:
    """A playbook's targets: metrics it lists, each value in the metric's target band or a better one, and stated in its prose."""
    prose = _numbers_in(" ".join([*pb.exit_criteria, *(s.action for s in pb.steps), *(s.goal or "" for s in pb.steps)]))
    for mid, value in pb.targets.items():
        path = ("targets", mid)
        if mid not in known["metrics"]:
            report.ref(rel, path, mid, known["metrics"], "metric")
            continue
        if mid not in pb.metrics:
            report(rel, path, f"{mid!r} is not in the playbook's metrics ({', '.join(pb.metrics) or 'none'}): list the metrics it targets")
        if float(value) not in prose:
            report(rel, path, f"{value:g} is not stated in the exit criteria or the steps: say where the playbook reaches its target")
        metric = lib.metrics.get(mid)
        goal = target_band(metric) if metric is not None else None
        if metric is None or goal is None:
            continue
        band = next((b for b in metric.bands if _in_band(value, b)), None)
        ordered = sorted(metric.bands, key=lambda b: -math.inf if b.min is None else b.min)
        sign = 1 if metric.direction == "higher_is_better" else -1
        why = f"the metric's target {metric.target:g} lies there" if metric.target is not None else "it is the metric's best band"
        if band is None:
            report(rel, path, f"{value:g} lies outside every band of {mid} ({lib.metric_paths[mid]})")
        elif sign * (ordered.index(band) - ordered.index(goal)) < 0:
            report(
                rel,
                path,
                f"{value:g} falls in the {band.label!r} band of {mid} ({_metric_band_range(band)}, {lib.metric_paths[mid]}): a playbook's "
                f"target must reach the {goal.label!r} band ({_metric_band_range(goal)}; {why}) or a better one",
            )


def _tier_of_score(score: float, scoring: m.Scoring) -> str | None:
    return next((t.tier for t in sorted(scoring.tiers, key=lambda t: -t.min) if score >= t.min), None)


def _money(x: float | None) -> str:
    return "no limit" if x is None else f"{x:,.0f}"


def _tier_agreement(report: _Report, lib: m.Library) -> None:
    """The coverage tiers, the ratio table, the score tiers and the transitions draw the same ARR lines."""
    rel, s = lib.segments_path, lib.segments
    tiers = {t.id: t for t in s.tiers}
    for i, row in enumerate(s.ratio_table):
        tier = tiers.get(row.tier)
        if tier is None:
            continue
        top, row_top = math.inf if tier.arr_max is None else tier.arr_max, math.inf if row.arr_max is None else row.arr_max
        if row.arr_min < tier.arr_min or row_top > top:
            key, example = ("arr_min", row.arr_min) if row.arr_min < tier.arr_min else ("arr_max", top)
            other = next((t.id for t in s.tiers if t.arr_min <= example < (math.inf if t.arr_max is None else t.arr_max)), None)
            report(
                rel,
                ("ratio_table", i, key),
                f"the {row.id!r} row ({_money(row.arr_min)} to {_money(row.arr_max)}) reaches outside its tier {tier.id!r} "
                f"({_money(tier.arr_min)} to {_money(tier.arr_max)}): an account of {example:,.0f} is {other} by the tiers but "
                f"{tier.id} by this row (and the segment score); make the row's ARR range fit inside its tier's",
            )
        score = s.scoring.arr_scores.get(row.id)
        by_score = None if score is None else _tier_of_score(score, s.scoring)
        if score is not None and by_score is not None and by_score != row.tier and row.tier in {t.tier for t in s.scoring.tiers}:
            cuts = ", ".join(f"{t.tier} from {t.min:g}" for t in sorted(s.scoring.tiers, key=lambda t: -t.min))
            report(
                rel,
                ("scoring", "arr_scores", row.id),
                f"an ARR score of {score:g} points to {by_score} ({cuts}) but the {row.id!r} row is {row.tier}: an account whose "
                f"other factors score like its ARR would be scored into another tier than its ARR gives; pick a score in {row.tier}'s range",
            )
    for i, tr in enumerate(s.transitions):
        if tr.arr_crosses is None or tr.from_ not in tiers or tr.to not in tiers:
            continue
        line = tiers[tr.to].arr_min if tr.direction != "down" else tiers[tr.from_].arr_min
        if abs(tr.arr_crosses - line) > EPS:
            which = f"{tr.to!r} starts" if tr.direction != "down" else f"{tr.from_!r} starts"
            report(
                rel,
                ("transitions", i, "arr_crosses"),
                f"{tr.arr_crosses:,.0f} is not where the tiers draw the line: {which} at {line:,.0f} (tiers arr_min)",
            )


def _organisation(report: _Report, lib: m.Library) -> None:
    """The example organisation: each segment's average ARR in its range, and one headcount however it is added up."""
    rel, s = lib.segments_path, lib.segments
    org = s.example_organisation
    rows: dict[str, m.Tier | m.RatioRow] = {**{t.id: t for t in s.tiers}, **{r.id: r for r in s.ratio_table}}
    base = ("example_organisation", "segments")
    csms: list[float] = []
    for i, seg in enumerate(org.segments):
        row = rows.get(seg.segment)
        if row is None or seg.accounts == 0:
            return
        average = seg.arr / seg.accounts
        if average < row.arr_min or (row.arr_max is not None and average >= row.arr_max):
            report(
                rel,
                (*base, i, "arr"),
                f"the average ARR {average:,.0f} ({seg.arr:,.0f} ÷ {seg.accounts}) lies outside the {row.id!r} range "
                f"({_money(row.arr_min)} to {_money(row.arr_max)})",
            )
        csms.append(seg.accounts / row.ratio.planning)
    rounded = [math.ceil(c - EPS) for c in csms]
    total = math.fsum(csms)
    sum_text = " + ".join(map(str, rounded)) + f" = {sum(rounded)}"
    if sum(rounded) != math.ceil(total - EPS):
        report(
            rel,
            base,
            f"each segment's CSMs (accounts ÷ planning ratio) rounded up add up to {sum_text}, but the coverage calculator's headcount "
            f"is their total {total:.2f} rounded up, {math.ceil(total - EPS)}: the page would show both; change a segment's accounts "
            "or plan it on another row or tier until the two agree",
        )
    if org.headcount is not None and org.headcount != sum(rounded):
        report(
            rel,
            ("example_organisation", "headcount"),
            f"states {org.headcount} CSMs but each segment's CSMs (accounts ÷ planning ratio) rounded up add up to {sum_text}",
        )


def check_library(
    lib: m.Library, *, broken: set[str], extra_ids: dict[str, set[str]], duplicates: list[tuple[str, str, str]], role_list: list[m.Role]
) -> list[Problem]:
    """Every cross-file problem of ``lib`` (see the module docstring)."""
    report = _Report(lib)
    known: _Known = {
        "roles": None if "roles.yml" in broken else list(lib.roles),
        "segments": None if "segments.yml" in broken else [t.id for t in lib.segments.tiers],
        "stages": None if "stages.yml" in broken else [s.id for s in lib.stages.journey],
        "metrics": set(lib.metrics) | extra_ids.get("metrics", set()),
        "playbooks": set(lib.playbooks) | extra_ids.get("library", set()),
        "events": None if "events.yml" in broken else {e.id: [a.id for a in e.attributes] for e in lib.events.events},
        "dates": None,
    }
    if "events.yml" not in broken:
        known["dates"] = [d.id for d in lib.events.dates] + [f"last_{p.replace('-', '_')}" for p in sorted(known["playbooks"])]

    def role(rel: str, path: tuple[Any, ...], value: str | None) -> None:
        if value is not None and known["roles"] is not None:
            report.ref(rel, path, value, known["roles"], "role")

    for rel, ident, other in duplicates:
        report(rel, ("id",), f"id {ident!r} is already used by {other}")
    for rel, doc in (
        (lib.health_path, lib.health),
        (lib.segments_path, lib.segments),
        (lib.stages_path, lib.stages),
        (lib.events_path, lib.events),
    ):
        _unique_ids(report, rel, doc)
    _unique_ids(report, lib.roles_path, role_list, ("roles",))
    _health(report, lib)
    for i, band in enumerate(lib.health.bands):
        report.ref(lib.health_path, ("bands", i, "playbook"), band.playbook, known["playbooks"], "playbook")
    _segments(report, lib, known["playbooks"])
    for i, stage in enumerate(lib.stages.journey):
        role(lib.stages_path, ("journey", i, "owner"), stage.owner)
        role(lib.stages_path, ("journey", i, "secondary_owner"), stage.secondary_owner)
        for j, mid in enumerate(stage.metrics):
            report.ref(lib.stages_path, ("journey", i, "metrics", j), mid, known["metrics"], "metric")
    if known["stages"] is not None and lib.stages.operating_model:
        for i, moment in enumerate(lib.stages.operating_model.moments_that_matter):
            where = ("operating_model", "moments_that_matter", i, "stage")
            report.ref(lib.stages_path, where, moment.stage, known["stages"], "journey stage")
    for mid, metric in lib.metrics.items():
        rel = lib.metric_paths[mid]
        _unique_ids(report, rel, metric)
        _id_is_file_name(report, rel, mid)
        role(rel, ("owner",), metric.owner)
        _no_repeats(report, rel, ("related",), metric.related)
        for i, other in enumerate(metric.related):
            _ref_other(report, rel, ("related", i), other, mid, known["metrics"], "metric")
        _contiguous(report, rel, ("bands",), metric.bands, "min", "max", "band")
    titles: dict[str, str] = {}
    for pid, pb in lib.playbooks.items():
        _playbook(report, lib.playbook_paths[pid], pb, known, role)
        _rule(report, lib.playbook_paths[pid], pb, known, lib)
        _targets(report, lib.playbook_paths[pid], pb, lib, known)
        if pb.title.casefold() in titles:
            report(
                lib.playbook_paths[pid], ("title",), f"the title {pb.title!r} is already used by playbook {titles[pb.title.casefold()]!r}"
            )
        titles.setdefault(pb.title.casefold(), pid)
    if "health-model.yml" not in broken:
        _health_bands(report, lib)
    _overlaps(report, lib)
    # The worked examples need a whole configuration: run them when every metric loaded under its own name.
    names_ok = all(path.endswith(f"/{mid}.yml") for mid, path in lib.metric_paths.items())
    whole = names_ok and not duplicates and not extra_ids.get("metrics") and not broken & {"health-model.yml", "segments.yml"}
    if whole and lib.health.bands and lib.segments.tiers:
        _examples(report, lib)
    return report.problems
