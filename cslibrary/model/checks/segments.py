"""``segments.yml``: references, ratios, weights, and the ARR lines the tiers draw.

Within the file: tier and ratio-table ARR ranges are contiguous and cover every account;
each planning ratio lies inside its range; every tier, ratio-table row, transition tier,
scoring row and example segment names one that exists, and every tier's playbooks (and the
playbooks its playbook elements name) exist;
scoring weights are positive and sum to 100.

Consistency between the parts of the file, each failure reported at the field that would
change:

* **Segment boundaries.** Each ratio-table row's ARR range lies inside its tier's; each row's
  ARR score (``scoring.arr_scores``) falls in the score range of the row's own tier (an account
  whose other factors score like its ARR keeps the tier its ARR gives); each transition's
  ``arr_crosses`` is where the tiers draw the line (the ``to`` tier's ``arr_min`` going up,
  the ``from`` tier's going down).
* **Example organisation.** Each segment (a ratio-table row or a tier) has an average ARR
  inside its range; each segment's CSMs (accounts ÷ planning ratio) rounded up add up to the
  total rounded up, the coverage calculator's headcount (else the page would show two
  headcounts); and a stated ``headcount`` equals that sum.
"""

from __future__ import annotations

import math

from cslibrary import model as m

from .report import EPS, Report, contiguous


def check_segments(report: Report, lib: m.Library, playbooks: set[str]) -> None:
    """``segments.yml``: its references, ratios and weights, then its boundaries and example organisation."""
    rel, s = lib.segments_path, lib.segments
    tiers = [t.id for t in s.tiers]
    rows = [r.id for r in s.ratio_table]
    contiguous(report, rel, ("tiers",), s.tiers, "arr_min", "arr_max", "tier", cover=True)
    contiguous(report, rel, ("ratio_table",), s.ratio_table, "arr_min", "arr_max", "ratio table row", cover=True)
    ratios = [("tiers", i, t.ratio) for i, t in enumerate(s.tiers)] + [("ratio_table", i, r.ratio) for i, r in enumerate(s.ratio_table)]
    for key, i, r in ratios:
        if (r.min is not None and r.planning < r.min) or (r.max is not None and r.planning > r.max):
            report(
                rel, (key, i, "ratio", "planning"), f"planning ratio {r.planning:g} lies outside its range {r.min or 0:g}–{r.max or '∞'}"
            )
    for i, tier in enumerate(s.tiers):
        for j, pid in enumerate(tier.playbooks):
            report.ref(rel, ("tiers", i, "playbooks", j), pid, playbooks, "playbook")
        for j, element in enumerate(tier.playbook_elements):
            if element.playbook is not None:
                report.ref(rel, ("tiers", i, "playbook_elements", j, "playbook"), element.playbook, playbooks, "playbook")
    for i, row in enumerate(s.ratio_table):
        report.ref(rel, ("ratio_table", i, "tier"), row.tier, tiers, "tier")
    total = sum(s.scoring.weights.values())
    if s.scoring.weights and abs(total - 100) > EPS:
        report(rel, ("scoring", "weights"), f"weights add up to {total:g}, not 100")
    for name, weight in s.scoring.weights.items():
        if weight <= 0:
            report(rel, ("scoring", "weights", name), f"weight must be positive (got {weight:g})")
    for name in s.scoring.arr_scores:
        report.ref(rel, ("scoring", "arr_scores", name), name, rows, "ratio table row")
    for i, st in enumerate(s.scoring.tiers):
        report.ref(rel, ("scoring", "tiers", i, "tier"), st.tier, tiers, "tier")
    for i, tr in enumerate(s.transitions):
        report.ref(rel, ("transitions", i, "from"), tr.from_, [*tiers, "any"], "tier (or 'any')")
        report.ref(rel, ("transitions", i, "to"), tr.to, [*tiers, "any"], "tier (or 'any')")
    for i, seg in enumerate(s.example_organisation.segments):
        report.ref(rel, ("example_organisation", "segments", i, "segment"), seg.segment, [*rows, *tiers], "ratio table row or tier")
    _tier_agreement(report, lib)
    _organisation(report, lib)


def _tier_of_score(score: float, scoring: m.Scoring) -> str | None:
    return next((t.tier for t in sorted(scoring.tiers, key=lambda t: -t.min) if score >= t.min), None)


def _money(x: float | None) -> str:
    return "no limit" if x is None else f"{x:,.0f}"


