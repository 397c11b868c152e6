"""Reviewing a partner's returned workbook: every changed figure, to accept or reject one by
one, and the sign-offs it carries. Accepted changes become one undoable step."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from planner import money
from planner import years as fy
from planner.excel.fingerprint import short
from planner.excel.returns import ReturnReport
from planner.text import shown


class ChangesModel(QAbstractTableModel):
    """The report's changes, each with a tick for accepted (all ticked to start with)."""

    COLUMNS = ["Accept", "Sheet", "Row", "Year", "In the plan", "In the return", "Cell"]

    def __init__(self, report: ReturnReport, parent=None):
        super().__init__(parent)
        self.report = report
        self.accepted = [True] * len(report.changes)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.report.changes)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        c = self.report.changes[index.row()]
        col = index.column()
        if col == 0 and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self.accepted[index.row()] else Qt.CheckState.Unchecked
        if role != Qt.ItemDataRole.DisplayRole:
            return None

        def amount(p):
            return "(none)" if p is None else money.format(p, show_pence=p % 100 != 0)

        return [
            "",
            c.sheet,
            c.where,
            fy.label(c.year),
            amount(c.old_pence),
            amount(c.new_pence),
            c.cell,
        ][col]

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            self.accepted[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
            self.dataChanged.emit(index, index)
            return True
        return False

    def set_all(self, accepted: bool) -> None:
        self.accepted = [accepted] * len(self.accepted)
        if self.accepted:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.accepted) - 1, 0))

    def chosen(self):
        return [c for c, ok in zip(self.report.changes, self.accepted, strict=True) if ok]


class ReturnReviewDialog(QDialog):
    def __init__(self, report: ReturnReport, plan, parent=None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(f"Partner return: {shown(report.path.name)}")
        self.resize(980, 560)
        version = (
            f"Made from version {report.version} of the plan (fingerprint "
            f"{short(report.fingerprint)})"
        )
        if not report.current:
            version += (
                ". <b>The plan has changed since</b>: each figure is compared with the "
                "version the partner saw, and accepting it writes the partner's figure."
            )
        intro = QLabel(version + ".")
        intro.setWordWrap(True)
        self.model = ChangesModel(report, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        changes = QLabel(
            f"<b>{len(report.changes)} figure{'s' if len(report.changes) != 1 else ''} changed"
            f"</b> in the return. Untick any you reject."
            if report.changes
            else "<b>No figures were changed</b> in the return."
        )
        # Rich text, so everything from the workbook is escaped: a signatory typed as HTML
        # must show as what was typed, not as markup.
        signed = (
            "<br>".join(
                f"{escape(plan.bodies[s.body_id].name)}: <b>{escape(s.decision.title)}</b>"
                + (f" on {s.signed_on:%d/%m/%Y}" if s.signed_on else "")
                + (f" by {escape(s.signatory)}" if s.signatory else "")
                + (f" \u2014 \u201c{escape(_brief(s.comments))}\u201d" if s.comments else "")
                for s in report.sign_offs
            )
            or "No body has recorded a decision."
        )
        kept = "".join(
            f"<br>{escape(plan.bodies[new.body_id].name)}: not recorded; its sign-off of "
            f"{old.signed_on:%d/%m/%Y} stands (this one is not later)"
            if old.signed_on
            else f"<br>{escape(plan.bodies[new.body_id].name)}: not recorded (not later)"
            for new, old in report.kept
        )
        self.sign_offs = QLabel(f"<b>Sign-offs to record</b><br>{signed}{kept}")
        self.sign_offs.setWordWrap(True)
        # One workbook carries every body, so one return may sign for several: whoever records
        # it confirms each (none is ticked to start with).
        self.confirm = {}
        if len(report.sign_offs) > 1:
            for s in report.sign_offs:
                box = QCheckBox(f"Record {plan.bodies[s.body_id].name}'s decision")
                box.setToolTip(
                    "This return signs for more than one body. Tick each whose decision you "
                    "have confirmed is theirs."
                )
                self.confirm[s.body_id] = box
        accept_all = QPushButton("Accept all")
        accept_all.clicked.connect(lambda: self.model.set_all(True))
        reject_all = QPushButton("Reject all")
        reject_all.clicked.connect(lambda: self.model.set_all(False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record = buttons.addButton("Record", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(changes, 1)
        bar.addWidget(accept_all)
        bar.addWidget(reject_all)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.sign_offs)
        for box in self.confirm.values():
            layout.addWidget(box)
        layout.addWidget(buttons)
        if not report.changes:  # nothing to accept or reject: a short dialog of sign-offs
            self.view.hide()
            accept_all.hide()
            reject_all.hide()
            layout.insertStretch(layout.count() - 1, 1)  # above the buttons
            self.resize(720, 240)

    def chosen_sign_offs(self):
        """The sign-offs to record: all of them, or the ticked ones of a return that signs for
        more than one body."""
        if not self.confirm:
            return list(self.report.sign_offs)
        return [s for s in self.report.sign_offs if self.confirm[s.body_id].isChecked()]


COMMENT_SHOWN = 300  # characters of a comment in the review; all of it is recorded


def _brief(text: str) -> str:
    return text if len(text) <= COMMENT_SHOWN else text[: COMMENT_SHOWN - 1] + "\u2026"
