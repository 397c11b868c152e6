"""An open .poolplan file: the plan in memory, and every edit written to disk in its own
transaction before it is acknowledged, so nothing the user saw accepted is lost if the process dies.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from pathlib import Path

from planner.errors import (
    DamagedPlanError,
    EditError,
    NotAPlanError,
    PlanExistsError,
    PlanFileError,
)
from planner.files import check_target, temp_beside
from planner.model import (
    Plan,
)
from planner.store import header, open_checks, recovery, row_rules, schema, shape
from planner.store.appraisal_edits import AppraisalEdits
from planner.store.changes import Change, Edit, RowChange
from planner.store.connection import connect
from planner.store.edits import PlanEdits
from planner.store.history import HistoryEdits
from planner.store.journal import Journal
from planner.store.lock import Owner, PlanLock, read_owner
from planner.store.migrate import migrate
from planner.store.migrate import upgrade as upgrade_file
from planner.store.monitoring_edits import MonitoringEdits
from planner.store.open_checks import OpenChecks
from planner.store.records import RecordEdits
from planner.store.rows import read_plan, write_plan
from planner.store.write_path import WritePath
from planner.text import quoted, shown

SUFFIX = ".poolplan"


class PlanFile(WritePath, PlanEdits, AppraisalEdits, MonitoringEdits, RecordEdits, HistoryEdits):
    # WritePath first: the edit mixins declare its methods (_transaction, edit, _replay) as
    # stubs for their readers, and the first base in the order is the one that answers.
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
        # True when the plan was asked for editing but another process is editing it; who that
        # is, when their copy of Pool Planner recorded it.
        self.locked_by_other = locked_by_other
        self.locked_by: Owner | None = None
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
        self._recovered = False  # that copy's recovery rolled back a cut-off save
        # The format of an older plan opened for editing: read from an upgraded copy in memory,
        # the file untouched until ``upgrade`` (None: the file is this version's).
        self.older_format: int | None = None
        st = os.stat(path)
        self._identity = (st.st_dev, st.st_ino)  # which file this is, to notice it moving

    @property
    def recovered_on_copy(self) -> bool:
        """Opened from a private copy on which a cut-off save was rolled back."""
        return self._private_copy is not None and self._recovered

    # -- opening and creating ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike, *, read_only: bool = False, who: str = "") -> PlanFile:
        """Open a plan. One in an older file format is read through an upgraded copy in memory,
        the file left as it is (``older_format`` says so) until ``upgrade``.

        Anything that is not a plan, is damaged, or comes from a newer version raises a
        ``PlanFileError`` and the file is left exactly as it was. If another process is editing
        the plan, it opens read-only with ``locked_by_other`` set, and ``locked_by`` says who
        (``who`` is the name this process records while it holds a plan); a file or folder that
        cannot be written opens read-only too.
        """
        path = Path(path)
        # A link's journal and lock are its target's: SQLite reads the journal beside the file.
        real = Path(os.path.realpath(path))
        writable = os.access(real, os.W_OK) and os.access(real.parent, os.W_OK)
        if not writable:
            # A file that cannot be written, or whose folder cannot hold its journal, opens to
            # be read (the window says so); asked to write, it says why it cannot.
            read_only = True
        found = header.inspect(real)  # before any recovery: only a plan's journal is played back
        kind = recovery.waiting(real)
        if kind is not None:
            copy = recovery.private_copy(real, kind)
            try:
                pf = cls._open_checked(copy, header.inspect(copy), read_only=True)
            except BaseException:
                shutil.rmtree(copy.parent, ignore_errors=True)
                raise
            pf.path, pf._private_copy = path, copy.parent
            pf._recovered = kind == "journal"
            if read_only and not (kind == "journal" and writable):
                return pf  # read through the recovered copy; the file left as it is
            pf.close()
            if kind == "journal":
                recovery.roll_back(real)  # as the copy was: the plan as last committed
            found = header.inspect(real)
        lock = None
        locked_by_other, locked_by = False, None
        if not read_only:
            lock = PlanLock(real, who)
            if not lock.acquire():
                lock, read_only, locked_by_other = None, True, True
                locked_by = read_owner(real)
        try:
            pf = cls._open_checked(real, found, read_only)
        except BaseException:
            if lock:
                lock.release()
            raise
        pf.path = path
        pf._lock, pf.locked_by_other, pf.locked_by = lock, locked_by_other, locked_by
        return pf

    @classmethod
    def _open_checked(cls, path: Path, found: header.Header, read_only: bool) -> PlanFile:
        check = OpenChecks(path, found.user_version)
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
        cls, path: Path, found: header.Header, read_only: bool, check: OpenChecks
    ) -> PlanFile:
        name = quoted(path)
        try:
            conn = connect(path, read_only=True)
        except sqlite3.Error as e:
            raise PlanFileError(f"{name} could not be opened: {e}.") from None
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")
            }
            if found.user_version == 0 or not tables >= _tables_at(found.user_version):
                raise NotAPlanError(
                    f"{name} is marked as a Pool Planner plan but does not hold one "
                    f"(tables are missing)."
                )
            shape.check(conn, found.user_version, name)
        except sqlite3.DatabaseError as e:
            conn.close()
            raise DamagedPlanError(
                f"{name} is damaged ({e}). Restore it from a backup; the file has not been changed."
            ) from None
        except BaseException:
            conn.close()
            raise
        older = found.user_version < schema.VERSION
        if older:
            check.verdict()  # never upgrade a damaged file, nor a copy of one
        if not read_only and not older:
            conn.close()
            conn = connect(path, read_only=False)
        elif older:
            # Upgrade a copy in memory: opening must never change the file. One opened for
            # editing is upgraded in place at its first edit (``upgrade``), when asked.
            memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            memory.execute("PRAGMA trusted_schema = OFF")
            try:
                conn.backup(memory)
            except sqlite3.Error as e:
                memory.close()
                raise DamagedPlanError(f"{name} could not be read ({e}).") from None
            finally:
                conn.close()
            conn = memory
            upgrade_file(conn, found.user_version, name)
        try:
            # The upgraded copy is checked again: a migration's new rules see the old rows.
            rule = row_rules.first_broken(conn) if older else None
            if rule:
                conn.close()
                raise open_checks.broken_rule(name, rule)
            plan = read_plan(conn)
        except (sqlite3.Error, LookupError, ValueError, TypeError) as e:  # a row missing or bad
            conn.close()
            undecodable = re.match(r"Could not decode to UTF-8 column '([^']*)'", str(e))
            if undecodable:  # bytes where text belongs: the check cannot see it, the read can
                raise open_checks.broken_rule(
                    name, f"its {undecodable[1]} column holds bytes that are not text (UTF-8)"
                ) from None
            raise DamagedPlanError(f"{name} holds data this version cannot read ({e}).") from None
        except BaseException:
            conn.close()
            raise
        try:
            pf = cls(path, conn, plan, read_only or older)
            pf.older_format = found.user_version if older and not read_only else None
            return pf
        except sqlite3.Error as e:  # the journal could not be set up on this connection
            conn.close()
            raise PlanFileError(f"{name} could not be opened for editing ({e}).") from None

    @classmethod
    def create(cls, path: str | os.PathLike, plan: Plan, *, overwrite: bool = False) -> PlanFile:
        """Write ``plan`` as a new file. The file appears whole or not at all."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise PlanExistsError(f"{quoted(path)} already exists; choose another name.")
        folder = path.resolve().parent
        if not folder.is_dir():
            raise PlanFileError(f"The folder {folder} does not exist.")
        tmp = temp_beside(path)
        try:
            conn = connect(tmp, read_only=False)
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
                        f"{quoted(path)} already exists; choose another name."
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
            raise EditError(f"{quoted(self.path)} is open elsewhere; it cannot be upgraded here.")
        stem, suffix = self.path.stem, self.path.suffix
        kept = self.path.with_name(f"{stem}.v{version}{suffix}")
        n = 2
        while kept.exists():
            kept, n = self.path.with_name(f"{stem}.v{version}-{n}{suffix}"), n + 1
        if not os.access(self.path, os.W_OK):
            raise PlanFileError(f"{quoted(self.path)} is read-only on disk; it was not upgraded.")
        try:
            shutil.copy2(self.path, kept)
        except OSError as e:
            raise PlanFileError(
                f"{quoted(self.path)} was not upgraded: the file as it is could not be kept "
                f"beside it ({e.strerror or e}). It stays as it was, open read-only."
            ) from None
        try:
            conn = connect(self.path, read_only=False)
            upgrade_file(conn, version, quoted(self.path))  # closes conn and refuses if it fails
        except (PlanFileError, sqlite3.Error) as e:
            kept.unlink(missing_ok=True)
            raise PlanFileError(f"{quoted(self.path)} was not upgraded ({e}).") from None
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
        check_target(path, "the copy", PlanFileError)
        try:
            tmp = temp_beside(path)
        except OSError as e:
            raise PlanFileError(
                f"The copy could not be written in '{shown(str(path.resolve().parent))}': "
                f"{e.strerror or e}."
            ) from None
        try:
            target = sqlite3.connect(tmp)
            try:
                self._conn.backup(target)
                if not with_history:
                    target.execute("DELETE FROM history")
                    target.execute("DELETE FROM export_record")
                    target.execute("DELETE FROM export_plan")
                    target.commit()
                    target.execute("VACUUM")
            finally:
                target.close()
            os.replace(tmp, path)
        except OSError as e:
            raise PlanFileError(
                f"{quoted(path)} could not be written: {e.strerror or e}."
            ) from None
        except sqlite3.Error as e:
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
                f"{quoted(self.path)} has been moved or deleted since it was opened, so the change "
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


def _tables_at(version: int) -> set[str]:
    if version >= 8:  # v9 added columns only
        return _tables_at(7) | schema.TABLES_V8
    if version >= 7:
        return (
            schema.TABLES
            | schema.TABLES_V3
            | schema.TABLES_V4
            | schema.TABLES_V6
            | schema.TABLES_V7
        )
    if version >= 6:
        return schema.TABLES | schema.TABLES_V3 | schema.TABLES_V4 | schema.TABLES_V6
    if version >= 4:  # v5 rebuilt tables, keeping their names
        return schema.TABLES | schema.TABLES_V3 | schema.TABLES_V4
    if version >= 3:
        return schema.TABLES | schema.TABLES_V3
    return schema.TABLES if version >= 1 else set()
