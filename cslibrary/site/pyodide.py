"""What the browser needs to run the calculators: the Pyodide runtime, the package, a snapshot.

* :func:`calculators_zip` — the ``calculators`` package as a zip (no
  ``__pycache__``), byte-for-byte reproducible, named ``calculators-<sha12>.zip`` by
  :func:`zip_name`. The page unpacks it into site-packages with ``pyodide.unpackArchive``.
* :func:`copy_runtime` — the core runtime files from ``node_modules/pyodide`` (the version
  pinned in ``package.json`` / ``package-lock.json``), into ``assets/pyodide/<version>/``.
* :func:`build_snapshot` — a Pyodide memory snapshot made in Node with ``calculators``
  imported and every calculator run once, gzipped. Starting from it skips most of Python's
  start-up in the browser. It is cached under ``node_modules/.cache/cs-calculators/`` by
  a key over the runtime and the zip, so a build only makes one when either changed.

No MkDocs imports; :mod:`cslibrary.site.calculator_pages` calls these.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The runtime files the page needs (``pyodide.mjs`` loads the rest itself).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

#: Folders of the package that never go to the browser.
EXCLUDED_DIRS = frozenset({"__pycache__"})

_EPOCH = (1980, 1, 1, 0, 0, 0)


class BundleError(RuntimeError):
    """The runtime or the bundle cannot be prepared (the message says what to run)."""


def _write_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """One entry of a reproducible zip: fixed date and permissions, deflated."""
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compresslevel=9)


def calculators_zip(package_dir: Path) -> bytes:
    """The package as a reproducible zip: sorted entries, fixed dates and permissions."""
    buffer = io.BytesIO()
    files = sorted(
        p
        for p in package_dir.rglob("*")
        if p.is_file() and not EXCLUDED_DIRS.intersection(p.relative_to(package_dir).parts) and p.suffix in (".py", ".json", ".typed")
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            _write_entry(archive, f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}", path.read_bytes())
    return buffer.getvalue()


def zip_name(data: bytes) -> str:
    """``calculators-<first 12 hex of sha256>.zip``."""
    return f"calculators-{hashlib.sha256(data).hexdigest()[:12]}.zip"


@dataclass(frozen=True)
class Runtime:
    """The pinned Pyodide in ``node_modules``."""

    directory: Path
    version: str

    @property
    def key(self) -> str:
        """Changes whenever the runtime's build changes (the snapshot depends on it)."""
        digest = hashlib.sha256(self.version.encode())
        digest.update((self.directory / "pyodide.asm.mjs").read_bytes())
        return digest.hexdigest()[:16]


    def sizes(self) -> dict[str, int]:
        """Bytes of the files the page downloads (the page shows its progress against them)."""
        size = {name: (self.directory / name).stat().st_size for name in RUNTIME_FILES}
        return {"wasm": size["pyodide.asm.wasm"], "stdlib": size["python_stdlib.zip"], "asm": size["pyodide.asm.mjs"] + size["pyodide.mjs"]}

    def lock(self) -> dict[str, object]:
        """The lock file the page hands Pyodide instead of downloading it (119 kB): its ``info``, no packages.

        The calculators load no package from the lock file; Pyodide only checks its ABI version.
        """
        data = json.loads((self.directory / "pyodide-lock.json").read_text(encoding="utf-8"))
        return {"info": data["info"], "packages": {}}


def pinned_version(root: Path) -> str | None:
    """The Pyodide version ``package.json`` pins, or ``None`` when it pins none."""
    path = root / "package.json"
    if not path.is_file():
        return None
    deps = json.loads(path.read_text(encoding="utf-8")).get("dependencies", {})
    version = deps.get("pyodide")
    return str(version) if version else None


