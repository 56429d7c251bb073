"""Orientation on every page: the tab, the sidebar section with the page marked, the breadcrumb.

"Find the right play in seconds": each playbook, metric and segment page sits in the site's
navigation (:mod:`cslibrary.site.navigation`), so Material highlights its tab, shows its
section in the left sidebar (playbooks and metrics grouped by category) with the page marked,
and writes a breadcrumb (``navigation.path``). A group's links are written once per build
(``overrides/partials/nav-item.html``): these tests check they read as Material's would, and
that the two theme files the site overrides are Material's own apart from marked additions.
"""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from cslibrary.model import Library
from cslibrary.model.loader import load_library
from cslibrary.render import frameworks, labels
from cslibrary.site.navigation import Group, Place, add_to_nav, places

ROOT = Path(__file__).resolve().parents[2]
MATERIAL = Path(importlib.util.find_spec("material").origin or "").parent / "templates" / "partials"  # type: ignore[union-attr]
ADDITION = re.compile(r"[ \t]*\{#- library.*?/library -#\}\n", re.S)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


# --- the theme overrides -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nav-item.html", "path-item.html"])
def test_the_overridden_partials_are_materials_own_plus_marked_additions(name: str) -> None:
    ours = (ROOT / "overrides" / "partials" / name).read_text(encoding="utf-8")
    assert ADDITION.search(ours), f"{name}: no addition marked"
    assert ADDITION.sub("", ours) == (MATERIAL / name).read_text(encoding="utf-8"), (
        f"overrides/partials/{name} differs from the installed Material's outside its library blocks: "
        "copy Material's file again and put the blocks back"
    )


# --- the built site ------------------------------------------------------------------------


def _section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


def _links(fragment: str) -> list[tuple[str, str]]:
    """(href, text) of the links in an HTML fragment, whitespace collapsed."""
    found = re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', fragment, re.S)
    return [(html.unescape(href), " ".join(re.sub(r"<[^>]+>", " ", text).split())) for href, text in found]


def _orientation(site: Path, url: str) -> tuple[str, list[tuple[str, str]], str, list[tuple[str, str]], str]:
    """A page's active tab, the links of its sidebar's active group, its current link, its breadcrumb and primary sidebar tag."""
    text = (site / url / "index.html").read_text(encoding="utf-8")
    tab = " ".join(re.sub(r"<[^>]+>", " ", _section(text, "md-tabs__item--active", "</li>")).split()[1:])
    sidebar = _section(text, 'class="md-sidebar md-sidebar--primary"', 'class="md-sidebar md-sidebar--secondary"')
    current = re.findall(r'class="md-nav__link md-nav__link--active">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', sidebar, re.S)
    crumbs = _links(_section(text, '<nav class="md-path"', "</nav>"))
    tag = sidebar[: sidebar.index(">") + 1]
    return tab, _links(sidebar), current[-1] if current else "", crumbs, tag


def test_a_playbook_page_shows_its_tab_category_and_breadcrumb(built_site: Path, library: Library) -> None:
    playbook = library.playbooks["at-risk"]
    category = labels.label(labels.CATEGORIES, playbook.category)
    tab, sidebar, current, crumbs, tag = _orientation(built_site, "playbooks/at-risk")
    assert tab.startswith("Playbooks")
    assert current == playbook.title
    assert "hidden" not in tag  # the template asked for the full width; in the navigation it shows its section
    assert crumbs == [("../..", "Home"), ("../", "Playbooks"), (f"../?category={playbook.category}", category)]
    # Its category's other playbooks, by title, each once; the other categories one link each.
    same = sorted((p for p in library.playbooks.values() if p.category == playbook.category), key=lambda p: (p.title.lower(), p.id))
    expected = [(f"../{p.id}/", p.title) for p in same if p.id != "at-risk"]
    assert [link for link in sidebar if link in expected] == expected
    others = [
        labels.CATEGORIES[c]
        for c in labels.CATEGORIES
        if c != playbook.category and any(p.category == c for p in library.playbooks.values())
    ]
    assert [text for _, text in sidebar if text in others] == others
    foreign = {(f"../{p.id}/", p.title) for p in library.playbooks.values() if p.category != playbook.category}
    assert not foreign & set(sidebar)


