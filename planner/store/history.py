"""The plan's history, kept in the plan file: one entry per committed edit, appended in the
edit's own transaction, never rewritten. Reverting an entry is a new edit (and a new entry), so
the history stays whole."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from planner.errors import EditError, PlanFileError, PlannerError, RevertConflict
from planner.store import schema
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
    """The rows entry ``entry_id`` wrote; ``PlanFileError`` if the entry is missing or its
    record is not one this version wrote (a damaged or altered file)."""
    found = conn.execute("SELECT rows FROM history WHERE id = ?", (entry_id,)).fetchone()
    if found is None:
        raise EditError(f"The history has no entry {entry_id}.")
    try:
        rows = json.loads(found[0])
        changes = tuple(
            RowChange(t, None if b is None else tuple(b), None if a is None else tuple(a))
            for t, b, a in rows
        )
        if not all(
            c.table in schema.JOURNALED
            and (c.before is not None or c.after is not None)
            and all(
                isinstance(v, int | str | float | None) for v in (c.before or ()) + (c.after or ())
            )
            for c in changes
        ):
            raise ValueError("an unknown table or row")
    except (TypeError, ValueError) as e:  # JSONDecodeError is a ValueError
        raise PlanFileError(
            f"Entry {entry_id} of the plan's history is damaged ({e}); the plan itself is not."
        ) from None
    return tuple(_as_now(conn, c) for c in changes)


def _as_now(conn: sqlite3.Connection, change: RowChange) -> RowChange:
    """A row recorded before a later format added columns to its table (file format 10 gave
    settlement years their results part, 11 cost lines their uplift, 12 the appraisal its
    prices): its images gain those columns as the upgrade gave every existing row, their
    defaults, so an entry from before an upgrade can still be listed and reverted. A column
    is only ever added at the end, by ALTER TABLE ADD COLUMN."""
    width = len(change.before if change.before is not None else change.after)
    added = _defaults(conn, change.table)[width:]
    if not added:
        return change

    def pad(image):
        return None if image is None else (*image, *added)

    return RowChange(change.table, pad(change.before), pad(change.after))


def _defaults(conn: sqlite3.Connection, table: str) -> tuple:
    """The default of each of ``table``'s columns, in order, as values."""
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    # dflt_value is SQL text ('0', "''", 'NULL' or none): SQLite itself reads it.
    return tuple(conn.execute(f"SELECT {r[4] or 'NULL'}").fetchone()[0] for r in info)


def keys_of(rows, key) -> set[tuple]:
    """Which rows (table and primary key) ``rows`` wrote; ``key(table, row)`` gives a key."""
    return {(r.table, key(r.table, r.before if r.before is not None else r.after)) for r in rows}


