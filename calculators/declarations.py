"""Input declarations and the validation every calculator shares.

A calculator declares each input once as a :class:`Field`. The page form, the CLI's
``--describe`` output and the validation in :func:`validate` are all derived from that
declaration, so a bound or a label is never written twice.

Numbers must be real JSON numbers: ``True``, ``"5"``, ``NaN`` and infinities are refused.
Every refusal is an :class:`InputError` whose message starts with the field's path
(``accounts[2].health``, ``components.support``) followed by the rule it broke.

Hostile input is refused, never passed on (the rules the fuzz suite, ``tests/test_fuzz.py``, holds
every calculator to):

* **Sane magnitudes.** Every number lies within ± :data:`MAX_MAGNITUDE` (1e15: a quadrillion in
  any currency, far beyond any real book of business), whatever the field's own bounds. So a
  5,000-digit integer or ``1e308`` is refused by name (``starting_mrr: must be at most 1e15
  (got 1e+308)``) before any arithmetic.
* **Finite results.** Sums and products of such numbers stay finite, but a quotient by a tiny
  number can still overflow (1e15 ÷ 1e-300). Every :class:`Calculator`'s ``compute`` is
  checked: a result that is not a finite number anywhere (or an overflow while computing) is
  an :class:`InputError` naming the input of the most extreme magnitude (furthest from 1 in
  orders of magnitude, and at least :data:`EXTREME_ORDERS` away: the one that made the
  arithmetic leave the floating-point range), e.g. ``starting_mrr: is too small for the other
  inputs: the result nrr would not be a finite number (got 1e-300)``. An overflow with no such
  input is a fault of the calculator and is raised as it is, for the tests to find. A result
  is therefore always valid JSON (``json.dumps(result, allow_nan=False)``). Tiny numbers are
  not refused as such: 1e-300 is a valid health score, only not a sensible denominator.
* **Dates** lie between :data:`FIRST_DAY` and :data:`LAST_DAY` (1900-01-01 to 2199-12-31, as the
  batch commands take them), so no step or rule arithmetic leaves the calendar.
* **Text** (account and opportunity names) holds no control characters, line or paragraph
  separators, lone surrogates or bidirectional overrides: such a name could forge lines in a
  report or reorder what a reader sees.
* **Messages stay short and on one line.** A value is quoted by :func:`shown` (at most about
  60 characters, a giant integer by its number of digits, a list or object by its kind), and
  a key that is not plain printable text is quoted in the path.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .number_formats import ambiguous, readings

Config = Mapping[str, Any]
Inputs = dict[str, Any]

#: Field types understood by the form generator and the validator.
FIELD_TYPES = ("number", "integer", "select", "text", "numbers", "table", "mapping", "date")

#: No number an input holds may be larger than this in size (money, counts, hours, percents alike).
MAX_MAGNITUDE = 1e15
#: The days a date input may name.
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)
#: How far from 1, in orders of magnitude, an input must be to be named as the cause of a result
#: that is not finite (inputs are at most 1e15, so only a tiny one, below 1e-100, can be).
EXTREME_ORDERS = 100
#: How much of a value an error message quotes.
SHOWN_CHARACTERS = 60


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


def shown(value: Any) -> str:
    """``value`` as an error message quotes it: short, on one line, and never an error itself.

    >>> shown("x" * 100)[:12], shown(10**5000), shown(1e308), shown([1, 2]), shown({"a": 1}), shown(True)
    ("'xxxxxxxxxxx", 'a 5001-digit number', '1e+308', 'a list', 'an object', 'True')
    """
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10**21 else f"a {_digits(value)}-digit number"
    if isinstance(value, float):
        return repr(value)[:SHOWN_CHARACTERS]
    if isinstance(value, str):
        quoted = repr(value[: SHOWN_CHARACTERS + 1])
        if len(value) <= SHOWN_CHARACTERS and len(quoted) <= SHOWN_CHARACTERS:
            return quoted
        start = value[: SHOWN_CHARACTERS - 20]
        while len(repr(start)) > SHOWN_CHARACTERS - 20:
            start = start[:-1]
        return f"{repr(start)[:-1]}…{repr(start)[-1]} ({len(value)} characters)"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _digits(value: int) -> int:
    """The number of decimal digits of ``value``, without converting it to text (which Python limits)."""
    size = abs(value)
    digits = max(1, int(size.bit_length() * math.log10(2)))
    while 10**digits <= size:
        digits += 1
    return digits


def _key(prefix: str, key: Any) -> str:
    """The path of ``key`` under ``prefix``: the key itself when it is plain printable text, else quoted."""
    if isinstance(key, str) and key and key.isprintable() and len(key) <= SHOWN_CHARACTERS:
        return f"{prefix}{key}"
    return f"{prefix}{shown(key)}"


def _limit(x: float) -> str:
    """A bound as messages write it: ``100``, ``0.5``, ``1e15``."""
    return f"{x:g}".replace("e+", "e")


def _number(path: str, value: Any, spec: Field) -> float:
    if isinstance(value, str) and ambiguous(value):  # typed "120.000": never guess which number
        dot, comma = readings(value)
        raise InputError(
            path,
            f"{shown(value)} reads two ways, {dot} with a decimal point or {comma} with a decimal comma. "
            f"Type the number you mean without a thousands separator ({dot} or {comma})",
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(path, f"must be a number (got {shown(value)})")
    if isinstance(value, float) and math.isnan(value):
        raise InputError(path, f"must be a finite number (got {shown(value)})")
    low = -MAX_MAGNITUDE if spec.minimum is None else max(spec.minimum, -MAX_MAGNITUDE)
    high = MAX_MAGNITUDE if spec.maximum is None else min(spec.maximum, MAX_MAGNITUDE)
    if spec.exclusive_minimum and spec.minimum is not None and value <= spec.minimum:
        raise InputError(path, f"must be greater than {_limit(spec.minimum)} (got {shown(value)})")
    if value < low:
        raise InputError(path, f"must be at least {_limit(low)} (got {shown(value)})")
    if value > high:
        raise InputError(path, f"must be at most {_limit(high)} (got {shown(value)})")
    if spec.type == "integer" and value != int(value):
        raise InputError(path, f"must be a whole number (got {shown(value)})")
    return int(value) if spec.type == "integer" else value


#: Characters a name may not hold: C0 and C1 controls, line and paragraph separators, lone
#: surrogates and the bidirectional embeddings, overrides and isolates.
_FORBIDDEN = frozenset(
    [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xD800, 0xE000)]
)


def forbidden_kind(ch: str) -> str:
    """What a forbidden character is, in words (the batch's account checks say it the same way).

    >>> forbidden_kind(chr(0x202E)), forbidden_kind(chr(9))
    ('direction override', 'control character')
    """
    code = ord(ch)
    if 0xD800 <= code < 0xE000:
        return "lone surrogate"
    if code in (0x2028, 0x2029):
        return "line or paragraph separator"
    if code >= 0x2000:
        return "direction override"
    return "control character"


def _text(path: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, f"must be non-empty text (got {shown(value)})")
    if len(value) > 200:
        raise InputError(path, "must be at most 200 characters")
    bad = next((ch for ch in value if ord(ch) in _FORBIDDEN), None)
    if bad is not None:
        raise InputError(path, f"must not contain a {forbidden_kind(bad)} (got {bad!r} in {shown(value)})")
    return value.strip()


def _check(path: str, value: Any, spec: Field, config: Config) -> Any:
    if spec.type in ("number", "integer"):
        return _number(path, value, spec)
    if spec.type == "select":
        allowed = [v for v, _ in spec.choices(config)]
        if not isinstance(value, str) or value not in allowed:
            raise InputError(path, f"{shown(value)} is not one of: {', '.join(allowed)}")
        return value
    if spec.type == "date":
        return _date(path, value)
    if spec.type == "text":
        return _text(path, value)
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
    if not isinstance(value, str):
        raise InputError(path, f"must be a date written YYYY-MM-DD (got {shown(value)})")
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(path, f"must be a date written YYYY-MM-DD (got {shown(value)})") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(path, f"must be a date from {FIRST_DAY} to {LAST_DAY} (got {shown(value)})")
    return day.isoformat()


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
            raise InputError(_key(f"{path}.", key), f"is not a known name (known: {', '.join(allowed)})")
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
            raise InputError(_key(prefix, key), f"is not an input of this calculator (inputs: {', '.join(known)})")
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
    >>> validate(f, {"n": 1e308}, {})
    Traceback (most recent call last):
    ...
    calculators.declarations.InputError: n: must be at most 1e15 (got 1e+308)
    """
    if not isinstance(inputs, dict):
        raise InputError("inputs", f"must be a JSON object (got {type(inputs).__name__})")
    return _fields(inputs, fields, config, prefix="")


# --- Finite results: what a calculator returns is always valid JSON -------------------------


def _numbers(value: Any, path: str) -> Iterator[tuple[str, float]]:
    """Every number (booleans aside) inside ``value`` with its path, depth first, in order."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int | float):
            yield where, item
        elif isinstance(item, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in reversed(item.items()))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(item))))


def _not_finite(result: Any) -> str | None:
    """The path of the first number in ``result`` that is not finite, or None."""
    return next((where for where, x in _numbers(result, "") if isinstance(x, float) and not math.isfinite(x)), None)


def _extreme(values: Inputs) -> tuple[str, float] | None:
    """The input furthest from 1 in orders of magnitude, when it is at least :data:`EXTREME_ORDERS`
    away (the only kind of input that can take a result out of the float range), else None."""
    worst: tuple[float, str, float] | None = None
    for where, x in _numbers(values, ""):
        if x and math.isfinite(x):
            orders = abs(math.log10(abs(x)))
            if orders >= EXTREME_ORDERS and (worst is None or orders > worst[0]):
                worst = (orders, where, x)
    return None if worst is None else (worst[1], worst[2])


def _blame(culprit: tuple[str, float], trouble: str) -> InputError:
    where, x = culprit
    return InputError(where, f"is too {'large' if abs(x) >= 1 else 'small'} for the other inputs: {trouble} (got {shown(x)})")


Compute = Callable[[Inputs, Config], dict[str, Any]]


def finite_results(compute: Compute, fields: tuple[Field, ...]) -> Compute:
    """``compute`` whose results are checked to be finite (see the module's notes); applied to
    every :class:`Calculator` when it is declared."""
    if getattr(compute, "finite_results", False):
        return compute

    @functools.wraps(compute)
    def checked(values: Inputs, config: Config) -> dict[str, Any]:
        try:
            result = compute(values, config)
        except (OverflowError, ZeroDivisionError):
            culprit = _extreme(values)
            if culprit is None:  # no input could have caused it: a fault of the calculator, not of its input
                raise
            raise _blame(culprit, "the results cannot be computed, the numbers are too far apart") from None
        where = _not_finite(result)
        if where is not None:
            culprit = _extreme(values)
            if culprit is None:
                raise InputError(
                    fields[0].name if fields else "inputs", f"with these inputs the result {where} would not be a finite number"
                )
            raise _blame(culprit, f"the result {where} would not be a finite number")
        return result

    checked.finite_results = True  # type: ignore[attr-defined]
    return checked


@dataclass(frozen=True)
class Calculator:
    """A calculator: its declaration and the pure function that computes it."""

    name: str
    title: str
    summary: str
    inputs: tuple[Field, ...]
    compute: Callable[[Inputs, Config], dict[str, Any]]
    outputs: tuple[tuple[str, str], ...] = field(default=())
    #: Inputs these values make the calculator ignore, and why: ``{control name: reason}``
    #: (the page disables those fields and shows the reason). It must not depend on the
    #: ignored inputs themselves: a disabled field is not sent.
    ignores: Callable[[Inputs, Config], dict[str, str]] | None = None

    def __post_init__(self) -> None:
        # Every calculator's results are checked to be finite, wherever it is computed from.
        object.__setattr__(self, "compute", finite_results(self.compute, self.inputs))

    def describe(self, config: Config) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "inputs": [spec.describe(config) for spec in self.inputs],
            "outputs": [{"key": key, "label": label} for key, label in self.outputs],
        }

    def ignored_inputs(self, values: Inputs, config: Config) -> dict[str, str]:
        """:attr:`ignores` for these inputs (nothing when the calculator ignores nothing)."""
        return self.ignores(values, config) if self.ignores is not None else {}

    def example(self, config: Config) -> Inputs:
        """The example inputs that pre-fill the form (and feed the worked example)."""
        out: Inputs = {}
        for spec in self.inputs:
            value = spec.example_value(config)
            if value is not None:
                out[spec.name] = value
        return out
