"""How each calculator's result reads in the page: labelled values, tables and charts.

:func:`present` turns a calculator's result into a list of :class:`Output` items. Each item
fills one element ``data-output="KEY"`` of the page. The build renders the worked example
from this list and the browser (in Pyodide) recomputes the same list after every change,
so what a reader sees with JavaScript off is exactly what the live calculator would show.

Numbers are rounded here, for display only. Every text is HTML-escaped.

>>> from calculators import run, default_config
>>> cfg = default_config()
>>> inputs = {"promoters": 50, "passives": 30, "detractors": 20}
>>> [o.html for o in present("nps", inputs, run("nps", inputs, cfg), cfg) if o.key == "nps"]
['30.0']
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from . import charts
from .bands import describe_range
from .charts import Bar, Segment, Step, esc

Config = Mapping[str, Any]
Result = Mapping[str, Any]


@dataclass(frozen=True)
class Output:
    """One result slot: ``html`` goes into the element ``data-output="KEY"``.

    ``value`` is the raw value as JSON text (for ``data-value``), set for single values.
    ``wide`` outputs (tables, charts, formulas) take the full width under the key figures.
    """

    key: str
    label: str
    html: str
    value: str | None = None
    wide: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "html": self.html, "value": self.value}


# ---------------------------------------------------------------- number formatting


def money(value: float | None) -> str:
    """Money in the input's currency unit, thousands separated.

    >>> money(1_234_567.8), money(49.5), money(None)
    ('1,234,568', '49.50', '—')
    """
    if value is None:
        return "—"
    if abs(value) < 100 and value != int(value):
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def pct(value: float | None, digits: int = 1) -> str:
    """A percentage in percent units: ``pct(65.55)`` → ``'65.6 %'``."""
    return "—" if value is None else f"{value:,.{digits}f} %"


def num(value: float | None, digits: int = 1) -> str:
    """A plain number with ``digits`` decimals (integers print without)."""
    if value is None:
        return "—"
    if isinstance(value, int) or (digits and value == int(value) and abs(value) >= 1000):
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _raw(value: Any) -> str | None:
    if value is None or isinstance(value, str | int | float | bool):
        return json.dumps(value)
    return None


def _stat(key: str, label: str, text: str, value: Any = None) -> Output:
    return Output(key, label, esc(text), _raw(value))


def _html(key: str, label: str, html: str, value: Any = None, wide: bool = False) -> Output:
    return Output(key, label, html, _raw(value), wide)


def _badge(band: str | None, label: str | None, range_text: str | None = None) -> str:
    if not band:
        return '<span class="cs-badge cs-badge--none">no band</span>'
    out = f'<span class="cs-badge cs-band--{esc(band)}">{esc(label or band)}</span>'
    if range_text:
        out += f' <span class="cs-muted">{esc(range_text)}</span>'
    return out


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = (), caption: str = "", cls: str = "") -> str:
    """An HTML table; cells are already-escaped HTML. ``numeric`` columns align right."""
    right = ' class="cs-num"'
    head = "".join(f'<th scope="col"{right if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{right if i in numeric else ''}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<div class="cs-table-wrap"><table class="cs-table {esc(cls)}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _cell(key: str, text: str, value: Any = None) -> str:
    """A table cell's content that is itself an output (``data-output="contributions.support"``)."""
    raw = _raw(value)
    data = f' data-value="{esc(raw)}"' if raw is not None else ""
    return f'<span data-output="{esc(key)}"{data}>{esc(text)}</span>'


# ---------------------------------------------------------------- bands and scales

HEALTH_TONES = ("good", "ok", "warn", "bad", "worse")


def _health_tone(band_id: str, config: Config) -> str:
    ids = [b["id"] for b in config["health"]["bands"]]
    if band_id not in ids:
        return "neutral"
    return HEALTH_TONES[min(ids.index(band_id), len(HEALTH_TONES) - 1)]


def _score_tone(score: float) -> str:
    return "good" if score >= 80 else "ok" if score >= 60 else "warn" if score >= 40 else "bad"


