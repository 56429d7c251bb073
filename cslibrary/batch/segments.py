"""The report's segment sections: CSMs needed per segment (the coverage calculator with each
segment's planning ratio) and the segment transitions accounts' ARR has crossed."""

from __future__ import annotations

import itertools
from typing import Any

from calculators import run

from .blocks import Block, Chart, Heading, Paragraph, Table, count, money, pct
from .summary import Totals


def coverage_result(totals: Totals, csm_cost: float) -> dict[str, Any] | None:
    """``calculators.run("coverage", …)`` for the scored accounts per segment, planning ratios."""
    segments = []
    for code in sorted(totals.segments):
        group = totals.segments[code]
        accounts = group.accounts + group.unscored_accounts
        arr = group.arr.value + group.unscored_arr.value
        if accounts and arr > 0:
            segments.append({"segment": totals.model.tier_ids[code], "accounts": accounts, "arr": arr})
    if not segments:
        return None
    return run("coverage", {"segments": segments, "csm_cost": csm_cost}, totals.model.config)


def coverage_blocks(totals: Totals, csm_cost: float) -> list[Block]:
    result = coverage_result(totals, csm_cost)
    if result is None:
        return []
    rows = []
    for seg in result["segments"]:
        target = "—"
        if seg["target_min"] is not None or seg["target_max"] is not None:
            low = "" if seg["target_min"] is None else f"{seg['target_min']:g}"
            high = "" if seg["target_max"] is None else f"{seg['target_max']:g}"
            target = f"{low}–{high} % ({seg['target_status']})" if low and high else (f"≤ {high} %" if high else f"≥ {low} %")
            if not (low and high):
                target += f" ({seg['target_status']})"
        rows.append(
            [
                seg["label"],
                count(seg["accounts"]),
                money(seg["arr"]),
                f"1:{seg['ratio']:g}",
                f"{seg['csms']:.2f}",
                count(seg["csms_rounded"]),
                pct(seg["cost_to_serve_pct"]),
                target,
            ]
        )
    rows.append(
        [
            "Total",
            count(result["total_accounts"]),
            money(result["total_arr"]),
            "",
            f"{result['total_csms']:.2f}",
            count(result["headcount"]),
            pct(result["total_cost_to_serve_pct"]),
            "",
        ]
    )
    return [
        Heading("CSMs needed per segment"),
        Paragraph(
            f"The coverage calculator with each segment's planning ratio (accounts per CSM) and a fully loaded CSM cost of "
            f"{money(csm_cost)} a year. Segments are as given in the file or assigned by ARR."
        ),
        Table(["Segment", "Accounts", "ARR", "Ratio", "CSMs", "Headcount", "Cost-to-serve", "Target"], rows, frozenset(range(1, 7))),
        Chart(
            "CSMs needed per segment",
            [s["label"] for s in result["segments"]],
            [("CSMs", [s["csms"] for s in result["segments"]])],
            lambda v: f"{v:.1f}",
        ),
    ]


def transition_blocks(totals: Totals) -> list[Block]:
    if not totals.transitions:
        return [Heading("Segment transitions"), Paragraph("No account's ARR has crossed its given segment's threshold.")]
    actions = {(t["from"], t["to"]): t.get("action", "") for t in totals.model.config["segments"].get("transitions", [])}
    rows = []
    for path in sorted(totals.transitions, key=lambda p: -totals.transitions[p].accounts):
        group = totals.transitions[path]
        steps = path.split("→")
        action = "; ".join(a for a in (actions.get((x, y), "") for x, y in itertools.pairwise(steps)) if a)
        rows.append([path, count(group.accounts), money(group.arr.value), action])
    return [
        Heading("Segment transitions"),
        Paragraph("Accounts whose ARR has crossed a threshold of the segment given in the file (segments.yml transitions)."),
        Table(["Transition", "Accounts", "ARR", "Action"], rows, frozenset({1, 2})),
    ]
