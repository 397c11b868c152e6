"""View > History: every edit made to the plan, filterable by body, year and who; any entry can
be reverted, or the plan taken back to any point, each as a new edit (and a new entry)."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from planner.store.history import uk_time
from ui.document import PlanDocument
from ui.models.history import HistoryModel


class HistoryDialog(QDialog):
    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle(f"History of {doc.plan.name}")
        screen = (parent.screen() if parent else self.screen()).availableGeometry()
        self.resize(min(1200, screen.width() - 40), min(560, screen.height() - 80))
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
        # What was done takes the room; the rest keep their widths and cut long text short, so
        # an entry touching many bodies cannot squeeze it out.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((2, 130), (4, 200), (5, 150), (6, 70), (7, 110)):
            header.resizeSection(column, width)
        self.view.setAccessibleName("History of edits")
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.view)
        self.empty = QLabel()  # says so when there is nothing to list
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)
        self.outcome = QLabel()  # what the last revert did
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)  # it names bodies
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)

        buttons = QHBoxLayout()
        self.revert_button = QPushButton("&Revert This Change")
        self.revert_button.setToolTip(
            "Undo just the selected change, leaving every other change as it is"
        )
        self.revert_button.clicked.connect(self.revert_selected)
        self.back_button = QPushButton("&Go Back to Here")
        self.back_button.setToolTip(
            "Undo every change made after the selected one, so the plan is as it was then"
        )
        self.back_button.clicked.connect(self.go_back_to_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._sync_buttons)
        self.model.modelReset.connect(self._sync_buttons)
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        chosen = self.selected() is not None and not self.doc.read_only
        for b in (self.revert_button, self.back_button):
            b.setEnabled(chosen)
        if self.model.rowCount():
            self.empty.hide()
        else:
            filtered = self.model.rowCount() < len(self.model.every)
            self.empty.setText(
                "No change matches these filters."
                if filtered
                else "No changes have been recorded in this plan yet."
            )
            self.empty.show()

    def _fill_filters(self) -> None:
        plan, every = self.doc.plan, self.model.every
        self.body_filter.addItem("All bodies", None)
        for body in plan.bodies.values():
            self.body_filter.addItem(body.name, body.id)
        self.year_filter.addItem("All years", None)
        for year in sorted({y for e in every for y in e.years} | set(plan.year_range)):
            self.year_filter.addItem(fy.label(year), year)
        self.who_filter.addItem("Everyone", None)
        # One person per computer user, named as they last called themselves.
        named = {e.user_name: e.who for e in every}
        for user, who in sorted(named.items(), key=lambda kv: kv[1].casefold()):
            self.who_filter.addItem(who, user)

    def _filter(self) -> None:
        self.model.set_filter(
            self.body_filter.currentData(),
            self.year_filter.currentData(),
            self.who_filter.currentData(),
        )

    def selected(self):
        rows = self.view.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _after(self, edit) -> None:
        self.outcome.setText(
            f"Done: {edit.name}. Edit > Undo takes it back." if edit else "Nothing to change."
        )

    def revert_selected(self) -> bool:
        entry = self.selected()
        if entry is None:
            return False
        try:
            self._after(self.doc.perform(lambda f: f.revert([entry.id])))
        except RevertConflict as e:
            together = [entry.id, *(later.id for later in e.later)]
            names = "\n".join(
                f"  {uk_time(later.made_at)}  {later.what}  ({self.doc.file.describe_entry(later.id)})"
                for later in e.later[:10]
            )
            more = f"\n  and {len(e.later) - 10} more" if len(e.later) > 10 else ""
            answer = QMessageBox.question(
                self,
                "Later changes set the same figures",
                f"\u201c{entry.what}\u201d ({self.doc.file.describe_entry(entry.id)}) was "
                f"changed again later by:\n{names}{more}\n\nRevert all of these together? "
                f"Edit > Undo takes it back.",
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
        after = [e for e in self.model.every if e.id > entry.id]
        if not after:
            self.outcome.setText("The plan is already as it was then.")
            return False
        n = len(after)
        answer = QMessageBox.question(
            self,
            "Go back",
            f"Undo the {n} change{'s' if n != 1 else ''} made after {uk_time(entry.made_at)} "
            f"(\u201c{entry.what}\u201d), so the plan is as it was then? This is one step that "
            f"Edit > Undo takes back.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._run(lambda f: f.go_back_to(entry.id))

    def _run(self, action) -> bool:
        try:
            self._after(self.doc.perform(action))
        except PlannerError as e:
            QMessageBox.warning(self, "Not reverted", str(e))
            return False
        return True
