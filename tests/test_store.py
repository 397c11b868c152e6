"""The .poolplan file: edits persist, bad files are refused and left byte-for-byte as they were,
older files are migrated forward."""

import hashlib
import sqlite3

import pytest
from badfiles import BAD_FILES

from planner.errors import (
    EditError,
    NotAPlanError,
    PlanExistsError,
    PlanFileError,
)
from planner.figures import compute
from planner.model import BodyKind, Certainty, SettlementYear
from planner.store import PlanFile, schema
from planner.store.migrate import statements as _statements


def fingerprint(path):
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def test_new_file_is_marked_as_a_plan_of_the_current_format(example_file):
    conn = sqlite3.connect(example_file.path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION


def test_every_edit_is_on_disk_when_acknowledged(example_file, tmp_path):
    pf = example_file
    pf.set_contribution(2, 2026, 2_500_000_00, settlement_id=2)
    body = pf.add_body("Anyshire Fire and Rescue", BodyKind.FIRE)
    s = pf.add_settlement(body.id, "Fire grant", {2025: SettlementYear(Certainty.CONFIRMED)})
    pf.set_contribution(body.id, 2025, 10_000_00, settlement_id=s.id)
    pf.set_scheme_spend(2, 2026, 5_000_00)
    pf.update_plan(name="Renamed", version=2)
    # A second connection sees everything without the first closing: it was committed.
    with PlanFile.open(pf.path, read_only=True) as other:
        assert other.plan == pf.plan
        assert compute(other.plan).years[2026].contributions.indicative == 2_500_000_00


def test_removing_things(example_file):
    pf = example_file
    pf.set_contribution(4, 2025, None)
    with pytest.raises(EditError, match="funded by"):
        pf.delete_settlement(2)
    pf.delete_body(2)
    pf.delete_scheme(1)
    with PlanFile.open(pf.path, read_only=True) as other:
        assert other.plan == pf.plan
        assert 2 not in other.plan.bodies
        assert all(s.body_id != 2 for s in other.plan.settlements.values())
        assert other.plan.schemes[2].lead_body_id is None


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda pf: pf.add_body("anytown council", "council"), "already a body"),
        (lambda pf: pf.add_body("  ", "council"), "cannot be empty"),
        (lambda pf: pf.add_body("Bad\x07name", "council"), "control character"),
        (lambda pf: pf.set_contribution(1, 2031, 100), "outside the plan"),
        (lambda pf: pf.set_contribution(1, 2025, -100, settlement_id=1), "negative"),
        (lambda pf: pf.set_contribution(1, 2025, 10**20, settlement_id=1), "zeros"),
        (lambda pf: pf.set_contribution(4, 2025, 100, settlement_id=1), "own body"),
        (lambda pf: pf.update_plan(years=0), "between 1 and 60"),
        (lambda pf: pf.update_body(99, name="x"), "no body"),
    ],
)
def test_refused_edits_change_nothing(example_file, edit, message):
    before = fingerprint(example_file.path)
    plan_before = repr(example_file.plan)
    with pytest.raises(EditError, match=message):
        edit(example_file)
    assert fingerprint(example_file.path)[0] == before[0]
    assert repr(example_file.plan) == plan_before


def test_a_failing_statement_rolls_back_the_whole_edit(example_file):
    with pytest.raises(EditError, match="inconsistent"):
        with example_file._transaction() as c:
            c.execute("INSERT INTO body (name, kind) VALUES ('Half-made body', 'council')")
            c.execute("INSERT INTO body (name, kind) VALUES ('Bad', 'not-a-kind')")
    with PlanFile.open(example_file.path, read_only=True) as other:
        assert "Half-made body" not in {b.name for b in other.plan.bodies.values()}


def test_read_only_plan_refuses_edits(example_file):
    with PlanFile.open(example_file.path, read_only=True) as ro:
        with pytest.raises(EditError, match="read-only"):
            ro.add_body("X", "council")


def test_create_never_overwrites_unless_asked(tmp_path, example_plan):
    path = tmp_path / "p.poolplan"
    path.write_text("precious")
    with pytest.raises(PlanExistsError):
        PlanFile.create(path, example_plan)
    assert path.read_text() == "precious"
    PlanFile.create(path, example_plan, overwrite=True).close()
    assert not list(tmp_path.glob(".*tmp"))  # no temporary file left behind


