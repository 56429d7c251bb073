"""A one-line progress bar on standard error (no third-party library).

Shown only when standard error is a terminal, or when asked for with ``--progress``; it is
redrawn at most a few times a second and ends with a newline, so a log keeps one last line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``update(fraction, rows)`` redraws the bar; ``close()`` finishes the line."""

    def __init__(self, label: str, *, enabled: bool | None = None, stream: TextIO | None = None, width: int = 28) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(self.stream.isatty()) if enabled is None else enabled
        self.label = label
        self.width = width
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, fraction: float, rows: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        fraction = min(max(fraction, 0.0), 1.0)
        filled = round(fraction * self.width)
        elapsed = int(now - self.start)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {fraction * 100:3.0f}%  {rows:,} rows  {elapsed // 60}:{elapsed % 60:02d}")
        self.stream.flush()
        self._shown = True

    def close(self, rows: int) -> None:
        if not self.enabled:
            return
        self.update(1.0, rows, force=True)
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
