"""The calculators' configuration, assembled from the YAML library.

The calculators take their numbers (weights, bands, probabilities, ratios) as plain data.
This module builds that data from the validated model of ``playbooks/`` (see
:mod:`cslibrary.model.loader`); :mod:`cslibrary.model.config_files` loads a folder first and
writes ``calculators/defaults.json``. The output keys and shape are a contract with
``calculators/``: :func:`config_from_data` copies the YAML's own keys, and the model hands
back exactly what the YAML said (``exclude_unset``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from . import Library, Playbook
from .base import CHANNEL_LABELS


def config_from_data(
    health: dict[str, Any],
    segments: dict[str, Any],
    stages: dict[str, Any],
    metrics: list[dict[str, Any]],
    playbooks: list[dict[str, Any]],
    events: dict[str, Any] | None = None,
    leadership: dict[str, dict[str, Any]] | None = None,
    roles: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Assemble the calculators' configuration from the parsed library.

    ``events`` is ``events.yml``: the events and account dates trigger rules name (the triage
    calculator offers them as inputs). Each playbook carries its ``rule`` as written, when it
    has one. ``leadership`` holds ``relationship-strength.yml``, ``compensation.yml`` and
    ``tech-stack.yml`` by file name (the leadership calculators' figures). ``roles`` (``roles.yml``)
    and the channels give the names a plan shows for a step's owner and channel.
    """
    events = events or {}
    lead = leadership or {}
    relationship, compensation, stack = (lead.get(name, {}) for name in ("relationship-strength.yml", "compensation.yml", "tech-stack.yml"))
    return {
        "health": {
            "components": [{"id": c["id"], "label": c.get("label", c["id"])} for c in health["components"]],
            "weights": health["weights"],
            "bands": [
                {k: b[k] for k in ("id", "label", "min", "max", "action", "play", "playbook", "probability", "risk") if k in b}
                for b in health["bands"]
            ],
            "missing_data": health["missing_data"],
        },
        "segments": {k: segments[k] for k in ("tiers", "ratio_table", "scoring", "transitions", "example_organisation") if k in segments},
        "assessments": {
            m["id"]: {
                k: v
                for k, v in {
                    "label": m.get("name", m["id"]),
                    "unit": m.get("unit"),
                    "direction": m.get("direction"),
                    "target": m.get("target"),
                    "bands": m.get("bands", []),
                    "ratio": m.get("ratio"),
                }.items()
                if v is not None
            }
            for m in sorted(metrics, key=lambda m: m["id"])
        },
        "expansion_stages": stages.get("expansion_stages", []),
        "playbooks": {
            p["id"]: {
                "title": p["title"],
                "category": p["category"],
                "segments": p["segments"],
                "owner": p["owner"],
                "offset_unit": p.get("offset_unit", "day"),
                "steps": [{k: s[k] for k in ("at", "action", "owner", "channel", "goal") if k in s} for s in p.get("steps", [])],
                **({"rule": p["trigger"]["rule"]} if p["trigger"].get("rule") else {}),
            }
            for p in sorted(playbooks, key=lambda p: p["id"])
        },
        "events": {
            e["id"]: {
                "label": e["label"],
                "attributes": {
                    a["id"]: {"label": a["label"], "minimum": a["minimum"], "maximum": a["maximum"]} for a in e.get("attributes", [])
                },
            }
            for e in events.get("events", [])
        },
        "dates": {d["id"]: d["label"] for d in events.get("dates", [])},
        "stages": [{"id": s["id"], "label": s["name"]} for s in stages.get("journey", [])],
        "roles": {r["id"]: r["name"] for r in roles or []},
        "channels": dict(CHANNEL_LABELS),
        "relationship_strength": {k: relationship[k] for k in ("levels", "criteria", "gates", "example") if k in relationship},
        "renewal_incentive": {
            **{k: v for k, v in compensation.get("renewal_incentive", {}).items() if k in ("role", "weights", "cap")},
            **({"example": compensation["example"]} if "example" in compensation else {}),
        },
        "stack_budget": {
            **({"categories": stack["budget"]["categories"]} if "budget" in stack else {}),
            **({"platform_due": {k: stack["platform_due"][k] for k in ("customers", "csms")}} if "platform_due" in stack else {}),
            **({"example": stack["example"]} if "example" in stack else {}),
        },
    }


def config_from_model(lib: Library) -> dict[str, Any]:
    """Assemble the configuration from a loaded library."""

    def dump(obj: BaseModel) -> dict[str, Any]:
        return obj.model_dump(by_alias=True, exclude_unset=True)

    def playbook(pb: Playbook) -> dict[str, Any]:
        out = dump(pb)
        if pb.trigger.rule is not None:  # the rule as written: no defaults, no empty keys
            out["trigger"]["rule"] = pb.trigger.rule.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)
        return out

    return config_from_data(
        dump(lib.health),
        dump(lib.segments),
        dump(lib.stages),
        [dump(x) for x in lib.metrics.values()],
        [playbook(x) for x in lib.playbooks.values()],
        dump(lib.events),
        {
            "relationship-strength.yml": dump(lib.relationship),
            "compensation.yml": dump(lib.compensation),
            "tech-stack.yml": dump(lib.tech_stack),
        },
        [dump(r) for r in lib.roles.values()],
    )
