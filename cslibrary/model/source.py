"""Where a figure comes from: ``source: {seed: "002", section: "Title: sub-heading"}``.

The seeds are the four documents the library was written from (``../shared/seeds/``). A
playbook, a metric band, a tier's playbook element or a journey stage that carries a figure
over from one names the seed and the section heading, so a reviewer can check the number
(``tests/cases/seed_figures/`` lists the figures the tests hold the YAML to).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Strict, Title

#: The seed documents (``../shared/seeds/``), always written in quotes: ``seed: "002"``.
Seed = Literal["000", "001", "002", "003"]


class Source(Strict):
    """A seed document and the heading of its section that a figure comes from."""

    seed: Seed = Field(description='The seed document: "000", "001", "002" or "003" (in quotes, or YAML reads 002 as a number).')
    section: Title = Field(description="The seed's section heading (for seed 002: 'Title: sub-heading').")

    def text(self) -> str:
        """``seed 002, Core Frameworks: Key Metrics Reference``."""
        return f"seed {self.seed}, {self.section}"
