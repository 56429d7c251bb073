"""Page templates (cslibrary/render/templates): a team's folder replaces a layout, never the escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cslibrary.model import Library
from cslibrary.model.calculator_config import config_from_model
from cslibrary.model.loader import load_library
from cslibrary.render import Page, RenderError, markup, render_pages
from cslibrary.render.templating import TEMPLATES, Templates, environment

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guides" / "page-templates.md"
SCRIPT = "<script>alert(1)</script>"
LINK = "[x](javascript:alert(1))"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


@pytest.fixture(scope="module")
def shipped(library: Library) -> dict[str, Page]:
    return {p.path: p for p in render_pages(library, config_from_model(library))}


def with_title(library: Library, playbook_id: str, title: str) -> Library:
    """The library with one playbook's title replaced, past the model's validation (which refuses ``<``)."""
    playbooks = dict(library.playbooks)
    playbooks[playbook_id] = playbooks[playbook_id].model_copy(update={"title": title})
    return Library(**{**{name: getattr(library, name) for name in type(library).__dataclass_fields__}, "playbooks": playbooks})


def render(library: Library, folder: Path | None = None) -> dict[str, Page]:
    return {p.path: p for p in render_pages(library, config_from_model(library), templates=folder)}


def write(folder: Path, name: str, text: str) -> Path:
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return folder


def test_an_override_replaces_one_page_layout_and_nothing_else(library: Library, shipped: dict[str, Page], tmp_path: Path) -> None:
    folder = write(tmp_path, "roles.md", "---\ntitle: Roles\n---\n\n# Our roles\n{% for r in roles %}\n- {{ r.role.name }}\n{% endfor %}\n")
    pages = render(library, folder)
    names = "".join(f"- {role.name}\n" for role in library.roles.values())
    assert pages[markup.ROLES].content == f"---\ntitle: Roles\n---\n\n# Our roles\n{names}"
    assert {path: p for path, p in pages.items() if path != markup.ROLES} == {
        path: p for path, p in shipped.items() if path != markup.ROLES
    }


def test_an_override_can_extend_the_shipped_playbook_page(library: Library, shipped: dict[str, Page], tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        "playbook.html",
        '{% extends "default/playbook.html" %}\n{% block notes %}\n{{ heading(2, "Our notes") }}\n<p>Ask {{ owner|link }}.</p>\n{% endblock %}\n',
    )
    page, before = render(library, folder)[markup.playbook_path("qbr")], shipped[markup.playbook_path("qbr")]
    assert '<h2 id="our-notes">Our notes<a class="headerlink" href="#our-notes"' in page.content
    assert '<div class="cs-notes">' not in page.content and '<div class="cs-notes">' in before.content
    assert [h.name for h in page.headings] == [("Our notes" if h.name == "Notes" else h.name) for h in before.headings]
    cut = before.content.index('<div class="cs-links">')
    assert page.content.endswith(before.content[cut:]) and page.content.startswith(before.content[: before.content.index("<h2 id=")])


OVERRIDES = {
    "plain": "{{ playbook.title }}",
    "autoescape false": "{% autoescape false %}{{ playbook.title }}{% endautoescape %}",
    "e filter": "{{ playbook.title|e }}",
    "join": "{{ [playbook.title, title]|join(' ') }}",
    "concat": "{{ 'T: ' ~ playbook.title }}",
    "set block": "{% set t %}<b>{{ playbook.title }}</b>{% endset %}{{ t }}",
    "macro": "{% macro m(x) %}{{ x }}{% endmacro %}{{ m(playbook.title) }}",
    "string filters": "{{ playbook.title|string|replace('x', 'y')|trim|format }}",
}


@pytest.mark.parametrize("body", OVERRIDES.values(), ids=OVERRIDES.keys())
def test_an_override_cannot_turn_off_escaping_of_yaml_text(library: Library, tmp_path: Path, body: str) -> None:
    folder = write(tmp_path, "playbook.html", body + "\n")
    page = render(with_title(library, "qbr", SCRIPT), folder)[markup.playbook_path("qbr")]
    assert "<script" not in page.content and "&lt;script&gt;" in page.content


def test_markdown_overrides_escape_as_markdown(library: Library, tmp_path: Path) -> None:
    folder = write(tmp_path, "playbook-checklist.md", "# {{ playbook.title }} {{ [playbook.title]|join }} {{ playbook.title|e }}\n")
    text = render(with_title(library, "qbr", f"{LINK} {SCRIPT}"), folder)[markup.export_path("qbr", "checklist.md")].content
    assert not re.search(r"(?<!\\)\]\(", text) and "<script" not in text  # every ](…) is escaped: no link
    assert text.count(r"\[x\](javascript:alert(1)) &lt;script&gt;") == 3


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("playbook.html", "<h1>{{ playbook.title|safe }}</h1>", "the 'safe' filter is not available"),
        ("playbook.html", "{% filter safe %}{{ playbook.title }}{% endfilter %}", "the 'safe' filter is not available"),
        ("playbook.html", "{{ playbook.title|tojson }}", "the 'tojson' filter is not available"),
        ("roles.md", "{{ 'a' ~ roles }}", "'~' is not available in Markdown templates"),
    ],
)
def test_filters_that_would_print_text_unescaped_are_refused(library: Library, tmp_path: Path, name: str, body: str, message: str) -> None:
    folder = write(tmp_path, name, body + "\n")
    with pytest.raises(RenderError, match=re.escape(message)) as caught:
        render(library, folder)
    assert f"{folder / name}:1" in str(caught.value) or f"{name}:1" in str(caught.value)


def test_a_template_error_names_the_template_line_and_the_yaml_file(library: Library, tmp_path: Path) -> None:
    folder = write(tmp_path, "metric.md", "# {{ metric.name }}\n\n{{ no_such_variable }}\n")
    with pytest.raises(RenderError) as caught:
        render(library, folder)
    text = str(caught.value)
    assert text.startswith("playbooks/metrics/") and f"{folder / 'metric.md'}:3" in text and "no_such_variable" in text


def test_a_missing_templates_folder_is_an_error(library: Library, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="does not exist"):
        render(library, tmp_path / "nowhere")


def test_templates_are_compiled_once_per_folder(tmp_path: Path) -> None:
    assert environment(None) is environment(None) and environment(tmp_path) is environment(tmp_path)
    assert Templates().environment is Templates().environment
    assert environment(tmp_path) is not environment(None)


def test_every_shipped_template_is_in_the_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    names = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file())
    assert names, "no templates shipped"
    for name in names:
        assert f"`{name}`" in guide, f"{name} is not described in {GUIDE.relative_to(ROOT)}"


def test_a_template_added_to_the_folder_is_used_by_the_next_render(library: Library, shipped: dict[str, Page], tmp_path: Path) -> None:
    assert render(library, tmp_path)[markup.ROLES].content == shipped[markup.ROLES].content
    write(tmp_path, "roles.md", "---\ntitle: Roles\n---\n\n# Ours\n")
    assert render(library, tmp_path)[markup.ROLES].content == "---\ntitle: Roles\n---\n\n# Ours\n"
    (tmp_path / "roles.md").unlink()
    assert render(library, tmp_path)[markup.ROLES].content == shipped[markup.ROLES].content
