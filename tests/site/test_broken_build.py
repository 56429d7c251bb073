"""The site build refuses every broken fixture, naming the file, line and field.

The full ``mkdocs build --strict`` of a broken library is exercised once in
``test_build.py``; here the plugin's own ``on_config`` (the step that stops it)
runs against every fixture of ``tests/fixtures/broken/``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from cslibrary.site.plugin import LibraryPlugin
from tests.model.test_broken_files import CASES, build

HOOK = LibraryPlugin()


@pytest.mark.parametrize("case", CASES)
def test_build_stops_on_broken_fixture(case: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root, (expect,) = build(tmp_path, case)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text("site_name: broken\n", encoding="utf-8")
    config = load_config(config_file=str(root / "mkdocs.yml"))
    with caplog.at_level(logging.ERROR), pytest.raises(Abort) as stopped:
        HOOK.on_config(config)
    assert "nothing was built" in str(stopped.value)
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    where = f"{expect['file']}:{expect['line']}:" if expect["line"] else f"{expect['file']}:"
    hits = [line for line in logged if line.startswith(where) and expect["field"] in line and expect["message"] in line]
    assert hits, f"expected {where} … {expect['field']} … {expect['message']!r} in:\n" + "\n".join(logged)
    assert not any("Traceback" in line for line in logged)
