"""The in-page calculators inside an MkDocs build: markers, page data, security policy, runtime files.

* :meth:`CalculatorPages.configure` finds the pinned Pyodide in ``node_modules``, zips the
  ``calculators`` package (its name carries a content hash) and starts making the memory
  snapshot in the background unless one is cached (:mod:`cslibrary.site.pyodide`).
* :meth:`CalculatorPages.expand` replaces every ``<!-- calculator: NAME -->`` marker with the
  form and the worked example computed now; an unknown NAME stops the build, naming the page.
  A marker may carry the form's inputs as a JSON object after the name, e.g.
  ``<!-- calculator: rate {"metric": "license_utilization", "numerator": 412, "denominator": 500} -->``
  (keys it leaves out keep the calculator's example); invalid JSON, or inputs the calculator
  refuses, stop the build naming the page and the field.
* :meth:`CalculatorPages.add_data` gives a page with a calculator its data (``<script
  type="application/json" id="cs-calculators-data">`` in ``<head>``: runtime URLs and the
  configuration, with every playbook's steps and rules only where the planner or triage needs them) and
  the site's Content-Security-Policy (:attr:`CalculatorPages.policy`, made by
  :func:`cslibrary.site.policy.policy` from the runtime's origin; every other page gets the same
  text from ``overrides/main.html``): WebAssembly, and the CDN's origin when Pyodide comes from
  one. Material's inline scripts are files already (``overrides/partials/javascripts/``), so
  the policy never blocks them, even after an instant navigation.
* :meth:`CalculatorPages.write_files` copies the Pyodide runtime into
  ``assets/pyodide/<version>/`` and writes the package zip and the snapshot into ``assets/py/``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

import calculators

from ..render.calculator_html import calculator_html
from . import pyodide
from .policy import policy

__all__ = ["MARKER", "CalculatorPages"]

log = logging.getLogger("mkdocs.hooks.calculators")

#: ``<!-- calculator: NAME -->`` or ``<!-- calculator: NAME {JSON inputs} -->`` (alone in its paragraph or not).
MARKER = re.compile(r"(?:<p>\s*)?<!--\s*calculator:\s*(?P<name>[^\s>{]*)(?P<inputs>.*?)-->(?:\s*</p>)?", re.DOTALL)
#: Calculators that read every playbook's steps and rules; the others get each playbook's title only.
NEEDS_PLAYBOOKS = frozenset({"playbook_plan", "triage"})
#: The Web Worker that runs Pyodide (a static file of docs/).
WORKER = "assets/javascripts/calculators-worker.js"
#: The script in <head> that starts the worker as early as the page allows.
STARTER = "assets/javascripts/calculators-start.js"


def _base(page: Page) -> str:
    return get_relative_url(".", page.url).rstrip("/") + "/"


def _json_for_html(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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


class CalculatorPages:
    """What one build knows about its calculator pages."""

    def __init__(self) -> None:
        self.serving = False
        #: The site's Content-Security-Policy, which allows the runtime's origin (:meth:`configure`).
        self.policy = policy()
        self.config: Mapping[str, Any] = {}
        self.config_json: dict[bool, str] = {}
        self.runtime: pyodide.Runtime | None = None
        self.cdn = ""
        self.zip_data = b""
        self.zip_name = ""
        self.snapshot: pyodide.SnapshotJob | None = None
        #: The runtime's file sizes and lock-file info, read once per build.
        self.runtime_facts: dict[str, Any] | None = None
        #: Pages with a calculator, and whether one of them needs every playbook's steps and rules (planner, triage).
        self.pages: dict[str, bool] = {}

    def configure(self, root: Path, config: Mapping[str, Any], *, cdn: str, snapshot: bool) -> None:
        """Start a build: the calculators' configuration, the package zip, the runtime and the snapshot."""
        self.config, self.config_json, self.pages = config, {}, {}
        self.runtime_facts = None
        self.cdn = cdn.strip()
        self.zip_data = pyodide.calculators_zip(Path(calculators.__file__).resolve().parent)
        self.zip_name = pyodide.zip_name(self.zip_data)
        try:
            self.runtime = pyodide.find_runtime(root)
        except pyodide.BundleError as err:
            if not self.cdn:
                raise PluginError(f"calculators: {err}") from None
            self.runtime = None
        if self.cdn:
            if not self.cdn.endswith("/"):
                self.cdn += "/"
            try:
                policy(cdn=self.cdn)
            except ValueError as err:
                raise PluginError(f"extra.library.pyodide_url: {err}") from None
            pinned = pyodide.pinned_version(root) or ""
            if pinned not in self.cdn:
                raise PluginError(
                    f"extra.library.pyodide_url must point at Pyodide {pinned}, the version package.json pins (got {self.cdn})"
                )
        self.policy = policy(cdn=self.cdn, serving=self.serving)
        self.snapshot = None
        if snapshot and self.runtime is not None:
            self.snapshot = pyodide.SnapshotJob(self.runtime, self.zip_data, root / "node_modules" / ".cache" / "cs-calculators")

    def expand(self, html: str, page: Page) -> str:
        """Replace the page's calculator markers with forms and their worked examples."""
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
                return calculator_html(name, self.config, base=_base(page), instance=instance, inputs=inputs)
            except calculators.InputError as err:
                whose = "the marker's inputs" if inputs else "its own example"
                raise PluginError(f"{page.file.src_uri}: the {name} calculator refused {whose}: field {err.field!r} {err.rule}") from None

        out = MARKER.sub(expand, html)
        if used:
            self.pages[page.file.src_uri] = bool(NEEDS_PLAYBOOKS.intersection(used))
        return out

    def has_calculator(self, page: Page) -> bool:
        """True once :meth:`expand` found a calculator in the page: :meth:`add_data` gives it its data and policy."""
        return page.file.src_uri in self.pages

    def _runtime_urls(self, base: str) -> dict[str, Any]:
        version = self.runtime.version if self.runtime else ""
        index = self.cdn or f"{base}assets/pyodide/{version}/"
        snapshot = f"{base}assets/py/{pyodide.snapshot_name(self.snapshot.key)}" if self.snapshot else None
        if self.runtime_facts is None:
            runtime = self.runtime
            self.runtime_facts = {
                "lock": runtime.lock() if runtime else None,
                "sizes": runtime.sizes() if runtime else {"wasm": 0, "stdlib": 0, "asm": 0},
                "modules": pyodide.stdlib_modules(runtime.directory / "python_stdlib.zip") if runtime else [],
            }
        sizes = {**self.runtime_facts["sizes"], "bundle": len(self.zip_data), "snapshot": 0}
        # With a snapshot comes the trimmed standard library it was made with (both or neither).
        stdlib = None
        if self.snapshot:
            stdlib = f"{base}assets/py/{pyodide.stdlib_name(self.snapshot.key)}"
            sizes.update(snapshot=self.snapshot.size(), stdlib=self.snapshot.stdlib_size())
        return {
            "version": version,
            "index": index,
            "bundle": f"{base}assets/py/{self.zip_name}",
            "snapshot": snapshot,
            "stdlib": stdlib,
            "stdlib_modules": self.runtime_facts["modules"],
            "worker": f"{base}{WORKER}",
            "sizes": sizes,
            "lock": self.runtime_facts["lock"],
        }

    def add_data(self, output: str, page: Page) -> str:
        """A calculator page's ``<head>`` gets its data and its Content-Security-Policy."""
        if page.file.src_uri not in self.pages:
            return output
        base = _base(page)
        # The configuration is the same on every page: serialise it once per build (keys sorted, as
        # json.dumps would). Only the planner and triage need every playbook's steps and rules
        # (megabytes at 1,000 playbooks); the other calculators get each playbook's title, for links.
        full = self.pages[page.file.src_uri]
        if full not in self.config_json:
            config = (
                self.config
                if full
                else {**self.config, "playbooks": {k: {"title": v["title"]} for k, v in self.config["playbooks"].items()}}
            )
            self.config_json[full] = _json_for_html(config)
        data = '{"config":' + self.config_json[full] + ',"runtime":' + _json_for_html(self._runtime_urls(base)) + "}"
        # The worker starts from <head> (calculators-start.js), before the page's other scripts.
        script = f'<script type="application/json" id="cs-calculators-data">{data}</script><script src="{base}{STARTER}"></script>'
        # First in <head>, where overrides/main.html puts every other page's policy (it leaves this page's out).
        meta = f'<meta http-equiv="Content-Security-Policy" content="{self.policy}">'
        head = output.index("<head>") + len("<head>")
        charset = re.search(r"<meta charset=[^>]*>", output)
        at = charset.end() if charset else head
        return output[:head] + meta + output[head:at] + script + output[at:]

    def write_files(self, site_dir: str) -> None:
        """The package zip, the runtime (unless it comes from a CDN) and the snapshot, into the site."""
        site = Path(site_dir)
        py_dir = site / "assets" / "py"
        pyodide.write_atomic(py_dir / self.zip_name, self.zip_data)
        if self.runtime is not None and not self.cdn:
            pyodide.copy_runtime(self.runtime, site / "assets" / "pyodide" / self.runtime.version)
        if self.snapshot is not None:
            path = self.snapshot.wait()
            if path is None:
                log.info("calculators: no start-up snapshot (%s); pages will start Pyodide normally", self.snapshot.error)
            else:
                pyodide.write_atomic(py_dir / self.snapshot.stdlib_path.name, self.snapshot.stdlib_path.read_bytes())
                pyodide.write_atomic(py_dir / path.name, path.read_bytes())
