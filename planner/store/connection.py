"""How the store connects to a plan file: the same settings on every connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    # isolation_level=None: we issue BEGIN/COMMIT ourselves so each edit is exactly one transaction.
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    # A second wall behind the structure check: nothing in the file's schema may call a
    # function with side effects.
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 2000")
    if not read_only:
        conn.execute("PRAGMA synchronous = FULL")
    return conn
