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
* A number beyond ±:data:`MAX_NUMBER` is an error.
* A file over :data:`MAX_BYTES` is refused before it is read, and one nested deeper than
  :data:`MAX_DEPTH` levels is refused as soon as the reader gets there. The document is
  built from the parser's events without recursion, so no input can exhaust the stack.
  A key longer than :data:`MAX_KEY` characters is refused: keys are field names and ids.
* Only a regular file is read: a symbolic link (which could point anywhere, ``/etc/passwd``)
  or anything else that is not a plain file (a folder, a FIFO, a device) is refused unread,
  and the file is opened without following a link swapped in meanwhile.

Each problem is a :class:`Problem`; :func:`read_yaml` collects them and never raises.

A problem quotes at most the offending token of the file, never a whole line of it
(:func:`quote`: at most :data:`QUOTE_MAX` characters), and is always one line: control
characters and line breaks in its text are printed as escapes (``\\n``), and a message is
cut at :data:`MESSAGE_MAX` characters. Library files may be contributed by anyone opening a
pull request, and the problems land in public CI logs.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
#: The largest number the reader accepts (either sign): beyond it a number is a typo or an
#: attack (an integer of 400 digits cannot even be turned into a float to be compared).
MAX_NUMBER = 1e15
#: The longest key the reader accepts: keys are field names and ids (at most 64 characters).
MAX_KEY = 64
#: The most characters of a file's text a problem quotes (:func:`quote`).
QUOTE_MAX = 40
#: The longest message a problem prints; the rest is cut (lists of known ids in a big library).
MESSAGE_MAX = 1_000


def clip(text: object, limit: int = QUOTE_MAX) -> str:
    """``text`` cut to ``limit`` characters (the last one ``…`` when cut).

    >>> clip("x" * 50, 10)
    'xxxxxxxxx…'
    """
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(value: object, limit: int = QUOTE_MAX) -> str:
    """A value of the file as a problem quotes it: in quotes, at most ``limit`` characters of
    it, control characters escaped. The offending token, never a whole line of the file.

    >>> quote("ghost\\n")
    "'ghost\\\\n'"
    >>> len(quote("root:x:0:0:root:/root:/bin/bash " * 10))
    42
    """
    return repr(clip(value, limit))


def _one_line(text: str) -> str:
    """``text`` with every character that is not printable (a line break, a control character,
    a direction override) written as its escape: one line, as it reads."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, printed as ``path:line:col: field: message`` (line 0: no position).

    >>> print(Problem("playbooks/roles.yml", 4, 7, "roles[1].id", "is required"))
    playbooks/roles.yml:4:7: roles[1].id: is required
    >>> print(Problem("playbooks/segments.yml", message="the file is missing"))
    playbooks/segments.yml: the file is missing
    """

    path: str
    line: int = 0
    col: int = 0
    field: str = ""
    message: str = ""

    def __post_init__(self) -> None:
        # One problem, one line: a file name or key holding a line break cannot forge a second
        # problem (or a CI annotation), and no message runs on for pages.
        object.__setattr__(self, "path", _one_line(self.path))
        object.__setattr__(self, "field", _one_line(clip(self.field, 200)))
        object.__setattr__(self, "message", _one_line(clip(self.message, MESSAGE_MAX)))

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
            name = str(part) if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]{0,63}", str(part)) else quote(part)
            text += f".{name}" if text else name
    return text


class _Reader(_Base):  # type: ignore[misc]  # the base is picked at run time (libyaml's CSafeLoader when built)
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

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.line: int = mark.line + 1 if mark is not None else 1
        self.col: int = mark.column + 1 if mark is not None else 1


@dataclass
class _File:
    path: str
    data: Any = None
    positions: Positions = field(default_factory=Positions)
    problems: list[Problem] = field(default_factory=list)


_NO_KEY = object()


def _tag(reader: _Reader, event: Any, kind: type[yaml.Node]) -> str:
    tag = event.tag
    if tag is None or tag == "!":
        value = event.value if kind is yaml.ScalarNode else None
        tag = reader.resolve(kind, value, event.implicit if kind is yaml.ScalarNode else True)
    if tag not in _PLAIN_TAGS:
        short = str(tag).replace("tag:yaml.org,2002:", "!!")
        if short == "!!merge":
            raise _Stop(event.start_mark, "merge keys (<<) are not allowed: write the keys out in full")
        raise _Stop(
            event.start_mark,
            f"the tag {quote(short)} is not allowed: these files hold plain data (text, numbers, true/false, lists, mappings)",
        )
    return str(tag)


