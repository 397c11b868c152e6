"""The bad-input corpus (tests/corpus, made by make_corpus.py): hostile or broken plan files,
plan JSON, returned workbooks and typed amounts. Each must give a clear error (a phrase of which
the manifest names) or the right result, never a crash, and never change the file it was given."""

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from builders import worked_example

from planner import jsonio, money
from planner.errors import PlannerError
from planner.excel.returns import read_return
from planner.store import PlanFile

CORPUS = Path(__file__).parent / "corpus"
CASES = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def test_the_corpus_is_big_enough():
    kinds = {c["kind"] for c in CASES}
    assert kinds == {"plan", "json", "return", "cell"}
    assert len(CASES) == 93  # the corpus says how many cases it holds; a new one updates this


def _check(expect: str, run) -> None:
    if expect == "ok":
        run()
        return
    with pytest.raises(PlannerError) as e:
        run()
    assert re.search(expect, str(e.value), re.IGNORECASE), str(e.value)
    assert "Traceback" not in str(e.value)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "plan"], ids=lambda c: c["file"])
def test_plan_files(tmp_path, case):
    path = tmp_path / Path(case["file"]).name
    shutil.copy(CORPUS / case["file"], path)
    before = _digest(path)

    def run():
        with PlanFile.open(path) as pf:
            assert pf.plan.bodies

    _check(case["expect"], run)
    assert _digest(path) == before


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "json"], ids=lambda c: c["file"])
def test_plan_json(tmp_path, case):
    text = (CORPUS / case["file"]).read_text(encoding="utf-8")

    def run():
        plan = jsonio.loads(text)
        # What loads must also store and export: its text stays text in the workbook.
        PlanFile.create(tmp_path / "loaded.poolplan", plan).close()
        from planner.excel.export import export_workbook

        export_workbook(plan, tmp_path / "loaded.xlsx")

    _check(case["expect"], run)


@pytest.fixture
def example_path(tmp_path):
    path = tmp_path / "example.poolplan"
    PlanFile.create(path, worked_example()).close()
    return path


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["kind"] == "return"], ids=lambda c: c["file"]
)
def test_returned_workbooks(tmp_path, example_path, case):
    returned = tmp_path / Path(case["file"]).name
    shutil.copy(CORPUS / case["file"], returned)
    plan_before, return_before = _digest(example_path), _digest(returned)

    def run():
        with PlanFile.open(example_path, read_only=True) as pf:
            read_return(pf, returned)

    _check(case["expect"], run)
    assert _digest(example_path) == plan_before
    assert _digest(returned) == return_before


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["kind"] == "cell"], ids=lambda c: repr(c["value"])
)
def test_typed_amounts(case):
    def run():
        if case["value"].strip():
            money.parse(case["value"])

    _check(case["expect"], run)
