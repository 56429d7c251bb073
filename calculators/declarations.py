"""Input declarations and the validation every calculator shares.

A calculator declares each input once as a :class:`Field`. The page form, the CLI's
``--describe`` output and the validation in :func:`validate` are all derived from that
declaration, so a bound or a label is never written twice.

Numbers must be real JSON numbers: ``True``, ``"5"``, ``NaN`` and infinities are refused.
Every refusal is an :class:`InputError` whose message starts with the field's path
(``accounts[2].health``, ``components.support``) followed by the rule it broke.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Config = Mapping[str, Any]
Inputs = dict[str, Any]

#: Field types understood by the form generator and the validator.
FIELD_TYPES = ("number", "integer", "select", "text", "numbers", "table", "mapping", "date")


class InputError(ValueError):
    """A calculator input broke a rule. ``field`` is the input's path, ``rule`` the reason.

    >>> str(InputError("starting_mrr", "must be greater than 0 (got 0)"))
    'starting_mrr: must be greater than 0 (got 0)'
    """

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


@dataclass(frozen=True)
class Field:
    """One input of a calculator.

    ``minimum``/``maximum`` are inclusive unless ``exclusive_minimum`` is set. ``options``
    lists the allowed values of a ``select`` (or of a ``mapping``'s keys); when it depends
    on the YAML configuration, ``options_from`` computes it. ``example`` pre-fills the page
    form and drives the build-time worked example; ``default`` is used only when an optional
    input is left out.
    """

    name: str
    label: str
    type: str = "number"
    unit: str = ""
    help: str = ""
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    default: Any = None
    example: Any = None
    options: tuple[str, ...] = ()
    options_from: Callable[[Config], list[tuple[str, str]]] | None = None
    example_from: Callable[[Config], Any] | None = None
    columns: tuple[Field, ...] = ()
    min_items: int = 0
    max_items: int = 100_000
    #: What a ``mapping`` holds under each name: ``number`` (bounded by minimum/maximum) or ``date``.
    item_type: str = "number"

    def choices(self, config: Config) -> list[tuple[str, str]]:
        """The (value, label) pairs a select or mapping accepts under ``config``."""
        if self.options_from is not None:
            return self.options_from(config)
        return [(option, option) for option in self.options]

    def example_value(self, config: Config) -> Any:
        if self.example_from is not None:
            return self.example_from(config)
        return self.example

    def describe(self, config: Config) -> dict[str, Any]:
        """The JSON declaration of this field, as ``--describe`` and the form use it."""
        out: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "unit": self.unit,
            "help": self.help,
            "required": self.required,
        }
        if self.minimum is not None:
            out["minimum"] = self.minimum
            out["exclusive_minimum"] = self.exclusive_minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.default is not None:
            out["default"] = self.default
        example = self.example_value(config)
        if example is not None:
            out["example"] = example
        if self.type in ("select", "mapping"):
            out["options"] = [{"value": v, "label": lab} for v, lab in self.choices(config)]
        if self.columns:
            out["columns"] = [column.describe(config) for column in self.columns]
        if self.type in ("table", "numbers"):
            out["min_items"] = self.min_items
        if self.type == "mapping" and self.item_type != "number":
            out["item_type"] = self.item_type
        return out


def _number(path: str, value: Any, spec: Field) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(path, f"must be a number (got {value!r})")
    if not math.isfinite(value):
        raise InputError(path, f"must be a finite number (got {value!r})")
    if spec.type == "integer" and value != int(value):
        raise InputError(path, f"must be a whole number (got {value!r})")
    if spec.minimum is not None:
        if spec.exclusive_minimum and value <= spec.minimum:
            raise InputError(path, f"must be greater than {spec.minimum:g} (got {value!r})")
        if value < spec.minimum:
            raise InputError(path, f"must be at least {spec.minimum:g} (got {value!r})")
    if spec.maximum is not None and value > spec.maximum:
        raise InputError(path, f"must be at most {spec.maximum:g} (got {value!r})")
    return int(value) if spec.type == "integer" else value


def _check(path: str, value: Any, spec: Field, config: Config) -> Any:
    if spec.type in ("number", "integer"):
        return _number(path, value, spec)
    if spec.type == "select":
        allowed = [v for v, _ in spec.choices(config)]
        if not isinstance(value, str) or value not in allowed:
            raise InputError(path, f"{value!r} is not one of: {', '.join(allowed)}")
        return value
    if spec.type == "date":
        return _date(path, value)
    if spec.type == "text":
        if not isinstance(value, str) or not value.strip():
            raise InputError(path, f"must be non-empty text (got {value!r})")
        if len(value) > 200:
            raise InputError(path, "must be at most 200 characters")
        return value.strip()
    if spec.type == "numbers":
        items = _items(path, value, spec)
        return [_number(f"{path}[{i}]", item, spec) for i, item in enumerate(items)]
    if spec.type == "table":
        rows = _items(path, value, spec)
        return [_record(f"{path}[{i}]", row, spec.columns, config) for i, row in enumerate(rows)]
    if spec.type == "mapping":
        return _mapping(path, value, spec, config)
    raise InputError(path, f"has an unknown field type {spec.type!r}")  # pragma: no cover


def _date(path: str, value: Any) -> str:
    import datetime

    if not isinstance(value, str):
        raise InputError(path, f"must be a date written YYYY-MM-DD (got {value!r})")
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(path, f"must be a date written YYYY-MM-DD (got {value!r})") from None


def _items(path: str, value: Any, spec: Field) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(path, f"must be a list (got {type(value).__name__})")
    if len(value) < spec.min_items:
        raise InputError(path, f"needs at least {spec.min_items} item(s)")
    if len(value) > spec.max_items:
        raise InputError(path, f"takes at most {spec.max_items} items (got {len(value)})")
    return value


def _mapping(path: str, value: Any, spec: Field, config: Config) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(path, f"must be an object of name: value (got {type(value).__name__})")
    allowed = [v for v, _ in spec.choices(config)]
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key not in allowed:
            raise InputError(f"{path}.{key}", f"is not a known name (known: {', '.join(allowed)})")
        if item is None:
            continue
        out[key] = _date(f"{path}.{key}", item) if spec.item_type == "date" else _number(f"{path}.{key}", item, spec)
    return out


def _record(path: str, row: Any, columns: tuple[Field, ...], config: Config) -> Inputs:
    if not isinstance(row, dict):
        raise InputError(path, f"must be an object (got {type(row).__name__})")
    return _fields(row, columns, config, prefix=f"{path}.")


def _fields(values: Mapping[str, Any], fields: tuple[Field, ...], config: Config, prefix: str) -> Inputs:
    known = {f.name: f for f in fields}
    for key in values:
        if key not in known:
            raise InputError(f"{prefix}{key}", f"is not an input of this calculator (inputs: {', '.join(known)})")
    out: Inputs = {}
    for spec in fields:
        path = f"{prefix}{spec.name}"
        if spec.name not in values or values[spec.name] is None:
            if spec.required:
                raise InputError(path, "is required")
            out[spec.name] = spec.default
            continue
        out[spec.name] = _check(path, values[spec.name], spec, config)
    return out


def validate(fields: tuple[Field, ...], inputs: Any, config: Config) -> Inputs:
    """Check ``inputs`` against ``fields``; return the cleaned values or raise InputError.

    >>> f = (Field("n", "N", minimum=0),)
    >>> validate(f, {"n": 3}, {})
    {'n': 3}
    >>> validate(f, {"n": -1}, {})
    Traceback (most recent call last):
    ...
    calculators.declarations.InputError: n: must be at least 0 (got -1)
    """
    if not isinstance(inputs, dict):
        raise InputError("inputs", f"must be a JSON object (got {type(inputs).__name__})")
    return _fields(inputs, fields, config, prefix="")


@dataclass(frozen=True)
class Calculator:
    """A calculator: its declaration and the pure function that computes it."""

    name: str
    title: str
    summary: str
    inputs: tuple[Field, ...]
    compute: Callable[[Inputs, Config], dict[str, Any]]
    outputs: tuple[tuple[str, str], ...] = field(default=())

    def describe(self, config: Config) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "inputs": [spec.describe(config) for spec in self.inputs],
            "outputs": [{"key": key, "label": label} for key, label in self.outputs],
        }

    def example(self, config: Config) -> Inputs:
        """The example inputs that pre-fill the form (and feed the worked example)."""
        out: Inputs = {}
        for spec in self.inputs:
            value = spec.example_value(config)
            if value is not None:
                out[spec.name] = value
        return out
