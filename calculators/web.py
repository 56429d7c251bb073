"""The page's side of the calculators: form fields in, outputs out. Runs in Pyodide.

A calculator form's controls are named after the JSON keys of the calculator's input, so
the form reads back into the very JSON :func:`calculators.run` takes:

* a top-level input is named after its key: ``starting_mrr``, ``segment``;
* a ``mapping`` input has one control per key, joined with a dot: ``components.support``;
* a ``table`` input has one control per cell, row index in brackets:
  ``accounts[0].arr`` (rows are numbered from 0);
* a ``numbers`` input is one text box of numbers separated by commas, spaces or new lines.

These are also the paths :class:`calculators.InputError` names, so an error message finds
its field by name. The page sends the form's ``(name, value)`` pairs (all text, as a browser
form holds them); :func:`parse_pairs` turns them into typed JSON by the declaration, and
:func:`handle` is the one entry point the page script calls (JSON text in, JSON text out).

>>> from calculators import default_config
>>> cfg = default_config()
>>> parse_pairs("nps", [("promoters", "50"), ("passives", "30"), ("detractors", " 20 ")], cfg)
{'promoters': 50, 'passives': 30, 'detractors': 20}
>>> out = compute("nps", [("promoters", "0"), ("passives", "0"), ("detractors", "0")], cfg)
>>> out["ok"], out["field"]
(False, 'promoters')
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from . import CALCULATORS, InputError, run
from .planner import PLAYBOOK_PLAN
from .present import present
from .spec import Field

Config = Mapping[str, Any]
Pairs = Sequence[Sequence[str]]

#: Rows a pasted or uploaded CSV may hold.
MAX_CSV_ROWS = 5000

_SPLIT = re.compile(r"[\s,;]+")
_ROW = re.compile(r"^(?P<field>[A-Za-z_][A-Za-z0-9_]*)\[(?P<row>\d+)\]\.(?P<col>[A-Za-z_][A-Za-z0-9_]*)$")


def to_number(text: str) -> int | float | str | None:
    """A form's text as a number: ``None`` when empty, the text itself when not a number.

    Spaces, underscores and thousands separators are ignored. The text of a non-number is
    returned unchanged so that validation names the field and quotes what was typed.

    >>> [to_number(t) for t in ("", " 12 ", "1,250.5", "1e3", "abc")]
    [None, 12, 1250.5, 1000.0, 'abc']
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("_", "")
    if not cleaned:
        return None
    if "," in cleaned and re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?", cleaned):
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
            mapping = {key: to_number(values.get(f"{spec.name}.{key}") or "") for key, _ in spec.choices(config)}
            out[spec.name] = {k: v for k, v in mapping.items() if v is not None}
        elif spec.type == "numbers":
            out[spec.name] = _numbers(values.get(spec.name))
        elif spec.type == "table":
            out[spec.name] = [row for _, row in _table_rows(spec, values)]
        else:
            value = _scalar(spec, values.get(spec.name))
            if value is not None:
                out[spec.name] = value
    return out


def _table_rows(spec: Field, values: Mapping[str, str]) -> list[tuple[int, dict[str, Any]]]:
    """``(form row index, row)`` for every non-empty row of table ``spec``, in order."""
    cells: dict[int, dict[str, str]] = {}
    for key, value in values.items():
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


def _remap_rows(name: str, path: str, pairs: Pairs) -> str:
    """Map a validated row index back to the form's row index (blank rows were dropped)."""
    match = re.match(r"^(?P<field>[A-Za-z_]\w*)\[(?P<row>\d+)\](?P<rest>.*)$", path)
    if not match:
        return path
    spec = next((s for s in CALCULATORS[name].inputs if s.name == match["field"] and s.type == "table"), None)
    if spec is None:
        return path
    rows = _table_rows(spec, {str(p[0]): str(p[1]) for p in pairs})
    index = int(match["row"])
    if index < len(rows):
        return f"{match['field']}[{rows[index][0]}]{match['rest']}"
    return path


