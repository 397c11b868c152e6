"""The New Plan dialog: a name, the first financial year and how many years."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
)

from planner import clock
from planner import years as fy
from planner.model import Plan


def current_financial_year(today: dt.date | None = None) -> int:
    today = today or clock.today()
    return today.year if today.month >= 4 else today.year - 1


class NewPlanDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("New plan")
        form = QFormLayout(self)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Anytown Better Care Fund 2026-31")
        self.first_year = QComboBox()
        now = current_financial_year()
        for y in range(now - 5, now + 11):
            self.first_year.addItem(fy.label(y), y)
        self.first_year.setCurrentIndex(5)
        self.years = QSpinBox()
        self.years.setRange(1, 60)
        self.years.setValue(5)
        self.years.setSuffix(" years")
        form.addRow("Plan name", self.name_edit)
        form.addRow("First financial year", self.first_year)
        form.addRow("Runs for", self.years)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.name_edit.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        form.addRow(buttons)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def plan(self) -> Plan:
        return Plan(
            name=self.name(), first_year=self.first_year.currentData(), years=self.years.value()
        )
