"""A configuration with trigger rules, events, dates and stages, in the shape ``calculators.triage`` reads.

The plays tests run on this configuration (built from the shipped defaults) so that they do not
depend on which rules the library ships; every kind of condition, a group, a ``suppresses``
list, per-rule segments and all three offset units are used.
"""

from __future__ import annotations

import copy
from typing import Any

from calculators import default_config

EVENTS = {
    "nps_response": {"label": "NPS response", "attributes": {"score": {"label": "Score", "minimum": 0, "maximum": 10}}},
    "champion_left": {"label": "Champion left"},
    "support_escalation": {"label": "Support escalation"},
}
DATES = {"renewal_date": "Renewal date", "onboarding_complete": "Onboarding complete"}
STAGES = [
    {"id": "onboarding", "label": "Onboarding"},
    {"id": "adoption", "label": "Adoption"},
    {"id": "renewal", "label": "Renewal"},
]
ALL = ["high_touch", "low_touch", "tech_touch"]

#: playbook id → (rule, owner, segments of the playbook)
RULES: dict[str, tuple[dict[str, Any], str | None, list[str]]] = {
    "at-risk": ({"when": {"metric": "health_score", "below": 40}, "priority": 1, "group": "health"}, "csm", ALL),
    "intervention-workshop": (
        {"when": {"metric": "health_score", "at_least": 40, "below": 60}, "priority": 2, "group": "health"},
        "csm",
        ["high_touch", "low_touch"],
    ),
    "advocacy": ({"when": {"metric": "health_score", "at_least": 80}, "priority": 6, "group": "health"}, "marketing", ALL),
    "usage-drop": (
        {"when": {"any": [{"change": "dau_mau", "drops_by": 25}, {"change": "license_utilization", "drops_by": 20}]}, "priority": 2},
        "csm",
        ALL,
    ),
    "expansion": (
        {
            "when": {"all": [{"metric": "license_utilization", "at_least": 90}, {"arr": {"at_least": 50000}}, {"stage": ["adoption"]}]},
            "priority": 4,
        },
        "ae",
        ALL,
    ),
    "low-license-utilization": (
        {"when": {"any": [{"stage": ["onboarding"]}, {"metric": "license_utilization", "below": 60}]}, "priority": 3},
        None,
        ALL,
    ),
    "nps-detractor-follow-up": (
        {"when": {"event": "nps_response", "within_days": 30, "where": {"score": {"at_most": 6}}}, "priority": 2},
        "csm",
        ALL,
    ),
    "champion-departure": ({"when": {"event": "champion_left", "within_days": 60}, "priority": 1}, "csm", ALL),
    "escalation": (
        {"when": {"all": [{"event": "support_escalation", "within_days": 14}, {"change": "csat", "rises_by": 10}]}, "priority": 1},
        "support",
        ALL,
    ),
    "renewal": ({"when": {"date": "renewal_date", "days_before": 120}, "priority": 3, "segments": ["high_touch", "low_touch"]}, "csm", ALL),
    "at-risk-renewal-escalation": (
        {
            "when": {"all": [{"metric": "health_score", "below": 40}, {"date": "renewal_date", "days_before": 90}]},
            "priority": 1,
            "suppresses": ["at-risk", "renewal"],
        },
        "cs_leader",
        ALL,
    ),
    "low-engagement-after-onboarding": (
        {"when": {"all": [{"date": "onboarding_complete", "days_after": 30}, {"metric": "health_score", "below": 60}]}, "priority": 4},
        "csm",
        ALL,
    ),
    "qbr": ({"when": {"every_months": 3, "since": "onboarding_complete"}, "priority": 5}, "csm", ["high_touch"]),
    "ebr": ({"when": {"every_days": 180}, "priority": 7}, "csm", ["high_touch"]),
    "progress-status": ({"when": {"any": [{"every_months": 1}, {"arr": {"below": 1000}}]}, "priority": 8}, "system", ["tech_touch"]),
}


def config_with_rules() -> dict[str, Any]:
    """The default configuration plus :data:`RULES`, :data:`EVENTS`, :data:`DATES` and :data:`STAGES`."""
    config = copy.deepcopy(default_config())
    for playbook in config["playbooks"].values():  # the shipped rules, if any, make way for these
        for key in ("rule", "owner", "segments"):
            playbook.pop(key, None)
    config["events"] = copy.deepcopy(EVENTS)
    config["dates"] = dict(DATES)
    config["stages"] = copy.deepcopy(STAGES)
    for pid, (rule, owner, segments) in RULES.items():
        playbook = config["playbooks"][pid]
        playbook["rule"] = copy.deepcopy(rule)
        playbook["segments"] = list(segments)
        if owner is not None:
            playbook["owner"] = owner
    return config
