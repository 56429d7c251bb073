"""Build-time benchmark: the playbook library with N synthetic playbooks against plain sites.

Run by hand (``make bench`` runs it with the other benchmarks)::

    .venv/bin/python bench/site_build.py            # N = 100 and 1,000
    .venv/bin/python bench/site_build.py --sizes 100
    .venv/bin/python bench/site_build.py --sites library plain_not_in_nav

For each N it copies the repository into a temporary folder, adds N synthetic playbooks to
``playbooks/library/`` and runs ``mkdocs build --strict`` with the real ``mkdocs.yml``: the
``library`` site is the one that ships (hooks, tags, calculators, and every playbook, metric
and segment page in the navigation under its section and category, placed by the plugin,
whose group links are written once per build: ``cslibrary/site/navigation.py``). In the same
run it builds plain Markdown mkdocs-material sites with the same pages (one plain page per
library page, same folders, same word count, same theme, features and Markdown extensions):

* ``plain_default_nav``: MkDocs' default navigation, every page listed (quadratic);
* ``plain_not_in_nav``: the navigation of ``mkdocs.yml`` (index and overview pages, guides,
  calculators), ``not_in_nav`` for the rest: the library as it was before its pages joined
  the navigation;
* ``plain_sections``: the library's full navigation written out in ``nav:`` (every page in
  its section and category group, as the plugin places them), rendered by Material alone with
  ``navigation.prune``: the other way to give every page its place.

It prints build seconds and peak memory (RSS of the build process) for each, and the ratios
the issues set as goals:

* library(1,000) / library(100) <= 11   (linear growth)
* library / plain with default nav <= 1/3 at N = 1,000
* library / plain without the pages in the nav <= 1.5 at N = 1,000

It also times the shipped library (no synthetic playbooks). One build runs at a time. Each
site is built ``--repeat`` times (default 3), the sites taking turns, and the best time of
each is reported: on a shared machine even CPU seconds vary by half from run to run, and the
best of several is the figure least disturbed by other work.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cslibrary.model.calculator_config import config_from_model  # noqa: E402
from cslibrary.model.loader import load_library  # noqa: E402
from cslibrary.render import render_pages  # noqa: E402
from cslibrary.site.navigation import places  # noqa: E402

IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "__pycache__", ".*_cache", ".hypothesis", "bench", "tests")
CATEGORIES = ("lifecycle", "intervention", "operational", "campaign", "success_play")
STAGES = ("onboarding", "adoption", "value", "renewal", "expansion", "advocacy")
CHANNELS = ("email", "call", "video", "meeting", "internal", "cs_platform")
WORDS = [
    "account",
    "value",
    "adoption",
    "renewal",
    "health",
    "champion",
    "sponsor",
    "outcome",
    "usage",
    "review",
    "plan",
    "risk",
    "signal",
    "team",
    "goal",
    "milestone",
]
TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)


def _text(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words)).capitalize()


def synthetic_playbook(i: int) -> dict[str, object]:
    """A valid playbook of typical size (8 steps, 3 exit criteria, 2 escalation rules)."""
    return {
        "id": f"bench-{i:04d}",
        "title": f"Synthetic playbook {i}",
        "summary": _text(i, 40) + ".",
        "category": CATEGORIES[i % len(CATEGORIES)],
        "stage": STAGES[i % len(STAGES)],
        "segments": ["high_touch", "low_touch"] if i % 2 else ["tech_touch"],
        "trigger": {"type": "event", "description": _text(i + 1, 25) + "."},
        "owner": "csm",
        "timeline": "30 days",
        "offset_unit": "day",
        "steps": [
            {"at": d, "action": _text(i + d, 14), "owner": "csm", "channel": CHANNELS[d % len(CHANNELS)], "goal": _text(i + d + 1, 10)}
            for d in (0, 1, 3, 7, 10, 14, 21, 30)
        ],
        "exit_criteria": [_text(i + k, 9) for k in range(3)],
        "metrics": ["health_score", "nrr"],
        "automation": [_text(i + 5, 12)],
        "escalation": [{"condition": _text(i + k, 8), "action": _text(i + k + 2, 8), "owner": "cs_manager"} for k in range(2)],
        "related": ["at-risk", "qbr"],
        "tags": ["synthetic"],
        "notes": _text(i + 9, 50) + ".",
    }


def copy_repo(dest: Path) -> Path:
    repo = dest / "repo"
    shutil.copytree(ROOT, repo, ignore=IGNORE)
    if (ROOT / "node_modules").is_dir():
        (repo / "node_modules").symlink_to(ROOT / "node_modules")  # shares the Pyodide snapshot cache
    return repo


def add_playbooks(repo: Path, n: int) -> None:
    for i in range(n):
        data = synthetic_playbook(i)
        (repo / "playbooks" / "library" / f"{data['id']}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def words(text: str) -> int:
    """The words a reader sees: HTML tags and comments (the raw blocks' markup) are not words."""
    return len(TAG.sub(" ", text).split())


def library_pages(repo: Path) -> dict[str, int]:
    """Every Markdown page of the library site (generated and hand-written) and its word count."""
    library = load_library(repo)
    pages = {p.path: words(p.content) for p in render_pages(library, config_from_model(library)) if p.kind == "page"}
    for md in (repo / "docs").rglob("*.md"):
        pages[md.relative_to(repo / "docs").as_posix()] = words(md.read_text(encoding="utf-8"))
    return pages


def _nav_pages(nav: Any) -> list[str]:
    """The page paths a ``nav:`` setting lists, at any depth."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_pages(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_pages(item)]
    return []


def _with_places(nav: Any, found: dict[str, list[tuple[str, str]]]) -> Any:
    """``nav`` with each section whose index page has places followed by them, grouped as the plugin groups them."""
    if isinstance(nav, list):
        out: list[Any] = []
        for item in nav:
            out.append(_with_places(item, found))
        indexes = [p for p in out if isinstance(p, str) and p in found]
        for index in indexes:
            groups: dict[str, list[str]] = {}
            for group, path in found[index]:
                groups.setdefault(group, []).append(path)
            out += groups.pop("", [])
            out += [{group: paths} for group, paths in groups.items()]
        return out
    if isinstance(nav, dict):
        return {key: _with_places(value, found) for key, value in nav.items()}
    return nav


def plain_site(dest: Path, pages: dict[str, int], nav: str, library: Any = None) -> Path:
    """A plain Markdown site: the same pages and words, the library's theme settings and Markdown extensions.

    ``nav`` is ``default`` (every page listed by MkDocs), ``library`` (``mkdocs.yml``'s navigation,
    the other pages out of it) or ``sections`` (``mkdocs.yml``'s navigation with every generated
    page in its section and group, as ``cslibrary.site.navigation`` places them in ``library``).
    """
    site = dest / f"plain-{nav}"
    conf = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", "")) or {}
    theme = {k: v for k, v in conf["theme"].items() if k != "custom_dir"}
    for path, words in pages.items():
        target = site / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        paragraphs = [_text(len(path) + k, min(60, words - k * 60)) + "." for k in range(max(1, (words + 59) // 60))]
        target.write_text(
            f"# {Path(path).stem.replace('-', ' ').title()}\n\n" + "\n\n## Section\n\n".join(paragraphs) + "\n", encoding="utf-8"
        )
    config: dict[str, object] = {
        "site_name": "Plain site",
        "site_url": "http://127.0.0.1:8000/",
        "strict": True,
        "theme": theme,
        "plugins": ["search"],
        "markdown_extensions": conf["markdown_extensions"],  # the same Markdown set-up as the library
    }
    if nav == "library":
        config["nav"] = conf["nav"]  # the library's navigation: every page it lists exists here too
        config["not_in_nav"] = "\n".join(["*.md", *(f"!/{p}" for p in _nav_pages(conf["nav"]))])
    elif nav == "sections":
        found: dict[str, list[tuple[str, str]]] = {}
        for place in places(library):
            found.setdefault(place.index, []).append((place.group, place.path))
        config["nav"] = _with_places(conf["nav"], found)
        config["not_in_nav"] = "\n".join(["*.md", *(f"!/{p}" for p in _nav_pages(config["nav"]))])
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return site


def build(project: Path, out: Path, env: dict[str, str]) -> dict[str, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one ``mkdocs build --strict``.

    The build runs in its own process under a small probe process, so the probe's
    ``RUSAGE_CHILDREN`` describes that build alone. CPU seconds are the figure to compare on a
    busy machine: wall time also counts the time other processes held the CPU.
    """
    probe = (
        "import json, resource, subprocess, sys, time; t = time.perf_counter();"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "d = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "sys.stderr.write(r.stdout + r.stderr if r.returncode else '');"
        "print(json.dumps({'wall': d, 'cpu': u.ru_utime + u.ru_stime, 'mb': u.ru_maxrss / 1024})); sys.exit(r.returncode)"
    )
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)]
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"build of {project} failed:\n{proc.stderr[-3000:]}")
    return {k: round(v, 2) for k, v in json.loads(proc.stdout).items()}


