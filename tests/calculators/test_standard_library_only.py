"""`calculators` must import and run with the standard library alone (it runs in Pyodide)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "calculators"


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "batch" not in p.relative_to(PACKAGE).parts]


def test_only_stdlib_imports_outside_batch() -> None:
    stdlib = set(sys.stdlib_module_names)
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                allowed = top in stdlib or top == "__future__"
                assert allowed, f"{path.relative_to(ROOT)} imports {name}"


def test_import_and_run_in_an_isolated_interpreter() -> None:
    """-I -S: no site-packages at all; only the stdlib and the package folder on the path."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import calculators; "
        "r = calculators.run('nrr_grr', {'starting_mrr': 100, 'expansion': 0, 'contraction': 0, 'churn': 0}); "
        "assert r['nrr'] == 100.0; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('yaml', 'pydantic', 'pandas', 'numpy', 'cslibrary')]; "
        "assert not bad, bad; print('ok')"
    )
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
