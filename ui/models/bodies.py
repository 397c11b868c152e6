"""The bodies table: each partner's name, kind, role and signatory."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from planner import years as fy
from planner.model import BodyKind, Role
from ui.models.base import CHOICES_ROLE, RIGHT, PlanTableModel, money_cell

COLUMNS = [
    ("name", "Body"),
    ("kind", "Kind"),
    ("role", "Role"),
    ("signatory_name", "Signatory"),
    ("signatory_title", "Signatory's title"),
    ("confirmed_until", "Confirmed to"),
    ("total", "Contributions"),
    ("sign_off", "Sign-off"),
]
EDITABLE = {"name", "kind", "role", "signatory_name", "signatory_title"}
CHOICES = {
    "kind": [(k.value, k.title) for k in BodyKind],
    "role": [(Role.HOST.value, "Host"), (Role.CONTRIBUTOR.value, "Contributor")],
}


class BodiesModel(PlanTableModel):
    shaped_by = frozenset({"body"})

    def row_keys(self) -> list:
        return list(self.doc.plan.bodies)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def body_id(self, row: int) -> int:
        return self.rows[row]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()][0] in EDITABLE and not self.doc.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        body = self.doc.plan.bodies[self.rows[index.row()]]
        field = COLUMNS[index.column()][0]
        if role == CHOICES_ROLE:
            return CHOICES.get(field)
        if field == "confirmed_until":
            if role == Qt.ItemDataRole.DisplayRole:
                horizon = self.doc.figures.bodies[body.id].confirmed_until
                return fy.label(horizon) if horizon else "Not confirmed"
            return None
        if field == "sign_off":
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.doc.sign_off_status(body.id)
            if role == Qt.ItemDataRole.ForegroundRole:
                text = self.doc.sign_off_status(body.id)
                if "different version" in text or text.startswith("Not approved"):
                    return QColor("#c0392b")
                return QColor("#1e7b34") if text.startswith("Approved") else None
            return None
        if field == "total":
            if role == Qt.ItemDataRole.DisplayRole:
                return money_cell(self.doc.figures.bodies[body.id].total)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT
            return None
        value = getattr(body, field)
        if role == Qt.ItemDataRole.EditRole:
            return value.value if field in CHOICES else value
        if role == Qt.ItemDataRole.DisplayRole:
            return dict(CHOICES[field])[value.value] if field in CHOICES else value
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        body_id = self.rows[index.row()]
        field = COLUMNS[index.column()][0]
        current = getattr(self.doc.plan.bodies[body_id], field)
        if (current.value if field in CHOICES else current) == value:
            return True
        return self.run(lambda f: f.update_body(body_id, **{field: value}))
