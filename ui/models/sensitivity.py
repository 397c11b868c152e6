"""The switching values table (read-only): for each input, the least fall and the least rise
that switches the chosen result, as a percentage of the input and in pounds, most sensitive
first; where a direction has none, the engine's reason in words across its two cells."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from planner.model import Plan
from planner.sensitivity import Change, InputKind, SwitchingValue
from ui.models.base import PENCE_ROLE, RIGHT, money_cell

COLUMNS = ["Input", "Fall", "in £", "Rise", "in £"]
FALL, FALL_MONEY, RISE, RISE_MONEY = 1, 2, 3, 4
NONE_SHOWN = "none"  # a direction with no switching value and (never yet) no reason


def smallest_change(value: SwitchingValue) -> Fraction | None:
    """The size of the least change, either way, that switches ``value``: a fraction of the
    input (or of the discount rate). None when nothing switches it, or when its only change is
    of a 0% rate, which has no fraction."""
    ratios = [abs(c.ratio) for c in (value.down, value.up) if c is not None and c.ratio is not None]
    return min(ratios, default=None)


def most_sensitive_first(values: list[SwitchingValue]) -> list[SwitchingValue]:
    """The board's question is how wrong an input can be before the answer changes, so the
    input that a smaller change switches comes first (the Green Book reads switching values
    this way); inputs that switch only from a 0% rate come next, then those nothing switches.
    Ties keep the engine's order: benefit lines, cost lines, bodies' benefits, all costs, rate."""

    def key(v: SwitchingValue):
        size = smallest_change(v)
        if size is not None:
            return (0, size)
        return (1, 0) if v.down or v.up else (2, 0)

    return sorted(values, key=key)


def switch_verb(now: int, is_plan: bool) -> str:
    """What switching a result standing at ``now`` pence does, in words: the plan's NPV
    reaching zero (``planner.sensitivity``'s test), a body's position after gain-share
    turning to a loss or leaving one."""
    if is_plan:
        return f"{'falls to' if now > 0 else 'rises to' if now < 0 else 'leaves'} zero"
    return "turns to a loss" if now >= 0 else "breaks even"


def percent_text(ratio: Fraction | None) -> str:
    """A change as a signed percentage: one decimal, two significant figures below 1%, none
    from 1,000% up (a line that must rise elevenfold is not read to the decimal)."""
    if ratio is None:
        return ""
    p = float(ratio * 100)
    if p == 0:
        return "0%"
    size = abs(p)
    if size >= 999.95:  # what one decimal would show as 1000.0
        body = f"{size:,.0f}"
    elif size >= 1:
        body = f"{size:.1f}".removesuffix(".0")
    else:
        body = f"{size:.2g}"
    return f"{'+' if p > 0 else '-'}{body}%"


def rate_text(rate_bp: Fraction) -> str:
    return f"{float(rate_bp) / 100:.2f}".rstrip("0").rstrip(".") + "%"


def distinct_labels(plan: Plan, values: list[SwitchingValue]) -> list[str]:
    """The engine's labels, with two benefit lines of one scheme and body told apart: by cash
    or not where that does (as the Greater Manchester sample has them), else by line number."""

    def cash(v: SwitchingValue) -> str | None:
        line = plan.benefits.get(v.line_id) if v.input_kind is InputKind.BENEFIT_LINE else None
        return None if line is None else ("cash" if line.cashable else "not cash")

    same = Counter(v.label for v in values)
    same_cash = Counter((v.label, cash(v)) for v in values)
    out = []
    for v in values:
        label, word = v.label, cash(v)
        if same[label] > 1 and word is not None:
            label += f" ({word})" if same_cash[label, word] == 1 else f" (line {v.line_id})"
        out.append(label)
    return out


class SwitchingValuesModel(QAbstractTableModel):
    """The engine's switching values for one target, as ``set_values`` is given them."""

    # The table is read-only; PlanTable (for Copy) reports a refused paste or delete here.
    refused = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.values: list[SwitchingValue] = []
        self.labels: list[str] = []
        self.result = ""  # the result tested, in words: "the plan's NPV"
        self.now = 0  # where it stands (pence)
        self.verb = ""  # what switching it is: "falls to zero"

    def set_values(
        self, plan: Plan, values: list[SwitchingValue], result: str = "", is_plan: bool = True
    ) -> None:
        """Show ``values``, all of one target (named ``result`` in words), most sensitive
        first."""
        self.beginResetModel()
        self.values = most_sensitive_first(values)
        self.labels = distinct_labels(plan, self.values)
        self.result = result
        self.now = values[0].now if values else 0
        self.verb = switch_verb(self.now, is_plan)
        self.endResetModel()

    def value(self, row: int) -> SwitchingValue:
        return self.values[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.values)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
                return _HEADER_TIPS.get(section)
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return str(section + 1)  # the rank, which the tornado's bars carry too

    def spans(self, row: int) -> list[tuple[int, int]]:
        """The cells of ``row`` that hold a reason, as (first column, columns): a direction
        with no switching value gives its two cells to the engine's reason, which then says
        why that direction has none (both directions missing: all four, for a reason that
        covers both)."""
        v = self.values[row]
        if v.down is None and v.up is None:
            return [(FALL, 4)]
        return [(c, 2) for c, change in ((FALL, v.down), (RISE, v.up)) if change is None]

    def is_reason(self, index: QModelIndex) -> bool:
        return any(c == index.column() for c, _n in self.spans(index.row()))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        v = self.values[index.row()]
        c = index.column()
        if c == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.labels[index.row()]
            return None
        if self.is_reason(index):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return v.reason or NONE_SHOWN
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#555555")
            return None
        change = v.down if c in (FALL, FALL_MONEY) else v.up
        if change is None:  # a cell under a reason's span
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        if role == PENCE_ROLE:
            return change.pence if c in (FALL_MONEY, RISE_MONEY) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tip(v, change)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if c in (FALL, RISE):
            return percent_text(change.ratio) if change.ratio is not None else "from 0%"
        if v.input_kind is InputKind.DISCOUNT_RATE:
            return f"a flat {rate_text(change.rate_bp)}"
        return money_cell(change.pence)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # PlanTable asks these of its model: nothing here is typed into.
    def write_for(self, index, value):
        raise LookupError(index)

    def run(self, action, name=None) -> bool:
        return False


_HEADER_TIPS = {
    0: "Each input on its own, the rest as planned; the most sensitive first.",
    FALL: "The least fall, as a share of the input, that switches the result "
    "(the discount rate: as a share of the rate).",
    FALL_MONEY: "That fall in pounds: the change in the input's total over the plan's years "
    "(the discount rate: the flat rate it takes).",
    RISE: "The least rise, as a share of the input, that switches the result.",
    RISE_MONEY: "That rise in pounds, over the plan's years.",
}


def _tip(v: SwitchingValue, change: Change) -> str:
    """A switching point in full: the change, and the result re-appraised there."""
    there = money_cell(change.value)
    if v.input_kind is InputKind.DISCOUNT_RATE:
        return (
            f"One flat discount rate of {rate_text(change.rate_bp)} in place of the plan's "
            f"schedule ({float(change.change_bp) / 100:+.2f} points from its first year's "
            f"rate); the result there is {there}."
        )
    return f"A change of {money_cell(change.pence)} in the input; the result there is {there}."
