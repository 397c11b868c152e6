"""The schemes table: what the pool pays for, with its spending per year and totals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from ui.models.base import (
    CHOICES_ROLE,
    PENCE_ROLE,
    RIGHT,
    YearsTableModel,
    money_cell,
    money_edit_text,
)

FIXED = [("name", "Scheme"), ("lead_body_id", "Lead body"), ("provider", "Provider")]


class SchemesModel(YearsTableModel):
    fixed = FIXED

    shaped_by = frozenset({"scheme"})

    def row_keys(self) -> list:
        return [*self.doc.plan.schemes, "total"]

    def scheme_id(self, row: int) -> int | None:
        key = self.rows[row]
        return None if key == "total" else key

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        is_total_col = index.column() == self.columnCount() - 1
        if self.rows[index.row()] != "total" and not is_total_col and not self.doc.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = self.rows[index.row()]
        col = index.column()
        year = self.year_of(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= len(FIXED):
            return RIGHT
        if key == "total":
            if role == Qt.ItemDataRole.FontRole:
                f = QFont()
                f.setBold(True)
                return f
            if role not in (Qt.ItemDataRole.DisplayRole, PENCE_ROLE):
                return None
            if col < len(FIXED):
                shown = "Total spending" if col == 0 else ""
                return shown if role == Qt.ItemDataRole.DisplayRole else None
            figures = self.doc.figures
            pence = (
                figures.years[year].expenditure if year is not None else figures.total_expenditure
            )
            return pence if role == PENCE_ROLE else money_cell(pence)
        s = self.doc.plan.schemes[key]
        if col >= len(FIXED):
            if year is None:
                total = sum(p for y, p in s.spend.items() if y in self.doc.plan.year_range)
                if role == PENCE_ROLE:
                    return total
                return money_cell(total) if role == Qt.ItemDataRole.DisplayRole else None
            if role == Qt.ItemDataRole.DisplayRole:
                return money_cell(s.spend.get(year))
            if role == Qt.ItemDataRole.EditRole:
                return money_edit_text(s.spend.get(year))
            if role == PENCE_ROLE:
                return s.spend.get(year)
            return None
        field = FIXED[col][0]
        if field == "lead_body_id":
            if role == CHOICES_ROLE:
                return [(None, "(none)")] + [(b.id, b.name) for b in self.doc.plan.bodies.values()]
            if role == Qt.ItemDataRole.EditRole:
                return s.lead_body_id
            if role == Qt.ItemDataRole.DisplayRole:
                lead = self.doc.plan.bodies.get(s.lead_body_id)
                return lead.name if lead else ""
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(s, field)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        sid = self.rows[index.row()]
        s = self.doc.plan.schemes[sid]
        year = self.year_of(index.column())
        if year is not None:
            return self.type_into(index, value)
        field = FIXED[index.column()][0]
        if getattr(s, field) == value:
            return True
        return self.run(lambda f: f.update_scheme(sid, **{field: value}))

    def write_for(self, index, value):
        sid, year = self.rows[index.row()], self.year_of(index.column())
        if sid == "total" or year is None:
            raise LookupError(index)
        spend = self.doc.plan.schemes[sid].spend
        return self.money_write(
            value, spend.get(year), lambda f, pence: f.set_scheme_spend(sid, year, pence)
        )
