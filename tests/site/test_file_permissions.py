"""Regression: every file of the built site is readable by a web server running as another user.

The calculators zip and the snapshot were written through ``mkstemp`` (mode 0600), so nginx
on an intranet answered 403 for them and the calculators never started.
"""

from __future__ import annotations

import stat
from pathlib import Path


def test_every_built_file_is_world_readable(built_site: Path) -> None:
    private = [str(p.relative_to(built_site)) for p in built_site.rglob("*") if p.is_file() and not p.stat().st_mode & stat.S_IROTH]
    assert not private, f"not world-readable: {private[:10]}"
    assert any(built_site.glob("assets/py/calculators-*.zip"))
