"""A calculator's form, read as the calculator's JSON input and written back from it.

Control names follow :mod:`calculators.browser` (``starting_mrr``, ``components.support``,
``accounts[0].arr``; a ``numbers`` input is one text box). Every value arrives as text, as a
browser form holds it; :func:`parse_pairs` types it by the calculator's declaration and
:func:`pairs_from_inputs` is its inverse.

>>> from calculators import default_config
>>> parse_pairs("nps", [("promoters", "50"), ("passives", "30"), ("detractors", " 20 ")], default_config())
{'promoters': 50, 'passives': 30, 'detractors': 20}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import CALCULATORS
from .declarations import Field
from .number_formats import NumberFormat, ambiguous, evidence

#: Numbers typed with a decimal comma (``120.000,50``).
DECIMAL_COMMA = NumberFormat.of(",", None)

Config = Mapping[str, Any]
Pairs = Sequence[Sequence[str]]

_SPLIT = re.compile(r"[\s,;]+")
_ROW = re.compile(r"^(?P<field>[A-Za-z_][A-Za-z0-9_]*)\[(?P<row>\d+)\]\.(?P<col>[A-Za-z_][A-Za-z0-9_]*)$")


def to_number(text: str, decimal: str | None = None) -> int | float | str | None:
    """A form's text as a number: ``None`` when empty, the text itself when not a number.

    Spaces, underscores and thousands separators are ignored. A decimal comma is read when
    nothing else can be meant (``0,72``, ``120.000,50``, the rules of
    :mod:`calculators.number_formats`); a number that reads two ways (``120.000``: 120 or
    120000) is never guessed: its text comes back, and validation refuses it with both readings
    (:mod:`calculators.declarations`). The text of a non-number is returned unchanged so that
    validation names the field and quotes what was typed.

    >>> [to_number(t) for t in ("", " 12 ", "1,250.5", "1e3", "abc", "0,72", "120.000,50", "1.234.567")]
    [None, 12, 1250.5, 1000.0, 'abc', 0.72, 120000.5, 1234567]
    >>> to_number("120.000"), to_number("12,500")
    ('120.000', '12,500')

    ``decimal="."`` says the decimal mark outright (a ``,``-separated CSV cannot hold a decimal
    comma; a cell another reader already put into plain form): ``1.234`` is then 1.234.

    >>> to_number("1.234", decimal=".")
    1.234
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("_", "")
    if not cleaned:
        return None
    if decimal is None and ambiguous(cleaned):
        return text.strip()
    if decimal is None and evidence(cleaned) == ",":
        cleaned = DECIMAL_COMMA.read(cleaned)
    elif "," in cleaned and re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?", cleaned):
        cleaned = cleaned.replace(",", "")
    if re.fullmatch(r"[-+]?\d+", cleaned):
        return int(cleaned)
    try:
        return float(cleaned)
    except ValueError:
        return text.strip()


def _scalar(spec: Field, text: str | None) -> Any:
    if text is None:
        return None
    if spec.type in ("number", "integer"):
        return to_number(text)
    stripped = text.strip()
    return stripped or None


def _numbers(text: str | None) -> list[Any]:
    if text is None or not text.strip():
        return []
    return [to_number(part) for part in _SPLIT.split(text.strip()) if part]


def parse_pairs(name: str, pairs: Iterable[Sequence[str]], config: Config) -> dict[str, Any]:
    """The calculator's JSON input from a form's ``(name, value)`` pairs.

    Empty controls are left out (so a required input reports "is required" and an optional
    one takes its default). Table rows whose cells are all empty are dropped.
    """
    calc = CALCULATORS[name]
    values: dict[str, str] = {}
    for pair in pairs:
        key, value = str(pair[0]), str(pair[1])
        values[key] = value
    out: dict[str, Any] = {}
    for spec in calc.inputs:
        if spec.type == "mapping":
            texts = {key: (values.get(f"{spec.name}.{key}") or "").strip() for key, _ in spec.choices(config)}
            if spec.item_type == "date":
                out[spec.name] = {k: v for k, v in texts.items() if v}
            else:
                numbers = {k: to_number(v) for k, v in texts.items()}
                out[spec.name] = {k: v for k, v in numbers.items() if v is not None}
        elif spec.type == "numbers":
            out[spec.name] = _numbers(values.get(spec.name))
        elif spec.type == "table":
            out[spec.name] = [row for _, row in table_rows(spec, values)]
        else:
            value = _scalar(spec, values.get(spec.name))
            if value is not None:
                out[spec.name] = value
    return out


