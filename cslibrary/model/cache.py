"""The library loaded once per change, shared by every caller in a build (no MkDocs imports).

Loading and validating ``playbooks/`` is the most expensive step of a build's set-up (about
1.5 s at 1,000 playbooks), and the site (:mod:`cslibrary.site`) needs it for the generated
pages and for the calculators' forms, on every rebuild of ``mkdocs serve``. :func:`load`
reads it once and hands the same :class:`Loaded` (library and the calculators'
configuration) to every caller until a file under ``playbooks/`` changes.

The cache is keyed on the library folder and the name, size and modification time (ns) of
every file in it, so ``mkdocs serve`` re-reads the YAML after any edit, addition or
removal, and reuses it when only a hand-written page changed. It holds one entry: the last
library loaded. A :class:`~cslibrary.model.loader.LibraryError` is cached too (the same broken
files give the same problems), so a second caller reports it without reading the files again.

Callers must treat the library and the configuration as read-only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import Library
from .calculator_config import config_from_model
from .loader import LibraryError, load_library

__all__ = ["Loaded", "clear", "load"]

FOLDER = "playbooks"


@dataclass(frozen=True)
class Loaded:
    """A validated library and the calculators' configuration built from it."""

    library: Library
    config: Mapping[str, Any]


_lock = threading.Lock()
_cache: tuple[tuple[Any, ...], Loaded | LibraryError] | None = None


def _fingerprint(base: Path) -> tuple[Any, ...]:
    """Every file and folder under ``base`` with its size and mtime (ns): changes with any edit."""
    entries: list[tuple[str, int, int]] = []
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        st = os.stat(folder)
        entries.append((folder, -1, st.st_mtime_ns))
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except FileNotFoundError:  # removed while we looked: the next build sees it
                continue
            entries.append((path, st.st_size, st.st_mtime_ns))
    return (str(base), *entries)


def load(root: Path) -> Loaded:
    """The library under ``root/playbooks`` (``root`` is the repository), validated and cross-checked.

    Raises :class:`~cslibrary.model.loader.LibraryError` listing every problem. A second call with
    no file changed returns the very same objects.
    """
    global _cache
    root = Path(root).resolve()
    key = _fingerprint(root / FOLDER)
    with _lock:
        if _cache is not None and _cache[0] == key:
            cached = _cache[1]
        else:
            try:
                library = load_library(root)
                cached = Loaded(library, config_from_model(library))
            except LibraryError as err:
                cached = err
            _cache = (key, cached)
    if isinstance(cached, LibraryError):
        raise cached
    return cached


def clear() -> None:
    """Forget the cached library (tests)."""
    global _cache
    with _lock:
        _cache = None
