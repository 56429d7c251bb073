"""The model of ``playbooks/events.yml``: the events and account dates that trigger rules speak of.

An *event* is something recorded on an account on a day (the champion left, an NPS response
arrived); its numeric ``attributes`` (an NPS response's ``score``) are what a rule's
``where`` may bound. An *account date* is a date the account carries (its renewal date, the
day onboarding completed) that a rule may count days from. Besides the dates listed here a
rule may name ``last_<playbook>``, the day a playbook last ran on the account (the playbook id
with ``_`` for ``-``), so ``last_`` starts no date id of this file.
"""

# ruff: noqa: RUF012  (pydantic copies each default; ruff cannot tell Strict is a BaseModel from here)

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from .base import Document, Number, SnakeId, Strict, Text, Title


class EventAttribute(Strict):
    """A numeric attribute of an event, between ``minimum`` and ``maximum`` (both included)."""

    id: SnakeId
    label: Title
    minimum: Number
    maximum: Number

    @field_validator("maximum")
    @classmethod
    def _range(cls, value: float, info: ValidationInfo) -> float:
        low = info.data.get("minimum")
        if low is not None and value <= low:
            raise ValueError(f"maximum {value:g} must be above minimum {low:g}")
        return value


class Event(Strict):
    id: SnakeId
    label: Title
    description: Text
    attributes: list[EventAttribute] = []


class AccountDate(Strict):
    id: SnakeId
    label: Title
    description: Text | None = None

    @field_validator("id")
    @classmethod
    def _not_a_run(cls, value: str) -> str:
        if value.startswith("last_"):
            raise ValueError(f"{value!r}: ids starting with 'last_' name the day a playbook last ran; they need no entry here")
        return value


class EventsFile(Document):
    events: list[Event] = Field(min_length=1)
    dates: list[AccountDate] = Field(min_length=1)

    def event(self, ident: str) -> Event | None:
        """The event ``ident``, or None."""
        return next((e for e in self.events if e.id == ident), None)
