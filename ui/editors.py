"""The editor tabs: contributions, settlements, bodies and schemes, each a table over the plan,
with buttons to add and remove rows. Every change goes through an undoable command."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner import years as fy
from planner.model import BodyKind
from ui.delegates import MoneyDelegate
from ui.document import PlanDocument
from ui.models.bodies import BodiesModel
from ui.models.contributions import ContributionsModel
from ui.models.schemes import SchemesModel
from ui.models.settlements import SettlementsModel
from ui.plan_table import PlanTable


def _table(model, is_money, stretch_first: bool = True) -> QTableView:
    view = PlanTable()
    # Hidden before the model arrives: a visible row header sizes itself by asking the model
    # for every row's label, thousands of calls on a large plan.
    view.verticalHeader().setVisible(False)
    view.setModel(model)
    view.setItemDelegate(MoneyDelegate(is_money, view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    # A long name keeps its start and its end ("Police and Crime … Greater Manchester"); the
    # whole of it is in the cell's tooltip.
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setWordWrap(False)  # wrapped, Qt elides only the end of the first line
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setAlternatingRowColors(False)
    view.verticalHeader().setDefaultSectionSize(int(view.fontMetrics().height() * 1.7))
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultSectionSize(int(view.fontMetrics().horizontalAdvance("£000,000,000") * 1.15))
    if stretch_first:
        view.setColumnWidth(0, int(view.fontMetrics().horizontalAdvance("M" * 22)))
    return view


class _Tab(QWidget):
    def __init__(self, view: QTableView, hint: str, buttons: list[QPushButton]):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        label = QLabel(hint)
        label.setStyleSheet("color: #555;")
        bar.addWidget(label, 1)
        for b in buttons:
            bar.addWidget(b)
        layout.addLayout(bar)
        layout.addWidget(view)


class Editors(QTabWidget):
    refused = Signal(str)

    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setAccessibleName("Editors")
        self.contributions = ContributionsModel(doc, self)
        self.settlements = SettlementsModel(doc, self)
        self.bodies = BodiesModel(doc, self)
        self.schemes = SchemesModel(doc, self)
        for m in (self.contributions, self.settlements, self.bodies, self.schemes):
            m.refused.connect(self.refused)

        self.contributions_view = _table(
            self.contributions, lambda i: self.contributions.year_of(i.column()) is not None
        )
        self.contributions_view.setColumnWidth(1, self.contributions_view.columnWidth(0))
        self.settlements_view = _table(self.settlements, lambda i: False)
        self.bodies_view = _table(self.bodies, lambda i: False)
        self.schemes_view = _table(
            self.schemes, lambda i: self.schemes.year_of(i.column()) is not None
        )
        self.bodies_view.horizontalHeader().setStretchLastSection(True)  # sign-off status
        self.bodies_view.setColumnWidth(3, self.bodies_view.columnWidth(0))
        self.bodies_view.setColumnWidth(4, self.bodies_view.columnWidth(0))
        fm = self.settlements_view.fontMetrics()
        # Settlement years read "Indicative £1,468,000,000": wide enough to show it, and in a
        # plan paid on results the part on top ("+ £11,400,000 on results") too.
        widest = "Indicative £0,000,000,000"
        if doc.plan.on_results():
            widest += " + £000,000,000 on results"
        year_width = int(fm.horizontalAdvance(widest) * 1.1)
        for c in range(4, self.settlements.columnCount()):
            self.settlements_view.setColumnWidth(c, year_width)
        self.settlements_view.setColumnWidth(1, self.settlements_view.columnWidth(0))
        # A plan's total over its years runs to hundreds of millions, in brackets if negative.
        money_width = int(fm.horizontalAdvance("(£00,000,000,000)") * 1.15)
        for view, model in (
            (self.contributions_view, self.contributions),
            (self.schemes_view, self.schemes),
        ):
            view.setColumnWidth(model.columnCount() - 1, money_width)  # totals

        self._edit_buttons: list[QPushButton] = []
        add_body = self.edit_button("Add body\u2026", self.add_body)
        del_body = self.edit_button("Delete body", self.delete_body)
        add_settlement = self.edit_button("Add settlement\u2026", self.add_settlement)
        del_settlement = self.edit_button("Delete settlement", self.delete_settlement)
        on_results = self.edit_button("Paid on results\u2026", self.edit_results)
        add_scheme = self.edit_button("Add scheme\u2026", self.add_scheme)
        del_scheme = self.edit_button("Delete scheme", self.delete_scheme)

        self.addTab(
            _Tab(
                self.contributions_view,
                "Each body's money into the pool. Type 1,250,000, £1.25m or 1250k; "
                "empty a cell to remove it. The mark at a cell's left: solid confirmed, "
                "lines indicative, crosses unfunded (blue, orange, red).",
                [],
            ),
            "Contributions",
        )
        self.addTab(
            _Tab(
                self.settlements_view,
                "Each year: 'confirmed 10m', 'indicative', or empty if not covered. A year's "
                "money paid only on results: select the year, then Paid on results.",
                [add_settlement, del_settlement, on_results],
            ),
            "Settlements",
        )
        self.addTab(
            _Tab(self.bodies_view, "The partners and who signs for them.", [add_body, del_body]),
            "Bodies",
        )
        self.addTab(
            _Tab(self.schemes_view, "What the pool pays for, by year.", [add_scheme, del_scheme]),
            "Schemes",
        )
        # The appraisal tabs are built when first opened: start-up need not pay for them.
        self._appraisal: AppraisalTabs | None = None
        self._appraisal_pages = [QWidget(), QWidget()]
        for page, title in zip(
            self._appraisal_pages, ("Costs && benefits", "Gain-share"), strict=True
        ):
            page.setLayout(QVBoxLayout())
            page.layout().setContentsMargins(0, 0, 0, 0)
            self.addTab(page, title)
        # And the Sensitivity tab, apart from them: its charts need not come with the tables.
        self._sensitivity = None
        self._sensitivity_page = QWidget()
        self._sensitivity_page.setLayout(QVBoxLayout())
        self._sensitivity_page.layout().setContentsMargins(0, 0, 0, 0)
        self.addTab(self._sensitivity_page, "Sensitivity")
        # So are the year after sign-off's: the Monitoring and Risk share tabs.
        self._monitoring = None
        self._monitoring_pages = [QWidget(), QWidget(), QWidget()]
        titles = ("Monitoring", "Money received", "Risk share")
        for page, title in zip(self._monitoring_pages, titles, strict=True):
            page.setLayout(QVBoxLayout())
            page.layout().setContentsMargins(4, 4, 4, 4)
            self.addTab(page, title)
        self.currentChanged.connect(self._maybe_build_appraisal)
        self.set_read_only(doc.read_only)

    def _maybe_build_appraisal(self, index: int) -> None:
        if self.widget(index) in self._appraisal_pages and self._appraisal is None:
            self._build_appraisal()
        if self.widget(index) is self._sensitivity_page and self._sensitivity is None:
            self._build_sensitivity()
        if self.widget(index) in self._monitoring_pages and self._monitoring is None:
            self._build_monitoring()

    @property
    def monitoring(self):
        """The Monitoring, Money received and Risk share tabs (``ui.monitoring_panel``),
        built when first wanted."""
        if self._monitoring is None:
            self._build_monitoring()
        return self._monitoring

    def show_monitoring(self) -> None:
        self.setCurrentWidget(self._monitoring_pages[0])

    def _build_monitoring(self) -> None:
        from ui.busy import busy
        from ui.monitoring_panel import MonitoringTab, ReceivedTab, RiskShareTab

        with busy():
            self._monitoring = (
                MonitoringTab(self, self._monitoring_pages[0]),
                RiskShareTab(self, self._monitoring_pages[2]),
                ReceivedTab(self, self._monitoring_pages[1]),
            )
            self._monitoring[0].model.confirm_refund = lambda text: self.confirm_refund(text)
        self.set_read_only(self.doc.read_only)

    def confirm_refund(self, text: str) -> bool:
        """Asked before a negative actual is recorded (the window sets the question)."""
        return False

    def show_gain_share(self) -> None:
        self.setCurrentWidget(self._appraisal_pages[1])

    @property
    def appraisal(self) -> AppraisalTabs:
        """The Costs & benefits and Gain-share tabs, built the first time they are wanted."""
        if self._appraisal is None:
            self._build_appraisal()
        return self._appraisal

    @property
    def sensitivity(self):
        """The Sensitivity tab's panel (``ui.sensitivity_panel``), built when first wanted."""
        if self._sensitivity is None:
            self._build_sensitivity()
        return self._sensitivity

    def show_sensitivity(self) -> None:
        self.setCurrentWidget(self._sensitivity_page)
        # On a laptop the editors start hidden: a tab asked for is a tab shown.
        dock = self.parent()
        while dock is not None and not hasattr(dock, "toggleViewAction"):
            dock = dock.parent()
        if dock is not None:
            dock.show()

    def _build_sensitivity(self) -> None:
        from ui.sensitivity_panel import SensitivityPanel

        self._sensitivity = SensitivityPanel(self.doc)
        self._sensitivity.model.refused.connect(self.refused)
        self._sensitivity_page.layout().addWidget(self._sensitivity)
        # Shown now, not when the layout gets round to it: the tab's figures are there as
        # soon as it opens (and it works nothing out while its page is out of sight).
        self._sensitivity.show()

    def _build_appraisal(self) -> None:
        from ui.busy import busy

        with busy():
            self._appraisal = AppraisalTabs(self, *self._appraisal_pages)
        self.set_read_only(self.doc.read_only)

    def _choose_scheme_and_body(self, title: str, who: str) -> tuple[int, int] | None:
        plan = self.doc.plan
        if not plan.schemes or not plan.bodies:
            self.refused.emit("Add a scheme and a body first.")
            return None
        schemes = [s.name for s in plan.schemes.values()]
        scheme, ok = QInputDialog.getItem(self, title, "Scheme:", schemes, 0, False)
        if not ok:
            return None
        bodies = [b.name for b in plan.bodies.values()]
        body, ok = QInputDialog.getItem(self, title, who, bodies, 0, False)
        if not ok:
            return None
        return (list(plan.schemes)[schemes.index(scheme)], list(plan.bodies)[bodies.index(body)])

    def add_cost(self) -> None:
        chosen = self._choose_scheme_and_body("Add cost", "Paying body:")
        if chosen:
            year = self.doc.plan.first_year
            self._push(lambda f: f.set_cost(*chosen, year, 0))

    def add_benefit(self) -> None:
        chosen = self._choose_scheme_and_body("Add benefit", "Receiving body:")
        if chosen:
            self._push(lambda f: f.add_benefit(*chosen))

    def delete_benefit(self) -> None:
        tabs = self.appraisal
        self._delete_current(
            tabs.benefits_view, tabs.benefit_lines.benefit_id, lambda f, i: f.delete_benefit(i)
        )

    def edit_button(self, text: str, slot) -> QPushButton:
        """A button that edits the plan: disabled while the plan is read-only."""
        button = QPushButton(text)
        button.clicked.connect(slot)
        self._edit_buttons.append(button)
        return button

    def set_read_only(self, read_only: bool) -> None:
        for b in self._edit_buttons:
            b.setEnabled(not read_only)

    # -- selection from elsewhere -------------------------------------------------------------

    def show_contribution(self, body_id: int, year: int | None) -> None:
        index = self.contributions.index_for(body_id, year)
        if index.isValid():
            self.setCurrentIndex(0)
            self._select(self.contributions_view, index)

    def show_settlement(self, settlement_id: int, year: int | None) -> None:
        row = self.settlements.rows.index(settlement_id)
        col = 1
        if year is not None and year in self.doc.plan.year_range:
            col = 4 + self.doc.plan.year_range.index(year)
        self.setCurrentIndex(1)
        self._select(self.settlements_view, self.settlements.index(row, col))

    def _select(self, view: QTableView, index: QModelIndex) -> None:
        view.setCurrentIndex(index)
        view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- adding and removing ------------------------------------------------------------------

    def _current_row(self, view: QTableView) -> int | None:
        index = view.currentIndex()
        return index.row() if index.isValid() else None

    def _push(self, action) -> None:
        self.bodies.run(action)

    def add_body(self) -> None:
        name, ok = QInputDialog.getText(self, "Add body", "Name of the partner body:")
        if not ok or not name.strip():
            return
        kinds = [k.title for k in BodyKind]
        kind, ok = QInputDialog.getItem(self, "Add body", "Kind of body:", kinds, 0, False)
        if ok:
            value = list(BodyKind)[kinds.index(kind)].value
            self._push(lambda f: f.add_body(name, value))

    def delete_body(self) -> None:
        self._delete_current(self.bodies_view, self.bodies.body_id, lambda f, i: f.delete_body(i))

    def _delete_current(self, view: QTableView, id_of, delete) -> None:
        """Delete the row selected in ``view`` (``id_of(row)`` None: a totals row, kept)."""
        row = self._current_row(view)
        row_id = id_of(row) if row is not None else None
        if row_id is not None:
            self._push(lambda f: delete(f, row_id))

    def add_settlement(self) -> None:
        plan = self.doc.plan
        if not plan.bodies:
            self.refused.emit("Add a body first: a settlement belongs to a body.")
            return
        names = [b.name for b in plan.bodies.values()]
        row = self._current_row(self.settlements_view)
        default = 0
        if row is not None:
            default = list(plan.bodies).index(plan.settlements[self.settlements.rows[row]].body_id)
        body, ok = QInputDialog.getItem(
            self, "Add settlement", "Whose settlement?", names, default, False
        )
        if not ok:
            return
        name, ok = QInputDialog.getText(
            self, "Add settlement", "Name (e.g. 'Police grant 2026-27'):"
        )
        if ok and name.strip():
            body_id = list(plan.bodies)[names.index(body)]
            self._push(lambda f: f.add_settlement(body_id, name))

    def edit_results(self) -> None:
        """The selected settlement year's money paid on results, in its dialog."""
        index = self.settlements_view.currentIndex()
        year = self.settlements.year_of(index.column()) if index.isValid() else None
        if year is None:
            self.refused.emit("Select a settlement's year first (a cell under a year).")
            return
        sid = self.settlements.settlement_id(index.row())
        entry = self.doc.plan.settlements[sid].years.get(year)
        if entry is None or entry.amount_pence is None:
            self.refused.emit(
                f"Mark {fy.label(year)} confirmed or indicative first, with its amount (it may "
                "be £0): money paid on results comes on top of a year's other money."
            )
            return
        from ui.results_dialog import ResultsDialog

        self.results_dialog = ResultsDialog(self.doc, sid, year, self)
        self.results_dialog.open()

    def delete_settlement(self) -> None:
        self._delete_current(
            self.settlements_view,
            self.settlements.settlement_id,
            lambda f, i: f.delete_settlement(i),
        )

    def add_scheme(self) -> None:
        name, ok = QInputDialog.getText(self, "Add scheme", "Name of the scheme:")
        if ok and name.strip():
            self._push(lambda f: f.add_scheme(name))

    def delete_scheme(self) -> None:
        self._delete_current(
            self.schemes_view, self.schemes.scheme_id, lambda f, i: f.delete_scheme(i)
        )


