"""Overlapping rules: two plays that can fire on the same signal must say which runs.

Each rule's ``when`` is expanded into alternatives (:mod:`cslibrary.model.overlaps`): ``any``
gives one alternative per branch, ``all`` combines one alternative of each part, so an
``all`` adds constraints and an ``any`` adds alternatives. A *signal* is a metric condition
(the metric and its range), a change (the metric and the direction: fall or rise), an event
(the event and its attribute bounds; ``within_days`` is ignored, both windows hold the day
of the event) or an account date (both date rules fire from the later day until their play
has run). Schedules, journey stages and ARR are cadences and scopes, never signals by
themselves. Two rules **overlap** when they run in a common segment (the rule's
``segments``, else the playbook's) and some alternative of each names the same signal with
ranges (or attribute bounds) that meet, while the two alternatives together can hold:
their ranges on any metric both bound meet, as do their ARR bounds, their stage lists share
a stage, and no change is required to both fall and rise.

An overlapping pair is settled when both rules are in one ``group``, one ``suppresses`` the
other, or one names the other in ``runs_with`` (both run, deliberately); otherwise it is
reported once, at the shared condition of the play that ranks after the other (higher
priority number, then id). A ``runs_with`` that names a play sharing no signal, or a play it
also suppresses, is reported too. The approximation is deliberately syntactic: two rules on
different signals that happen to co-occur (a cancellation and a low health score) are not
compared.
"""

from __future__ import annotations

import itertools

from cslibrary import model as m

from .. import overlaps
from ..yaml_reader import _dotted
from .report import Report


def _segments_of(pb: m.Playbook) -> list[str]:
    rule = pb.trigger.rule
    return list(rule.segments) if rule is not None and rule.segments else list(pb.segments)


def _settled(a: m.Playbook, b: m.Playbook) -> str | None:
    """How a pair of rules settles which runs: a shared group, a suppression or a declared ``runs_with``; None if not."""
    ra, rb = a.trigger.rule, b.trigger.rule
    assert ra is not None and rb is not None
    if ra.group is not None and ra.group == rb.group:
        return "group"
    if b.id in ra.suppresses or a.id in rb.suppresses:
        return "suppresses"
    if b.id in ra.runs_with or a.id in rb.runs_with:
        return "runs_with"
    return None


def check_overlaps(report: Report, lib: m.Library) -> None:
    """Two plays that can fire on the same signal for a common segment settle which runs (see the module docstring)."""
    ruled = sorted((pid, pb) for pid, pb in lib.playbooks.items() if pb.trigger.rule is not None)
    overlapping: set[tuple[str, str]] = set()
    when = ("trigger", "rule", "when")
    for (aid, a), (bid, b) in itertools.combinations(ruled, 2):
        ra, rb = a.trigger.rule, b.trigger.rule
        assert ra is not None and rb is not None
        segments = [s for s in _segments_of(a) if s in _segments_of(b)]
        if not segments:
            continue
        shared = overlaps.shared_signals(ra, rb, when, when)
        if not shared:
            continue
        overlapping |= {(aid, bid), (bid, aid)}
        if _settled(a, b) is not None:
            continue
        # Reported once, at the play that ranks after the other (the one a suppression would remove).
        (first, first_rule), (later, later_rule) = (
            ((aid, ra), (bid, rb)) if (ra.priority, aid) <= (rb.priority, bid) else ((bid, rb), (aid, ra))
        )
        signal = shared[0]
        here, there = (signal.path, signal.other_path) if later == aid else (signal.other_path, signal.path)
        suppress = (
            f"let {first!r} suppress this one"
            if first_rule.priority < later_rule.priority
            else f"let one suppress the other (both have priority {first_rule.priority}: the suppressing rule needs the lower number)"
        )
        first_rel = lib.playbook_paths[first]
        line = lib.positions[first_rel].at(there, key=True)[0] if first_rel in lib.positions else 0
        report(
            lib.playbook_paths[later],
            here,
            f"can fire on the same signal as playbook {first!r} ({signal.text}; {first_rel}:{line} {_dotted(there)}) for "
            f"{', '.join(segments)}, and no rule says which runs: put both rules in one group, {suppress}, narrow one of the "
            "rules, or name the other in runs_with if both must run",
        )
    for pid, pb in ruled:
        rule = pb.trigger.rule
        assert rule is not None
        for i, other in enumerate(rule.runs_with):
            if other in lib.playbooks and other != pid and other not in rule.suppresses and (pid, other) not in overlapping:
                report(
                    lib.playbook_paths[pid],
                    ("trigger", "rule", "runs_with", i),
                    f"{other!r} shares no signal with this rule in a common segment, so there is nothing to declare: remove it",
                )
