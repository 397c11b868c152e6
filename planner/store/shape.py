"""A plan file holds exactly the structure its version's migrations make: the same tables,
columns, types, defaults, keys, checks and indexes, and nothing else (no trigger, no view, no
extra table). A file from a partner is compared with that structure, built afresh by running the
migrations on an empty database, before any of it is read: a trigger in a received plan would
otherwise run inside the app's own writes.

The structure is compared through SQLite's pragmas, which describe what a table is rather than
how its SQL was spelled; the CHECK constraints, which no pragma lists, are compared as the
statement's text with quoting and spacing evened out.
"""

from __future__ import annotations

import functools
import re
import sqlite3

from planner.errors import PlanFileError
from planner.store.migrate import migrate_to


class ForeignStructureError(PlanFileError):
    """The file holds tables, columns, triggers, views or indexes Pool Planner did not write."""


# The objects SQLite makes itself, exactly as it makes them: sqlite_sequence (AUTOINCREMENT),
# sqlite_stat* (ANALYZE) and an index behind a UNIQUE constraint, which has no SQL. Anything else
# with a name of SQLite's, a trigger named sqlite_evil for one, is not SQLite's and not ours.
_SQLITE_TABLES = {
    "sqlite_sequence": "CREATE TABLE sqlite_sequence(name,seq)",
    "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
}


def _sqlite_own(kind: str, name: str, sql: str | None) -> bool:
    if kind == "table":
        return _SQLITE_TABLES.get(name) == sql
    return kind == "index" and name.startswith("sqlite_autoindex_") and sql is None


def _spelling(sql: str | None) -> str:
    text = (sql or "").replace('"', "").replace("`", "").replace("[", "").replace("]", "")
    return re.sub(r"\s+", " ", text).strip().lower()


def structure(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple]:
    """Every object of the file's main schema, by (type, name), with what describes it."""
    found: dict[tuple[str, str], tuple] = {}
    for kind, name, table, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_schema ORDER BY type, name"
    ):
        if _sqlite_own(kind, name, sql):
            continue
        if kind == "table":
            quoted = '"' + name.replace('"', '""') + '"'
            found[(kind, name)] = (
                tuple(conn.execute(f"PRAGMA main.table_xinfo({quoted})")),
                tuple(conn.execute(f"PRAGMA main.foreign_key_list({quoted})")),
                tuple(sorted(r[1:] for r in conn.execute(f"PRAGMA main.index_list({quoted})"))),
                _spelling(sql),
            )
        elif kind == "index":
            quoted = '"' + name.replace('"', '""') + '"'
            found[(kind, name)] = (
                table,
                tuple(conn.execute(f"PRAGMA main.index_xinfo({quoted})")),
                _spelling(sql),
            )
        else:  # a trigger or a view: never ours
            found[(kind, name)] = (table, _spelling(sql))
    return found


@functools.cache
def expected(version: int) -> dict[tuple[str, str], tuple]:
    """The structure the migrations up to ``version`` make."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate_to(conn, version)
        return structure(conn)
    finally:
        conn.close()


def check(conn: sqlite3.Connection, version: int, name: str) -> None:
    """Refuse, naming what differs, a file whose structure is not its version's."""
    found, wanted = structure(conn), expected(version)
    extra = sorted(set(found) - set(wanted))
    missing = sorted(set(wanted) - set(found))
    changed = sorted(k for k in set(found) & set(wanted) if found[k] != wanted[k])
    if not (extra or missing or changed):
        return
    if extra:
        what = ", ".join(f"{kind} '{obj}'" for kind, obj in extra[:3])
        detail = f"it holds {what}, which Pool Planner did not write"
    elif changed:
        what = ", ".join(f"{kind} '{obj}'" for kind, obj in changed[:3])
        detail = f"its {what} is not as Pool Planner writes it"
    else:
        what = ", ".join(f"{kind} '{obj}'" for kind, obj in missing[:3])
        detail = f"its {what} is missing"
    raise ForeignStructureError(
        f"{name} is not a plan as Pool Planner writes it: {detail}. It may have been altered by "
        f"another program; it has not been opened, and it has not been changed."
    )
