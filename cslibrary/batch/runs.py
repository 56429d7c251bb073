"""What every batch command does around its rows: read the configuration, choose the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..model.config_files import load_config
from .reader import BatchInputError

EXIT_OK, EXIT_REJECTED, EXIT_BAD_INPUT = 0, 1, 2


def library_config(library: str | None) -> dict[str, Any]:
    """The configuration of the ``playbooks/`` folder ``library`` (default ``./playbooks``, else the defaults)."""
    if library is not None and not Path(library, "health-model.yml").is_file():
        raise BatchInputError(f"--library {library}: no health-model.yml there")
    try:
        return load_config(library)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        where = library or "playbooks"
        raise BatchInputError(f"--library {where}: cannot read the configuration ({type(exc).__name__}: {exc})") from None


def exit_code(rejected: int, rows_in: int, allow_errors: bool, errors: Path | None, accepted: str = "the scored rows") -> int:
    """1 (and one line on standard error) when rows were rejected and ``--allow-errors`` was not given, else 0."""
    if rejected and not allow_errors:
        where = f"; see {errors}" if errors is not None else ""
        print(f"error: {rejected:,} of {rows_in:,} rows rejected{where} (--allow-errors accepts {accepted})", file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_OK
