"""Command line: ``python -m calculators NAME`` and friends.

    python -m calculators --list
    python -m calculators --describe NAME
    python -m calculators NAME < inputs.json        # prints the result as JSON
    python -m calculators score INPUT --out OUT.csv  # the batch scorer (see --help there)
    python -m calculators backtest INPUT
    python -m calculators plays INPUT --as-of DATE --out PLAYS.csv  # the worklist: triage for a book

Configuration comes from the YAML library (``--library DIR``, or ``./playbooks`` when it
exists) and otherwise from the generated defaults. Bad input prints one line naming the
field on standard error and exits 2; nothing prints a traceback.

What the command does with hostile input (each case is a test in ``tests/calculators/test_cli.py``
and the fuzz suite ``tests/test_fuzz.py`` holds every calculator to it):

* **Standard input** must be one JSON object in UTF-8 (a byte-order mark is allowed), at most
  :data:`MAX_INPUT_BYTES`. Empty input, invalid UTF-8, input that is not JSON, JSON nested too
  deeply for the parser, and a top level that is not an object are each one line naming
  ``input`` (or ``inputs``) and exit 2. So are ``NaN``, ``Infinity`` and ``-Infinity``, which
  Python's ``json`` accepts but JSON does not; the line gives where they are.
* **Duplicate keys** are refused, naming the path of the repeated key
  (``accounts[0].arr: is given twice``): parsers disagree on which value wins, so the input
  is ambiguous and no answer would be safe.
* **Numbers too large for their field** are the calculators' to refuse, by name (see
  :mod:`calculators.declarations`): a literal beyond the float range (``1e400``) or an integer
  of more than :data:`MAX_INTEGER_DIGITS` digits is read as an infinity that quotes the literal,
  so the message is ``promoters: must be at most 1e15 (got a 5000-digit number)``.
* **The output** is always valid JSON (``allow_nan=False``) in UTF-8, whatever the locale;
  a result that could not be is an error line, never ``NaN`` or ``Infinity``.
* **A closed pipe** (``python -m calculators --describe triage | head -1``) ends the command
  quietly with exit 0: the reader chose to stop reading. **Ctrl-C** prints ``error: interrupted``
  and exits 130.
* **Options** that argparse refuses are one line too (``error: argument --indent: …``), and a
  library that cannot be read is one line naming ``--library`` (or ``playbooks``).

This package imports nothing else of the project. The batch commands and the YAML reader
live in packages above it (:mod:`cslibrary.batch`, :mod:`cslibrary.model`) and plug in
through entry points that ``pyproject.toml`` declares: group ``calculators.commands``
(``score``, ``backtest``: a ``main(argv)`` taking the whole command line) and group
``calculators.config`` (``library``: a function from a ``playbooks/`` folder to the
configuration). Without them (the calculators alone, as in the browser) the calculators
run on the generated defaults and the batch commands say which extra to install.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, NoReturn

from . import CALCULATORS, InputError, default_config, describe, run
from .declarations import SHOWN_CHARACTERS, shown

EXIT_BAD_INPUT = 2
#: The exit status after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
COMMANDS_GROUP = "calculators.commands"
CONFIG_GROUP = "calculators.config"
#: The commands the ``batch`` extra brings, named in the message when it is missing.
BATCH_COMMANDS = ("score", "backtest", "plays")
#: The most standard input the command reads (100,000 table rows fit many times over).
MAX_INPUT_BYTES = 32 * 1024 * 1024
#: Integers longer than this are not converted (Python refuses beyond 4,300 digits, and the
#: conversion is quadratic); they are read as an infinity that the calculators refuse by name.
MAX_INTEGER_DIGITS = 300
#: The widest ``--indent``.
MAX_INDENT = 16


class _Literal(float):
    """A JSON number beyond the float range: infinite, but quoted in messages as it was written."""

    text: str

    def __new__(cls, value: float, text: str) -> _Literal:
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __repr__(self) -> str:
        return self.text


class _Constant(Exception):
    """``NaN``, ``Infinity`` or ``-Infinity`` in the input: Python's extensions to JSON."""


