"""The record of every row an edit writes, kept by SQLite itself.

TEMP triggers (they live only in this connection, never in the file) copy each inserted, updated
or deleted row of the plan's tables into a temporary log, so what an edit did is known exactly,
cascades included: a ``DELETE FROM body`` logs the settlements, contributions and sign-offs the
foreign keys removed with it, children first. Undo and redo replay those images.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from planner.store.changes import RowChange


class StaleRowError(Exception):
    """A row is not as the change to be replayed expects: something else changed it since."""

    def __init__(self, table: str, key: tuple):
        super().__init__(f"{table} {key}")
        self.table, self.key = table, key


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Journal:
    """Watches ``tables`` on one connection (``watch`` False: a read-only one, whose rows it
    only describes)."""

    def __init__(self, conn: sqlite3.Connection, tables: Iterable[str], watch: bool = True):
        self._conn = conn
        self.columns: dict[str, tuple[str, ...]] = {}
        self.keys: dict[str, tuple[int, ...]] = {}  # positions of each table's primary key
        for table in sorted(tables):
            info = conn.execute(f"PRAGMA main.table_info({_quote(table)})").fetchall()
            self.columns[table] = tuple(r[1] for r in info)
            self.keys[table] = tuple(
                i for _, i in sorted((r[5], i) for i, r in enumerate(info) if r[5])
            )
        self._read_up_to = 0
        if watch:
            self._watch()

    def _watch(self) -> None:
        conn = self._conn
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS row_log "
            "(seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, before TEXT, after TEXT)"
        )
        for table, names in self.columns.items():
            old = "json_array(" + ", ".join("old." + _quote(c) for c in names) + ")"
            new = "json_array(" + ", ".join("new." + _quote(c) for c in names) + ")"
            for op, before, after in (
                ("INSERT", "NULL", new),
                ("UPDATE", old, new),
                ("DELETE", old, "NULL"),
            ):
                conn.execute(
                    f"CREATE TEMP TRIGGER IF NOT EXISTS {_quote(f'journal_{table}_{op}')} "
                    f"AFTER {op} ON main.{_quote(table)} BEGIN "
                    f"INSERT INTO row_log (tbl, before, after) "
                    f"VALUES ('{table}', {before}, {after}); END"
                )

    def start(self) -> None:
        """At the start of a transaction: forget what earlier ones wrote."""
        self._conn.execute("DELETE FROM temp.row_log")
        self._read_up_to = 0

    def take(self) -> list[RowChange]:
        """The rows written since the last ``take``, in the order they were written."""
        found = []
        for seq, table, before, after in self._conn.execute(
            "SELECT seq, tbl, before, after FROM temp.row_log WHERE seq > ? ORDER BY seq",
            (self._read_up_to,),
        ):
            self._read_up_to = seq
            found.append(RowChange(table, _row(before), _row(after)))
        return found

    def peek(self) -> list[RowChange]:
        """The rows written since the last ``take``, leaving them to be taken."""
        return [
            RowChange(table, _row(before), _row(after))
            for table, before, after in self._conn.execute(
                "SELECT tbl, before, after FROM temp.row_log WHERE seq > ? ORDER BY seq",
                (self._read_up_to,),
            )
        ]

    def key(self, table: str, row: Sequence) -> tuple:
        return tuple(row[i] for i in self.keys[table])

    def now(self, table: str, key: tuple) -> tuple | None:
        """The row of ``table`` with primary key ``key`` as the file holds it (None: none)."""
        cols = self.columns[table]
        where = " AND ".join(f"{_quote(cols[i])} = ?" for i in self.keys[table])
        return self._conn.execute(
            f"SELECT {', '.join(map(_quote, cols))} FROM main.{_quote(table)} WHERE {where}", key
        ).fetchone()

    def all_as(self, changes: Iterable[RowChange], after: bool) -> bool:
        """Whether every row of ``changes`` is now as its ``after`` (or ``before``) image."""
        for ch in changes:
            image = ch.after if after else ch.before
            key = self.key(ch.table, ch.before if ch.before is not None else ch.after)
            if self.now(ch.table, key) != image:
                return False
        return True

    def replay(self, changes: Iterable[RowChange]) -> None:
        """Write each change's ``after`` image where its ``before`` image is now; raise
        ``StaleRowError`` (inside the caller's transaction) at the first row that is not."""
        conn = self._conn
        for ch in changes:
            table, cols = _quote(ch.table), self.columns[ch.table]
            image = ch.before if ch.before is not None else ch.after
            key = self.key(ch.table, image)
            where = " AND ".join(f"{_quote(cols[i])} = ?" for i in self.keys[ch.table])
            if self.now(ch.table, key) != ch.before:
                raise StaleRowError(ch.table, key)
            if ch.after is None:
                conn.execute(f"DELETE FROM main.{table} WHERE {where}", key)
            elif ch.before is None:
                marks = ", ".join("?" * len(cols))
                conn.execute(
                    f"INSERT INTO main.{table} ({', '.join(map(_quote, cols))}) VALUES ({marks})",
                    ch.after,
                )
            else:
                sets = ", ".join(f"{_quote(c)} = ?" for c in cols)
                conn.execute(f"UPDATE main.{table} SET {sets} WHERE {where}", (*ch.after, *key))


def _row(text: str | None) -> tuple | None:
    return None if text is None else tuple(json.loads(text))
