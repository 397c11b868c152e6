"""The workbook an export wrote, as cells, without writing a file: what a return is compared
with. The same sheet builders run as for the export, into sheets that keep each cell (by row and
column, from 1) instead of handing it to XlsxWriter."""

from __future__ import annotations

import datetime as dt

from planner.excel.book import Sheet
from planner.excel.cells import Cell
from planner.excel.layout import col
from planner.model import Plan

_EPOCH = dt.date(1899, 12, 30)  # day 0 of a spreadsheet's dates


class ExpectedBook:
    """A ``planner.excel.book.Book`` that keeps its sheets' cells."""

    def __init__(self):
        self.sheets: dict[str, ExpectedSheet] = {}

    def sheet(self, title: str, widths: dict[int, float], freeze: str | None = None, **layout):
        sheet = ExpectedSheet(
            self,
            title,
            widths,
            freeze,
            layout.get("printed"),
            layout.get("repeat_rows"),
            layout.get("repeat_columns", 0),
        )
        self.sheets[title] = sheet
        return sheet

    def name(self, name: str, ref: str) -> None:
        pass

    def conditional(self, ws, area: str, equals: str, style: str) -> None:
        pass


class ExpectedSheet(Sheet):
    cells: dict[tuple[int, int], Cell]
    validations: set[tuple[str, str, str, str]]  # as container.validations_of reads them

    def _start(self, freeze: str | None) -> None:
        self.cells = {}
        self.validations = set()
        self.merges: set[str] = set()

    def _set_height(self, row: int, points: float) -> None:
        pass

    def _put_merged(self, r: int, first: int, last: int, cell: Cell) -> None:
        self.cells[(r + 1, first)] = cell
        self.merges.add(f"{col(first)}{r + 1}:{col(last)}{r + 1}")

    def _put_row(self, r: int, cells) -> None:
        for c, cell in enumerate(cells, start=1):
            if cell is not None:
                self.cells[(r + 1, c)] = cell

    def validate(self, area, rule) -> None:
        r1, c1, r2, c2 = area
        # As a file holds it: one cell is "C5", a range "C5:C9".
        cells = f"{col(c1)}{r1}" + ("" if (r1, c1) == (r2, c2) else f":{col(c2)}{r2}")
        if rule["validate"] == "list":
            self.validations.add(("list", cells, '"' + ",".join(rule["source"]) + '"', ""))
        else:  # dates, between two days, as the file holds them: serial day numbers
            first, last = (str((rule[k] - _EPOCH).days) for k in ("minimum", "maximum"))
            self.validations.add((rule["validate"], cells, first, last))

    def finish(self, **print_setup) -> None:
        pass

    def certainty_chart(self, *chart) -> None:
        pass


def expected_cells(
    plan: Plan, fingerprint: str, with_sensitivity: bool = True
) -> dict[str, ExpectedSheet]:
    """Each sheet's cells as the export writes them for ``plan`` (with ``fingerprint``);
    without ``with_sensitivity``, as an export made before there was a Sensitivity sheet
    wrote them."""
    from planner.excel.export import STEPS, context

    book = ExpectedBook()
    ctx = context(plan, fingerprint)
    ctx.with_sensitivity = with_sensitivity
    for _title, build in STEPS:
        build(book, ctx)
    return book.sheets