def test_a_metric_page_shows_its_tab_category_and_breadcrumb(built_site: Path, library: Library) -> None:
    metric = library.metrics["nrr"]
    category = labels.label(labels.METRIC_CATEGORIES, metric.category)
    tab, sidebar, current, crumbs, _ = _orientation(built_site, "metrics/nrr")
    assert tab.startswith("Metrics") and current == "Net Revenue Retention (NRR)"
    anchor = crumbs[-1][0].split("#")[1]
    assert crumbs == [("../..", "Home"), ("../", "Metrics"), (f"../#{anchor}", category)]
    assert f'id="{anchor}"' in (built_site / "metrics" / "index.html").read_text(encoding="utf-8")
    same = sorted((m for m in library.metrics.values() if m.category == metric.category), key=lambda m: (m.name.lower(), m.id))
    assert [link for link in sidebar if link[0] in {f"../{m.id}/" for m in same}] == [
        (f"../{m.id}/", _title(built_site, m.id)) for m in same if m.id != "nrr"
    ]


def _title(site: Path, metric_id: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)<", (site / "metrics" / metric_id / "index.html").read_text(encoding="utf-8"))
    assert found
    return html.unescape(found.group(1)).strip()


def test_a_segment_page_shows_its_tab_section_and_breadcrumb(built_site: Path, library: Library) -> None:
    tiers = library.segments.tiers
    tab, sidebar, current, crumbs, _ = _orientation(built_site, f"segments/{tiers[0].id}")
    assert tab.startswith("Segments") and current == tiers[0].label
    assert crumbs == [("../..", "Home"), ("../", "Segments")]
    siblings = [(f"../{t.id}/", t.label) for t in tiers[1:]]
    assert [link for link in sidebar if link in siblings] == siblings


def test_a_framework_page_shows_its_tab_topic_and_breadcrumb(built_site: Path, library: Library) -> None:
    framework = library.frameworks["tech-stack"]
    topic = frameworks.TOPICS[framework.topic]
    tab, sidebar, current, crumbs, _ = _orientation(built_site, "frameworks/tech-stack")
    assert tab.startswith("Frameworks") and current == framework.title
    anchor = crumbs[-1][0].split("#")[1]
    assert crumbs == [("../..", "Home"), ("../", "Frameworks"), (f"../#{anchor}", topic)]
    assert f'id="{anchor}"' in (built_site / "frameworks" / "index.html").read_text(encoding="utf-8")
    same = [f for f in frameworks.ordered(library.frameworks) if f.topic == framework.topic and f.id != framework.id]
    assert [link for link in sidebar if link[0] in {f"../{f.id}/" for f in same}] == [(f"../{f.id}/", f.title) for f in same]


def test_the_index_pages_keep_every_category_folded(built_site: Path) -> None:
    """On the library index no playbook is listed in the sidebar: one link per category (a page stays small)."""
    text = (built_site / "playbooks" / "index.html").read_text(encoding="utf-8")
    sidebar = _section(text, 'class="md-sidebar md-sidebar--primary"', 'class="md-sidebar md-sidebar--secondary"')
    assert sidebar.count("md-nav__item--pruned") >= len(labels.CATEGORIES) - 1


# --- the navigation, object by object --------------------------------------------------------


def _config(tmp_path: Path) -> MkDocsConfig:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "Test", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    errors, _ = config.validate()
    assert not errors
    return config


def _nav(tmp_path: Path, sources: list[str], listed: list[str]) -> tuple[Navigation, Files, MkDocsConfig]:
    config = _config(tmp_path)
    files = Files([File(src, src_dir=None, dest_dir=config.site_dir, use_directory_urls=True) for src in sources])
    pages: dict[str, Page] = {}
    for src in sources:
        file = files.get_file_from_path(src)
        assert file is not None
        file.content_string = f"# {Path(src).stem.title()}\n"
        pages[src] = Page(None, file, config)
    index = Section("Playbooks", [pages[src] for src in listed])
    for page in index.children:
        page.parent = index
    return Navigation([index], [pages[src] for src in listed]), files, config


def test_pages_go_under_their_section_in_groups_and_stay_where_nav_lists_them(tmp_path: Path) -> None:
    sources = ["playbooks/index.md", "playbooks/a.md", "playbooks/b.md", "playbooks/c.md", "metrics/m.md"]
    nav, files, _ = _nav(tmp_path, sources, ["playbooks/index.md", "playbooks/c.md"])
    found = [
        Place("playbooks/a.md", "playbooks/index.md", "Lifecycle", "?category=lifecycle"),
        Place("playbooks/b.md", "playbooks/index.md", "Lifecycle", "?category=lifecycle"),
        Place("playbooks/c.md", "playbooks/index.md", "Campaign"),  # listed by nav: stays
        Place("metrics/m.md", "metrics/index.md", "Activity"),  # its index is not in the nav: out
    ]
    assert add_to_nav(nav, files, found) == ["playbooks/a.md", "playbooks/b.md"]
    section = nav.items[0]
    group = section.children[-1]
    assert isinstance(group, Group) and group.title == "Lifecycle" and group.parent is section
    assert group.library_url == "playbooks/?category=lifecycle"
    assert [p.file.src_uri for p in nav.pages] == ["playbooks/index.md", "playbooks/c.md", "playbooks/a.md", "playbooks/b.md"]
    a, b = group.children
    assert isinstance(a, Page) and isinstance(b, Page)
    assert a.next_page is b and b.previous_page is a and a.ancestors == [group, section]