class _Duplicates(dict[str, Any]):
    """A JSON object that repeated a key; ``key`` is the first repeated one."""

    key: str


def _parse_float(text: str) -> float:
    value = float(text)
    return value if math.isfinite(value) else _Literal(value, text[:40])


def _parse_int(text: str) -> float:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        negative = text.startswith("-")
        return _Literal(-math.inf if negative else math.inf, f"a {digits}-digit {'negative ' if negative else ''}number")
    return int(text)


def _parse_constant(name: str) -> NoReturn:
    raise _Constant(name)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    marked = _Duplicates(obj)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            marked.key = key
            break
        seen.add(key)
    return marked


def _key_path(prefix: str, key: str) -> str:
    """The path of ``key`` under ``prefix``, written as the calculators write paths (``accounts[1].arr``)."""
    safe = key if key and key.isprintable() and len(key) <= SHOWN_CHARACTERS else shown(key)
    return f"{prefix}.{safe}" if prefix else safe


def _duplicate(parsed: Any) -> InputError | None:
    """The error for the first object (in document order) that repeats a key, or None."""
    stack: list[tuple[str, Any]] = [("", parsed)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, _Duplicates):
            return InputError(_key_path(path, item.key), "is given twice in the input; give each key once")
        if isinstance(item, dict):
            stack.extend((_key_path(path, k), v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((f"{path or 'input'}[{i}]", v) for i, v in reversed(list(enumerate(item))))
    return None


#: A JSON string, or one of Python's non-JSON constants outside strings.
_CONSTANT_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)


def _where(text: str, offset: int) -> str:
    """``line L column C`` of ``offset`` in ``text``, counted from 1 as JSON errors count them."""
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return f"line {line} column {column}"


def parse_inputs(data: bytes) -> Any:
    """Standard input's bytes as JSON, or an :class:`InputError` naming ``input`` (see the module's notes)."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError("input", f"is larger than {MAX_INPUT_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("input", f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if not text.strip():
        raise InputError("input", "is empty: give a JSON object of inputs on standard input")
    try:
        parsed = json.loads(text, parse_float=_parse_float, parse_int=_parse_int, parse_constant=_parse_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise InputError("input", f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except _Constant as exc:
        found = next((m for m in _CONSTANT_TOKENS.finditer(text) if m.group(1)), None)
        where = f" at {_where(text, found.start(1))}" if found else ""
        raise InputError("input", f"is not valid JSON ({exc} is not a JSON number{where}; write a number or null)") from None
    except RecursionError:
        raise InputError("input", "is nested too deeply to read") from None
    except ValueError as exc:  # pragma: no cover - json raises nothing else today; kept as the last guard
        raise InputError("input", f"cannot be read ({exc})") from None
    duplicate = _duplicate(parsed)
    if duplicate is not None:
        raise duplicate
    return parsed


def _read_stdin() -> bytes:
    stream = sys.stdin
    if stream is None:
        return b""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        data: bytes = buffer.read(MAX_INPUT_BYTES + 1)
        return data
    return stream.read(MAX_INPUT_BYTES + 1).encode("utf-8", "surrogateescape")


def _one_line(text: str) -> str:
    """``text`` with every character that could break or forge a line (controls, separators) escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _error(message: str) -> None:
    if sys.stderr is not None:  # None when the command was started with standard error closed
        print(f"error: {_one_line(message)}", file=sys.stderr)


def _write(text: str) -> None:
    """Write ``text`` and a new line to standard output in UTF-8, whatever the locale."""
    if sys.stdout is None:  # started with standard output closed: nobody is reading
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text + "\n")
    else:
        sys.stdout.flush()
        buffer.write((text + "\n").encode("utf-8", "backslashreplace"))
    sys.stdout.flush()


def _json(data: Any, indent: int, what: str) -> str:
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:  # a non-finite number the calculators' own check did not see
        raise InputError(what, f"is not valid JSON ({exc})") from None


