"""A settlement year's money paid on results: how much is at stake, on what result, how likely
the board thinks it, and, once the result is known, what was earned. Saving is one edit
through the store (one undo step, in the history); a change of the result alone is recorded as
marking it, so the history reads "earned in part" rather than a changed settlement. A refused
value is said in the dialog, which stays open with what was typed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner import money
from planner import years as fy
from planner.errors import EditError, PlannerError
from planner.model import Conditional, SettlementYear
from ui import style
from ui.models.base import money_edit_text, percent_bp

PENDING, FULL, PART, NONE = range(4)


class ResultsDialog(QDialog):
    def __init__(self, doc, settlement_id: int, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc, self.settlement_id, self.year = doc, settlement_id, year
        s = doc.plan.settlements[settlement_id]
        entry = s.years[year]
        part = entry.conditional
        self.setWindowTitle(f"Paid on results: {s.name}, {fy.label(year)}")
        sure = "an amount not yet known" if entry.amount_pence is None else money.format(
            entry.amount_pence
        )  # fmt: skip
        intro = QLabel(
            f"{s.name} is {entry.status.value} for {fy.label(year)} at {sure}. Money paid "
            "only if results are achieved comes on top of that; until the result is known it "
            "is conditional: at risk, and never counted as confirmed."
        )
        intro.setWordWrap(True)
        self.at_stake = QLineEdit(money_edit_text(part.amount_pence) if part else "")
        self.at_stake.setPlaceholderText("e.g. 200k")
        self.condition = QLineEdit(part.condition if part else "")
        self.condition.setCursorPosition(0)  # a long condition read from its start
        self.condition.setPlaceholderText("e.g. 4.2% fewer non-elective admissions")
        self.expected = QLineEdit(f"{part.expected_bp / 100:g}%" if part else "0%")
        self.expected.setToolTip(
            "The board's estimate of the chance it is earned: shown as an expected figure, "
            "never as confirmed money."
        )
        self.results = QButtonGroup(self)
        choices = QVBoxLayout()
        for k, words in (
            (PENDING, "Not known yet"),
            (FULL, "Earned in full"),
            (PART, "Earned in part:"),
            (NONE, "Not earned: the money falls away and what it funded is unfunded"),
        ):
            button = QRadioButton(words)
            self.results.addButton(button, k)
            if k == PART:
                self.earned = QLineEdit()
                self.earned.setPlaceholderText("amount earned, e.g. 120k")
                # An amount typed means a result earned in part: never dropped unsaid.
                self.earned.textEdited.connect(lambda _t, b=button: b.setChecked(True))
                row = QHBoxLayout()
                row.addWidget(button)
                row.addWidget(self.earned)
                choices.addLayout(row)
            else:
                choices.addWidget(button)
        earned = part.earned_pence if part else None
        if earned is None:
            choice = PENDING
        elif earned == 0:
            choice = NONE
        elif earned == part.amount_pence:
            choice = FULL
        else:
            choice = PART
            self.earned.setText(money_edit_text(earned))
        self.results.button(choice).setChecked(True)
        self.problem = style.problem_label()

        form = QFormLayout()
        form.addRow("At stake", self.at_stake)
        form.addRow("Paid if", self.condition)
        form.addRow("Expected share", self.expected)
        form.addRow("Result", choices)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.remove_button = QPushButton("Remove the results part")
        self.remove_button.setEnabled(part is not None)
        self.remove_button.clicked.connect(self.remove)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def entry(self) -> SettlementYear:
        """The settlement year as the form has it; ``EditError`` or ``ValueError`` if a value
        cannot be read (the store checks the rest)."""
        s = self.doc.plan.settlements.get(self.settlement_id)
        current = s.years.get(self.year) if s else None
        if current is None:
            raise EditError("That settlement year is no longer in the plan.")
        at_stake = money.parse_pasted(self.at_stake.text())
        if not at_stake:
            raise EditError("Type the amount at stake, or remove the results part.")
        choice = self.results.checkedId()
        earned = {PENDING: None, FULL: at_stake, NONE: 0}.get(choice)
        if choice == PART:
            earned = money.parse_pasted(self.earned.text())
            if earned is None:
                raise EditError("Type the amount earned.")
        part = Conditional(
            at_stake,
            self.condition.text(),
            percent_bp(self.expected.text(), "expected share"),
            earned,
        )
        return SettlementYear(current.status, current.amount_pence, part)

    def _perform(self, action) -> None:
        try:
            self.doc.perform(action)
        except (PlannerError, ValueError) as e:  # MoneyError is a ValueError
            self.problem.setText(str(e))
            self.problem.show()
            return
        self.accept()

    def save(self) -> None:
        sid, year = self.settlement_id, self.year
        try:
            entry = self.entry()
        except (EditError, ValueError) as e:
            self.problem.setText(str(e))
            self.problem.show()
            return
        current = self.doc.plan.settlements[sid].years.get(year)
        if entry == current:
            self.accept()
            return
        was, new = current.conditional, entry.conditional
        terms = (new.amount_pence, new.condition.strip(), new.expected_bp)
        if was is not None and (was.amount_pence, was.condition, was.expected_bp) == terms:
            # Only the result changed: marked as such, in the history's words.
            self._perform(lambda f: f.mark_result(sid, year, new.earned_pence))
            return
        self._perform(lambda f: f.set_settlement_year(sid, year, entry))

    def remove(self) -> None:
        sid, year = self.settlement_id, self.year
        s = self.doc.plan.settlements.get(sid)
        current = s.years.get(year) if s else None
        if current is None:
            self.reject()
            return
        plain = SettlementYear(current.status, current.amount_pence)
        self._perform(lambda f: f.set_settlement_year(sid, year, plain))
