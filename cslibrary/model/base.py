"""The field types and base classes every model file shares (see :mod:`cslibrary.model`).

Ids, titles and plain text check their value here, with a message that says what to write;
the JSON Schema carries the same rules as keywords so editors can flag a mistake early: an
id's ``pattern`` (anchored: in an editor's ECMAScript regex ``$`` is the end of the text, so
it must match in full), ``maxLength`` and a ``not`` pattern of the device names.

An id must match its pattern in full (``fullmatch``: ``ghost\\n``, from a ``|`` block, is no
id), be at most :data:`ID_MAX` characters long and not be a name Windows reserves for a
device (:data:`RESERVED_NAMES`), because ids become file names: ``playbooks/<id>.yml`` and the
pages, exports and site folders generated from it (``<id>.md``, ``<id>.csv``,
``<id>-checklist.md``, ``<id>/index.html``).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr
from pydantic.config import JsonDict

from .yaml_reader import quote

SNAKE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
KEBAB = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
TAG = r"^[a-z0-9]+([-_][a-z0-9]+)*$"
SLUG = r"^[a-z][a-z0-9]*([-_][a-z0-9]+)*$"
TITLE_MAX = 120
#: The longest id. Ids become file and folder names (``<id>-checklist.md``, ``<id>/index.html``)
#: and URL segments: 64 characters keep the longest generated name far below the 255 bytes
#: every file system allows in one name, and the whole path of a generated file inside a
#: checkout well under Windows' 260-character MAX_PATH. The longest shipped id has 31.
ID_MAX = 64
#: Device names Windows reserves in every folder, with or without an extension, in any case:
#: a file ``con.yml`` or ``nul.md`` cannot be created there (nor checked out by git).
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)), "conin$", "conout$"}
)
#: :data:`RESERVED_NAMES` as a JSON Schema pattern for an id (lower case, no extension: the
#: only form an id can take).
RESERVED_PATTERN = r"^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)$"
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def reserved_name(name: str) -> bool:
    """Whether Windows reserves ``name`` for a device (``CON``, ``nul.txt``, ``Com1.yml``…).

    >>> [reserved_name(n) for n in ("con", "NUL.txt", "com1.tar.gz", "console", "lpt10")]
    [True, True, True, False, False]
    """
    return name.split(".", 1)[0].rstrip(" ").lower() in RESERVED_NAMES


def _pattern(regex: str, what: str) -> AfterValidator:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if len(value) > ID_MAX:
            raise ValueError(f"is {len(value)} characters long; keep ids to {ID_MAX} (they become file names)")
        if not compiled.fullmatch(value):  # not .match: `$` would let a trailing line break through
            raise ValueError(f"{quote(value)} is not a valid id: use {what}")
        if reserved_name(value):
            raise ValueError(
                f"{quote(value)} is a device name Windows reserves (CON, PRN, AUX, NUL, COM0-9, LPT0-9): "
                "no file of that name can exist there; choose another id"
            )
        return value

    return AfterValidator(check)


def _id_schema(regex: str) -> JsonDict:
    """The id rules of :func:`_pattern` as JSON Schema keywords, for editors.

    The validator keeps its own checks (and their messages); these only describe them.

    >>> schema = _id_schema(SNAKE)
    >>> schema["pattern"] == SNAKE, schema["maxLength"] == ID_MAX
    (True, True)
    >>> names = {*RESERVED_NAMES, "console", "com10", "lpt", "nul_report"}
    >>> {n for n in names if re.search(schema["not"]["pattern"], n)} == RESERVED_NAMES
    True
    """
    return {"pattern": regex, "maxLength": ID_MAX, "not": {"pattern": RESERVED_PATTERN}}


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _title(value: str) -> str:
    _text(value)
    if _CONTROL.search(value):
        raise ValueError("must be a single line of text (no line breaks or control characters)")
    if "<" in value or ">" in value:
        raise ValueError(f"{quote(value)} contains '<' or '>': titles, names and labels are plain text and may not hold HTML")
    if _ENTITY.search(value):
        raise ValueError(f"{quote(value)} contains an HTML entity reference: write the character itself")
    if len(value) > TITLE_MAX:
        raise ValueError(f"is {len(value)} characters long; keep it to {TITLE_MAX}")
    return value


SnakeId = Annotated[
    str,
    _pattern(SNAKE, "snake_case (lower-case letters, digits and _, starting with a letter)"),
    Field(json_schema_extra=_id_schema(SNAKE)),
]
KebabId = Annotated[
    str,
    _pattern(KEBAB, "kebab-case (lower-case letters, digits and -, starting with a letter)"),
    Field(json_schema_extra=_id_schema(KEBAB)),
]
Slug = Annotated[str, _pattern(SLUG, "lower-case letters and digits joined by - or _"), Field(json_schema_extra=_id_schema(SLUG))]
Tag = Annotated[str, _pattern(TAG, "lower-case letters and digits joined by - or _"), Field(json_schema_extra=_id_schema(TAG))]
Text = Annotated[str, AfterValidator(_text), Field(min_length=1)]
#: A reference to an id defined elsewhere; :mod:`cslibrary.model.checks` reports one that names nothing.
Ref = Annotated[str, AfterValidator(_text), Field(min_length=1)]
Title = Annotated[str, AfterValidator(_title), Field(min_length=1, max_length=TITLE_MAX, json_schema_extra={"pattern": r"^[^<>\n]+$"})]
Number = Annotated[int | float, Field(allow_inf_nan=False)]
Percent = Annotated[int | float, Field(ge=0, le=100, allow_inf_nan=False)]
Channel = Literal[
    "email", "call", "video", "in_app", "internal", "meeting", "cs_platform", "slack", "community", "webinar", "document", "other"
]
#: How each channel reads on a page, in a calendar and in an export (one label per :data:`Channel`).
CHANNEL_LABELS = {
    "email": "Email",
    "call": "Call",
    "video": "Video call",
    "in_app": "In-app",
    "internal": "Internal",
    "meeting": "Meeting",
    "cs_platform": "CS platform",
    "slack": "Slack",
    "community": "Community",
    "webinar": "Webinar",
    "document": "Document",
    "other": "Other",
}


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=False)


class Document(Strict):
    """A model read from one YAML file; ``source`` is that file, relative to the repo root."""

    _source: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        return self._source
