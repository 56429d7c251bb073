"""Task list check boxes carry their item's text as their name (axe-core's ``label`` rule)."""

from __future__ import annotations

import re

from cslibrary.render.inline import md_html
from cslibrary.render.tasklist import name_task_boxes

LABELLED = re.compile(
    r'<label class="task-list-control"><input\b[^>]*><span class="task-list-indicator"></span> ([^<]*(?:<(?!/label>)[^<]*)*)</label>'
)


def test_each_item_text_moves_into_its_label() -> None:
    html = name_task_boxes(md_html("- [ ] call the *sponsor* [today](https://example.com)\n- [x] done\n    - [ ] nested"))
    names = LABELLED.findall(html)
    assert names == ['call the <em>sponsor</em> <a href="https://example.com">today</a>', "done", "nested"], html
    assert "</span></label>" not in html


def test_a_paragraph_item_keeps_its_other_paragraphs_outside() -> None:
    html = name_task_boxes(md_html("- [ ] first\n\n    more text\n\n- [ ] second"))
    assert LABELLED.findall(html) == ["first", "second"], html
    assert "<p>more text</p>" in html


def test_html_without_empty_labels_is_unchanged() -> None:
    for html in (
        "<p>no list</p>",
        '<ul class="task-list"><li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled/><span class="task-list-indicator"></span> named</label></li></ul>',
    ):
        assert name_task_boxes(html) == html
