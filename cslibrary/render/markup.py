"""Where each generated page lives, the relative links between them, and the calculator marker.

The pages' layout (front matter, tables, lists) is in the templates (:mod:`.templating`).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

# --- where each page lives (paths relative to the docs root) ---------------------------

PLAYBOOKS = "playbooks/index.md"
METRICS = "metrics/index.md"
SEGMENTS = "segments/index.md"
HEALTH = "model/health.md"
JOURNEY = "model/journey.md"
OPERATING_MODEL = "model/index.md"
ROLES = "model/roles.md"


def playbook_path(playbook_id: str) -> str:
    return f"playbooks/{playbook_id}.md"


def export_path(playbook_id: str, name: str) -> str:
    """An export file next to the playbook page (``/playbooks/<id>/<name>`` on the site)."""
    return f"playbooks/{playbook_id}/{name}"


def metric_path(metric_id: str) -> str:
    return f"metrics/{metric_id}.md"


def segment_path(segment_id: str) -> str:
    return f"segments/{segment_id}.md"


@lru_cache(maxsize=65536)
def _relpath(to_path: str, from_dir: str) -> str:
    return posixpath.relpath(to_path, from_dir)


@lru_cache(maxsize=65536)
def href(from_path: str, to_path: str, anchor: str = "") -> str:
    """The relative link from page ``from_path`` to file ``to_path`` (both docs-relative)."""
    target = _relpath(to_path, posixpath.dirname(from_path) or ".")
    return f"{target}#{anchor}" if anchor else target


def calculator_marker(name: str, inputs: Mapping[str, Any] | None = None) -> str:
    """The ``<!-- calculator: NAME -->`` marker, with the form's inputs as JSON when given.

    The JSON stays inside the HTML comment and survives Markdown: ``< > &`` and ``--`` are
    written as JSON unicode escapes (JSON reads them back as the same characters).

    >>> calculator_marker("rate", {"metric": "dau_mau", "numerator": 45, "denominator": 180})
    '<!-- calculator: rate {"metric": "dau_mau", "numerator": 45, "denominator": 180} -->'
    >>> calculator_marker("nps")
    '<!-- calculator: nps -->'
    """
    if not inputs:
        return f"<!-- calculator: {name} -->"
    text = json.dumps(dict(inputs), ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("--", "-\\u002d")
    return f"<!-- calculator: {name} {text} -->"
