"""A playbook's steps as CSV (for import into a CS platform) and as a Markdown checklist.

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
from .escape import md_text

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


def checklist_markdown(playbook: Playbook, role_names: dict[str, str], source: str) -> str:
    """A stand-alone Markdown task list: the steps, the exit criteria and the extra lists."""
    lines = [
        f"# {md_text(playbook.title)}: checklist",
        "",
        f"Source: `{source}` · Timeline: {md_text(playbook.timeline)}",
        "",
        "## Steps",
        "",
    ]
    for step in playbook.steps:
        who = md_text(role_names.get(step.owner, step.owner))
        channel = md_text(labels.label(labels.CHANNELS, step.channel))
        lines.append(f"- [ ] **{md_text(labels.offset(playbook.offset_unit, step.at))}**: {md_text(step.action)} ({who}, {channel})")
    lines += ["", "## Exit criteria", ""]
    lines += [f"- [ ] {md_text(item)}" for item in playbook.exit_criteria]
    for title, items in playbook.checklist.items():
        lines += ["", f"## {md_text(title)}", ""]
        lines += [f"- [ ] {md_text(item)}" for item in items]
    return "\n".join(lines) + "\n"
