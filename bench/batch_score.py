"""Benchmark: ``python -m calculators score`` against a plain pandas read_csv + to_csv.

Run by hand (not part of the tests)::

    .venv/bin/python bench/batch_score.py                 # 1,000,000 accounts
    .venv/bin/python bench/batch_score.py --rows 200000 --keep /tmp/bench

It writes a synthetic book of accounts (account, arr, segment — a fifth left empty so the
scorer assigns it —, the six health components with about 5 % missing cells, renewal_date,
outcome, and a pass-through owner column), then runs, each in a fresh Python process:

* ``pandas``: ``pd.read_csv(f)`` then ``df.to_csv(out, index=False)``, the plain read and write;
* ``score``: ``python -m calculators score f --out out.csv --report report.html``;
* the same two with chunks of 100,000 rows (``read_csv(chunksize=…)`` appending with
  ``to_csv``, and ``score --chunksize 100000``).

Wall time is measured around each process; peak memory is the process's own maximum
resident set size, reported by the process itself at its end (``VmHWM`` from
``/proc/self/status``; ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` where there is no
``/proc``, which on Linux may include the forking parent's peak, hence the data is
generated in a child process too). Goals (issue 6): score ≤ 2.0 × the plain read + write, and peak memory with
``--chunksize 100000`` under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = ("product_usage", "engagement", "relationship", "support", "growth", "financial")
MARK = "@@bench@@"


def generate(path: Path, rows: int, seed: int = 6) -> None:
    """Write ``rows`` synthetic accounts to ``path``."""
    rng = np.random.default_rng(seed)
    arr = np.round(np.exp(rng.normal(10.0, 1.3, rows)), 2)
    segment = rng.choice(np.array(["high_touch", "low_touch", "tech_touch", ""], dtype=object), rows, p=[0.2, 0.3, 0.3, 0.2])
    frame = pd.DataFrame(
        {
            "account": pd.Series([f"ACC-{i:07d}" for i in range(rows)], dtype=object),
            "arr": arr,
            "segment": pd.Series(segment, dtype=object),
        }
    )
    base = rng.normal(65, 18, rows)
    for name in COMPONENTS:
        values = np.clip(np.round(base + rng.normal(0, 12, rows), 1), 0, 100)
        values[rng.random(rows) < 0.05] = np.nan
        frame[name] = values
    days = rng.integers(0, 730, rows)
    frame["renewal_date"] = (np.datetime64("2026-01-01") + days.astype("timedelta64[D]")).astype(str)
    churned = rng.random(rows) < np.clip((80 - base) / 100, 0.02, 0.9)
    frame["outcome"] = pd.Series(np.where(churned, "churned", "renewed"), dtype=object)
    frame["owner"] = pd.Series(rng.choice(np.array(["Ana", "Bo", "Chen", "Dee"], dtype=object), rows), dtype=object)
    frame.to_csv(path, index=False)


_PANDAS = """
import pandas as pd, sys
src, out, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
if chunk:
    with open(out, "w", newline="") as fh:
        for i, part in enumerate(pd.read_csv(src, chunksize=chunk)):
            part.to_csv(fh, index=False, header=i == 0)
else:
    pd.read_csv(src).to_csv(out, index=False)
"""

_SCORE = """
import sys
from cslibrary.batch.cli import main
code = main(sys.argv[1:])
"""

_REPORT = """
import json, resource
try:  # VmHWM: this process's own peak (ru_maxrss can carry over the forking parent's peak)
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("{mark}" + json.dumps({{"maxrss_kb": peak}}))
"""


def measure(code: str, args: list[str]) -> tuple[float, float]:
    """Run ``code`` in a fresh interpreter; return (wall seconds, peak RSS in MB)."""
    script = textwrap.dedent(code) + _REPORT.format(mark=MARK)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith(MARK))
    return wall, json.loads(line[len(MARK) :])["maxrss_kb"] / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunksize", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the fastest counts (default 3)")
    parser.add_argument("--keep", metavar="DIR", help="keep the files in DIR (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "accounts.csv"
        started = time.perf_counter()
        code = f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import batch_score; batch_score.generate(__import__('pathlib').Path(sys.argv[1]), int(sys.argv[2]))"
        subprocess.run([sys.executable, "-c", code, str(source), str(args.rows)], cwd=ROOT, check=True)
        size_mb = source.stat().st_size / 1e6
        print(f"{args.rows:,} accounts, {size_mb:,.0f} MB ({time.perf_counter() - started:.1f} s to generate) in {folder}")
        steps = {
            "pandas read_csv + to_csv": (_PANDAS, [str(source), str(folder / "plain.csv"), "0"]),
            "score": (_SCORE, ["score", str(source), "--out", str(folder / "scored.csv"), "--report", str(folder / "report.html")]),
            f"pandas, chunks of {args.chunksize:,}": (_PANDAS, [str(source), str(folder / "plain.csv"), str(args.chunksize)]),
            f"score --chunksize {args.chunksize}": (
                _SCORE,
                [
                    "score",
                    str(source),
                    "--out",
                    str(folder / "scored.csv"),
                    "--report",
                    str(folder / "report.html"),
                    "--chunksize",
                    str(args.chunksize),
                ],
            ),
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
        for _ in range(args.repeat):  # round-robin, so a busy moment on the machine hits every step alike
            for name, (code, argv) in steps.items():
                runs[name].append(measure(code, argv))
        results = {name: (min(r[0] for r in rs), max(r[1] for r in rs)) for name, rs in runs.items()}
        for name, (wall, peak) in results.items():
            print(f"  {name:<34} {wall:7.2f} s  {peak:8.0f} MB peak   (runs: {', '.join(f'{r[0]:.1f}' for r in runs[name])} s)")
    names = list(results)
    plain, score, plain_chunked, score_chunked = (results[n] for n in names)
    print("ratios (time):")
    print(f"  score / plain read+write                 {score[0] / plain[0]:.2f}   (goal ≤ 2.0)")
    print(f"  score --chunksize / plain read+write     {score_chunked[0] / plain[0]:.2f}")
    print(f"  score --chunksize / chunked read+write   {score_chunked[0] / plain_chunked[0]:.2f}")
    print("peak memory:")
    print(f"  score --chunksize {args.chunksize}: {score_chunked[1]:.0f} MB   (goal < 1024 MB)")
    print(f"  score, whole file: {score[1]:.0f} MB; plain read+write: {plain[1]:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
