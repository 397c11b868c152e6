"""The corpus cases made when the tests run: what git cannot hold (a pipe, a file in the middle
of a crash, a folder that cannot be written) or should not (a 50 MB text, a return of 1.3M
rows). Each is a ``Live`` case, judged by test_corpus.py exactly as the committed ones are.

A case's ``make(folder)`` writes its file into ``folder`` and gives back the path and, for a
case that must open, the plan (as JSON) it must open as: for a save cut off by a crash, the
last committed plan.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sqlite3
import string
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builders import worked_example

from planner import jsonio
from planner.model import Plan
from planner.store import PlanFile

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "sample_plans"


@dataclass(frozen=True)
class Live:
    kind: str  # "plan" or "return"
    file: str  # a name for the case, and the file's name
    expect: str  # a phrase of the message, or "ok"
    why: str
    make: Callable[[Path], tuple[Path, str | None]]
    folder_read_only: bool = False  # the folder cannot be written (simulated: tests run as root)
    recovers_in_place: bool = False  # its bytes change: the crashed save is rolled back


def _fifo(folder: Path):
    path = folder / "pipe.poolplan"
    os.mkfifo(path)
    return path, None


def _fifty_megabytes(folder: Path):
    path = folder / "fifty-megabytes.poolplan"
    PlanFile.create(path, Plan("Padded", 2025, 5)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE plan SET description = printf('%.50000000c', 'x')")
    conn.close()
    return path, None


KILLED_MID_EDIT = r"""
import os, signal, sys
sys.path.insert(0, sys.argv[2])
from planner.store import PlanFile
pf = PlanFile.open(sys.argv[1])
with pf.edit("A big edit"):
    # Over SQLite's page cache: pages are written to the file itself before the commit.
    for i in range(150):
        pf.add_scheme(f"Scheme {i}", description="x" * 20000)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_mid_edit(folder: Path):
    """The Essex sample, its process killed in the middle of a big edit: a hot journal beside
    it and the file half written."""
    path = folder / "killed.poolplan"
    shutil.copy(SAMPLES / "essex.poolplan", path)
    with PlanFile.open(path, read_only=True) as pf:
        committed = jsonio.dumps(pf.plan)
    subprocess.run([sys.executable, "-c", KILLED_MID_EDIT, str(path), str(ROOT)], check=False)
    assert os.path.getsize(str(path) + "-journal"), "the kill left no hot journal"
    return path, committed


