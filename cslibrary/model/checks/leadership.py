"""The leadership calculators' files: what they name exists.

* ``relationship-strength.yml`` — each gate names a known playbook;
* ``compensation.yml`` — the renewal incentive's role is a known role and each weight's
  ``metric`` a known metric;
* every list of records holds each id once (:func:`.report.unique_ids`).

The rules within each file (levels 5 down to 1, answers strongest first, weights and planning
shares adding up to 100, the examples naming what exists) are the models' own
(:mod:`cslibrary.model.leadership`).
"""

from __future__ import annotations

from cslibrary import model as m

from .report import Known, Report, unique_ids


def check_leadership(report: Report, lib: m.Library, known: Known, broken: set[str]) -> None:
    """References from the three files into playbooks, roles and metrics."""
    if "relationship-strength.yml" not in broken:
        rel = lib.relationship_path
        unique_ids(report, rel, lib.relationship)
        for i, gate in enumerate(lib.relationship.gates):
            report.ref(rel, ("gates", i, "playbook"), gate.playbook, known["playbooks"], "playbook")
    plan = getattr(lib.compensation, "renewal_incentive", None)  # None: the file is missing
    if "compensation.yml" not in broken and plan is not None:
        rel = lib.compensation_path
        unique_ids(report, rel, lib.compensation)
        if known["roles"] is not None:
            report.ref(rel, ("renewal_incentive", "role"), plan.role, known["roles"], "role")
        for i, weight in enumerate(plan.weights):
            if weight.metric is not None:
                report.ref(rel, ("renewal_incentive", "weights", i, "metric"), weight.metric, known["metrics"], "metric")
    if "tech-stack.yml" not in broken and getattr(lib.tech_stack, "budget", None) is not None:
        unique_ids(report, lib.tech_stack_path, lib.tech_stack)
