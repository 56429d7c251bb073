"""A playbook's steps as CSV, for import into a CS platform (the Markdown checklist is ``templates/playbook-checklist.md``).

The CSV has one row per step, in order. Text cells that a spreadsheet would run as a
formula (starting with ``= + - @`` or a tab) get a leading ``'``, the usual guard against
CSV injection; :func:`read_steps_csv` removes it again, so the file round-trips.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..model import Playbook
from . import labels

CSV_COLUMNS = ("step", "when", "at", "offset_unit", "action", "owner", "owner_name", "channel", "goal", "resources")
RESOURCE_SEPARATOR = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _uncell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def steps_csv(playbook: Playbook, role_names: dict[str, str]) -> str:
    """The steps as CSV text (UTF-8, ``\\r\\n`` line ends as RFC 4180 asks)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for number, step in enumerate(playbook.steps, start=1):
        row = [
            str(number),
            labels.offset(playbook.offset_unit, step.at),
            str(step.at),
            playbook.offset_unit,
            step.action,
            step.owner,
            role_names.get(step.owner, step.owner),
            step.channel,
            step.goal or "",
            RESOURCE_SEPARATOR.join(step.resources),
        ]
        writer.writerow([_cell(cell) if i >= 4 else cell for i, cell in enumerate(row)])
    return buffer.getvalue()


def read_steps_csv(text: str) -> list[dict[str, Any]]:
    """Parse :func:`steps_csv` output back into step dicts shaped like the YAML."""
    steps = []
    for row in csv.DictReader(io.StringIO(text)):
        cells = {key: _uncell(value) for key, value in row.items()}
        step: dict[str, Any] = {"at": int(cells["at"]), "action": cells["action"], "owner": cells["owner"], "channel": cells["channel"]}
        if cells["goal"]:
            step["goal"] = cells["goal"]
        if cells["resources"]:
            step["resources"] = cells["resources"].split(RESOURCE_SEPARATOR)
        steps.append(step)
    return steps