def _scalar(reader: _Reader, event: Any) -> Any:
    """A tagged scalar, built and checked the way PyYAML does it (the rare, slow path)."""
    node = yaml.ScalarNode(_tag(reader, event, yaml.ScalarNode), event.value, event.start_mark, event.end_mark, event.style)
    return reader.construct_object(node)


_RULES = _Reader.yaml_implicit_resolvers  # by first character; the reader has no wildcard rules
_INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("int", "bool", "null"))


def _plain(reader: _Reader, event: Any) -> Any:
    """An untagged plain scalar, as ``_scalar`` would build it but without a node: the first
    rule of :class:`_Reader` that matches gives its type, and none leaves it text."""
    text = event.value
    for tag, rule in _RULES.get(text[:1], ()):
        if rule.match(text):
            if tag == _INT:  # the rule leaves no octal, hex or base 60: only digits and "_"
                return int(text.replace("_", ""))
            if tag == _BOOL:
                return text.lower() == "true"
            if tag == _NULL:
                return None
            _tag(reader, event, yaml.ScalarNode)  # refuses a merge key (<<)
            return reader.yaml_constructors[tag](reader, yaml.ScalarNode(tag, text))  # a float
    return text


def _checked(value: Any, start: yaml.Mark, text: str) -> Any:
    """``value``, unless it is a finite number beyond :data:`MAX_NUMBER` (an infinity is left
    for the model, which says the number must be finite)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER and value - value == 0:
        raise _Stop(start, f"the number {quote(text)} is out of range: numbers in these files stay within ±{MAX_NUMBER:,.0f}")
    return value


def _compose(reader: _Reader, out: _File) -> Any:
    """Build the document from the parser's events, without recursion (no depth can crash it).

    It runs once per event of every file, so the open list or mapping (``into``, at ``path``,
    with a mapping's pending ``key``) is kept in locals and its parents on ``stack``."""
    get = reader.get_event
    get()  # stream start
    if reader.check_event(yaml.StreamEndEvent):
        return None
    get()  # document start
    keys, values, rules = out.positions.keys, out.positions.values, _RULES
    stack: list[tuple[Any, tuple[Any, ...], Any, bool]] = []
    root = into = None
    path: tuple[Any, ...] = ()
    key: Any = _NO_KEY
    is_list = duplicates = False
    while True:
        event: Any = get()
        kind = type(event)
        if kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            value, (into, path, key, is_list) = into, stack.pop()
        elif kind is yaml.DocumentEndEvent:
            break
        elif kind is yaml.AliasEvent:
            raise _Stop(
                event.start_mark,
                "aliases (*name) are not allowed: write the value out in full (aliases hide what a change does and can explode in size)",
            )
        else:
            start = event.start_mark
            mark = (start.line + 1, start.column + 1)
            is_key = into is not None and not is_list and key is _NO_KEY
            if not is_key:
                here = () if into is None else (*path, len(into) if is_list else key)
                values[here] = mark
            elif kind is not yaml.ScalarEvent:
                raise _Stop(start, "a key must be plain text, not a list or a mapping")
            if kind is yaml.ScalarEvent:
                text = event.value
                try:
                    if event.tag is not None:
                        value = _checked(_scalar(reader, event), start, text)
                    elif event.implicit[0] and rules.get(text[:1]):
                        value = _checked(_plain(reader, event), start, text)
                    else:  # quoted, a block (| >), or plain text no rule can match
                        value = text
                except ValueError:  # `._`, `!!int abc`, an integer of thousands of digits
                    raise _Stop(start, f"cannot read {quote(text)} as a value: quote it to make it text") from None
                if is_key:
                    if isinstance(value, str) and len(value) > MAX_KEY:
                        raise _Stop(
                            start, f"a key of {len(value):,} characters: keys are field names and ids, at most {MAX_KEY} characters"
                        )
                    key, here = value, (*path, value)
                    if here in keys:
                        message = f"duplicate key {quote(key)} (first written on line {keys[here][0]})"
                        out.problems.append(Problem(out.path, *mark, _dotted(here), message))
                        key, duplicates = _Duplicate(), True
                    else:
                        keys[here] = mark
                    continue
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _Stop(start, f"nested more than {MAX_DEPTH} levels deep: these files are never that deep")
                is_map = kind is yaml.MappingStartEvent
                if event.tag is not None:
                    _tag(reader, event, yaml.MappingNode if is_map else yaml.SequenceNode)
                if is_map and event.flow_style:
                    out.positions.flow.add(here)
                stack.append((into, path, key, is_list))
                into, path, key, is_list = ({} if is_map else []), here, _NO_KEY, not is_map
                continue
        if into is None:  # a finished value: the document, or an item of the open list or mapping
            root = value
        elif is_list:
            into.append(value)
        else:
            into[key], key = value, _NO_KEY
    if not reader.check_event(yaml.StreamEndEvent):
        raise _Stop(reader.peek_event().start_mark, "a second document ('---') in the file: keep one document per file")
    return _drop_duplicates(root) if duplicates else root


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


_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")


def _bounded(message: str) -> str:
    """A parser's message with every quoted token in it cut to :data:`QUOTE_MAX` characters."""
    return _QUOTED.sub(lambda m: quote(m.group()[1:-1]) if len(m.group()) > QUOTE_MAX + 2 else m.group(), message)


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
    return line, col, f"YAML syntax error: {_bounded(message)}"


def _unreadable(text: str, err: yaml.reader.ReaderError) -> tuple[int, int, str]:
    """Position and wording of a character YAML refuses (a control character, say)."""
    at = max(0, min(int(err.position), len(text)))
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    char = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "\0")
    return line, col, f"the character U+{char:04X} is not allowed in YAML text: remove it (or write it as an escape in double quotes)"