SITES = ("library", "plain_default_nav", "plain_not_in_nav", "plain_sections")


def _line(label: str, m: dict[str, float]) -> str:
    return f"{label}  {m['wall']:7.2f} s wall  {m['cpu']:7.2f} s CPU  {m['mb']:6.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="builds of each site per size; the best is reported (default 3)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--sites", nargs="+", choices=SITES, default=list(SITES), help="the sites to build (default: all)")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/"}
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="cs-bench-") as tmp:
        base = Path(tmp)
        shipped = copy_repo(base / "shipped")
        build(shipped, base / "warm", env)  # warms the Pyodide snapshot cache and the OS file cache
        figures = build(shipped, base / "shipped-site", env)
        pages = library_pages(shipped)
        results["shipped"] = {"pages": len(pages), **figures}
        print(_line(f"shipped library: {len(pages)} pages", figures), flush=True)
        for n in args.sizes:
            work = base / f"n{n}"
            repo = copy_repo(work)
            add_playbooks(repo, n)
            pages = library_pages(repo)
            row: dict[str, Any] = {"pages": len(pages), "words": sum(pages.values())}
            projects: dict[str, Path] = {}
            for name in (s for s in SITES if s in args.sites):
                if name == "library":
                    projects[name] = repo
                else:
                    nav = {"plain_default_nav": "default", "plain_not_in_nav": "library", "plain_sections": "sections"}[name]
                    projects[name] = plain_site(work, pages, nav, load_library(repo) if nav == "sections" else None)
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in projects}
            for attempt in range(args.repeat):  # interleaved, so a busy spell slows every site alike
                for name, project in projects.items():
                    runs[name].append(build(project, work / f"{name}-site", env))
                    print(_line(f"N={n:>5}  {name:<18} run {attempt + 1}", runs[name][-1]), flush=True)
            for name in projects:
                row[name] = {key: min(r[key] for r in runs[name]) for key in ("wall", "cpu", "mb")}
                row[name]["runs"] = runs[name]
                print(_line(f"N={n:>5}  {name:<18} {len(pages):>5} pages {row['words']:>8} words, best", row[name]), flush=True)
            for key in ("wall", "cpu"):
                if "library" not in row:
                    break
                lib = row["library"][key]
                ratios = []
                for other in ("plain_default_nav", "plain_not_in_nav", "plain_sections"):
                    if other in row:
                        row[f"{key}_library_vs_{other.removeprefix('plain_')}"] = round(lib / row[other][key], 3)
                        ratios.append(f"library / {other} = {lib / row[other][key]:.2f}")
                print(f"N={n:>5}  {key:>4}: " + "   ".join(ratios))
            results[str(n)] = row
            shutil.rmtree(work, ignore_errors=True)
    sizes = sorted(args.sizes)
    if len(sizes) >= 2 and "library" in args.sites:
        for key in ("wall", "cpu"):
            small, large = (results[str(s)]["library"][key] for s in (sizes[0], sizes[-1]))
            results[f"{key}_growth"] = round(large / small, 2)
            print(f"{key:>4}: library N={sizes[-1]} / N={sizes[0]} = {large / small:.2f} (goal <= {sizes[-1] / sizes[0] * 1.1:.1f})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
