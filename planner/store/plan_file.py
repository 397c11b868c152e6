"""An open .poolplan file: the plan in memory, and every edit written to disk in its own
transaction before it is acknowledged, so nothing the user saw accepted is lost if the process dies.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from planner.errors import (
    DamagedPlanError,
    EditError,
    NotAPlanError,
    PlanExistsError,
    PlanFileError,
)
from planner.files import temp_beside
from planner.model import (
    Plan,
)
from planner.store import header, history, mirror, row_rules, schema, shape
from planner.store.appraisal_edits import AppraisalEdits
from planner.store.changes import Change, Edit, RowChange
from planner.store.edits import PlanEdits
from planner.store.history import HistoryEdits
from planner.store.journal import Journal, StaleRowError
from planner.store.lock import PlanLock
from planner.store.records import RecordEdits
from planner.store.rows import read_plan, write_plan

SUFFIX = ".poolplan"


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
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


class _QuickCheck:
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
            conn = _connect(self._path, read_only=True)
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
                f"'{self._path.name}' is damaged ({problem}). Restore it from a backup; "
                f"the file has not been changed."
            )
        if self._broken_rule:
            raise broken_rule(self._path.name, self._broken_rule)


def broken_rule(name: str, rule: str) -> DamagedPlanError:
    return DamagedPlanError(
        f"'{name}' holds a row Pool Planner would never write: {rule}. It may have been altered "
        f"by another program; it has not been opened, and it has not been changed."
    )


def _upgrade(conn: sqlite3.Connection, from_version: int, name: str) -> None:
    """``migrate``, for a file being opened: a failure closes ``conn`` and refuses the file."""
    try:
        migrate(conn, from_version)
    except sqlite3.Error as e:
        conn.close()
        raise DamagedPlanError(
            f"'{name}' could not be upgraded to this version's file format ({e}); "
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
            for statement in _statements(sql):
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
        for statement in _statements(sql):
            conn.execute(statement)


def _statements(sql: str) -> Iterator[str]:
    # executescript() would commit our transaction; split on complete statements instead.
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""


class PlanFile(PlanEdits, AppraisalEdits, RecordEdits, HistoryEdits):
    """A plan open from disk. ``plan`` always equals what the file holds."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        plan: Plan,
        read_only: bool,
        lock: PlanLock | None = None,
        locked_by_other: bool = False,
    ):
        self.path = path
        self.plan = plan
        self.read_only = read_only
        # True when the plan was asked for editing but another process is editing it.
        self.locked_by_other = locked_by_other
        self._conn = conn
        self._lock = lock
        # The edit being written: its rows so far (None: no transaction open) and its name.
        self._steps: list[RowChange] | None = None
        self._edit_name: str | None = None
        self._edit_kind = "edit"
        self._memory_in_doubt = False  # a step's rows were half applied to memory
        self._change = Change()
        self.last_edit: Edit | None = None
        # Who makes the edits, as the history names them beside the operating system's user:
        # the name the user gave in the app's settings (never stored in the plan otherwise).
        self.display_name = ""
        self._journal = Journal(conn, schema.JOURNALED, watch=not read_only)
        # Where a plan recovered on a private copy is read from (removed on close).
        self._private_copy: Path | None = None
        # The format of an older plan opened for editing: read from an upgraded copy in memory,
        # the file untouched until ``upgrade`` (None: the file is this version's).
        self.older_format: int | None = None
        st = os.stat(path)
        self._identity = (st.st_dev, st.st_ino)  # which file this is, to notice it moving

    @property
    def recovered_on_copy(self) -> bool:
        """Opened from a private copy on which a cut-off save was rolled back."""
        return self._private_copy is not None

    # -- opening and creating ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike, *, read_only: bool = False) -> PlanFile:
        """Open a plan. One in an older file format is read through an upgraded copy in memory,
        the file left as it is (``older_format`` says so) until ``upgrade``.

        Anything that is not a plan, is damaged, or comes from a newer version raises a
        ``PlanFileError`` and the file is left exactly as it was. If another process is editing
        the plan, it opens read-only with ``locked_by_other`` set.
        """
        path = Path(path)
        copy = _recover(path, read_only)
        if copy is not None:  # recovered on a private copy: the plan as last committed
            try:
                pf = cls._open_checked(copy, header.inspect(copy), read_only=True)
            except BaseException:
                shutil.rmtree(copy.parent, ignore_errors=True)
                raise
            pf.path, pf._private_copy = path, copy.parent
            return pf
        found = header.inspect(path)
        lock = None
        locked_by_other = False
        if not read_only:
            lock = PlanLock(path)
            if not lock.acquire():
                lock, read_only, locked_by_other = None, True, True
        try:
            pf = cls._open_checked(path, found, read_only)
        except BaseException:
            if lock:
                lock.release()
            raise
        pf._lock, pf.locked_by_other = lock, locked_by_other
        return pf

    @classmethod
    def _open_checked(cls, path: Path, found: header.Header, read_only: bool) -> PlanFile:
        check = _QuickCheck(path, found.user_version)
        try:
            pf = cls._read_checked(path, found, read_only, check)
        except Exception:
            # Damage explains any failure better than the failure does, as when the check ran
            # first; and nothing of a refused file is left open.
            check.verdict()
            raise
        try:
            check.verdict()
        except DamagedPlanError:
            pf.close()
            raise
        return pf

    @classmethod
    def _read_checked(
        cls, path: Path, found: header.Header, read_only: bool, check: _QuickCheck
    ) -> PlanFile:
        name = path.name
        try:
            conn = _connect(path, read_only=True)
        except sqlite3.Error as e:
            raise PlanFileError(f"'{name}' could not be opened: {e}.") from None
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")
            }
            if found.user_version == 0 or not tables >= _tables_at(found.user_version):
                raise NotAPlanError(
                    f"'{name}' is marked as a Pool Planner plan but does not hold one "
                    f"(tables are missing)."
                )
            shape.check(conn, found.user_version, name)
        except sqlite3.DatabaseError as e:
            conn.close()
            raise DamagedPlanError(
                f"'{name}' is damaged ({e}). Restore it from a backup; the file has not been changed."
            ) from None
        except BaseException:
            conn.close()
            raise
        older = found.user_version < schema.VERSION
        if older:
            check.verdict()  # never upgrade a damaged file, nor a copy of one
        if not read_only and not older:
            conn.close()
            if not os.access(path, os.W_OK):
                raise PlanFileError(
                    f"'{name}' is read-only on disk. Open it read-only, or save a copy to edit."
                )
            conn = _connect(path, read_only=False)
        elif older:
            # Upgrade a copy in memory: opening must never change the file. One opened for
            # editing is upgraded in place at its first edit (``upgrade``), when asked.
            memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            memory.execute("PRAGMA trusted_schema = OFF")
            try:
                conn.backup(memory)
            except sqlite3.Error as e:
                memory.close()
                raise DamagedPlanError(f"'{name}' could not be read ({e}).") from None
            finally:
                conn.close()
            conn = memory
            _upgrade(conn, found.user_version, name)
            rule = row_rules.first_broken(conn)
            if rule:
                conn.close()
                raise broken_rule(name, rule)
        try:
            plan = read_plan(conn)
        except (sqlite3.Error, LookupError, ValueError, TypeError) as e:  # a row missing or bad
            conn.close()
            raise DamagedPlanError(f"'{name}' holds data this version cannot read ({e}).") from None
        except BaseException:
            conn.close()
            raise
        try:
            pf = cls(path, conn, plan, read_only or older)
            pf.older_format = found.user_version if older and not read_only else None
            return pf
        except sqlite3.Error as e:  # the journal could not be set up on this connection
            conn.close()
            raise PlanFileError(f"'{name}' could not be opened for editing ({e}).") from None

    @classmethod
    def create(cls, path: str | os.PathLike, plan: Plan, *, overwrite: bool = False) -> PlanFile:
        """Write ``plan`` as a new file. The file appears whole or not at all."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise PlanExistsError(f"'{path.name}' already exists; choose another name.")
        folder = path.resolve().parent
        if not folder.is_dir():
            raise PlanFileError(f"The folder {folder} does not exist.")
        tmp = temp_beside(path)
        try:
            conn = _connect(tmp, read_only=False)
            try:
                migrate(conn, 0)
                conn.execute("BEGIN IMMEDIATE")
                write_plan(conn, plan)
                conn.execute("COMMIT")
            except sqlite3.IntegrityError as e:
                raise EditError(f"The plan is not valid: {e}.") from None
            finally:
                conn.close()
            if overwrite:
                os.replace(tmp, path)
            else:
                try:
                    os.link(tmp, path)  # fails rather than overwrite a file made meanwhile
                except FileExistsError:
                    raise PlanExistsError(
                        f"'{path.name}' already exists; choose another name."
                    ) from None
                except OSError:
                    os.replace(tmp, path)  # file systems without hard links
        finally:
            tmp.unlink(missing_ok=True)
        return cls.open(path)

    def upgrade(self) -> Path:
        """Upgrade an older-format plan opened for editing to this version's format, in place,
        keeping the file as it was beside it (``NAME.v4.poolplan``: older releases open that
        one); the plan is then open for editing. Refused, the file unchanged and still
        read-only, if the folder cannot take the copy or the file cannot be written."""
        version = self.older_format
        if version is None:
            raise EditError("This plan is already in this version's file format.")
        if self._lock is None:
            raise EditError(f"'{self.path.name}' is open elsewhere; it cannot be upgraded here.")
        stem, suffix = self.path.stem, self.path.suffix
        kept = self.path.with_name(f"{stem}.v{version}{suffix}")
        n = 2
        while kept.exists():
            kept, n = self.path.with_name(f"{stem}.v{version}-{n}{suffix}"), n + 1
        if not os.access(self.path, os.W_OK):
            raise PlanFileError(f"'{self.path.name}' is read-only on disk; it was not upgraded.")
        try:
            shutil.copy2(self.path, kept)
        except OSError as e:
            raise PlanFileError(
                f"'{self.path.name}' was not upgraded: the file as it is could not be kept "
                f"beside it ({e.strerror or e}). It stays as it was, open read-only."
            ) from None
        try:
            conn = _connect(self.path, read_only=False)
            _upgrade(conn, version, self.path.name)  # closes conn and refuses if it fails
        except (PlanFileError, sqlite3.Error) as e:
            kept.unlink(missing_ok=True)
            raise PlanFileError(f"'{self.path.name}' was not upgraded ({e}).") from None
        plan = read_plan(conn)
        self._conn.close()
        self._conn, self.plan, self.read_only, self.older_format = conn, plan, False, None
        self._journal = Journal(conn, schema.JOURNALED)
        return kept

    def save_copy(self, path: str | os.PathLike, *, with_history: bool = True) -> None:
        """Write a consistent copy of the plan to ``path`` (SQLite's online backup), whole or
        not at all; the open plan stays the one being edited. Without its history (a copy to
        email to partners), the copy keeps no earlier figures: the history's entries and the
        plans kept as they were exported are removed, and their pages wiped (VACUUM)."""
        path = Path(path)
        if self._steps is not None:
            raise PlanFileError("A copy cannot be saved in the middle of a change.")
        if path.resolve() == self.path.resolve():
            raise PlanExistsError("Choose a different file: this is the plan that is open.")
        try:
            tmp = temp_beside(path)
        except OSError as e:
            raise PlanFileError(f"The copy could not be written: {e.strerror or e}.") from None
        try:
            target = sqlite3.connect(tmp)
            try:
                self._conn.backup(target)
                if not with_history:
                    target.execute("DELETE FROM history")
                    target.execute("DELETE FROM export_record")
                    target.commit()
                    target.execute("VACUUM")
            finally:
                target.close()
            os.replace(tmp, path)
        except (OSError, sqlite3.Error) as e:
            raise PlanFileError(f"The copy could not be written: {e}.") from None
        finally:
            tmp.unlink(missing_ok=True)

    def _check_still_there(self) -> None:
        """Refuse to write when the file was moved or deleted while open: SQLite would go on
        writing to a file nobody can find again, and the edit would be lost without a word."""
        try:
            now = os.stat(self.path)
        except OSError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != self._identity:
            raise EditError(
                f"'{self.path.name}' has been moved or deleted since it was opened, so the change "
                f"was not made. Use File > Save a Copy As to keep the plan as it is on screen."
            )

    def close(self) -> None:
        self._conn.close()
        if self._lock:
            self._lock.release()
            self._lock = None
        if self._private_copy is not None:
            shutil.rmtree(self._private_copy, ignore_errors=True)
            self._private_copy = None

    def __enter__(self) -> PlanFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the edit machinery -----------------------------------------------------------------

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

    def _check_unique_body_names(self) -> None:
        seen: dict[str, str] = {}
        for (name,) in self._conn.execute("SELECT name FROM body"):
            other = seen.setdefault(name.casefold(), name)
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
            raise EditError(f"'{self.path.name}' is open read-only; no change was made.")
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
            yield self._conn
            change = self._follow()
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


def _recover(path: Path, read_only: bool) -> Path | None:
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


def _tables_at(version: int) -> set[str]:
    if version >= 6:
        return schema.TABLES | schema.TABLES_V3 | schema.TABLES_V4 | schema.TABLES_V6
    if version >= 4:  # v5 rebuilt tables, keeping their names
        return schema.TABLES | schema.TABLES_V3 | schema.TABLES_V4
    if version >= 3:
        return schema.TABLES | schema.TABLES_V3
    return schema.TABLES if version >= 1 else set()
