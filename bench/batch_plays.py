"""Benchmark: ``python -m calculators plays`` against ``score`` on the same book of accounts.

Run by hand (not part of the tests)::

    .venv/bin/python bench/batch_plays.py                       # 100,000 and 1,000,000 accounts
    .venv/bin/python bench/batch_plays.py --rows 200000 --repeat 1 --keep /tmp/bench

It writes a synthetic book that both commands read: what ``score`` needs (account, arr,
segment — a fifth left empty so it is assigned —, the six health components with about 5 %
missing, renewal_date, outcome, a pass-through owner column) and the signals the library's
trigger rules read (``playbooks/``: stage; every metric and ``<metric>_change`` a rule names,
about a third of the cells empty; every account date and ``last_<playbook>`` a rule needs; every
event a rule names, present for about one account in ten within the last four months, with
``nps_response_score``). Then, each in a fresh Python process and round-robin ``--repeat``
times (the fastest run counts):

* ``score``: ``python -m calculators score f --out scored.csv``;
* ``plays``: ``python -m calculators plays f --as-of 2026-12-07 --out plays.csv``;
* the same two with ``--chunksize 100000``.

Goal (the plays issue): ``plays`` within 3 × the time of ``score`` on the same file. The
report and the calendar files are left out of the ratio (``--extras`` times them too).
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from batch_score import COMPONENTS, measure  # noqa: E402

AS_OF = datetime.date(2026, 12, 7)

_RUN = """
import sys
from cslibrary.batch.cli import main
code = main(sys.argv[1:])
if code:  # a failed run is not a measure
    raise SystemExit(code)
"""


def _conditions(cond: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for key in ("all", "any"):
        for part in cond.get(key, []):
            yield from _conditions(part)
    if "all" not in cond and "any" not in cond:
        yield cond


def _used(config: Mapping[str, Any]) -> dict[str, set[str]]:
    """The metrics, changes, events, dates and scheduled playbooks the configuration's rules read."""
    used: dict[str, set[str]] = {"metric": set(), "change": set(), "event": set(), "date": set(), "last": set()}
    for pid, playbook in config["playbooks"].items():
        rule = playbook.get("rule")
        if not rule:
            continue
        for cond in _conditions(rule["when"]):
            for kind in ("metric", "change", "event", "date"):
                if kind in cond:
                    used[kind].add(cond[kind])
            if "since" in cond:
                used["date"].add(cond["since"])
            if {"every_days", "every_months", "event", "date"} & set(cond):
                used["last"].add(f"last_{pid.replace('-', '_')}")
    used["metric"].discard("health_score")
    return used


def _days(rng: np.random.Generator, rows: int, low: int, high: int, empty: float) -> pd.Series:
    days = (np.datetime64(AS_OF.isoformat()) + rng.integers(low, high, rows).astype("timedelta64[D]")).astype(str).astype(object)
    days[rng.random(rows) < empty] = ""
    return pd.Series(days, dtype=object)


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write ``rows`` synthetic accounts with the signals of the library's rules to ``path``."""
    from cslibrary.model.config_files import load_config

    config = load_config(str(ROOT / "playbooks"))
    used = _used(config)
    rng = np.random.default_rng(seed)
    segment = rng.choice(np.array(["high_touch", "low_touch", "tech_touch", ""], dtype=object), rows, p=[0.2, 0.3, 0.3, 0.2])
    frame = pd.DataFrame(
        {
            "account": pd.Series([f"ACC-{i:07d}" for i in range(rows)], dtype=object),
            "arr": np.round(np.exp(rng.normal(10.0, 1.3, rows)), 2),
            "segment": pd.Series(segment, dtype=object),
            "stage": pd.Series(rng.choice(np.array(["", *(s["id"] for s in config.get("stages", []))], dtype=object), rows), dtype=object),
        }
    )
    base = rng.normal(65, 18, rows)
    for name in COMPONENTS:
        values = np.clip(np.round(base + rng.normal(0, 12, rows), 1), 0, 100)
        values[rng.random(rows) < 0.05] = np.nan
        frame[name] = values
    frame["renewal_date"] = _days(rng, rows, -30, 700, 0.0)
    frame["outcome"] = pd.Series(np.where(rng.random(rows) < 0.15, "churned", "renewed"), dtype=object)
    frame["owner"] = pd.Series(rng.choice(np.array(["Ana", "Bo", "Chen", "Dee"], dtype=object), rows), dtype=object)
    for metric in sorted(used["metric"] | used["change"]):
        values = np.round(rng.uniform(0, 100, rows), 1)
        values[rng.random(rows) < 0.35] = np.nan
        frame[metric] = values
    for metric in sorted(used["change"]):
        changes = np.round(rng.normal(0, 20, rows), 1)
        changes[rng.random(rows) < 0.35] = np.nan
        frame[f"{metric}_change"] = changes
    for key in sorted(used["date"] - {"renewal_date"}):
        frame[key] = _days(rng, rows, -900, 30, 0.3)
    for key in sorted(used["last"]):
        frame[key] = _days(rng, rows, -400, 0, 0.5)
    for event in sorted(used["event"]):
        frame[event] = _days(rng, rows, -120, 1, 0.9)
        if event == "nps_response":
            scores = rng.integers(0, 11, rows).astype(str).astype(object)
            scores[frame[event].to_numpy() == ""] = ""
            frame["nps_response_score"] = pd.Series(scores, dtype=object)
    frame.to_csv(path, index=False)


