"""The open plan as the GUI sees it: the plan file, its undo stack, and the figures and findings,
recomputed once per edit and shared by every view.

Views never refresh each other: the store reports what each edit changed (a ``Change`` derived
from the rows it wrote), ``changed`` announces it, and every view decides for itself what to
redraw (Anki's OpChanges pattern).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from planner.analysis import Analysis
from planner.errors import EditError, PlannerError
from planner.figures import Figures
from planner.findings import Finding
from planner.model import Plan
from planner.store import PlanFile
from planner.store.changes import EVERYTHING, Change, Edit
from ui.commands import StoreCommand

log = logging.getLogger(__name__)


class PlanDocument(QObject):
    changed = Signal(object)  # Change
    # An undo or redo that the file refused (disk full, file gone): the message for the user.
    failed = Signal(str)

    # An older-format plan was upgraded in place at its first edit.
    upgraded = Signal()

    def __init__(self, plan_file: PlanFile, parent: QObject | None = None):
        super().__init__(parent)
        self.file = plan_file
        # Asked before an older-format plan's first edit: "upgrade", "read_only" or "copy" (a
        # copy was saved instead). None: upgrade without asking.
        self.ask_upgrade: Callable[[], str] | None = None
        self._kept_read_only = False
        self.undo_stack = QUndoStack(self)
        self._analysis: Analysis | None = None
        self._fingerprint: str | None = None
        self._sign_offs = None

    @property
    def plan(self) -> Plan:
        return self.file.plan

    @property
    def read_only(self) -> bool:
        """Whether the plan cannot be changed here. An older-format plan can: it is upgraded
        at its first edit, when ``ask_upgrade`` says so."""
        return self.file.read_only and not self.upgradable

    @property
    def upgradable(self) -> bool:
        return self.file.older_format is not None and not self._kept_read_only

    def _upgrade_first(self) -> None:
        choice = self.ask_upgrade() if self.ask_upgrade else "upgrade"
        if choice == "upgrade":
            self.file.upgrade()
            self.upgraded.emit()
            return
        if choice == "read_only":
            self._kept_read_only = True
        raise EditError("The plan was left as it is, in its older format; no change was made.")

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            # A read-only plan is a snapshot: the file may be moving on under another window.
            rows_of = None if self.read_only else self.file.rows_of_body
            self._analysis = Analysis(self.plan, rows_of)
        return self._analysis

    @property
    def figures(self) -> Figures:
        return self.analysis.figures

    @property
    def findings(self) -> list[Finding]:
        return self.analysis.findings

    @property
    def fingerprint(self) -> str:
        """The plan's fingerprint now (worked out when first asked after an edit)."""
        if self._fingerprint is None:
            from planner.excel.fingerprint import fingerprint

            self._fingerprint = fingerprint(self.plan)
        return self._fingerprint

    @property
    def sign_offs(self):
        """Each body's latest sign-off, from the plan file's records."""
        if self._sign_offs is None:
            self._sign_offs = self.file.sign_offs()
        return self._sign_offs

    def sign_off_status(self, body_id: int) -> str:
        from planner.signoff import status

        signed = self.sign_offs.get(body_id)
        # Only a signed body needs the fingerprint, which dumps the whole plan: a table of
        # unsigned bodies repainted after every edit must not pay for it.
        return status(signed, self.fingerprint if signed else "")

    def perform(self, action: Callable[[PlanFile], object], name: str | None = None) -> Edit:
        """Run ``action(file)`` as one edit (one transaction, one undo step, named ``name`` or
        by the store) and announce what it changed. A refused edit (``EditError``) propagates
        and leaves the plan and the stack as they were; an edit that changed nothing is not
        put on the stack."""
        if self.upgradable:
            self._upgrade_first()
        with self.file.edit(name):
            action(self.file)
        edit = self.file.last_edit
        if edit:
            self.undo_stack.push(StoreCommand(self, edit))
            self.notify(edit.change)
        return edit

    def replay(self, command: StoreCommand, forward: bool) -> None:
        """Undo or redo ``command``. If the file refuses (disk full, the file gone or changed
        under us), the stack and the file would disagree: say so, drop the stack and read the
        plan afresh."""
        try:
            done = (self.file.redo if forward else self.file.undo)(command.edit)
        except PlannerError as e:
            word = "redo" if forward else "undo"
            message = f"Could not {word} \u201c{command.text()}\u201d: {e}"
            # Not from inside the stack's own undo(): clearing it there deletes this command.
            QTimer.singleShot(0, lambda: self._recover(message))
            return
        self.notify(done.change)

    def _recover(self, message: str) -> None:
        self.undo_stack.clear()
        try:
            self.file.reload()
        except Exception:  # the message below says what the user needs; the log has the rest
            log.exception("re-reading the plan after a refused undo")
        self._analysis = None
        self.notify(EVERYTHING)
        self.failed.emit(
            message + " The undo history has been cleared and the plan read again from the file."
        )

    def notify(self, change: Change) -> None:
        """Bring the figures up to date with ``change`` (only what it touched, when it says),
        then tell every view."""
        self._fingerprint = None
        if "sign_offs" in change.tables:
            self._sign_offs = None
        if change.tables <= {"sign_offs", "exports"}:  # records beside the plan: no figure moves
            self.changed.emit(change)
            return
        if self._analysis is not None:
            one_body = change.body_ids and "body" not in change.reshaped
            if change.tables <= {"contributions", "settlements", "bodies"} and one_body:
                self._analysis.refresh(change.body_ids)
            elif change.tables == {"schemes"}:
                self._analysis.refresh(spending=True)
            elif change.tables == {"appraisal"}:
                self._analysis.refresh(appraisal=True)
            elif change.tables <= {"monitoring", "risk_share"}:
                self._analysis.refresh(monitoring_only=True, change=change)
            else:
                self._analysis = None  # the plan's shape changed: recompute when next asked
        self.changed.emit(change)

    def close(self) -> None:
        self.undo_stack.clear()
        self.file.close()