def table_rows(spec: Field, values: Mapping[str, str]) -> list[tuple[int, dict[str, Any]]]:
    """``(form row index, row)`` for every non-empty row of table ``spec``, in order."""
    cells: dict[int, dict[str, str]] = {}
    prefix = f"{spec.name}["
    for key, value in values.items():
        if not key.startswith(prefix):
            continue
        match = _ROW.match(key)
        if match and match["field"] == spec.name:
            cells.setdefault(int(match["row"]), {})[match["col"]] = value
    rows = []
    for index in sorted(cells):
        raw = cells[index]
        if not any(v.strip() for v in raw.values()):
            continue
        row: dict[str, Any] = {}
        for column in spec.columns:
            value = _scalar(column, raw.get(column.name))
            if value is not None:
                row[column.name] = value
        rows.append((index, row))
    return rows


def pairs_from_inputs(name: str, inputs: Mapping[str, Any], config: Config) -> list[tuple[str, str]]:
    """The form's ``(name, value)`` pairs for a JSON input: the inverse of :func:`parse_pairs`.

    >>> from calculators import default_config
    >>> pairs_from_inputs("ces", {"scores": [2, 3.5]}, default_config())
    [('scores', '2, 3.5')]
    """
    calc = CALCULATORS[name]
    out: list[tuple[str, str]] = []
    for spec in calc.inputs:
        value = inputs.get(spec.name)
        if spec.type == "mapping":
            given = value if isinstance(value, Mapping) else {}
            for key, _ in spec.choices(config):
                out.append((f"{spec.name}.{key}", text_of(given.get(key))))
        elif spec.type == "numbers":
            out.append((spec.name, ", ".join(text_of(v) for v in (value or []))))
        elif spec.type == "table":
            for i, row in enumerate(value or []):
                for column in spec.columns:
                    out.append((f"{spec.name}[{i}].{column.name}", text_of(row.get(column.name))))
        else:
            out.append((spec.name, text_of(value)))
    return out


def text_of(value: Any) -> str:
    """A JSON value as a form control holds it (``None`` → empty, ``5.0`` → ``5``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def field_label(name: str, path: str, config: Config) -> str:
    """A person's name for an input path: ``accounts[1].health`` → ``Accounts due to renew, row 2, Health``."""
    calc = CALCULATORS.get(name)
    if calc is None:
        return path
    specs = {s.name: s for s in calc.inputs}
    match = _ROW.match(path)
    if match and match["field"] in specs:
        spec = specs[match["field"]]
        columns = {c.name: c.label for c in spec.columns}
        return f"{spec.label}, row {int(match['row']) + 1}, {columns.get(match['col'], match['col'])}"
    head, _, rest = path.partition(".")
    base = re.sub(r"\[(\d+)\]$", "", head)
    if base in specs:
        spec = specs[base]
        item = re.search(r"\[(\d+)\]$", head)
        if rest:
            options = dict(spec.choices(config))
            return f"{spec.label}, {options.get(rest, rest)}"
        if item:
            return f"{spec.label}, item {int(item.group(1)) + 1}"
        return spec.label
    return path


def field_spec(name: str, path: str) -> tuple[Field, bool] | None:
    """The declaration of the input at ``path`` and whether the path names one number of it
    (a cell, a mapping's item or a list's item), or ``None`` when no input has that path."""
    calc = CALCULATORS.get(name)
    if calc is None:
        return None
    specs = {s.name: s for s in calc.inputs}
    match = _ROW.match(path)
    if match and match["field"] in specs:
        column = next((c for c in specs[match["field"]].columns if c.name == match["col"]), None)
        return None if column is None else (column, column.type in ("number", "integer"))
    head, _, rest = path.partition(".")
    base = re.sub(r"\[(\d+)\]$", "", head)
    spec = specs.get(base)
    if spec is None:
        return None
    if spec.type in ("number", "integer"):
        return spec, head == base and not rest
    if spec.type == "numbers":
        return spec, head != base
    if spec.type == "mapping":
        return spec, bool(rest) and spec.item_type == "number"
    return spec, False


