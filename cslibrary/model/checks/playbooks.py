"""Each playbook file: its references, its trigger's fields and its steps.

A playbook's id equals its file name; its owner, its steps' and its escalations' owners are
known roles; its journey stage, segments and metrics exist; its ``related`` playbooks exist
and do not include itself; ``segments``, ``metrics``, ``related`` and ``tags`` list each
entry once; a ``metric`` trigger has a metric (that exists), a condition and a threshold, and
no other trigger type has any of them; steps never go back in time (ordered by ``at``).

The trigger's rule is checked by :mod:`.rules`, its targets by :mod:`.targets`.
"""

from __future__ import annotations

from cslibrary import model as m

from .report import Known, Report, RoleCheck, id_is_file_name, no_repeats, ref_other


def check_playbook(report: Report, rel: str, pb: m.Playbook, known: Known, role: RoleCheck) -> None:
    """One playbook file, apart from its rule and targets (see the module docstring)."""
    id_is_file_name(report, rel, pb.id)
    role(rel, ("owner",), pb.owner)
    if known["stages"] is not None:
        report.ref(rel, ("stage",), pb.stage, known["stages"], "journey stage")
    for key in ("segments", "metrics", "related", "tags"):
        no_repeats(report, rel, (key,), getattr(pb, key))
    if known["segments"] is not None:
        for i, value in enumerate(pb.segments):
            report.ref(rel, ("segments", i), value, known["segments"], "segment")
    for i, value in enumerate(pb.metrics):
        report.ref(rel, ("metrics", i), value, known["metrics"], "metric")
    for i, other in enumerate(pb.related):
        ref_other(report, rel, ("related", i), other, pb.id, known["playbooks"], "playbook")
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
