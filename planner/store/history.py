"""The plan's history, kept in the plan file: one entry per committed edit, appended in the
edit's own transaction, never rewritten. Reverting an entry is a new edit (and a new entry), so
the history stays whole."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sqlite3
from dataclasses import dataclass

from planner.store.changes import Edit, RowChange

# Kept beside the plan but not an edit to it: an export's record holds the whole plan as sent,
# which the history must not copy on every export.
NOT_RECORDED = {"export_record"}


@dataclass(frozen=True)
class Entry:
    id: int
    made_at: str  # ISO 8601 with the offset, to the second
    user_name: str  # the operating system's user
    display_name: str  # the name the user gave in the app's settings ("" if none)
    what: str
    kind: str  # edit, undo, redo or revert
    signed_by: tuple[str, ...]  # bodies that had signed a version when the edit was made
    parts: tuple[str, ...]
    body_ids: tuple[int, ...]
    years: tuple[int, ...]

    @property
    def who(self) -> str:
        if self.display_name and self.display_name != self.user_name:
            return f"{self.display_name} ({self.user_name})"
        return self.user_name


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container, say)
        return "unknown"


def signed_bodies(conn: sqlite3.Connection) -> tuple[str, ...]:
    """Bodies whose sign-off of some version is on record (approved, with or without comments)."""
    return tuple(
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT b.name FROM sign_off s JOIN body b ON b.id = s.body_id "
            "WHERE s.decision != 'not_approved' ORDER BY b.name"
        )
    )


def append(
    conn: sqlite3.Connection,
    edit: Edit,
    kind: str,
    display_name: str,
    signed_by: tuple[str, ...],
) -> int | None:
    """Record ``edit`` (inside its transaction); None if it wrote nothing the history keeps."""
    rows = [r for r in edit.rows if r.table not in NOT_RECORDED]
    if not rows:
        return None
    change = edit.change
    return conn.execute(
        "INSERT INTO history (made_at, user_name, display_name, what, kind, signed_by, parts, "
        "body_ids, years, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            current_user(),
            display_name,
            edit.name,
            kind,
            json.dumps(list(signed_by), ensure_ascii=False),
            json.dumps(sorted(change.tables - {"exports"})),
            json.dumps(sorted(change.body_ids)),
            json.dumps(sorted(change.years)),
            json.dumps([[r.table, r.before, r.after] for r in rows], ensure_ascii=False),
        ),
    ).lastrowid


def entries(conn: sqlite3.Connection) -> list[Entry]:
    """Every entry, oldest first, without its rows."""
    return [
        Entry(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            tuple(json.loads(r[6])),
            tuple(json.loads(r[7])),
            tuple(json.loads(r[8])),
            tuple(json.loads(r[9])),
        )
        for r in conn.execute(
            "SELECT id, made_at, user_name, display_name, what, kind, signed_by, parts, "
            "body_ids, years FROM history ORDER BY id"
        )
    ]


def rows_of(conn: sqlite3.Connection, entry_id: int) -> tuple[RowChange, ...]:
    found = conn.execute("SELECT rows FROM history WHERE id = ?", (entry_id,)).fetchone()
    if found is None:
        raise LookupError(entry_id)
    return tuple(
        RowChange(t, None if b is None else tuple(b), None if a is None else tuple(a))
        for t, b, a in json.loads(found[0])
    )


def keys_of(rows, key) -> set[tuple]:
    """Which rows (table and primary key) ``rows`` wrote; ``key(table, row)`` gives a key."""
    return {(r.table, key(r.table, r.before if r.before is not None else r.after)) for r in rows}
