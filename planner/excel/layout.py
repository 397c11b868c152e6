"""Where each table sits in the workbook. The sheets' formulas refer to each other through these,
so a change of layout is made in one place."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from planner.model import Plan
from planner.plan_sensitivity import has_appraisal

SHEET_TITLES = [
    "Cover",
    "Summary",
    "Commitments",
    "Contributions",
    "Timeline",
    "Benefits",
    "Sensitivity",  # only for a plan with something to appraise (sheet_titles)
    "Schemes",
    "Findings",
    "Sign-off",
]
HEADER_ROW = 4


def sheet_titles(plan: Plan, sensitivity: bool = True) -> list[str]:
    """The sheets of ``plan``'s workbook, in order: a plan with nothing to appraise (or a
    workbook from before there was one) has no Sensitivity sheet, so its workbook is as it
    was before there was one."""
    return [t for t in SHEET_TITLES if t != "Sensitivity" or (sensitivity and has_appraisal(plan))]


FIRST_ROW = 5  # first data row on every table sheet


@functools.cache  # a formula names its columns many times over; there are few of them
def col(n: int) -> str:
    """Column ``n`` (from 1) as a spreadsheet names it: 1 is A, 27 is AA."""
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def quoted_sheet(title: str) -> str:
    """A sheet's name as a formula or a reference writes it: ``Summary``, but ``'Sign-off'``
    (a name that is not one word is quoted)."""
    return title if title.isalnum() else "'" + title.replace("'", "''") + "'"


def ref(sheet: str, column: int, row: int) -> str:
    """A cell as a spreadsheet writes it, so it can be typed into Excel's Name Box or Go To:
    ``Contributions!D5``, ``'Sign-off'!D5``."""
    return f"{quoted_sheet(sheet)}!{col(column)}{row}"


@dataclass
class ContributionsLayout:
    """Bodies' funding streams down, years across; parallel blocks to the right hold each
    amount's certainty as a word, any part of it beyond its settlement and (in a plan with
    money paid on results) the part resting on results, which the Summary's SUMIF formulas
    read."""

    streams: list[tuple[int, int | None]]  # (body id, settlement id or None)
    years: list[int]
    results: bool = False  # a block for the parts resting on results

    FIRST_YEAR_COL = 3  # A body, B funded by

    @property
    def last_row(self) -> int:
        return FIRST_ROW + max(len(self.streams), 1) - 1

    @property
    def total_row(self) -> int:
        return self.last_row + 2  # a blank row, then the totals

    def amount_col(self, i: int) -> int:
        return self.FIRST_YEAR_COL + i

    @property
    def total_col(self) -> int:
        return self.FIRST_YEAR_COL + len(self.years)

    def certainty_col(self, i: int) -> int:
        return self.total_col + 2 + i

    def beyond_col(self, i: int) -> int:
        """Third block: the part of each amount beyond its settlement's amount for the year,
        which counts as unfunded however sure the settlement is."""
        return self.certainty_col(len(self.years) - 1) + 2 + i

    def results_col(self, i: int) -> int:
        """Fourth block, with ``results`` only: the part of each amount that rests on results
        not yet known, which is conditional however sure the settlement is."""
        return self.beyond_col(len(self.years) - 1) + 2 + i

    @property
    def last_col(self) -> int:
        n = len(self.years) - 1
        return self.results_col(n) if self.results else self.beyond_col(n)

    def spans(self, i: int, top: int = FIRST_ROW, bottom: int | None = None, sheet: str = ""):
        """Year ``i``'s ranges of amounts, certainty words, parts beyond and (with
        ``results``) parts on results, from row ``top`` to ``bottom``."""
        bottom = self.last_row if bottom is None else bottom
        prefix = f"{sheet}!" if sheet else ""
        blocks = [self.amount_col(i), self.certainty_col(i), self.beyond_col(i)]
        if self.results:
            blocks.append(self.results_col(i))
        return [f"{prefix}${col(c)}${top}:${col(c)}${bottom}" for c in blocks]

    def beyond(self, i: int) -> str:
        c = col(self.beyond_col(i))
        return f"Contributions!${c}${FIRST_ROW}:${c}${self.last_row}"

    def amounts(self, i: int) -> str:
        c = col(self.amount_col(i))
        return f"Contributions!${c}${FIRST_ROW}:${c}${self.last_row}"

    def certainties(self, i: int) -> str:
        c = col(self.certainty_col(i))
        return f"Contributions!${c}${FIRST_ROW}:${c}${self.last_row}"


@dataclass
class BenefitsPlaces:
    """Where the Benefits sheet put the figures later sheets refer to, as it wrote them (its
    tables' rows follow from the plan's bodies, lines and gain-share rule). Rows from 1."""

    first_year_col: int  # the years run across from here
    years: int
    factor_row: int  # the discount factors (also named Discount_Factors)
    cost_rows: dict[int, int]  # body id -> its row of costs by year
    benefit_rows: dict[int, int]  # body id -> its row of benefits after optimism bias by year
    line_rows: dict[int, int]  # benefit line id -> its row net of the adjustments and bias
    whole_plan_row: int  # "Whole plan": costs today (F), benefits today (G), NPV (H)

    NPV_COL = "H"

    def year_col(self, i: int) -> str:
        return col(self.first_year_col + i)

    def years_of(self, row: int) -> str:
        """Row ``row``'s years, as another sheet refers to them: ``Benefits!$F$12:$J$12``."""
        last = self.year_col(self.years - 1)
        return f"Benefits!${self.year_col(0)}${row}:${last}${row}"

    @property
    def npv(self) -> str:
        return f"Benefits!${self.NPV_COL}${self.whole_plan_row}"


