"""The calculators' configuration read from a library folder, and the defaults file written from it.

:mod:`.calculator_config` assembles the configuration from a loaded model; this module loads
the model first (:func:`.loader.load_library`), for ``python -m calculators --library``
(through its ``calculators.config`` entry point), the batch scorer and
``python -m cslibrary config``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from calculators import default_config

from .calculator_config import config_from_model
from .loader import load_library

DEFAULTS = Path(__file__).resolve().parents[2] / "calculators" / "defaults.json"


def config_from_library(root: Path) -> dict[str, Any]:
    """Load ``root`` (a ``playbooks/`` folder, or the repository root holding one) and assemble the configuration.

    Every file must load and match the model (else :class:`cslibrary.model.loader.LibraryError`);
    cross-references are ``python -m cslibrary validate``'s job.
    """
    root = Path(root)
    if (root / "playbooks").is_dir() and not (root / "health-model.yml").is_file():
        return config_from_model(load_library(root, check=False))
    return config_from_model(load_library(root.resolve().parent, root.resolve().name, check=False))


def load_config(library: str | Path | None) -> dict[str, Any]:
    """The configuration of the YAML library ``library``, or of ``./playbooks`` when it holds one, else the defaults.

    This is what ``python -m calculators`` reads through its ``calculators.config`` entry point.
    The library may be named by its ``playbooks/`` folder or by the repository root holding it:

    >>> repo = DEFAULTS.parents[1]  # this checkout
    >>> config = load_config(repo / "playbooks")
    >>> sorted(config)
    ['assessments', 'channels', 'dates', 'events', 'expansion_stages', 'health', 'playbooks', 'relationship_strength', 'renewal_incentive', 'roles', 'segments', 'stack_budget', 'stages']
    >>> load_config(str(repo)) == config
    True
    """
    root = Path(library) if library is not None else Path("playbooks")
    if library is None and not (root / "health-model.yml").is_file():
        return default_config()
    return config_from_library(root)


def write_defaults(root: Path, target: Path = DEFAULTS, *, write: bool = True) -> bool:
    """Write the defaults file (unless ``write`` is false); return True when its content differs.

    Keys keep the library's order (no sorting): it is the order the forms list options in.
    """
    text = json.dumps(config_from_library(root), indent=1, ensure_ascii=False) + "\n"
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    if old == text:
        return False
    if write:
        target.write_text(text, encoding="utf-8")
    return True
