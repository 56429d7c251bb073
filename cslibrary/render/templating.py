"""Page layouts as Jinja2 templates: Python computes what a page says, a template lays it out.

Every generated page has a template under ``cslibrary/render/templates/`` (the list is in
``docs/guides/page-templates.md``). :class:`Templates` renders them; a team's folder, when
given, is searched first, so a file there replaces the shipped file of the same name (as
Material's ``overrides/`` does for its theme). The shipped files stay reachable under
``default/`` (``{% extends "default/playbook.html" %}``).

Escaping is done by the template engine, never by habit. Everything a ``{{ … }}`` prints is
escaped for the file it is written in: HTML (:func:`~.escape.html_text`) in ``.html`` files,
Markdown text (:func:`~.escape.md_text`) in ``.md`` files, inside ``{% autoescape false %}``
too. Printed as they are: template text itself, what a macro or a filter of :mod:`.filters`
returns, and markup Python made safe and handed over with :func:`sanitised` (a Markdown field
after :func:`~.escape.md_field`, its HTML after :mod:`.inline`, a calculator marker). The
filters that would print text unescaped (``safe``, ``tojson``, ``urlize``, ``forceescape``)
do not exist here, and ``.md`` files refuse ``~`` (it escapes as HTML): write ``{{ a }}{{ b }}``.

>>> env = environment()
>>> env.from_string("<b>{{ x }}</b> {% autoescape false %}{{ x }}{% endautoescape %}").render(x="<i>'Q&A'</i>")
'<b>&lt;i&gt;&#x27;Q&amp;A&#x27;&lt;/i&gt;</b> &lt;i&gt;&#x27;Q&amp;A&#x27;&lt;/i&gt;'
>>> env.from_string("{{ x }} {{ y }}").render(x="a", y=sanitised("<br>"))
'a <br>'
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from .escape import html_text, md_text
from .filters import FILTERS, TESTS, is_markdown
from .page import RenderError

__all__ = ["TEMPLATES", "UNSAFE_FILTERS", "Templates", "environment", "sanitised"]

#: The shipped templates.
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Jinja's filters left out: each would print YAML text without the escaping its file needs.
UNSAFE_FILTERS = frozenset({"safe", "tojson", "urlize", "forceescape"})


def sanitised(text: str) -> Markup:
    """``text``, already made safe for where it goes: the template prints it as it is.

    The one way Python hands a template markup: a Markdown field after
    :func:`~.escape.md_field`, its HTML after :mod:`.inline`, a calculator marker after
    :func:`~.markup.calculator_marker`. Anything else a template gets is escaped when printed.
    """
    return Markup(text)


def _print_html(value: object) -> str:
    return value if isinstance(value, Markup) else html_text(value)


def _print_markdown(value: object) -> str:
    return value if isinstance(value, Markup) else md_text(value)


class _CodeGenerator(CodeGenerator):
    """Prints each ``{{ … }}`` through the escaper of the file it is written in.

    As Jinja's own native-types generator does, only the code around a printed value changes:
    ``environment.print_markdown(value)`` in ``.md`` files, ``environment.print_html(value)`` in
    the others (a macro escapes for the file that defines it), and no value is folded into a
    constant at compile time (it would skip them). Everything else autoescape does stays:
    macros, ``{% set %}`` blocks and ``caller()`` return markup, printed as it is.
    """

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> str:
        if isinstance(node, nodes.TemplateData):  # the template's own text
            return super()._output_child_to_const(node, frame, finalize)
        raise nodes.Impossible()

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        self.write("environment.print_markdown(" if is_markdown(self.name) else "environment.print_html(")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        self.write(")")


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # Instance attributes: the compiled templates look them up for every value they print.
        self.print_html = _print_html
        self.print_markdown = _print_markdown


class _Guard(Extension):
    """Refuses, when a template is read, what would print YAML text unescaped."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        markdown = is_markdown(stream.name)
        previous: Token | None = None
        for token in stream:
            unsafe = token.type == "name" and token.value in UNSAFE_FILTERS and previous is not None
            if unsafe and previous is not None and (previous.type == "pipe" or previous.test("name:filter")):
                message = (
                    f"the {token.value!r} filter is not available: YAML text is always escaped, and Markdown "
                    "fields arrive ready to print (docs/guides/page-templates.md)"
                )
                raise jinja2.TemplateSyntaxError(message, token.lineno, stream.name, stream.filename)
            if markdown and token.type == "tilde":
                message = "'~' is not available in Markdown templates (it would escape as HTML): write {{ a }}{{ b }}"
                raise jinja2.TemplateSyntaxError(message, token.lineno, stream.name, stream.filename)
            previous = token
            yield token


@lru_cache(maxsize=8)
def environment(folder: Path | None = None) -> jinja2.Environment:
    """The environment for ``folder``'s templates (searched first) and the shipped ones; made once per folder.

    Templates are compiled once per environment and checked for changes when a page is
    rendered again (``mkdocs serve`` sees an edited template).
    """
    shipped = FileSystemLoader(TEMPLATES)
    loaders: list[jinja2.BaseLoader] = [FileSystemLoader(folder)] if folder is not None else []
    env = _Environment(
        loader=ChoiceLoader([*loaders, shipped, PrefixLoader({"default": shipped})]),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[_Guard],
    )
    for name in UNSAFE_FILTERS:
        del env.filters[name]
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


def _template_line(err: BaseException, folders: tuple[Path, ...]) -> str:
    """``file:line`` of the template line where ``err`` happened, when one shows in the traceback."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return f"{err.filename or err.name}:{err.lineno}"
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if any(frame.filename.startswith(str(folder)) for folder in folders):
            return f"{frame.filename}:{frame.lineno}"
    return ""


#: The files each team folder held at its last render.
_FOLDER_FILES: dict[Path, frozenset[str]] = {}


class Templates:
    """The page templates of one render: ``folder`` (a team's own) in front of the shipped ones."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None and not folder.is_dir():
            raise RenderError(str(folder), "the page templates folder does not exist")
        self.folder = folder.resolve() if folder is not None else None
        self.environment = environment(self.folder)
        self._loaded: dict[str, Template] = {}
        if self.folder is not None:
            # A file added to (or removed from) the folder since the last render changes which file
            # a name stands for; Jinja notices edits to a file, not that: start from scratch then.
            files = frozenset(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file())
            if _FOLDER_FILES.get(self.folder, files) != files and self.environment.cache is not None:
                self.environment.cache.clear()
            _FOLDER_FILES[self.folder] = files

    def render(self, name: str, source: str, context: Mapping[str, Any]) -> str:
        """Template ``name`` with ``context``; any error is a :class:`RenderError` naming the template line."""
        try:
            template = self._loaded.get(name)
            if template is None:
                template = self._loaded[name] = self.environment.get_template(name)
            return template.render(context)
        except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as err:
            folders = (*((self.folder,) if self.folder else ()), TEMPLATES)
            where = _template_line(err, folders) or name
            raise RenderError(source, f"page template {where}: {type(err).__name__}: {err}") from err