# -- files that are not (good) plans -----------------------------------------------------------


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize("read_only", [False, True])
def test_bad_files_are_refused_and_untouched(tmp_path, kind, read_only):
    make, error, message = BAD_FILES[kind]
    path = tmp_path / "bad.poolplan"
    make(path)
    before = fingerprint(path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(error, match=message):
        PlanFile.open(path, read_only=read_only)
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no journal left behind


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(PlanFileError, match="no file called"):
        PlanFile.open(tmp_path / "nope.poolplan")
    with pytest.raises(NotAPlanError, match="folder"):
        PlanFile.open(tmp_path)


# -- migrations --------------------------------------------------------------------------------


def _v1_file(path):
    """A plan as the first file format wrote it, with a duplicate that v2 forbids."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(schema.MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("INSERT INTO plan (id, name, first_year, years) VALUES (1, 'Old plan', 2013, 5)")
    conn.execute("INSERT INTO body (id, name, kind) VALUES (1, 'Old Council', 'council')")
    conn.execute("INSERT INTO settlement (id, body_id, name) VALUES (1, 1, 'LGFS 2013-15')")
    conn.execute("INSERT INTO settlement_year VALUES (1, 2013, 'confirmed', NULL)")
    for amount in (100, 250):  # the same stream twice in one year
        conn.execute(
            "INSERT INTO contribution (body_id, year, settlement_id, amount_pence) "
            "VALUES (1, 2013, 1, ?)",
            (amount,),
        )
    conn.execute(
        "INSERT INTO contribution (body_id, year, settlement_id, amount_pence) "
        "VALUES (1, 2014, NULL, 7)"
    )
    conn.close()


def test_an_older_file_opens_unchanged_and_is_upgraded_only_when_asked(tmp_path):
    path = tmp_path / "old.poolplan"
    _v1_file(path)
    before = path.read_bytes()
    with PlanFile.open(path) as pf:
        assert pf.older_format == 1 and pf.read_only
        assert pf.plan.name == "Old plan"
        assert pf.plan.thresholds.renewal_cliff_share_bp == 5000  # added in v2
        amounts = sorted((c.year, c.amount_pence) for c in pf.plan.contributions.values())
        assert amounts == [(2013, 350), (2014, 7)]  # duplicates merged, nothing lost
    assert path.read_bytes() == before  # opened and closed: not a byte changed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.poolplan"]
    with PlanFile.open(path) as pf:
        kept = pf.upgrade()
        assert kept.name == "old.v1.poolplan" and kept.read_bytes() == before
        assert not pf.read_only and pf.older_format is None
        pf.set_contribution(1, 2014, 8)  # editable now
        assert sorted((c.year, c.amount_pence) for c in pf.plan.contributions.values()) == [
            (2013, 350),
            (2014, 8),
        ]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    with pytest.raises(sqlite3.IntegrityError):  # the v2 rule now holds in the file itself
        conn.execute(
            "INSERT INTO contribution (body_id, year, settlement_id, amount_pence) "
            "VALUES (1, 2013, 1, 5)"
        )


def test_reading_an_older_file_does_not_upgrade_it(tmp_path):
    path = tmp_path / "old.poolplan"
    _v1_file(path)
    before = fingerprint(path)
    with PlanFile.open(path, read_only=True) as pf:
        assert sum(c.amount_pence for c in pf.plan.contributions.values()) == 357
    assert fingerprint(path) == before


def test_every_migration_is_applied_in_order_to_a_new_file(tmp_path, example_plan):
    with PlanFile.create(tmp_path / "n.poolplan", example_plan):
        pass
    conn = sqlite3.connect(tmp_path / "n.poolplan")
    columns = {r[1] for r in conn.execute("PRAGMA table_info(plan)")}
    assert "renewal_cliff_share_bp" in columns
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


# -- one editor at a time ----------------------------------------------------------------------


def test_a_second_editor_gets_the_plan_read_only(example_file):
    with PlanFile.open(example_file.path) as second:
        assert second.read_only and second.locked_by_other
        with pytest.raises(EditError, match="read-only"):
            second.set_contribution(1, 2025, 1, settlement_id=1)
    example_file.close()
    with PlanFile.open(example_file.path) as third:  # the lock went with the first editor
        assert not third.read_only and not third.locked_by_other


def test_the_lock_dies_with_a_killed_process(tmp_path, example_plan):
    import subprocess
    import sys

    path = tmp_path / "p.poolplan"
    PlanFile.create(path, example_plan).close()
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from planner.store import PlanFile;"
            f"pf = PlanFile.open({str(path)!r}); print(pf.read_only, flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "False"
        with PlanFile.open(path) as pf:
            assert pf.locked_by_other
    finally:
        child.kill()
        child.wait()
    with PlanFile.open(path) as pf:
        assert not pf.read_only


def test_save_a_copy_is_a_whole_plan_and_leaves_the_original_open(example_file, tmp_path):
    target = tmp_path / "copy.poolplan"
    example_file.save_copy(target)
    example_file.set_contribution(4, 2025, 1, settlement_id=None)  # still editing the original
    with PlanFile.open(target, read_only=True) as copy_:
        assert copy_.plan.contributions[9].amount_pence == 100_000_00
    with pytest.raises(PlanExistsError):
        example_file.save_copy(example_file.path)


def test_new_plans_get_ordinary_file_permissions(tmp_path, example_plan):
    import os
    import stat

    umask = os.umask(0o022)
    try:
        PlanFile.create(tmp_path / "p.poolplan", example_plan).close()
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "p.poolplan").stat().st_mode) == 0o644


def test_save_a_copy_into_a_missing_folder_says_so(example_file, tmp_path):
    with pytest.raises(PlanFileError, match=f"The folder '{tmp_path / 'nowhere'}' does not exist"):
        example_file.save_copy(tmp_path / "nowhere" / "copy.poolplan")


def test_save_a_copy_onto_a_folder_says_so_in_words(example_file, tmp_path):
    (tmp_path / "a folder.poolplan").mkdir()
    with pytest.raises(PlanFileError, match="'a folder.poolplan' is a folder; give the copy"):
        example_file.save_copy(tmp_path / "a folder.poolplan")
    assert list((tmp_path / "a folder.poolplan").iterdir()) == []


# -- costs, benefits and the agreement --------------------------------------------------------


@pytest.fixture
def appraisal_file(tmp_path):
    from builders import appraisal_example

    with PlanFile.create(tmp_path / "appraisal.poolplan", appraisal_example()) as pf:
        yield pf


def test_costs_and_benefits_are_stored(appraisal_file):
    from planner.model import GainShareRule

    pf = appraisal_file
    pf.set_cost(1, 3, 2026, 5_000_00)  # DWP now pays something
    pf.set_cost(1, 2, 2025, None)  # the CCG's only cost year: its line goes
    line = pf.add_benefit(1, 1, cashable=False, optimism_bias_bp=4000, confidence="a guess")
    pf.set_benefit_year(line.id, 2027, 12_000_00)
    pf.update_benefit(line.id, optimism_bias_bp=1000)
    pf.set_appraisal(
        gain_share=GainShareRule.FIXED,
        gain_share_percent_bp={1: 6000, 2: 4000},
        payback_discounted=False,
    )
    with PlanFile.open(pf.path, read_only=True) as other:
        assert other.plan == pf.plan
    assert pf.cost_line(1, 2) is None
    assert pf.plan.benefits[line.id].optimism_bias_bp == 1000


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda pf: pf.set_cost(1, 1, 2040, 1), "outside the plan"),
        (lambda pf: pf.set_cost(1, 1, 2025, -5), "negative"),
        (lambda pf: pf.add_benefit(1, 1, optimism_bias_bp=12_000), "between 0% and 100%"),
        (lambda pf: pf.set_appraisal(discount_bands=[(1, 350)]), "start at year 0"),
        (lambda pf: pf.set_appraisal(gain_share_percent_bp={99: 100}), "no body"),
    ],
)
def test_refused_appraisal_edits_change_nothing(appraisal_file, edit, message):
    before = repr(appraisal_file.plan)
    with pytest.raises(EditError, match=message):
        edit(appraisal_file)
    assert repr(appraisal_file.plan) == before


def test_deleting_a_body_or_scheme_takes_its_lines_and_undo_brings_them_back(appraisal_file):
    pf = appraisal_file
    pf.set_appraisal(gain_share_percent_bp={3: 2500})
    original = repr(pf.plan)
    pf.delete_body(3)
    assert all(b.body_id != 3 for b in pf.plan.benefits.values())
    assert 3 not in pf.plan.appraisal.gain_share_percent_bp
    pf.undo(pf.last_edit)
    assert repr(pf.plan) == original
    pf.delete_scheme(1)
    assert not pf.plan.costs and not pf.plan.benefits
    pf.undo(pf.last_edit)
    assert repr(pf.plan) == original
    with PlanFile.open(pf.path, read_only=True) as other:
        assert repr(other.plan) == original


def test_an_edit_to_a_plan_deleted_or_moved_while_open_is_refused(example_file, tmp_path):
    example_file.path.rename(tmp_path / "moved.poolplan")
    with pytest.raises(EditError, match="moved or deleted"):
        example_file.set_contribution(1, 2025, 1, settlement_id=1)
    copy_ = tmp_path / "rescued.poolplan"
    example_file.save_copy(copy_)  # what the message advises still works
    with PlanFile.open(copy_, read_only=True) as pf:
        assert pf.plan == example_file.plan


def test_a_read_only_file_opens_to_be_read_and_an_edit_says_why_not(example_file, monkeypatch):
    import os as os_module

    example_file.close()
    real_access = os_module.access
    # Root can write to any file, so the permission is simulated: the check is what matters.
    monkeypatch.setattr(
        "planner.store.plan_file.os.access",
        lambda path, mode: False if mode == os_module.W_OK else real_access(path, mode),
    )
    before = example_file.path.read_bytes()
    with PlanFile.open(example_file.path) as pf:
        assert pf.read_only and pf.plan.name == "Worked example"
        with pytest.raises(EditError, match="open read-only; no change was made"):
            pf.add_body("Anytown Fire", "fire")
    assert example_file.path.read_bytes() == before


def test_a_row_added_after_deletions_never_takes_a_freed_id(tmp_path):
    # Without AUTOINCREMENT, SQLite gives a new row the largest id if that row was just
    # deleted: here the new 2026 row would take the 2025 row's id within one batch, and undo
    # putting the 2025 row back would then collide with it.
    from planner.model import Plan

    with PlanFile.create(tmp_path / "p.poolplan", Plan("Reuse", 2025, 5)) as pf:
        a = pf.add_body("A", BodyKind.COUNCIL).id
        b = pf.add_body("B", BodyKind.COUNCIL).id
        pf.set_contribution(a, 2025, 100)
        largest = pf.set_contribution(b, 2025, 200)
        done = pf.set_contributions(
            [(a, 2026, None, None), (b, 2025, None, None), (a, 2026, None, 300)]
        )
        assert done[2].id > largest.id
        on_disk = sorted(
            pf._conn.execute("SELECT id, body_id, year, amount_pence FROM contribution")
        )
        in_memory = sorted(
            (c.id, c.body_id, c.year, c.amount_pence) for c in pf.plan.contributions.values()
        )
        assert in_memory == on_disk
        assert pf.find_contribution(a, 2026, None).amount_pence == 300
        pf.set_contribution(a, 2026, 400)  # and the cell can be edited again
        assert pf.find_contribution(a, 2026, None).amount_pence == 400


def test_shortening_the_plan_under_its_figures_is_refused_and_the_file_still_opens(tmp_path):
    """An edit of the plan's years that would leave a figure outside them: the file would be
    refused at its next opening, so the edit is refused now."""
    import json

    from builders import worked_example

    from planner import jsonio

    path = tmp_path / "short.poolplan"
    with PlanFile.create(path, worked_example()) as pf:
        before = jsonio.dumps(pf.plan)
        with pytest.raises(EditError, match="contribution is in one of the plan's years"):
            pf.update_plan(years=1)
        assert jsonio.dumps(pf.plan) == before
        pf.update_plan(years=4)  # longer is fine
    with PlanFile.open(path) as pf:
        assert pf.plan.years == 4 and json.loads(jsonio.dumps(pf.plan))