def _domain(bands: Sequence[Mapping[str, Any]], value: float) -> tuple[float, float]:
    edges = [float(b[k]) for b in bands for k in ("min", "max") if b.get(k) is not None]
    if not edges:
        return (min(0.0, value), max(1.0, value))
    low, high = min(edges), max(edges)
    span = (high - low) or max(abs(high), 1.0)
    if any(b.get("min") is None for b in bands):
        low -= span * 0.25
    if any(b.get("max") is None for b in bands):
        high += span * 0.25
    if value < low:
        low = value - span * 0.05
    if value > high:
        high = value + span * 0.05
    return (low, high)


def _scale(
    title: str,
    bands: Sequence[Mapping[str, Any]],
    value: float,
    value_text: str,
    active: str | None,
    *,
    unit: str = "",
    tone: Callable[[str], str] | None = None,
) -> str:
    low, high = _domain(bands, value)
    segments = [
        Segment(
            label=str(b.get("label", b["id"])),
            low=float(b["min"]) if b.get("min") is not None else low,
            high=float(b["max"]) if b.get("max") is not None else high,
            tone=tone(str(b["id"])) if tone else ("accent" if b["id"] == active else "muted"),
            active=b["id"] == active,
            range_text=describe_range(b, unit),
        )
        for b in bands
    ]
    active_label = next((s.label for s in segments if s.active), "no band")
    caption = f"{title}: {value_text}, in the {active_label} band."
    ticks = [float(b[k]) for b in bands for k in ("min", "max") if b.get(k) is not None]
    return charts.band_scale(title, segments, value, value_text, low=low, high=high, caption=caption, ticks=ticks)


def _band_table(title: str, bands: Sequence[Mapping[str, Any]], active: str | None, unit: str) -> str:
    rows = []
    for band in bands:
        here = band["id"] == active
        label = f"<strong>{esc(band.get('label', band['id']))}</strong> ◀" if here else esc(band.get("label", band["id"]))
        rows.append([label, esc(describe_range(band, unit)), esc(band.get("meaning", ""))])
    return _table(("Band", "Range", "Meaning"), rows, caption=title, cls="cs-bands")


