"""The year after sign-off: the Monitoring tab (the year's schemes by quarter, actual against
forecast, the outturn and its variance) and the Risk share tab (the agreement partners signed,
each partner's statement step by step through the order of cover, and a what-if that moves
the split live without touching the actuals). Thin over ``planner.monitoring``; every change
is one undoable edit through the store."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner import clock, money
from planner import years as fy
from planner.errors import PlannerError
from planner.model import Cap, CapKind, Method, RiskRule, Underspend
from planner.monitoring import YearReport, year_report
from ui import style
from ui.document import PlanDocument
from ui.models.base import RIGHT, PlanTableModel
from ui.models.monitoring import METHOD_WORDS, MonitoringModel


def _pounds(pence: int) -> str:
    """An amount as it is typed back: ``1,250,000`` (pence only where there are any)."""
    from ui.models.base import money_edit_text

    return money_edit_text(pence)


def _day(d: dt.date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "no date set"


def _lay_out(dialog, *parts) -> None:
    """A settings dialog: its ``parts`` (layouts or widgets), the problem line, Save and
    Cancel."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.save)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for part in parts:
        (layout.addLayout if isinstance(part, QLayout) else layout.addWidget)(part)
    layout.addWidget(dialog.problem)
    layout.addWidget(buttons)


def save_or_say(dialog, action, name: str | None = None) -> bool:
    """Make ``dialog``'s edit (one undo step) and close it; refused, say why in the dialog,
    which stays open with what was typed."""
    try:
        dialog.doc.perform(action, name)
    except PlannerError as e:
        dialog.problem.setText(str(e))
        dialog.problem.show()
        return False
    dialog.accept()
    return True


def headline(plan, report: YearReport | None) -> str:
    """The year monitored in one sentence, as a board reads it."""
    if report is None:
        return (
            "No year is being monitored. Choose the year and the date its figures are as at "
            "to record actual spending against the plan."
        )
    v = report.variance
    state = "on budget" if v == 0 else f"{money.format(abs(v))} {'over' if v > 0 else 'under'}"
    share = f" ({abs(v) * 100 / report.budget:.1f}% of budget)" if report.budget and v else ""
    return (
        f"{fy.label(report.year)} as at {_day(report.as_at)}: {report.quarters_reported} of 4 "
        f"quarters reported. Forecast outturn {money.format(report.outturn)} against a budget "
        f"of {money.format(report.budget)}: {state}{share}."
    )


