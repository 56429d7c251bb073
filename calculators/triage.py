"""Triage: which playbooks an account needs on a given day, in order, and why.

Every playbook whose ``trigger.rule`` (see :mod:`calculators.rules`) holds for the account
is a play. The rules, the events and the account dates they speak of all come from the YAML
(``playbooks/library/*.yml``, ``playbooks/events.yml``); nothing here knows a playbook.

Conventions:

* **Scope.** A play is considered only for the segments its rule names (by default the
  playbook's ``segments``). The health score is the ``health`` given, or the score of the
  ``components`` under the segment's weight model (:mod:`calculators.health`).
* **Order.** Plays are ordered by the rule's ``priority`` (1 first), then by the day they
  start, then by playbook id; ``priority`` in the output is the position (1, 2, …).
* **Competing plays.** Rules that share a ``group`` are exclusive: only the one with the
  lowest priority (then id) runs, the others are listed under ``suppressed`` with the reason.
  A play's ``suppresses`` list removes those plays when it runs. The health-band plays are
  one group, so an account in a band gets that band's play and no other band's.
* **In progress.** A play that ran (``dates.last_<playbook>``) and whose rule would still
  hold if it had not run is in progress: it goes on replacing the plays it ``suppresses``.
* **Handled.** An event rule does not fire again once the playbook ran on or after the event,
  a date rule once it ran on or after its trigger day, a schedule until it is due again
  (``dates.last_<playbook>``, the playbook id with ``_`` for ``-``).

>>> from calculators import default_config, run
>>> cfg = default_config()
>>> band = lambda bounds, priority: {"when": {"metric": "health_score", **bounds}, "group": "health_band", "priority": priority}
>>> cfg["playbooks"] = {
...     "save": {"title": "Save", "segments": ["high_touch"], "rule": band({"below": 40}, 1), "offset_unit": "day", "steps": []},
...     "check-in": {"title": "Check-in", "segments": ["high_touch"], "rule": band({"at_least": 40}, 5), "offset_unit": "day", "steps": []},
... }
>>> out = run("triage", {"as_of": "2026-12-07", "segment": "high_touch", "health": 35}, cfg)
>>> [(p["playbook"], p["priority"], p["reason"], p["starts"]) for p in out["plays"]]
[('save', 1, 'Health score 35 is below 40', '2026-12-07')]
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from .declarations import Calculator, Config, Field, InputError, Inputs, validate
from .health import HEALTH_SCORE
from .planner import offset_label, step_date
from .rules import Match, Signals, describe, evaluate

__all__ = ["FIRST_STEPS", "TRIAGE", "rule_in_words", "rule_words", "triage"]

#: Steps listed per play (the full plan is the planner's job).
FIRST_STEPS = 3


def _tiers(config: Config) -> list[tuple[str, str]]:
    return [(t["id"], t.get("label", t["id"])) for t in config["segments"]["tiers"]]


def _stages(config: Config) -> list[tuple[str, str]]:
    return [(s["id"], s.get("label", s["id"])) for s in config.get("stages", [])]


def _used(config: Config, kind: str) -> set[str]:
    """The ids that the rules' conditions of ``kind`` (``metric``, ``change``, ``date``…) name."""
    found: set[str] = set()

    def walk(cond: Any) -> None:
        if isinstance(cond, dict):
            if isinstance(cond.get(kind), str):
                found.add(cond[kind])
            for key in ("all", "any"):
                for sub in cond.get(key, []):
                    walk(sub)

    for playbook in config["playbooks"].values():
        if playbook.get("rule"):
            walk(playbook["rule"]["when"])
    return found


def _metrics_for(kind: str) -> Callable[[Config], list[tuple[str, str]]]:
    """The metrics, those the rules' ``kind`` conditions read first (the form shows the first few)."""

    def options(config: Config) -> list[tuple[str, str]]:
        used = _used(config, kind)
        metrics = [(mid, m.get("label", mid)) for mid, m in config["assessments"].items() if mid != "health_score"]
        return sorted(metrics, key=lambda m: m[0] not in used)

    return options


def _components(config: Config) -> list[tuple[str, str]]:
    return [(c["id"], c.get("label", c["id"])) for c in config["health"]["components"]]


def _events(config: Config) -> list[tuple[str, str]]:
    return [(eid, e.get("label", eid)) for eid, e in config.get("events", {}).items()]


def _dates(config: Config) -> list[tuple[str, str]]:
    used = _used(config, "date")
    dates = sorted(config.get("dates", {}).items(), key=lambda d: d[0] not in used)
    return dates + [(f"last_{pid.replace('-', '_')}", f"Last run: {p['title']}") for pid, p in config["playbooks"].items() if p.get("rule")]


