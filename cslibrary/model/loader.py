"""Load ``playbooks/`` into the typed model, collecting every problem with ``file:line:col``.

Each file is read by :func:`cslibrary.model.yaml_reader.read_yaml` (safe, plain YAML 1.2 data with the
position of every key and value; see that module for what it refuses), then validated
against its model here: each pydantic error becomes a :class:`Problem` that names the field
and says what was expected.

Which files are read: ``playbooks/`` holds the files of :data:`TOP_FILES`, ``playbooks/metrics/``
one file per metric, ``playbooks/library/`` one file per playbook and ``playbooks/frameworks/``
one file per framework (optional), each named ``<id>.yml``.
Only the lowercase ``.yml`` extension is read; a file in those folders with any other
YAML extension (``.yaml``, ``.YML``, ``.Yaml``…) is refused with the name to rename it to,
never skipped in silence. A symbolic link, file or folder, and anything that is not a
regular file, is refused unread (a link could point anywhere, ``/etc/passwd``), as is a
file whose real path lies outside the library's folder.

Each problem is a :class:`Problem`; :func:`load_library` raises :class:`LibraryError`
holding all of them, sorted by file and line, after checking every file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cslibrary import model as m

from .yaml_reader import MAX_BYTES, MAX_DEPTH, Problem, _dotted, _File, clip, quote, read_yaml

__all__ = [
    "FOLDER",
    "MAX_BYTES",
    "MAX_DEPTH",
    "TOP_FILES",
    "LibraryError",
    "Problem",
    "load_library",
    "read_library",
    "read_yaml",
    "validate_file",
]

FOLDER = "playbooks"
TOP_FILES = (
    "health-model.yml",
    "segments.yml",
    "roles.yml",
    "stages.yml",
    "events.yml",
    "relationship-strength.yml",
    "compensation.yml",
    "tech-stack.yml",
)
#: The folders of one file per object: metrics, playbooks and frameworks, each ``<id>.yml``.
SUB_FOLDERS = ("metrics", "library", "frameworks")
#: The extension of every library file; other YAML extensions, in any case, are refused.
EXTENSION = ".yml"
_YAML_LIKE = (".yml", ".yaml")


class LibraryError(Exception):
    """The library has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- pydantic errors → problems ---------------------------------------------------------


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


def _fields(cls: Any) -> set[str]:
    return {f.alias or n for n, f in cls.model_fields.items()} if isinstance(cls, type) and issubclass(cls, BaseModel) else set()


def _unwrap(cls: Any, data: Any) -> Any:
    """``cls`` without ``Annotated`` and ``Optional``; of a union of models, the one whose keys ``data`` uses most."""
    while True:
        origin = get_origin(cls)
        if origin is not None and hasattr(cls, "__metadata__"):
            cls = get_args(cls)[0]
        elif origin in (Union, getattr(__import__("types"), "UnionType", None)):
            members = [_unwrap(a, None) for a in get_args(cls) if a is not type(None)]
            keys = set(data) if isinstance(data, dict) else set()
            cls = max(members, key=lambda c: len(keys & _fields(c)), default=None)  # first wins a tie
        else:
            return cls


def _model_at(cls: Any, path: tuple[Any, ...], data: Any = None) -> Any:
    """The model class whose fields describe the mapping at ``path`` of ``data`` (None when unknown).

    Of a union (a trigger rule's conditions) it takes the member whose keys the data uses.
    """
    for part in path:
        cls = _unwrap(cls, data)
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            info = next((f for n, f in cls.model_fields.items() if (f.alias or n) == part), None)
            cls = info.annotation if info else None
        elif get_origin(cls) is list:
            cls = get_args(cls)[0]
        elif get_origin(cls) is dict:
            cls = get_args(cls)[1]
        else:
            return None
        data = data[part] if isinstance(data, dict | list) and _has(data, part) else None
    return _unwrap(cls, data)


def _has(data: dict[Any, Any] | list[Any], part: Any) -> bool:
    if isinstance(data, dict):
        return part in data
    return isinstance(part, int) and 0 <= part < len(data)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {clip(repr(value))}"
    if isinstance(value, str):
        return f"the text {quote(value)}"
    return "a list" if isinstance(value, list) else "a mapping"