class MonitoringTab(QWidget):
    def __init__(self, editors, page: QWidget):
        super().__init__()
        self.editors = editors
        doc: PlanDocument = editors.doc
        self.doc = doc
        self.model = MonitoringModel(doc, self)
        self.model.refused.connect(editors.refused)
        from ui.editors import _table

        self.view = _table(self.model, self.model.is_money)
        self.view.setAccessibleName("Monitoring")
        fm = self.view.fontMetrics()
        wide = int(fm.horizontalAdvance("(£00,000,000) under") * 1.1)
        for c in range(2, 9):
            title = self.model.headerData(c, Qt.Orientation.Horizontal)
            self.view.setColumnWidth(
                c, int(max(fm.horizontalAdvance("£00,000,000"), fm.horizontalAdvance(title)) * 1.3)
            )
        self.view.setColumnWidth(9, wide)
        self.view.setColumnWidth(1, int(fm.horizontalAdvance("Shared") * 1.8))
        self.view.setColumnWidth(10, int(fm.horizontalAdvance("Run rate") * 1.6))
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("The year monitored")
        settings = editors.edit_button("Monitoring Settings\u2026", self.settings_dialog)
        forecast = editors.edit_button("Forecast\u2026", self.forecast_dialog)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(forecast)
        bar.addWidget(settings)
        hint = QLabel(
            "Type each reported quarter's actual; quarters to come show their forecast in grey "
            "italics. A negative actual is a refund. Variance is outturn less budget."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        # The chosen scheme's explanation and forecast in full: a narrow column cannot hold them.
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setAccessibleName("The chosen scheme's explanation")
        layout = page.layout()
        layout.addLayout(bar)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.model.modelReset.connect(
            lambda: self.view.selectionModel().currentRowChanged.connect(
                lambda *_: self._show_detail()
            )
        )
        doc.changed.connect(self._refresh)
        self._refresh()

    def _refresh(self, change=None) -> None:
        report = self.doc.analysis.report
        self.summary.setText(headline(self.doc.plan, report))
        beyond = report is not None and abs(report.variance) > report.threshold
        self.summary.setStyleSheet("font-weight: bold; color: #8E1B10;" if beyond else "")
        self._show_detail()

    def _show_detail(self) -> None:
        sid = self.selected_scheme()
        line = self.model.line(self.view.currentIndex().row()) if sid is not None else None
        if line is None:
            self.detail.setText("Choose a scheme to read its explanation and forecast in full.")
            return
        name = self.doc.plan.schemes[sid].name
        how = METHOD_WORDS[line.method].lower()
        reason = f" ({line.reason})" if line.reason else ""
        said = line.explanation or "No explanation written yet (type it in the Explanation column)."
        self.detail.setText(f"{name}. Forecast by {how}{reason}. Explanation: {said}")

    def selected_scheme(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        key = self.model.rows[index.row()]
        return None if key == "total" else key

    def settings_dialog(self) -> None:
        MonitoringSettings(self.doc, self).exec()

    def forecast_dialog(self) -> None:
        report = self.doc.analysis.report
        sid = self.selected_scheme()
        if report is None or sid is None:
            self.editors.refused.emit("Choose a scheme's row in the Monitoring table first.")
            return
        ForecastDialog(self.doc, sid, report.year, self).exec()


class ReceivedTab(QWidget):
    """Money received from each partner in the year monitored, against what is due."""

    def __init__(self, editors, page: QWidget):
        super().__init__()
        from ui.editors import _table
        from ui.models.received import ReceivedModel

        self.model = ReceivedModel(editors.doc, self)
        self.model.refused.connect(editors.refused)
        self.view = _table(self.model, self.model.is_money)
        self.view.setAccessibleName("Money received from partners")
        self.view.horizontalHeader().setStretchLastSection(True)
        fm = self.view.fontMetrics()
        for c in range(1, self.model.columnCount()):
            title = self.model.headerData(c, Qt.Orientation.Horizontal)
            need = max(fm.horizontalAdvance("£00,000,000"), fm.horizontalAdvance(title))
            self.view.setColumnWidth(c, int(need * 1.25))
        hint = QLabel(
            "Money received from each partner, by quarter, against what its settlements make "
            "due by the as-at date (quarterly or monthly instalments). Type what arrived."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        page.layout().addWidget(hint)
        page.layout().addWidget(self.view)


class MonitoringSettings(QDialog):
    """Which year is monitored, the date its figures are as at, and the findings' threshold."""

    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        m = doc.plan.monitoring
        self.setWindowTitle("Monitoring settings")
        self.year = QComboBox()
        self.year.addItem("Not monitoring", None)
        for y in doc.plan.year_range:
            self.year.addItem(fy.label(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(m.year)))
        self.as_at = QDateEdit()
        self.as_at.setCalendarPopup(True)
        self.as_at.setDisplayFormat("dd/MM/yyyy")
        day = m.as_at or clock.today()
        self.as_at.setDate(QDate(day.year, day.month, day.day))
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.01, 100)
        self.threshold.setDecimals(2)
        self.threshold.setSuffix("% of the year's pool")
        self.threshold.setValue(m.threshold_bp / 100)
        self.problem = style.problem_label()
        form = QFormLayout()
        form.addRow("Year monitored", self.year)
        form.addRow("Figures as at", self.as_at)
        form.addRow("Report a variance above", self.threshold)
        _lay_out(self, form)

    def values(self) -> dict:
        d = self.as_at.date()
        return {
            "year": self.year.currentData(),
            "as_at": dt.date(d.year(), d.month(), d.day()),
            "threshold_bp": round(self.threshold.value() * 100),
        }

    def save(self) -> None:
        values = self.values()
        save_or_say(self, lambda f: f.set_monitoring(**values), "Change the monitoring settings")


class ForecastDialog(QDialog):
    """How one scheme's quarters still to come are forecast: the profile, the run rate, or an
    amount entered with a reason; and its money not yet committed."""

    def __init__(self, doc: PlanDocument, scheme_id: int, year: int, parent=None):
        super().__init__(parent)
        self.doc, self.scheme_id, self.year = doc, scheme_id, year
        scheme = doc.plan.schemes[scheme_id]
        record = scheme.monitored.get(year)
        self.setWindowTitle(f"Forecast for {scheme.name}")
        self.method = QComboBox()
        for m in Method:
            self.method.addItem(METHOD_WORDS[m], m)
        self.method.setCurrentIndex(
            self.method.findData(record.method if record else Method.PROFILE)
        )
        self.amount = QLineEdit(money.plain(record.forecast_pence) if record else "0")
        self.reason = QPlainTextEdit(record.reason if record else "")
        self.reason.setMaximumHeight(80)
        self.uncommitted = QLineEdit(_pounds(record.uncommitted_pence if record else 0))
        self.amount.setText(_pounds(record.forecast_pence if record else 0))
        self.method.currentIndexChanged.connect(self._method_changed)
        self._method_changed()
        self.problem = style.problem_label()
        form = QFormLayout()
        form.addRow("Scheme", QLabel(f"{scheme.name}, {fy.label(year)}"))
        form.addRow("Forecast by", self.method)
        form.addRow("Rest of the year (entered)", self.amount)
        form.addRow("Reason", self.reason)
        form.addRow("Not yet committed", self.uncommitted)
        _lay_out(self, form)

    def _method_changed(self, *_) -> None:
        entered = self.method.currentData() is Method.ENTERED
        self.amount.setEnabled(entered)
        self.reason.setEnabled(entered)

    def save(self) -> None:
        try:
            fields = {
                "method": self.method.currentData(),
                "forecast_pence": money.parse_pasted(self.amount.text()) or 0,
                "reason": self.reason.toPlainText(),
                "uncommitted_pence": money.parse_pasted(self.uncommitted.text()) or 0,
            }
        except PlannerError as e:  # an amount that is not one
            self.problem.setText(str(e))
            self.problem.show()
            return
        sid, year = self.scheme_id, self.year
        save_or_say(self, lambda f: f.update_scheme_year(sid, year, **fields))


# -- the risk share ---------------------------------------------------------------------------


class StatementModel(PlanTableModel):
    """Each partner's statement: what it bears (positive) or receives, step by step, then the
    pool's own steps (the reserve, uncommitted money, outside the pool), with each total."""

    shaped_by = frozenset()  # its rows are re-derived from the outcome after every change

    def __init__(self, doc: PlanDocument, parent=None):
        self.scenario: int | None = None
        self._report: YearReport | None = None
        super().__init__(doc, parent)

    def rows_stay(self, change) -> bool:
        return False

    def report(self) -> YearReport | None:
        if self.scenario is None:
            return self.doc.analysis.report
        # Only the split moves with a scenario: the year's lines and money are the report's.
        kept = self.doc.analysis.report
        return year_report(
            self.doc.plan, scenario=self.scenario, previous=kept, changed=frozenset()
        )

    def set_scenario(self, pence: int | None) -> None:
        if pence == self.scenario and self._report is self.report():
            return  # as shown: the model followed the edit itself
        self.scenario = pence
        self.beginResetModel()
        self.rows = self.row_keys()
        self.endResetModel()

    def row_keys(self) -> list:
        self._report = report = self.report()
        if report is None:
            return []
        rows: list = []
        by_body: dict = {}
        for step in report.risk.steps:
            by_body.setdefault(step.body_id, []).append(step)
        # The pool's own cover (the reserve, uncommitted money) comes first in the order of
        # cover, then each partner; what is outside the pool is among the pool's steps.
        pool = by_body.pop(None, None)
        for body_id, steps in [*([(None, pool)] if pool else []), *by_body.items()]:
            rows.append(("total", body_id, sum(s.pence for s in steps)))
            rows += [("step", body_id, s) for s in steps]
        if rows:
            rows.append(("all", None, sum(s.pence for s in report.risk.steps)))
        return rows

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ["Who", "Bears (receives)", "Why"][section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        kind, body_id, item = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return RIGHT
        if role == Qt.ItemDataRole.FontRole and kind in ("total", "all"):
            from PySide6.QtGui import QFont

            f = QFont()
            f.setBold(True)
            return f
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if kind == "all":
            words = "the shared lines' net variance and the fixed lines' variances, in all"
            return ["Every step", money.format(item, brackets=True), words][col]
        name = self.doc.plan.bodies[body_id].name if body_id is not None else "The pool and beyond"
        if kind == "total":
            return [name, money.format(item, brackets=True), "in all"][col]
        return ["", money.format(item.pence, brackets=True), item.why][col]


class RiskShareTab(QWidget):
    def __init__(self, editors, page: QWidget):
        super().__init__()
        self.editors, self.doc = editors, editors.doc
        self.agreement = QLabel()
        self.agreement.setWordWrap(True)
        self.agreement.setTextFormat(Qt.TextFormat.PlainText)
        edit = editors.edit_button("Edit Agreement\u2026", self.agreement_dialog)
        top = QHBoxLayout()
        top.addWidget(self.agreement, 1)
        top.addWidget(edit)
        self.what_if = QCheckBox("What if the shared lines' net variance were")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 2,000,000")
        self.amount.setMaximumWidth(160)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("What-if amount")
        self.scenario_words = QLabel()
        self.scenario_words.setWordWrap(True)  # unwrapped, its sentence would widen the window
        self.scenario_words.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        row.addWidget(self.what_if)
        row.addWidget(self.amount)
        row.addWidget(QLabel("over (a negative amount: under)"))
        row.addWidget(self.slider, 1)
        self.model = StatementModel(self.doc, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.setAccessibleName("Risk-share statement")
        layout = page.layout()
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addWidget(self.scenario_words)
        layout.addWidget(self.view)
        self.what_if.toggled.connect(self._scenario_changed)
        self.amount.editingFinished.connect(self._typed)
        self.slider.valueChanged.connect(self._slid)
        self.doc.changed.connect(self._refresh)
        self._refresh()

    def _step(self) -> int:
        """The slider's step, in pence: a thousandth of the pool, in whole pounds."""
        report = self.doc.analysis.report
        pool = report.pool if report else 0
        return max(100, pool // 1000 // 100 * 100)

    def _refresh(self, change=None) -> None:
        plan, report = self.doc.plan, self.doc.analysis.report
        self.agreement.setText(describe_agreement(plan))
        step = self._step()
        self.slider.blockSignals(True)
        self.slider.setRange(-100, 100)  # ±10% of the pool
        self.slider.blockSignals(False)
        self.slider.setToolTip(f"Each step is {money.format(step)}")
        if not self.what_if.isChecked() and report is not None:
            self.amount.setText(_pounds(report.risk.net))
            self._set_slider(report.risk.net)
        self._scenario_changed()

    def _set_slider(self, pence: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(max(-100, min(100, round(pence / self._step()))))
        self.slider.blockSignals(False)

    def _typed(self) -> None:
        try:
            pence = money.parse_pasted(self.amount.text(), allow_negative=True)
        except money.MoneyError as e:
            self.editors.refused.emit(str(e))
            return
        self.amount.setText(_pounds(pence or 0))
        self.what_if.setChecked(True)
        self._set_slider(pence or 0)
        self._scenario_changed()

    def _slid(self, value: int) -> None:
        self.amount.setText(_pounds(value * self._step()))
        self.what_if.setChecked(True)
        self._scenario_changed()

    def scenario(self) -> int | None:
        if not self.what_if.isChecked():
            return None
        try:
            return money.parse_pasted(self.amount.text(), allow_negative=True) or 0
        except money.MoneyError:
            return None

    def _scenario_changed(self, *_) -> None:
        pence = self.scenario()
        self.model.set_scenario(pence)
        report = self.doc.analysis.report
        if report is None:
            self.scenario_words.setText("No year is being monitored.")
        elif pence is None:
            net = report.risk.net
            state = "net over" if net > 0 else "net under" if net < 0 else "on budget"
            self.scenario_words.setText(
                f"As forecast: the shared lines are {money.format(abs(net))} {state}. "
                f"Tick 'What if' to try another outturn; the actuals are not changed."
            )
        else:
            net = report.risk.net
            self.scenario_words.setText(
                f"What if: the shared lines {money.format(abs(pence))} "
                f"{'over' if pence >= 0 else 'under'} (as forecast, {money.format(abs(net))} "
                f"{'over' if net >= 0 else 'under'}); the fixed lines as forecast. Nothing is "
                f"recorded: untick to see the forecast split again."
            )

    def agreement_dialog(self) -> None:
        AgreementDialog(self.doc, self).exec()


def describe_agreement(plan) -> str:
    a = plan.risk_share
    shared = [s.name for i, s in plan.schemes.items() if i in a.shared]
    host = plan.bodies[plan.host_id].name if plan.host_id is not None else "no host named"
    caps = []
    for b, cap in a.caps.items():
        limit = (
            "its contribution"
            if cap.kind is CapKind.CONTRIBUTION
            else money.format(cap.amount_pence)
        )
        caps.append(f"{plan.bodies[b].name} at most {limit}")
    rule = a.rule.title
    if a.rule is RiskRule.AGREED:
        rule += (
            " ("
            + ", ".join(f"{plan.bodies[b].name} {p / 100:g}%" for b, p in a.percent_bp.items())
            + ")"
        )
    return (
        f"Shared lines: {', '.join(shared) if shared else 'none (every line is fixed)'}. "
        f"Overspend: {rule}; reserve {money.format(a.reserve_pence)}; "
        f"caps: {'; '.join(caps) if caps else 'none'}; host {host}. "
        f"Underspend: {a.underspend.title.lower()}."
    )


class AgreementDialog(QDialog):
    """The risk-share agreement: the rule, each partner's agreed share and cap, the reserve and
    what an underspend does (the shared lines are marked in the Monitoring table). Part of the
    plan: changing it changes the fingerprint partners sign."""

    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        plan, a = doc.plan, doc.plan.risk_share
        self.setWindowTitle("Risk-share agreement")
        self.rule = QComboBox()
        for r in RiskRule:
            self.rule.addItem(r.title, r)
        self.rule.setCurrentIndex(self.rule.findData(a.rule))
        self.underspend = QComboBox()
        for u in Underspend:
            self.underspend.addItem(u.title, u)
        self.underspend.setCurrentIndex(self.underspend.findData(a.underspend))
        self.reserve = QLineEdit(_pounds(a.reserve_pence))
        grid = QGridLayout()
        for c, title in enumerate(["Partner", "Agreed share (%)", "Cap", "Cap amount"]):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, c)
        self.rows = {}
        for r, (b, body) in enumerate(plan.bodies.items(), start=1):
            share = QDoubleSpinBox()
            share.setRange(0, 100)
            share.setDecimals(2)
            share.setValue(a.percent_bp.get(b, 0) / 100)
            kind = QComboBox()
            kind.addItem("No cap", None)
            kind.addItem("Its contribution", CapKind.CONTRIBUTION)
            kind.addItem("An amount", CapKind.AMOUNT)
            cap = a.caps.get(b)
            kind.setCurrentIndex(kind.findData(cap.kind if cap else None))
            amount = QLineEdit(_pounds(cap.amount_pence) if cap and cap.amount_pence else "")
            grid.addWidget(QLabel(body.name), r, 0)
            grid.addWidget(share, r, 1)
            grid.addWidget(kind, r, 2)
            grid.addWidget(amount, r, 3)
            self.rows[b] = (share, kind, amount)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self._rule_changed()
        self.problem = style.problem_label()
        form = QFormLayout()
        form.addRow("Overspend shared", self.rule)
        form.addRow("Risk-share reserve", self.reserve)
        form.addRow("Underspend", self.underspend)
        note = QLabel(
            "Agreed shares are used by the agreed-percentages rule and must add up to 100%. "
            "The agreement is part of the plan: changing it changes its fingerprint."
        )
        note.setWordWrap(True)
        _lay_out(self, form, grid, note)

    def _rule_changed(self, *_) -> None:
        agreed = self.rule.currentData() is RiskRule.AGREED
        for share, _kind, _amount in self.rows.values():
            share.setEnabled(agreed)

    def values(self) -> dict:
        rule = self.rule.currentData()
        percents, caps = {}, {}
        for b, (share, kind, amount) in self.rows.items():
            bp = round(share.value() * 100)
            if bp or rule is RiskRule.AGREED:
                percents[b] = bp
            if kind.currentData() is not None:
                pence = money.parse_pasted(amount.text()) or 0
                caps[b] = Cap(
                    kind.currentData(), pence if kind.currentData() is CapKind.AMOUNT else 0
                )
        if rule is not RiskRule.AGREED and not any(percents.values()):
            percents = {}
        return {
            "rule": rule,
            "percent_bp": percents,
            "caps": caps,
            "reserve_pence": money.parse_pasted(self.reserve.text()) or 0,
            "underspend": self.underspend.currentData(),
        }

    def save(self) -> None:
        try:
            values = self.values()
        except PlannerError as e:
            self.problem.setText(str(e))
            self.problem.show()
            return
        save_or_say(self, lambda f: f.set_risk_share(**values))
