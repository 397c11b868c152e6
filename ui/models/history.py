"""The plan's history as a table: one row per entry, newest first, filtered by body, year and
who made it. Read from the plan file after each edit (the history grows with every one)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from planner import years as fy
from planner.store.history import Entry, uk_time
from ui.document import PlanDocument

COLUMNS = ["#", "When", "Who", "What", "Figures", "Bodies", "Years", "After sign-off by"]


class HistoryModel(QAbstractTableModel):
    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.body_id: int | None = None
        self.year: int | None = None
        self.user: str | None = None  # the computer's user name: one person, whatever they typed
        self._described: dict[int, str] = {}
        self.every: list[Entry] = []
        self.rows: list[Entry] = []
        self.reload()
        doc.changed.connect(lambda _change: self.reload())

    def reload(self) -> None:
        self.beginResetModel()
        self.every = self.doc.file.history()
        self.rows = [e for e in reversed(self.every) if self._shown(e)]
        self.endResetModel()

    def set_filter(self, body_id: int | None, year: int | None, user: str | None) -> None:
        self.body_id, self.year, self.user = body_id, year, user
        self.reload()

    def _shown(self, e: Entry) -> bool:
        return (
            (self.body_id is None or self.body_id in e.body_ids)
            and (self.year is None or self.year in e.years)
            and (self.user is None or e.user_name == self.user)
        )

    def entry(self, row: int) -> Entry:
        return self.rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        e = self.rows[index.row()]
        col = index.column()
        if col == 0:
            return str(e.id)
        if col == 1:
            return uk_time(e.made_at)
        if col == 2:
            return e.who
        if col == 3:
            return e.what
        if col == 4:
            return self._figures(e)
        if col == 5:
            bodies = self.doc.plan.bodies
            return ", ".join(
                bodies[b].name if b in bodies else f"(body {b}, deleted)" for b in e.body_ids
            )
        if col == 6:
            return ", ".join(fy.label(y) for y in e.years)
        return ", ".join(e.signed_by)

    def _figures(self, e: Entry) -> str:
        # Read from the entry's rows when first shown: a long history is listed without them.
        if e.id not in self._described:
            self._described[e.id] = self.doc.file.describe_entry(e.id)
        return self._described[e.id]
