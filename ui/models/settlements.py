"""The settlements table: each funding stream, and for every plan year whether it is confirmed or
indicative, and how much.

A year cell is edited as text: ``confirmed 10m``, ``c 10,000,000``, ``indicative``, ``i 2.5m``,
or empty to mark the year as not covered.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt

from planner import money
from planner import years as fy
from planner.errors import EditError
from planner.model import Certainty, SettlementYear
from planner.results import ON_TOP_WORDS, describe, on_top
from ui import style
from ui.models.base import CERTAINTY_ROLE, YearsTableModel, money_edit_text

FIXED = [
    ("body", "Body"),
    ("name", "Settlement"),
    ("announced", "Announced"),
    ("source_note", "Source"),
]
_STATUS = {
    "c": Certainty.CONFIRMED,
    "confirmed": Certainty.CONFIRMED,
    "i": Certainty.INDICATIVE,
    "indicative": Certainty.INDICATIVE,
}
_CELL = re.compile(r"^\s*(?P<status>[a-z]+)\b\s*(?P<amount>.*)$", re.IGNORECASE)


def parse_year_cell(text: str) -> SettlementYear | None:
    """``confirmed 10m`` -> SettlementYear(CONFIRMED, 1_000_000_000); empty -> None."""
    text = (text or "").strip()
    if not text or text in {"-", "none"}:
        return None
    # A cell copied from the grid carries its results part ("+ £11,400,000 on results"): the
    # part is the dialog's to change, so the words are read past, and the part kept.
    plus = text.rfind("+")
    if plus > 0 and text.endswith(ON_TOP_WORDS):
        text = text[:plus].strip()
    m = _CELL.match(text)
    status = _STATUS.get(m.group("status").lower()) if m else None
    if status is None:
        raise EditError(
            f"'{text}' is not a settlement year; type 'confirmed' or 'indicative' (or c / i), "
            f"optionally with the amount, e.g. 'confirmed 10m'. Leave it empty if not covered."
        )
    amount = m.group("amount").strip()
    return SettlementYear(status, money.parse_pasted(amount))


def parse_date(text: str) -> dt.date | None:
    """UK style ``31/12/2025`` (also ``31-12-2025``) or ISO ``2025-12-31``; empty: no date."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def year_cell_text(entry: SettlementYear | None) -> str:
    if entry is None:
        return ""
    word = style.WORD[entry.status]
    text = word if entry.amount_pence is None else f"{word} {money.format(entry.amount_pence)}"
    return text + on_top(entry.conditional)


class SettlementsModel(YearsTableModel):
    fixed = FIXED
    total = False

    shaped_by = frozenset({"body", "settlement"})

    def row_keys(self) -> list:
        # Grouped by body, in the bodies' order, so a body's streams sit together.
        index = self.doc.figures.index.settlements
        return [s.id for b in self.doc.plan.bodies for s in index.get(b, [])]

    def settlement_id(self, row: int) -> int:
        return self.rows[row]

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() > 0 and not self.doc.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        s = self.doc.plan.settlements[self.rows[index.row()]]
        year = self.year_of(index.column())
        if year is not None:
            entry = s.years.get(year)
            if role == Qt.ItemDataRole.DisplayRole:
                return year_cell_text(entry)
            if role == Qt.ItemDataRole.EditRole:
                if entry is None:
                    return ""
                amount = money_edit_text(entry.amount_pence)
                return f"{entry.status.value} {amount}".strip()
            if role == CERTAINTY_ROLE and entry:  # its tint and mark: the delegate paints them
                # A year that is all on results (£0 beside it) is tinted as what it is.
                if entry.at_stake_pence and not entry.sure_pence:
                    return Certainty.CONDITIONAL, 0.0
                return entry.status, 0.0
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = "Type 'confirmed 10m', 'indicative', or leave empty if not covered."
                if entry is not None and entry.conditional is not None:
                    return f"{describe(entry.conditional)}\n{tip}"
                return tip + " Money paid on results: the “Paid on results…” button."
            return None
        field = FIXED[index.column()][0]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if field == "body":
            return self.doc.plan.bodies[s.body_id].name
        if field == "announced":
            return s.announced.strftime("%d/%m/%Y") if s.announced else ""
        return getattr(s, field)

    def write_for(self, index, value):
        sid, year = self.rows[index.row()], self.year_of(index.column())
        if year is None:
            raise LookupError(index)
        entry = parse_year_cell(str(value or ""))
        current = self.doc.plan.settlements[sid].years.get(year)
        if entry is not None and current is not None and current.conditional is not None:
            # Typing the status and amount keeps the year's part paid on results: that is
            # changed in its own dialog, not lost to a retyped cell.
            entry.conditional = current.conditional
        if entry == current:
            return None
        return lambda f: f.set_settlement_year(sid, year, entry)

    # Asked when a year is added to a settlement whose body has money in that year on its "No
    # settlement" row: whether to move that money onto the settlement. Set by the window;
    # None: not asked (the money stays where it is).
    offer_move = None

    def _type_year(self, index, s, year: int, value) -> bool:
        """A settlement year typed in; a new one offers to take the body's unsettled money for
        that year, in the same edit (one undo step)."""
        try:
            write = self.write_for(index, value)
        except (ValueError, EditError) as e:
            self.refused.emit(str(e))
            return False
        if write is None:
            return True
        loose = self.doc.file.find_contribution(s.body_id, year, None)
        mine = self.doc.file.find_contribution(s.body_id, year, s.id)
        if (
            s.years.get(year) is None
            and loose is not None
            and self.offer_move is not None
            and self.offer_move(
                f"{self.doc.plan.bodies[s.body_id].name} has {money.format(loose.amount_pence)} "
                f"in {fy.label(year)} on its \u201cNo settlement\u201d row. Move it onto "
                f"{s.name}, so that this settlement funds it?"
            )
        ):
            moved = loose.amount_pence + (mine.amount_pence if mine else 0)
            body = s.body_id

            def write_and_move(f, write=write):
                write(f)
                f.set_contributions([(body, year, None, None), (body, year, s.id, moved)])

            return self.run(write_and_move, f"Add {fy.label(year)} to {s.name} and move its money")
        return self.run(write)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        sid = self.rows[index.row()]
        s = self.doc.plan.settlements[sid]
        year = self.year_of(index.column())
        try:
            if year is not None:
                return self._type_year(index, s, year, value)
            field = FIXED[index.column()][0]
            if field == "announced":
                value = parse_date(str(value))
            if getattr(s, field) == value:
                return True
            return self.run(lambda f: f.update_settlement(sid, **{field: value}))
        except ValueError as e:  # MoneyError, a bad date
            self.refused.emit(
                str(e)
                if isinstance(e, money.MoneyError)
                else f"'{value}' is not a date; type it as 31/12/2025 or 2025-12-31."
            )
            return False
        except EditError as e:
            self.refused.emit(str(e))
            return False
