"""Hostile input: nothing leaks, nothing hangs, nothing lies.

A library file may come from anyone who opens a pull request, and ``validate``'s problems
land in public CI logs. So: a file that is a symbolic link, or not a regular file, or whose
real path lies outside ``playbooks/``, is refused without being read; a problem quotes at
most the offending token (:data:`~cslibrary.model.yaml_reader.QUOTE_MAX` characters), never
a line of a file, and is one line; ids are whole, short and valid file names everywhere; no
YAML-looking file is skipped in silence; and ``render OUTDIR`` writes all or nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from cslibrary import cli
from cslibrary.model.base import ID_MAX, RESERVED_NAMES, reserved_name
from cslibrary.model.loader import Problem, read_yaml
from cslibrary.model.yaml_reader import MAX_KEY, QUOTE_MAX, quote
from cslibrary.render import Page, RenderError, write_pages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal"
SECRET = "root:x:0:0:root:/root:/bin/bash TOP-SECRET-" + "s3cr3t" * 20
needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(MINIMAL, root)
    return root


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the library that must never be read (here: a YAML-valid one)."""
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the reader opens (it opens files with ``os.open`` only)."""
    seen: list[str] = []
    real = os.open

    def spy(path: Any, *args: Any, **kwargs: Any) -> int:
        seen.append(os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    return seen


def validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["validate", "--root", str(root)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.splitlines()


def no_leak(lines: list[str]) -> None:
    """No line holds more than QUOTE_MAX characters of the secret, nor of any line of it."""
    text = "\n".join(lines)
    for start in range(0, len(SECRET) - QUOTE_MAX):
        assert SECRET[start : start + QUOTE_MAX + 1] not in text, text


# --- 1. files outside the repository never leak ----------------------------------------------


@needs_symlinks
def test_a_symlinked_playbook_is_refused_unread(lib: Path, secret: Path, opened: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "playbooks" / "library" / "pw.yml").symlink_to(secret)
    code, lines = validate(lib, capsys)
    assert code == 1
    assert "playbooks/library/pw.yml: the file is a symbolic link; refused unread (replace the link with the file itself)" in lines
    assert not any("pw.yml" in path or "passwd" in path for path in opened), opened
    no_leak(lines)
    assert "TOP-SECRET" not in "\n".join(lines) and "root:x" not in "\n".join(lines)


@needs_symlinks
def test_etc_passwd_behind_a_link_never_reaches_the_log(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd here")
    (lib / "playbooks" / "library" / "pw.yml").symlink_to("/etc/passwd")
    code, lines = validate(lib, capsys)
    assert code == 1 and not any("root:" in line for line in lines), lines


@needs_symlinks
@pytest.mark.parametrize("name", ["roles.yml", "metrics/nps.yml", "library/at-risk.yml"])
def test_a_library_file_replaced_by_a_link_is_refused_even_to_a_file_inside(
    lib: Path, name: str, opened: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A link is refused wherever it points: inside the library too (its text would be read twice)."""
    file = lib / "playbooks" / name
    copy = lib / "playbooks" / "copy.txt"
    file.rename(copy)
    file.symlink_to(copy)
    code, lines = validate(lib, capsys)
    assert code == 1
    assert f"playbooks/{name}: the file is a symbolic link; refused unread (replace the link with the file itself)" in lines
    assert not any(path.endswith(("copy.txt", name)) for path in opened)
    assert not any("the file is missing" in line for line in lines)  # there, only refused


@needs_symlinks
@pytest.mark.parametrize("folder", ["metrics", "library"])
def test_a_symlinked_folder_is_refused_unread(
    lib: Path, tmp_path: Path, folder: str, opened: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    moved = tmp_path / "elsewhere"
    (lib / "playbooks" / folder).rename(moved)
    (lib / "playbooks" / folder).symlink_to(moved, target_is_directory=True)
    code, lines = validate(lib, capsys)
    assert code == 1
    assert (
        f"playbooks/{folder}/: the folder is a symbolic link; refused unread: the library's files must lie inside playbooks/ itself"
        in lines
    )
    assert not any(str(moved) in path or f"/{folder}/" in path for path in opened), opened


@needs_symlinks
def test_a_symlinked_playbooks_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(MINIMAL / "playbooks", tmp_path / "real")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "playbooks").symlink_to(tmp_path / "real", target_is_directory=True)
    code, lines = validate(tmp_path / "lib", capsys)
    assert code == 1 and lines == [
        "playbooks/: the folder is a symbolic link; refused unread: the library's files must lie inside playbooks/ itself"
    ]


