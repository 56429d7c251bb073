"""Load ``playbooks/`` into the typed model, collecting every problem with ``file:line:col``.

The YAML reader is deliberately narrow, so that a file means what it looks like:

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

Each problem is a :class:`Problem`; :func:`load_library` raises :class:`LibraryError`
holding all of them, sorted by file and line, after checking every file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from . import model as m

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
FOLDER = "playbooks"
TOP_FILES = ("health-model.yml", "segments.yml", "roles.yml", "stages.yml")
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


class LibraryError(Exception):
    """The library has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


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
    positions: m.Positions = field(default_factory=m.Positions)
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


# --- pydantic errors → problems ---------------------------------------------------------


def _dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            name = str(part) if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(part)) else repr(str(part))
            text += f".{name}" if text else name
    return text


def _strip(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], bool]:
    """Turn a pydantic ``loc`` into a path through ``data``; True when its last key is absent."""
    path: list[Any] = []
    cur = data
    for i, part in enumerate(loc):
        if (isinstance(cur, dict) and part in cur) or (isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)):
            cur = cur[part]
        elif i == len(loc) - 1 and isinstance(cur, dict) and isinstance(part, str) and not part.startswith(("function-", "[")):
            return (*path, part), True
        else:
            continue  # a union member or '[key]' tag, not a place in the file
        path.append(part)
    return tuple(path), False


def _model_at(cls: Any, path: tuple[Any, ...]) -> Any:
    """The model class whose fields describe the mapping at ``path`` (None when unknown)."""
    for part in path:
        while True:
            origin = get_origin(cls)
            if origin is not None and hasattr(cls, "__metadata__"):
                cls = get_args(cls)[0]
            elif origin in (Union, getattr(__import__("types"), "UnionType", None)):
                cls = next((a for a in get_args(cls) if a is not type(None)), None)
            else:
                break
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            info = next((f for n, f in cls.model_fields.items() if (f.alias or n) == part), None)
            cls = info.annotation if info else None
        elif get_origin(cls) is list:
            cls = get_args(cls)[0]
        elif get_origin(cls) is dict:
            cls = get_args(cls)[1]
        else:
            return None
    return _model_at(cls, ()) if get_origin(cls) else cls


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _message(err: dict[str, Any], doc: type[BaseModel], path: tuple[Any, ...], positions: m.Positions) -> str:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(doc, path[:-1])
        fields = parent.model_fields if isinstance(parent, type) and issubclass(parent, BaseModel) else {}
        allowed = ", ".join(f.alias or n for n, f in fields.items())
        hint = " — inside {…} a comma ends the value: put text with commas in quotes" if path[:-1] in positions.flow else ""
        return f"unknown key {path[-1]!r}" + (f" (allowed: {allowed})" if allowed else "") + hint
    if kind == "missing":
        return "is required"
    if kind == "string_type":
        hint = " (put it in quotes if it is meant as text)" if isinstance(value, int | float | bool) else ""
        return f"expected text, got {_kind(value)}{hint}"
    if kind in ("int_type", "float_type", "int_from_float"):
        return f"expected {'a whole number' if kind != 'float_type' else 'a number'}, got {_kind(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {_kind(value)}"
    if kind == "list_type":
        return f"expected a list ([a, b] or one '- item' per line), got {_kind(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of 'key: value' lines, got {_kind(value)}"
    if kind == "literal_error":
        return f"{value!r} is not one of: {err['ctx']['expected']}"
    if kind == "too_short" and isinstance(value, list):
        return f"needs at least {err['ctx']['min_length']} item(s)"
    text = str(err["msg"]).removeprefix("Value error, ").replace("Input should be", "must be").replace("String should", "must")
    return text if kind == "value_error" else f"{text} (got {value!r})"


