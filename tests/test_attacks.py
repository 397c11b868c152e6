"""What an outside tester broke in the edit, undo and history machinery, each kept broken no
more: a crash mid-edit is rolled back, not called damage; a batch writes each cell once; undo
cannot give two bodies one name; a revert that would cascade names what depends on it; a
damaged history entry is refused with a message; bad input never raises a traceback."""

import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_live import KILLED_MID_EDIT
from gm_window import answer

from planner import jsonio
from planner.errors import EditError, PlanFileError, PlannerError, RevertConflict
from planner.model import Certainty, SettlementYear
from planner.store import PlanFile

SAMPLES = Path(__file__).parent.parent / "sample_plans"
ROOT = Path(__file__).parent.parent


def test_a_plan_killed_in_the_middle_of_a_big_edit_opens_as_it_was(tmp_path):
    path = tmp_path / "killed.poolplan"
    shutil.copy(SAMPLES / "essex.poolplan", path)
    with PlanFile.open(path) as pf:
        before = jsonio.dumps(pf.plan)
    done = subprocess.run([sys.executable, "-c", KILLED_MID_EDIT, str(path), str(ROOT)])
    assert done.returncode == -signal.SIGKILL
    assert os.path.getsize(str(path) + "-journal")  # the crash left a hot journal
    with PlanFile.open(path) as pf:
        assert jsonio.dumps(pf.plan) == before


def test_a_copy_is_refused_in_the_middle_of_a_change(essex, tmp_path):
    with pytest.raises(PlanFileError, match="middle of a change"), essex.edit("x"):
        essex.set_contribution(1, 2014, 777_777, 1)
        essex.save_copy(tmp_path / "copy.poolplan")


def test_a_batch_writes_each_cell_once_as_it_leaves_it(essex):
    c = next(iter(essex.plan.contributions.values()))
    essex.set_contribution(c.body_id, c.year, c.amount_pence, c.settlement_id, note="keep me")
    emptied_and_filled = essex.set_contributions(
        [(c.body_id, c.year, c.settlement_id, None), (c.body_id, c.year, c.settlement_id, 42)]
    )
    assert (emptied_and_filled[1].id, emptied_and_filled[1].note) == (c.id, "keep me")
    entries = len(essex.history())
    free = next(y for y in essex.plan.year_range if not essex.find_contribution(1, y, None))
    assert essex.set_contributions([(1, free, None, 500), (1, free, None, None)]) == [None, None]
    assert len(essex.history()) == entries  # nothing was written


def test_moving_a_stream_onto_itself_changes_nothing(essex):
    before = jsonio.dumps(essex.plan)
    c = next(c for c in essex.plan.contributions.values() if c.settlement_id is not None)
    essex.move_stream(c.body_id, c.settlement_id, c.settlement_id)
    assert jsonio.dumps(essex.plan) == before


def test_undo_cannot_give_two_bodies_names_that_differ_only_in_capitals(essex):
    body = essex.plan.body_named("Home Office")
    essex.update_body(body.id, name="Home Office HQ")
    renamed = essex.last_edit
    essex.add_body("home office", "central_government")
    before = jsonio.dumps(essex.plan)
    with pytest.raises(EditError, match="same name"):
        essex.undo(renamed)
    assert jsonio.dumps(essex.plan) == before


def test_reverting_an_added_body_names_the_later_changes_that_depend_on_it(essex):
    before = jsonio.dumps(essex.plan)
    body = essex.add_body("New Partner", "council")
    essex.set_contribution(body.id, 2014, 12345)
    essex.add_settlement(body.id, "Grant", {2014: SettlementYear(Certainty.CONFIRMED, 5)})
    added, paid, granted = essex.history()[-3:]
    now = jsonio.dumps(essex.plan)
    with pytest.raises(RevertConflict) as refused:
        essex.revert([added.id])
    assert {e.id for e in refused.value.later} == {paid.id, granted.id}
    assert jsonio.dumps(essex.plan) == now
    essex.revert([added.id, paid.id, granted.id])
    assert jsonio.dumps(essex.plan) == before


@pytest.mark.parametrize(
    "rows",
    [
        '[["contribution", [1',  # cut short
        '[["nope", null, [1]]]',  # not a table of the plan
        '{"a": 1}',
        '[["contribution", null, null]]',
    ],
)
def test_a_damaged_history_entry_is_refused_with_a_message(essex, rows):
    essex.set_contribution(1, 2014, 111, 1)
    essex.set_contribution(2, 2014, 222)
    first = essex.history()[0].id
    with sqlite3.connect(essex.path) as conn:
        conn.execute("UPDATE history SET rows = ? WHERE id = ?", (rows, first))
    for attempt in (
        lambda: essex.go_back_to(0),
        lambda: essex.revert([first]),
        lambda: essex.history_rows(first),
    ):
        with pytest.raises(PlanFileError, match="damaged"):
            attempt()
    assert essex.describe_entry(first) == "(cannot be shown)"


