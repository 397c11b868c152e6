"""The findings list, most severe first (read-only)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from planner import money
from planner import years as fy
from planner.findings import Finding, Severity
from ui.document import Change
from ui.models.base import RIGHT, PlanTableModel

COLUMNS = ["Severity", "Finding", "Body", "Years", "Amount"]
SEVERITY_COLOUR = {
    Severity.HIGH: QColor("#c0392b"),
    Severity.MEDIUM: QColor("#b9770e"),
    Severity.LOW: QColor("#555555"),
}


class FindingsModel(PlanTableModel):
    """The analysis says how its list moved after each edit; the model replays those steps as
    Qt's row signals, so a finding that stays keeps its row (and the user's selection) and
    nothing else is re-derived."""

    def row_keys(self) -> list:
        self.doc.analysis.take_ops()  # the list as it stands: earlier moves are in it
        self._items = list(self.doc.findings)
        return [(f.code, f.body_id, tuple(f.years)) for f in self._items]

    def _on_changed(self, change: Change) -> None:
        steps = self.doc.analysis.take_ops()
        if steps is None:
            self.beginResetModel()
            self.rows = self.row_keys()
            self.endResetModel()
            return
        root, last = QModelIndex(), len(COLUMNS) - 1
        for step, row, finding in steps:
            if step == "remove":
                self.beginRemoveRows(root, row, row)
                del self._items[row]
                self.endRemoveRows()
            elif step == "insert":
                self.beginInsertRows(root, row, row)
                self._items.insert(row, finding)
                self.endInsertRows()
            else:
                self._items[row] = finding
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        self.rows = self._items  # only its length is asked of it

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def finding(self, row: int) -> Finding:
        return self._items[row]

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        f = self._items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            exact = money.format(f.amount_pence)
            return f"{f.message}\n\nAmount {exact}: {f.amount_means}." if col == 4 else f.message
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return SEVERITY_COLOUR[f.severity]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            return f.severity.value.capitalize()
        if col == 1:
            return f.title
        if col == 2:
            return self.doc.plan.bodies[f.body_id].name if f.body_id is not None else "Whole pool"
        if col == 3:
            return fy.describe_range(f.years)
        return short_amount(f.amount_pence)


def short_amount(pence: int) -> str:
    """The list's one money format, as the findings' titles write it: ``£136.0m``, and below
    £1m ``£30,000`` (the exact figure is in the tooltip)."""
    return money.format_millions(pence) if abs(pence) >= 1_000_000_00 else money.format(pence)
