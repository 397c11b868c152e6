"""The findings panel: one line per finding, most severe first; the selected one's full
explanation underneath. Selecting a finding highlights it on the timeline."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner import money
from planner.findings import Finding
from ui.models.findings import FindingsModel


class FindingsPanel(QWidget):
    selected = Signal(object)  # the Finding, or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model: FindingsModel | None = None
        self.view = QTableView()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # One line per finding (the title); the full message is beneath and in the tooltip.
        # Fixed row heights keep a plan with hundreds of findings quick to refresh.
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(_row_height(self.view.font()))
        self.view.setAccessibleName("Findings")
        self.detail = QLabel("Select a finding to see it explained and marked on the timeline.")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMargin(6)
        self.detail.setStyleSheet("QLabel { background: #fafafa; }")
        # Room for a finding's heading and its explanation, without dragging anything.
        self.detail.setMinimumHeight(self.detail.fontMetrics().height() * 8)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def set_model(self, model: FindingsModel | None) -> None:
        self.model = model
        self.view.setModel(model)
        if model is None:
            return
        # Fixed widths: sizing columns to their contents reads every row on every edit.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._size_columns()
        # The title names the body and years; those columns would repeat it.
        self.view.setColumnHidden(2, True)
        self.view.setColumnHidden(3, True)
        model.modelReset.connect(self._reset)
        # Selection, not the current cell: focus alone must not highlight a finding.
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self._reset()

    def set_large(self, large: bool, base: QFont) -> None:
        font = QFont(base)
        if large:
            font.setPointSizeF(base.pointSizeF() * 1.5)
        self.view.setFont(font)
        self.view.horizontalHeader().setFont(font)
        self.view.verticalHeader().setDefaultSectionSize(_row_height(font))
        self.detail.setFont(font)
        self.detail.setMinimumHeight(QFontMetrics(font).height() * 8)
        # On the projector the headline carries the amount; give it the room, and wrap it
        # (a board-sized list of findings, so measuring each row is cheap there).
        self.view.setColumnHidden(4, large)
        self.view.setWordWrap(large)
        self._size_columns()
        if large:
            self.view.resizeRowsToContents()
        else:  # back from the projector: every row to one line again
            height = self.view.verticalHeader().defaultSectionSize()
            for row in range(self.view.model().rowCount() if self.view.model() else 0):
                self.view.setRowHeight(row, height)

    def _size_columns(self) -> None:
        fm = QFontMetrics(self.view.font())
        self.view.setColumnWidth(0, int(fm.horizontalAdvance("Medium") * 1.4))
        self.view.setColumnWidth(4, int(fm.horizontalAdvance("£000,000,000") * 1.15))

    def _reset(self) -> None:
        self.detail.setText(
            "Select a finding to see it explained and marked on the timeline."
            if self.model and self.model.rowCount()
            else "No findings."
        )
        self.selected.emit(None)

    def _selection_changed(self, *_):
        rows = self.view.selectionModel().selectedRows() if self.model else []
        if not rows:
            self.selected.emit(None)
            return
        f: Finding = self.model.finding(rows[0].row())
        amount = money.format(f.amount_pence)
        self.detail.setText(
            f"<b>{f.severity.value.capitalize()}: {escape(f.title)}</b><br><br>{escape(f.message)}"
            f"<br><br><i>Amount {amount}: {escape(f.amount_means)}.</i>"
        )
        self.selected.emit(f)


def _row_height(font: QFont) -> int:
    return int(QFontMetrics(font).height() * 1.6)
