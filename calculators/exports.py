"""Downloads built from the form: dated tasks as iCalendar or CSV.

The planner exports one playbook's tasks; triage exports the account's combined plan (the
first dated steps of every play it needs, in the plays' order).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Mapping
from typing import Any

from . import InputError, run
from .form_values import Config, Pairs, field_label, parse_pairs
from .planner import PLAYBOOK_PLAN, role_name


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
                f"Playbook: {task.get('playbook_title') or result['title']}",
                f"Owner: {task['owner_name']}" if task.get("owner_name") else "",
                f"Channel: {task['channel_label']}" if task.get("channel_label") else "",
                f"Goal: {task['goal']}" if task.get("goal") else "",
            )
            if part
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{task.get('playbook') or result['playbook']}-{i + 1}-{day:%Y%m%d}@cs-playbook-library",
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


#: The columns of an exported plan, headed as the page heads them.
HEADINGS = {
    "date": "Date",
    "weekday": "Day",
    "playbook_title": "Playbook",
    "offset": "When",
    "action": "Task",
    "owner_name": "Owner",
    "channel_label": "Channel",
    "goal": "Goal",
}


def plan_csv(result: Mapping[str, Any]) -> str:
    """The dated task list as CSV (cells that a spreadsheet would run as formulas are quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns: tuple[str, ...] = ("date", "weekday", "offset", "action", "owner_name", "channel_label", "goal")
    if any("playbook_title" in task for task in result["tasks"]):
        columns = ("date", "weekday", "playbook_title", "offset", "action", "owner_name")
    writer.writerow([HEADINGS[c] for c in columns])
    for task in result["tasks"]:
        writer.writerow([_safe_cell(task.get(c)) for c in columns])
    return buffer.getvalue()


def combined_plan(result: Mapping[str, Any], config: Config) -> dict[str, Any]:
    """Triage's plays as one dated task list: each play's first steps, in the plays' order.

    >>> plan = combined_plan({"as_of": "2026-12-07", "plays": [{"playbook": "renewal", "title": "Renewal",
    ...     "first_steps": [{"date": "2026-12-02", "offset": "T-120", "action": "Review", "owner": "csm"}]}]},
    ...     {"roles": {"csm": "Customer Success Manager"}})
    >>> [(t["date"], t["weekday"], t["playbook_title"], t["action"], t["owner_name"]) for t in plan["tasks"]]
    [('2026-12-02', 'Wed', 'Renewal', 'Review', 'Customer Success Manager')]
    """
    tasks = [
        {
            **step,
            "weekday": datetime.date.fromisoformat(step["date"]).strftime("%a"),
            "playbook": play["playbook"],
            "playbook_title": play["title"],
            "owner_name": role_name(config, step.get("owner")),
        }
        for play in result["plays"]
        for step in play["first_steps"]
    ]
    dates = sorted(t["date"] for t in tasks)
    return {"playbook": "account-plan", "title": "Account plan", "tasks": tasks, "first_date": dates[0] if dates else result["as_of"]}


#: The calculators whose result can be downloaded, and how their result becomes a task list.
EXPORTS: dict[str, Callable[[Mapping[str, Any], Config], Mapping[str, Any]]] = {
    PLAYBOOK_PLAN.name: lambda result, config: result,
    "triage": combined_plan,
}


def export(name: str, pairs: Pairs, config: Config, fmt: str) -> dict[str, Any]:
    """A download built from the form: the playbook plan, or triage's combined plan, as ``ics`` or ``csv``."""
    if name not in EXPORTS or fmt not in ("ics", "csv"):
        return {"ok": False, "field": None, "message": f"{name} has no {fmt} export"}
    try:
        inputs = parse_pairs(name, pairs, config)
        result = run(name, inputs, config)
    except InputError as exc:
        return {"ok": False, "field": exc.field, "rule": exc.rule, "message": f"{field_label(name, exc.field, config)}: {exc.rule}"}
    plan = EXPORTS[name](result, config)
    stem = f"{result['playbook']}-{inputs['date']}" if name == PLAYBOOK_PLAN.name else f"account-plan-{inputs['as_of']}"
    if fmt == "ics":
        return {"ok": True, "filename": f"{stem}.ics", "mime": "text/calendar;charset=utf-8", "text": plan_ics(plan)}
    return {"ok": True, "filename": f"{stem}.csv", "mime": "text/csv;charset=utf-8", "text": plan_csv(plan)}
