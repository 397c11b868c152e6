"""Files that are not (good) plans, for every test that must refuse them: each entry makes the
file, and names the error and a phrase of its message."""

import random
import sqlite3
import zipfile
from pathlib import Path

from planner.errors import DamagedPlanError, NewerPlanError, NotAPlanError
from planner.model import Plan
from planner.store import PlanFile, schema
from planner.store.shape import ForeignStructureError

SAMPLES = Path(__file__).parent.parent / "sample_plans"


def _foreign_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def _truncated(path, keep):
    def make(p):
        PlanFile.create(p, Plan("Cut short", 2025, 5)).close()
        data = p.read_bytes()
        p.write_bytes(data[: keep(len(data))])

    return make


def _newer(path):
    PlanFile.create(path, Plan("From the future", 2025, 5)).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    conn.commit()
    conn.close()


def _corrupt_page(path):
    PlanFile.create(path, Plan("Corrupt", 2025, 5)).close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for i in range(page, len(data)):  # scribble over every page but the first
        data[i] = (i * 37) % 256
    path.write_bytes(bytes(data))


def _one_page_scribbled(path):
    # Random bytes over one page of the Greater Manchester sample: reading the plan trips over
    # the page (a TypeError deep in the reader) before the integrity check has its verdict.
    data = bytearray((SAMPLES / "greater-manchester.poolplan").read_bytes())
    size = int.from_bytes(data[16:18], "big")
    rng = random.Random(210)
    for i in range(21 * size + 8, 22 * size):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _row_missing(path):
    PlanFile.create(path, Plan("Missing its agreement", 2025, 5)).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM gain_share")
    conn.commit()
    conn.close()


