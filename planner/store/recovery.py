"""Recovering a plan file before it is judged: a save cut off by a crash is rolled back, and a
plan kept in WAL mode by another program is read without leaving files beside it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path


def recover(path: Path, read_only: bool) -> Path | None:
    """Recover before judging. An edit cut off by a crash leaves a hot journal (or a WAL)
    beside the file, and the file half written until SQLite rolls it back; only a writable
    connection can, and the checks on open read through read-only ones, which would call the
    file damaged. Rolled back in place where the file and its folder can be written: that
    restores the last committed plan, which is what the file holds. Otherwise on a private copy,
    whose path is returned (None: nothing to recover, or recovered in place). SQLite itself
    tells a dead writer's journal from a live one's, and leaves a live one's.

    A plan kept in WAL mode (by another program) is read through a private copy when it is only
    to be read: a read-only connection to it would leave -wal and -shm files beside it."""
    beside = [path.with_name(path.name + end) for end in ("-journal", "-wal")]
    try:
        waiting = [p for p in beside if p.exists() and p.stat().st_size]
    except OSError:
        return None
    wal = read_only and _in_wal_mode(path)
    if not waiting and not wal:
        return None
    if not wal and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        _roll_back(path)
        return None
    folder = Path(tempfile.mkdtemp(prefix="poolplanner-recovered-"))
    try:
        copy = folder / path.name
        shutil.copyfile(path, copy)
        for p in waiting:
            shutil.copyfile(p, folder / p.name)
        _roll_back(copy, leave_wal=False)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return copy


def _in_wal_mode(path: Path) -> bool:
    if not path.is_file():  # a pipe would make the read wait for ever
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return False
    return head.startswith(b"SQLite format 3\x00") and head[18:20] == b"\x02\x02"


def _roll_back(path: Path, leave_wal: bool = True) -> None:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True)
        try:
            conn.execute("PRAGMA schema_version").fetchone()  # a read rolls the journal back
            if not leave_wal:
                conn.execute("PRAGMA journal_mode = DELETE")  # a copy: fold its WAL in
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # not ours to explain here: the checks on open that follow say what is wrong
