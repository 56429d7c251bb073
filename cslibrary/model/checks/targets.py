"""Playbook targets: what a playbook sets out to reach, and whether it reaches far enough.

``targets`` (metric id → value) states what a playbook sets out to reach. Each metric is one
the playbook lists under ``metrics``; each value is stated in the exit criteria or a step
(action or goal); and each lies in the metric's *target band* (:func:`target_band`: the
assessment band holding the metric's ``target``, else its best band) or a better one in the
metric's direction: with time-to-value bands great < 14 ≤ good < 30 ≤ slow, a target of 30
days is refused, 14 is accepted. A threshold at which an intervention ends (health back to
60) is the edge of its trigger, not a target, and is not declared as one.
"""

from __future__ import annotations

import math

from cslibrary import model as m

from .report import Known, Report, numbers_in


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


def check_targets(report: Report, rel: str, pb: m.Playbook, lib: m.Library, known: Known) -> None:
    """A playbook's targets: metrics it lists, each value in the metric's target band or a better one, and stated in its prose."""
    prose = numbers_in(" ".join([*pb.exit_criteria, *(s.action for s in pb.steps), *(s.goal or "" for s in pb.steps)]))
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