@needs_symlinks
def test_read_yaml_itself_refuses_a_link(tmp_path: Path, secret: Path) -> None:
    (tmp_path / "x.yml").symlink_to(secret)
    out = read_yaml(tmp_path / "x.yml", "playbooks/x.yml")
    assert out.data is None and [p.message for p in out.problems] == [
        "the file is a symbolic link; refused unread: a library file must be a regular file inside playbooks/ "
        "(replace the link with the file itself)"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting_for_it(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Opening a FIFO for reading blocks until someone writes: it must never be opened."""
    os.mkfifo(lib / "playbooks" / "library" / "pipe.yml")
    os.mkfifo(lib / "playbooks" / "events.yml.tmp")  # not YAML-looking: left alone, unopened
    code, lines = validate(lib, capsys)
    assert code == 1
    assert "playbooks/library/pipe.yml: not a regular file (a folder, a device or a pipe); refused unread" in lines


def test_a_folder_named_like_a_playbook_is_refused(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "playbooks" / "library" / "drafts.yml").mkdir()
    code, lines = validate(lib, capsys)
    assert code == 1 and "playbooks/library/drafts.yml: not a regular file (a folder, a device or a pipe); refused unread" in lines


def test_a_whole_file_of_text_is_quoted_by_its_first_words_only(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The leak of the issue: ``got the text 'root:x:0:0:…'`` printed the whole file."""
    (lib / "playbooks" / "library" / "pw.yml").write_text("\n".join([SECRET] * 30) + "\n", encoding="utf-8")
    code, lines = validate(lib, capsys)
    assert code == 1
    line = next(x for x in lines if x.startswith("playbooks/library/pw.yml"))
    assert (
        line
        == f"playbooks/library/pw.yml:1:1: the file must be a mapping of 'key: value' lines at the top level, got the text {quote(SECRET)}"
    )
    no_leak(lines)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (f"id: adoption\nsummary: [{SECRET}]\n", "summary"),  # expected text, got a list
        (f"id: adoption\n{SECRET[:60].replace(':', '_')}: 1\n", ""),  # an unknown key
        (f"id: adoption\ntitle: <b>{SECRET}</b>\n", "title"),  # HTML in a title
        (f"id: adoption\nowner: {SECRET.replace(':', '-')}\n", "owner"),  # a dangling reference
        (f"id: adoption\ncategory: {SECRET.replace(':', '-')}\n", "category"),  # not one of a list
        (f"id: adoption\nrelated: [{SECRET.replace(':', '-')}]\n", "related[0]"),
        (f"id: adoption\nx: !{SECRET.replace(':', '-').replace(' ', '-')} 1\n", ""),  # a tag
        (f"id: adoption\nx: '{SECRET}\n", ""),  # an unclosed quote
        (f"id: adoption\n\t{SECRET}\n", ""),  # a tab
        (f"id: adoption\nx: 1\nx: 2\n{SECRET.replace(':', '-')}: 3\n{SECRET.replace(':', '-')}: 4\n", ""),
        (f"id: {SECRET.replace(':', '-').replace(' ', '-')}\n", "id"),
    ],
)
def test_a_problem_quotes_at_most_the_offending_token(lib: Path, capsys: pytest.CaptureFixture[str], text: str, field: str) -> None:
    target = lib / "playbooks" / "library" / "adoption.yml"
    original = target.read_text(encoding="utf-8").split("\n", 1)[1]
    target.write_text(text + original.split("\n", 1)[1], encoding="utf-8")  # the hostile lines, then the rest but the title
    code, lines = validate(lib, capsys)
    assert code == 1
    no_leak(lines)
    assert all(len(line) < 1_100 for line in lines)


def test_every_problem_is_one_line(tmp_path: Path) -> None:
    """A line break in a file name, a key or a value cannot forge a second problem (or an annotation)."""
    problem = Problem("playbooks/library/a\n::error file=x::b.yml", 1, 1, "k\u2028v", "got 'x\r\ny' and \x1b[31m\u202e")
    assert "\n" not in str(problem) and "\r" not in str(problem) and "\x1b" not in str(problem)
    assert str(problem) == r"playbooks/library/a\n::error file=x::b.yml:1:1: k\u2028v: got 'x\r\ny' and \x1b[31m\u202e"
    assert len(str(Problem("p.yml", message="x" * 50_000))) < 1_100


