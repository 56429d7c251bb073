"""The files a batch run writes: checked before the run, written under new, exclusively created
``.NAME.*.partial`` files (never through a file or link already there) and renamed together
when all are complete, so a failed run never leaves a half-written file under a real name."""

from __future__ import annotations

import contextlib
import os
import tempfile
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
    """A file written under a new, randomly named ``NAME.*.partial`` beside ``NAME`` and renamed to it on :meth:`commit`.

    The partial file is created exclusively (``O_EXCL``, by :func:`tempfile.mkstemp`), so a file
    or a symbolic link already there under any name is never written through.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        try:
            descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        except OSError as exc:
            raise BatchInputError(f"{target}: cannot write it ({exc.strerror or exc})") from None
        self.partial = Path(name)
        self.handle: IO[str] = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        self.started = False

    def write_frame(self, frame: pd.DataFrame, header: Sequence[str]) -> None:
        write_frame(self.handle, frame, None if self.started else header)
        self.started = True

    def close(self) -> None:
        """Finish writing (a full disk shows here, before anything is renamed)."""
        self.handle.close()
        os.chmod(self.partial, 0o666 & ~_umask())

    def commit(self) -> None:
        self.close()
        os.replace(self.partial, self.target)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self.partial.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def commit_all(items: Sequence[Partial]) -> None:
    """Rename every partial file to its target, all or none: a target replaced before a rename
    fails gets its old file back (or goes, if it did not exist)."""
    for item in items:
        item.close()
    done: list[tuple[Partial, Path | None]] = []
    try:
        for item in items:
            backup: Path | None = None
            if os.path.lexists(item.target):
                backup = item.partial.with_name(item.partial.name.removesuffix(".partial") + ".previous")
                os.replace(item.target, backup)
            done.append((item, backup))
            os.replace(item.partial, item.target)
    except BaseException:
        for item, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, item.target)
                elif not item.partial.exists():
                    item.target.unlink()
        for item in items:
            item.discard()
        raise
    for _, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()


class Outputs(list[Partial | None]):
    """The partial files of one run (one per target given to :func:`partials`, ``None`` for none),
    and the others that :meth:`join` them (the calendars of ``--ics-dir``): committed together, or
    all discarded."""

    def __init__(self) -> None:
        super().__init__()
        self.joined: list[Partial] = []
        self.folders: list[Path] = []

    def join(self, items: Sequence[Partial]) -> None:
        """Commit ``items`` with the run's other outputs (and discard them with the others)."""
        self.joined.extend(items)

    def made(self, folder: Path) -> None:
        """``folder`` was created for this run: it goes again (when empty) if the run fails."""
        self.folders.append(folder)

    def all(self) -> list[Partial]:
        return [item for item in self if item is not None] + self.joined

    def discard(self) -> None:
        for item in self.all():
            item.discard()
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()


@contextlib.contextmanager
def partials(*targets: Path | None) -> Iterator[Outputs]:
    """Open a :class:`Partial` per target (``None`` stays ``None``); commit all (with those that
    :meth:`~Outputs.join` them) together on success, discard all on error."""
    opened = Outputs()
    try:
        for target in targets:
            opened.append(None if target is None else Partial(target))
        yield opened
        commit_all(opened.all())
    except BaseException:
        opened.discard()
        raise