def _open(file: Path, rel: str) -> bytes | Problem:
    """The bytes of ``file``: a regular file of at most :data:`MAX_BYTES`, never through a link."""
    refused = "refused unread: a library file must be a regular file inside playbooks/"
    try:
        info = os.lstat(file)
        if stat.S_ISLNK(info.st_mode):
            return Problem(rel, message=f"the file is a symbolic link; {refused} (replace the link with the file itself)")
        if not stat.S_ISREG(info.st_mode):
            return Problem(rel, message=f"not a regular file (a folder, a device or a pipe); {refused}")
        # O_NOFOLLOW: a link swapped in after the check above is not followed either;
        # O_NONBLOCK: nor does a pipe swapped in make the read wait for ever.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(file, flags)
    except OSError as err:
        return Problem(rel, message=f"cannot read the file: {err.strerror or type(err).__name__}")
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return Problem(rel, message=f"not a regular file (a folder, a device or a pipe); {refused}")
        if info.st_size > MAX_BYTES:
            return Problem(rel, 1, 1, "", f"the file is {info.st_size:,} bytes; files larger than {MAX_BYTES:,} bytes are refused unread")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # it grew since fstat
        return Problem(rel, 1, 1, "", f"the file is over {MAX_BYTES:,} bytes; files larger than {MAX_BYTES:,} bytes are refused unread")
    return data


def read_yaml(file: Path, rel: str) -> _File:
    """Read one YAML file into plain data and positions; problems are collected, never raised.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = pathlib.Path(folder, "stages.yml")
    ...     _ = file.write_text("id: 012\\nlive: yes\\nwhen: 2026-01-05\\nid: 13\\n", encoding="utf-8")
    ...     out = read_yaml(file, "playbooks/stages.yml")
    >>> out.data  # YAML 1.2: text stays text; the duplicate key is dropped
    {'id': '012', 'live': 'yes', 'when': '2026-01-05'}
    >>> [str(problem) for problem in out.problems]
    ["playbooks/stages.yml:4:1: id: duplicate key 'id' (first written on line 1)"]
    >>> out.positions.at(("when",))
    (3, 7)
    """
    out = _File(rel)
    data = _open(file, rel)
    if isinstance(data, Problem):
        out.problems.append(data)
        return out
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        out.problems.append(Problem(rel, line, col, "", f"the file is not UTF-8 text ({err.reason} at byte {err.start})"))
        return out
    reader = _Reader(text)
    try:
        out.data = _compose(reader, out)
    except _Stop as err:
        out.problems.append(Problem(rel, err.line, err.col, "", str(err)))
    except yaml.MarkedYAMLError as err:
        line, col, message = _syntax(text, err)
        out.problems.append(Problem(rel, line, col, "", message))
    except yaml.reader.ReaderError as err:
        line, col, message = _unreadable(text, err)
        out.problems.append(Problem(rel, line, col, "", message))
    except yaml.YAMLError as err:
        out.problems.append(Problem(rel, 1, 1, "", f"YAML error: {_bounded(str(err).splitlines()[0] if str(err) else type(err).__name__)}"))
    finally:
        reader.dispose()
    return out
