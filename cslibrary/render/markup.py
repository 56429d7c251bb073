"""Small builders for generated Markdown: page paths, relative links, tables, front matter.

Every function takes text that is already safe (escaped with :mod:`.escape`, or built
here from ids the model validated); none of them escapes again.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

# --- where each page lives (paths relative to the docs root) ---------------------------

PLAYBOOKS = "playbooks/index.md"
METRICS = "metrics/index.md"
SEGMENTS = "segments/index.md"
HEALTH = "model/health.md"
JOURNEY = "model/journey.md"
OPERATING_MODEL = "model/index.md"
ROLES = "model/roles.md"


def playbook_path(playbook_id: str) -> str:
    return f"playbooks/{playbook_id}.md"


def export_path(playbook_id: str, name: str) -> str:
    """An export file next to the playbook page (``/playbooks/<id>/<name>`` on the site)."""
    return f"playbooks/{playbook_id}/{name}"


def metric_path(metric_id: str) -> str:
    return f"metrics/{metric_id}.md"


def segment_path(segment_id: str) -> str:
    return f"segments/{segment_id}.md"


@lru_cache(maxsize=65536)
def _relpath(to_path: str, from_dir: str) -> str:
    return posixpath.relpath(to_path, from_dir)


def href(from_path: str, to_path: str, anchor: str = "") -> str:
    """The relative link from page ``from_path`` to file ``to_path`` (both docs-relative)."""
    target = _relpath(to_path, posixpath.dirname(from_path) or ".")
    return f"{target}#{anchor}" if anchor else target


def link(text: str, from_path: str, to_path: str, anchor: str = "") -> str:
    """A Markdown link; ``text`` must already be escaped."""
    return f"[{text}]({href(from_path, to_path, anchor)})"


# --- blocks ------------------------------------------------------------------------------


def front_matter(title: str, tags: Sequence[str] = (), **extra: object) -> str:
    """YAML front matter; values are written as JSON strings, which YAML reads back verbatim."""
    lines = ["---", f"title: {json.dumps(title)}"]
    if tags:
        lines.append("tags:")
        lines += [f"  - {json.dumps(tag)}" for tag in tags]
    lines += [f"{key}: {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join([*lines, "---", ""])


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> str:
    """A Markdown table; ``align`` holds one of ``l r c`` per column (default left)."""
    marks = {"l": "---", "r": "--:", "c": ":-:"}
    spec = [marks[a] for a in align.ljust(len(headers), "l")]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(spec) + " |"]
    out += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(out)


def bullets(items: Iterable[str], task: bool = False) -> str:
    mark = "- [ ] " if task else "- "
    return "\n".join(mark + item for item in items)


def indent(text: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def admonition(kind: str, title: str, body: str, collapsible: bool = False) -> str:
    """A Material admonition (``!!!``) or, with ``collapsible``, a closed details block."""
    opener = "???" if collapsible else "!!!"
    return f'{opener} {kind} "{title}"\n\n{indent(body)}'


def calculator_marker(name: str, inputs: Mapping[str, Any] | None = None) -> str:
    """The ``<!-- calculator: NAME -->`` marker, with the form's inputs as JSON when given.

    The JSON stays inside the HTML comment and survives Markdown: ``< > &`` and ``--`` are
    written as JSON unicode escapes (JSON reads them back as the same characters).

    >>> calculator_marker("rate", {"metric": "dau_mau", "numerator": 45, "denominator": 180})
    '<!-- calculator: rate {"metric": "dau_mau", "numerator": 45, "denominator": 180} -->'
    >>> calculator_marker("nps")
    '<!-- calculator: nps -->'
    """
    if not inputs:
        return f"<!-- calculator: {name} -->"
    text = json.dumps(dict(inputs), ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("--", "-\\u002d")
    return f"<!-- calculator: {name} {text} -->"


def join(*blocks: str) -> str:
    """Blocks separated by one blank line; empty blocks are dropped."""
    return "\n\n".join(b.strip("\n") for b in blocks if b and b.strip()) + "\n"
