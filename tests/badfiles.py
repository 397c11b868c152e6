"""Files that are not (good) plans, for every test that must refuse them: each entry makes the
file, and names the error and a phrase of its message."""

import random
import sqlite3
import zipfile
from pathlib import Path

from planner.errors import DamagedPlanError, NewerPlanError, NotAPlanError
from planner.model import Plan
from planner.store import PlanFile, schema

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
}
