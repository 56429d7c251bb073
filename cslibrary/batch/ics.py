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

import datetime
import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .outputs import Entries
from .parse import IntArray
from .plays import Rulebook
from .reader import BatchInputError
from .targets import Outputs, Partial

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
    >>> [len(part.encode()) for part in fold("SUMMARY:" + "é" * 80).split("\\r\\n")[:-1]]
    [74, 75, 21]
    """
    if line.isascii():
        if len(line) <= 75:
            return line + "\r\n"
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))]) + "\r\n"
    data, parts, start, limit = line.encode("utf-8"), [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # never inside a character
            cut -= 1
        parts.append(data[start:cut].decode("utf-8"))
        start, limit = cut, 74
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts) + "\r\n"


def _compact(days: IntArray) -> list[str]:
    """Day ordinals as ``YYYYMMDD`` (each distinct day written once)."""
    codes, uniques = pd.factorize(days)
    return list(np.array([datetime.date.fromordinal(d).strftime("%Y%m%d") for d in uniques.tolist()], dtype=object)[codes].tolist())


def file_name(owner: str, taken: set[str]) -> str:
    """A file name for an owner's calendar, distinct from the names ``taken``."""
    stem = _UNSAFE.sub("_", owner).strip("._") or "unassigned"
    name, n = f"{stem}.ics", 2
    while name.lower() in taken:
        name, n = f"{stem}-{n}.ics", n + 1
    taken.add(name.lower())
    return name


class Calendars:
    """The owners' calendar files, written under ``.NAME.*.partial`` and renamed with the run's other outputs (:func:`calendars`)."""

    def __init__(self, folder: Path, rules: Rulebook, as_of: datetime.date) -> None:
        self.rules = rules
        self.stamp = f"DTSTAMP:{as_of:%Y%m%d}T000000Z\r\n"
        owners = [str(o) for o in rules.owners.tolist()]
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

    def write(self, plays: Entries) -> None:
        """Add one event per first step of each play, owner by owner."""
        if not plays.playbook.size:
            return
        rules = self.rules
        codes, accounts = pd.factorize(plays.account)  # an account's plays share its name, escaped once
        names = np.array([escape(str(a)) for a in accounts], dtype=object)[codes]
        digests = np.array([hashlib.sha1(str(a).encode("utf-8")).hexdigest()[:16] for a in accounts], dtype=object)[codes]
        whys = np.array([escape(str(r)) for r in plays.reason.tolist()], dtype=object)
        for p, i, entries, days in plays.steps(rules):
            pid, steps = rules.ids[p], rules.steps[p]
            start, end = _compact(days), _compact(days + 1)
            uid, summary = f"-{pid}-{i + 1}-", escape(f": {steps.actions[i]}")
            head = "DESCRIPTION:" + escape(f"Playbook: {rules.titles[p]} ({steps.offsets[i]}; play ")
            middle = escape(" of the account)\nWhy: ")
            tail = escape(f"\nStep owner: {steps.owners[i] or 'not set'}")
            events = [
                "BEGIN:VEVENT\r\n"
                + fold("UID:" + digest + uid + day + "@cs-playbook-library")
                + self.stamp
                + f"DTSTART;VALUE=DATE:{day}\r\nDTEND;VALUE=DATE:{after}\r\n"
                + fold("SUMMARY:" + name + summary)
                + fold(head + str(position) + middle + why + tail)
                + "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
                for digest, day, after, name, position, why in zip(
                    digests[entries].tolist(),
                    start,
                    end,
                    names[entries].tolist(),
                    plays.position[entries].tolist(),
                    whys[entries].tolist(),
                    strict=True,
                )
            ]
            owner = str(rules.owners[p])
            self.files[owner].handle.write("".join(events))
            self.events[owner] += len(events)

    def finish(self) -> None:
        """End every calendar (before it is committed)."""
        for partial in self.files.values():
            partial.handle.write(fold("END:VCALENDAR"))

    def discard(self) -> None:
        for partial in self.files.values():
            partial.discard()


def calendar_folder(path: str | None) -> Path | None:
    """The ``--ics-dir`` folder, checked before the run (it is made by :func:`calendars` when missing; its parent must exist)."""
    if path is None:
        return None
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise BatchInputError(f"--ics-dir {path}: is a file, not a folder")
    if not folder.exists() and not folder.parent.is_dir():
        raise BatchInputError(f"--ics-dir {path}: folder {folder.parent} does not exist")
    return folder


def calendars(folder: Path | None, rules: Rulebook, as_of: datetime.date, outputs: Outputs) -> Calendars | None:
    """The :class:`Calendars` of ``folder`` (``None`` without one), part of the run's ``outputs``: committed
    with the worklist, errors file and report, or discarded with them (and ``folder`` too, if made for the run).
    Call :meth:`Calendars.finish` once every play is written."""
    if folder is None:
        return None
    if not folder.exists():
        try:
            folder.mkdir()
        except OSError as exc:
            raise BatchInputError(f"--ics-dir {folder}: cannot make the folder ({exc.strerror or exc})") from None
        outputs.made(folder)
    files = Calendars(folder, rules, as_of)
    outputs.join(list(files.files.values()))
    return files