def _plugin(group: str, name: str) -> Callable[..., Any] | None:
    """The function an installed package registers as ``name`` in entry-point ``group``, or None."""
    for point in entry_points(group=group, name=name):
        loaded: Callable[..., Any] = point.load()
        return loaded
    return None


def load_config(library: str | None) -> dict[str, Any]:
    """The configuration from the YAML library when there is one, else the defaults."""
    root = Path(library) if library else Path("playbooks")
    if library is None and not (root / "health-model.yml").is_file():
        return default_config()
    reader = _plugin(CONFIG_GROUP, "library")
    if reader is None:  # pragma: no cover - the calculators installed alone
        if library:
            raise InputError("--library", "reading a YAML library needs the site tools (pip install 'cs-playbook-library[site]')")
        return default_config()
    try:
        config: dict[str, Any] = reader(root)
    except Exception as exc:  # the plugin's own errors (a missing folder, a broken file): one line, no traceback
        first, *rest = str(exc).splitlines() or [type(exc).__name__]
        more = f" (and {len(rest)} more problem(s))" if rest else ""
        raise InputError("--library" if library else "playbooks", f"cannot be read: {first}{more}") from None
    return config


class _Parser(argparse.ArgumentParser):
    """argparse whose errors are one line on standard error and exit 2, as bad input is."""

    def error(self, message: str) -> NoReturn:
        _error(message)
        self.exit(EXIT_BAD_INPUT)


def _indent(text: str) -> int:
    if not text.strip().isdecimal() or int(text) > MAX_INDENT:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {MAX_INDENT} (got {text[:20]!r})")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m calculators",
        description="Customer Success calculators. Reads a JSON object of inputs on stdin and prints the result as JSON.",
        epilog="Batch commands: 'python -m calculators score --help', 'python -m calculators backtest --help', 'python -m calculators plays --help'.",
    )
    parser.add_argument("name", nargs="?", help=f"calculator: {', '.join(CALCULATORS)}")
    parser.add_argument("--list", action="store_true", help="list the calculators")
    parser.add_argument("--describe", metavar="NAME", help="print a calculator's input declaration as JSON")
    parser.add_argument("--library", metavar="DIR", help="the playbooks/ folder to read configuration from")
    parser.add_argument("--indent", type=_indent, default=2, help=f"JSON indentation, 0 to {MAX_INDENT} (default 2)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list and not args_list[0].startswith("-") and args_list[0] not in CALCULATORS:
        command = _plugin(COMMANDS_GROUP, args_list[0])
        if command is not None:
            return int(command(args_list))
        if args_list[0] in BATCH_COMMANDS:
            _error(f"'{args_list[0]}' needs the batch tools: pip install 'cs-playbook-library[batch]'")
            return EXIT_BAD_INPUT
    args = _parser().parse_args(args_list)
    try:
        config = load_config(args.library)
        if args.list:
            _write("\n".join(f"{name}\t{calc.summary}" for name, calc in CALCULATORS.items()))
            return 0
        if args.describe:
            _write(_json(describe(args.describe, config), args.indent, "--describe"))
            return 0
        if not args.name:
            _parser().print_usage(sys.stderr)
            _error("give a calculator name, --list or --describe NAME")
            return EXIT_BAD_INPUT
        if args.name not in CALCULATORS:
            raise InputError("calculator", f"{args.name!r} is not a calculator (known: {', '.join(CALCULATORS)})")
        inputs = parse_inputs(_read_stdin())
        output = _json(run(args.name, inputs, config), args.indent, "result")
    except InputError as exc:
        _error(str(exc))
        return EXIT_BAD_INPUT
    _write(output)
    return 0


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that closing never writes to the broken pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - no file descriptor (an in-process caller)
        pass


def console(argv: list[str] | None = None) -> int:
    """:func:`main` as ``python -m calculators`` runs it: a closed pipe ends quietly (exit 0),
    Ctrl-C prints one line and exits 130."""
    try:
        code = main(argv)
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