def _tier_agreement(report: Report, lib: m.Library) -> None:
    """The coverage tiers, the ratio table, the score tiers and the transitions draw the same ARR lines."""
    rel, s = lib.segments_path, lib.segments
    tiers = {t.id: t for t in s.tiers}
    for i, row in enumerate(s.ratio_table):
        tier = tiers.get(row.tier)
        if tier is None:
            continue
        top, row_top = math.inf if tier.arr_max is None else tier.arr_max, math.inf if row.arr_max is None else row.arr_max
        if row.arr_min < tier.arr_min or row_top > top:
            key, example = ("arr_min", row.arr_min) if row.arr_min < tier.arr_min else ("arr_max", top)
            other = next((t.id for t in s.tiers if t.arr_min <= example < (math.inf if t.arr_max is None else t.arr_max)), None)
            report(
                rel,
                ("ratio_table", i, key),
                f"the {row.id!r} row ({_money(row.arr_min)} to {_money(row.arr_max)}) reaches outside its tier {tier.id!r} "
                f"({_money(tier.arr_min)} to {_money(tier.arr_max)}): an account of {example:,.0f} is {other} by the tiers but "
                f"{tier.id} by this row (and the segment score); make the row's ARR range fit inside its tier's",
            )
        score = s.scoring.arr_scores.get(row.id)
        by_score = None if score is None else _tier_of_score(score, s.scoring)
        if score is not None and by_score is not None and by_score != row.tier and row.tier in {t.tier for t in s.scoring.tiers}:
            cuts = ", ".join(f"{t.tier} from {t.min:g}" for t in sorted(s.scoring.tiers, key=lambda t: -t.min))
            report(
                rel,
                ("scoring", "arr_scores", row.id),
                f"an ARR score of {score:g} points to {by_score} ({cuts}) but the {row.id!r} row is {row.tier}: an account whose "
                f"other factors score like its ARR would be scored into another tier than its ARR gives; pick a score in {row.tier}'s range",
            )
    for i, tr in enumerate(s.transitions):
        if tr.arr_crosses is None or tr.from_ not in tiers or tr.to not in tiers:
            continue
        line = tiers[tr.to].arr_min if tr.direction != "down" else tiers[tr.from_].arr_min
        if abs(tr.arr_crosses - line) > EPS:
            which = f"{tr.to!r} starts" if tr.direction != "down" else f"{tr.from_!r} starts"
            report(
                rel,
                ("transitions", i, "arr_crosses"),
                f"{tr.arr_crosses:,.0f} is not where the tiers draw the line: {which} at {line:,.0f} (tiers arr_min)",
            )


def _organisation(report: Report, lib: m.Library) -> None:
    """The example organisation: each segment's average ARR in its range, and one headcount however it is added up."""
    rel, s = lib.segments_path, lib.segments
    org = s.example_organisation
    rows: dict[str, m.Tier | m.RatioRow] = {**{t.id: t for t in s.tiers}, **{r.id: r for r in s.ratio_table}}
    base = ("example_organisation", "segments")
    csms: list[float] = []
    for i, seg in enumerate(org.segments):
        row = rows.get(seg.segment)
        if row is None or seg.accounts == 0:
            return
        average = seg.arr / seg.accounts
        if average < row.arr_min or (row.arr_max is not None and average >= row.arr_max):
            report(
                rel,
                (*base, i, "arr"),
                f"the average ARR {average:,.0f} ({seg.arr:,.0f} ÷ {seg.accounts}) lies outside the {row.id!r} range "
                f"({_money(row.arr_min)} to {_money(row.arr_max)})",
            )
        csms.append(seg.accounts / row.ratio.planning)
    rounded = [math.ceil(c - EPS) for c in csms]
    total = math.fsum(csms)
    sum_text = " + ".join(map(str, rounded)) + f" = {sum(rounded)}"
    if sum(rounded) != math.ceil(total - EPS):
        report(
            rel,
            base,
            f"each segment's CSMs (accounts ÷ planning ratio) rounded up add up to {sum_text}, but the coverage calculator's headcount "
            f"is their total {total:.2f} rounded up, {math.ceil(total - EPS)}: the page would show both; change a segment's accounts "
            "or plan it on another row or tier until the two agree",
        )
    if org.headcount is not None and org.headcount != sum(rounded):
        report(
            rel,
            ("example_organisation", "headcount"),
            f"states {org.headcount} CSMs but each segment's CSMs (accounts ÷ planning ratio) rounded up add up to {sum_text}",
        )
