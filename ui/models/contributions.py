"""The contributions grid: one row per body and funding stream, years across, with totals.

Each cell's background says how sure the money is; the summary rows under the grid show the
pool's total, its confirmed part and the amount at risk, all from ``planner.figures``.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from planner import money
from planner import years as fy
from planner.figures import beyond_settlement, certainty_of
from planner.model import Certainty, Contribution
from ui import style
from ui.document import Change
from ui.models.base import (
    CERTAINTY_ROLE,
    CHOICES_ROLE,
    PENCE_ROLE,
    RIGHT,
    YearsTableModel,
    money_cell,
    money_edit_text,
)

SUMMARY_ROWS = (("total", "Total"), ("confirmed", "of which confirmed"), ("at_risk", "At risk"))
FIXED = [("body", "Body"), ("settlement", "Funded by")]


class ContributionsModel(YearsTableModel):
    fixed = FIXED
    shaped_by = frozenset({"body", "settlement", "contribution"})

    def row_keys(self) -> list:
        plan = self.doc.plan
        self._years = list(plan.year_range)
        self._year_pos = {y: i for i, y in enumerate(self._years)}
        # Per body: its cells, its row totals and its funding streams. The analysis hands out a
        # new contributions list only for bodies an edit touched, so the rest are reused.
        cache = getattr(self, "_per_body", {})
        self._per_body: dict[int, tuple] = {}
        self._first_row: dict[int, int] = {}  # each body's first row
        rows: list = []
        for b in plan.bodies:
            entry = self._entry(b, cache.get(b))
            self._per_body[b] = entry
            self._first_row[b] = len(rows)
            rows.extend(entry[5])
        rows.extend(("summary", key) for key, _ in SUMMARY_ROWS)
        return rows

    def _entry(self, b: int, entry: tuple | None) -> tuple:
        index = self.doc.figures.index
        contributions = index.contributions.get(b, [])
        settlements = index.settlements.get(b, [])
        if entry is not None and entry[0] is contributions and entry[1] is settlements:
            return entry
        cells = {(c.year, c.settlement_id): c for c in contributions if c.year in self._year_pos}
        totals: dict[int | None, int] = {}
        for (_, sid), c in cells.items():
            totals[sid] = totals.get(sid, 0) + c.amount_pence
        # A body with no contribution yet still gets a row, on its first settlement.
        streams = sorted(
            totals or {settlements[0].id if settlements else None},
            key=lambda sid: (sid is None, sid or 0),
        )
        keys = [("stream", b, sid) for sid in streams]
        return (contributions, settlements, cells, totals, streams, keys)

    def rows_stay(self, change: Change) -> bool:
        if "plan" in change.tables or change.reshaped & {"body", "settlement"}:
            return False
        # The edited bodies' cells and totals, made once: ``follow`` keeps them if rows stay.
        self._fresh = {
            b: self._entry(b, self._per_body[b]) for b in change.body_ids if b in self._per_body
        }
        if len(self._fresh) != len(change.body_ids):
            return False
        # Cells filled or emptied leave the rows unless an edited body's streams changed.
        return all(entry[5] == self._per_body[b][5] for b, entry in self._fresh.items())

    def follow(self, change: Change) -> None:
        self._per_body.update(self._fresh)

    def changed_rows(self, change: Change) -> list[int] | None:
        # A body's contributions, settlements and name show only in its own rows (and in the
        # totals beneath).
        if not change.body_ids or not change.tables <= {"contributions", "settlements", "bodies"}:
            return None
        rows = []
        for b in change.body_ids:
            if b in self._first_row:
                first = self._first_row[b]
                rows.extend(range(first, first + len(self._per_body[b][5])))
        summary = len(self.rows) - len(SUMMARY_ROWS)
        return sorted(rows) + list(range(summary, len(self.rows)))

    def _cell(self, body_id: int, year: int, sid: int | None) -> Contribution | None:
        return self._per_body[body_id][2].get((year, sid))

    @property
    def years(self) -> list[int]:
        return self._years

    def year_of(self, column: int) -> int | None:
        # From the years kept with the rows: this is asked for every cell painted.
        i = column - len(FIXED)
        return self._years[i] if 0 <= i < len(self._years) else None

    def index_for(self, body_id: int, year: int | None = None) -> QModelIndex:
        """The grid cell of a body's money in ``year``: the row that holds money that year, or
        the body's first row (its name, if no year is given)."""
        if body_id not in self._first_row:
            return QModelIndex()
        first = self._first_row[body_id]
        rows = list(range(first, first + len(self._per_body[body_id][5])))
        if not rows:
            return QModelIndex()
        if year not in self._year_pos:
            return self.index(rows[0], 0)
        holding = [r for r in rows if self._cell(body_id, year, self.rows[r][2]) is not None]
        return self.index((holding or rows)[0], len(FIXED) + self._year_pos[year])

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
            return int(Qt.AlignmentFlag.AlignCenter)
        return super().headerData(section, orientation, role)

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        key = self.rows[index.row()]
        editable = self.year_of(index.column()) is not None or index.column() == 1
        if key[0] == "stream" and editable and not self.doc.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = self.rows[index.row()]
        col = index.column()
        year = self.year_of(col)
        if key[0] == "summary":
            return self._summary(key[1], col, year, role)
        _, body_id, sid = key
        plan = self.doc.plan
        if col == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return plan.bodies[body_id].name
            return None
        if col == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return plan.settlements[sid].name if sid is not None else "No settlement"
            if role == Qt.ItemDataRole.EditRole:
                return sid
            if role == CHOICES_ROLE:
                own = self.doc.figures.index.settlements.get(body_id, [])
                return [(s.id, s.name) for s in own] + [(None, "No settlement")]
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    "The settlement that funds this row. Choose another to move the row's "
                    "money to it (added to any it already has)."
                )
            return None
        if year is None:  # row total
            if role == Qt.ItemDataRole.DisplayRole:
                return money_cell(self._per_body[body_id][3].get(sid, 0))
            if role == PENCE_ROLE:
                return self._per_body[body_id][3].get(sid, 0)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT
            return None
        c = self._cell(body_id, year, sid)
        if role == Qt.ItemDataRole.DisplayRole:
            return money_cell(c.amount_pence) if c else ""
        if role == Qt.ItemDataRole.EditRole:
            return money_edit_text(c.amount_pence) if c else ""
        if role == PENCE_ROLE:
            return c.amount_pence if c else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        # The cell's tint and mark are the delegate's to paint, from CERTAINTY_ROLE (a paint asks
        # a cell for a dozen roles: the certainty is worked out for the two that need it).
        if c is None or role not in (CERTAINTY_ROLE, Qt.ItemDataRole.ToolTipRole):
            return None
        certainty = certainty_of(plan, c)
        excess = beyond_settlement(plan, c)
        if role == CERTAINTY_ROLE:
            return certainty, (excess / c.amount_pence if c.amount_pence else 0.0)
        return self._explain(c, certainty, excess)

    def _explain(self, c: Contribution, certainty: Certainty, excess: int) -> str:
        plan = self.doc.plan
        year = fy.label(c.year)
        if c.settlement_id is None:
            why = "No settlement is linked to this money."
        elif certainty is Certainty.UNFUNDED:
            why = f"{plan.settlements[c.settlement_id].name} does not cover {year}."
        else:
            why = f"{plan.settlements[c.settlement_id].name} is {certainty.value} for {year}."
        text = f"{style.WORD[certainty]}. {why}"
        if excess:
            text += (
                f"\n{money.format(excess)} of it is more than the settlement provides for "
                f"{year}, so that part is unfunded."
            )
        if certainty is not Certainty.CONFIRMED or excess:
            horizon = self.doc.figures.bodies[c.body_id].confirmed_until
            until = (
                f"confirmed to {fy.label(horizon)}"
                if horizon
                else "not fully confirmed in any year"
            )
            text += f"\nAt risk: {plan.bodies[c.body_id].name}'s funding is {until}."
        return text

    def _summary(self, which: str, col: int, year: int | None, role):
        if role == Qt.ItemDataRole.FontRole:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= len(FIXED):
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and which == "at_risk":
            return style.AT_RISK
        if role not in (Qt.ItemDataRole.DisplayRole, PENCE_ROLE):
            return None
        if col == 0:
            return dict(SUMMARY_ROWS)[which] if role == Qt.ItemDataRole.DisplayRole else None
        if col == 1:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        figures = self.doc.figures
        years = [year] if year is not None else list(self.years)
        pick = {
            "total": lambda y: figures.years[y].contributions.total,
            "confirmed": lambda y: figures.years[y].contributions.confirmed,
            "at_risk": lambda y: figures.years[y].at_risk,
        }[which]
        pence = sum(pick(y) for y in years)
        return pence if role == PENCE_ROLE else money_cell(pence)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        _, body_id, sid = self.rows[index.row()]
        if index.column() == 1:
            if value == sid:
                return True
            return self.run(lambda f: f.move_stream(body_id, sid, value))
        return self.type_into(index, value)

    def write_for(self, index, value):
        key = self.rows[index.row()]
        year = self.year_of(index.column())
        if key[0] != "stream" or year is None:
            raise LookupError(index)
        _, body_id, sid = key
        current = self._cell(body_id, year, sid)
        return self.money_write(
            value,
            current.amount_pence if current else None,
            lambda f, pence: f.set_contribution(body_id, year, pence, settlement_id=sid),
        )
