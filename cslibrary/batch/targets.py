"""The files a batch run writes: checked before the run, written under ``NAME.partial`` and
renamed when complete, so a failed run never leaves a half-written file under the real name."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import pandas as pd

from .reader import BatchInputError
from .writer import write_frame


def target_path(path: str | None, allowed: tuple[str, ...], option: str) -> Path | None:
    """``path`` as an output file of option ``option``: its suffix one of ``allowed``, its folder there."""
    if path is None:
        return None
    target = Path(path)
    if target.suffix.lower() not in allowed:
        raise BatchInputError(f"{option} {path}: must end in {' or '.join(allowed)}")
    if target.is_dir():
        raise BatchInputError(f"{option} {path}: is a folder")
    if not target.parent.is_dir():
        raise BatchInputError(f"{option} {path}: folder {target.parent} does not exist")
    return target


def check_distinct(source: Path, *targets: Path | None) -> None:
    """Refuse a run whose outputs would overwrite the input or each other."""
    seen: set[Path] = {source.resolve()}
    for target in targets:
        if target is None:
            continue
        if target.resolve() in seen:
            raise BatchInputError(f"{target}: would overwrite the input or another output; choose another name")
        seen.add(target.resolve())


class Partial:
    """A file written under ``NAME.partial`` and renamed to ``NAME`` on :meth:`commit`."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.partial = target.with_name(target.name + ".partial")
        try:
            self.handle: IO[str] = self.partial.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise BatchInputError(f"{target}: cannot write it ({exc.strerror or exc})") from None
        self.started = False

    def write_frame(self, frame: pd.DataFrame, header: Sequence[str]) -> None:
        write_frame(self.handle, frame, None if self.started else header)
        self.started = True

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.partial, self.target)

    def discard(self) -> None:
        self.handle.close()
        with contextlib.suppress(OSError):
            self.partial.unlink()


@contextlib.contextmanager
def partials(*targets: Path | None) -> Iterator[list[Partial | None]]:
    """Open a :class:`Partial` per target (``None`` stays ``None``); commit all on success, discard all on error."""
    opened: list[Partial | None] = []
    try:
        for target in targets:
            opened.append(None if target is None else Partial(target))
        yield opened
    except BaseException:
        for item in opened:
            if item is not None:
                item.discard()
        raise
    for item in opened:
        if item is not None:
            item.commit()
