"""The calculators' configuration, assembled from the YAML library.

The calculators take their numbers (weights, bands, probabilities, ratios) as plain data.
This module builds that data from ``playbooks/`` and writes ``calculators/defaults.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

DEFAULTS = Path(__file__).resolve().parent.parent / "calculators" / "defaults.json"


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def config_from_data(
    health: dict[str, Any], segments: dict[str, Any], stages: dict[str, Any], metrics: list[dict[str, Any]], playbooks: list[dict[str, Any]]
) -> dict[str, Any]:
    """Assemble the calculators' configuration from the parsed library."""
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
                "offset_unit": p.get("offset_unit", "day"),
                "steps": [{k: s[k] for k in ("at", "action", "owner", "channel", "goal") if k in s} for s in p.get("steps", [])],
            }
            for p in sorted(playbooks, key=lambda p: p["id"])
        },
    }


def config_from_library(root: Path) -> dict[str, Any]:
    """Read ``root`` (a ``playbooks/`` folder) and assemble the configuration."""
    metrics = [_read(p) for p in sorted((root / "metrics").glob("*.yml"))]
    playbooks = [_read(p) for p in sorted((root / "library").glob("*.yml"))]
    stages = _read(root / "stages.yml") if (root / "stages.yml").exists() else {}
    return config_from_data(_read(root / "health-model.yml"), _read(root / "segments.yml"), stages, metrics, playbooks)


def write_defaults(root: Path, target: Path = DEFAULTS) -> bool:
    """Write the defaults file; return True when its content changed."""
    text = json.dumps(config_from_library(root), indent=1, ensure_ascii=False) + "\n"
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    if old == text:
        return False
    target.write_text(text, encoding="utf-8")
    return True