def find_runtime(root: Path) -> Runtime:
    """The installed Pyodide, checked against the pinned version; :class:`BundleError` if unusable."""
    pinned = pinned_version(root)
    directory = root / "node_modules" / "pyodide"
    if pinned is None:
        raise BundleError("package.json pins no pyodide version")
    manifest = directory / "package.json"
    if not manifest.is_file():
        raise BundleError(f"Pyodide {pinned} is not installed in node_modules/: run `npm ci` (or `make install`)")
    installed = str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    if installed != pinned:
        raise BundleError(f"node_modules/ holds Pyodide {installed} but package.json pins {pinned}: run `npm ci`")
    missing = [name for name in RUNTIME_FILES if not (directory / name).is_file()]
    if missing:
        raise BundleError(f"node_modules/pyodide lacks {', '.join(missing)}: run `npm ci`")
    return Runtime(directory, installed)


def copy_runtime(runtime: Runtime, target: Path) -> int:
    """Copy the runtime files into ``target``; return the bytes copied (unchanged files are skipped)."""
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for name in RUNTIME_FILES:
        src, dst = runtime.directory / name, target / name
        if dst.is_file() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime:
            continue
        shutil.copy2(src, dst)
        copied += src.stat().st_size
    return copied


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so readers never see half a file.

    The file is made world-readable (0644): ``mkstemp`` creates it private, and a web
    server running as another user would then answer 403 for it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: The Node program that makes the snapshot. Arguments: step, pyodide dir, zip path, output path.
SNAPSHOT_SCRIPT = Path(__file__).with_name("snapshot.mjs")
#: How the snapshot is packed (shared with the page, which unpacks it).
SNAPSHOT_FORMAT = Path(__file__).resolve().parents[2] / "docs" / "assets" / "javascripts" / "calculators-snapshot.js"


def snapshot_key(runtime: Runtime, zip_data: bytes) -> str:
    """The snapshot's cache key: runtime build, package bytes and the script that makes it."""
    digest = hashlib.sha256(runtime.key.encode())
    digest.update(hashlib.sha256(zip_data).digest())
    digest.update(SNAPSHOT_SCRIPT.read_bytes())
    digest.update(SNAPSHOT_FORMAT.read_bytes())
    return digest.hexdigest()[:16]


def snapshot_name(key: str) -> str:
    return f"calculators-{key}.snapshot.gz"


def stdlib_name(key: str) -> str:
    """The trimmed standard library that goes with snapshot ``key`` (the snapshot holds its directory)."""
    return f"python_stdlib-{key}.zip"


def trimmed_stdlib(full: Path, names: list[str], compiled: Mapping[str, bytes] | None = None) -> bytes:
    """The entries ``names`` of the standard library zip ``full``, as a reproducible zip.

    The pages download this instead of the whole library (about 0.9 of 2.5 MB): the files
    the calculators import, as the build listed them. A module in ``compiled`` (its bytecode,
    made by the page's own Python) goes in as a sourceless ``.pyc``, so that a page starting
    without the snapshot does not compile it. Entries that ``full`` lacks are skipped.
    """
    code = compiled or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        present = set(source.namelist())
        for name in sorted(set(names) & present):
            entry, data = (name[: -len(".py")] + ".pyc", code[name]) if name in code else (name, source.read(name))
            _write_entry(archive, entry, data)
    return buffer.getvalue()


def stdlib_modules(full: Path) -> list[str]:
    """The top-level module and package names of the standard library zip ``full``.

    A page imports one of these from the full library when the trimmed one lacks it
    (:func:`calculators.browser.use_full_stdlib_on_demand`).
    """
    with zipfile.ZipFile(full) as source:
        names = {n.split("/", 1)[0].removesuffix(".py") for n in source.namelist() if n.endswith(".py")}
    return sorted(n for n in names if n.isidentifier())


#: Snapshots kept in the cache (each about 7 MB, with its trimmed standard library); older ones are deleted.
KEEP_SNAPSHOTS = 4