def test_a_groups_links_read_as_materials_url_filter_writes_them(tmp_path: Path) -> None:
    sources = ["playbooks/index.md", "playbooks/a.md", "playbooks/b.md", "playbooks/c.md"]
    nav, files, config = _nav(tmp_path, sources, ["playbooks/index.md"])
    add_to_nav(nav, files, [Place(src, "playbooks/index.md", "Lifecycle") for src in sources[1:]])
    group = nav.items[0].children[-1]
    assert isinstance(group, Group)
    pages = [c for c in group.children if isinstance(c, Page)]
    for page in pages:
        page.read_source(config)
    for here in pages:
        before, position, after = group.library_links(here)
        assert position == pages.index(here) + 1
        expected = [(get_relative_url(p.url, here.url), str(p.title)) for p in pages if p is not here]
        assert _links(before + after) == expected
    outsider = nav.items[0].children[0]
    assert isinstance(outsider, Page)
    before, position, after = group.library_links(outsider)  # a page of another folder gets its own list
    assert position == 0 and after == ""
    assert _links(before) == [(get_relative_url(p.url, outsider.url), str(p.title)) for p in pages]


def test_a_group_of_one_page_is_that_page_alone(tmp_path: Path) -> None:
    nav, files, config = _nav(tmp_path, ["playbooks/index.md", "playbooks/a.md"], ["playbooks/index.md"])
    add_to_nav(nav, files, [Place("playbooks/a.md", "playbooks/index.md", "Campaign")])
    group = nav.items[0].children[-1]
    assert isinstance(group, Group) and isinstance(group.children[0], Page)
    group.children[0].read_source(config)
    assert group.library_links(group.children[0]) == ("", 1, "")


def test_places_group_playbooks_and_metrics_by_category_in_label_order(library: Library) -> None:
    found = places(library)
    playbook_groups = [p.group for p in found if p.index == "playbooks/index.md"]
    order = [labels.CATEGORIES[c] for c in labels.CATEGORIES]
    assert sorted(set(playbook_groups), key=order.index) == list(dict.fromkeys(playbook_groups))
    assert {p.group for p in found if p.index == "metrics/index.md"} <= set(labels.METRIC_CATEGORIES.values())
    assert [p.path for p in found if p.index == "segments/index.md"] == [f"segments/{t.id}.md" for t in library.segments.tiers]
    assert [p.path for p in found if p.index == "frameworks/index.md"] == [
        f"frameworks/{f.id}.md" for f in frameworks.ordered(library.frameworks)
    ]
    assert {p.group for p in found if p.index == "frameworks/index.md"} <= set(frameworks.TOPICS.values())
    assert len(found) == len(library.playbooks) + len(library.metrics) + len(library.segments.tiers) + len(library.frameworks)


def _every_generated_page() -> list[str]:
    from cslibrary.model.loader import load_library

    library = load_library(Path(__file__).resolve().parents[2])
    return (
        [f"playbooks/{pid}" for pid in sorted(library.playbooks)]
        + [f"metrics/{mid}" for mid in sorted(library.metrics)]
        + [f"segments/{t.id}" for t in library.segments.tiers]
        + [f"frameworks/{fid}" for fid in sorted(library.frameworks)]
    )


@pytest.mark.parametrize("url", _every_generated_page())
def test_every_playbook_metric_segment_and_framework_page_knows_where_it_is(built_site: Path, url: str) -> None:
    """The active tab is the page's section, the sidebar marks the page itself, and a breadcrumb leads back up."""
    tab, _, current, crumbs, tag = _orientation(built_site, url)
    section = {"playbooks": "Playbooks", "metrics": "Metrics", "segments": "Segments", "frameworks": "Frameworks"}[url.split("/")[0]]
    assert tab.startswith(section), (url, tab)
    heading = re.search(r"<h1[^>]*>(.*?)<", (built_site / url / "index.html").read_text(encoding="utf-8"), re.S)
    assert heading and current == html.unescape(heading.group(1)).strip(), (url, current)
    assert crumbs[:2] == [("../..", "Home"), ("../", section)], (url, crumbs)
    assert "hidden" not in tag, url