@pytest.mark.parametrize(
    "edit",
    [
        lambda pf: pf.add_body("Foo\udc80", "council"),
        lambda pf: pf.set_contribution(1, 2014, 5, 1, note="a\ud800b"),
        lambda pf: pf.update_plan(description="\ud800"),
        lambda pf: pf.set_appraisal(discount_bands=((0, 350), (2**63, 300))),
        lambda pf: pf.set_appraisal(discount_bands=((0, 350.7),)),
        lambda pf: pf.add_settlement(1, "S", announced="2020-01-01"),
        lambda pf: pf.add_settlement(1, "S", announced=dt.datetime(2020, 1, 1, 9, 30)),
        lambda pf: pf.add_settlement(1, "S", {2014: SettlementYear("unfunded", 1)}),
        lambda pf: pf.history_rows(999),
        lambda pf: pf.go_back_to("a"),
        lambda pf: pf.revert(["a", 1]),
    ],
)
def test_bad_input_is_refused_with_a_reason_not_a_traceback(essex, edit):
    before = jsonio.dumps(essex.plan)
    entries = len(essex.history())
    with pytest.raises(PlannerError):
        edit(essex)
    assert jsonio.dumps(essex.plan) == before
    assert len(essex.history()) == entries


def test_a_settlement_year_given_as_words_is_taken(essex):
    s = essex.add_settlement(1, "S", {2014: SettlementYear("confirmed", 1)})
    assert s.years[2014].status is Certainty.CONFIRMED


def test_a_pipe_named_like_a_plan_is_refused_not_waited_on(tmp_path):
    import threading

    from planner.errors import NotAPlanError

    fifo = tmp_path / "pipe.poolplan"
    os.mkfifo(fifo)
    outcome = []

    def try_it():
        try:
            PlanFile.open(fifo)
        except NotAPlanError as e:
            outcome.append(str(e))

    worker = threading.Thread(target=try_it, daemon=True)
    worker.start()
    worker.join(10)
    assert outcome and "pipe" in outcome[0]


def test_the_plan_connection_does_not_trust_the_files_schema(essex):
    assert essex._conn.execute("PRAGMA trusted_schema").fetchone() == (0,)


def test_the_structure_of_every_release_is_what_its_migrations_make(tmp_path):
    """A file written by this release, and one upgraded from each earlier format, pass the
    structure check (a false refusal would lock a partner out of their own plan)."""
    from planner.store import schema, shape
    from planner.store.migrate import migrate, migrate_to

    for version in range(1, schema.VERSION + 1):
        conn = sqlite3.connect(tmp_path / f"v{version}.db", isolation_level=None)
        migrate_to(conn, version)
        shape.check(conn, version, "x")
        migrate(conn, version)
        shape.check(conn, schema.VERSION, "x")
        conn.close()


def _killed_mid_edit(tmp_path):
    path = tmp_path / "killed.poolplan"
    shutil.copy(SAMPLES / "essex.poolplan", path)
    with PlanFile.open(path) as pf:
        before = jsonio.dumps(pf.plan)
    subprocess.run([sys.executable, "-c", KILLED_MID_EDIT, str(path), str(ROOT)])
    assert os.path.getsize(str(path) + "-journal")
    return path, before


def test_a_plan_killed_mid_edit_opens_read_only_as_it_was_as_the_gui_first_reads_it(tmp_path):
    path, before = _killed_mid_edit(tmp_path)
    with PlanFile.open(path, read_only=True) as pf:
        assert jsonio.dumps(pf.plan) == before


def test_a_killed_plan_in_a_folder_that_cannot_be_written_is_read_from_a_recovered_copy(
    tmp_path, monkeypatch
):
    path, before = _killed_mid_edit(tmp_path)
    journal = path.read_bytes(), Path(str(path) + "-journal").read_bytes()
    real_access = os.access
    # Root can write anywhere, so the folder's permission is simulated.
    monkeypatch.setattr(
        "planner.store.plan_file.os.access",
        lambda p, mode: False if mode == os.W_OK else real_access(p, mode),
    )
    with PlanFile.open(path) as pf:
        assert pf.read_only and pf.path == path
        assert jsonio.dumps(pf.plan) == before
        copy = pf._private_copy
    assert not copy.exists()  # the private copy goes with the plan
    assert (path.read_bytes(), Path(str(path) + "-journal").read_bytes()) == journal


