"""``python -m cslibrary``: validate the library and regenerate the files derived from it.

Commands (each takes ``--root DIR``, the repository root, by default the current folder
when it holds ``playbooks/``, else this checkout):

* ``validate`` — load and cross-check every file. Prints ``OK: …`` and exits 0, or prints
  every problem, one per line as ``file:line:col: field: message``, and exits 1. With
  ``GITHUB_ACTIONS=true`` it also prints ``::error file=…,line=…,col=…::`` annotations.
* ``schema`` — write ``schema/<name>.schema.json`` from the models; exits 1 when a file
  changed (``--check``: report only, write nothing).
* ``config`` — write ``calculators/defaults.json`` from the library; exits 1 when it
  changed or when the library is invalid (``--check``: report only).
* ``render OUTDIR`` — write the generated pages (Markdown with front matter) and the
  playbook exports into OUTDIR, for any static-site generator; exits 1 when the library
  is invalid. ``--links urls`` writes the links inside the pages' HTML as directory URLs
  (``../at-risk/``) instead of ``.md`` sources. All or nothing: the pages are written into
  a hidden folder next to OUTDIR that then replaces it as a whole, so a render that fails
  leaves OUTDIR as it was. OUTDIR belongs to the render: it must be new, empty or a
  previous render (only the page folders, ``playbooks/``, ``metrics/``…, holding ``.md``
  and ``.csv`` files); anything else, or a symbolic link at OUTDIR, is refused with exit 1
  and nothing written (:func:`cslibrary.render.write_pages`).

No command ever shows a traceback: an unexpected internal error prints one line and exits 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import model as m
from .model.loader import Problem, read_library

EXIT_OK, EXIT_PROBLEMS, EXIT_INTERNAL = 0, 1, 2
SCHEMAS: dict[str, type[m.Document]] = {
    "playbook": m.Playbook,
    "metric": m.Metric,
    "health-model": m.HealthModel,
    "segments": m.SegmentsFile,
    "roles": m.Roles,
    "stages": m.Stages,
    "events": m.EventsFile,
    "framework": m.Framework,
    "relationship-strength": m.RelationshipScale,
    "compensation": m.Compensation,
    "tech-stack": m.TechStack,
}
_DESCRIPTIONS = {
    "playbook": "A playbook: playbooks/library/<id>.yml",
    "metric": "A metric definition: playbooks/metrics/<id>.yml",
    "health-model": "The customer health model: playbooks/health-model.yml",
    "segments": "Coverage tiers, ratio table, scoring and transitions: playbooks/segments.yml",
    "roles": "The roles steps and playbooks name as owners: playbooks/roles.yml",
    "stages": "Journey stages, expansion stages and the operating model: playbooks/stages.yml",
    "events": "The events and account dates that playbooks' trigger rules name: playbooks/events.yml",
    "framework": "A framework of reference content (tables, steps, scales, checklists): playbooks/frameworks/<id>.yml",
    "relationship-strength": "The relationship strength scale, its criteria and gates: playbooks/relationship-strength.yml",
    "compensation": "The renewal incentive weights and payout cap: playbooks/compensation.yml",
    "tech-stack": "The CS tech budget split and when a CS platform is due: playbooks/tech-stack.yml",
}


def _default_root() -> Path:
    cwd = Path.cwd()
    return cwd if (cwd / "playbooks").is_dir() else Path(__file__).resolve().parent.parent


def _annotation(problem: Problem) -> str:
    def esc(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={esc(problem.path, True)}"
    if problem.line:
        where += f",line={problem.line},col={problem.col}"
    body = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return f"::error {where}::{esc(body)}"


def validate(root: Path) -> int:
    start = time.perf_counter()
    lib, problems = read_library(root)
    elapsed = (time.perf_counter() - start) * 1000
    if problems:
        for problem in problems:
            print(problem)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for problem in problems:
                print(_annotation(problem))
        files = len({p.path for p in problems})
        print(f"FAILED: {len(problems)} problem(s) in {files} file(s), checked in {elapsed:.0f} ms", file=sys.stderr)
        return EXIT_PROBLEMS
    counts = ", ".join(f"{n} {what}" for what, n in lib.counts().items())
    print(f"OK: {counts} checked in {elapsed:.0f} ms")
    return EXIT_OK


def schema_text(name: str) -> str:
    """The JSON Schema of one file kind, as committed under ``schema/``."""
    doc = SCHEMAS[name]
    body = doc.model_json_schema(by_alias=True, mode="validation")
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json", "title": body.pop("title", name)}
    head["description"] = _DESCRIPTIONS[name] + ". Generated by `python -m cslibrary schema` from cslibrary/model/; do not edit."
    return json.dumps({**head, **body}, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _sync(target: Path, text: str, write: bool) -> bool:
    """Whether ``target`` differs from ``text``; writes it when ``write``."""
    old = target.read_text(encoding="utf-8") if target.is_file() else None
    if old == text:
        return False
    if write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return True


def schema(root: Path, write: bool) -> int:
    changed = [name for name in SCHEMAS if _sync(root / "schema" / f"{name}.schema.json", schema_text(name), write)]
    for name in changed:
        print(f"{'updated' if write else 'stale'}: schema/{name}.schema.json")
    if not changed:
        print("schemas are current")
    return EXIT_PROBLEMS if changed else EXIT_OK


def _valid_library(root: Path, refusal: str) -> m.Library | None:
    """The library under ``root``, or None after printing its problems and ``refusal``."""
    lib, problems = read_library(root)
    if not problems:
        return lib
    for problem in problems:
        print(problem)
    print(f"{refusal}: fix the problems above first", file=sys.stderr)
    return None


def config(root: Path, write: bool) -> int:
    from .model.config_files import write_defaults

    if _valid_library(root, "calculators/defaults.json was not written") is None:
        return EXIT_PROBLEMS
    changed = write_defaults(root / "playbooks", root / "calculators" / "defaults.json", write=write)
    print(f"{'updated' if write else 'stale'}: calculators/defaults.json" if changed else "calculators/defaults.json is current")
    return EXIT_PROBLEMS if changed else EXIT_OK


def render(root: Path, outdir: Path, links: str = "md") -> int:
    from .model.calculator_config import config_from_model
    from .render import RenderError, render_pages, write_pages

    lib = _valid_library(root, f"nothing was written to {outdir}")
    if lib is None:
        return EXIT_PROBLEMS
    try:
        pages = render_pages(lib, config_from_model(lib))
        if links == "urls":
            from dataclasses import replace

            from .render.links import directory_urls

            pages = [replace(p, content=directory_urls(p.content, p.path)) if p.kind == "page" else p for p in pages]
        count = write_pages(pages, outdir)
    except RenderError as err:
        print(err)
        return EXIT_PROBLEMS
    except OSError as err:  # a full disk, a name the file system refuses: OUTDIR is as it was
        where = f" ({err.filename})" if err.filename else ""
        print(f"cannot write the pages{where}: {err.strerror or type(err).__name__}; {outdir} was left as it was", file=sys.stderr)
        return EXIT_INTERNAL
    print(f"wrote {count} files to {outdir}")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cslibrary", description="Validate the playbook library and regenerate the files derived from it."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("validate", "check every YAML file and cross-reference (fast; no site build)"),
        ("schema", "write schema/*.schema.json from the models (exit 1 when one changed)"),
        ("config", "write calculators/defaults.json from the library (exit 1 when it changed)"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("--root", type=Path, default=None, help="the repository root (holding playbooks/)")
        if name != "validate":
            cmd.add_argument("--check", action="store_true", help="report whether the file is stale; write nothing")
    text = "write the generated pages and exports to a folder, for any site generator"
    cmd = sub.add_parser("render", help=text, description=text)
    cmd.add_argument("outdir", type=Path, help="the folder to write into (created when missing)")
    cmd.add_argument(
        "--links",
        choices=("md", "urls"),
        default="md",
        help="links inside the pages' HTML: to the .md sources (md, the default) or to directory URLs such as ../at-risk/ (urls)",
    )
    cmd.add_argument("--root", type=Path, default=None, help="the repository root (holding playbooks/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        root = (args.root or _default_root()).resolve()
        if args.command == "validate":
            return validate(root)
        if args.command == "schema":
            return schema(root, write=not args.check)
        if args.command == "render":
            return render(root, args.outdir, args.links)
        return config(root, write=not args.check)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # the promise: one line, never a traceback
        print(f"internal error ({type(err).__name__}): {err}", file=sys.stderr)
        return EXIT_INTERNAL
