"""The sign-off round's settings: what each body's signatory approves (the wording, with its
placeholders), and where and by when the workbook goes back. One edit through the store, so
one undo step; a refused setting is said in the dialog, which stays open with what was typed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner import clock
from planner.errors import PlannerError
from planner.signoff import DEFAULT_WORDING, PLACEHOLDERS
from ui import style


class SignOffSettings(QDialog):
    def __init__(self, doc, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        plan = doc.plan
        self.setWindowTitle("Sign-off settings")
        self.return_to = QLineEdit(plan.return_to)
        self.return_to.setPlaceholderText("Name, email and telephone of whoever collects returns")
        self.has_date = QCheckBox("Return by")
        self.return_by = QDateEdit()
        self.return_by.setCalendarPopup(True)
        self.return_by.setDisplayFormat("dd/MM/yyyy")
        day = plan.return_by or clock.today() + dt.timedelta(days=28)
        self.return_by.setDate(QDate(day.year, day.month, day.day))
        self.has_date.setChecked(plan.return_by is not None)
        self.return_by.setEnabled(plan.return_by is not None)
        self.has_date.toggled.connect(self.return_by.setEnabled)
        self.wording = QPlainTextEdit(plan.sign_off_wording or DEFAULT_WORDING)
        self.wording.setMinimumHeight(140)
        default = QPushButton("Use the default wording")
        default.clicked.connect(lambda: self.wording.setPlainText(DEFAULT_WORDING))
        placeholders = QLabel(
            "The wording may use:\n"
            + "\n".join(f"    {{{name}}}  {meaning}" for name, meaning in PLACEHOLDERS.items())
            + "\nThe wording is part of the plan: changing it changes its fingerprint, so "
            "partners sign what they read. The contact and date are not."
        )
        placeholders.setWordWrap(True)
        placeholders.setTextFormat(Qt.TextFormat.PlainText)
        self.problem = style.problem_label()

        form = QFormLayout()
        form.addRow("Return to", self.return_to)
        form.addRow(self.has_date, self.return_by)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("What each body's signatory approves"))
        layout.addWidget(self.wording)
        layout.addWidget(default)
        layout.addWidget(placeholders)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(620, 480)

    def values(self) -> dict:
        words = self.wording.toPlainText().strip()
        d = self.return_by.date()
        return {
            # The default wording is kept as '' so that the plan follows a better default.
            "sign_off_wording": "" if words == DEFAULT_WORDING else words,
            "return_to": self.return_to.text(),
            "return_by": dt.date(d.year(), d.month(), d.day())
            if self.has_date.isChecked()
            else None,
        }

    def save(self) -> None:
        values = self.values()
        try:
            self.doc.perform(lambda f: f.update_plan(**values), "Change the sign-off settings")
        except PlannerError as e:
            self.problem.setText(str(e))
            self.problem.show()
            return
        self.accept()
