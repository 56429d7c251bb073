"""Every YAML text that reaches a page is data: payloads in every text field stay inert.

Each payload is written into every text field of every playbook, metric, segment tier,
role, journey stage and health band, and into every reference (owner, stage, segments…):
titles included, bypassing the model's validation, which refuses ``<`` in titles and
unknown ids. The renderer must hold on its own. The pages are rendered by
the render layer and converted to HTML with the same Markdown extensions as ``mkdocs.yml``;
no script, event handler or ``javascript:`` link may come out. One test builds a real site
with payloads that pass validation.
"""

from __future__ import annotations

import html.parser
import shutil
import typing
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from pydantic import BaseModel

from cslibrary.model import Library
from cslibrary.model.calculator_config import config_from_model
from cslibrary.model.loader import load_library
from cslibrary.render import Page, render_pages
from cslibrary.render.escape import is_safe_url, md_field, md_text, title_text
from tests.conftest import build_site

ROOT = Path(__file__).resolve().parents[2]

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "</title><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    '<div onmouseover="alert(1)">\n\n<script>alert(1)</script>\n\n</div>',
    "<!-- c --><iframe src=javascript:alert(1)></iframe>",
    "[y][ref]\n\n[ref]: javascript:alert(1)",
    "![i](javascript:alert(1))",
    "[z](JaVa&#115;cript:alert(1)) [w]( java\tscript:alert(1))",
    "<javascript:alert(1)> <https://example.org/x>",
    'Text {: onclick="alert(1)" } and *emphasis*',
    "# Heading {: onclick=alert(1) }\n\n```html\n<script>alert(1)</script>\n```",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]
#: Rendered through every page of the library (the others go through the escapers only, which is cheaper).
PAGE_PAYLOADS = [PAYLOADS[i] for i in (0, 1, 2, 3, 5, 7, 9, 11)]
BAD_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "link", "meta", "base", "form", "frame", "frameset"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}


# --- poisoning: the payload in every text field ------------------------------------------


def _is_text(annotation: Any, metadata: list[Any] | tuple[Any, ...] = ()) -> bool:
    """True when a field holds free text (the model's Text or Title), not an id or a literal."""
    if any(getattr(getattr(m, "func", None), "__name__", "") in ("_text", "_title") for m in metadata):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        return _is_text(args[0], args[1:])
    return False


def _poison(value: Any, annotation: Any, metadata: Any, payload: str, name: str) -> Any:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(value, BaseModel):
        return poison(value, payload)
    if name == "tags":
        return [payload]
    if name in ("show", "calculator"):  # a calculator and its output keys: a wrong one stops the build
        return value
    if _is_text(annotation, metadata):
        return payload
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        inner = next((a for a in args if a is not type(None)), None)
        return _poison(value, inner, (), payload, name) if (value is not None or _is_text(inner)) else value
    if origin is list and args:
        items = list(value) or ([payload] if _is_text(args[0]) else [])
        return [_poison(v, args[0], (), payload, name) for v in items]
    if origin is dict and len(args) == 2:
        entries = dict(value) or ({"k": [payload]} if _is_text(args[0]) else {})
        return {
            (f"{payload} {i}" if _is_text(args[0]) else k): _poison(v, args[1], (), payload, name)
            for i, (k, v) in enumerate(entries.items())
        }
    return value


def poison(obj: BaseModel, payload: str) -> Any:
    updates = {name: _poison(getattr(obj, name), f.annotation, f.metadata, payload, name) for name, f in type(obj).model_fields.items()}
    return obj.model_copy(update=updates)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


