"""The Sensitivity tab: how far each input of the appraisal can move before its answer changes
(``planner.sensitivity``'s switching values, Green Book), as a table and a tornado, and the
plan's NPV as optimism bias on benefits rises.

The plan's switching values take about 10 ms; a body's after gain-share can take a second
(investors repaid first is searched, not solved), so a body's are worked out only once the user
picks it. Nothing is worked out while the tab is out of sight: an edit then only marks the
figures stale, and they are worked again when the tab is next shown.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from planner import money
from planner.sensitivity import PLAN, bias_sweep, switching_values
from ui.busy import busy
from ui.document import Change, PlanDocument
from ui.models.sensitivity import FALL, FALL_MONEY, RISE, SwitchingValuesModel
from ui.plan_table import PlanTable
from ui.sensitivity_charts import SweepChart, TornadoChart

# The parts of the plan an appraisal reads: an edit elsewhere (a contribution, a settlement,
# monitoring) moves no switching value, and is not worked again for.
APPRAISED = frozenset({"plan", "bodies", "schemes", "appraisal"})
SWEEP_POINTS = 11  # 0%, 10% ... 100%: the NPV is straight in the bias, but for pennies
NOTHING = (
    "This plan has no costs or benefits yet, so there is nothing to test. Add them on the "
    "Costs & benefits tab."
)


class SensitivityPanel(QWidget):
    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.target: str | int = PLAN
        self._stale = True

        self.picker = QComboBox()
        self.picker.setAccessibleName("Switching what")
        # As wide as the room: a long body's name is cut, not the table beside it.
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(24)
        self.picker.currentIndexChanged.connect(self._picked)
        self.explanation = QLabel()
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)  # it names bodies
        self.explanation.setWordWrap(True)

        self.model = SwitchingValuesModel(self)
        self.view = PlanTable()  # for Copy: a board paper takes the figures as they are shown
        self.view.setModel(self.model)
        self.view.setAccessibleName("Switching values")
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setWordWrap(False)
        fm = self.view.fontMetrics()
        self.view.verticalHeader().setDefaultSectionSize(int(fm.height() * 1.6))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # names take the room
        self.view.setColumnWidth(0, int(fm.horizontalAdvance("M" * 15)))
        for c, sample in ((FALL, "+123,456%"), (FALL_MONEY, "(£000,000,000)")):
            for col in (c, c + 2):
                self.view.setColumnWidth(col, int(fm.horizontalAdvance(sample) * 1.05))
        # A reason is a sentence: cut at its end, where a name is cut in the middle.
        self.view.setItemDelegateForColumn(FALL, _Sentence(self.view))
        self.view.setItemDelegateForColumn(RISE, _Sentence(self.view))
        self.model.modelReset.connect(self._span_reasons)

        self.tornado = TornadoChart(self.model)
        self.tornado.setAccessibleName("Tornado chart of switching values")
        self.sweep = SweepChart()
        self.sweep.setAccessibleName("Optimism-bias sweep")

        top = QHBoxLayout()
        top.addWidget(QLabel("Switching what:"))
        top.addWidget(self.picker, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.explanation)
        left_layout.addWidget(self.view, 1)
        split = QSplitter()
        for w in (left, self.tornado, self.sweep):
            split.addWidget(w)
        split.setChildrenCollapsible(False)
        self.tornado.setMinimumWidth(340)
        self.sweep.setMinimumWidth(220)
        split.setSizes([620, 370, 230])
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 5)
        split.setStretchFactor(2, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

        self._fill_picker()
        doc.changed.connect(self._on_changed)

    def _span_reasons(self) -> None:
        self.view.clearSpans()
        for row in range(self.model.rowCount()):
            for column, columns in self.model.spans(row):
                self.view.setSpan(row, column, 1, columns)

    # -- when to work ---------------------------------------------------------------------

    def showEvent(self, event) -> None:
        if self._stale:
            self.recompute()
        super().showEvent(event)

    def _on_changed(self, change: Change) -> None:
        if not change.tables & APPRAISED:
            return
        if "bodies" in change.tables or "plan" in change.tables:
            self._fill_picker()  # a body came, went or was renamed
        if self.isVisible():
            self.recompute()
        else:
            self._stale = True

    def _fill_picker(self) -> None:
        plan = self.doc.plan
        if self.target != PLAN and self.target not in plan.bodies:
            self.target = PLAN  # the body picked is gone: back to the plan's NPV
        with _quiet(self.picker):
            self.picker.clear()
            self.picker.addItem("the plan's NPV", PLAN)
            for body_id, body in plan.bodies.items():
                self.picker.addItem(f"{body.name}'s NPV after gain-share", body_id)
            self.picker.setCurrentIndex(self.picker.findData(self.target))

    def _picked(self, index: int) -> None:
        target = self.picker.itemData(index)
        if target is None or target == self.target:
            return
        self.target = target
        self.recompute(sweep=False)  # the sweep is the plan's, whoever is picked

    # -- the work -------------------------------------------------------------------------

    def recompute(self, sweep: bool = True) -> None:
        """Work the switching values out afresh for the target picked (and, with ``sweep``,
        the optimism-bias sweep), and show them."""
        self._stale = False
        plan = self.doc.plan
        if not plan.costs and not plan.benefits:
            self.explanation.setText(NOTHING)
            self.tornado.empty_text = "Nothing to test yet: no costs or benefits."
            self.model.set_values(plan, [])
            self.sweep.show_sweep(None, self.tornado.empty_text)
            return
        base = self.doc.analysis.benefits
        if self.target == PLAN:
            result, now, is_plan = "the plan's NPV", base.npv, True
        else:
            name = plan.bodies[self.target].name
            result, is_plan = f"{name}'s NPV after gain-share", False
            now = base.bodies[self.target].after.npv
        # A body's can take a second (see the module's note); the plan's is instant.
        with contextlib.nullcontext() if is_plan else busy():
            values = switching_values(plan, [self.target], base=base)
        self.model.set_values(plan, values, result, is_plan)
        self.explanation.setText(
            f"{_capital(result)} is {money.format(now, brackets=True)}. Each row: how far one "
            f"input alone must fall or rise before it {self.model.verb}. Most sensitive first."
        )
        if sweep:
            self.sweep.show_sweep(bias_sweep(plan, SWEEP_POINTS))


class _Sentence(QStyledItemDelegate):
    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@contextlib.contextmanager
def _quiet(widget):
    """Refill a widget without its signals taking the refill for the user's choice."""
    was = widget.blockSignals(True)
    try:
        yield
    finally:
        widget.blockSignals(was)
