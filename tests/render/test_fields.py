"""Markdown fields written into HTML pages (cslibrary/render/inline.py).

Plain prose skips Markdown (issue 4, build speed); these properties check that the shortcut
gives exactly what Python-Markdown gives, and that the fields stay as safe as on Markdown pages.
"""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cslibrary.render.escape import md_field
from cslibrary.render.inline import _BLOCK_START, FIELD_EXTENSION_CONFIGS, FIELD_EXTENSIONS, md_html, md_inline_html
from tests.conftest import site_markdown_extensions

# Prose, plus every character Markdown or HTML could act on, at any place in a line.
PROSE = st.sampled_from(["word", " ", "Another", ", ", ".", "9", "é", "(x)", "'", '"', "%", "/"])
MARKUP = st.sampled_from([*"-+*_#>=<&[]{}`\\|~!:\t\n", "  ", "1. ", "- ", "\n\n", "\x07", "](", "http://x.org"])
TEXT = st.lists(st.one_of(PROSE, PROSE, PROSE, MARKUP), max_size=25).map("".join)
#: One case per character or line start Markdown acts on.
CASES = ["a *b* c", "a _b_ c", "a `c` d", "[l](u.md)", "a &amp; b", "a \\*b", "# h", "> q", "1. x", "- x", "+ x", "* x"]
CASES += ["a\tb", "line\nline", "a ~~b~~", "a | b", "{x}", "<b>", "= x", "  - x", "a  \nb", "x\n===", "a \x07 b"]


def _slow_block(value: str) -> str:
    return markdown.Markdown(extensions=FIELD_EXTENSIONS, extension_configs=FIELD_EXTENSION_CONFIGS, output_format="html").convert(
        md_field(value)
    )


def _slow_inline(value: str) -> str:
    text = " ".join(md_field(value).split())
    text = _BLOCK_START.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), text)
    out = markdown.Markdown(output_format="html").convert(text)
    match = re.fullmatch(r"<p>(.*)</p>", out, re.S)
    return match.group(1) if match else out


CASES += ["***", "_ _ _", "- - -", "[r]: http://x.org", "[a](b.md): c"]


def test_an_inline_field_never_opens_a_block() -> None:
    """The trigger's description continues a line of the card: no rule, list, quote or vanishing reference."""
    for value in ("***", "_ _ _", "- - -", "# h", "> q", "1. x", "- x", "[r]: http://x.org"):
        out = md_inline_html(value)
        assert out and not re.search(r"<(hr|ul|ol|li|h\d|blockquote|p)\b", out), (value, out)


@pytest.mark.parametrize("value", CASES)
def test_each_markup_case_gives_what_markdown_gives(value: str) -> None:
    assert md_html(value) == _slow_block(value)
    assert md_inline_html(value) == _slow_inline(value)


@settings(max_examples=400)
@given(TEXT)
def test_a_field_gives_what_markdown_gives(value: str) -> None:
    assert md_html(value) == _slow_block(value)
    assert md_inline_html(value) == _slow_inline(value)


def test_fields_use_the_sites_markdown_extensions() -> None:
    """A field renders as it would on a Markdown page of the site (review finding: fenced code,
    ??? blocks and task lists in a playbook's notes had stopped working)."""
    names, configs = site_markdown_extensions()
    assert set(FIELD_EXTENSIONS) == set(names) - {"toc", "attr_list", "md_in_html"}
    assert {k: v for k, v in configs.items() if k in FIELD_EXTENSIONS} == FIELD_EXTENSION_CONFIGS
    assert "<pre" in md_html("```\ncode\n```") and "<details" in md_html('??? note "More"\n    Hidden')
    assert 'class="task-list-item"' in md_html("- [ ] call the sponsor")


def test_prose_and_markup_both_render() -> None:
    assert md_html("Plain words, nothing else (really).") == "<p>Plain words, nothing else (really).</p>"
    assert md_html("") == ""
    assert (
        md_html("**Bold** and [a link](https://example.com)") == '<p><strong>Bold</strong> and <a href="https://example.com">a link</a></p>'
    )
    assert md_html("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert "href" not in md_html("[x](javascript:alert(1))")