def _example_dates(config: Config) -> dict[str, str]:
    """A renewal in four months, onboarding done in March, the recurring plays run recently."""
    example = {
        "renewal_date": "2027-03-31",
        "onboarding_complete": "2026-03-01",
        "last_qbr": "2026-10-15",
        "last_value_report": "2026-10-20",
        "last_progress_status": "2026-12-01",
        "last_commitment_adoption": "2026-12-01",
        "last_low_usage_growth": "2026-10-01",
        "last_drive_feature_usage": "2026-12-07",
    }
    known = {key for key, _ in _dates(config)}
    return {key: value for key, value in example.items() if key in known}


def _labels(config: Config) -> dict[str, str]:
    labels = {mid: m.get("label", mid) for mid, m in config["assessments"].items()}
    labels["health_score"] = "Health score"
    labels.update(dict(_events(config)))
    labels.update(dict(_dates(config)))
    labels.update(dict(_stages(config)))
    return labels


def rule_words(config: Config) -> dict[str, str]:
    """The names a rule in words uses: the YAML's labels in lower case ("health score", "renewal date")."""
    return {key: label[:1].lower() + label[1:] if not label[1:2].isupper() else label for key, label in _labels(config).items()}


def rule_in_words(playbook_id: str, config: Config, words: Mapping[str, str] | None = None) -> str | None:
    """What starts ``playbook_id``, in words, for its page ("Starts when: …"); None without a rule.

    ``words`` is :func:`rule_words` of ``config``, for callers that describe many playbooks.
    """
    rule = config["playbooks"][playbook_id].get("rule")
    if not rule:
        return None
    return _sentence(describe(rule["when"], rule_words(config) if words is None else words))


def _health(values: Inputs, config: Config) -> dict[str, Any] | None:
    if values["health"] is not None:
        return {"score": values["health"], "source": "given"}
    if not values["components"]:
        return None
    model = values["segment"] if values["segment"] in config["health"]["weights"] else None
    scored = HEALTH_SCORE.compute(validate(HEALTH_SCORE.inputs, {"segment": model, "components": values["components"]}, config), config)
    return {"score": scored["score"], "source": "components", "band": scored["band"]}


def _first_steps(playbook: Mapping[str, Any], starts: datetime.date, dates: Mapping[str, datetime.date]) -> list[dict[str, Any]]:
    unit = playbook["offset_unit"]
    steps = playbook.get("steps", [])
    if not steps:
        return []
    if unit == "t_minus_day" and "renewal_date" in dates:
        anchor = dates["renewal_date"]
    else:  # the first step falls on the day the play starts
        anchor = starts - (step_date(starts, steps[0]["at"], unit) - starts)
    out = []
    for step in steps[:FIRST_STEPS]:
        day = step_date(anchor, step["at"], unit)
        out.append(
            {"date": day.isoformat(), "offset": offset_label(step["at"], unit), "action": step["action"], "owner": step.get("owner")}
        )
    return out


def _check_attributes(events: list[dict[str, Any]], config: Config) -> None:
    """Each event's attributes are the ones ``events.yml`` declares for it, inside their bounds."""
    known = config.get("events", {})
    for i, event in enumerate(events):
        declared = known.get(event["event"], {}).get("attributes", {})
        for attr, value in event.items():
            if attr in ("event", "date") or value is None:
                continue
            spec = declared.get(attr)
            if spec is None:
                raise InputError(
                    f"events[{i}].{attr}", f"is not an attribute of the event {event['event']!r} (it has: {', '.join(declared) or 'none'})"
                )
            low, high = spec.get("minimum"), spec.get("maximum")
            if (low is not None and value < low) or (high is not None and value > high):
                raise InputError(f"events[{i}].{attr}", f"must be from {low:g} to {high:g} (got {value!r})")