@pytest.fixture(scope="module")
def extensions() -> tuple[list[Any], dict[str, Any]]:
    """mkdocs.yml's Markdown extensions (entries that need Python objects are skipped)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    conf = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names: list[Any] = []
    configs: dict[str, Any] = {}
    for entry in conf["markdown_extensions"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if options and any(v is None for v in options.values()):
            continue
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


class _Audit(html.parser.HTMLParser):
    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.allowed = allowed

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BAD_TAGS - self.allowed:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name == "style" and (value or "").rstrip(";").strip() not in ("text-align: left", "text-align: right", "text-align: center"):
                self.problems.append(f"style={value!r} on <{tag}>")  # only the tables extension's alignment
            if name in URL_ATTRS and value is not None and not is_safe_url(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def audit_html(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    parser = _Audit(allowed)
    parser.feed(text)
    parser.close()
    return parser.problems


def to_html(page: Page, md: markdown.Markdown) -> str:
    body = page.content
    if body.startswith("---\n"):
        body = body.split("\n---\n", 1)[1]
    return md.reset().convert(body)


def poisoned_library(library: Library, payload: str) -> Library:
    return Library(
        health=poison(library.health, payload),
        segments=poison(library.segments, payload),
        roles={k: poison(v, payload) for k, v in library.roles.items()},
        stages=poison(library.stages, payload),
        metrics={k: poison(v, payload) for k, v in library.metrics.items()},
        playbooks={k: poison(v, payload) for k, v in library.playbooks.items()},
        metric_paths=library.metric_paths,
        playbook_paths=library.playbook_paths,
    )


# --- tests -------------------------------------------------------------------------------


def test_poisoning_reaches_every_kind_of_text_field(library: Library) -> None:
    lib = poisoned_library(library, "PAYLOAD")
    playbook = next(iter(lib.playbooks.values()))
    assert playbook.title == playbook.summary == playbook.timeline == playbook.trigger.description == playbook.notes == "PAYLOAD"
    assert playbook.steps[0].action == playbook.steps[0].goal == "PAYLOAD" and set(playbook.exit_criteria) == {"PAYLOAD"}
    assert playbook.escalation[0].condition == "PAYLOAD" and playbook.tags == ["PAYLOAD"]
    metric = lib.metrics["nrr"]
    assert metric.name == metric.definition == metric.formula == metric.cadence == metric.bands[0].meaning == "PAYLOAD"
    assert lib.segments.tiers[0].label == lib.segments.tiers[0].description == lib.roles["csm"].name == "PAYLOAD"


@pytest.mark.parametrize("payload", PAGE_PAYLOADS)
def test_payloads_in_every_text_field_stay_inert(library: Library, extensions: tuple[list[Any], dict[str, Any]], payload: str) -> None:
    pages = render_pages(poisoned_library(library, payload), config_from_model(library), edit_base="https://github.com/o/r/edit/main/")
    md = markdown.Markdown(extensions=extensions[0], extension_configs=extensions[1])
    for page in pages:
        if page.path.endswith(".csv"):
            continue
        problems = audit_html(to_html(page, md))
        assert not problems, f"{page.path}: {problems}"
        if page.kind == "page":
            meta = yaml.safe_load(page.content.split("\n---\n", 1)[0].removeprefix("---\n"))
            for text in [meta["title"], *meta.get("tags", [])]:
                assert not set(text) & set("<>&\"'"), f"{page.path}: unsafe title or tag {text!r}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escapers_alone(extensions: tuple[list[Any], dict[str, Any]], payload: str) -> None:
    for text in (md_text(payload), md_field(payload), f"# {md_text(title_text(payload))}"):
        out = markdown.markdown(text, extensions=extensions[0], extension_configs=extensions[1])
        assert not audit_html(out), (payload, out)
    assert "alert(1)" in markdown.markdown(md_text("<script>alert(1)</script>"))  # shown as text, not dropped


def test_markdown_fields_keep_their_formatting(extensions: tuple[list[Any], dict[str, Any]]) -> None:
    out = markdown.markdown(
        md_field("**Bold** and [a link](https://example.org) and [a page](../qbr.md)\n\n- item"), extensions=extensions[0]
    )
    assert "<strong>Bold</strong>" in out and 'href="https://example.org"' in out and 'href="../qbr.md"' in out and "<li>item</li>" in out
    assert 'href="mailto:cs@example.org"' in markdown.markdown(md_field("[mail](mailto:cs@example.org)"))


@pytest.mark.slow
def test_built_site_keeps_payloads_inert(tmp_path: Path) -> None:
    """A real strict build with payloads the validator accepts (Markdown and plain text fields)."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "__pycache__", ".*_cache", "bench"))
    if (ROOT / "node_modules").is_dir():
        (repo / "node_modules").symlink_to(ROOT / "node_modules")
    target = repo / "playbooks" / "library" / "at-risk.yml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    payload = '<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) {: onclick="alert(1)" }'
    data["summary"] = data["notes"] = payload
    # The description keeps its own words: it must state the numbers of the trigger's rule.
    data["trigger"]["description"] = f"{payload} {data['trigger']['description']}"
    data["steps"][0]["action"] = data["exit_criteria"][0] = data["escalation"][0]["condition"] = payload
    data["timeline"] = "</title><script>alert(1)</script>"
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = build_site(tmp_path / "site", cwd=repo, env={"SITE_URL": "http://127.0.0.1:9/"})
    page = (out / "playbooks" / "at-risk" / "index.html").read_text(encoding="utf-8")
    article = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    problems = audit_html(article, allowed=frozenset({"svg"}))  # Material's icons are inline SVG
    assert not problems, problems
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article  # shown as text
    assert "alert(1)" not in page.split("<article", 1)[0]  # nothing leaked into <head> or the title
