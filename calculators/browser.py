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

import importlib
import importlib.machinery
import json
import re
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from . import CALCULATORS, InputError, run
from . import example as calculators_example
from .csv_import import MAX_CSV_ROWS, csv_rows
from .display import present
from .exports import EXPORTS, export, plan_csv, plan_ics
from .form_values import Config, Pairs, field_label, page_message, pairs_from_inputs, parse_pairs, remap_rows, text_of, to_number

__all__ = [
    "MAX_CSV_ROWS",
    "Config",
    "Pairs",
    "compute",
    "csv_rows",
    "export",
    "field_label",
    "handle",
    "page_message",
    "pairs_from_inputs",
    "parse_pairs",
    "plan_csv",
    "plan_ics",
    "text_of",
    "to_number",
    "use_full_stdlib_on_demand",
    "warm_up",
]


def compute(name: str, pairs: Pairs, config: Config, base: str = "") -> dict[str, Any]:
    """Parse, run and present: ``{"ok": True, "outputs": [...]}`` or a field error.

    An error is ``{"ok": False, "field": path, "rule": ..., "message": ...}``; ``field`` is
    the form control's name (or ``None`` for the whole form) and ``rule`` the
    :class:`~calculators.InputError`'s rule as it is; ``message`` is for a person (field labels,
    not keys; see :func:`~calculators.form_values.page_message`). ``disabled`` maps the
    controls these inputs make the calculator ignore to the reason (the page disables them).
    No traceback is ever returned.
    """
    if name not in CALCULATORS:
        return {"ok": False, "field": None, "rule": "unknown calculator", "message": f"{name!r} is not a calculator"}
    disabled: dict[str, str] = {}
    try:
        inputs = parse_pairs(name, pairs, config)
        disabled = CALCULATORS[name].ignored_inputs(inputs, config)
        result = run(name, inputs, config)
        outputs = present(name, inputs, result, config, base)
    except InputError as exc:
        field = remap_rows(name, exc.field, pairs)
        known = field not in ("inputs", "calculator", "score")
        return {
            "ok": False,
            "field": field if known else None,
            "rule": exc.rule,
            "message": page_message(name, field, _form_rows(name, exc.field, exc.rule, pairs), config) if known else exc.rule,
            "disabled": disabled,
        }
    except Exception as exc:  # a bug must not show a traceback to the reader
        return {
            "ok": False,
            "field": None,
            "rule": "internal error",
            "message": f"The calculator could not compute these inputs ({type(exc).__name__}).",
        }
    return {"ok": True, "outputs": [o.as_json() for o in outputs], "disabled": disabled}


def _form_rows(name: str, path: str, rule: str, pairs: Pairs) -> str:
    """``rule`` with the row numbers it quotes (``(rows 1 and 2)``, counted among the rows the
    calculator got) counted as the form's rows, which include the blank rows the form dropped.

    >>> _form_rows("coverage", "segments[1].segment", "'smb' is listed twice (rows 1 and 2)",
    ...            [("segments[0].segment", "smb"), ("segments[2].segment", "smb")])
    "'smb' is listed twice (rows 1 and 3)"
    """
    table = re.match(r"^([A-Za-z_]\w*)\[\d+\]", path)
    rows = re.search(r"\(rows (\d+) and (\d+)\)$", rule)
    if table is None or rows is None:
        return rule

    def form_row(number: str) -> int:
        where = remap_rows(name, f"{table.group(1)}[{int(number) - 1}]", pairs)
        found = re.search(r"\[(\d+)\]$", where)
        return int(found.group(1)) + 1 if found else int(number)

    return f"{rule[: rows.start()]}(rows {form_row(rows.group(1))} and {form_row(rows.group(2))})"


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


def warm_up(config: str) -> None:
    """Run every calculator once on its example, read a CSV and make an export, then forget the configuration.

    The build calls this before it takes Pyodide's memory snapshot, so that every module the
    calculators import lazily is already in the snapshot, and no page's configuration is.
    Raises ``AssertionError`` naming the calculator whose example fails.
    """
    cfg = _config(config)
    for name in CALCULATORS:
        pairs = pairs_from_inputs(name, calculators_example(name, cfg), cfg)
        out = json.loads(handle(json.dumps({"op": "compute", "name": name, "pairs": pairs}), config))
        assert out["ok"], (name, out)
        # The error paths too: every value unreadable, then nothing at all.
        for bad in ([[key, "not a number"] for key, _ in pairs], []):
            handle(json.dumps({"op": "compute", "name": name, "pairs": bad}), config)
    for text in ("a,1,2", "Account;ARR due;Health\nA;€120.000;85\nB;50.000,00;45", "Account;ARR due;Health\nA;1.234;5", "\x00"):
        handle(json.dumps({"op": "csv", "name": "renewal_forecast", "field": "accounts", "text": text}), config)
    for name in EXPORTS:
        for fmt in ("ics", "csv"):
            pairs = pairs_from_inputs(name, calculators_example(name, cfg), cfg)
            handle(json.dumps({"op": "export", "name": name, "format": fmt, "pairs": pairs}), config)
    _config.cache_clear()
    _last_config.clear()


class _FullStandardLibrary:
    """An import finder of last resort: a standard module the trimmed library left out is
    imported from the full one, which ``load`` fetches once and returns the path of."""

    def __init__(self, names: frozenset[str], load: Callable[[], str]) -> None:
        self.names, self.load = names, load

    def find_spec(self, name: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if name.partition(".")[0] not in self.names:
            return None  # not a standard module: the import fails as it would anyway
        sys.meta_path.remove(self)
        sys.path.append(self.load())  # a new entry: no finder has a stale listing of it
        return importlib.machinery.PathFinder.find_spec(name, None if path is None else list(path))  # type: ignore[call-overload]


def use_full_stdlib_on_demand(names: Iterable[str], load: Callable[[], str]) -> None:
    """Let a standard module outside the trimmed standard library still be imported.

    The pages start Pyodide with the standard library files the calculators import (the
    build lists them); ``names`` are the top-level names only the full library has. The
    first import of one of them calls ``load`` (the page fetches the full library, writes it
    into Pyodide's file system and returns its path), adds that path to ``sys.path`` and
    imports from it; nothing else changes.

    >>> import zipfile, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> full = os.path.join(folder, "full.zip")
    >>> with zipfile.ZipFile(full, "w") as z:
    ...     z.writestr("cs_rare_module.py", "ANSWER = 42")
    >>> use_full_stdlib_on_demand(["cs_rare_module"], lambda: full)
    >>> import cs_rare_module
    >>> cs_rare_module.ANSWER
    42
    >>> sys.path.remove(full)
    """
    sys.meta_path.append(_FullStandardLibrary(frozenset(names), load))