def expected_number(spec: Field) -> str:
    """What a number input takes, in words: ``a number from 0 to 100``, ``a whole number greater than 0``.

    >>> expected_number(Field("e", "Engagement", minimum=0, maximum=100))
    'a number from 0 to 100'
    """
    kind = "a whole number" if spec.type == "integer" else "a number"
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None:
        if spec.exclusive_minimum:
            return f"{kind} greater than {low:g} and at most {high:g}"
        return f"{kind} from {low:g} to {high:g}"
    if low is not None:
        return f"{kind} greater than {low:g}" if spec.exclusive_minimum else f"{kind} of at least {low:g}"
    if high is not None:
        return f"{kind} of at most {high:g}"
    return kind


_GOT = re.compile(r" \((got .*)\)$")
_BOUND = re.compile(r"^must be (at least|at most|greater than) -?[0-9.e]+ \(got ")
_QUOTED = re.compile(r"('[^']*'|\"[^\"]*\")")
_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _input_labels(name: str) -> dict[str, str]:
    calc = CALCULATORS.get(name)
    labels: dict[str, str] = {}
    for spec in calc.inputs if calc else ():
        labels.update({c.name: c.label for c in spec.columns})
    labels.update({s.name: s.label for s in calc.inputs} if calc else {})
    return labels


def readable_rule(name: str, rule: str) -> str:
    """``rule`` with the input keys it names (``contract_date``) written as their labels; quoted
    values are left as they are.

    >>> readable_rule("time_to_value", "cannot be before contract_date")
    'cannot be before Contract signed'
    """
    labels = _input_labels(name)
    parts = _QUOTED.split(rule)
    return "".join(part if i % 2 else _KEY.sub(lambda m: labels.get(m.group(0), m.group(0)), part) for i, part in enumerate(parts))


def page_message(name: str, path: str, rule: str, config: Config) -> str:
    """The page's message for an :class:`~calculators.InputError`: the field's label, then what
    was wrong, in words (input keys as their labels).

    A number field that is empty or holds something that is not a number says what it takes
    (a browser's number control hands letters over as an empty value, so "is required" would
    mislead): ``Engagement must be a number from 0 to 100``. A number out of a two-sided range
    says the range too.

    >>> from calculators import default_config
    >>> page_message("time_to_value", "first_value_date", "cannot be before contract_date", default_config())
    'First outcome cannot be before Contract signed'
    >>> page_message("health_score", "components.engagement", "is required", default_config())
    'Component scores, Engagement must be a number from 0 to 100'
    """
    label = field_label(name, path, config)
    found = field_spec(name, path)
    if found is not None and found[1]:
        spec = found[0]
        got = _GOT.search(rule)
        if rule == "is required" or rule.startswith(("must be a number", "must be a finite number")):
            return f"{label} must be {expected_number(spec)}{f' ({got.group(1)})' if got and rule != 'is required' else ''}"
        if _BOUND.match(rule) and spec.minimum is not None and spec.maximum is not None:
            return f"{label} {rule}: enter {expected_number(spec)}"
    text = readable_rule(name, rule)
    return f"{label} {text}" if text[:1].isalpha() and text[:1].islower() else f"{label}: {text}"


def remap_rows(name: str, path: str, pairs: Pairs) -> str:
    """Map a validated row index back to the form's row index (blank rows were dropped)."""
    match = re.match(r"^(?P<field>[A-Za-z_]\w*)\[(?P<row>\d+)\](?P<rest>.*)$", path)
    if not match:
        return path
    spec = next((s for s in CALCULATORS[name].inputs if s.name == match["field"] and s.type == "table"), None)
    if spec is None:
        return path
    rows = table_rows(spec, {str(p[0]): str(p[1]) for p in pairs})
    index = int(match["row"])
    if index < len(rows):
        return f"{match['field']}[{rows[index][0]}]{match['rest']}"
    return path
