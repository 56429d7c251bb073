"""Parity: one case table, run on CPython here and inside Pyodide under Node, gives identical JSON.

Pyodide is the pinned ``node_modules/pyodide`` (Python 3.14); the package reaches it as the
very zip the site ships (:func:`cslibrary.site.pyodide.calculators_zip`). Each case's result (or
its error's field and rule) is compared as JSON text, and so is the page's view of every
successful case (``calculators.browser``: the form's fields in, the outputs' HTML out). The same
run is repeated from the start-up snapshot, and a corrupt snapshot must fall back to a normal
start.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import calculators
from cslibrary.site import pyodide

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "calculator_cases.json"
NODE_SCRIPT = ROOT / "tests" / "node" / "parity.mjs"

pytestmark = pytest.mark.node

# Runs unchanged on CPython (exec) and in Pyodide (tests/node/parity.mjs).
HARNESS = r"""
import json

import calculators
from calculators import browser


def main(job_text):
    job = json.loads(job_text)
    config = job["config"]
    config_text = json.dumps(config)
    out = []
    for case in job["cases"]:
        row = {"id": case["id"]}
        try:
            result = calculators.run(case["calculator"], case["inputs"], config)
            row["result"] = json.dumps(result, ensure_ascii=False)
            pairs = browser.pairs_from_inputs(case["calculator"], case["inputs"], config)
            request = json.dumps({"op": "compute", "name": case["calculator"], "pairs": pairs, "base": "../../"})
            row["page"] = browser.handle(request, config_text)
        except calculators.InputError as err:
            row["error"] = [err.field, err.rule]
        out.append(row)
    return json.dumps(out, ensure_ascii=False)
"""


def _cases() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    return data


def _cpython(job: dict[str, Any]) -> list[dict[str, Any]]:
    scope: dict[str, Any] = {}
    exec(HARNESS, scope)
    rows: list[dict[str, Any]] = json.loads(scope["main"](json.dumps(job)))
    return rows


def _node(job: dict[str, Any], tmp: Path) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is not on PATH (the parity tests need Node 18+)"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file(), "node_modules/pyodide is missing: run `npm ci`"
    path = tmp / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    proc = subprocess.run([node, str(NODE_SCRIPT), str(path)], capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, f"node failed:\n{proc.stderr[-3000:]}"
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


@pytest.fixture(scope="module")
def zip_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bundle") / "calculators.zip"
    path.write_bytes(pyodide.calculators_zip(ROOT / "calculators"))
    return path


@pytest.fixture(scope="module")
def snapshot_job(zip_path: Path) -> pyodide.SnapshotJob:
    """The build's snapshot and trimmed standard library for this package (made once, then taken from the cache)."""
    job = pyodide.SnapshotJob(pyodide.find_runtime(ROOT), zip_path.read_bytes(), ROOT / "node_modules" / ".cache" / "cs-calculators")
    assert job.wait() is not None, f"no snapshot: {job.error}"
    return job


@pytest.fixture(scope="module")
def snapshot_path(snapshot_job: pyodide.SnapshotJob) -> Path:
    return snapshot_job.path


@pytest.fixture(scope="module")
def job(zip_path: Path, config: dict[str, Any], snapshot_job: pyodide.SnapshotJob) -> dict[str, Any]:
    """Every case, run as the page runs them: with the trimmed standard library."""
    full = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
    return {
        "zip": str(zip_path),
        "python": HARNESS,
        "snapshot": None,
        "stdlib": str(snapshot_job.stdlib_path),
        "stdlib_modules": pyodide.stdlib_modules(full),
        "config": config,
        "cases": _cases(),
    }


@pytest.fixture(scope="module")
def expected(job: dict[str, Any]) -> list[dict[str, Any]]:
    return _cpython(job)


def test_case_table_covers_every_calculator_and_its_errors(config: dict[str, Any]) -> None:
    cases = _cases()
    assert {c["calculator"] for c in cases} >= set(calculators.names())
    for name in calculators.names():
        assert any(c["calculator"] == name and "error_field" not in c for c in cases), f"no good case for {name}"
    assert sum("error_field" in c for c in cases) >= 15
    for case in cases:
        try:
            calculators.run(case["calculator"], case["inputs"], config)
        except calculators.InputError as err:
            assert case.get("error_field") == err.field, f"{case['id']}: raised for {err.field}"
        else:
            assert "error_field" not in case, f"{case['id']}: expected an error on {case['error_field']}"


def _compare(expected: list[dict[str, Any]], got: list[dict[str, Any]]) -> None:
    assert [r["id"] for r in got] == [r["id"] for r in expected]
    for want, have in zip(expected, got, strict=True):
        assert have == want, f"{want['id']} differs between CPython and Pyodide"