def compute(name: str, pairs: Pairs, config: Config, base: str = "") -> dict[str, Any]:
    """Parse, run and present: ``{"ok": True, "outputs": [...]}`` or a field error.

    An error is ``{"ok": False, "field": path, "rule": ..., "message": ...}``; ``field`` is
    the form control's name (or ``None`` for the whole form). No traceback is ever returned.
    """
    if name not in CALCULATORS:
        return {"ok": False, "field": None, "rule": "unknown calculator", "message": f"{name!r} is not a calculator"}
    try:
        inputs = parse_pairs(name, pairs, config)
        result = run(name, inputs, config)
        outputs = present(name, inputs, result, config, base)
    except InputError as exc:
        field = _remap_rows(name, exc.field, pairs)
        known = field not in ("inputs", "calculator", "score")
        return {
            "ok": False,
            "field": field if known else None,
            "rule": exc.rule,
            "message": f"{field_label(name, field, config)}: {exc.rule}" if known else exc.rule,
        }
    except Exception as exc:  # a bug must not show a traceback to the reader
        return {
            "ok": False,
            "field": None,
            "rule": "internal error",
            "message": f"The calculator could not compute these inputs ({type(exc).__name__}).",
        }
    return {"ok": True, "outputs": [o.as_json() for o in outputs]}


# ------------------------------------------------------------------ CSV import


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def csv_rows(name: str, field: str, text: str, config: Config) -> dict[str, Any]:
    """Rows for table ``field`` from CSV text, as the form's cell texts.

    The first line is a header when one of its cells names a column (by key or label, any
    case); otherwise the columns are taken in their declared order. Commas, semicolons and
    tabs all work as separators. Money like ``$100,000`` becomes ``100000``. Nothing leaves
    the browser: the page reads the file with ``FileReader`` and passes its text here.
    """
    spec = next((s for s in CALCULATORS[name].inputs if s.name == field and s.type == "table"), None)
    if spec is None:
        return {"ok": False, "message": f"{field!r} is not a table of {name}"}
    text = text.lstrip("\ufeff")
    if not text.strip():
        return {"ok": False, "message": "The CSV is empty."}
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    if len(lines) > MAX_CSV_ROWS + 1:
        return {"ok": False, "message": f"The CSV has more than {MAX_CSV_ROWS} rows."}
    columns = list(spec.columns)
    names = {_norm(c.name): c.name for c in columns} | {_norm(c.label): c.name for c in columns}
    order: list[str | None]
    header = [_norm(cell) for cell in lines[0]] if lines else []
    if any(h in names for h in header):
        order = [names.get(h) for h in header]
        lines = lines[1:]
        missing = [c.label for c in columns if c.required and c.name not in order]
        if missing:
            return {
                "ok": False,
                "message": f"The CSV has no column for: {', '.join(missing)} (columns: {', '.join(c.name for c in columns)}).",
            }
    else:
        order = [c.name for c in columns]
    specs = {c.name: c for c in columns}
    rows = []
    for number, line in enumerate(lines, start=1):
        row: dict[str, str] = {}
        for key, cell in zip(order, line, strict=False):
            if key is None:
                continue
            value = cell.strip()
            if specs[key].type in ("number", "integer") and value:
                parsed = to_number(re.sub(r"[\s$€£¥%_]", "", value))
                if isinstance(parsed, str):
                    return {"ok": False, "message": f"Row {number}, {specs[key].label}: {value!r} is not a number."}
                value = text_of(parsed)
            row[key] = value
        rows.append(row)
    if not rows:
        return {"ok": False, "message": "The CSV has a header but no rows."}
    return {"ok": True, "rows": rows, "columns": [c.name for c in columns]}


