"""Task list check boxes named by their item's text.

pymdownx.tasklist (``custom_checkbox``) writes a task list item as an empty ``<label>`` around
the check box, then the item's text: a check box without a name, which axe-core rates critical
(its ``label`` rule) and a screen reader announces as "check box" alone. :func:`name_task_boxes`
moves the text that follows into the label, up to the end of the item or its paragraph, or the
first nested list, block or control; the page looks the same (Material draws the box from the
label's classes). Templates that write their own items (``macros/html.html``, ``task``) already
put the text inside.
"""

from __future__ import annotations

import re

_EMPTY_LABEL = re.compile(
    r'(<label class="task-list-control"><input\b[^>]*><span class="task-list-indicator"></span>)</label>'
    r"((?:(?!</?(?:li|p|ul|ol|div|table|pre|blockquote|details|label|input|select|textarea|button)\b).)*?)"
    r"(?=</li>|</p>|<(?:ul|ol|p|div|table|pre|blockquote|details)\b)",
    re.S,
)


def name_task_boxes(html: str) -> str:
    """``html`` with each task list item's text inside its check box's label."""
    if 'task-list-indicator"></span></label>' not in html:
        return html
    return _EMPTY_LABEL.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip()}</label>", html)