def _prune(folder: Path, keep: int) -> None:
    snapshots = sorted(folder.glob("calculators-*.snapshot.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snapshots[keep:]:
        old.unlink(missing_ok=True)
    kept = {p.name.removeprefix("calculators-").removesuffix(".snapshot.gz") for p in snapshots[:keep]}
    for stdlib in folder.glob("python_stdlib-*.zip"):
        if stdlib.name.removeprefix("python_stdlib-").removesuffix(".zip") not in kept:
            stdlib.unlink(missing_ok=True)


class SnapshotJob:
    """A snapshot and its trimmed standard library being made in the background (or already
    cached); :meth:`wait` for the files.

    Two Node runs of :data:`SNAPSHOT_SCRIPT`: ``list`` (started at once, in the background)
    lists the standard library files the calculators import; ``snapshot`` (in :meth:`wait`)
    makes the snapshot with the trimmed library built from that list.
    """

    #: The size of a snapshot not made yet (they have measured 6.8-6.9 MB); the page corrects it
    #: from the download's Content-Length.
    SIZE_GUESS = 6_900_000
    #: The same for the trimmed standard library (about 0.9 MB).
    STDLIB_GUESS = 900_000

    def __init__(self, runtime: Runtime, zip_data: bytes, cache_dir: Path, *, node: str = "node", timeout: float = 300) -> None:
        self.key = snapshot_key(runtime, zip_data)
        self.path = cache_dir / snapshot_name(self.key)
        self.stdlib_path = cache_dir / stdlib_name(self.key)
        self.runtime = runtime
        self.timeout = timeout
        self.error: str | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if self.ready():
            os.utime(self.path)  # most recently used: pruned last
            return
        node_path = shutil.which(node)
        if node_path is None:
            self.error = "node is not on PATH"
            return
        self._node = node_path
        self._tmp = tempfile.TemporaryDirectory(prefix="cs-snapshot-")
        self._zip = Path(self._tmp.name) / "calculators.zip"
        self._zip.write_bytes(zip_data)
        self._list = Path(self._tmp.name) / "stdlib.json"
        self._out = Path(self._tmp.name) / "snapshot.gz"
        self._proc = self._start("list", self._list)

    def _start(self, step: str, out: Path, *extra: str) -> subprocess.Popen[str]:
        command = [self._node, str(SNAPSHOT_SCRIPT), step, str(self.runtime.directory), str(self._zip), str(out), *extra]
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def _finish(self, proc: subprocess.Popen[str]) -> str | None:
        """Waits for one Node run; its error, or ``None``."""
        try:
            _, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return f"making the snapshot took longer than {self.timeout:g} s"
        return None if proc.returncode == 0 else (err or "").strip() or f"node exited with {proc.returncode}"

    def ready(self) -> bool:
        """Both files are in the cache."""
        return self.path.is_file() and self.stdlib_path.is_file()

    def size(self) -> int:
        """The snapshot's bytes, or :attr:`SIZE_GUESS` while it is being made."""
        return self.path.stat().st_size if self.path.is_file() else self.SIZE_GUESS

    def stdlib_size(self) -> int:
        """The trimmed standard library's bytes, or :attr:`STDLIB_GUESS` while it is being made."""
        return self.stdlib_path.stat().st_size if self.stdlib_path.is_file() else self.STDLIB_GUESS

    def wait(self) -> Path | None:
        """The cached snapshot file (its trimmed library is :attr:`stdlib_path`), or ``None``
        (then :attr:`error` says why)."""
        if self._proc is not None:
            try:
                self.error = self._finish(self._proc)
                if self.error is None:
                    used = json.loads(self._list.read_text(encoding="utf-8"))
                    compiled = {name: base64.b64decode(text) for name, text in used["compiled"].items()}
                    stdlib = trimmed_stdlib(self.runtime.directory / "python_stdlib.zip", used["files"], compiled)
                    stdlib_tmp = Path(self._tmp.name if self._tmp else ".") / "stdlib.zip"
                    stdlib_tmp.write_bytes(stdlib)
                    self.error = self._finish(self._start("snapshot", self._out, str(stdlib_tmp)))
                    if self.error is None and self._out.is_file():
                        write_atomic(self.stdlib_path, stdlib)
                        write_atomic(self.path, self._out.read_bytes())
                        _prune(self.path.parent, keep=KEEP_SNAPSHOTS)
            finally:
                self._proc = None
                if self._tmp is not None:
                    self._tmp.cleanup()
                    self._tmp = None
        return self.path if self.ready() else None
