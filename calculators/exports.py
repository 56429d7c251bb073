"""Downloads built from the form: the playbook plan's dated tasks as iCalendar or CSV."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping
from typing import Any

from . import InputError, run
from .form_values import Config, Pairs, field_label, parse_pairs
from .planner import PLAYBOOK_PLAN


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 line folding: at most 75 octets per line, continuations start with a space."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def plan_ics(result: Mapping[str, Any]) -> str:
    """The dated task list as an iCalendar file of all-day events."""
    stamp = f"{result['first_date'] or '2000-01-01'}".replace("-", "") + "T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CS Playbook Library//Playbook planner//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for i, task in enumerate(result["tasks"]):
        day = datetime.date.fromisoformat(task["date"])
        summary = f"{task['offset']}: {task['action']}"
        description = "\n".join(
            part
            for part in (
                f"Playbook: {result['title']}",
                f"Owner: {task['owner']}" if task.get("owner") else "",
                f"Channel: {task['channel']}" if task.get("channel") else "",
                f"Goal: {task['goal']}" if task.get("goal") else "",
            )
            if part
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{result['playbook']}-{i + 1}-{day:%Y%m%d}@cs-playbook-library",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_escape(summary)}",
            f"DESCRIPTION:{_ics_escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def _safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def plan_csv(result: Mapping[str, Any]) -> str:
    """The dated task list as CSV (cells that a spreadsheet would run as formulas are quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = ("date", "weekday", "offset", "action", "owner", "channel", "goal")
    writer.writerow(columns)
    for task in result["tasks"]:
        writer.writerow([_safe_cell(task.get(c)) for c in columns])
    return buffer.getvalue()


def export(name: str, pairs: Pairs, config: Config, fmt: str) -> dict[str, Any]:
    """A download built from the form: the playbook plan as ``ics`` or ``csv``."""
    if name != PLAYBOOK_PLAN.name or fmt not in ("ics", "csv"):
        return {"ok": False, "field": None, "message": f"{name} has no {fmt} export"}
    try:
        inputs = parse_pairs(name, pairs, config)
        result = run(name, inputs, config)
    except InputError as exc:
        return {"ok": False, "field": exc.field, "rule": exc.rule, "message": f"{field_label(name, exc.field, config)}: {exc.rule}"}
    stem = f"{result['playbook']}-{inputs['date']}"
    if fmt == "ics":
        return {"ok": True, "filename": f"{stem}.ics", "mime": "text/calendar;charset=utf-8", "text": plan_ics(result)}
    return {"ok": True, "filename": f"{stem}.csv", "mime": "text/csv;charset=utf-8", "text": plan_csv(result)}
