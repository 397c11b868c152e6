"""The one write path: every edit one transaction, its rows recorded by the journal, the plan
in memory following them, undo and redo replaying them, and the history appended to, all
inside that transaction."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from planner import fields as F
from planner.errors import EditError
from planner.model import Plan
from planner.store import history, mirror, row_rules, schema
from planner.store.changes import Change, Edit, RowChange
from planner.store.journal import Journal, StaleRowError
from planner.store.rows import read_plan
from planner.text import quoted


class WritePath:
    """Mixed into ``PlanFile``, which provides the connection, the journal and the checks that
    the file is still there."""

    plan: Plan
    path: Path
    read_only: bool
    display_name: str
    _conn: sqlite3.Connection
    _journal: Journal

    def _check_still_there(self) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def edit(self, name: str | None = None) -> Iterator[None]:
        """Group the writes made inside into one transaction, one undo step and one ``Edit``
        (``last_edit`` afterwards), named ``name`` or, if None, after its first write."""
        with self._transaction(name):
            yield

    def undo(self, edit: Edit) -> Edit:
        """Put back every row ``edit`` wrote as it was before, in one transaction; refused with
        ``EditError`` (nothing changed) if a row is no longer as ``edit`` left it."""
        return self._replay(edit.inverse_rows(), f"Undo {edit.name}", "undo")

    def redo(self, edit: Edit) -> Edit:
        """Write ``edit``'s rows again, exactly: the same ids, notes and order."""
        return self._replay(edit.rows, f"Redo {edit.name}", "redo")

    def _key(self, table: str, row) -> tuple:
        return self._journal.key(table, row)

    def _replay(self, rows, name: str, kind: str, *, only=None) -> Edit:
        """Write ``rows`` (each where its ``before`` image is now) as one edit. ``only(extra)``
        is given the rows the file wrote beyond them (what foreign keys cascaded) and may
        refuse them."""
        rows = list(rows)
        with self._transaction(name, kind):
            try:
                self._journal.replay(rows)
            except StaleRowError as e:
                raise EditError(
                    f"The plan has changed since (a {e.table.replace('_', ' ')} row is not as "
                    f"that step left it), so nothing was changed."
                ) from None
            if any(r.table == "body" and r.after is not None for r in rows):
                # Undo skips the edits' own checks: the one the file cannot make is this.
                self._check_unique_body_names()
            if only is not None:
                meant = history.keys_of(rows, self._key)
                written = self._journal.peek()
                only([r for r in written if (r.table, self._key(r.table, _image(r))) not in meant])
        return self.last_edit

    def _next_version_if_sent(self, version: int) -> None:
        """The version rule: the first change to the plan's content after its version was
        exported starts the next version, in the same edit (so undo takes both back). Partners
        sign the version they were sent; a re-export of the changed plan must not carry the
        number of the one they saw. Drafting before anything is sent keeps the number; so does
        an edit that sets the version itself, or that changes only what is not content (a
        deadline, a sign-off, the record of an export)."""
        # Cheapest first, as this runs at every edit: most versions being edited were never sent.
        sent = self._conn.execute(
            "SELECT 1 FROM export_record WHERE version = ? LIMIT 1", (version,)
        ).fetchone()
        if not sent:
            return
        now = self._conn.execute("SELECT version FROM plan WHERE id = 1").fetchone()
        if now is None or now[0] != version:
            return
        rows = [*self._steps, *self._journal.peek()]  # the edit's steps so far, and the rest
        if any(self._is_content(r) for r in rows):
            self._conn.execute("UPDATE plan SET version = version + 1 WHERE id = 1")

    def _is_content(self, r: RowChange) -> bool:
        if r.table not in schema.CONTENT:
            return False
        if r.table != "plan" or r.before is None or r.after is None:
            return True
        columns = self._journal.columns["plan"]
        skip = schema.NOT_CONTENT_COLUMNS["plan"]
        return any(
            b != a
            for name, b, a in zip(columns, r.before, r.after, strict=True)
            if name not in skip
        )

    def _check_unique_body_names(self) -> None:
        seen: dict[str, str] = {}
        for (name,) in self._conn.execute("SELECT name FROM body"):
            other = seen.setdefault(F.name_key(name), name)
            if other != name:
                raise EditError(
                    f"That would give two bodies the same name, '{other}' and '{name}'; rename "
                    f"one first. Nothing was changed."
                )

    def reload(self) -> None:
        """Read the plan afresh from the file (after a failure left memory in doubt)."""
        self.plan = read_plan(self._conn)

    @contextlib.contextmanager
    def _transaction(
        self, name: str | None = None, kind: str = "edit"
    ) -> Iterator[sqlite3.Connection]:
        """One write. Nested inside another it is a savepoint of that one's transaction: a
        refused step undoes only itself. The plan in memory follows each step's rows."""
        if self._steps is not None:
            yield from self._step(name, kind)
            return
        if self.read_only:
            raise EditError(f"{quoted(self.path)} is open read-only; no change was made.")
        self._check_still_there()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise EditError(
                f"The plan file could not be written ({e}); no change was made."
            ) from None
        self._journal.start()
        self._steps, self._edit_name, self._change = [], name, Change()
        self._edit_kind = kind
        try:
            signed = history.signed_bodies(self._conn)
            version = self.plan.version
            yield self._conn
            if self._edit_kind in ("edit", "revert"):
                self._next_version_if_sent(version)
            change = self._follow()
            broken = row_rules.broken_by_edit(self._conn, self._steps)
            if broken:
                raise EditError(
                    f"That change would break the rule that {broken}, so nothing was changed."
                )
            edit = Edit(self._edit_name or "Change the plan", tuple(self._steps), change)
            history.append(self._conn, edit, self._edit_kind, self.display_name, signed)
            self._conn.execute("COMMIT")
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            self._unfollow()
            if isinstance(e, sqlite3.IntegrityError):
                raise EditError(f"That change would make the plan inconsistent ({e}).") from None
            if isinstance(e, sqlite3.Error):
                raise EditError(
                    f"The plan file could not be written ({e}); no change was made."
                ) from None
            raise
        finally:
            self._steps = None
        self.last_edit = edit

    def _step(self, name: str | None, kind: str) -> Iterator[sqlite3.Connection]:
        if self._edit_name is None:  # an edit unnamed takes its first step's name and kind
            self._edit_name, self._edit_kind = name, kind
        self._conn.execute("SAVEPOINT step")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK TO step")
            self._conn.execute("RELEASE step")
            raise
        self._conn.execute("RELEASE step")
        self._follow()

    def _follow(self) -> Change:
        """Memory follows the rows written since it last did; what the whole edit changed."""
        rows = self._journal.take()
        try:
            change = mirror.apply(self.plan, self._journal.columns, rows)
        except Exception as e:  # a row memory cannot hold: refuse the edit, re-read the plan
            self._memory_in_doubt = True
            raise EditError(f"The change was not made: the plan could not take it ({e!r}).") from e
        self._steps.extend(rows)
        self._change = self._change | change
        return self._change

    def _unfollow(self) -> None:
        """After a rollback: memory goes back to what the file holds."""
        steps = self._steps or []
        self._change = Change()
        try:
            if self._memory_in_doubt:
                self.reload()
            elif steps:
                inverse = [r.inverse() for r in reversed(steps)]
                mirror.apply(self.plan, self._journal.columns, inverse)
        except Exception:
            self.reload()
        finally:
            self._memory_in_doubt = False


def _image(r: RowChange):
    return r.before if r.before is not None else r.after
