"""What the page shows for the planner family: it draws ``playbook_plan``.

A link to the playbook, the number of tasks, the first and last dates, and the dated task
list (date, weekday, offset, task, owner, channel).

>>> from calculators import default_config, run
>>> cfg = {**default_config(), "playbooks": {"p": {"title": "P", "offset_unit": "day", "steps": [{"at": 0, "action": "Call"}]}}}
>>> inputs = {"playbook": "p", "date": "2026-01-05"}
>>> [(o.key, o.html) for o in playbook_plan(inputs, run("playbook_plan", inputs, cfg), cfg, "")][1:3]
[('task_count', '1'), ('first_date', '2026-01-05')]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .charts import esc
from .widgets import Config, Output, Result, html_output, html_table, num, playbook_link, stat


def playbook_plan(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    rows = [
        [
            esc(t["date"]),
            esc(t["weekday"]),
            esc(t["offset"]),
            esc(t["action"]),
            esc(t.get("owner_name") or ""),
            esc(t.get("channel_label") or ""),
        ]
        for t in r["tasks"]
    ]
    table = html_table(
        ("Date", "Day", "When", "Task", "Owner", "Channel"),
        rows,
        caption=f"{r['title']}: tasks counted from the {r['anchor']}",
        cls="cs-tasks",
    )
    return [
        html_output("title", "Playbook", playbook_link(r["playbook"], config, base), r["playbook"]),
        stat("task_count", "Tasks", num(len(r["tasks"])), len(r["tasks"])),
        stat("first_date", "First task", r["first_date"] or "—", r["first_date"]),
        stat("last_date", "Last task", r["last_date"] or "—", r["last_date"]),
        html_output("tasks", "Dated tasks", table, wide=True),
    ]
