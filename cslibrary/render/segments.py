"""The segments overview (coverage model, decision framework, ratios, transitions) and one page per tier."""

from __future__ import annotations

from ..model import Tier
from . import labels, markup
from .catalog import Catalog
from .escape import md_field, md_text, title_text
from .page import Page

#: The decision framework: the attributes that tell the tiers apart, in reading order.
FRAMEWORK = (
    ("Coverage", "coverage"),
    ("Touch frequency", "touch_frequency"),
    ("Complexity", "complexity"),
    ("Strategic value", "strategic_value"),
    ("Stakeholders", "stakeholders"),
    ("Success plan", "success_plan"),
    ("Reviews", "reviews"),
)

FACTORS = {"arr": "ARR"}


def arr_range(low: float | None, high: float | None) -> str:
    return labels.value_range(low, high).replace("any value", "any ARR")


def ratio_text(tier_ratio: object) -> str:
    low, high, plan = (getattr(tier_ratio, k, None) for k in ("min", "max", "planning"))
    span = f"1:{labels.number(low)}–1:{labels.number(high)}" if low and high else f"1:{labels.number(low or plan)}+"
    return f"{span} (plan 1:{labels.number(plan)})"


def cost_text(tier: Tier) -> str:
    return labels.value_range(tier.cost_to_serve.min, tier.cost_to_serve.max, "percent", high_inclusive=True) + " of ARR"


def _coverage(catalog: Catalog, here: str) -> str:
    rows = [
        [catalog.segment_link(here, t.id), md_text(arr_range(t.arr_min, t.arr_max)), md_text(ratio_text(t.ratio)), md_text(cost_text(t))]
        for t in catalog.library.segments.tiers
    ]
    return "## Coverage model\n\n" + markup.table(["Tier", "ARR", "Accounts per CSM", "Cost to serve"], rows)


def _framework(catalog: Catalog, here: str) -> str:
    tiers = catalog.library.segments.tiers
    rows = [[f"**{name}**", *(md_text(getattr(t, attr)) for t in tiers)] for name, attr in FRAMEWORK]
    head = ["", *(catalog.segment_link(here, t.id) for t in tiers)]
    return "## Decision framework\n\nHow the tiers differ, attribute by attribute.\n\n" + markup.table(head, rows)


def _ratios(catalog: Catalog, here: str) -> str:
    rows = [
        [
            md_text(r.label),
            catalog.segment_link(here, r.tier),
            md_text(arr_range(r.arr_min, r.arr_max)),
            md_text(ratio_text(r.ratio)),
            md_text(r.touch_model),
        ]
        for r in catalog.library.segments.ratio_table
    ]
    return "## CSM ratios\n\n" + markup.table(["Segment", "Tier", "ARR", "Accounts per CSM", "Touch model"], rows)


def _scoring(catalog: Catalog, here: str) -> str:
    scoring = catalog.library.segments.scoring
    weights = markup.table(
        ["Factor", "Weight"],
        [[md_text(FACTORS.get(k, k.replace("_", " ").capitalize())), f"{labels.number(v)} %"] for k, v in scoring.weights.items()],
        "lr",
    )
    cut = markup.table(["Score from", "Tier"], [[labels.number(t.min), catalog.segment_link(here, t.tier)] for t in scoring.tiers], "rl")
    intro = (
        md_field(scoring.description)
        if scoring.description
        else "Each factor is scored 0–100 and weighted; the weighted score picks the tier."
    )
    return markup.join("## Multi-factor segmentation", intro, weights, cut, "<!-- calculator: segment_score -->")


def _transition_rows(catalog: Catalog, here: str, tier_id: str | None = None) -> list[list[str]]:
    def name(seg: str) -> str:
        return "any tier" if seg == "any" else catalog.segment_link(here, seg)

    rows = []
    for t in catalog.library.segments.transitions:
        if tier_id is None or tier_id in (t.from_, t.to):
            rows.append([name(t.from_), name(t.to), md_text(t.trigger), md_text(t.action)])
    return rows


def segments_index(catalog: Catalog) -> Page:
    here = markup.SEGMENTS
    segments = catalog.library.segments
    org = segments.example_organisation
    body = markup.join(
        markup.front_matter("Segments"),
        "# Segments",
        "Accounts are served in three coverage tiers. ARR sets the default tier; complexity, growth potential and "
        "strategic value can move an account up, and the transitions below say when an account changes tier.",
        _coverage(catalog, here),
        _framework(catalog, here),
        _ratios(catalog, here) if segments.ratio_table else "",
        _scoring(catalog, here),
        "## Transitions\n\n" + markup.table(["From", "To", "When", "Action"], _transition_rows(catalog, here))
        if segments.transitions
        else "",
        "## Planning coverage",
        f"Example organisation: {md_field(org.description)}",
        "<!-- calculator: coverage -->",
    )
    return Page(here, body, "Segments", catalog.library.segments_path, listed=True)


def segment_page(catalog: Catalog, tier: Tier) -> Page:
    here = markup.segment_path(tier.id)
    title = title_text(tier.label)
    facts = [
        f"- **ARR:** {md_text(arr_range(tier.arr_min, tier.arr_max))}",
        f"- **Accounts per CSM:** {md_text(ratio_text(tier.ratio))}",
        f"- **Cost to serve:** {md_text(cost_text(tier))}",
        *(f"- **{name}:** {md_text(getattr(tier, attr))}" for name, attr in FRAMEWORK),
    ]
    rows = [r for r in catalog.library.segments.ratio_table if r.tier == tier.id]
    ratio_rows = [
        [md_text(r.label), md_text(arr_range(r.arr_min, r.arr_max)), md_text(ratio_text(r.ratio)), md_text(r.touch_model)] for r in rows
    ]
    playbook_ids = list(dict.fromkeys([*(p.id for p in catalog.by_segment.get(tier.id, [])), *tier.playbooks]))
    weights = catalog.library.health.weights.get(tier.id)
    components = {c.id: c.label for c in catalog.library.health.components}
    transitions = _transition_rows(catalog, here, tier.id)
    body = markup.join(
        markup.front_matter(title, hide=["navigation"]),
        f"# {md_text(title)}",
        md_field(tier.description),
        markup.admonition("abstract cs-card", "At a glance", "\n".join(facts)),
        "## What the tier includes\n\n" + markup.bullets(md_text(e) for e in tier.playbook_elements) if tier.playbook_elements else "",
        "## CSM ratios\n\n" + markup.table(["Segment", "ARR", "Accounts per CSM", "Touch model"], ratio_rows) if ratio_rows else "",
        "## Playbooks\n\n" + markup.bullets(catalog.playbook_link(here, p) for p in sorted(playbook_ids)) if playbook_ids else "",
        (
            "## Health model weights\n\n"
            + markup.table(
                ["Component", "Weight"], [[md_text(components.get(k, k)), f"{labels.number(v)} %"] for k, v in weights.items()], "lr"
            )
            + f"\n\nSee the {markup.link('health model', here, markup.HEALTH)}."
        )
        if weights
        else "",
        "## Transitions\n\n" + markup.table(["From", "To", "When", "Action"], transitions) if transitions else "",
    )
    return Page(here, body, title, catalog.library.segments_path)