def _labels(pairs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return {str(p["id"]): str(p.get("label", p["id"])) for p in pairs}


def _playbook_link(playbook: str | None, config: Config, base: str) -> str:
    if not playbook:
        return "—"
    known = config.get("playbooks", {})
    if playbook not in known:
        return esc(playbook)
    title = known[playbook].get("title", playbook)
    return f'<a class="cs-playbook-link" href="{esc(base)}playbooks/{esc(quote(playbook))}/">{esc(title)}</a>'


# ---------------------------------------------------------------- the calculators


def _health(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    names = _labels(config["health"]["components"])
    score = r["score"]
    drag = r.get("biggest_drag")
    if score is None:
        scale = f'<p class="cs-muted">{esc(r["band_edge"])}</p>'
        contributions = scale
        lost_table = ""
    else:
        scale = _scale("Health score", config["health"]["bands"], score, f"{score:.1f}", r["band"], tone=lambda b: _health_tone(b, config))
        bars = [
            Bar(
                names.get(c, c),
                pts,
                f"{pts:.1f} of {r['weights'][c]:.1f}",
                tone=_score_tone(inputs["components"].get(c, 0.0)),
                track=r["weights"][c],
                track_text=f"{r['weights'][c]:.1f}",
            )
            for c, pts in r["contributions"].items()
        ]
        contributions = charts.bar_chart(
            "Points each component adds to the score",
            bars,
            caption=f"Each bar is the points a component adds; the faint bar is the most it could add (its weight). Score {score:.1f}.",
            headers=("Component", "Points", "Weight"),
        )
        order = sorted(r["points_lost"], key=lambda c: -r["points_lost"][c])
        lost_table = _table(
            ("Component", "Score", "Weight", "Points", "Points lost"),
            [
                [
                    esc(names.get(c, c)),
                    esc(num(inputs["components"].get(c))),
                    esc(f"{r['weights'][c]:.1f} %"),
                    _cell(f"contributions.{c}", f"{r['contributions'][c]:.1f}", r["contributions"][c]),
                    _cell(f"points_lost.{c}", f"{r['points_lost'][c]:.1f}", r["points_lost"][c]),
                ]
                for c in order
            ],
            numeric=(1, 2, 3, 4),
            caption="Where the points go, biggest loss first",
        )
    missing = ", ".join(names.get(c, c) for c in r["missing"])
    coverage = f"{r['coverage']:.0f} % of the model's weight has data" + (f" (no data: {missing})" if missing else "")
    drag_text = "None — every component scores 100" if drag is None else f"{names.get(drag, drag)} (−{r['points_lost'][drag]:.1f} points)"
    if score is None:
        drag_text = "—"
    return [
        _stat("score", "Health score", "—" if score is None else f"{score:.1f}", score),
        _html("band", "Band", _badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        _stat("action", "What to do", r["action"] if not r.get("play") else f"{r['action']}: {r['play']}"),
        _stat("renewal_probability", "Renewal probability", pct(r["renewal_probability"], 0), r["renewal_probability"]),
        _stat("biggest_drag", "Biggest drag", drag_text, drag),
        _html("playbook", "Playbook this band triggers", _playbook_link(r.get("playbook"), config, base), r.get("playbook")),
        _stat("coverage", "Data coverage", coverage, r["coverage"]),
        _html("band_scale", "Where the score falls", scale, wide=True),
        _html("contributions", "Contributions", contributions, wide=True),
        _html("points_lost", "Points lost", lost_table, wide=True),
    ]


def _nrr(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    tones = {"start": "neutral", "expansion": "good", "contraction": "warn", "churn": "bad", "end": "accent"}
    steps = []
    for step in r["waterfall"]:
        total = step["total"]
        start = 0.0 if step["step"] in ("start", "end") else total - step["delta"]
        sign = "+" if step["step"] == "expansion" else "−" if step["step"] in ("contraction", "churn") else ""
        steps.append(
            Step(step["label"].lstrip("+− "), start, total, f"{sign}{money(abs(step['delta']))}", tones.get(step["step"], "neutral"))
        )
    chart = charts.waterfall(
        "Revenue bridge from starting to ending MRR",
        steps,
        caption=f"Starting MRR {money(inputs['starting_mrr'])}, plus expansion, minus contraction and churn, ends at {money(r['ending_mrr'])}.",
    )
    formula = (
        '<p class="cs-formula"><span class="cs-formula__name">NRR</span> = (Starting MRR + Expansion − Contraction − Churn) ÷ Starting MRR × 100<br>'
        f'<span class="cs-formula__sub">= {esc(r["nrr_formula"])}</span></p>'
        '<p class="cs-formula"><span class="cs-formula__name">GRR</span> = (Starting MRR − Contraction − Churn) ÷ Starting MRR × 100<br>'
        f'<span class="cs-formula__sub">= {esc(r["grr_formula"])}</span></p>'
    )
    a = config["assessments"]
    bands = _band_table("NRR assessment", a["nrr"]["bands"], r["nrr_band"], "%") + _band_table(
        "GRR assessment", a["grr"]["bands"], r["grr_band"], "%"
    )
    return [
        _stat("nrr", "Net revenue retention", pct(r["nrr"]), r["nrr"]),
        _html("nrr_band", "NRR assessment", _badge(r["nrr_band"], r["nrr_band_label"], r["nrr_band_range"]), r["nrr_band"]),
        _stat("grr", "Gross revenue retention", pct(r["grr"]), r["grr"]),
        _html("grr_band", "GRR assessment", _badge(r["grr_band"], r["grr_band_label"], r["grr_band_range"]), r["grr_band"]),
        _stat("ending_mrr", "Ending MRR", money(r["ending_mrr"]), r["ending_mrr"]),
        _stat("expansion_points", "Expansion adds", f"{r['expansion_points']:.1f} points", r["expansion_points"]),
        _html("formula", "The formulas with your numbers", formula, wide=True),
        _html("waterfall", "Revenue bridge", chart, wide=True),
        _html("bands", "Assessment bands", bands, wide=True),
    ]


def _logo(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    bands = config["assessments"]["logo_retention"]["bands"]
    return [
        _stat("logo_retention", "Logo retention", pct(r["logo_retention"]), r["logo_retention"]),
        _html("band", "Assessment", _badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        _stat("logo_churn", "Logo churn", pct(r["logo_churn"]), r["logo_churn"]),
        _stat("retained_customers", "Customers kept", num(r["retained_customers"]), r["retained_customers"]),
        _html(
            "band_scale",
            "Where it falls",
            _scale("Logo retention", bands, r["logo_retention"], pct(r["logo_retention"]), r["band"], unit="%"),
            wide=True,
        ),
    ]


def _renewal(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    health_labels = _labels(config["health"]["bands"])
    rows = [
        [
            esc(a["name"]),
            esc(money(a["arr"])),
            esc(num(a["health"])),
            _badge(a["band"], health_labels.get(a["band"], a["band"])),
            esc(pct(a["probability"], 0)),
            _cell(f"accounts[{i}].expected", money(a["expected"]), a["expected"]),
        ]
        for i, a in enumerate(r["accounts"])
    ]
    rows.append(
        [
            "<strong>Total</strong>",
            f"<strong>{esc(money(r['total_due']))}</strong>",
            "",
            "",
            esc(pct(r["forecast_pct"])),
            f"<strong>{esc(money(r['forecast']))}</strong>",
        ]
    )
    table = _table(
        ("Account", "ARR due", "Health", "Band", "Probability", "Expected"),
        rows,
        numeric=(1, 2, 4, 5),
        caption="Each account's expected renewal",
    )
    bands = [b for b in r["by_band"] if b["accounts"]]
    chart = charts.bar_chart(
        "Expected renewal by health band",
        [
            Bar(
                f"{b['label']} ({b['accounts']})",
                b["expected"],
                f"{money(b['expected'])} of {money(b['arr'])}",
                tone=_health_tone(b["band"], config),
                track=b["arr"],
                track_text=money(b["arr"]),
            )
            for b in bands
        ],
        caption="For each band, the solid bar is the expected renewal and the faint bar the ARR due.",
        headers=("Band (accounts)", "Expected", "ARR due"),
    )
    return [
        _stat("total_due", "ARR due", money(r["total_due"]), r["total_due"]),
        _stat("forecast", "Forecast", money(r["forecast"]), r["forecast"]),
        _stat("forecast_pct", "Forecast (% of due)", pct(r["forecast_pct"]), r["forecast_pct"]),
        _stat("at_risk_arr", "ARR in risk bands", money(r["at_risk_arr"]), r["at_risk_arr"]),
        _stat("expected_loss", "Expected loss", money(r["expected_loss"]), r["expected_loss"]),
        _html("accounts", "Accounts", table, wide=True),
        _html("by_band", "By band", chart, wide=True),
    ]


def _coverage(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    status = {"below": "below target", "above": "above target", "within": "within target", None: "no target"}
    rows = []
    for i, s in enumerate(r["segments"]):
        low, high = s["target_min"], s["target_max"]
        target = (
            "—"
            if low is None and high is None
            else f"≤ {high:g} %"
            if low is None
            else f"≥ {low:g} %"
            if high is None
            else f"{low:g}–{high:g} %"
        )
        rows.append(
            [
                esc(s["label"]),
                esc(num(s["accounts"])),
                esc(money(s["arr"])),
                esc(f"1:{s['ratio']:g}"),
                _cell(f"segments[{i}].csms", f"{s['csms']:.1f}", s["csms"]),
                esc(money(s["cost"])),
                _cell(f"segments[{i}].cost_to_serve_pct", pct(s["cost_to_serve_pct"]), s["cost_to_serve_pct"]),
                esc(f"{target} ({status.get(s['target_status'], '')})"),
            ]
        )
    rows.append(
        [
            "<strong>Total</strong>",
            esc(num(r["total_accounts"])),
            esc(money(r["total_arr"])),
            "",
            "<strong>" + esc(f"{r['total_csms']:.1f}") + "</strong>",
            esc(money(r["total_cost"])),
            f"<strong>{esc(pct(r['total_cost_to_serve_pct']))}</strong>",
            "",
        ]
    )
    table = _table(
        ("Segment", "Accounts", "ARR", "Ratio", "CSMs", "Cost", "Cost-to-serve", "Target"),
        rows,
        numeric=(1, 2, 3, 4, 5, 6),
        caption="Coverage by segment",
    )
    tone = {"below": "ok", "within": "good", "above": "bad", None: "neutral"}
    chart = charts.bar_chart(
        "Cost-to-serve against target, by segment",
        [
            Bar(
                s["label"],
                s["cost_to_serve_pct"],
                pct(s["cost_to_serve_pct"]),
                tone=tone.get(s["target_status"], "neutral"),
                target=(s["target_min"], s["target_max"]),
                track_text=status.get(s["target_status"], ""),
            )
            for s in r["segments"]
        ],
        caption="Bars are each segment's CSM cost as a share of its ARR; the shaded range is the tier's cost-to-serve target.",
        headers=("Segment", "Cost-to-serve", "Against target"),
    )
    return [
        _stat("total_csms", "CSMs needed", f"{r['total_csms']:.1f}", r["total_csms"]),
        _stat("headcount", "Headcount (rounded up)", num(r["headcount"]), r["headcount"]),
        _stat("total_cost", "CSM cost", money(r["total_cost"]), r["total_cost"]),
        _stat("total_cost_to_serve_pct", "Cost-to-serve", pct(r["total_cost_to_serve_pct"]), r["total_cost_to_serve_pct"]),
        _stat("total_arr", "ARR covered", money(r["total_arr"]), r["total_arr"]),
        _stat("total_accounts", "Accounts", num(r["total_accounts"]), r["total_accounts"]),
        _html("segments", "Segments", table, wide=True),
        _html("segments_chart", "Cost-to-serve", chart, wide=True),
    ]


def _nps(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    mix = charts.stacked_bar(
        "Answer mix",
        [
            Bar("Promoters", r["promoter_pct"], pct(r["promoter_pct"], 0), tone="good"),
            Bar("Passives", r["passive_pct"], pct(r["passive_pct"], 0), tone="neutral"),
            Bar("Detractors", r["detractor_pct"], pct(r["detractor_pct"], 0), tone="bad"),
        ],
        caption=f"{r['responses']} answers: NPS is the promoter share minus the detractor share.",
    )
    scale = _scale("NPS", config["assessments"]["nps"]["bands"], r["nps"], num(r["nps"]), r["band"])
    return [
        _stat("nps", "NPS", num(r["nps"]), r["nps"]),
        _html("band", "Assessment", _badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        _stat("responses", "Answers", num(r["responses"]), r["responses"]),
        _html("mix", "Answer mix", mix, wide=True),
        _html("band_scale", "Where it falls", scale, wide=True),
    ]


def _csat(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    scale = _scale("CSAT", config["assessments"]["csat"]["bands"], r["csat"], pct(r["csat"]), r["band"], unit="%")
    return [
        _stat("csat", "CSAT", pct(r["csat"]), r["csat"]),
        _html("band", "Assessment", _badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        _stat("responses", "Answers", num(r["responses"]), r["responses"]),
        _html("band_scale", "Where it falls", scale, wide=True),
    ]


def _ces(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    dist = r["distribution"]
    chart = charts.bar_chart(
        "Answers per score",
        [
            Bar(
                f"{level} {'(very easy)' if level == '1' else '(very difficult)' if level == '7' else ''}".strip(),
                float(count),
                num(count),
                tone="good" if int(level) <= 3 else "warn" if int(level) <= 5 else "bad",
            )
            for level, count in dist.items()
        ],
        caption=f"How the {r['responses']} answers spread over the 1–7 scale (1 = very easy).",
        headers=("Score", "Answers"),
    )
    scale = _scale("CES", config["assessments"]["ces"]["bands"], r["ces"], f"{r['ces']:.2f}", r["band"])
    return [
        _stat("ces", "CES", f"{r['ces']:.2f}", r["ces"]),
        _html("band", "Assessment", _badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        _stat("responses", "Answers", num(r["responses"]), r["responses"]),
        _html("distribution", "Distribution", chart, wide=True),
        _html("band_scale", "Where it falls", scale, wide=True),
    ]


def _segment_score(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    weights = config["segments"]["scoring"]["weights"]
    total = sum(weights.values()) or 1
    names = {"arr": "ARR", "complexity": "Complexity", "growth_potential": "Growth potential", "strategic_value": "Strategic value"}
    chart = charts.bar_chart(
        "Points each factor adds",
        [
            Bar(
                names.get(k, k),
                v,
                f"{v:.1f} of {weights[k] * 100 / total:.0f}",
                tone=_score_tone(r["factors"][k]),
                track=weights[k] * 100 / total,
                track_text=f"{weights[k] * 100 / total:.0f}",
            )
            for k, v in r["contributions"].items()
        ],
        caption=f"Factor score × weight; the faint bar is the factor's weight. Score {r['score']:.1f}.",
        headers=("Factor", "Points", "Weight"),
    )
    rows = _labels(config["segments"]["ratio_table"])
    return [
        _stat("score", "Segment score", f"{r['score']:.1f}", r["score"]),
        _html("tier", "Coverage tier", f'<span class="cs-badge">{esc(r["tier_label"])}</span>', r["tier"]),
        _stat("arr_segment", "ARR band", f"{rows.get(r['arr_segment'], r['arr_segment'])} (scores {r['arr_score']:g})", r["arr_segment"]),
        _html("contributions", "Contributions", chart, wide=True),
    ]


def _expansion(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    stage_labels = _labels(config["expansion_stages"])
    rows = [
        [
            esc(o["name"]),
            esc(stage_labels.get(o["stage"], o["stage"])),
            esc(money(o["amount"])),
            esc(pct(o["probability"], 0)),
            _cell(f"opportunities[{i}].expected", money(o["expected"]), o["expected"]),
        ]
        for i, o in enumerate(r["opportunities"])
    ]
    rows.append(
        [
            "<strong>Total</strong>",
            "",
            f"<strong>{esc(money(r['pipeline']))}</strong>",
            esc(pct(r["forecast_pct"])),
            f"<strong>{esc(money(r['forecast']))}</strong>",
        ]
    )
    table = _table(("Opportunity", "Stage", "Amount", "Probability", "Expected"), rows, numeric=(2, 3, 4), caption="Weighted pipeline")
    stages = [s for s in r["by_stage"] if s["count"]]
    chart = charts.bar_chart(
        "Weighted pipeline by stage",
        [
            Bar(
                f"{s['label']} ({s['count']})",
                s["expected"],
                f"{money(s['expected'])} of {money(s['amount'])}",
                tone="accent",
                track=s["amount"],
                track_text=money(s["amount"]),
            )
            for s in stages
        ],
        caption="For each stage, the solid bar is the weighted amount and the faint bar the full pipeline.",
        headers=("Stage (opportunities)", "Weighted", "Pipeline"),
    )
    return [
        _stat("pipeline", "Pipeline", money(r["pipeline"]), r["pipeline"]),
        _stat("forecast", "Weighted forecast", money(r["forecast"]), r["forecast"]),
        _stat("forecast_pct", "Forecast (% of pipeline)", pct(r["forecast_pct"]), r["forecast_pct"]),
        _html("opportunities", "Opportunities", table, wide=True),
        _html("by_stage", "By stage", chart, wide=True),
    ]


def _roi(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    names = {"revenue": "Revenue increased", "cost": "Costs reduced", "time": "Time saved", "headcount": "Hires avoided"}
    bars = [Bar(names.get(k, k), v, money(v), tone="good") for k, v in r["value_breakdown"].items()]
    bars.append(Bar("Investment", inputs["investment"], money(inputs["investment"]), tone="bad"))
    chart = charts.bar_chart(
        "Value delivered against investment",
        bars,
        caption=f"Hard value {money(r['hard_value'])} against an investment of {money(inputs['investment'])}.",
        headers=("Part", "Amount"),
    )
    return [
        _stat("roi", "ROI", pct(r["roi"], 0), r["roi"]),
        _stat("value_multiple", "Value multiple", f"{r['value_multiple']:.1f}×", r["value_multiple"]),
        _stat("hard_value", "Hard value", money(r["hard_value"]), r["hard_value"]),
        _stat("net_value", "Net value", money(r["net_value"]), r["net_value"]),
        _html("value_breakdown", "Value breakdown", chart, wide=True),
    ]


def _rate(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    metric = config["assessments"][r["metric"]]
    scale = _scale(r["metric_label"], metric["bands"], r["rate"], pct(r["rate"]), r["band"], unit="%")
    return [
        _stat("rate", r["metric_label"], pct(r["rate"]), r["rate"]),
        _html("band", "Assessment", _badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        _stat("target", "Target", "—" if r.get("target") is None else pct(r["target"], 0), r.get("target")),
        _html("formula", "Formula", f'<p class="cs-formula">{esc(r["formula"])}</p>', wide=True),
        _html("band_scale", "Where it falls", scale, wide=True),
    ]


def _ttv(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    bands = config["assessments"].get("time_to_value", {"bands": []})["bands"]
    scale = _scale("Time to value", bands, r["days"], f"{r['days']} days", r["band"], unit="days") if bands else ""
    return [
        _stat("days", "Days to first value", f"{r['days']} days", r["days"]),
        _stat("weeks", "Weeks", f"{r['weeks']:.1f}", r["weeks"]),
        _html("band", "Assessment", _badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        _stat("target", "Target", "—" if r.get("target") is None else f"{r['target']:g} days", r.get("target")),
        _html("band_scale", "Where it falls", scale, wide=True),
    ]


def _plan(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    rows = [
        [esc(t["date"]), esc(t["weekday"]), esc(t["offset"]), esc(t["action"]), esc(t.get("owner") or ""), esc(t.get("channel") or "")]
        for t in r["tasks"]
    ]
    table = _table(
        ("Date", "Day", "When", "Task", "Owner", "Channel"),
        rows,
        caption=f"{r['title']}: tasks counted from the {r['anchor']}",
        cls="cs-tasks",
    )
    return [
        _html("title", "Playbook", _playbook_link(r["playbook"], config, base), r["playbook"]),
        _stat("task_count", "Tasks", num(len(r["tasks"])), len(r["tasks"])),
        _stat("first_date", "First task", r["first_date"] or "—", r["first_date"]),
        _stat("last_date", "Last task", r["last_date"] or "—", r["last_date"]),
        _html("tasks", "Dated tasks", table, wide=True),
    ]


PRESENTERS: dict[str, Callable[[Mapping[str, Any], Result, Config, str], list[Output]]] = {
    "health_score": _health,
    "nrr_grr": _nrr,
    "logo_retention": _logo,
    "renewal_forecast": _renewal,
    "coverage": _coverage,
    "nps": _nps,
    "csat": _csat,
    "ces": _ces,
    "segment_score": _segment_score,
    "expansion_forecast": _expansion,
    "roi": _roi,
    "rate": _rate,
    "time_to_value": _ttv,
    "playbook_plan": _plan,
}


def _generic(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    out = []
    for key, value in r.items():
        if isinstance(value, bool) or value is None or isinstance(value, str):
            out.append(_stat(key, key.replace("_", " ").capitalize(), "—" if value is None else str(value), value))
        elif isinstance(value, int | float) and math.isfinite(value):
            out.append(_stat(key, key.replace("_", " ").capitalize(), num(value), value))
    return out


def present(name: str, inputs: Mapping[str, Any], result: Result, config: Config, base: str = "") -> list[Output]:
    """The outputs of calculator ``name`` for ``result``, in page order.

    ``base`` is the relative URL of the site root from the page (``"../../"``), used for
    links to playbook pages. A calculator without its own presenter lists its scalar results.
    """
    return PRESENTERS.get(name, _generic)(inputs, result, config, base)
