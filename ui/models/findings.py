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
    def row_keys(self) -> list:
        # What a finding is about, not its amount: an edit that changes an amount refreshes the
        # row in place, keeping the user's selection, instead of resetting the list.
        findings = self.doc.findings
        # The list shown until now and the one about to be, for changed_rows to compare.
        self._before, self._shown = getattr(self, "_shown", []), findings
        return [(f.code, f.body_id, tuple(f.years)) for f in findings]

    def changed_rows(self, change: Change) -> list[int] | None:
        if not change.body_ids:
            return None  # a change to the whole plan: every finding is new
        # Findings about bodies the edit did not touch are the very same objects as before.
        pairs = zip(self._before, self._shown, strict=True)
        return [i for i, (old, new) in enumerate(pairs) if old is not new and old != new]

    def finding(self, row: int) -> Finding:
        return self.doc.findings[row]

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        f = self.doc.findings[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return f.message
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
        return money.format(f.amount_pence)