class HistoryEdits:
    """Mixed into ``PlanFile``: reading the history, and reverting entries of it as new edits."""

    _conn: sqlite3.Connection

    def _key(self, table: str, row) -> tuple:
        raise NotImplementedError

    def _replay(self, rows, name: str, kind: str) -> Edit:
        raise NotImplementedError

    def history(self) -> list[Entry]:
        """Every entry of the plan's history, oldest first."""
        try:
            return entries(self._conn)
        except (sqlite3.Error, ValueError) as e:
            raise PlanFileError(f"The plan's history could not be read ({e}).") from None

    def history_rows(self, entry_id: int) -> list[dict]:
        """What entry ``entry_id`` wrote, each row by column name: ``{table, before, after}``."""
        named = []
        for r in rows_of(self._conn, entry_id):
            cols = self._journal.columns[r.table]
            named.append(
                {
                    "table": r.table,
                    "before": None if r.before is None else dict(zip(cols, r.before, strict=True)),
                    "after": None if r.after is None else dict(zip(cols, r.after, strict=True)),
                }
            )
        return named

    def describe_entry(self, entry_id: int) -> str:
        """What entry ``entry_id`` changed, for a person (see ``describe``)."""
        try:
            return describe(rows_of(self._conn, entry_id), self._journal.columns)
        except (sqlite3.Error, PlannerError):
            return "(cannot be shown)"

    def entries_after(
        self, entry_ids: Iterable[int], every: Iterable[Entry] | None = None
    ) -> list[Entry]:
        """The later entries that must be reverted with ``entry_ids``: each that wrote a row
        again after one of them did, and so on, oldest first. ``every``: the history, if the
        caller has read it already."""
        chosen = set(entry_ids)
        first = min(chosen)
        entries_now = self.history() if every is None else every
        later = [e for e in entries_now if e.id > first and e.id not in chosen]
        keys = {i: keys_of(rows_of(self._conn, i), self._key) for i in chosen}
        keys.update({e.id: keys_of(rows_of(self._conn, e.id), self._key) for e in later})
        taken = set(chosen)
        while True:
            more = [
                e
                for e in later
                if e.id not in taken and any(s < e.id and keys[s] & keys[e.id] for s in taken)
            ]
            if not more:
                return [e for e in later if e.id in taken]
            taken.update(e.id for e in more)

    def revert(self, entry_ids: Iterable[int], name: str | None = None) -> Edit:
        """Undo the entries ``entry_ids`` as one new edit (newest first). Refused, naming them,
        if later entries wrote any of their rows again: revert those together with them."""
        ids = set(entry_ids)
        if not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise EditError("Choose an entry of the history to revert.")
        ids = sorted(ids, reverse=True)
        every = {e.id: e for e in self.history()}
        missing = [i for i in ids if i not in every]
        if missing:
            raise EditError(f"The history has no entry {missing[0]}.")
        rows = [r.inverse() for i in ids for r in reversed(rows_of(self._conn, i))]
        if len(ids) == 1 and self._journal.all_as(rows, after=True):
            raise EditError(
                f"\u201c{every[ids[0]].what}\u201d is already undone: those figures are as they "
                f"were before it."
            )
        later = self.entries_after(ids, every.values())
        if later:
            names = "; ".join(f"{e.id} \u201c{e.what}\u201d" for e in later[:5])
            more = f" and {len(later) - 5} more" if len(later) > 5 else ""
            raise RevertConflict(
                f"Later changes set the same figures again (entry {names}{more}). Revert them "
                f"together, or those first.",
                later,
            )
        if name is None:
            oldest = every[ids[-1]].what
            others = len(ids) - 1
            name = f"Revert \u201c{oldest}\u201d" + (
                f" and {others} later change{'s' if others != 1 else ''}" if others else ""
            )

        def only(cascaded: list[RowChange]) -> None:
            # Reverting the entry that added a body or a scheme deletes it, and the file's
            # foreign keys would take later entries' rows with it: those must be reverted too.
            if not cascaded:
                return
            taken = keys_of(cascaded, self._key)
            later = [
                e
                for e in every.values()
                if e.id > ids[-1]
                and e.id not in ids
                and keys_of(rows_of(self._conn, e.id), self._key) & taken
            ]
            if not later:
                raise EditError("Reverting that would remove other figures too; nothing changed.")
            names = "; ".join(f"{e.id} \u201c{e.what}\u201d" for e in later[:5])
            raise RevertConflict(
                f"Later changes depend on it (entry {names}). Revert them together, or those "
                f"first.",
                later,
            )

        return self._replay(rows, name, "revert", only=only)

    def go_back_to(self, entry_id: int) -> Edit:
        """Make the plan what it was just after entry ``entry_id`` (0: before the first), by
        reverting every later entry as one new edit."""
        if isinstance(entry_id, bool) or not isinstance(entry_id, int):
            raise EditError("Choose an entry of the history to go back to.")
        every = self.history()
        later = [e.id for e in every if e.id > entry_id]
        if not later:
            raise EditError("The plan is already as it was then.")
        point = next((e for e in every if e.id == entry_id), None)
        if point is None:
            where = "before the first change"
        else:
            where = f"{uk_time(point.made_at)}, after \u201c{point.what}\u201d"
        return self.revert(later, f"Go back to {where}")


def describe(rows: tuple[RowChange, ...], columns: dict[str, tuple[str, ...]]) -> str:
    """What an entry changed, for a person: the figures before and after ("£32,000,000 ->
    £1,250,000"), or how many rows it wrote when that would be too many to list."""
    from planner import money
    from planner.model import Conditional
    from planner.results import mark_words, on_top

    def amount(image, table):
        if image is None:
            return "nothing"
        row = dict(zip(columns[table], image, strict=True))
        pence = row.get("amount_pence")
        text = (
            "an amount not yet known"
            if pence is None
            else money.format(pence, show_pence=pence % 100 != 0)
        )
        if table == "settlement_year":
            text = f"{row['status']} {text}" if pence is not None else row["status"]
            at_stake = row.get("conditional_pence")
            if at_stake:  # absent from an entry written before format 10
                part = Conditional(at_stake, row["condition"], row["expected_bp"],
                                   row["earned_pence"])  # fmt: skip
                text += on_top(part) or f" ({mark_words(part, part.earned_pence)})"
            return text
        return text

    figures = [r for r in rows if "amount_pence" in columns.get(r.table, ())]
    names = [r for r in rows if r.before and r.after and "name" in columns.get(r.table, ())]
    parts = [f"{amount(r.before, r.table)} \u2192 {amount(r.after, r.table)}" for r in figures]
    for r in names:
        old = dict(zip(columns[r.table], r.before, strict=True))["name"]
        new = dict(zip(columns[r.table], r.after, strict=True))["name"]
        if old != new:
            parts.append(f"\u2018{old}\u2019 \u2192 \u2018{new}\u2019")
    if len(parts) > 2 or (not parts and rows):
        n = len(figures) or len(rows)
        return (
            f"{n} figure{'s' if n != 1 else ''}" if figures else f"{n} row{'s' if n != 1 else ''}"
        )
    return "; ".join(parts)


def uk_time(made_at: str) -> str:
    """``2026-12-01T09:40:12+00:00`` as ``01/12/2026 09:40``."""
    try:
        when = dt.datetime.fromisoformat(made_at)
    except ValueError:
        return made_at
    return when.strftime("%d/%m/%Y %H:%M")
