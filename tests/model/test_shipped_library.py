"""The shipped library: every file loads, every cross-reference resolves, generated files are current."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from cslibrary import cli
from cslibrary.model import Library, Metric, Playbook
from cslibrary.model.calculator_config import config_from_data, config_from_model
from cslibrary.model.config_files import config_from_library
from cslibrary.model.loader import load_library, read_library
from cslibrary.model.rule import walk

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS = ROOT / "playbooks"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


def test_shipped_library_is_valid() -> None:
    _, problems = read_library(ROOT)
    assert problems == [], "\n".join(map(str, problems))


def test_validation_is_fast() -> None:
    start = time.perf_counter()
    read_library(ROOT)
    assert time.perf_counter() - start < 1.0


def test_validate_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cslibrary", "validate"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.fullmatch(r"OK: \d+ playbooks, \d+ metrics, .* checked in \d+ ms\n", proc.stdout)


def test_every_file_is_in_the_model(library: Library) -> None:
    assert sorted(library.playbook_paths.values()) == sorted(f"playbooks/library/{p.name}" for p in (PLAYBOOKS / "library").glob("*.yml"))
    assert sorted(library.metric_paths.values()) == sorted(f"playbooks/metrics/{p.name}" for p in (PLAYBOOKS / "metrics").glob("*.yml"))
    for pid, playbook in library.playbooks.items():
        assert playbook.source == library.playbook_paths[pid] == f"playbooks/library/{pid}.yml"
    assert library.health.source == "playbooks/health-model.yml"
    assert library.events.source == "playbooks/events.yml"


def test_every_playbook_has_a_trigger_rule(library: Library) -> None:
    assert len(library.playbooks) == 36
    assert [pid for pid, p in library.playbooks.items() if p.trigger.rule is None] == []


def test_events_vocabulary(library: Library) -> None:
    events = {e.id: e for e in library.events.events}
    required = {"contract_signed", "onboarding_complete", "champion_left", "executive_sponsor_left", "key_user_left", "nps_response"}
    required |= {"cancellation_request", "downgrade_request", "new_user", "expansion_signal"}
    assert required <= set(events)
    assert [(a.id, a.minimum, a.maximum) for a in events["nps_response"].attributes] == [("score", 0, 10)]
    assert {"renewal_date", "contract_start", "onboarding_complete"} <= {d.id for d in library.events.dates}


def test_health_band_plays_form_one_group(library: Library) -> None:
    """Each band's playbook is in the health_band group, and one of its health conditions is the band's range exactly."""
    for band in library.health.bands:
        rule = library.playbooks[band.playbook].trigger.rule
        assert rule is not None and rule.group == "health_band", band.playbook
        health = [c.model_dump(exclude_none=True) for _, c in walk(rule.when) if getattr(c, "metric", None) == "health_score"]
        bounds = {
            "metric": "health_score",
            **({"at_least": band.min} if band.min else {}),
            **({"below": band.max} if band.max < 100 else {}),
        }
        assert bounds in health, (band.id, health)
    grouped = {pid for pid, p in library.playbooks.items() if p.trigger.rule and p.trigger.rule.group == "health_band"}
    assert grouped == {b.playbook for b in library.health.bands}


def _fixed_ids(heading: str) -> set[str]:
    """The ids the README fixes under ``- **heading**:`` (up to the next bullet)."""
    text = (PLAYBOOKS / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"- \*\*{heading}\*\*[^:]*:(.*?)(?=\n- \*\*|\n## |\Z)", text, re.S)
    assert block, heading
    return set(re.findall(r"`([a-z0-9_-]+)`", block.group(1)))


def test_fixed_ids_exist(library: Library) -> None:
    assert set(library.roles) == _fixed_ids("roles")
    assert {t.id for t in library.segments.tiers} == _fixed_ids("segments")
    assert [s.id for s in library.stages.journey] == ["pre_sales", "onboarding", "adoption", "value", "renewal", "expansion", "advocacy"]
    assert _fixed_ids("metrics") <= set(library.metrics)
    assert _fixed_ids("playbooks") <= set(library.playbooks)


def _raw(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_config_is_the_yaml_unchanged(library: Library) -> None:
    """The model hands the calculators exactly what the YAML says (keys, shapes, ints stay ints)."""
    raw = config_from_data(
        _raw(PLAYBOOKS / "health-model.yml"),
        _raw(PLAYBOOKS / "segments.yml"),
        _raw(PLAYBOOKS / "stages.yml"),
        [_raw(p) for p in sorted((PLAYBOOKS / "metrics").glob("*.yml"))],
        [_raw(p) for p in sorted((PLAYBOOKS / "library").glob("*.yml"))],
        _raw(PLAYBOOKS / "events.yml"),
        {name: _raw(PLAYBOOKS / name) for name in ("relationship-strength.yml", "compensation.yml", "tech-stack.yml")},
        _raw(PLAYBOOKS / "roles.yml")["roles"],
    )
    ours = config_from_model(library)
    assert json.dumps(ours, sort_keys=True, default=str) == json.dumps(raw, sort_keys=True, default=str)
    assert config_from_library(PLAYBOOKS) == ours == config_from_library(ROOT)


def test_json_schemas_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "--check", "--root", str(ROOT)]) == 0, capsys.readouterr().out + "\nrun: python -m cslibrary schema"


def test_calculator_defaults_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "--check", "--root", str(ROOT)]) == 0, capsys.readouterr().out + "\nrun: python -m cslibrary config"


def test_yaml_files_point_at_their_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for schema, glob in settings.items():
        assert (ROOT / schema).is_file(), schema
        for path in ROOT.glob(glob):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            target = (path.parent / first.removeprefix("# yaml-language-server: $schema=")).resolve()
            assert target == (ROOT / schema).resolve(), f"{path}: {first}"


# --- the words people use: aliases and questions ("Find the right play in seconds") -----------------------------


def test_every_playbook_and_metric_says_the_words_people_use(library: Library) -> None:
    """Each playbook and metric lists ``aliases`` (upsell, customer wants to cancel) and ``questions`` (How do I
    run a QBR?): its page shows them under the title and search weighs them like the title."""
    docs: list[Playbook | Metric] = [*library.playbooks.values(), *library.metrics.values()]
    for doc in docs:
        where = doc.source
        assert doc.aliases and doc.questions, f"{where}: add aliases and questions"
        for words in (doc.aliases, doc.questions):
            folded = [" ".join(w.casefold().split()) for w in words]
            assert len(folded) == len(set(folded)), f"{where}: a phrase is listed twice"
        assert all(q.rstrip().endswith("?") for q in doc.questions), f"{where}: questions end with a question mark"
    # A phrase names one page: two pages answering "customer wants to cancel" would split the reader.
    owners: dict[str, list[str]] = {}
    for doc in docs:
        for phrase in {" ".join(w.casefold().split()) for w in [*doc.aliases, *doc.questions]}:
            owners.setdefault(phrase, []).append(doc.source)
    assert {p: s for p, s in owners.items() if len(s) > 1} == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("aliases", ["x" * 61], "is 61 characters long; keep it to 60"),
        ("questions", ["Why " + "y" * 97 + "?"], "is 102 characters long; keep it to 100"),
        ("aliases", [f"alias {n}" for n in range(13)], "at most 12 items"),
        ("questions", [f"Question {n}?" for n in range(9)], "at most 8 items"),
        ("aliases", ["<b>upsell</b>"], "may not hold HTML"),
        ("aliases", ["up\nsell"], "single line"),
        ("questions", ["   "], "must not be empty"),
        ("aliases", [360], "valid string"),
        ("aliases", "upsell", "valid list"),
    ],
)
def test_aliases_and_questions_are_short_plain_lines(field: str, value: Any, message: str) -> None:
    from pydantic import ValidationError

    from cslibrary.model.metric import Metric
    from cslibrary.model.playbook import Playbook

    for model, path in ((Playbook, PLAYBOOKS / "library" / "qbr.yml"), (Metric, PLAYBOOKS / "metrics" / "nrr.yml")):
        data = {**_raw(path), field: value}
        with pytest.raises(ValidationError, match=re.escape(message)):
            model.model_validate(data)
