"""Read one YAML file into plain data, the position of every key and value, and problems.

The reader is deliberately narrow, so that a file means what it looks like:

* Safe and plain: only text, numbers, ``true``/``false``, ``null``, lists and mappings.
  Any explicit tag (``!!python/object``, ``!!set``, ``!custom``) is an error.
* YAML 1.2 scalars: ``yes``/``no``/``on``/``off`` are text, not booleans; ``2026-01-05`` is
  text, not a date; ``1:30`` is text, not the base-60 number 90; ``012`` is text, not octal.
* No aliases (``*name``) or merge keys: each value is written out where it is used. Aliases
  make a reviewed diff lie about what changed, and a few lines of them can expand into
  billions of nodes (the "billion laughs" attack), so the reader stops at the first one.
* Duplicate keys are errors (YAML would silently keep the last one).
* A file over :data:`MAX_BYTES` is refused before it is read, and one nested deeper than
  :data:`MAX_DEPTH` levels is refused as soon as the reader gets there. The document is
  built from the parser's events without recursion, so no input can exhaust the stack.

Each problem is a :class:`Problem`; :func:`read_yaml` collects them and never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, printed as ``path:line:col: field: message`` (line 0: no position)."""

    path: str
    line: int = 0
    col: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Positions:
    """Where each value and key of one YAML file starts, by key path (``("steps", 2, "owner")``).

    Lines and columns count from 1. ``flow`` holds the paths of ``{…}`` mappings, where a
    comma inside unquoted text silently starts a new key.
    """

    values: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    flow: set[tuple[Any, ...]] = field(default_factory=set)

    def at(self, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """The position of ``path`` (its key with ``key=True``), or of its nearest ancestor."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


def _dotted(path: tuple[Any, ...]) -> str:
    """A key path as a problem's field name: ``steps[2].owner``."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            name = str(part) if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(part)) else repr(str(part))
            text += f".{name}" if text else name
    return text


class _Reader(_Base):  # type: ignore[misc]
    """SafeLoader with YAML 1.2 core scalars (see the module docstring)."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[Any]]] = {
        ch: [(tag, rx) for tag, rx in rules if tag.rsplit(":", 1)[-1] in ("null", "merge")]
        for ch, rules in _Base.yaml_implicit_resolvers.items()
    }


_Reader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Reader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Reader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*\.?[eE][-+]?[0-9]+|[0-9][0-9_]*\.|\.(?:inf|Inf|INF))$|^\.(?:nan|NaN|NAN)$"
    ),
    list("-+0123456789."),
)


class _Stop(Exception):
    """A problem that ends the reading of one file."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line: int = mark.line + 1 if mark is not None else 1
        self.col: int = mark.column + 1 if mark is not None else 1


@dataclass
class _File:
    path: str
    data: Any = None
    positions: Positions = field(default_factory=Positions)
    problems: list[Problem] = field(default_factory=list)


class _Open:
    """A list or mapping being filled in while the events stream past."""

    def __init__(self, value: list[Any] | dict[Any, Any], path: tuple[Any, ...]) -> None:
        self.value, self.path = value, path
        self.key: Any = _NO_KEY  # a mapping's pending key


_NO_KEY = object()


def _tag(reader: Any, event: Any, kind: type[yaml.Node]) -> str:
    tag = event.tag
    if tag is None or tag == "!":
        value = event.value if kind is yaml.ScalarNode else None
        tag = reader.resolve(kind, value, event.implicit if kind is yaml.ScalarNode else True)
    if tag not in _PLAIN_TAGS:
        short = str(tag).replace("tag:yaml.org,2002:", "!!")
        if short == "!!merge":
            raise _Stop(event.start_mark, "merge keys (<<) are not allowed: write the keys out in full")
        raise _Stop(
            event.start_mark, f"the tag {short!r} is not allowed: these files hold plain data (text, numbers, true/false, lists, mappings)"
        )
    return str(tag)


def _scalar(reader: Any, event: Any) -> Any:
    node = yaml.ScalarNode(_tag(reader, event, yaml.ScalarNode), event.value, event.start_mark, event.end_mark, event.style)
    return reader.construct_object(node)


def _put(top: _Open, value: Any) -> None:
    """Add a finished value to the open list or mapping."""
    if isinstance(top.value, list):
        top.value.append(value)
    else:
        top.value[top.key], top.key = value, _NO_KEY


def _compose(reader: Any, out: _File) -> Any:
    """Build the document from the parser's events, without recursion (no depth can crash it)."""
    reader.get_event()  # stream start
    if reader.check_event(yaml.StreamEndEvent):
        return None
    reader.get_event()  # document start
    stack: list[_Open] = []
    root: Any = None
    while not reader.check_event(yaml.DocumentEndEvent):
        event: Any = reader.get_event()
        top = stack[-1] if stack else None
        if isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            done = stack.pop()
            if stack:
                _put(stack[-1], done.value)
            else:
                root = done.value
            continue
        if isinstance(event, yaml.AliasEvent):
            raise _Stop(
                event.start_mark,
                "aliases (*name) are not allowed: write the value out in full (aliases hide what a change does and can explode in size)",
            )
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        if top is not None and isinstance(top.value, dict) and top.key is _NO_KEY:  # a key
            if not isinstance(event, yaml.ScalarEvent):
                raise _Stop(event.start_mark, "a key must be plain text, not a list or a mapping")
            key = _scalar(reader, event)
            if (*top.path, key) in out.positions.keys:
                first = out.positions.keys[(*top.path, key)][0]
                out.problems.append(
                    Problem(out.path, *mark, _dotted((*top.path, key)), f"duplicate key {key!r} (first written on line {first})")
                )
                key = _Duplicate()
            else:
                out.positions.keys[(*top.path, key)] = mark
            top.key = key
            continue
        path = () if top is None else (*top.path, len(top.value) if isinstance(top.value, list) else top.key)
        out.positions.values[path] = mark
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(reader, event)
            if top is None:
                root = value
            else:
                _put(top, value)
            continue
        if len(stack) >= MAX_DEPTH:
            raise _Stop(event.start_mark, f"nested more than {MAX_DEPTH} levels deep: these files are never that deep")
        is_map = isinstance(event, yaml.MappingStartEvent)
        _tag(reader, event, yaml.MappingNode if is_map else yaml.SequenceNode)
        if is_map and event.flow_style:
            out.positions.flow.add(path)
        stack.append(_Open({} if is_map else [], path))
    reader.get_event()  # document end
    if not reader.check_event(yaml.StreamEndEvent):
        raise _Stop(reader.peek_event().start_mark, "a second document ('---') in the file: keep one document per file")
    return _drop_duplicates(root)


class _Duplicate:
    """Stands in for a duplicate key (already reported) so its value is read and then dropped."""


def _drop_duplicates(value: Any) -> Any:
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            for key in [k for k in item if isinstance(k, _Duplicate)]:
                del item[key]
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return value


def _syntax(text: str, err: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Position and wording of a YAML syntax error, pointing at where the mistake starts."""
    mark = err.problem_mark or err.context_mark
    if err.context_mark and "end of stream" in str(err.problem):
        mark = err.context_mark  # an unclosed quote or bracket: point at where it opened
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = ": ".join(str(x) for x in (err.context, err.problem) if x) or "invalid YAML"
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source:
        col = source.index("\t") + 1
        message = "a tab character: YAML is indented with spaces only"
    elif "expected a single document" in message:
        message = "a second document ('---') in the file: keep one document per file"
    elif any(s in message for s in ("mapping values are not allowed", "expected <block end>", "did not find expected key")):
        message += " (check the indentation and the ':' after each key; quote text that contains ': ' or starts with a special character)"
    return line, col, f"YAML syntax error: {message}"


def read_yaml(file: Path, rel: str) -> _File:
    """Read one YAML file into plain data and positions; problems are collected, never raised."""
    out = _File(rel)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            out.problems.append(
                Problem(rel, 1, 1, "", f"the file is {size:,} bytes; files larger than {MAX_BYTES:,} bytes are refused unread")
            )
            return out
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        out.problems.append(Problem(rel, 1, 1, "", f"the file is not UTF-8 text ({err.reason} at byte {err.start})"))
        return out
    except OSError as err:
        out.problems.append(Problem(rel, 0, 0, "", f"cannot read the file: {err.strerror}"))
        return out
    reader = _Reader(text)
    try:
        out.data = _compose(reader, out)
    except _Stop as err:
        out.problems.append(Problem(rel, err.line, err.col, "", str(err)))
    except yaml.MarkedYAMLError as err:
        line, col, message = _syntax(text, err)
        out.problems.append(Problem(rel, line, col, "", message))
    except yaml.YAMLError as err:
        out.problems.append(Problem(rel, 1, 1, "", f"YAML error: {err}"))
    finally:
        reader.dispose()
    return out