def validate_file(doc: type[m.Document], file: _File) -> m.Document | None:
    """Validate parsed data against ``doc``; add a problem per error (one per field)."""
    try:
        obj = doc.model_validate(file.data)
    except ValidationError as exc:
        picked: dict[tuple[Any, ...], tuple[bool, dict[str, Any]]] = {}
        errors: list[dict[str, Any]] = [dict(e) for e in exc.errors(include_url=False)]
        for err in errors:
            path, missing = _strip(tuple(err["loc"]), file.data)
            old = picked.get(path)
            # One error per field: of a union's errors keep the most telling one.
            if old is None or old[1]["type"] == "none_required" or (old[1]["type"] == "int_type" and err["type"] == "float_type"):
                picked[path] = (missing, err)
        for path, (missing, err) in picked.items():
            line, col = file.positions.at(path[:-1] if missing else path, key=err["type"] in ("extra_forbidden", "missing"))
            message = _message(err, doc, path, file.positions)
            if not path and err["type"] in ("model_type", "dict_type"):
                message = f"the file must be a mapping of 'key: value' lines at the top level, got {_kind(file.data)}"
                if file.data is None:
                    message = "the file is empty: it must be a mapping of 'key: value' lines"
            file.problems.append(Problem(file.path, line, col, _dotted(path), message))
        return None
    obj._source = file.path
    return obj


def _files(base: Path, folder: str) -> list[Path]:
    sub = base / folder
    return sorted(p for p in sub.iterdir() if p.is_file() and p.suffix in (".yml", ".yaml")) if sub.is_dir() else []


def read_library(root: Path, folder: str = FOLDER, *, check: bool = True) -> tuple[m.Library, list[Problem]]:
    """Read, validate and (with ``check``) cross-check the library under ``root/folder``.

    Returns the library (placeholders stand in for files that are missing or invalid) and
    every problem found. The problems are empty exactly when the library is valid.
    """
    from .checks import check_library, placeholder

    base = root / folder
    problems: list[Problem] = []
    if not base.is_dir():
        return placeholder(folder), [Problem(f"{folder}/", 0, 0, "", f"no {folder}/ folder under {root}")]
    lib = placeholder(folder)
    broken: set[str] = set()
    role_list: list[m.Role] = []
    for name in TOP_FILES:
        rel = f"{folder}/{name}"
        if not (base / name).is_file():
            problems.append(Problem(rel, 0, 0, "", "the file is missing"))
            continue
        file = read_yaml(base / name, rel)
        obj = validate_file(m.FILE_MODELS[name], file) if not file.problems else None
        problems += file.problems
        lib.positions[rel] = file.positions
        if obj is None:
            broken.add(name)
        elif name == "roles.yml":
            role_list = obj.roles  # type: ignore[attr-defined]
            lib.roles = {r.id: r for r in reversed(role_list)}
            lib.roles = {r.id: lib.roles[r.id] for r in role_list}  # first wins, file order
        else:
            setattr(lib, {"health-model.yml": "health", "segments.yml": "segments", "stages.yml": "stages"}[name], obj)
    for path in sorted(base.iterdir()):
        if path.is_file() and path.suffix in (".yml", ".yaml") and path.name not in TOP_FILES:
            where = "playbooks go in library/, metrics in metrics/"
            problems.append(
                Problem(f"{folder}/{path.name}", 0, 0, "", f"not a file of the library (expected {', '.join(TOP_FILES)}; {where})")
            )
    extra_ids: dict[str, set[str]] = {"metrics": set(), "library": set()}
    duplicates: list[tuple[str, str, str]] = []
    for sub in ("metrics", "library"):
        for path in _files(base, sub):
            rel = f"{folder}/{sub}/{path.name}"
            if path.suffix != ".yml":
                problems.append(Problem(rel, 0, 0, "", "name the file with the .yml extension, or it is ignored"))
                continue
            file = read_yaml(path, rel)
            obj = validate_file(m.FILE_MODELS[sub], file) if not file.problems else None
            problems += file.problems
            lib.positions[rel] = file.positions
            table: dict[str, Any] = lib.metrics if sub == "metrics" else lib.playbooks
            paths = lib.metric_paths if sub == "metrics" else lib.playbook_paths
            ident = getattr(obj, "id", None)
            if obj is None or ident is None:
                extra_ids[sub].add(path.stem)
            elif ident in table:
                duplicates.append((rel, ident, paths[ident]))
            else:
                table[ident] = obj
                paths[ident] = rel
    if check:
        problems += check_library(lib, broken=broken, extra_ids=extra_ids, duplicates=duplicates, role_list=role_list)
    return lib, sorted(set(problems))


def load_library(root: Path, folder: str = FOLDER, *, check: bool = True) -> m.Library:
    """The validated library under ``root/folder``; raises :class:`LibraryError` listing every problem."""
    lib, problems = read_library(root, folder, check=check)
    if problems:
        raise LibraryError(problems)
    return lib
