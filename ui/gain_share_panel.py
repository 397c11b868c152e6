"""The gain-share panel: the agreement (rule, agreed shares, payback basis), the prices the
figures are entered in, each body's position before and after the agreement, and the chart of
who invests against who benefits. Every change is an undoable command."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner import fields as F
from planner import years as fy
from planner.deflator import series
from planner.errors import PlannerError
from planner.model import GainShareRule, Prices
from ui.benefits_chart import BenefitsChart
from ui.document import PlanDocument
from ui.models.appraisal import PositionsModel
from ui.models.base import RIGHT, PlanTableModel, percent_bp


class SharesModel(PlanTableModel):
    """The agreed percentage for each body (used by the fixed-percentages rule)."""

    shaped_by = frozenset({"body"})

    def row_keys(self) -> list:
        return list(self.doc.plan.bodies)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ["Body", "Agreed share"][section]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 1 and not self.doc.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        body_id = self.rows[index.row()]
        if index.column() == 0:
            return (
                self.doc.plan.bodies[body_id].name if role == Qt.ItemDataRole.DisplayRole else None
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            bp = self.doc.plan.appraisal.gain_share_percent_bp.get(body_id, 0)
            return f"{bp / 100:g}%"
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or index.column() != 1:
            return False
        body_id = self.rows[index.row()]
        try:
            bp = round(float(str(value).strip().rstrip("%")) * 100)
        except ValueError:
            self.refused.emit(f"'{value}' is not a percentage; type it like 25 or 25%.")
            return False
        shares = dict(self.doc.plan.appraisal.gain_share_percent_bp)
        if shares.get(body_id, 0) == bp:
            return True
        shares[body_id] = bp
        name = self.doc.plan.bodies[body_id].name
        return self.run(
            lambda f: f.set_appraisal(gain_share_percent_bp=shares), f"Change {name}'s agreed share"
        )


class BandsModel(PlanTableModel):
    """The discount schedule: from which year each rate applies (the Green Book's standard
    schedule to start with; health outcomes, for example, use lower rates)."""

    shaped_by = frozenset({"discount_band"})

    def row_keys(self) -> list:
        return list(range(len(self.doc.plan.appraisal.discount_bands)))

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ["From year", "Discount rate"][section]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # Year 0 always starts the first band; its rate, and every later band, can change.
        if not self.doc.read_only and (index.column() == 1 or index.row() > 0):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
        ):
            return None
        start, rate = self.doc.plan.appraisal.discount_bands[index.row()]
        return str(start) if index.column() == 0 else f"{rate / 100:g}%"

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        bands = [list(b) for b in self.doc.plan.appraisal.discount_bands]
        text = str(value).strip().rstrip("%").strip()
        try:
            number = int(text) if index.column() == 0 else round(float(text) * 100)
        except ValueError:
            self.refused.emit(f"'{value}' is not a number.")
            return False
        if bands[index.row()][index.column()] == number:
            return True
        bands[index.row()][index.column()] = number
        return self.run(
            lambda f: f.set_appraisal(discount_bands=[tuple(b) for b in bands]),
            "Change discount schedule",
        )


class GainSharePanel(QWidget):
    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.rule = QComboBox()
        for r in GainShareRule:
            self.rule.addItem(r.title, r.value)
        self.rule.activated.connect(self._rule_chosen)
        self.discounted = QCheckBox("Payback on discounted figures")
        self.discounted.clicked.connect(self._discounting_chosen)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # it names bodies
        self.problem.setStyleSheet("color: #c0392b; font-weight: bold;")
        self.problem.setWordWrap(True)

        # Row headers hidden before the models arrive (see _table in ui/editors.py).
        self.shares = SharesModel(doc, self)
        self.shares_view = QTableView()
        self.shares_view.verticalHeader().setVisible(False)
        self.shares_view.setModel(self.shares)
        self.shares_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.positions = PositionsModel(doc, self)
        self.positions_view = QTableView()
        self.positions_view.verticalHeader().setVisible(False)
        self.positions_view.setModel(self.positions)
        self.positions_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Fixed widths: sizing to contents reads every row on every edit, even out of sight.
        header = self.positions_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.positions_view.fontMetrics()
        header.setDefaultSectionSize(int(fm.horizontalAdvance("(£000,000,000)") * 1.15))
        self.positions_view.setColumnWidth(0, int(fm.horizontalAdvance("M" * 24)))
        self.chart = BenefitsChart(doc)
        self.bands = BandsModel(doc, self)
        self.bands_view = QTableView()
        self.bands_view.setModel(self.bands)
        self.bands_view.verticalHeader().setVisible(False)
        self.bands_view.setMaximumWidth(260)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Gain-share agreement:"))
        controls.addWidget(self.rule)
        controls.addWidget(self.discounted)
        controls.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(controls)
        left_layout.addLayout(self._prices_controls())
        left_layout.addWidget(self.deflator_note)
        left_layout.addWidget(self.problem)
        left_layout.addWidget(self.positions_view, 3)
        lower = QHBoxLayout()
        lower.addWidget(self.shares_view, 2)
        lower.addWidget(self.bands_view, 1)
        left_layout.addLayout(lower, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        self.chart.setMinimumWidth(420)
        split.setSizes([900, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        for m in (self.shares, self.bands):
            m.refused.connect(lambda text: self.problem.setText(f"Not changed: {text}"))
        self.positions.refused.connect(self._refused)  # the settings above run through it
        doc.changed.connect(self._sync)
        self._sync()

    def _prices_controls(self) -> QHBoxLayout:
        """Figures entered in real terms or in cash, and for cash the price base year and the
        inflation assumed after the deflator's series (planner.deflator)."""
        s = series()
        self.prices = QComboBox()
        self.prices.setAccessibleName("Figures are entered")
        for p in Prices:
            self.prices.addItem(p.title, p.value)
        self.prices.activated.connect(self._prices_chosen)
        self.base_year = QLineEdit()
        self.base_year.setAccessibleName("Price base year")
        self.base_year.setPlaceholderText("2025-26")
        self.base_year.setMaximumWidth(90)
        self.base_year.editingFinished.connect(self._base_year_typed)
        self.inflation = QLineEdit()
        self.inflation.setAccessibleName(f"Inflation assumed each year after {s.last}")
        self.inflation.setMaximumWidth(70)
        self.inflation.editingFinished.connect(self._inflation_typed)
        self.deflator_note = QLabel()
        self.deflator_note.setWordWrap(True)
        self.deflator_note.setStyleSheet("color: #555555;")
        row = QHBoxLayout()
        row.addWidget(QLabel("Figures are entered:"))
        row.addWidget(self.prices)
        row.addWidget(QLabel("Price base year:"))
        row.addWidget(self.base_year)
        row.addWidget(QLabel(f"Inflation assumed each year after {s.last}:"))
        row.addWidget(self.inflation)
        row.addStretch(1)
        return row

    def _sync(self, _change=None) -> None:
        a = self.doc.plan.appraisal
        self.rule.setCurrentIndex(self.rule.findData(a.gain_share.value))
        self.discounted.setChecked(a.payback_discounted)
        self._sync_prices()
        self.shares_view.setVisible(a.gain_share is GainShareRule.FIXED)
        problem = self.doc.analysis.benefits.gain_share.problem
        self.problem.setText(f"The agreement cannot be applied: {problem}." if problem else "")
        self.rule.setEnabled(not self.doc.read_only)
        self.discounted.setEnabled(not self.doc.read_only)

    def _sync_prices(self) -> None:
        a, s = self.doc.plan.appraisal, series()
        self.prices.setCurrentIndex(self.prices.findData(a.prices.value))
        self.base_year.setText(fy.label(a.price_base_year) if a.nominal else "")
        self.inflation.setText(f"{a.inflation_bp / 100:g}%" if a.nominal else "")
        self.prices.setEnabled(not self.doc.read_only)
        for w in (self.base_year, self.inflation):
            w.setEnabled(a.nominal and not self.doc.read_only)
        self.deflator_note.setText(
            f"Converted to {fy.label(a.price_base_year)} prices by the GDP deflator: {s.words}."
            if a.nominal
            else "Figures in real terms are appraised as they are entered."
        )
        self.deflator_note.setToolTip(
            f"A financial year's deflator takes 9/12 of its calendar year and 3/12 of the next "
            f"(April to December, January to March); after {s.last}, the index grows each "
            f"year by the inflation assumed."
        )

    def _refused(self, text: str) -> None:
        self.problem.setText(f"Not changed: {text}")
        self._sync_prices()  # the setting as it stands, not what was typed

    def _prices_chosen(self, i: int) -> None:
        prices = Prices(self.prices.itemData(i))
        if prices is self.doc.plan.appraisal.prices:
            return
        self.positions.run(
            lambda f: f.set_appraisal(prices=prices), f"Enter figures {prices.title}"
        )

    def _base_year_typed(self) -> None:
        a, typed = self.doc.plan.appraisal, self.base_year.text()
        try:
            year = fy.parse(typed)
        except PlannerError as e:
            self._refused(str(e))
            return
        if not a.nominal or year == a.price_base_year:
            self._sync_prices()
            return
        self.positions.run(
            lambda f: f.set_appraisal(price_base_year=year),
            f"Change the price base year to {fy.label(year)}",
        )

    def _inflation_typed(self) -> None:
        a, typed = self.doc.plan.appraisal, self.inflation.text().strip()
        try:
            bp = percent_bp(typed, "assumed inflation", F.INFLATION.high, F.INFLATION.low)
        except PlannerError as e:
            self._refused(str(e))
            return
        if not a.nominal or bp == a.inflation_bp:
            self._sync_prices()
            return
        self.positions.run(
            lambda f: f.set_appraisal(inflation_bp=bp),
            f"Change the assumed inflation to {bp / 100:g}%",
        )

    def _rule_chosen(self, i: int) -> None:
        rule = GainShareRule(self.rule.itemData(i))
        if rule is self.doc.plan.appraisal.gain_share:
            return
        self.positions.run(
            lambda f: f.set_appraisal(gain_share=rule), f"Change gain-share to {rule.title.lower()}"
        )

    def _discounting_chosen(self, checked: bool) -> None:
        self.positions.run(
            lambda f: f.set_appraisal(payback_discounted=checked), "Change payback basis"
        )
