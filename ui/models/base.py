"""What the plan's table models share: refusing bad input with a reason, and money cells."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from planner import money
from planner import years as fy
from planner.errors import PlannerError
from planner.store.schema import JOURNALED
from ui.document import Change, PlanDocument

CHOICES_ROLE = Qt.ItemDataRole.UserRole + 1  # list of (value, label) for a combo-box editor
# A money cell's exact amount in pence (None when empty), totals included: what Copy puts on
# the clipboard, where the screen shows whole pounds.
PENCE_ROLE = Qt.ItemDataRole.UserRole + 2
# How sure a cell's money is, for the mark that says so without colour: (certainty, the share
# of the amount beyond its settlement, as a fraction), or None for a cell with no money.
CERTAINTY_ROLE = Qt.ItemDataRole.UserRole + 3
# A money cell that takes a negative amount (an actual's refund).
SIGNED_ROLE = Qt.ItemDataRole.UserRole + 4
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class PlanTableModel(QAbstractTableModel):
    """A table over the open plan. After each edit the row layout is recomputed from the plan:
    if it is unchanged, cells are refreshed in place (keeping the user's selection); if rows came
    or went, the model resets."""

    refused = Signal(str)  # a user's input that was not accepted, and why
    # The parts of the plan whose rows coming or going can change this table's rows; an edit
    # that only changes values there leaves the rows as they are, and they are not re-derived
    # (on a large plan, listing every settlement after each keystroke was a frame's budget).
    shaped_by = JOURNALED

    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.rows: list = self.row_keys()
        self._columns = self.columnCount()
        doc.changed.connect(self._on_changed)

    def row_keys(self) -> list:
        """One key per row, derived from the plan."""
        raise NotImplementedError

    def changed_rows(self, change: Change) -> list[int] | None:
        """The rows ``change`` can have altered, when the model can tell; None for any row.
        Qt repaints only the rows named, which after a keystroke is most of the work saved."""
        return None

    def rows_stay(self, change: Change) -> bool:
        """Whether ``change`` left this table's rows as they were."""
        return not change.reshaped & self.shaped_by and "plan" not in change.tables

    def follow(self, change: Change) -> None:
        """After an edit that left the rows as they were: bring what the model keeps per row up
        to date (the models that keep nothing need do nothing)."""

    def _on_changed(self, change: Change) -> None:
        if self.rows_stay(change):
            self.follow(change)
            self._announce(change)
            return
        rows = self.row_keys()
        if rows == self.rows and self.columnCount() == self._columns:
            self._announce(change)
            return
        self.beginResetModel()
        self.rows = rows
        self._columns = self.columnCount()
        self.endResetModel()

    def _announce(self, change: Change) -> None:
        """Tell the views which rows ``change`` can have altered."""
        if not (self.rowCount() and self.columnCount()):
            return
        touched = self.changed_rows(change)
        last = self.columnCount() - 1
        if touched is None:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, last))
        # One signal per row: given a block of more than a few rows, even one scrolled out of
        # sight, Qt repaints the whole table.
        for row in touched or ():
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def run(self, action, name: str | None = None) -> bool:
        """Make the edit ``action(plan_file)`` (one undo step); a refusal becomes a ``refused``
        message."""
        if self.doc.read_only:
            self.refused.emit("This plan is open read-only; the change was not made.")
            return False
        try:
            self.doc.perform(action, name)
        except (PlannerError, ValueError) as e:
            self.refused.emit(str(e))
            return False
        return True

    def write_for(self, index: QModelIndex, value) -> Callable | None:
        """What putting ``value`` (text, as typed or pasted) into the cell ``index`` writes: a
        function of the plan file, or None if the cell already holds it. Raises ``ValueError``
        (a ``MoneyError``, an ``EditError``) saying why when the cell does not take ``value``,
        and ``LookupError`` when ``index`` is not a cell that figures are put into (a name, a
        total). Typing, pasting and clearing all go through it."""
        raise LookupError(index)

    def type_into(self, index: QModelIndex, value) -> bool:
        """``value`` typed into a figure's cell: refused with the reason, or written."""
        try:
            write = self.write_for(index, value)
        except (ValueError, PlannerError) as e:
            self.refused.emit(str(e))
            return False
        return True if write is None else self.run(write)

    @staticmethod
    def money_write(value, current: int | None, write) -> Callable | None:
        """The write of the amount ``value`` into a cell holding ``current`` pence, as
        ``write(plan_file, pence)``; None if unchanged. Raises MoneyError."""
        pence = money.parse_pasted("" if value is None else str(value))
        if pence == current:
            return None
        return lambda f: write(f, pence)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        raise NotImplementedError


class YearsTableModel(PlanTableModel):
    """A table whose columns are some fixed ones, one per plan year, then (with ``total``) a
    total."""

    fixed: list[tuple[str, str]] = []  # (field, column title)
    total = True

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.fixed) + self.doc.plan.years + (1 if self.total else 0)

    def year_of(self, column: int) -> int | None:
        i = column - len(self.fixed)
        years = self.doc.plan.year_range
        return years[i] if 0 <= i < len(years) else None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section < len(self.fixed):
                return self.fixed[section][1]
            year = self.year_of(section)
            return fy.label(year) if year is not None else "Total"
        return None


def money_cell(pence: int | None) -> str:
    return "" if pence is None else money.format(pence, brackets=True)


def money_edit_text(pence: int | None) -> str:
    """How an amount appears when a cell is opened for editing: exact, no currency sign."""
    if pence is None:
        return ""
    pounds, p = divmod(pence, 100)
    return f"{pounds:,}" if not p else f"{pounds:,}.{p:02d}"


def percent_bp(text: str, what: str = "share", most_bp: int = 10_000, least_bp: int = 0) -> int:
    """``25%``, ``25`` or ``12.5`` as basis points, exactly (to two decimal places: a share
    is never rounded unsaid), from ``least_bp`` to ``most_bp``; ``EditError`` in words
    otherwise. A minus sign may be typed as a hyphen or pasted as the sign itself."""
    from decimal import Decimal, InvalidOperation

    from planner.errors import EditError

    cleaned = str(text).strip().removesuffix("%").strip().replace("\u2212", "-") or "0"
    try:
        share = Decimal(cleaned)
        exact = share.is_finite() and (share * 100) == (share * 100).to_integral_value()
    except InvalidOperation:
        exact = False
    if not exact:
        raise EditError(
            f"\u2018{text}\u2019 is not a percentage to two decimal places; type it as 25%."
        )
    if not least_bp <= share * 100 <= most_bp:
        raise EditError(f"The {what} is between {least_bp / 100:g}% and {most_bp / 100:g}%.")
    return int(share * 100)
