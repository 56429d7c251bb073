"""The default configuration: the YAML library's numbers, as plain data.

``defaults.json`` beside this file is generated from ``playbooks/*.yml`` by
``python -m cslibrary config`` (which exits non-zero when it had to change it, so a stale
copy fails the tests). Pages embed the same data and pass it to :func:`calculators.run`
explicitly; this file only serves callers that give no configuration.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def _load() -> str:
    return resources.files(__package__).joinpath("defaults.json").read_text(encoding="utf-8")


def default_config() -> dict[str, Any]:
    """A fresh copy of the generated default configuration."""
    data: dict[str, Any] = json.loads(_load())
    return data