def _steps(source: Path, folder: Path, chunksize: int, extras: bool) -> dict[str, tuple[str, list[str]]]:
    score = ["score", str(source), "--out", str(folder / "scored.csv"), "--allow-errors"]
    plays = ["plays", str(source), "--as-of", AS_OF.isoformat(), "--out", str(folder / "plays.csv"), "--allow-errors"]
    chunk = ["--chunksize", str(chunksize)]
    steps = {
        "score": (_RUN, score),
        "plays": (_RUN, plays),
        f"score --chunksize {chunksize}": (_RUN, score + chunk),
        f"plays --chunksize {chunksize}": (_RUN, plays + chunk),
    }
    if extras:
        steps["plays --report --ics-dir"] = (_RUN, [*plays, "--report", str(folder / "plays.html"), "--ics-dir", str(folder / "ics")])
    return steps


def _generate(source: Path, rows: int) -> None:
    """Write the book in a child process (so the parent's memory peak stays out of the measures)."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import batch_plays; "
        "batch_plays.generate(__import__('pathlib').Path(sys.argv[1]), int(sys.argv[2]))"
    )
    subprocess.run([sys.executable, "-c", code, str(source), str(rows)], cwd=ROOT, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--chunksize", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the fastest counts (default 3)")
    parser.add_argument("--extras", action="store_true", help="also time plays with --report and --ics-dir")
    parser.add_argument("--keep", metavar="DIR", help="keep the files in DIR, and use a book already there (default: a temporary folder)")
    args = parser.parse_args()
    summary = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for rows in args.rows:
            source = folder / f"accounts-{rows}.csv"
            started = time.perf_counter()
            kept = bool(args.keep) and source.is_file()  # a kept folder's book is used again
            if not kept:
                _generate(source, rows)
            columns = len(pd.read_csv(source, nrows=0).columns)
            made = "kept from an earlier run" if kept else f"{time.perf_counter() - started:.1f} s to generate"
            print(f"{rows:,} accounts, {columns} columns, {source.stat().st_size / 1e6:,.0f} MB ({made})")
            steps = _steps(source, folder, args.chunksize, args.extras)
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
            for _ in range(args.repeat):  # round-robin, so a busy moment on the machine hits every step alike
                for name, (script, argv) in steps.items():
                    runs[name].append(measure(script, argv))
            best = {name: (min(r[0] for r in rs), max(r[1] for r in rs)) for name, rs in runs.items()}
            for name, (wall, peak) in best.items():
                print(f"  {name:<30} {wall:7.2f} s  {peak:8.0f} MB peak   (runs: {', '.join(f'{r[0]:.1f}' for r in runs[name])} s)")
            whole = best["plays"][0] / best["score"][0]
            chunked = best[f"plays --chunksize {args.chunksize}"][0] / best[f"score --chunksize {args.chunksize}"][0]
            print(f"  plays / score: {whole:.2f} (whole file), {chunked:.2f} (--chunksize {args.chunksize})   goal ≤ 3.0")
            summary.append((rows, whole, chunked))
    print("ratios (plays / score, time):")
    for rows, whole, chunked in summary:
        print(f"  {rows:>10,} rows   {whole:.2f} whole   {chunked:.2f} chunked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
