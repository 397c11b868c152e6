"""The money each partner has paid into the pool in the year monitored, by quarter, against
what its settlements' instalments make due by the as-at date: typed here, one undoable edit
each; the shortfall is a finding."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from planner.monitoring import QUARTERS
from ui.models.base import PENCE_ROLE, RIGHT, PlanTableModel, money_cell, money_edit_text

COLUMNS = [
    "Partner",
    "Contribution",
    *(f"Q{q} received" for q in QUARTERS),
    "Due to date",
    "Received to date",
    "Due, not received",
]
FIRST_QUARTER = 2


class ReceivedModel(PlanTableModel):
    shaped_by = frozenset({"body", "contribution", "payment"})

    def rows_stay(self, change) -> bool:
        return super().rows_stay(change) and "monitoring" not in change.tables

    def row_keys(self) -> list:
        report = self.doc.analysis.report
        return list(report.bodies) if report is not None else []

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def quarter_of(self, column: int) -> int | None:
        q = column - FIRST_QUARTER + 1
        return q if q in QUARTERS else None

    def is_money(self, index: QModelIndex) -> bool:
        return self.quarter_of(index.column()) is not None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_money(index) and not self.doc.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        report = self.doc.analysis.report
        if not index.isValid() or report is None:
            return None
        body_id, col = self.rows[index.row()], index.column()
        money_of = report.bodies.get(body_id)
        if money_of is None:
            return None
        if col == 0:
            return (
                self.doc.plan.bodies[body_id].name if role == Qt.ItemDataRole.DisplayRole else None
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        q = self.quarter_of(col)
        if q is not None:
            pence = money_of.received.get(q)
            if role == Qt.ItemDataRole.DisplayRole:
                return money_cell(pence)
            if role == Qt.ItemDataRole.EditRole:
                return money_edit_text(pence)
            if role == PENCE_ROLE:
                return pence
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Due in Q{q}: {money_cell(money_of.due[q])}"
            return None
        pence = {
            1: money_of.contribution,
            6: money_of.payments.due_to_date,
            7: money_of.payments.received,
            8: money_of.payments.unpaid,
        }[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return money_cell(pence)
        if role == PENCE_ROLE:
            return pence
        if role == Qt.ItemDataRole.FontRole and col == 8 and pence:
            f = QFont()
            f.setBold(True)
            return f
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        return self.type_into(index, value)

    def write_for(self, index, value):
        q = self.quarter_of(index.column())
        report = self.doc.analysis.report
        if q is None or report is None:
            raise LookupError(index)
        body_id = self.rows[index.row()]
        current = report.bodies[body_id].received.get(q)
        year = report.year
        return self.money_write(
            value, current, lambda f, pence: f.set_received(body_id, year, q, pence)
        )
