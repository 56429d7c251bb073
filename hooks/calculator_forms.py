"""MkDocs hooks for the in-page calculators (glue only; the work is in cslibrary.site.pyodide and
cslibrary.render.calculator_html).

* ``on_config`` finds the pinned Pyodide in ``node_modules``, zips the ``calculators``
  package (its name carries a content hash) and starts making the memory snapshot in the
  background unless one is cached.
* ``on_page_content`` replaces every ``<!-- calculator: NAME -->`` marker with the form and
  the worked example computed now; an unknown NAME stops the build, naming the page. A
  marker may carry the form's inputs as a JSON object after the name, e.g.
  ``<!-- calculator: rate {"metric": "license_utilization", "numerator": 412, "denominator": 500} -->``
  (keys it leaves out keep the calculator's example); invalid JSON, or inputs the calculator
  refuses, stop the build naming the page and the field.
* ``on_post_page`` gives a page with a calculator its data (``<script type="application/json"
  id="cs-calculators-data">`` in ``<head>``: runtime URLs and the configuration, with every
  playbook's steps only where the planner needs them) and a
  Content-Security-Policy that allows scripts from the site itself and WebAssembly only.
  Material's few inline scripts are moved into small files on every page, so that the
  policy, once a calculator page set it, never blocks them after an instant navigation.
  The header's repository link stays, but without ``data-md-component="source"``: that
  component asks api.github.com for stars and forks, a request leaving the site.
* ``on_post_build`` copies the Pyodide runtime into ``assets/pyodide/<version>/`` and writes
  the package zip and the snapshot into ``assets/py/``.

``mkdocs.yml`` options (all optional)::

    extra:
      pyodide:
        url: ""         # load Pyodide from this URL (a CDN) instead of the vendored copy
        snapshot: true  # make and serve the start-up snapshot
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

# MkDocs puts this folder first on sys.path while it imports a hook (and restores it after):
# drop it, so the imports below are the installed packages, never a hook file that happens
# to share their name (whichever hook MkDocs imports first).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import calculators  # noqa: E402
from cslibrary import bundle, session  # noqa: E402
from cslibrary.model.loader import LibraryError  # noqa: E402
from cslibrary.render.calculator_html import calculator_html  # noqa: E402

log = logging.getLogger("mkdocs.hooks.calculators")

#: ``<!-- calculator: NAME -->`` or ``<!-- calculator: NAME {JSON inputs} -->`` (alone in its paragraph or not).
MARKER = re.compile(r"(?:<p>\s*)?<!--\s*calculator:\s*(?P<name>[^\s>{]*)(?P<inputs>.*?)-->(?:\s*</p>)?", re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script>(?P<body>.*?)</script>", re.DOTALL)
PLANNER = "playbook_plan"
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{extra}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'{extra}; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


class _State:
    """What one build knows between events (reset by ``on_config``)."""

    def __init__(self) -> None:
        self.command = "build"
        self.config: Mapping[str, Any] = {}
        self.config_json: dict[bool, str] = {}
        self.runtime: bundle.Runtime | None = None
        self.cdn = ""
        self.zip_data = b""
        self.zip_name = ""
        self.snapshot: bundle.SnapshotJob | None = None
        #: Pages with a calculator, and whether one of them is the planner (which needs every playbook's steps).
        self.pages: dict[str, bool] = {}
        self.inline: dict[str, str] = {}


S = _State()


def on_startup(command: str, dirty: bool) -> None:
    S.command = command


def _options(config: MkDocsConfig) -> dict[str, Any]:
    options = (config.extra or {}).get("pyodide") or {}
    if not isinstance(options, dict):
        raise PluginError("extra.pyodide in mkdocs.yml must be a mapping (url, snapshot)")
    return options


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    options = _options(config)
    S.cdn = str(options.get("url") or "").strip()
    S.pages = {}
    S.inline = {}
    try:
        S.config = session.load(root).config  # loaded once per build, shared with hooks/library.py
    except LibraryError as err:  # the same report as hooks/library.py, whichever hook runs first
        for problem in err.problems:
            log.error(str(problem))
        raise Abort(f"{len(err.problems)} problem(s) in playbooks/: nothing was built. Run `make validate` after fixing them.") from None
    S.config_json = {}  # serialised once, on the first page that needs it
    S.zip_data = bundle.calculators_zip(root / "calculators")
    S.zip_name = bundle.zip_name(S.zip_data)
    try:
        S.runtime = bundle.find_runtime(root)
    except bundle.BundleError as err:
        if not S.cdn:
            raise PluginError(f"calculators: {err}") from None
        S.runtime = None
    if S.cdn:
        if not S.cdn.endswith("/"):
            S.cdn += "/"
        pinned = bundle.pinned_version(root) or ""
        if pinned not in S.cdn:
            raise PluginError(f"extra.pyodide.url must point at Pyodide {pinned}, the version package.json pins (got {S.cdn})")
    S.snapshot = None
    if options.get("snapshot", True) and S.runtime is not None:
        S.snapshot = bundle.SnapshotJob(S.runtime, S.zip_data, root / "node_modules" / ".cache" / "cs-calculators")
    return config


def _base(page: Page) -> str:
    return get_relative_url(".", page.url).rstrip("/") + "/"


def _marker_inputs(page: Page, name: str, text: str) -> dict[str, Any] | None:
    """The JSON object a marker carries after the calculator's name (``None``: the calculator's example)."""
    text = text.strip()
    if not text:
        return None
    try:
        inputs = json.loads(text)
    except json.JSONDecodeError as err:
        raise PluginError(f"{page.file.src_uri}: the <!-- calculator: {name} ... --> marker's inputs are not valid JSON ({err})") from None
    if not isinstance(inputs, dict):
        raise PluginError(
            f"{page.file.src_uri}: the <!-- calculator: {name} ... --> marker's inputs must be a JSON object (got {text[:60]})"
        )
    return inputs


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "calculator:" not in html:
        return html
    known = calculators.names()
    used: dict[str, int] = {}

    def expand(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in known:
            raise PluginError(
                f"{page.file.src_uri}: unknown calculator {name!r} in the marker <!-- calculator: {name} --> (known: {', '.join(known)})"
            )
        inputs = _marker_inputs(page, name, match["inputs"])
        used[name] = used.get(name, 0) + 1
        instance = name if used[name] == 1 else f"{name}-{used[name]}"
        try:
            return calculator_html(name, S.config, base=_base(page), instance=instance, inputs=inputs)
        except calculators.InputError as err:
            whose = "the marker's inputs" if inputs else "its own example"
            raise PluginError(f"{page.file.src_uri}: the {name} calculator refused {whose}: field {err.field!r} {err.rule}") from None

    out = MARKER.sub(expand, html)
    if used:
        S.pages[page.file.src_uri] = PLANNER in used
    return out


def _runtime_urls(base: str) -> dict[str, Any]:
    version = S.runtime.version if S.runtime else ""
    index = S.cdn or f"{base}assets/pyodide/{version}/"
    snapshot = f"{base}assets/py/{bundle.snapshot_name(S.snapshot.key)}" if S.snapshot else None
    return {"version": version, "index": index, "bundle": f"{base}assets/py/{S.zip_name}", "snapshot": snapshot}


def _json_for_html(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _externalise(output: str, base: str) -> str:
    """Move each attribute-less inline ``<script>`` into a file named by its content hash."""

    def move(match: re.Match[str]) -> str:
        body = match["body"]
        name = f"calculators-inline-{hashlib.sha256(body.encode()).hexdigest()[:12]}.js"
        S.inline[name] = body
        return f'<script src="{base}assets/javascripts/{name}"></script>'

    return INLINE_SCRIPT.sub(move, output)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    base = _base(page)
    output = _externalise(output, base).replace(' class="md-source" data-md-component="source"', ' class="md-source"')
    if page.file.src_uri not in S.pages:
        return output
    # The configuration is the same on every page: serialise it once per build (keys sorted, as
    # json.dumps would). Only the planner needs every playbook's steps (megabytes at 1,000
    # playbooks); the other calculators get each playbook's title, for their links.
    planner = S.pages[page.file.src_uri]
    if planner not in S.config_json:
        config = S.config if planner else {**S.config, "playbooks": {k: {"title": v["title"]} for k, v in S.config["playbooks"].items()}}
        S.config_json[planner] = _json_for_html(config)
    data = '{"config":' + S.config_json[planner] + ',"runtime":' + _json_for_html(_runtime_urls(base)) + "}"
    head = f'<script type="application/json" id="cs-calculators-data">{data}</script>'
    if S.command != "serve":  # `mkdocs serve` injects an inline live-reload script
        extra = ""
        if S.cdn:
            parts = urlsplit(S.cdn)
            extra = f" {parts.scheme}://{parts.netloc}"
        head = f'<meta http-equiv="Content-Security-Policy" content="{CSP.format(extra=extra)}">' + head
    charset = re.search(r"<meta charset=[^>]*>", output)
    at = charset.end() if charset else output.index("<head>") + len("<head>")
    return output[:at] + head + output[at:]


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Static templates (404.html) get the same treatment; their links start at the site's root path."""
    base = urlsplit(config.site_url or "/").path or "/"
    return _externalise(output_content, base if base.endswith("/") else base + "/").replace(
        ' class="md-source" data-md-component="source"', ' class="md-source"'
    )


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for name, body in S.inline.items():
        bundle.write_atomic(site / "assets" / "javascripts" / name, body.encode())
    py_dir = site / "assets" / "py"
    bundle.write_atomic(py_dir / S.zip_name, S.zip_data)
    if S.runtime is not None and not S.cdn:
        bundle.copy_runtime(S.runtime, site / "assets" / "pyodide" / S.runtime.version)
    if S.snapshot is not None:
        path = S.snapshot.wait()
        if path is None:
            log.info("calculators: no start-up snapshot (%s); pages will start Pyodide normally", S.snapshot.error)
        else:
            bundle.write_atomic(py_dir / path.name, path.read_bytes())
