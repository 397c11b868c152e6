"""The open plan as the GUI sees it: the plan file, its undo stack, and the figures and findings,
recomputed once per edit and shared by every view.

Views never refresh each other: each edit announces a ``Change`` through ``changed`` and every
view decides for itself what to redraw (Anki's OpChanges pattern).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from planner.analysis import Analysis
from planner.errors import PlannerError
from planner.figures import Figures
from planner.findings import Finding
from planner.model import Plan
from planner.store import PlanFile


@dataclass(frozen=True)
class Change:
    """What an edit touched. ``tables`` names the plan's parts: plan, bodies, settlements,
    contributions, schemes, appraisal (costs, benefits and the agreement). Views use it to skip work, never to decide what is true."""

    tables: frozenset[str]
    body_ids: frozenset[int] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *tables: str, bodies=(), years=()) -> Change:
        return cls(frozenset(tables), frozenset(bodies), frozenset(years))


EVERYTHING = Change.of("plan", "bodies", "settlements", "contributions", "schemes", "appraisal")


class PlanDocument(QObject):
    changed = Signal(object)  # Change
    # An undo or redo that the file refused (disk full, file gone): the message for the user.
    failed = Signal(str)

    def __init__(self, plan_file: PlanFile, parent: QObject | None = None):
        super().__init__(parent)
        self.file = plan_file
        self.undo_stack = QUndoStack(self)
        self._analysis: Analysis | None = None
        self._fingerprint: str | None = None
        self._sign_offs = None

    @property
    def plan(self) -> Plan:
        return self.file.plan

    @property
    def read_only(self) -> bool:
        return self.file.read_only

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = Analysis(self.plan)
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

    def push(self, command: EditCommand) -> None:
        """Apply ``command`` and put it on the undo stack. A refused edit (``EditError``)
        propagates and leaves both the plan and the stack unchanged."""
        command.apply()
        command.applied_once = True
        self.undo_stack.push(command)

    def notify(self, change: Change) -> None:
        """Bring the figures up to date with ``change`` (only what it touched, when it says),
        then tell every view."""
        self._fingerprint = None
        if "sign_offs" in change.tables:
            self._sign_offs = None
        if change.tables == {"sign_offs"}:
            self.changed.emit(change)
            return
        if self._analysis is not None:
            if change.tables <= {"contributions", "settlements", "bodies"} and change.body_ids:
                self._analysis.refresh(change.body_ids)
            elif change.tables == {"schemes"}:
                self._analysis.refresh(spending=True)
            elif change.tables == {"appraisal"}:
                self._analysis.refresh(appraisal=True)
            else:
                self._analysis = None  # the plan's shape changed: recompute when next asked
        self.changed.emit(change)

    def close(self) -> None:
        self.undo_stack.clear()
        self.file.close()


class EditCommand(QUndoCommand):
    """An undoable edit: ``apply`` and ``revert`` go through the plan file, then announce what
    changed. Undo is the same path backwards, never a special case."""

    def __init__(self, doc: PlanDocument, text: str):
        super().__init__(text)
        self.doc = doc
        self.applied_once = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def change(self) -> Change:
        return EVERYTHING

    def redo(self) -> None:
        # QUndoStack.push calls redo(); PlanDocument.push has already applied the edit so that
        # a refused edit never reaches the stack.
        if self.applied_once:
            self.applied_once = False
        else:
            self._guarded(self.apply, "redo")
        self.doc.notify(self.change())

    def undo(self) -> None:
        self._guarded(self.revert, "undo")
        self.doc.notify(self.change())

    def _guarded(self, step, word: str) -> None:
        # An exception cannot cross back into Qt's undo stack; report it instead.
        try:
            step()
        except PlannerError as e:
            self.doc.failed.emit(f"Could not {word} \u201c{self.text()}\u201d: {e}")
