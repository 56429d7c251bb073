"""Cross-checks over the whole library, run in one pass; every problem names ``file:line:col``.

What is checked: every reference resolves (roles, metrics, segments, journey stages,
playbooks, calculators); ids are unique within each list and across files; a playbook's or
a metric's id equals its file name; steps never go back in time; health bands cover 0–100
exactly; each weight model's weights are positive, name known components and sum to 100;
renewal probabilities never rise as bands get worse; tier and ratio-table ARR ranges are
contiguous; metric bands are contiguous; scoring weights sum to 100; each metric's worked
example runs through :func:`calculators.run` and shows outputs the calculator produces;
trigger rules name what exists and state their numbers in their prose; and the files agree
with each other (overlapping rules, playbook targets, segment boundaries, the example
organisation), each failure reported at the field that would change.

:func:`check_library` runs every check in a fixed order and returns the problems in that
order; :func:`placeholder` stands in for a file that is missing or failed to load. Each
module states its rules in full:

* :mod:`.report` — the report every problem goes to, and the checks every file shares
  (references, unique ids, entries listed once, contiguous ranges, numbers in prose);
* :mod:`.health` — ``health-model.yml``, and the plays its health bands route to;
* :mod:`.segments` — ``segments.yml``: ratios, weights, segment boundaries, the example
  organisation's headcount;
* :mod:`.metrics` — each metric file and its worked example;
* :mod:`.playbooks` — each playbook's references, trigger fields and steps;
* :mod:`.rules` — each trigger rule's references, priorities and prose;
* :mod:`.overlapping_rules` — two plays that can fire on the same signal say which runs;
* :mod:`.targets` — each playbook's targets reach the metric's target band;
* :mod:`.frameworks` — each framework's tables, sources and links;
* :mod:`.leadership` — the leadership calculators' files name known playbooks, roles and metrics.

Here: ids are unique across files (``duplicates``) and within each top-level file and the
role list; each health band routes to a known playbook; journey stages name known roles and
metrics; moments that matter name journey stages; no two playbooks share a title (ignoring
case).

A file that exists but failed to load is in ``broken``: references *into* it are not
checked (they would only repeat its own error). A file that is absent is simply empty, so
references into it are reported as dangling.
"""

from __future__ import annotations

from typing import Any

from cslibrary import model as m

from ..yaml_reader import Problem
from .frameworks import check_framework, check_titles
from .health import check_health, check_health_bands
from .leadership import check_leadership
from .metrics import check_examples, check_metric
from .overlapping_rules import check_overlaps
from .playbooks import check_playbook
from .report import Known, Report, unique_ids
from .rules import check_rule, rule_numbers
from .segments import check_segments
from .targets import check_targets, target_band

__all__ = ["check_library", "placeholder", "rule_numbers", "target_band"]


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
        relationship_path=f"{folder}/relationship-strength.yml", compensation_path=f"{folder}/compensation.yml",
        tech_stack_path=f"{folder}/tech-stack.yml",
    )  # fmt: skip


def check_library(
    lib: m.Library,
    *,
    broken: set[str],
    extra_ids: dict[str, set[str]],
    duplicates: list[tuple[str, str, str]],
    role_list: list[m.Role],
    calculator_pages: set[str] | None = None,
) -> list[Problem]:
    """Every cross-file problem of ``lib`` (see the module docstring).

    ``calculator_pages``: the names of the calculator pages (``docs/calculators/<name>.md``) a
    framework may link to; None when the repository has no such folder (not checked).
    """
    report = Report(lib)
    known: Known = {
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
        unique_ids(report, rel, doc)
    unique_ids(report, lib.roles_path, role_list, ("roles",))
    check_health(report, lib)
    for i, band in enumerate(lib.health.bands):
        report.ref(lib.health_path, ("bands", i, "playbook"), band.playbook, known["playbooks"], "playbook")
    check_segments(report, lib, known["playbooks"])
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
        check_metric(report, lib.metric_paths[mid], mid, metric, known, role)
    titles: dict[str, str] = {}
    for pid, pb in lib.playbooks.items():
        check_playbook(report, lib.playbook_paths[pid], pb, known, role)
        check_rule(report, lib.playbook_paths[pid], pb, known, lib)
        check_targets(report, lib.playbook_paths[pid], pb, lib, known)
        if pb.title.casefold() in titles:
            report(
                lib.playbook_paths[pid], ("title",), f"the title {pb.title!r} is already used by playbook {titles[pb.title.casefold()]!r}"
            )
        titles.setdefault(pb.title.casefold(), pid)
    for fid, framework in lib.frameworks.items():
        refused = extra_ids.get("frameworks", set())
        check_framework(report, lib.framework_paths[fid], fid, framework, known, lib.frameworks, calculator_pages, refused)
    check_titles(report, lib)
    check_leadership(report, lib, known, broken)
    if "health-model.yml" not in broken:
        check_health_bands(report, lib)
    check_overlaps(report, lib)
    # The worked examples need a whole configuration: run them when every metric loaded under its own name.
    names_ok = all(path.endswith(f"/{mid}.yml") for mid, path in lib.metric_paths.items())
    whole = names_ok and not duplicates and not extra_ids.get("metrics") and not broken & {"health-model.yml", "segments.yml"}
    if whole and lib.health.bands and lib.segments.tiers:
        check_examples(report, lib)
    return report.problems