def _message(err: dict[str, Any], doc: type[BaseModel], path: tuple[Any, ...], positions: m.Positions, data: Any = None) -> str:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(doc, path[:-1], data)
        fields = parent.model_fields if isinstance(parent, type) and issubclass(parent, BaseModel) else {}
        allowed = ", ".join(f.alias or n for n, f in fields.items())
        # `{a: text, more text}` makes `more text` a key without a value
        stray = path[:-1] in positions.flow and value is None
        hint = " — inside {…} a comma ends the value: put text with commas in quotes" if stray else ""
        return f"unknown key {quote(path[-1])}" + (f" (allowed: {allowed})" if allowed else "") + hint
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
        return f"{quote(value) if isinstance(value, str) else _kind(value)} is not one of: {err['ctx']['expected']}"
    if kind == "too_short" and isinstance(value, list):
        return f"needs at least {err['ctx']['min_length']} item(s)"
    text = str(err["msg"]).removeprefix("Value error, ").replace("Input should be", "must be").replace("String should", "must")
    return text if kind == "value_error" else f"{text} (got {_kind(value)})"


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
            message = _message(err, doc, path, file.positions, file.data)
            if not path and err["type"] in ("model_type", "dict_type"):
                message = f"the file must be a mapping of 'key: value' lines at the top level, got {_kind(file.data)}"
                if file.data is None:
                    message = "the file is empty: it must be a mapping of 'key: value' lines"
            file.problems.append(Problem(file.path, line, col, _dotted(path), message))
        return None
    obj._source = file.path
    return obj


def _inside(path: Path, base: Path) -> bool:
    """Whether the real path of ``path`` (every link followed) lies inside the real ``base``."""
    real, top = os.path.realpath(path), os.path.realpath(base)
    return os.path.commonpath([real, top]) == top and real != top