@dataclass
class SchemesLayout:
    count: int
    years: list[int]

    FIRST_YEAR_COL = 4  # A scheme, B lead body, C provider

    @property
    def last_row(self) -> int:
        return FIRST_ROW + max(self.count, 1) - 1

    @property
    def total_row(self) -> int:
        return self.last_row + 2

    def year_col(self, i: int) -> int:
        return self.FIRST_YEAR_COL + i

    @property
    def total_col(self) -> int:
        return self.FIRST_YEAR_COL + len(self.years)


@dataclass
class SummaryLayout:
    years: list[int]
    results: bool = False  # a Conditional column, in a plan with money paid on results

    @property
    def columns(self) -> tuple[str, ...]:
        certainties = ("Confirmed", "Conditional") if self.results else ("Confirmed",)
        return ("Year", *certainties, "Indicative", "Unfunded", "Contributions", "Spending",
                "Balance", "Running balance", "Confirmed share", "At risk")  # fmt: skip

    def letter(self, column: str) -> str:
        """The column headed ``column``, as a formula names it."""
        return col(self.columns.index(column) + 1)

    def row(self, i: int) -> int:
        return FIRST_ROW + i

    @property
    def total_row(self) -> int:
        return FIRST_ROW + len(self.years)


class SignOffLayout:
    """The Sign-off sheet: a row per body, in the bodies' order. What the body approves comes
    before the cells its signatory fills in (1-based columns)."""

    COLUMNS = ("Body", "What this decision approves", "Signatory", "Title", "Decision", "Date",
               "Comments")  # fmt: skip
    STATEMENT, SIGNATORY, TITLE, DECISION, DATE, COMMENTS = range(2, 8)
    WIDTH = len(COLUMNS)


def streams_of(plan: Plan) -> list[tuple[int, int | None]]:
    """One row per body and funding stream that carries money, in the bodies' order; a body with
    no contribution still gets a row so that every partner appears."""
    by_body: dict[int, set] = {b: set() for b in plan.bodies}
    for c in plan.contributions.values():
        if c.body_id in by_body and c.year in plan.year_range:
            by_body[c.body_id].add(c.settlement_id)
    rows = []
    for b, sids in by_body.items():
        for sid in sorted(sids or {None}, key=lambda s: (s is None, s or 0)):
            rows.append((b, sid))
    return rows


def most_columns(plan: Plan) -> int:
    """More columns than any sheet of this plan's workbook has (the widest is Contributions:
    three or four blocks of years, and a few more). A cell beyond is refused before it is
    parsed."""
    return 20 + (4 if plan.on_results() else 3) * plan.years


def most_rows(plan: Plan) -> int:
    """More rows than any sheet of this plan's workbook holds (the longest are the benefit lines,
    the funding streams and the findings, which are at most a few per body and year). A returned
    sheet longer than this was not made by the export; it is refused before it is parsed."""
    items = len(plan.contributions) + len(plan.settlements) + len(plan.schemes)
    items += len(plan.benefits) + len(plan.costs)
    return 1_000 + 4 * (items + len(plan.bodies) * plan.years)