class AppraisalTabs:
    """What the Costs & benefits and Gain-share tabs hold: the cost and benefit tables, their
    buttons, and the gain-share panel (which brings in matplotlib)."""

    def __init__(self, editors: Editors, lines_page: QWidget, gain_share_page: QWidget):
        from ui.gain_share_panel import GainSharePanel
        from ui.models.appraisal import BenefitLinesModel, CostsModel

        doc = editors.doc
        self.costs = CostsModel(doc, editors)
        self.benefit_lines = BenefitLinesModel(doc, editors)
        for m in (self.costs, self.benefit_lines):
            m.refused.connect(editors.refused)
        self.costs_view = _table(self.costs, lambda i: self.costs.year_of(i.column()) is not None)
        self.benefits_view = _table(
            self.benefit_lines, lambda i: self.benefit_lines.year_of(i.column()) is not None
        )
        add_cost = editors.edit_button("Add cost\u2026", editors.add_cost)
        add_benefit = editors.edit_button("Add benefit\u2026", editors.add_benefit)
        del_benefit = editors.edit_button("Delete benefit", editors.delete_benefit)
        layout = lines_page.layout()
        layout.addWidget(
            _Tab(self.costs_view, "What each body invests in each scheme, by year.", [add_cost])
        )
        layout.addWidget(
            _Tab(
                self.benefits_view,
                "Who receives each benefit, by year, before optimism bias "
                "(the share taken off for uncertain evidence).",
                [add_benefit, del_benefit],
            )
        )
        self.gain_share = GainSharePanel(doc)
        self.gain_share.shares.refused.connect(editors.refused)
        gain_share_page.layout().addWidget(self.gain_share)
