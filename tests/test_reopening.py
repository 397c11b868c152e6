"""Opening a plan that is already open: your own is brought forward, from this Pool Planner or
another one, and stays editable; a colleague's says who has it, and opens read-only only if
asked."""

import json
import os
import socket

import pytest
from colleague import editing
from gm_window import answer, police_cell
from PySide6.QtCore import Qt

from planner.store import PlanFile
from planner.store.lock import owner_path, read_owner


def test_reopening_the_plan_in_its_own_window_keeps_it_editable(qtbot, window, plan_path):
    doc = window.doc
    window.editors.contributions.setData(police_cell(window, 2014), "6,000,000")
    assert window.open_path(plan_path)  # File > Open Recent on the plan already open
    assert window.doc is doc and not doc.read_only and not window.banner.isVisible()
    assert window.undo_action.isEnabled()  # nothing was reopened: the undo stack is as it was
    assert "already open" in window.statusBar().currentMessage()


def test_a_second_window_brings_the_first_forward_instead_of_a_read_only_copy(
    qtbot, window, make_window, plan_path
):
    second = make_window()
    assert not second.open_path(plan_path)
    assert second.doc is None and not window.doc.read_only


def test_a_second_pool_planner_hands_the_plan_to_the_window_that_has_it(
    qtbot, make_window, plan_path, tmp_path
):
    from ui.single_instance import hand_over

    with editing(plan_path, window=True, settings=tmp_path / "child.ini") as child:
        assert hand_over(plan_path)
        assert child.stdout.readline().strip() == "forward"
        here = make_window()
        assert not here.open_path(plan_path)  # File > Open here: the other window comes forward
        assert "brought forward" in here.statusBar().currentMessage()
        assert child.stdout.readline().strip() == "forward"
        child.stdin.write("state\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "editable"
        assert here.doc is None


def test_a_double_click_on_an_open_plan_starts_no_second_window(qtbot, plan_path, tmp_path):
    from ui import app

    with editing(plan_path, window=True, settings=tmp_path / "child.ini") as child:
        assert app.start(str(plan_path)) is None
        assert child.stdout.readline().strip() == "forward"


def test_a_plan_a_colleague_is_editing_says_who_and_opens_read_only_only_if_asked(
    qtbot, make_window, plan_path
):
    with editing(plan_path, who="Jane Smith"):
        window = make_window()
        answer("Cancel")
        assert not window.open_path(plan_path) and window.doc is None
        assert "Jane Smith" in answer.text and socket.gethostname() in answer.text
        answer("Open Read-only")
        assert window.open_path(plan_path)
        assert window.doc.read_only and "Jane Smith" in window.banner.text()
        cell = police_cell(window, 2014)
        assert not (cell.flags() & Qt.ItemFlag.ItemIsEditable)
        assert not window.editors.contributions.setData(cell, "1")
    window.reload_action.trigger()  # they have closed it: reload, and it is ours to edit
    assert not window.doc.read_only and not window.banner.isVisible()


def test_the_owner_record_is_beside_the_plan_only_while_it_is_held(tmp_path, plan_path):
    before = plan_path.read_bytes()
    with PlanFile.open(plan_path, who="Sam Patel") as pf:
        record = json.loads(owner_path(plan_path).read_text())
        assert record["name"] == "Sam Patel" and record["pid"] == os.getpid()
        assert read_owner(plan_path).describe().startswith("Sam Patel")
        assert not pf.read_only
    assert not owner_path(plan_path).exists()
    assert plan_path.read_bytes() == before  # never written into the plan


@pytest.mark.parametrize(
    "record",
    [
        json.dumps(  # a crashed holder on this computer
            {"user": "x", "name": "", "machine": socket.gethostname(), "pid": 999_999_999}
            | {"since": "2026-01-01"}
        ),
        "not json",
        "x" * 10_000,
    ],
)
def test_an_owner_record_that_cannot_be_believed_is_not_and_is_replaced(plan_path, record):
    owner_path(plan_path).write_text(record)
    assert read_owner(plan_path) is None
    with PlanFile.open(plan_path, who="Sam Patel"):
        assert read_owner(plan_path).name == "Sam Patel"
