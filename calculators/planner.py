"""The playbook planner: a playbook's steps as a dated task list.

Each step's ``at`` is an offset in the playbook's ``offset_unit``: ``day`` counts days from
the start date (Day 0 is the start date); ``week`` numbers weeks the way a ramp plan does
(Week 1 begins on the start date, Week 2 seven days later; Week 0 or below counts back);
``t_minus_day`` counts days from the renewal date (``-90`` is T-90).
The calendar export (.ics) is produced from this list by the page or the CLI.

Step date = anchor + ``at`` days (``day``, ``t_minus_day``) or + (``at`` − 1) × 7 days (``week``).

>>> step_date(datetime.date(2026, 6, 30), -90, "t_minus_day"), offset_label(-90, "t_minus_day")
(datetime.date(2026, 4, 1), 'T-90')
"""

from __future__ import annotations

import datetime
from typing import Any

from .declarations import Calculator, Config, Field, Inputs


def step_date(anchor: datetime.date, at: float, unit: str) -> datetime.date:
    """The calendar date of a step ``at`` units after (or before) ``anchor``.

    >>> step_date(datetime.date(2026, 3, 31), -90, "t_minus_day")
    datetime.date(2025, 12, 31)
    >>> step_date(datetime.date(2026, 1, 5), 1, "week")
    datetime.date(2026, 1, 5)
    >>> step_date(datetime.date(2026, 1, 5), 3, "week")
    datetime.date(2026, 1, 19)
    """
    days = (at - 1) * 7 if unit == "week" else at
    return anchor + datetime.timedelta(days=days)


def offset_label(at: float, unit: str) -> str:
    """How the library writes an offset: ``Day 3``, ``Week 2`` or ``T-90``.

    >>> [offset_label(3, "day"), offset_label(2, "week"), offset_label(-90, "t_minus_day")]
    ['Day 3', 'Week 2', 'T-90']
    """
    if unit == "t_minus_day":
        return f"T-{-at:g}" if at <= 0 else f"T+{at:g}"
    return f"{'Week' if unit == 'week' else 'Day'} {at:g}"


def role_name(config: Config, role: str | None) -> str:
    """The name the library gives role ``role`` (``roles.yml``); the id itself when it has none.

    >>> role_name({"roles": {"csm": "Customer Success Manager"}}, "csm")
    'Customer Success Manager'
    >>> role_name({}, "csm"), role_name({}, None)
    ('csm', '')
    """
    return str(config.get("roles", {}).get(role, role)) if role else ""


def channel_label(config: Config, channel: str | None) -> str:
    """How channel ``channel`` reads on the page (``in_app`` → ``In-app``); the id itself when unknown.

    >>> channel_label({"channels": {"in_app": "In-app"}}, "in_app")
    'In-app'
    """
    return str(config.get("channels", {}).get(channel, channel)) if channel else ""


def _playbooks(config: Config) -> list[tuple[str, str]]:
    return [(pid, p["title"]) for pid, p in sorted(config.get("playbooks", {}).items(), key=lambda kv: kv[1]["title"])]


def _plan(values: Inputs, config: Config) -> dict[str, Any]:
    playbook = config["playbooks"][values["playbook"]]
    anchor = datetime.date.fromisoformat(values["date"])
    unit = playbook["offset_unit"]
    tasks = []
    for step in playbook["steps"]:
        when = step_date(anchor, step["at"], unit)
        tasks.append(
            {
                "date": when.isoformat(),
                "weekday": when.strftime("%a"),
                "offset": offset_label(step["at"], unit),
                "action": step["action"],
                "owner": step.get("owner"),
                "owner_name": role_name(config, step.get("owner")),
                "channel": step.get("channel"),
                "channel_label": channel_label(config, step.get("channel")),
                "goal": step.get("goal"),
            }
        )
    return {
        "playbook": values["playbook"],
        "title": playbook["title"],
        "anchor": "renewal date" if unit == "t_minus_day" else "start date",
        "tasks": tasks,
        "first_date": tasks[0]["date"] if tasks else None,
        "last_date": tasks[-1]["date"] if tasks else None,
    }


PLAYBOOK_PLAN = Calculator(
    name="playbook_plan",
    title="Playbook planner",
    summary="Pick a playbook and its start (or renewal) date; get every step as a dated task.",
    inputs=(
        Field(
            "playbook",
            "Playbook",
            type="select",
            options_from=_playbooks,
            example_from=lambda c: "renewal" if "renewal" in c.get("playbooks", {}) else next(iter(sorted(c.get("playbooks", {}))), None),
        ),
        Field("date", "Start date (renewal date for renewal-timed playbooks)", type="date", example="2026-06-30"),
    ),
    compute=_plan,
    outputs=(("tasks", "Dated tasks"),),
)
