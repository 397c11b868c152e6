"""The checks a plan file passes before it is trusted, run on their own connection and thread
while the plan is read: SQLite's own, the foreign keys, and the writer's row rules."""

from __future__ import annotations

import threading
from pathlib import Path

from planner.errors import DamagedPlanError
from planner.store import row_rules, schema
from planner.store.connection import connect
from planner.text import quoted


class OpenChecks:
    """``PRAGMA quick_check`` on its own connection and thread, while the plan is read: SQLite
    lets go of Python's lock while it checks, so on a second core the check costs the open
    nothing (about 4 ms of the stress plan's 55 ms read). ``verdict`` waits for it and raises
    ``DamagedPlanError`` if the file is damaged."""

    def __init__(self, path: Path, version: int):
        self._path = path
        self._version = version
        self._problems: list[str] = []
        self._broken_rule: str | None = None  # a row the writer would never have written
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = connect(self._path, read_only=True)
            # A damaged page can put bytes that are not UTF-8 into the check's report.
            conn.text_factory = lambda b: b.decode("utf-8", "replace")
            try:
                self._problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
                if self._problems == ["ok"]:
                    # Here too, off the reading thread: a row naming a body, settlement or
                    # scheme the file does not hold would be invisible in every report.
                    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
                    if broken:
                        self._problems = [f"a {broken[0]} row refers to a missing {broken[2]}"]
                    elif self._version == schema.VERSION:  # an older file: after its upgrade
                        self._broken_rule = row_rules.first_broken(conn)
            finally:
                conn.close()
        except Exception as e:  # whatever happens, the opener gets a verdict
            self._problems = [str(e) or type(e).__name__]

    def verdict(self) -> None:
        self._thread.join()
        if self._problems != ["ok"]:
            problem = self._problems[0] if self._problems else "it could not be checked"
            raise DamagedPlanError(
                f"{quoted(self._path)} is damaged ({problem}). Restore it from a backup; "
                f"the file has not been changed."
            )
        if self._broken_rule:
            raise broken_rule(quoted(self._path), self._broken_rule)


def broken_rule(name: str, rule: str) -> DamagedPlanError:
    return DamagedPlanError(
        f"{name} holds a row Pool Planner would never write: {rule}. It may have been altered "
        f"by another program; it has not been opened, and it has not been changed."
    )