def _signals(values: Inputs, config: Config, health: dict[str, Any] | None) -> Signals:
    metrics = dict(values["metrics"])
    if health is not None and health["score"] is not None:
        metrics["health_score"] = health["score"]
    events = [{**e, "date": datetime.date.fromisoformat(e["date"])} for e in values["events"]]
    return Signals(
        as_of=datetime.date.fromisoformat(values["as_of"]),
        values=metrics,
        changes=values["changes"],
        events=events,
        dates={k: datetime.date.fromisoformat(v) for k, v in values["dates"].items()},
        stage=values["stage"],
        arr=values["arr"],
        labels=_labels(config),
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def triage(values: Inputs, config: Config) -> dict[str, Any]:
    """The plays the account needs on ``as_of``, ordered, with their reasons and first steps."""
    _check_attributes(values["events"], config)
    health = _health(values, config)
    signals = _signals(values, config, health)
    fired: list[tuple[str, Mapping[str, Any], Match]] = []
    in_progress: dict[str, str] = {}  # a play that ran and whose situation still holds: playbook -> last run
    unknown: set[str] = set()
    for pid, playbook in config["playbooks"].items():
        rule = playbook.get("rule")
        if not rule or values["segment"] not in (rule.get("segments") or playbook.get("segments", [])):
            continue
        match = evaluate(rule["when"], signals, pid)
        if match.fired:
            fired.append((pid, rule, match))
            continue
        unknown.update(r.removesuffix(" is not known") for r in match.reasons if r.endswith(" is not known"))
        last = signals.dates.get(f"last_{pid.replace('-', '_')}")
        if rule.get("suppresses") and last is not None and evaluate(rule["when"], replace(signals, ignore_runs=True), pid).fired:
            in_progress[pid] = last.isoformat()
    fired.sort(key=lambda f: (f[1].get("priority", 9), f[2].starts or signals.as_of, f[0]))
    kept: list[tuple[str, Mapping[str, Any], Match]] = []
    suppressed: list[dict[str, Any]] = []
    taken: dict[str, str] = {}
    for pid, rule, match in fired:
        group = rule.get("group")
        by = taken.get(group) if group else None
        by = by or next((k for k, r, _ in kept if pid in r.get("suppresses", [])), None)
        running = next((k for k in in_progress if pid in config["playbooks"][k]["rule"].get("suppresses", [])), None)
        by = by or running
        if by is not None:
            if group and taken.get(group) == by:
                why = f"the '{group}' group runs one play and {by} ranks first"
            elif by == running:
                why = f"{by} is in progress (it ran on {in_progress[by]} and its situation still holds) and replaces it"
            else:
                why = f"{by} replaces it"
            suppressed.append({"playbook": pid, "title": config["playbooks"][pid]["title"], "by": by, "reason": why})
            continue
        if group:
            taken[group] = pid
        kept.append((pid, rule, match))
    plays = []
    for position, (pid, _rule, match) in enumerate(kept, start=1):
        playbook = config["playbooks"][pid]
        starts = match.starts or signals.as_of
        plays.append(
            {
                "playbook": pid,
                "title": playbook["title"],
                "priority": position,
                "reason": _sentence("; ".join(match.reasons)),
                "starts": starts.isoformat(),
                "owner": playbook.get("owner"),
                "first_steps": _first_steps(playbook, starts, signals.dates),
            }
        )
    return {
        "as_of": values["as_of"],
        "segment": values["segment"],
        "health_score": None if health is None else health["score"],
        "plays": plays,
        "suppressed": suppressed,
        "play_count": len(plays),
        "unknown_signals": sorted(unknown),
    }


TRIAGE = Calculator(
    name="triage",
    title="Which plays does this account need?",
    summary="An account's signals on a day, run through every playbook's trigger rule: the plays it needs, in order, with the reason for each.",
    inputs=(
        Field("as_of", "As of", type="date", example="2026-12-07", help="The day to triage for (today, in the page)."),
        Field("segment", "Segment", type="select", options_from=_tiers, example="high_touch", help="The account's coverage tier."),
        Field("arr", "ARR", unit="currency", minimum=0, required=False, example=250_000, help="Annual recurring revenue."),
        Field("stage", "Journey stage", type="select", options_from=_stages, required=False, example="adoption"),
        Field(
            "health",
            "Health score",
            unit="points",
            minimum=0,
            maximum=100,
            required=False,
            example=35,
            help="Leave empty to score the components instead.",
        ),
        Field(
            "components",
            "Health components",
            type="mapping",
            unit="points",
            minimum=0,
            maximum=100,
            required=False,
            default={},
            options_from=_components,
            help="Component scores 0–100, used when no health score is given.",
        ),
        Field(
            "metrics",
            "Metrics",
            type="mapping",
            required=False,
            default={},
            options_from=_metrics_for("metric"),
            help="Current values, in each metric's unit.",
        ),
        Field(
            "changes",
            "Changes",
            type="mapping",
            unit="%",
            required=False,
            default={},
            options_from=_metrics_for("change"),
            help="Percent change over the metric's window (−25 is a 25 % fall).",
        ),
        Field(
            "events",
            "Events",
            type="table",
            required=False,
            default=[],
            example=[{"event": "nps_response", "date": "2026-12-01", "score": 4}],
            columns=(
                Field("event", "Event", type="select", options_from=_events),
                Field("date", "Date", type="date"),
                Field("score", "Score", type="integer", minimum=0, maximum=10, required=False, help="For NPS responses: 0–10."),
            ),
        ),
        Field(
            "dates",
            "Account dates",
            type="mapping",
            item_type="date",
            required=False,
            default={},
            options_from=_dates,
            example_from=_example_dates,
            help="Renewal date, onboarding completion, the last run of a playbook…",
        ),
    ),
    compute=triage,
    outputs=(("plays", "Plays"), ("suppressed", "Suppressed plays"), ("play_count", "Plays needed")),
)