def test_pyodide_matches_cpython(job: dict[str, Any], expected: list[dict[str, Any]], tmp_path: Path) -> None:
    out = _node(job, tmp_path)
    assert out["mode"] == "normal"
    assert out["python"].startswith("3.14"), out["python"]
    _compare(expected, json.loads(out["output"]))
    # The trimmed standard library holds everything the cases import: no full download.
    assert out["full_stdlib"] == [], out["full_stdlib"]


def test_a_module_outside_the_trimmed_stdlib_still_imports(job: dict[str, Any], tmp_path: Path) -> None:
    """The page's safety net: a standard module the build did not list comes from the full library."""
    import zipfile

    trimmed = set(zipfile.ZipFile(job["stdlib"]).namelist())
    assert "difflib.py" not in trimmed and "difflib.pyc" not in trimmed
    assert "json/__init__.pyc" in trimmed and "json/__init__.py" not in trimmed  # compiled at build time
    assert len(trimmed) < len(zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip").namelist()) / 2
    python = "def main(job):\n    import difflib\n    return difflib.get_close_matches('helth', ['health', 'wealth'])[0]\n"
    out = _node({**job, "python": python, "cases": []}, tmp_path)
    assert out["output"] == "health"
    assert out["full_stdlib"] == ["(loaded)"]


def test_snapshot_start_matches_cpython(job: dict[str, Any], expected: list[dict[str, Any]], snapshot_path: Path, tmp_path: Path) -> None:
    out = _node({**job, "snapshot": str(snapshot_path)}, tmp_path)
    assert out["mode"] == "snapshot", out["snapshot_error"]
    _compare(expected, json.loads(out["output"]))


@pytest.mark.parametrize("damage", ["truncated", "bad-magic"])
def test_broken_snapshot_falls_back_to_a_normal_start(
    job: dict[str, Any], expected: list[dict[str, Any]], snapshot_path: Path, tmp_path: Path, damage: str
) -> None:
    import gzip

    data = snapshot_path.read_bytes()
    if damage == "truncated":
        broken = data[: len(data) // 2]
    else:  # a valid gzip of a snapshot whose magic number is wrong: Pyodide itself must refuse it
        raw = bytearray(gzip.decompress(data))
        first = int.from_bytes(raw[16:20], "little")
        assert raw[:8] == b"CSNAP1\0\0" and first < 4, "the first piece holds the memory's first bytes"
        raw[24 : 28 - first] = bytes(4 - first)  # the memory's first four bytes, Pyodide's magic, made zero
        broken = gzip.compress(bytes(raw), compresslevel=1)
    path = tmp_path / "broken.snapshot.gz"
    path.write_bytes(broken)
    out = _node({**job, "snapshot": str(path), "cases": job["cases"][:5]}, tmp_path)
    assert out["mode"] == "normal"
    assert out["snapshot_error"]
    _compare(expected[:5], json.loads(out["output"]))


def test_the_zip_holds_the_package_and_nothing_else(zip_path: Path) -> None:
    import zipfile

    names = zipfile.ZipFile(zip_path).namelist()
    assert "calculators/__init__.py" in names and "calculators/browser.py" in names and "calculators/defaults.json" in names
    assert not [n for n in names if "/batch/" in n or "__pycache__" in n or n.endswith(".pyc")]
    assert pyodide.calculators_zip(ROOT / "calculators") == zip_path.read_bytes(), "the zip is not reproducible"


def test_the_snapshot_travels_without_its_zero_runs_and_unpacks_to_the_same_bytes(tmp_path: Path) -> None:
    """calculators-snapshot.js: pack leaves out runs of 4,096 zeros or more; unpack puts them back."""
    node = shutil.which("node")
    assert node
    script = tmp_path / "roundtrip.mjs"
    module = (ROOT / "docs" / "assets" / "javascripts" / "calculators-snapshot.js").as_uri()
    script.write_text(
        f"""import {{ pack, unpack }} from {json.dumps(module)};
const memory = new Uint8Array(50000);
for (let i = 0; i < 1000; i++) memory[i] = (i * 7) % 251 || 1;   // data
memory[5000] = 9;                                                  // 4,000 zeros after the data: the same piece
for (let i = 20000; i < 20100; i++) memory[i] = 3;
memory[20100 + 100] = 4;                                           // a short gap stays inside the piece
memory[49999] = 8;                                                 // the very last byte
const packed = pack(memory);
const back = unpack(packed);
let same = back.length === memory.length;
for (let i = 0; same && i < memory.length; i++) same = back[i] === memory[i];
let refused = false;
try {{ unpack(packed.subarray(0, packed.length - 1)); }} catch (err) {{ refused = true; }}
console.log(JSON.stringify({{ same, refused, packed: packed.length, pieces: new DataView(packed.buffer).getUint32(12, true) }}));
""",
        encoding="utf-8",
    )
    out = json.loads(subprocess.run([node, str(script)], capture_output=True, text=True, check=True).stdout)
    assert out["same"] and out["refused"], out
    assert out["pieces"] == 3 and out["packed"] == 16 + 3 * 8 + 5001 + 201 + 1, out  # 50,000 bytes travel as 5,243
