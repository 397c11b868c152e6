"""Recovering a plan file before it is judged: a save cut off by a crash is rolled back, and a
plan kept in WAL mode by another program is read without leaving files beside it.

A crash in the middle of an edit leaves a hot journal beside the file, and the file half
written until SQLite rolls it back; only a writable connection can, and the checks on open read
through read-only ones, which would call the file damaged. So the recovery is made first on a
private copy, which is then checked like any plan. Only a copy that passes is worth the same
recovery in place (where the file and its folder can be written: that restores the last
committed plan, which is what the file holds; it is recovery, not a change). A copy that fails
leaves the file and its journal exactly as they were, for a person to look at.

Only a plan's own journal is played back into it: the plan's header is read first (a journal
beside a text file is not its), and a journal must begin as SQLite's journals do.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from planner.errors import PlanFileError
from planner.text import quoted

_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def waiting(path: Path) -> str | None:
    """What must be recovered before ``path`` (a plan, by its header) can be judged:
    ``"journal"`` (a save cut off), ``"wal"`` (a plan in WAL mode), or None."""
    journal = path.with_name(path.name + "-journal")
    try:
        with open(journal, "rb") as f:
            head = f.read(len(_JOURNAL_MAGIC))
    except FileNotFoundError:
        head = None
    except OSError as e:
        raise PlanFileError(
            f"{quoted(journal)}, beside the plan, could not be read ({e.strerror or e})."
        ) from None
    if head:
        if head == _JOURNAL_MAGIC:
            return "journal"
        if head.strip(b"\0"):  # zeros: a journal already finished with, which SQLite ignores
            raise PlanFileError(
                f"Beside {quoted(path)} is {quoted(journal)}, which is not SQLite's record of "
                f"a cut-off save. Nothing has been opened or changed: move that file away, "
                f"then open the plan again."
            )
    return "wal" if _in_wal_mode(path) else None


def private_copy(path: Path, kind: str) -> Path:
    """A copy of ``path`` in a folder of its own, recovered: its journal rolled back, or its WAL
    folded in. The caller removes the folder."""
    folder = Path(tempfile.mkdtemp(prefix="poolplanner-recovered-"))
    try:
        copy = folder / path.name  # the name the messages give
        shutil.copyfile(path, copy)
        for end in ("-journal", "-wal"):
            beside = path.with_name(path.name + end)
            if beside.exists():
                shutil.copyfile(beside, copy.with_name(copy.name + end))
    except OSError as e:
        shutil.rmtree(folder, ignore_errors=True)
        raise PlanFileError(
            f"{quoted(path)} needs recovering from a cut-off save, and there is no room for a "
            f"copy to recover it on ({e.strerror or e}). Nothing has been changed."
        ) from None
    roll_back(copy, fold_wal=kind == "wal")
    return copy


def roll_back(path: Path, fold_wal: bool = False) -> None:
    """Let SQLite recover ``path``: a read on a writable connection rolls a hot journal back;
    ``fold_wal`` also takes a copy out of WAL mode, so that it reads with nothing beside it."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True)
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA schema_version").fetchone()
            if fold_wal:
                conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # not ours to explain here: the checks on open that follow say what is wrong


def _in_wal_mode(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return False
    return head.startswith(b"SQLite format 3\x00") and head[18:20] == b"\x02\x02"
