"""The one undoable command: a store edit already written, which undo and redo replay through
the store (``PlanFile.undo`` and ``redo``), row for row. Its name is the store's ("Change NHS
Salford CCG 2015-16 contribution")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from planner.store.changes import Edit

if TYPE_CHECKING:
    from ui.document import PlanDocument


class StoreCommand(QUndoCommand):
    def __init__(self, doc: PlanDocument, edit: Edit):
        super().__init__(edit.name)
        self.doc = doc
        self.edit = edit
        self._written = True  # QUndoStack.push calls redo(); the edit is already on disk

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self.doc.replay(self, forward=True)

    def undo(self) -> None:
        self.doc.replay(self, forward=False)