def _folder(path: Path, rel: str, problems: list[Problem]) -> bool:
    """Whether ``path`` is a real folder to list; a symbolic link is refused with a problem."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        problems.append(
            Problem(
                f"{rel}/", message="the folder is a symbolic link; refused unread: the library's files must lie inside playbooks/ itself"
            )
        )
        return False
    return stat.S_ISDIR(info.st_mode)


def _stray(rel: str) -> Problem:
    return Problem(
        rel, message=f"not a file of the library (expected {', '.join(TOP_FILES)}; playbooks go in library/, metrics in metrics/)"
    )


def _yaml_files(
    folder: Path, rel: str, root: Path, problems: list[Problem], names: tuple[str, ...] = ()
) -> tuple[dict[str, Path], set[str]]:
    """The files of ``folder`` to read, by name: regular ``*.yml`` files whose real path is inside
    ``root``. Every other YAML-looking entry is refused, unread, with a problem that names it
    and says why (``names``: the names to suggest); their stems are the second set."""
    found: dict[str, Path] = {}
    refused: set[str] = set()
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        problems.append(Problem(f"{rel}/", message=f"cannot list the folder: {err.strerror or type(err).__name__}"))
        return found, refused
    for entry in entries:
        name, path = entry.name, Path(entry.path)
        stem, dot, ext = name.rpartition(".")
        if not dot or f".{ext.lower()}" not in _YAML_LIKE:
            continue
        where = f"{rel}/{name}"
        refused.add(stem)
        if entry.is_symlink():
            problems.append(Problem(where, message="the file is a symbolic link; refused unread (replace the link with the file itself)"))
        elif not entry.is_file(follow_symlinks=False):
            problems.append(Problem(where, message="not a regular file (a folder, a device or a pipe); refused unread"))
        elif not _inside(path, root):
            problems.append(Problem(where, message="the file lies outside the library's folder; refused unread"))
        elif f".{ext}" != EXTENSION:
            better = next((n for n in names if n.lower() == f"{stem}{EXTENSION}".lower()), None if names else f"{stem}{EXTENSION}")
            problems.append(
                _stray(where)
                if better is None
                else Problem(where, message=f"rename to {better}: only the lowercase {EXTENSION} extension is read")
            )
        else:
            found[name] = path
            refused.discard(stem)
    return found, refused


def read_library(root: Path, folder: str = FOLDER, *, check: bool = True) -> tuple[m.Library, list[Problem]]:
    """Read, validate and (with ``check``) cross-check the library under ``root/folder``.

    Returns the library (placeholders stand in for files that are missing or invalid) and
    every problem found. The problems are empty exactly when the library is valid.
    """
    from .checks import check_library, placeholder

    base = root / folder
    problems: list[Problem] = []
    if not _folder(base, folder, problems):
        return placeholder(folder), problems or [Problem(f"{folder}/", 0, 0, "", f"no {folder}/ folder under {root}")]
    lib = placeholder(folder)
    broken: set[str] = set()
    role_list: list[m.Role] = []
    top, refused = _yaml_files(base, folder, base, problems, TOP_FILES)
    for name in TOP_FILES:
        rel = f"{folder}/{name}"
        if name not in top:
            if name.removesuffix(EXTENSION) in {stem.lower() for stem in refused}:
                broken.add(name)  # there, but refused above: references into it are not checked
            else:
                problems.append(Problem(rel, 0, 0, "", "the file is missing"))
            continue
        file = read_yaml(top[name], rel)
        obj = validate_file(m.FILE_MODELS[name], file) if not file.problems else None
        problems += file.problems
        lib.positions[rel] = file.positions
        if obj is None:
            broken.add(name)
        elif isinstance(obj, m.Roles):
            role_list = obj.roles
            lib.roles = {r.id: r for r in reversed(role_list)}
            lib.roles = {r.id: lib.roles[r.id] for r in role_list}  # first wins, file order
        else:
            attrs = {
                "health-model.yml": "health",
                "segments.yml": "segments",
                "stages.yml": "stages",
                "events.yml": "events",
                "relationship-strength.yml": "relationship",
                "compensation.yml": "compensation",
                "tech-stack.yml": "tech_stack",
            }
            setattr(lib, attrs[name], obj)
    problems += [_stray(f"{folder}/{name}") for name in top if name not in TOP_FILES]
    extra_ids: dict[str, set[str]] = {sub: set() for sub in SUB_FOLDERS}
    duplicates: list[tuple[str, str, str]] = []
    for sub in SUB_FOLDERS:
        files: dict[str, Path] = {}
        if _folder(base / sub, f"{folder}/{sub}", problems):
            files, refused = _yaml_files(base / sub, f"{folder}/{sub}", base, problems)
            extra_ids[sub] |= refused  # there but refused: references to them would only repeat it
        for path in files.values():
            rel = f"{folder}/{sub}/{path.name}"
            file = read_yaml(path, rel)
            obj = validate_file(m.FILE_MODELS[sub], file) if not file.problems else None
            problems += file.problems
            lib.positions[rel] = file.positions
            tables: dict[str, dict[str, Any]] = {"metrics": lib.metrics, "library": lib.playbooks, "frameworks": lib.frameworks}
            table = tables[sub]
            paths = {"metrics": lib.metric_paths, "library": lib.playbook_paths, "frameworks": lib.framework_paths}[sub]
            ident = getattr(obj, "id", None)
            if obj is None or ident is None:
                extra_ids[sub].add(path.stem)
            elif ident in table:
                duplicates.append((rel, ident, paths[ident]))
            else:
                table[ident] = obj
                paths[ident] = rel
    if check:
        problems += check_library(
            lib, broken=broken, extra_ids=extra_ids, duplicates=duplicates, role_list=role_list, calculator_pages=_calculator_pages(root)
        )
    return lib, sorted(set(problems))


def _calculator_pages(root: Path) -> set[str] | None:
    """The calculator pages a framework may link to (``docs/calculators/<name>.md``); None without that folder."""
    folder = root / "docs" / "calculators"
    if not folder.is_dir():
        return None
    return {p.stem for p in folder.glob("*.md") if p.stem != "index"}


def load_library(root: Path, folder: str = FOLDER, *, check: bool = True) -> m.Library:
    """The validated library under ``root/folder``; raises :class:`LibraryError` listing every problem."""
    lib, problems = read_library(root, folder, check=check)
    if problems:
        raise LibraryError(problems)
    return lib
