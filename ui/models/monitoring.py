"""The Monitoring table: the year monitored, schemes down and quarters across. A reported
quarter holds its actual (typed here); a quarter still to come shows its forecast, greyed and
in italics. Then the actual to date, the forecast outturn, the variance (positive: over
budget), how the rest of the year is forecast and the variance's explanation. Every figure is
the store's and ``planner.monitoring``'s; every change is one undoable edit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from planner import money
from planner.errors import EditError
from planner.model import Method
from planner.monitoring import QUARTERS, SchemeLine, YearReport
from ui.models.base import (
    CHOICES_ROLE,
    PENCE_ROLE,
    RIGHT,
    SIGNED_ROLE,
    PlanTableModel,
    money_cell,
    money_edit_text,
)

COLUMNS = [
    ("name", "Scheme"),
    ("line", "Risk share"),
    ("budget", "Budget"),
    *((f"q{q}", f"Q{q}") for q in QUARTERS),
    ("to_date", "Actual to date"),
    ("outturn", "Forecast outturn"),
    ("variance", "Variance"),
    ("method", "Forecast by"),
    ("explanation", "Explanation"),
]
FIELDS = [c for c, _ in COLUMNS]
QUARTER_COLUMNS = {FIELDS.index(f"q{q}"): q for q in QUARTERS}
MONEY_COLUMNS = {FIELDS.index(f) for f in ("budget", "to_date", "outturn", "variance")} | set(
    QUARTER_COLUMNS
)
METHOD_WORDS = {Method.PROFILE: "Profile", Method.RUN_RATE: "Run rate", Method.ENTERED: "Entered"}
LINE_WORDS = {True: "Shared", False: "Fixed"}
FORECAST_GREY = QColor("#5f6368")  # 6:1 on white: read as "not yet happened", still legible


class MonitoringModel(PlanTableModel):
    """One row per scheme with a budget (or monitoring) in the year, then the total."""

    shaped_by = frozenset({"scheme", "scheme_spend", "scheme_monitoring", "scheme_actual"})

    # Asked before a negative actual is written: True records it as a refund. The window sets
    # it to a question; tests answer it.
    confirm_refund: Callable[[str], bool] = staticmethod(lambda text: False)

    def rows_stay(self, change) -> bool:
        return super().rows_stay(change) and "monitoring" not in change.tables

    def row_keys(self) -> list:
        self._row_of = None
        report = self.report
        if report is None:
            return []
        return [line.scheme_id for line in report.schemes] + ["total"]

    def _on_changed(self, change) -> None:
        self._lines = None
        super()._on_changed(change)

    def changed_rows(self, change) -> list[int] | None:
        """After an actual, a forecast or an explanation: that scheme's row and the total;
        after anything else, every row (a body's money moves the threshold, the agreement
        every line)."""
        if change.tables != {"monitoring"} or change.body_ids or not change.scheme_ids:
            return None
        where = getattr(self, "_row_of", None)
        if where is None or len(where) != len(self.rows):
            where = self._row_of = {key: i for i, key in enumerate(self.rows)}
        return sorted(where[k] for k in (*change.scheme_ids, "total") if k in where)

    @property
    def report(self) -> YearReport | None:
        return self.doc.analysis.report

    def line(self, row: int) -> SchemeLine | None:
        key = self.rows[row]
        if key == "total":
            return None
        lines = getattr(self, "_lines", None)
        if lines is None:
            lines = self._lines = {line.scheme_id: line for line in self.report.schemes}
        return lines.get(key)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        report = self.report
        if role == Qt.ItemDataRole.DisplayRole:
            title = COLUMNS[section][1]
            if section in QUARTER_COLUMNS and report is not None:
                q = QUARTER_COLUMNS[section]
                return f"{title} {'actual' if q <= report.quarters_reported else 'forecast'}"
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                "variance": "Forecast outturn less budget: positive is an overspend, "
                "(brackets) an underspend.",
                "line": "Fixed: the lead bears its own variance. Shared: netted and split by "
                "the risk-share agreement.",
                "method": "How the quarters not yet reported are forecast: the budget's "
                "profile, the run rate so far, or an amount entered with a reason.",
            }.get(FIELDS[section])
        return None

    def is_money(self, index: QModelIndex) -> bool:
        return index.column() in QUARTER_COLUMNS

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.doc.read_only or self.rows[index.row()] == "total":
            return base
        field = FIELDS[index.column()]
        if field in ("line", "method", "explanation"):
            return base | Qt.ItemFlag.ItemIsEditable
        q = QUARTER_COLUMNS.get(index.column())
        if q is not None and q <= self.report.quarters_reported:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.report is None:
            return None
        col, field = index.column(), FIELDS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in MONEY_COLUMNS:
            return RIGHT
        line = self.line(index.row())
        if line is None:
            return self._total(col, field, role)
        q = QUARTER_COLUMNS.get(col)
        if q is not None:
            kind, pence = line.outturn.by_quarter[q]
            forecast = kind != "actual"
            if role == Qt.ItemDataRole.DisplayRole:
                if kind == "not_reported":
                    return "not reported"
                return money_cell(pence) + (" refund" if q in line.refunds else "")
            if role == Qt.ItemDataRole.EditRole:
                return money_edit_text(pence) if not forecast else ""
            if role == PENCE_ROLE:
                return pence
            if role == SIGNED_ROLE:
                return True
            if role == Qt.ItemDataRole.ForegroundRole and forecast:
                return QBrush(FORECAST_GREY)
            if role == Qt.ItemDataRole.FontRole and forecast:
                f = QFont()
                f.setItalic(True)
                return f
            if role == Qt.ItemDataRole.ToolTipRole:
                return {
                    "forecast": f"Forecast {money_cell(pence)}",
                    "not_reported": f"The quarter has ended but no actual is reported: forecast "
                    f"{money_cell(pence)} until it is (type the actual here)",
                }.get(kind, "Actual, as reported (type to change)")
            return None
        pence = {
            "budget": line.outturn.budget,
            "to_date": line.outturn.actual_to_date,
            "outturn": line.outturn.outturn,
            "variance": line.outturn.variance,
        }.get(field)
        if pence is not None:
            if role == Qt.ItemDataRole.DisplayRole:
                return _variance(pence) if field == "variance" else money_cell(pence)
            if role == PENCE_ROLE:
                return pence
            if role == Qt.ItemDataRole.FontRole and field == "variance" and self._beyond(pence):
                f = QFont()
                f.setBold(True)
                return f
            return None
        scheme = self.doc.plan.schemes[line.scheme_id]
        if field == "name":
            if role == Qt.ItemDataRole.DisplayRole:
                return scheme.name
            if role == Qt.ItemDataRole.ToolTipRole:
                lead = self.doc.plan.bodies.get(line.lead_body_id)
                return f"{scheme.name}\nLead: {lead.name if lead else 'none'}"
            return None
        if field == "line":
            if role == Qt.ItemDataRole.DisplayRole:
                return LINE_WORDS[line.shared]
            if role == Qt.ItemDataRole.EditRole:
                return line.shared
            if role == CHOICES_ROLE:
                return [(False, "Fixed"), (True, "Shared")]
            return None
        if field == "method":
            if role == Qt.ItemDataRole.DisplayRole:
                words = METHOD_WORDS[line.method]
                return f"{words}: {line.reason}" if line.method is Method.ENTERED else words
            if role == Qt.ItemDataRole.EditRole:
                return line.method
            if role == CHOICES_ROLE:
                return [(m, METHOD_WORDS[m]) for m in Method]
            if role == Qt.ItemDataRole.ToolTipRole and line.reason:
                return line.reason
            return None
        if field == "explanation":
            if role == Qt.ItemDataRole.DisplayRole:
                if not line.explanation and self._beyond(line.outturn.variance):
                    return "needs an explanation"  # said in words, not by the tint alone
                return line.explanation
            if role == Qt.ItemDataRole.EditRole:
                return line.explanation
            if role == Qt.ItemDataRole.ToolTipRole:
                return line.explanation or None
            if role == Qt.ItemDataRole.BackgroundRole:
                if self._beyond(line.outturn.variance) and not line.explanation:
                    return QBrush(QColor("#fdecea"))  # a variance the partners must be told of
        return None

    def _beyond(self, variance: int) -> bool:
        return abs(variance) > self.report.threshold

    def _total(self, col, field, role):
        report = self.report
        q = QUARTER_COLUMNS.get(col)
        if role == Qt.ItemDataRole.FontRole:
            f = QFont()
            f.setBold(True)
            # A quarter still to come is forecast in the total too: italic, as in its rows.
            f.setItalic(q is not None and q > report.quarters_reported)
            return f
        if role not in (Qt.ItemDataRole.DisplayRole, PENCE_ROLE):
            return None
        if q is not None:
            pence = report.quarter_total(q)[1]
        else:
            pence = {
                "budget": report.budget,
                "to_date": report.actual_to_date,
                "outturn": report.outturn,
                "variance": report.variance,
            }.get(field)
        if pence is None:
            return "Total" if field == "name" and role == Qt.ItemDataRole.DisplayRole else None
        if role == PENCE_ROLE:
            return pence
        return _variance(pence) if field == "variance" else money_cell(pence)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        line = self.line(index.row())
        field, year = FIELDS[index.column()], self.report.year
        sid = line.scheme_id
        if index.column() in QUARTER_COLUMNS:
            return self.type_into(index, value)
        if field == "line":
            shared = self.doc.plan.risk_share.shared
            now = shared | {sid} if value else shared - {sid}
            if now == shared:
                return True
            return self.run(lambda f: f.set_risk_share(shared=now))
        if field == "method":
            if value == line.method:
                return True
            return self.run(lambda f: f.update_scheme_year(sid, year, method=value))
        if field == "explanation":
            if (value or "") == line.explanation:
                return True
            return self.run(lambda f: f.update_scheme_year(sid, year, explanation=value or ""))
        return False

    def write_for(self, index, value):
        """An actual typed or pasted into a reported quarter. A negative one is a refund, and
        only one marked so: typed, it is asked about; pasted, it is refused."""
        key = self.rows[index.row()]
        q = QUARTER_COLUMNS.get(index.column())
        report = self.report
        if key == "total" or q is None or q > report.quarters_reported:
            raise LookupError(index)
        pence = money.parse_pasted("" if value is None else str(value), allow_negative=True)
        record = self.doc.plan.schemes[key].monitored.get(report.year)
        current = record.actuals.get(q) if record else None
        if pence == (current.amount_pence if current else None):
            return None
        refund = pence is not None and pence < 0
        if refund and not self.confirm_refund(
            f"{money.format(pence, brackets=True)} is negative. Record it as a refund "
            f"for {self.doc.plan.schemes[key].name} in Q{q}?"
        ):
            raise EditError(
                "An actual is negative only as a refund, marked so; the cell keeps its figure."
            )
        return lambda f: f.set_actual(key, report.year, q, pence, refund=refund)


def _variance(pence: int) -> str:
    """Over budget as a figure, under in brackets; on budget, a dash."""
    if pence == 0:
        return "–"
    return money.format(pence, brackets=True) + (" over" if pence > 0 else " under")
