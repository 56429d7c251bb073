"""Command line: ``python -m calculators NAME`` and friends.

    python -m calculators --list
    python -m calculators --describe NAME
    python -m calculators NAME < inputs.json        # prints the result as JSON
    python -m calculators score INPUT --out OUT.csv  # the batch scorer (see --help there)
    python -m calculators backtest INPUT

Configuration comes from the YAML library (``--library DIR``, or ``./playbooks`` when it
exists) and otherwise from the generated defaults. Bad input prints one line naming the
field on standard error and exits 2; nothing prints a traceback.

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
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from . import CALCULATORS, InputError, default_config, describe, run

EXIT_BAD_INPUT = 2
COMMANDS_GROUP = "calculators.commands"
CONFIG_GROUP = "calculators.config"
#: The commands the ``batch`` extra brings, named in the message when it is missing.
BATCH_COMMANDS = ("score", "backtest")


def _plugin(group: str, name: str) -> Callable[..., Any] | None:
    """The function an installed package registers as ``name`` in entry-point ``group``, or None.

    None too when the package is registered but its own dependencies are not installed (the
    batch commands without pandas, in an install made for the site only).
    """
    for point in entry_points(group=group, name=name):
        try:
            loaded: Callable[..., Any] = point.load()
        except ImportError:
            return None
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
    config: dict[str, Any] = reader(root)
    return config


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculators",
        description="Customer Success calculators. Reads a JSON object of inputs on stdin and prints the result as JSON.",
        epilog="Batch commands: 'python -m calculators score --help', 'python -m calculators backtest --help'.",
    )
    parser.add_argument("name", nargs="?", help=f"calculator: {', '.join(CALCULATORS)}")
    parser.add_argument("--list", action="store_true", help="list the calculators")
    parser.add_argument("--describe", metavar="NAME", help="print a calculator's input declaration as JSON")
    parser.add_argument("--library", metavar="DIR", help="the playbooks/ folder to read configuration from")
    parser.add_argument("--indent", type=int, default=2, help="JSON indentation (default 2)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list and not args_list[0].startswith("-") and args_list[0] not in CALCULATORS:
        command = _plugin(COMMANDS_GROUP, args_list[0])
        if command is not None:
            return int(command(args_list))
        if args_list[0] in BATCH_COMMANDS:
            print(f"error: '{args_list[0]}' needs the batch tools: pip install 'cs-playbook-library[batch]'", file=sys.stderr)
            return EXIT_BAD_INPUT
    args = _parser().parse_args(args_list)
    try:
        config = load_config(args.library)
        if args.list:
            for name, calc in CALCULATORS.items():
                print(f"{name}\t{calc.summary}")
            return 0
        if args.describe:
            print(json.dumps(describe(args.describe, config), indent=args.indent, ensure_ascii=False))
            return 0
        if not args.name:
            _parser().print_usage(sys.stderr)
            print("error: give a calculator name, --list or --describe NAME", file=sys.stderr)
            return EXIT_BAD_INPUT
        if args.name not in CALCULATORS:
            raise InputError("calculator", f"{args.name!r} is not a calculator (known: {', '.join(CALCULATORS)})")
        text = sys.stdin.read()
        try:
            inputs = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError("input", f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        result = run(args.name, inputs, config)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(result, indent=args.indent, ensure_ascii=False))
    return 0
