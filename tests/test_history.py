"""The history inside the plan file: one entry per edit, undo and redo, in order, never
rewritten; reverting an entry or going back to a point is a new edit; the history is in neither
the dump nor the fingerprint, and a copy for partners can leave it out."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from planner import jsonio
from planner.errors import EditError, RevertConflict
from planner.excel.fingerprint import fingerprint
from planner.signoff import Decision, SignOff
from planner.store import PlanFile
from planner.store.history import current_user

SAMPLES = Path(__file__).parent.parent / "sample_plans"


def cells(pf, n):
    """``n`` contributions of different bodies and years."""
    return list(pf.plan.contributions.values())[:: max(1, len(pf.plan.contributions) // n)][:n]


def test_n_edits_are_n_entries_in_order_from_the_command_line(essex):
    dumps, names = [], []
    for i, c in enumerate(cells(essex, 6)):
        dumps.append(jsonio.dumps(essex.plan))
        essex.set_contribution(c.body_id, c.year, c.amount_pence + 100 * (i + 1), c.settlement_id)
        names.append(essex.last_edit.name)
    path = essex.path
    essex.close()
    out = subprocess.run(
        [sys.executable, "-m", "planner", "history", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    entries = json.loads(out.stdout)
    assert [e["what"] for e in entries] == names
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    assert all(e["who"] == current_user() and e["when"] for e in entries)
    first = entries[0]["changes"]
    assert [(ch["table"], ch["before"]["amount_pence"] + 100) for ch in first] == [
        ("contribution", ch["after"]["amount_pence"]) for ch in first
    ]
    text = subprocess.run(
        [sys.executable, "-m", "planner", "history", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert names[-1] in text.splitlines()[-1]


def test_reverting_entry_k_gives_the_plan_as_it_was_before_k(essex):
    dumps = []
    for i, c in enumerate(cells(essex, 5)):
        dumps.append(jsonio.dumps(essex.plan))
        essex.set_contribution(c.body_id, c.year, 1_000 + i, c.settlement_id)
    entries = essex.history()
    later_dump = jsonio.dumps(essex.plan)
    k = entries[2]
    edit = essex.revert([k.id])
    assert edit.name == f"Revert \u201c{k.what}\u201d"
    assert jsonio.dumps(essex.plan) != later_dump
    # Nothing after k touched its rows: with the later entries reverted too, the plan is as it
    # was before k, exactly.
    essex.revert([e.id for e in entries[3:]])
    assert jsonio.dumps(essex.plan) == dumps[2]
    assert [e.kind for e in essex.history()][-2:] == ["revert", "revert"]


def test_going_back_to_a_point_gives_the_plan_as_it_was_then(essex):
    dumps = []
    for i, c in enumerate(cells(essex, 5)):
        essex.set_contribution(c.body_id, c.year, 1_000 + i, c.settlement_id)
        dumps.append(jsonio.dumps(essex.plan))
    entries = essex.history()
    essex.go_back_to(entries[1].id)
    assert jsonio.dumps(essex.plan) == dumps[1]
    assert essex.last_edit.name.startswith("Go back to ")
    assert entries[1].what in essex.last_edit.name


def test_go_back_to_the_start_gives_the_original_dump_and_fingerprint(essex):
    original, fp = jsonio.dumps(essex.plan), fingerprint(essex.plan)
    for c in cells(essex, 4):
        essex.set_contribution(c.body_id, c.year, None, c.settlement_id)
    essex.delete_body(next(iter(essex.plan.bodies)))
    essex.go_back_to(0)
    assert jsonio.dumps(essex.plan) == original
    assert fingerprint(essex.plan) == fp  # the history grew; the plan's fingerprint did not


def test_reverting_an_entry_whose_rows_changed_again_is_refused_naming_the_later_ones(essex):
    c = next(iter(essex.plan.contributions.values()))
    before = jsonio.dumps(essex.plan)
    essex.set_contribution(c.body_id, c.year, 1, c.settlement_id)
    other = cells(essex, 8)[-1]
    essex.set_contribution(other.body_id, other.year, 2, other.settlement_id)
    essex.set_contribution(c.body_id, c.year, 3, c.settlement_id)
    first, unrelated, again = essex.history()[-3:]
    now = jsonio.dumps(essex.plan)
    with pytest.raises(RevertConflict) as refused:
        essex.revert([first.id])
    assert [e.id for e in refused.value.later] == [again.id]
    assert str(again.id) in str(refused.value)
    assert jsonio.dumps(essex.plan) == now
    essex.revert([first.id, again.id])
    essex.revert([unrelated.id])
    assert jsonio.dumps(essex.plan) == before


def test_undo_and_redo_are_entries_and_nothing_is_rewritten(essex):
    c = next(iter(essex.plan.contributions.values()))
    essex.set_contribution(c.body_id, c.year, 5, c.settlement_id)
    edit = essex.last_edit
    first = essex.history()
    essex.undo(edit)
    essex.redo(edit)
    entries = essex.history()
    assert entries[: len(first)] == first
    assert [e.kind for e in entries[-3:]] == ["edit", "undo", "redo"]
    assert entries[-2].what == f"Undo {edit.name}"


def test_edits_after_a_body_signed_are_marked(essex):
    c = next(iter(essex.plan.contributions.values()))
    essex.set_contribution(c.body_id, c.year, 5, c.settlement_id)
    assert essex.history()[-1].signed_by == ()
    body = essex.plan.bodies[c.body_id]
    essex.record_sign_off(SignOff(body.id, fingerprint(essex.plan), 1, Decision.APPROVED))
    essex.set_contribution(c.body_id, c.year, 6, c.settlement_id)
    assert essex.history()[-1].signed_by == (body.name,)


def test_the_display_name_is_kept_beside_the_user_name(essex):
    essex.display_name = "Pat Finance"
    c = next(iter(essex.plan.contributions.values()))
    essex.set_contribution(c.body_id, c.year, 5, c.settlement_id)
    entry = essex.history()[-1]
    assert (entry.display_name, entry.user_name) == ("Pat Finance", current_user())


def test_a_copy_without_history_holds_none_of_it(essex, tmp_path):
    c = next(iter(essex.plan.contributions.values()))
    essex.update_body(c.body_id, name="Secret working name")
    essex.record_export("f" * 64, 1, jsonio.dumps(essex.plan))  # the plan as it was sent
    essex.update_body(c.body_id, name="Essex Partner")
    bare, full = tmp_path / "bare.poolplan", tmp_path / "full.poolplan"
    essex.save_copy(bare, with_history=False)
    essex.save_copy(full)
    assert b"Secret working name" in full.read_bytes()
    assert b"Secret working name" not in bare.read_bytes()
    with PlanFile.open(bare, read_only=True) as copy:
        assert copy.history() == []
        assert jsonio.dumps(copy.plan) == jsonio.dumps(essex.plan)
    with sqlite3.connect(full) as conn:
        assert conn.execute("SELECT count(*) FROM history").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM export_record").fetchone() == (1,)


def test_reverting_an_entry_already_undone_says_so(essex):
    c = next(iter(essex.plan.contributions.values()))
    essex.set_contribution(c.body_id, c.year, 5, c.settlement_id)
    first = essex.history()[-1]
    essex.revert([first.id])
    with pytest.raises(EditError, match="already undone"):
        essex.revert([first.id])


def test_reverting_together_takes_every_entry_that_must_go_with_it(essex):
    """Entry 3 wrote cell B again, which only entry 2 had written; entry 2 rewrote cell A,
    which entry 1 wrote. Reverting 1 needs 2, and so 3 as well."""
    a, b = cells(essex, 8)[:2]
    before = jsonio.dumps(essex.plan)
    essex.set_contribution(a.body_id, a.year, 1, a.settlement_id)
    essex.set_contributions(
        [(a.body_id, a.year, a.settlement_id, 2), (b.body_id, b.year, b.settlement_id, 2)]
    )
    essex.set_contribution(b.body_id, b.year, 3, b.settlement_id)
    first, second, third = essex.history()[-3:]
    with pytest.raises(RevertConflict) as refused:
        essex.revert([first.id])
    assert [e.id for e in refused.value.later] == [second.id, third.id]
    essex.revert([first.id, second.id, third.id])
    assert jsonio.dumps(essex.plan) == before


def test_reverting_an_unknown_entry_is_refused(essex):
    with pytest.raises(EditError, match="no entry"):
        essex.revert([999])
    with pytest.raises(EditError, match="already"):
        essex.go_back_to(0)


def test_view_history_lists_entries_and_reverts_one(qtbot, window):
    from gm_window import POLICE, police_cell

    model = window.editors.contributions
    assert model.setData(police_cell(window, 2014), "7,000,000")
    assert model.setData(police_cell(window, 2015), "8,000,000")
    dialog = window.show_history()
    assert dialog is not None and dialog.isVisible()
    history = dialog.model
    assert history.rowCount() == 2
    newest = history.index(0, 3).data()
    assert "2015-16 contribution" in newest
    dialog.view.selectRow(1)  # the 2014-15 edit
    assert dialog.revert_selected()
    assert police_cell(window, 2014).data() == "£5,000,000"
    assert police_cell(window, 2015).data() == "£8,000,000"
    assert history.rowCount() == 3
    assert history.index(0, 3).data().startswith("Revert")
    assert window.undo_action.text().startswith("&Undo Revert")
    police = window.doc.plan.body_named(POLICE).id
    dialog.body_filter.setCurrentIndex(dialog.body_filter.findData(police))
    assert history.rowCount() == 3
    dialog.year_filter.setCurrentIndex(dialog.year_filter.findData(2015))
    assert history.rowCount() == 1
    dialog.close()


def test_go_back_asks_first_then_is_one_undoable_step(qtbot, window, monkeypatch):
    from gm_window import police_cell
    from PySide6.QtWidgets import QMessageBox

    model = window.editors.contributions
    dialog = window.show_history()
    assert dialog.empty.isVisibleTo(dialog) and "No changes" in dialog.empty.text()
    assert not dialog.revert_button.isEnabled()  # nothing chosen yet
    for year, text in ((2014, "7,000,000"), (2015, "8,000,000"), (2016, "9,000,000")):
        assert model.setData(police_cell(window, year), text)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Yes
    )
    dialog.view.selectRow(2)  # the first edit: undo the two after it
    assert dialog.revert_button.isEnabled()
    assert dialog.go_back_to_selected()
    assert "2 changes" in asked[0]
    assert police_cell(window, 2014).data() == "£7,000,000"
    assert police_cell(window, 2016).data() != "£9,000,000"
    assert "Done: Go back to" in dialog.outcome.text()
    assert dialog.model.index(3, 4).data().endswith("\u2192 £7,000,000")  # the 2014-15 edit
    window.undo_action.trigger()
    assert police_cell(window, 2016).data() == "£9,000,000"
    dialog.close()
