"""The library's problems as a page in the browser while ``mkdocs serve`` runs (an error overlay).

When ``playbooks/`` does not validate, ``mkdocs build`` stops before writing anything (the
plugin raises ``Abort``). ``mkdocs serve`` would then stop too, or, on a rebuild, keep showing
the last good site while the terminal lists the problems. Instead, while serving, the plugin
builds a site without pages and writes :func:`error_page` as its ``404.html``, which the
development server answers for every address that has no file, so every address shows it:

* every problem as ``file:line:col: field: message``, escaped, its place a
  ``vscode://file/…`` link that opens the file at that line in VS Code;
* a small script that reloads the page after each rebuild, showing the site again once the
  YAML is fixed (or the new list). ``mkdocs serve`` adds its live-reload script only to the
  pages it serves as files, not to the one it answers "not found" with, so this one asks the
  same thing of the server: ``/livereload/<build>/<id>`` answers once a build newer than
  ``<build>`` is ready (``/livereload/0/…`` at once, with the current build; the page is
  then fetched once, in case the fix was built between its loading and that answer).

The page stands alone (no theme, no asset) and carries its own Content-Security-Policy: its
one style and one script by hash, nothing else.

>>> from cslibrary.model.yaml_reader import Problem
>>> page = error_page([Problem("playbooks/library/qbr.yml", 3, 8, "owner", "'<b>' is not a known role")], Path("/repo"))
>>> "qbr.yml:3:8</a>: <code>owner: &#x27;&lt;b&gt;&#x27; is not a known role</code>" in page
True
>>> 'href="vscode://file/repo/playbooks/library/qbr.yml:3:8"' in page
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from ..model.yaml_reader import Problem

__all__ = ["error_page", "report"]

#: Not under the "mkdocs" logger: MkDocs counts every warning or error logged there, and under
#: ``--strict`` (``make serve``) a counted one would stop the build the page is made by.
terminal = logging.getLogger("cslibrary.serve")

_STYLE = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #fff; --muted: #59636e; --bad: #b3261e; --line: #d1d9e0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #16181d; --muted: #9198a1; --bad: #ff8a80; --line: #3d444d; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; color: var(--bad); }
p { margin: .5rem 0; color: var(--muted); }
ol { padding: 0; list-style: none; border-top: 1px solid var(--line); }
li { padding: .6rem 0; border-bottom: 1px solid var(--line); font: 14px/1.5 ui-monospace, monospace; overflow-wrap: anywhere; }
a { color: inherit; font-weight: 600; }
code { font: inherit; }
""".strip()

_SCRIPT = """
(function () {
  var mark = document.documentElement.getAttribute("data-library-problems");
  var id = Date.now();
  function stale() {
    return fetch(location.href, { cache: "no-store" })
      .then(function (answer) { return answer.text(); })
      .then(function (text) { return text.indexOf('data-library-problems="' + mark + '"') === -1; });
  }
  function wait(epoch) {
    fetch("/livereload/" + epoch + "/" + id, { cache: "no-store" })
      .then(function (answer) {
        if (!answer.ok) throw new Error("no live reload");
        return answer.text();
      })
      .then(function (text) {
        var now = parseInt(text, 10);
        if (epoch && now > epoch) return location.reload();
        if (epoch) return wait(epoch);
        return stale().then(function (gone) { if (gone) location.reload(); else wait(now); });
      })
      .catch(function () { setTimeout(function () { wait(epoch); }, 2000); });
  }
  wait(0);
})();
""".strip()


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


POLICY = (
    f"default-src 'none'; style-src {_hash(_STYLE)}; script-src {_hash(_SCRIPT)}; connect-src 'self'; base-uri 'none'; form-action 'none'"
)


def _place(problem: Problem, root: Path) -> str:
    """The problem's place as text, a link to open it in VS Code when the file lies in the repository."""
    where = f"{problem.path}:{problem.line}:{problem.col}" if problem.line else problem.path
    target = (root / problem.path).resolve()
    if not target.is_relative_to(root.resolve()):
        return html.escape(where)
    position = f":{problem.line}:{problem.col}" if problem.line else ""
    path = target.as_posix()
    url = "vscode://file" + quote(path if path.startswith("/") else "/" + path, safe="/:") + position
    return f'<a href="{html.escape(url)}">{html.escape(where)}</a>'


def _line(problem: Problem, root: Path) -> str:
    rest = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return f"<li>{_place(problem, root)}: <code>{html.escape(rest)}</code></li>"


def error_page(problems: Sequence[Problem], root: Path, *, title: str = "") -> str:
    """The page listing ``problems`` (paths relative to ``root``, the folder of ``mkdocs.yml``)."""
    listing = "\n".join(_line(p, root) for p in problems)
    mark = hashlib.sha256("\n".join(str(p) for p in problems).encode("utf-8")).hexdigest()[:16]
    heading = title or f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in playbooks/: the site was not built"
    return f"""<!doctype html>
<html lang="en" data-library-problems="{mark}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(heading)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>{html.escape(heading)}</h1>
<p>Fix the files below and save: this page reloads to the site once it builds again
(<code>make validate</code> prints the same list).</p>
<ol>
{listing}
</ol>
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def report(problems: Sequence[Problem]) -> None:
    """Print the problems in the terminal running ``mkdocs serve`` (not counted as build warnings)."""
    if not terminal.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        terminal.addHandler(handler)
        terminal.setLevel(logging.INFO)
        terminal.propagate = False
    for problem in problems:
        terminal.error(str(problem))
    terminal.error("%d problem(s) in playbooks/: the browser shows them until they are fixed.", len(problems))
