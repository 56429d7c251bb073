"""``health-model.yml`` and the plays its health bands route to.

The health model: health bands cover 0–100 exactly (each band's max above its min, the
lowest starting at 0, the highest ending at 100, no gap or overlap between neighbours); each
weight model (``default``, else a segment id) has positive weights that name known
components and sum to 100; renewal probabilities never rise as bands get worse; each
sub-score table's rows are contiguous.

The health-band plays: in the ``health_band`` group (:data:`HEALTH_GROUP`) a health score
condition covers whole health bands, from a band's min (``at_least``) to a band's max
(``below``), each of which routes to that playbook, while every band's playbook has its rule
in that group and covers its band.
"""

from __future__ import annotations

import itertools

from cslibrary import model as m

from ..rule import walk
from .report import EPS, Report, contiguous

#: The exclusive group of the health-band plays (see ``playbooks/health-model.yml``).
HEALTH_GROUP = "health_band"


def check_health(report: Report, lib: m.Library) -> None:
    """The health model itself: weights, bands and sub-score tables (see the module docstring)."""
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
        contiguous(report, rel, ("sub_score_tables", t, "rows"), table.rows, "min", "max", "row")


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


def check_health_bands(report: Report, lib: m.Library) -> None:
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