# ------------------------------------------------------------------ playbook exports


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 line folding: at most 75 octets per line, continuations start with a space."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def plan_ics(result: Mapping[str, Any]) -> str:
    """The dated task list as an iCalendar file of all-day events."""
    stamp = f"{result['first_date'] or '2000-01-01'}".replace("-", "") + "T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CS Playbook Library//Playbook planner//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for i, task in enumerate(result["tasks"]):
        day = datetime.date.fromisoformat(task["date"])
        summary = f"{task['offset']}: {task['action']}"
        description = "\n".join(
            part
            for part in (
                f"Playbook: {result['title']}",
                f"Owner: {task['owner']}" if task.get("owner") else "",
                f"Channel: {task['channel']}" if task.get("channel") else "",
                f"Goal: {task['goal']}" if task.get("goal") else "",
            )
            if part
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{result['playbook']}-{i + 1}-{day:%Y%m%d}@cs-playbook-library",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_escape(summary)}",
            f"DESCRIPTION:{_ics_escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def _safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def plan_csv(result: Mapping[str, Any]) -> str:
    """The dated task list as CSV (cells that a spreadsheet would run as formulas are quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = ("date", "weekday", "offset", "action", "owner", "channel", "goal")
    writer.writerow(columns)
    for task in result["tasks"]:
        writer.writerow([_safe_cell(task.get(c)) for c in columns])
    return buffer.getvalue()


def export(name: str, pairs: Pairs, config: Config, fmt: str) -> dict[str, Any]:
    """A download built from the form: the playbook plan as ``ics`` or ``csv``."""
    if name != PLAYBOOK_PLAN.name or fmt not in ("ics", "csv"):
        return {"ok": False, "field": None, "message": f"{name} has no {fmt} export"}
    try:
        inputs = parse_pairs(name, pairs, config)
        result = run(name, inputs, config)
    except InputError as exc:
        return {"ok": False, "field": exc.field, "rule": exc.rule, "message": f"{field_label(name, exc.field, config)}: {exc.rule}"}
    stem = f"{result['playbook']}-{inputs['date']}"
    if fmt == "ics":
        return {"ok": True, "filename": f"{stem}.ics", "mime": "text/calendar;charset=utf-8", "text": plan_ics(result)}
    return {"ok": True, "filename": f"{stem}.csv", "mime": "text/csv;charset=utf-8", "text": plan_csv(result)}


# ------------------------------------------------------------------ the page's entry point


@lru_cache(maxsize=4)
def _config(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


#: The configuration text the page sent last (the page sends it once, not on every call).
_last_config: list[str] = []


def handle(request: str, config: str | None = None) -> str:
    """One call from the page: JSON request text (and the page's configuration as JSON text)
    in, JSON text out. Requests: ``{"op": "compute" | "csv" | "export" | "ping", "name": ...,
    "pairs": [[name, value], ...], "base": "../", "field": ..., "text": ..., "format": ...}``.
    ``config`` may be left out after the first call: the last one sent is used (copying 70 kB
    from JavaScript into Python on every keystroke costs about a millisecond).
    """
    try:
        req = json.loads(request)
        op = req.get("op")
        if op == "ping":
            return json.dumps({"ok": True, "calculators": list(CALCULATORS)})
        if config is not None:
            _last_config[:] = [config]
        if not _last_config:
            return json.dumps({"ok": False, "field": None, "message": "no configuration was given"})
        cfg = _config(_last_config[0])
        name = str(req.get("name"))
        pairs = [(str(p[0]), str(p[1])) for p in req.get("pairs", [])]
        if op == "compute":
            out = compute(name, pairs, cfg, str(req.get("base", "")))
        elif op == "csv" and name in CALCULATORS:
            out = csv_rows(name, str(req.get("field")), str(req.get("text", "")), cfg)
        elif op == "export":
            out = export(name, pairs, cfg, str(req.get("format")))
        else:
            out = {"ok": False, "field": None, "message": f"unknown request {op!r}"}
        return json.dumps(out, ensure_ascii=False, allow_nan=False)
    except Exception as exc:  # never a traceback in the page
        message = f"The calculator could not handle this request ({type(exc).__name__})."
        return json.dumps({"ok": False, "field": None, "message": message})
