"""The bad-input corpus: hostile or broken plan files, plan JSON, returned workbooks and typed
amounts, committed in tests/corpus (made by make_corpus.py) or made as the tests run
(corpus_live.py). Each goes through every way in that a user has: the plan API, the command
line, and the window (plan JSON has no way into the window; it is loaded by the command line).

Each must give a clear message (a phrase of which the case names: no traceback, no control
character, no "did not expect") or open correctly, and leave its folder as it was, byte for byte
and file for file; a save cut off by a crash is the one exception, rolled back in place, and it
must open as the last committed plan."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import unicodedata
from pathlib import Path

import pytest
from builders import worked_example
from corpus_live import LIVE, Live

from planner import cli, jsonio, money
from planner.errors import PlannerError
from planner.excel.returns import read_return
from planner.store import PlanFile
from planner.text import MESSAGE, shown

CORPUS = Path(__file__).parent / "corpus"
CASES = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
EVERY = [*CASES, *LIVE]


def test_the_corpus_is_big_enough():
    kinds = {c["kind"] for c in CASES} | {c.kind for c in LIVE}
    assert kinds == {"plan", "json", "return", "cell"}
    assert len(EVERY) == 150  # the corpus says how many cases it holds; a new one updates this


def _of(kind: str) -> list:
    return [c for c in EVERY if (c.kind if isinstance(c, Live) else c["kind"]) == kind]


def _name(case) -> str:
    if isinstance(case, Live):
        return f"live:{case.file}"
    return case["file"] if "file" in case else repr(case["value"])


def _expect(case) -> str:
    return case.expect if isinstance(case, Live) else case["expect"]


def clear(message: str, expect: str, shown_to_user: bool = True) -> None:
    """``message`` is one a user can act on: the expected phrase, and nothing of the machinery;
    as the command line and the window show it, with no raw control or formatting character,
    and short enough to read."""
    assert re.search(expect, message, re.IGNORECASE), message
    assert "Traceback" not in message and "did not expect" not in message, message
    if not shown_to_user:  # the store's words: escaped where they are shown
        return
    raw = [ch for ch in message if unicodedata.category(ch) in {"Cc", "Cf", "Cs"} - {"\n"}]
    assert not raw or raw == ["\n"] * len(raw), repr(message)
    assert len(message) <= MESSAGE + 100, f"{len(message):,} characters"


def _listing(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with a digest of its bytes (a pipe is listed, never read)."""
    out = {}
    for p in sorted(folder.iterdir()):
        mode = p.lstat().st_mode
        out[p.name] = (
            hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(mode) else oct(mode)
        )
    return out


class Given:
    """A case's file, put in a folder of its own, and what it must open as."""

    def __init__(self, case, folder: Path, monkeypatch):
        folder.mkdir()
        self.live = case if isinstance(case, Live) else None
        if self.live:
            self.path, self.committed = self.live.make(folder)
            if self.live.folder_read_only:
                _folder_read_only(monkeypatch, folder)
        else:
            self.path, self.committed = folder / Path(case["file"]).name, None
            shutil.copy(CORPUS / case["file"], self.path)
        self.folder = folder
        self.before = _listing(folder)

    def left_as_it_was(self) -> None:
        if self.live and self.live.recovers_in_place:
            # Rolled back in place: the journal is gone and the file is the last committed plan.
            # The killed editor's owner record stays, disbelieved, until the plan is next held.
            real = Path(os.path.realpath(self.path))
            left = set(self.before) - {real.name + "-journal"}
            assert set(_listing(self.folder)) in (left, left - {real.name + ".owner"})
            with PlanFile.open(self.path, read_only=True) as pf:
                assert jsonio.dumps(pf.plan) == self.committed
            return
        assert _listing(self.folder) == self.before