def _wal(folder: Path):
    path = folder / "wal.poolplan"
    shutil.copy(SAMPLES / "essex.poolplan", path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    conn.close()
    with PlanFile.open(path, read_only=True) as pf:
        return path, jsonio.dumps(pf.plan)


def _sample(folder: Path):
    path = folder / "essex.poolplan"
    shutil.copy(SAMPLES / "essex.poolplan", path)
    with PlanFile.open(path, read_only=True) as pf:
        return path, jsonio.dumps(pf.plan)


def _older_format(folder: Path):
    path = folder / "older.poolplan"
    shutil.copy(Path(__file__).parent / "data" / "signed-before-v5.poolplan", path)  # format 4
    return path, None


def _escape_codes_in_its_name(folder: Path):
    path = folder / "x\x1b[2J\nAll partners have signed.poolplan"
    path.write_text("not a plan")
    return path, None


def _journal_beside_text(folder: Path):
    """A stray journal, from a crashed plan, beside a file that is not one: not to be played
    into it."""
    source = folder / "source"
    source.mkdir()
    killed, _ = killed_mid_edit(source)
    path = folder / "notes.poolplan"
    path.write_text("Dear colleagues, please find attached")
    shutil.copy(str(killed) + "-journal", str(path) + "-journal")
    shutil.rmtree(source)
    return path, None


def _junk_journal(folder: Path):
    path, _ = _sample(folder)
    Path(str(path) + "-journal").write_bytes(random.Random(4).randbytes(4096))
    return path, None


def _killed_through_a_link(folder: Path):
    real, committed = killed_mid_edit(folder)
    link = folder / "shortcut.poolplan"
    link.symlink_to(real.name)
    return link, committed


def _wal_refused(folder: Path):
    path = folder / "wal-extra.poolplan"
    shutil.copy(SAMPLES / "essex.poolplan", path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE payload (x)")
    conn.commit()
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return path, None


def _sent(folder: Path) -> Path:
    from planner.excel.export import export_workbook

    sent = folder / "_sent.xlsx"
    export_workbook(worked_example(), sent)
    return sent


def _rewritten(folder: Path, name: str, part: str, rewrite) -> Path:
    """The worked example's workbook with one XML part rewritten, as no spreadsheet would."""
    sent = _sent(folder)
    path = folder / name
    with zipfile.ZipFile(sent) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            z.writestr(item, rewrite(data) if item.filename == part else data)
    sent.unlink()
    return path


def _million_empty_rows(folder: Path):
    def rewrite(data: bytes) -> bytes:
        head, tail = data.split(b"</sheetData>")
        last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', head))
        blank = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t> </t></is></c></row>'
        rows = b"".join(blank % (r, r) for r in range(last + 1, 1_300_000))
        return head + rows + b"</sheetData>" + tail

    # Contributions is the third sheet the export writes.
    return _rewritten(folder, "rows.xlsx", "xl/worksheets/sheet3.xml", rewrite), None


def _prefixed_rows(folder: Path):
    """Rows written with a namespace prefix and a newline, as a counter of "<row " would miss:
    three million in a few hundred KB."""

    def rewrite(data: bytes) -> bytes:
        head, tail = data.split(b"</sheetData>")
        return head + b'<x:row\nr="9"/>' * 3_000_000 + b"</sheetData>" + tail

    return _rewritten(folder, "prefixed-rows.xlsx", "xl/worksheets/sheet1.xml", rewrite), None


def _many_shared_strings(folder: Path):
    """A table of shared strings expanding to 60 MB, compressed under the zip-bomb ratio: the
    export writes none, and openpyxl would parse every one before a cell is read."""
    sent = _sent(folder)
    rnd = random.Random(5)
    words = ["".join(rnd.choices(string.ascii_lowercase, k=12)) for _ in range(2000)]
    strings = b"".join(
        b"<si><t>%s %d</t></si>" % (rnd.choice(words).encode(), i) for i in range(2_000_000)
    )
    sst = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + strings
        + b"</sst>"
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    path = folder / "shared-strings.xlsx"
    with zipfile.ZipFile(sent) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'.encode(),
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdS" Type="{rel}" Target="sharedStrings.xml"/>'
                    f"</Relationships>".encode(),
                )
            z.writestr(item, data)
        z.writestr("xl/sharedStrings.xml", sst)
    sent.unlink()
    return path, None


def _ten_megabyte_comment(folder: Path):
    import openpyxl

    sent = _sent(folder)
    wb = openpyxl.load_workbook(sent)
    rnd = random.Random(10)
    wb["Sign-off"]["E5"] = "Approved"
    wb["Sign-off"]["G5"] = "".join(rnd.choices(string.ascii_letters + " ", k=10_000_000))
    path = folder / "ten-megabyte-comment.xlsx"
    wb.save(path)
    sent.unlink()
    return path, None


LIVE = [
    Live("plan", "pipe.poolplan", "pipe", "a FIFO named like a plan", _fifo),
    Live(
        "plan",
        "fifty-megabytes.poolplan",
        "would never write",
        "a 50 MB description",
        _fifty_megabytes,
    ),
    Live(
        "plan",
        "killed.poolplan",
        "ok",
        "a save cut off by a crash: opens as last committed",
        killed_mid_edit,
        recovers_in_place=True,
    ),
    Live(
        "plan",
        "killed-read-only-folder.poolplan",
        "ok",
        "a crashed save in a folder that cannot be written: recovered on a copy",
        killed_mid_edit,
        folder_read_only=True,
    ),
    Live("plan", "wal.poolplan", "ok", "a plan kept in WAL mode by another program", _wal),
    Live(
        "plan",
        "wal-read-only-folder.poolplan",
        "ok",
        "a WAL plan in a folder that cannot be written",
        _wal,
        folder_read_only=True,
    ),
    Live(
        "plan",
        "read-only-folder.poolplan",
        "ok",
        "a plan in a folder that cannot be written",
        _sample,
        folder_read_only=True,
    ),
    Live("plan", "older.poolplan", "ok", "an older file format, left as it is", _older_format),
    Live(
        "plan",
        "notes.poolplan",
        "text file",
        "a crashed plan's journal beside a text file: not played into it",
        _journal_beside_text,
    ),
    Live(
        "plan",
        "junk-journal.poolplan",
        "not SQLite's record of a cut-off save",
        "random bytes named as a plan's journal",
        _junk_journal,
    ),
    Live(
        "plan",
        "shortcut.poolplan",
        "ok",
        "a crashed save reached through a symbolic link",
        _killed_through_a_link,
        recovers_in_place=True,
    ),
    Live(
        "plan",
        "wal-extra.poolplan",
        "did not write",
        "a WAL plan holding a table of its own: refused, nothing left beside it",
        _wal_refused,
    ),
    Live(
        "plan",
        "escape-codes.poolplan",
        "not a Pool Planner plan",
        "a file name with an escape code and a newline",
        _escape_codes_in_its_name,
    ),
    Live(
        "return",
        "rows.xlsx",
        "far more than this plan's workbook",
        "6.7 MB of 1.3M empty rows",
        _million_empty_rows,
    ),
    Live(
        "return",
        "prefixed-rows.xlsx",
        "far more than this plan's workbook|zip bomb",
        "3M row tags with a prefix and a newline",
        _prefixed_rows,
    ),
    Live(
        "return",
        "shared-strings.xlsx",
        "far more than this plan's workbook",
        "60 MB of shared strings",
        _many_shared_strings,
    ),
    Live(
        "return",
        "ten-megabyte-comment.xlsx",
        "the limit is 5,000",
        "a 10 MB comment",
        _ten_megabyte_comment,
    ),
]