def _marked_but_empty(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("CREATE TABLE unrelated (x)")
    conn.commit()
    conn.close()


def _altered(*statements, functions=()):
    """A good plan, then ``statements`` run on it as another program might."""

    def make(path):
        PlanFile.create(path, Plan("Altered", 2025, 5)).close()
        with PlanFile.open(path) as pf:
            pf.add_body("Anytown Council", "council")
            pf.set_contribution(1, 2025, 100)
        conn = sqlite3.connect(path)
        for name, function in functions:
            conn.create_function(name, 1, function, deterministic=True)
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()

    return make


# A CHECK constraint edited out of the table's SQL, as only writable_schema can.
_CHECK_GONE = (
    "UPDATE sqlite_schema SET sql = replace(sql, "
    "'CHECK (typeof(amount_pence) = ''integer''', 'CHECK (1') WHERE name = 'contribution'"
)


def _workbook(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")


BAD_FILES = {
    "text file": (
        lambda p: p.write_text("Dear colleagues, please find attached..."),
        NotAPlanError,
        "text file",
    ),
    "empty file": (lambda p: p.write_bytes(b""), NotAPlanError, "empty"),
    "binary junk": (lambda p: p.write_bytes(bytes(range(256)) * 8), NotAPlanError, "not a Pool"),
    "another app's database": (_foreign_sqlite, NotAPlanError, "another program"),
    "excel workbook": (_workbook, NotAPlanError, "Excel"),
    "json": (lambda p: p.write_text('{"format": "poolplanner-plan"}'), NotAPlanError, "load"),
    "header only": (
        lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20),
        DamagedPlanError,
        "cut short",
    ),
    "truncated in half": (_truncated(None, lambda n: n // 2), DamagedPlanError, "shorter"),
    "truncated mid-page": (_truncated(None, lambda n: n - 100), DamagedPlanError, "shorter"),
    "newer version": (_newer, NewerPlanError, "newer version"),
    "corrupt pages": (_corrupt_page, DamagedPlanError, "damaged"),
    "marked but not a plan": (_marked_but_empty, NotAPlanError, "does not hold"),
    "one page scribbled": (_one_page_scribbled, DamagedPlanError, "damaged"),
    "a required row missing": (_row_missing, DamagedPlanError, "cannot read"),
    "a trigger inside": (
        _altered(
            "CREATE TRIGGER doubling AFTER INSERT ON export_record BEGIN "
            "UPDATE contribution SET amount_pence = amount_pence * 2; END"
        ),
        ForeignStructureError,
        "did not write",
    ),
    "a view inside": (
        _altered("CREATE VIEW everything AS SELECT * FROM contribution"),
        ForeignStructureError,
        "did not write",
    ),
    "an extra table with a payload": (
        _altered(
            "CREATE TABLE payload (data BLOB)", "INSERT INTO payload VALUES (zeroblob(2000000))"
        ),
        ForeignStructureError,
        "did not write",
    ),
    "an index over an unknown function": (
        _altered("CREATE INDEX body_evil ON body(evil(name))", functions=[("evil", str.upper)]),
        ForeignStructureError,
        "did not write",
    ),
    "a column added": (
        _altered("ALTER TABLE body ADD COLUMN secret TEXT"),
        ForeignStructureError,
        "not as Pool Planner writes it",
    ),
    "a check taken away": (
        _altered("PRAGMA writable_schema = ON", _CHECK_GONE),
        ForeignStructureError,
        "not as Pool Planner writes it",
    ),
    "money from a body that does not exist": (
        _altered("INSERT INTO contribution (body_id, year, amount_pence) VALUES (999, 2026, 5)"),
        DamagedPlanError,
        "refers to a missing body",
    ),
    "a negative amount": (
        _altered(
            "PRAGMA ignore_check_constraints = ON", "UPDATE contribution SET amount_pence = -5"
        ),
        DamagedPlanError,
        "would never write",
    ),
    "an amount in words": (
        _altered(
            "PRAGMA ignore_check_constraints = ON", "UPDATE contribution SET amount_pence = 'lots'"
        ),
        DamagedPlanError,
        "would never write",
    ),
    "the largest integer in pence": (
        _altered(
            "PRAGMA ignore_check_constraints = ON",
            "UPDATE contribution SET amount_pence = 9223372036854775807",
        ),
        DamagedPlanError,
        "would never write",
    ),
    "money in a year outside the plan": (
        _altered("INSERT INTO contribution (body_id, year, amount_pence) VALUES (1, 2099, 5)"),
        DamagedPlanError,
        "plan's years",
    ),
    "another body's settlement funding a contribution": (
        _altered(
            "INSERT INTO body (id, name, kind) VALUES (2, 'Other Council', 'council')",
            "INSERT INTO settlement (id, body_id, name) VALUES (1, 2, 'Their grant')",
            "INSERT INTO contribution (body_id, year, settlement_id, amount_pence) "
            "VALUES (1, 2026, 1, 5)",
        ),
        DamagedPlanError,
        "its own body's settlement",
    ),
    "a description past its limit": (
        _altered("UPDATE plan SET description = printf('%.30000c', 'x')"),
        DamagedPlanError,
        "would never write",
    ),
    "a discount schedule without year 0": (
        _altered("DELETE FROM discount_band WHERE start_year = 0"),
        DamagedPlanError,
        "starts at year 0",
    ),
    "two bodies named alike but for capitals": (
        _altered("INSERT INTO body (name, kind) VALUES ('ANYTOWN COUNCIL', 'council')"),
        DamagedPlanError,
        "same name",
    ),
    "a sign-off recorded on no date": (
        _altered(
            "PRAGMA ignore_check_constraints = ON",
            "INSERT INTO sign_off (body_id, fingerprint, version, decision, recorded_on) "
            "VALUES (1, printf('%.64c', 'a'), 1, 'approved', 'yesterday')",
        ),
        DamagedPlanError,
        "dates are dates",
    ),
    "escape codes in a name": (
        _altered("UPDATE body SET name = 'Anytown' || char(27) || '[2J'"),
        DamagedPlanError,
        "would never write",
    ),
    "a trigger on the sign-offs": (
        _altered(
            "CREATE TRIGGER everyone_approves AFTER INSERT ON sign_off BEGIN "
            "UPDATE sign_off SET decision = 'approved'; DELETE FROM contribution; END"
        ),
        ForeignStructureError,
        "did not write",
    ),
    "a trigger on the contributions": (
        _altered(
            "CREATE TRIGGER rewrite AFTER UPDATE ON contribution BEGIN "
            "UPDATE contribution SET amount_pence = 0 WHERE id != NEW.id; END"
        ),
        ForeignStructureError,
        "did not write",
    ),
    "an amount with a fraction of a penny": (
        _altered(
            "PRAGMA ignore_check_constraints = ON", "UPDATE contribution SET amount_pence = 1.5"
        ),
        DamagedPlanError,
        "would never write",
    ),
    "one cell given twice": (
        _altered(
            "DROP INDEX contribution_one_per_stream",
            "INSERT INTO contribution (body_id, year, amount_pence) VALUES (1, 2025, 100)",
        ),
        ForeignStructureError,
        "not as Pool Planner writes it",
    ),
    "a sign-off from a body that does not exist": (
        _altered(
            "INSERT INTO sign_off (body_id, fingerprint, version, decision, recorded_on) "
            "VALUES (99, printf('%.64c', 'a'), 1, 'approved', '2026-01-01')"
        ),
        DamagedPlanError,
        "refers to a missing body",
    ),
    "a zero-width space in a name": (
        _altered("UPDATE body SET name = 'Any' || char(8203) || 'town Council'"),
        DamagedPlanError,
        "would never write",
    ),
    "a name that is not text": (
        _altered("UPDATE body SET name = x'416e79746f776e'"),
        DamagedPlanError,
        "would never write",
    ),
    "a broken character in a name": (
        _altered("UPDATE body SET name = CAST(x'416e79eda080' AS TEXT)"),
        DamagedPlanError,
        "bytes that are not text",
    ),
    "a settlement for the year 3000": (
        _altered(
            "PRAGMA ignore_check_constraints = ON",
            "INSERT INTO settlement (id, body_id, name) VALUES (1, 1, 'Grant')",
            "INSERT INTO settlement_year (settlement_id, year, status) VALUES (1, 3000, 'confirmed')",
        ),
        DamagedPlanError,
        "year BETWEEN 1900 AND 2200",
    ),
    "a second plan row": (
        _altered(
            "PRAGMA ignore_check_constraints = ON",
            "CREATE TEMP TABLE second AS SELECT * FROM plan",
            "UPDATE second SET id = 2, name = 'Another plan'",
            "INSERT INTO plan SELECT * FROM second",
        ),
        DamagedPlanError,
        "own check",
    ),
    "a history entry that is not what it says": (
        _altered("UPDATE history SET rows = 'DROP TABLE body'"),
        DamagedPlanError,
        "history entry",
    ),
}


def _sqlite_named_trigger(path):
    """A trigger written straight into the schema under a name of SQLite's own, which SQLite
    still loads and runs."""
    _altered()(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "INSERT INTO sqlite_schema VALUES ('trigger', 'sqlite_evil', 'export_record', 0, "
        "'CREATE TRIGGER sqlite_evil AFTER INSERT ON export_record BEGIN "
        "UPDATE contribution SET amount_pence = 0; END')"
    )
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.commit()
    conn.close()


BAD_FILES["a trigger under a name of SQLite's"] = (
    _sqlite_named_trigger,
    ForeignStructureError,
    "did not write",
)
BAD_FILES["a next id at SQLite's largest"] = (
    _altered("UPDATE sqlite_sequence SET seq = 9223372036854775807"),
    DamagedPlanError,
    "next id",
)

# What the writer refuses or writes otherwise that SQL cannot see: Unicode categories and forms.
for _label, _name in {
    "a C1 control code in a name": "Anytown\x9b2J Council",
    "a soft hyphen in a name": "Any\u00adtown Council",
    "a line separator in a name": "Anytown\u2028Council",
    "a tag character in a name": "Anytown Council\U000e0041",
    "a name not in the form it is typed in": "Cafe\u0301 Council",
}.items():
    BAD_FILES[_label] = (
        _altered(f"UPDATE body SET name = '{_name}'"),
        DamagedPlanError,
        "would never write",
    )
for _label, (_one, _two) in {
    "two bodies named alike but for accents' capitals": (
        "\u00c9SSEX COUNCIL",
        "\u00e9ssex council",
    ),
    "two bodies named alike but for how an accent is kept": ("Caf\u00e9", "CAF\u00c9"),
    "two bodies named Strasse and Straße": ("Stra\u00dfe", "STRASSE"),
}.items():
    BAD_FILES[_label] = (
        _altered(
            f"UPDATE body SET name = '{_one}'",
            f"INSERT INTO body (name, kind) VALUES ('{_two}', 'council')",
        ),
        DamagedPlanError,
        "same name",
    )
