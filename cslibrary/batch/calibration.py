"""Calibration: how well the health bands predicted renewals and churn (the backtest).

* Among accounts with an ``outcome``, the churn rate and the observed renewal rate per
  band; *precision* = churned ÷ all in the at-risk bands, *recall* = churned in the at-risk
  bands ÷ all churned (accounts with ``insufficient_data`` are left out of both).
* The suggested probability is the observed renewal rate, rounded to a whole percent, for
  bands with at least ``min_sample`` outcomes; smaller bands keep the configured value and
  say so. The 95 % interval is Wilson's score interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .blocks import Block, Bullets, Chart, Heading, Paragraph, Table, count, pct

if TYPE_CHECKING:
    from .summary import Totals

#: Bands with fewer outcomes than this keep their configured probability in the suggestion.
MIN_SAMPLE = 30


@dataclass(frozen=True)
class BandResult:
    band: str
    label: str
    probability: float | None
    risk: bool
    accounts: int
    renewed: int
    churned: int

    @property
    def churn_rate(self) -> float | None:
        return self.churned * 100 / self.accounts if self.accounts else None

    @property
    def observed(self) -> float | None:
        return self.renewed * 100 / self.accounts if self.accounts else None

    def interval(self) -> tuple[float, float] | None:
        """Wilson's 95 % score interval for the renewal rate, in percent."""
        return wilson(self.renewed, self.accounts)


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float] | None:
    """Wilson's score interval for a proportion, in percent.

    >>> [round(x, 1) for x in wilson(8, 10)]
    [49.0, 94.3]
    """
    if n == 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half) * 100, min(1.0, centre + half) * 100


@dataclass(frozen=True)
class Backtest:
    """How well the bands predicted the outcomes."""

    bands: list[BandResult]
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    with_outcome: int
    without_outcome: int
    min_sample: int

    @property
    def precision(self) -> float | None:
        flagged = self.true_positive + self.false_positive
        return self.true_positive * 100 / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        churned = self.true_positive + self.false_negative
        return self.true_positive * 100 / churned if churned else None

    @property
    def churn_rate(self) -> float | None:
        churned = sum(b.churned for b in self.bands)
        total = sum(b.accounts for b in self.bands)
        return churned * 100 / total if total else None

    def suggestion(self, band: BandResult) -> tuple[float | None, str]:
        """(suggested probability, note) for one band."""
        if band.probability is None:
            return None, "no probability for this band"
        if band.accounts == 0:
            return band.probability, "no outcomes: keep the configured value"
        if band.accounts < self.min_sample:
            return band.probability, f"small sample (n = {band.accounts} < {self.min_sample}): keep the configured value"
        observed = band.observed
        assert observed is not None
        suggested = float(round(observed))
        if suggested == band.probability:
            return suggested, "matches the configured value"
        return suggested, f"observed over {band.accounts} accounts"


def backtest(totals: Totals, min_sample: int = MIN_SAMPLE) -> Backtest:
    """The backtest figures from the outcomes counted in ``totals``."""
    model = totals.model
    results = []
    tp = fp = fn = tn = 0
    for code, band_id in enumerate(model.band_ids.tolist()):
        renewed, churned = totals.outcomes.get(code, [0, 0])
        insufficient = code == model.insufficient
        if insufficient and renewed + churned == 0:
            continue
        probability = None if insufficient else float(model.band_probability[code])
        risk = bool(model.band_risk[code])
        results.append(BandResult(str(band_id), str(model.band_labels[code]), probability, risk, renewed + churned, renewed, churned))
        if insufficient:
            continue
        if risk:
            tp, fp = tp + churned, fp + renewed
        else:
            fn, tn = fn + churned, tn + renewed
    with_outcome = sum(b.accounts for b in results)
    return Backtest(results, tp, fp, fn, tn, with_outcome, totals.scored - with_outcome, min_sample)


def backtest_blocks(result: Backtest) -> list[Block]:
    """The backtest section: churn per band, precision and recall, suggested probabilities."""
    rows, labels, churn, observed, configured = [], [], [], [], []
    for band in result.bands:
        interval = band.interval()
        rows.append(
            [
                band.label,
                "yes" if band.risk else "",
                count(band.accounts),
                count(band.churned),
                pct(band.churn_rate),
                pct(band.observed),
                "—" if interval is None else f"{interval[0]:.0f}–{interval[1]:.0f} %",
                "—" if band.probability is None else f"{band.probability:g} %",
            ]
        )
        if band.probability is not None:
            labels.append(band.label)
            churn.append(band.churn_rate or 0.0)
            observed.append(band.observed or 0.0)
            configured.append(band.probability)
    suggestions = []
    for band in result.bands:
        value, note = result.suggestion(band)
        if band.probability is None:
            continue
        suggestions.append([band.label, f"{band.probability:g} %", pct(band.observed), "—" if value is None else f"{value:g} %", note])
    flagged = result.true_positive + result.false_positive
    churned = result.true_positive + result.false_negative
    return [
        Heading("Backtest: does the health score predict churn?"),
        Paragraph(
            f"{count(result.with_outcome)} accounts have an outcome (overall churn {pct(result.churn_rate)}); "
            f"{count(result.without_outcome)} scored accounts without one are left out."
        ),
        Table(
            ["Band", "At risk", "Accounts", "Churned", "Churn rate", "Observed renewal", "95 % interval", "Configured probability"],
            rows,
            frozenset({2, 3, 4, 5, 6, 7}),
        ),
        Chart(
            "Renewal rate per band: observed vs configured",
            labels,
            [("Observed", observed), ("Configured", configured)],
            lambda v: f"{v:.0f} %",
        ),
        Heading("At-risk bands as a churn prediction", 3),
        Bullets(
            [
                f"Precision: {pct(result.precision)} ({count(result.true_positive)} of {count(flagged)} accounts in the at-risk bands churned)",
                f"Recall: {pct(result.recall)} ({count(result.true_positive)} of {count(churned)} churned accounts were in the at-risk bands)",
            ]
        ),
        Heading("Suggested renewal probabilities", 3),
        Paragraph(
            f"The observed renewal rate per band, rounded, where a band has at least {result.min_sample} outcomes. "
            "To adopt them, edit probability in playbooks/health-model.yml through a pull request."
        ),
        Table(["Band", "Configured", "Observed", "Suggested", "Note"], suggestions, frozenset({1, 2, 3})),
    ]
