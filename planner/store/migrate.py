"""Bringing a plan file to this version's format: the forward-only migrations of
``planner.store.schema``, run in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from planner.errors import DamagedPlanError
from planner.store import schema


def upgrade(conn: sqlite3.Connection, from_version: int, name: str) -> None:
    """``migrate``, for a file being opened: a failure closes ``conn`` and refuses the file."""
    try:
        migrate(conn, from_version)
    except sqlite3.Error as e:
        conn.close()
        raise DamagedPlanError(
            f"{name} could not be upgraded to this version's file format ({e}); "
            f"it has been left as it was."
        ) from None


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Run each migration after ``from_version`` in one transaction: all of them or none.

    Foreign keys are off while they run, as SQLite requires to rebuild a table (dropping one
    with them on would cascade its rows away), and are checked whole before the commit."""
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step, sql in enumerate(schema.MIGRATIONS[from_version:], start=from_version + 1):
            for statement in statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step}")
        conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise sqlite3.IntegrityError(f"a {broken[0]} row refers to a missing {broken[2]}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def migrate_to(conn: sqlite3.Connection, version: int) -> None:
    """Run the migrations up to ``version`` on an empty database: the structure a file of that
    version has (``planner.store.shape``)."""
    for sql in schema.MIGRATIONS[:version]:
        for statement in statements(sql):
            conn.execute(statement)


def statements(sql: str) -> Iterator[str]:
    # executescript() would commit our transaction; split on complete statements instead.
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