def test_a_control_character_is_placed_and_named_not_dumped(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_bytes(b"a: 1\nb: text\x00" + SECRET.encode() + b"\n")
    out = read_yaml(tmp_path / "x.yml", "playbooks/x.yml")
    assert [str(p) for p in out.problems] == [
        "playbooks/x.yml:2:8: the character U+0000 is not allowed in YAML text: remove it (or write it as an escape in double quotes)"
    ]


def test_a_byte_that_is_not_utf8_is_placed(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_bytes(b"a: 1\nb: caf\xe9\n")
    out = read_yaml(tmp_path / "x.yml", "playbooks/x.yml")
    assert [str(p) for p in out.problems] == ["playbooks/x.yml:2:7: the file is not UTF-8 text (invalid continuation byte at byte 11)"]


def test_a_key_longer_than_any_field_or_id_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text(f"a: 1\n{'k' * (MAX_KEY + 1)}: 2\n{'k' * MAX_KEY}: 3\n", encoding="utf-8")
    out = read_yaml(tmp_path / "x.yml", "playbooks/x.yml")
    assert [str(p) for p in out.problems] == [
        f"playbooks/x.yml:2:1: a key of {MAX_KEY + 1} characters: keys are field names and ids, at most {MAX_KEY} characters"
    ]


# --- 2. ids: whole, short, and a file name on every system ----------------------------------


def _playbook_with_id(lib: Path, ident: str, file: str | None = None) -> None:
    source = lib / "playbooks" / "library" / "adoption.yml"
    text = source.read_text(encoding="utf-8").replace("id: adoption\n", f"id: {ident}\n", 1)
    source.unlink()
    (lib / "playbooks" / "library" / (file or f"{ident}.yml")).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("ident", "shown"),
    [("|\n  adoption", r"'adoption\n'"), ("|+\n  adoption\n\n", r"'adoption\n\n\n'"), ('"adoption\\n"', r"'adoption\n'")],
)
def test_an_id_with_a_trailing_line_break_is_refused(lib: Path, ident: str, shown: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``id: |`` made ``adoption\\n``, which ``re.match`` with ``$`` accepted; the pages got a stray ``}``."""
    _playbook_with_id(lib, ident, "adoption.yml")
    code, lines = validate(lib, capsys)
    assert code == 1
    assert f"playbooks/library/adoption.yml:1:5: id: {shown} is not a valid id: use kebab-case" in "\n".join(lines)


@pytest.mark.parametrize("length", [ID_MAX, ID_MAX + 1, 310])
def test_an_id_is_at_most_id_max_characters(lib: Path, length: int, capsys: pytest.CaptureFixture[str]) -> None:
    ident = "a" * length
    _playbook_with_id(lib, ident, "adoption.yml")
    code, lines = validate(lib, capsys)
    assert code == 1  # the file name differs in every case
    too_long = f"playbooks/library/adoption.yml:1:5: id: is {length} characters long; keep ids to {ID_MAX} (they become file names)"
    assert (too_long in lines) is (length > ID_MAX), lines


def test_an_id_of_id_max_characters_renders(lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ident = "a" * ID_MAX
    _playbook_with_id(lib, ident)
    for file in (lib / "playbooks").rglob("*.yml"):
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace("playbook: adoption\n", f"playbook: {ident}\n").replace("[adoption]", f"[{ident}]"), encoding="utf-8")
    code, lines = validate(lib, capsys)
    assert code == 0, lines
    assert cli.main(["render", str(tmp_path / "out"), "--root", str(lib)]) == 0
    assert (tmp_path / "out" / "playbooks" / f"{ident}.md").is_file()


@pytest.mark.parametrize("ident", ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"])
def test_ids_windows_reserves_are_refused(lib: Path, ident: str, capsys: pytest.CaptureFixture[str]) -> None:
    """In adoption.yml: a file named ``con.yml`` could not even be created on Windows."""
    _playbook_with_id(lib, ident, "adoption.yml")
    code, lines = validate(lib, capsys)
    assert code == 1
    assert (
        f"playbooks/library/adoption.yml:1:5: id: '{ident}' is a device name Windows reserves (CON, PRN, AUX, NUL, COM0-9, LPT0-9): "
        "no file of that name can exist there; choose another id"
    ) in lines


def test_reserved_names_in_any_case_with_or_without_an_extension() -> None:
    names = ["con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))]
    assert set(names) <= RESERVED_NAMES
    for name in names:
        for variant in (name, name.upper(), name.capitalize(), f"{name}.yml", f"{name.upper()}.TXT", f"{name}.tar.gz", f"{name} .md"):
            assert reserved_name(variant), variant
    for name in ("console", "com10", "lpt", "con-tact", "nul_report", "auxiliary", "prnt"):
        assert not reserved_name(name), name


def test_a_reserved_name_is_refused_wherever_an_id_is(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A metric id, a tier or a role is a file or an anchor too: the same rule everywhere."""
    roles = lib / "playbooks" / "roles.yml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("id: csm\n", "id: aux\n", 1), encoding="utf-8")
    code, lines = validate(lib, capsys)
    assert code == 1 and any("playbooks/roles.yml:" in x and "'aux' is a device name Windows reserves" in x for x in lines), lines


# --- 3. no YAML-looking file is skipped in silence ------------------------------------------


@pytest.mark.parametrize(
    ("folder", "name", "rename"),
    [
        ("library", "adoption.YML", "adoption.yml"),
        ("library", "adoption.yaml", "adoption.yml"),
        ("library", "adoption.Yaml", "adoption.yml"),
        ("metrics", "extra.YAML", "extra.yml"),
        ("", "Roles.YML", "roles.yml"),
        ("", "events.yaml", "events.yml"),
    ],
)
def test_every_yaml_extension_but_yml_is_refused_with_the_name_to_use(
    lib: Path, folder: str, name: str, rename: str, capsys: pytest.CaptureFixture[str]
) -> None:
    original = lib / "playbooks" / folder / rename
    text = original.read_text(encoding="utf-8") if original.exists() else "id: x\n"
    original.unlink(missing_ok=True)  # renamed, as it would be (one file on a case-insensitive disk)
    (lib / "playbooks" / folder / name).write_text(text, encoding="utf-8")
    code, lines = validate(lib, capsys)
    where = f"playbooks/{folder}/{name}" if folder else f"playbooks/{name}"
    assert code == 1
    assert f"{where}: rename to {rename}: only the lowercase .yml extension is read" in lines


def test_an_unknown_top_level_file_with_another_extension_is_not_a_file_of_the_library(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lib / "playbooks" / "notes.YAML").write_text("x: 1\n", encoding="utf-8")
    code, lines = validate(lib, capsys)
    assert code == 1 and lines == [
        "playbooks/notes.YAML: not a file of the library (expected health-model.yml, segments.yml, roles.yml, stages.yml, events.yml, "
        "relationship-strength.yml, compensation.yml, tech-stack.yml; "
        "playbooks go in library/, metrics in metrics/)"
    ]


def test_a_refused_file_is_not_also_reported_missing_nor_its_id_dangling(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "playbooks" / "library" / "adoption.yml").rename(lib / "playbooks" / "library" / "adoption.YML")
    (lib / "playbooks" / "stages.yml").rename(lib / "playbooks" / "stages.yaml")
    code, lines = validate(lib, capsys)
    assert code == 1
    assert lines == [
        "playbooks/library/adoption.YML: rename to adoption.yml: only the lowercase .yml extension is read",
        "playbooks/stages.yaml: rename to stages.yml: only the lowercase .yml extension is read",
    ]


def test_other_files_are_left_alone(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("README.md", "library/notes.txt", "library/adoption.yml.bak", "metrics/.gitkeep"):
        (lib / "playbooks" / name).write_text("x", encoding="utf-8")
    assert validate(lib, capsys)[0] == 0


# --- 4. render OUTDIR: all or nothing ---------------------------------------------------------


def _pages(*paths: str) -> list[Page]:
    return [Page(path=p, content=f"# {p}\n", kind="page") for p in paths]


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


def test_render_into_a_new_folder(tmp_path: Path) -> None:
    assert write_pages(_pages("playbooks/a.md", "playbooks/a.csv", "metrics/m.md"), tmp_path / "new" / "out") == 3
    assert _tree(tmp_path / "new" / "out") == {
        "metrics/m.md": "# metrics/m.md\n",
        "playbooks/a.csv": "# playbooks/a.csv\n",
        "playbooks/a.md": "# playbooks/a.md\n",
    }
    assert sorted(os.listdir(tmp_path / "new")) == ["out"]  # no staging folder left


def test_a_render_that_fails_half_way_leaves_the_previous_one_as_it_was(tmp_path: Path) -> None:
    """The issue: a 310-character id failed after 131 of 135 files. Now: nothing changes."""
    out = tmp_path / "out"
    write_pages(_pages("playbooks/a.md", "metrics/m.md"), out)
    before = _tree(out)
    with pytest.raises(OSError):
        write_pages(_pages("playbooks/b.md", "playbooks/c.md", f"playbooks/{'x' * 310}.md", "playbooks/d.md"), out)
    assert _tree(out) == before
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_the_command_reports_a_failed_write_in_one_line_and_keeps_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert cli.main(["render", str(out), "--root", str(MINIMAL)]) == 0
    before = _tree(out)
    capsys.readouterr()
    real = Path.mkdir
    calls = {"n": 0}

    def flaky(self: Path, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(28, "No space left on device", str(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", flaky)
    assert cli.main(["render", str(out), "--root", str(MINIMAL)]) == 2
    _, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and "No space left on device" in err and "was left as it was" in err
    monkeypatch.undo()
    assert _tree(out) == before and sorted(os.listdir(tmp_path)) == ["out"]


def test_a_previous_render_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages(_pages("playbooks/old.md", "playbooks/old.csv", "playbooks/keep.md"), out)
    write_pages(_pages("playbooks/keep.md", "metrics/m.md"), out)
    assert set(_tree(out)) == {"playbooks/keep.md", "metrics/m.md"}  # no page of a removed playbook lingers
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    assert write_pages(_pages("playbooks/a.md"), tmp_path / "out") == 1
    assert set(_tree(tmp_path / "out")) == {"playbooks/a.md"}


@pytest.mark.parametrize("foreign", ["index.md", ".git/config", "playbooks/notes.txt", "docs/a.md"])
def test_a_folder_that_is_no_previous_render_is_refused(tmp_path: Path, foreign: str) -> None:
    out = tmp_path / "out"
    (out / foreign).parent.mkdir(parents=True)
    (out / foreign).write_text("mine", encoding="utf-8")
    (out / "playbooks").mkdir(exist_ok=True)
    (out / "playbooks" / "a.md").write_text("old", encoding="utf-8")
    before = _tree(out)
    with pytest.raises(RenderError, match="which no render writes: refused, nothing was written"):
        write_pages(_pages("playbooks/a.md"), out)
    assert _tree(out) == before and sorted(os.listdir(tmp_path)) == ["out"]


@needs_symlinks
def test_a_link_at_outdir_is_never_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "playbooks").mkdir()
    (elsewhere / "playbooks" / "a.md").write_text("theirs", encoding="utf-8")
    link = tmp_path / "out"
    link.symlink_to(elsewhere, target_is_directory=True)
    assert cli.main(["render", str(link), "--root", str(MINIMAL)]) == 1
    out, _ = capsys.readouterr()
    assert out.strip() == f"{link}: is a symbolic link: refused, nothing was written (pass the folder itself, not a link to it)"
    assert link.is_symlink() and _tree(elsewhere) == {"playbooks/a.md": "theirs"}
    assert sorted(os.listdir(tmp_path)) == ["elsewhere", "out"]


@needs_symlinks
def test_a_link_inside_a_previous_render_makes_it_foreign(tmp_path: Path, secret: Path) -> None:
    out = tmp_path / "out"
    write_pages(_pages("playbooks/a.md"), out)
    (out / "playbooks" / "b.md").symlink_to(secret)
    with pytest.raises(RenderError, match=r"'playbooks/b\.md', which no render writes"):
        write_pages(_pages("playbooks/a.md"), out)
    assert secret.read_text(encoding="utf-8").startswith("root:x")


def test_outdir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(RenderError, match="exists and is not a folder"):
        write_pages(_pages("playbooks/a.md"), tmp_path / "out")


@pytest.mark.parametrize("path", ["../escape.md", "/abs.md", "playbooks/../../x.md", "playbooks\\..\\x.md", ""])
def test_a_page_path_never_leaves_outdir(tmp_path: Path, path: str) -> None:
    with pytest.raises(RenderError, match="a page path must stay inside the output folder"):
        write_pages(_pages(path), tmp_path / "out")
    assert os.listdir(tmp_path) == []


def test_two_pages_for_one_file_fail_the_render(tmp_path: Path) -> None:
    with pytest.raises(FileExistsError):
        write_pages(_pages("playbooks/a.md", "playbooks/a.md"), tmp_path / "out")
    assert os.listdir(tmp_path) == []
