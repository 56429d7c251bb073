"""``plays --ics-dir DIR``: one iCalendar file per owner, each play's first steps as all-day events.

Conventions (RFC 5545): CRLF line ends, lines folded at 75 octets, text escaped (``\\``,
``;``, ``,`` and line breaks). A file per owner of a playbook that has a trigger rule
(``<owner>.ics``; ``unassigned.ics`` for playbooks without an owner) is written on every run,
empty when the owner has no play, so a calendar subscribed to a file never keeps last run's
events. An event's ``UID`` is made of the account, the playbook, the step and its day, so
importing a later run updates the events instead of doubling them. ``DTSTAMP`` is the as-of
day, so a run gives the same bytes every time.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .parse import EPOCH
from .reader import BatchInputError
from .targets import Partial

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def escape(text: str) -> str:
    r"""Text as an iCalendar TEXT value.

    >>> escape("Acme, Inc; a\\b\nnext")
    'Acme\\, Inc\\; a\\\\b\\nnext'
    """
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (continuations start with a space), CRLF-terminated.

    >>> fold("SUMMARY:" + "x" * 70).split("\\r\\n")[1]
    ' xxx'
    """
    if len(line) <= 75 and line.isascii():
        return line + "\r\n"
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out) + "\r\n"


def file_name(owner: str, taken: set[str]) -> str:
    """A file name for an owner's calendar, distinct from the names ``taken``."""
    stem = _UNSAFE.sub("_", owner).strip("._") or "unassigned"
    name, n = f"{stem}.ics", 2
    while name.lower() in taken:
        name, n = f"{stem}-{n}.ics", n + 1
    taken.add(name.lower())
    return name


class Calendars:
    """The owners' calendar files, written under ``NAME.partial`` and renamed together on success."""

    def __init__(self, folder: Path, owners: Sequence[str], as_of: datetime.date) -> None:
        self.stamp = f"DTSTAMP:{as_of:%Y%m%d}T000000Z"
        self.files: dict[str, Partial] = {}
        self.events: dict[str, int] = {}
        taken: set[str] = set()
        header = "".join(
            fold(line)
            for line in (
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//CS Playbook Library//Plays//EN",
                "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH",
            )
        )
        try:
            for owner in dict.fromkeys(owners):
                self.files[owner] = partial = Partial(folder / file_name(owner or "unassigned", taken))
                partial.handle.write(header)
                self.events[owner] = 0
        except BaseException:
            self.discard()
            raise

    def write(self, steps: pd.DataFrame) -> None:
        """Add one event per step (a :func:`~cslibrary.batch.plays.steps_frame`)."""
        if steps.empty:
            return
        days = (steps["date"].to_numpy(dtype="int64") - EPOCH).astype("datetime64[D]")
        starts = pd.Series(days).dt.strftime("%Y%m%d").tolist()
        ends = pd.Series(days + 1).dt.strftime("%Y%m%d").tolist()
        names = ("account", "playbook", "title", "offset", "priority", "reason", "step_owner", "action", "step")
        account, playbook, title, offset, priority, reason, step_owner, action, step = (steps[c].astype(str).tolist() for c in names)
        for owner, group in steps.groupby("owner", sort=False).indices.items():
            lines = []
            for i in np.asarray(group).tolist():
                digest = hashlib.sha1(account[i].encode("utf-8")).hexdigest()[:16]
                description = (
                    f"Playbook: {title[i]} ({offset[i]}; play {priority[i]} of the account)\n"
                    f"Why: {reason[i]}\nStep owner: {step_owner[i] or 'not set'}"
                )
                lines += [
                    "BEGIN:VEVENT",
                    f"UID:{digest}-{playbook[i]}-{step[i]}-{starts[i]}@cs-playbook-library",
                    self.stamp,
                    f"DTSTART;VALUE=DATE:{starts[i]}",
                    f"DTEND;VALUE=DATE:{ends[i]}",
                    "SUMMARY:" + escape(f"{account[i]}: {action[i]}"),
                    "DESCRIPTION:" + escape(description),
                    "TRANSP:TRANSPARENT",
                    "END:VEVENT",
                ]
            self.files[str(owner)].handle.write("".join(fold(line) for line in lines))
            self.events[str(owner)] += len(group)

    def commit(self) -> None:
        for partial in self.files.values():
            partial.handle.write(fold("END:VCALENDAR"))
            partial.commit()

    def discard(self) -> None:
        for partial in self.files.values():
            partial.discard()


def calendar_folder(path: str | None) -> Path | None:
    """The ``--ics-dir`` folder, made when missing (its parent must exist)."""
    if path is None:
        return None
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise BatchInputError(f"--ics-dir {path}: is a file, not a folder")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise BatchInputError(f"--ics-dir {path}: folder {folder.parent} does not exist")
        folder.mkdir()
    return folder


@contextlib.contextmanager
def calendars(folder: Path | None, owners: Sequence[str], as_of: datetime.date) -> Iterator[Calendars | None]:
    """The :class:`Calendars` of ``folder`` (``None`` without one): all committed on success, all discarded on error."""
    if folder is None:
        yield None
        return
    files = Calendars(folder, owners, as_of)
    try:
        yield files
    except BaseException:
        files.discard()
        raise
    files.commit()