def _folder_read_only(monkeypatch, folder: Path) -> None:
    """The tests run as root, who can write anywhere: a folder that cannot be written is
    simulated where the store asks."""
    import os

    real = os.access

    def access(p, mode, *args, **kwargs):
        if mode & os.W_OK and Path(p).resolve().is_relative_to(folder.resolve()):
            return False
        return real(p, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.fixture
def given(request, tmp_path, monkeypatch):
    return lambda case: Given(case, tmp_path / "given", monkeypatch)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# -- plan files -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _of("plan"), ids=_name)
def test_plan_files_through_the_store(given, case):
    g = given(case)

    def run():
        with PlanFile.open(g.path, read_only=True) as pf:
            assert pf.plan.bodies
            if g.committed:
                assert jsonio.dumps(pf.plan) == g.committed

    _through_the_store(run, _expect(case))
    g.left_as_it_was()


@pytest.mark.parametrize("case", _of("plan"), ids=_name)
def test_plan_files_through_the_command_line(given, capsys, case):
    g = given(case)
    code, out, err = run_cli(capsys, "check", g.path)
    if _expect(case) == "ok":
        assert code in (0, 1), err  # 1: the plan has findings
        if g.committed:
            code, out, err = run_cli(capsys, "dump", g.path)
            assert code == 0 and jsonio.loads(out) == jsonio.loads(g.committed)
    else:
        assert code == 2 and out == ""
        clear(err, _expect(case))
    g.left_as_it_was()


@pytest.mark.parametrize("case", _of("plan"), ids=_name)
def test_plan_files_through_the_window(given, make_window, case):
    g = given(case)
    window = make_window()
    opened = window.open_path(g.path)
    if _expect(case) == "ok":
        assert opened
        if g.committed:
            assert jsonio.dumps(window.doc.plan) == g.committed
        window.close_plan()
    else:
        assert not opened and window.doc is None
        clear(window.last_message_box.text(), _expect(case))
    g.left_as_it_was()


def _through_the_store(run, expect: str) -> None:
    if expect == "ok":
        run()
        return
    with pytest.raises(PlannerError) as e:
        run()
    clear(str(e.value), expect, shown_to_user=False)


# -- plan JSON --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _of("json"), ids=_name)
def test_plan_json_through_the_store(tmp_path, case):
    text = (CORPUS / case["file"]).read_text(encoding="utf-8")

    def run():
        plan = jsonio.loads(text)
        # What loads must also store and export: its text stays text in the workbook.
        PlanFile.create(tmp_path / "loaded.poolplan", plan).close()
        from planner.excel.export import export_workbook

        export_workbook(plan, tmp_path / "loaded.xlsx")

    _through_the_store(run, case["expect"])


@pytest.mark.parametrize("case", _of("json"), ids=_name)
def test_plan_json_through_the_command_line(given, capsys, tmp_path, case):
    g = given(case)
    target = tmp_path / "loaded.poolplan"
    code, out, err = run_cli(capsys, "load", target, "--from", g.path)
    if case["expect"] == "ok":
        assert code == 0, err
        with PlanFile.open(target, read_only=True) as pf:
            assert pf.plan.bodies
    else:
        assert code == 2 and not target.exists()
        clear(err, case["expect"])
        assert shown(g.path.name) in err
    g.left_as_it_was()


# -- returned workbooks -----------------------------------------------------------------------


@pytest.fixture
def example_path(tmp_path):
    folder = tmp_path / "plan"
    folder.mkdir()
    path = folder / "example.poolplan"
    PlanFile.create(path, worked_example()).close()
    return path


@pytest.mark.parametrize("case", _of("return"), ids=_name)
def test_returned_workbooks_through_the_store(given, example_path, case):
    g = given(case)
    plan_before = _listing(example_path.parent)

    def run():
        with PlanFile.open(example_path, read_only=True) as pf:
            read_return(pf, g.path)

    _through_the_store(run, _expect(case))
    g.left_as_it_was()
    assert _listing(example_path.parent) == plan_before


@pytest.mark.parametrize("case", _of("return"), ids=_name)
def test_returned_workbooks_through_the_command_line(given, capsys, example_path, case):
    g = given(case)
    plan_before = _listing(example_path.parent)
    code, out, err = run_cli(capsys, "import-return", example_path, g.path)
    if _expect(case) == "ok":
        assert code == 0, err
    else:
        assert code == 2
        clear(err, _expect(case))
        assert shown(g.path.name) in err  # which file, with what is wrong in it
    g.left_as_it_was()
    assert _listing(example_path.parent) == plan_before


@pytest.mark.parametrize("case", _of("return"), ids=_name)
def test_returned_workbooks_through_the_window(given, make_window, example_path, case):
    g = given(case)
    window = make_window()
    assert window.open_path(example_path)
    plan_before = jsonio.dumps(window.doc.plan)
    dialog = window.import_return(g.path)
    if _expect(case) == "ok":
        assert dialog is not None
        dialog.reject()
    else:
        assert dialog is None
        clear(window.last_message_box.text(), _expect(case))
        assert shown(g.path.name) in window.last_message_box.text()
    assert jsonio.dumps(window.doc.plan) == plan_before
    window.close_plan()
    g.left_as_it_was()


# -- amounts typed into a cell ----------------------------------------------------------------


@pytest.mark.parametrize("case", _of("cell"), ids=_name)
def test_typed_amounts_through_the_store(case):
    def run():
        if case["value"].strip():
            money.parse(case["value"])

    _through_the_store(run, case["expect"])


@pytest.mark.parametrize("case", _of("cell"), ids=_name)
def test_typed_amounts_through_the_window(make_window, example_path, case):
    window = make_window()
    assert window.open_path(example_path)
    model = window.editors.contributions
    row = next(i for i, r in enumerate(model.rows) if r[0] == "stream")
    cell = model.index(row, 2)  # the first year of the first body's first stream
    before = jsonio.dumps(window.doc.plan)
    typed = model.setData(cell, case["value"])
    if case["expect"] == "ok":
        assert typed
    else:
        assert not typed and jsonio.dumps(window.doc.plan) == before
        clear(window.statusBar().currentMessage(), case["expect"])
