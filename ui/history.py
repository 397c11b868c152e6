"""View > History: every edit made to the plan, filterable by body, year and who; any entry can
be reverted, or the plan taken back to any point, each as a new edit (and a new entry)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from planner import years as fy
from planner.errors import PlannerError, RevertConflict
from ui.document import PlanDocument
from ui.models.history import HistoryModel


class HistoryDialog(QDialog):
    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle(f"History of {doc.plan.name}")
        self.resize(1000, 520)
        self.model = HistoryModel(doc, self)
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.body_filter, self.year_filter, self.who_filter = QComboBox(), QComboBox(), QComboBox()
        for label, combo in (
            ("Body:", self.body_filter),
            ("Year:", self.year_filter),
            ("Who:", self.who_filter),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self._filter)
        filters.addStretch(1)
        layout.addLayout(filters)
        self._fill_filters()

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.setAccessibleName("History of edits")
        layout.addWidget(self.view)

        buttons = QHBoxLayout()
        self.revert_button = QPushButton("&Revert This Change")
        self.revert_button.clicked.connect(self.revert_selected)
        self.back_button = QPushButton("&Go Back to Here")
        self.back_button.setToolTip("Make the plan what it was just after the selected entry")
        self.back_button.clicked.connect(self.go_back_to_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        for b in (self.revert_button, self.back_button):
            b.setEnabled(not doc.read_only)

    def _fill_filters(self) -> None:
        plan, every = self.doc.plan, self.model.every
        self.body_filter.addItem("All bodies", None)
        for body in plan.bodies.values():
            self.body_filter.addItem(body.name, body.id)
        self.year_filter.addItem("All years", None)
        for year in sorted({y for e in every for y in e.years} | set(plan.year_range)):
            self.year_filter.addItem(fy.label(year), year)
        self.who_filter.addItem("Everyone", None)
        for who in sorted({e.who for e in every}):
            self.who_filter.addItem(who, who)

    def _filter(self) -> None:
        self.model.set_filter(
            self.body_filter.currentData(),
            self.year_filter.currentData(),
            self.who_filter.currentData(),
        )

    def selected(self):
        rows = self.view.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def revert_selected(self) -> bool:
        entry = self.selected()
        if entry is None:
            return False
        try:
            self.doc.perform(lambda f: f.revert([entry.id]))
        except RevertConflict as e:
            together = [entry.id, *(later.id for later in e.later)]
            names = "\n".join(f"  {later.id}: {later.what}" for later in e.later[:10])
            more = f"\n  and {len(e.later) - 10} more" if len(e.later) > 10 else ""
            answer = QMessageBox.question(
                self,
                "Later changes wrote the same figures",
                f"\u201c{entry.what}\u201d was changed again later by:\n{names}{more}\n\n"
                f"Revert them all together?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            return self._run(lambda f: f.revert(together))
        except PlannerError as e:
            QMessageBox.warning(self, "Not reverted", str(e))
            return False
        return True

    def go_back_to_selected(self) -> bool:
        entry = self.selected()
        if entry is None:
            return False
        return self._run(lambda f: f.go_back_to(entry.id))

    def _run(self, action) -> bool:
        try:
            self.doc.perform(action)
        except PlannerError as e:
            QMessageBox.warning(self, "Not reverted", str(e))
            return False
        return True