def test_the_window_says_a_plan_was_recovered_on_a_copy(make_window, tmp_path, monkeypatch):
    path, _ = _killed_mid_edit(tmp_path)
    real_access = os.access
    monkeypatch.setattr(
        "planner.store.plan_file.os.access",
        lambda p, mode: False if mode == os.W_OK else real_access(p, mode),
    )
    window = make_window()
    assert window.open_path(path)
    assert window.doc.read_only
    assert window.banner.isVisible() and "recovered on a copy" in window.banner.text()


def _old_plan(tmp_path):
    path = tmp_path / "old.poolplan"
    shutil.copy(Path(__file__).parent / "data" / "signed-before-v5.poolplan", path)  # format 4
    return path


def test_an_older_plan_opens_unchanged_and_its_first_edit_asks_to_upgrade(make_window, tmp_path):
    from gm_window import police_cell

    from planner.store import schema

    path = _old_plan(tmp_path)
    before = path.read_bytes()
    window = make_window()
    assert window.open_path(path)
    assert "older Pool Planner" in window.banner.text()
    cell = police_cell(window, 2014)
    answer("Keep Read-only")
    assert not window.editors.contributions.setData(cell, "7,000,000")
    assert path.read_bytes() == before and window.doc.read_only
    window.close_plan()
    assert path.read_bytes() == before  # opened, looked at, closed: unchanged

    assert window.open_path(path)
    answer("Upgrade")
    assert window.editors.contributions.setData(police_cell(window, 2014), "7,000,000")
    assert (tmp_path / "old.v4.poolplan").read_bytes() == before
    assert not window.doc.read_only and not window.banner.isVisible()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION


@pytest.mark.parametrize(
    "mangle, phrase",
    [
        (lambda t: t.replace('"name": ', '"name": "Twice", "name": ', 1), "given twice"),
        (lambda t: t.replace('"years": 6', '"years": ' + "9" * 5000, 1), "digits"),
        (lambda t: t.replace('"name": "', '"name": "\\ud800', 1), "broken character"),
    ],
)
def test_json_that_hides_a_second_value_or_an_absurd_number_is_refused(essex, mangle, phrase):
    from planner.errors import PlanFormatError

    text = mangle(jsonio.dumps(essex.plan))
    with pytest.raises(PlanFormatError, match=phrase):
        jsonio.loads(text)


def test_json_saved_with_a_byte_order_mark_loads(essex):
    assert jsonio.loads("\ufeff" + jsonio.dumps(essex.plan)) == essex.plan


@pytest.mark.parametrize("name", ["Essex\u202eecnaniF", "Ess\u200bex County Council"])
def test_a_name_with_an_invisible_character_is_refused_typed_or_read(essex, tmp_path, name):
    body = next(iter(essex.plan.bodies))
    with pytest.raises(EditError, match="invisible"):
        essex.update_body(body, name=name)
    path = tmp_path / "hidden.poolplan"
    essex.save_copy(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE body SET name = ? WHERE id = ?", (name, body))
    with pytest.raises(PlanFileError, match="would never write"):
        PlanFile.open(path, read_only=True)


def test_a_file_name_with_escape_codes_is_printed_escaped(tmp_path):
    hostile = tmp_path / "x\x1b[2J\nAll partners have signed.poolplan"
    hostile.write_text("not a plan")
    done = subprocess.run(
        [sys.executable, "-m", "planner", "check", str(hostile)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "\x1b" not in done.stderr and "\\x1b[2J\\x0aAll partners" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_plan_in_wal_mode_is_read_without_leaving_files_beside_it(tmp_path):
    path = tmp_path / "wal.poolplan"
    shutil.copy(SAMPLES / "essex.poolplan", path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    before = path.read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run(
        [sys.executable, "-m", "planner", "check", str(path)], cwd=ROOT, capture_output=True
    )
    assert done.returncode in (0, 1), done.stderr
    with PlanFile.open(path, read_only=True) as pf:
        assert pf.plan.bodies
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


def test_an_older_plan_with_bytes_that_are_not_text_is_refused_in_words(tmp_path):
    """An older file is upgraded on a copy and checked again; bytes where a name belongs must
    be named as such there too, not reach the user as SQLite's decoding error."""
    path = tmp_path / "old.poolplan"
    shutil.copy(Path(__file__).parent / "data" / "format-7-broken-character.poolplan", path)
    before = path.read_bytes()
    with pytest.raises(PlanFileError, match="bytes that are not text"):
        PlanFile.open(path)
    assert path.read_bytes() == before
