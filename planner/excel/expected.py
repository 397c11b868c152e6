"""The workbook an export wrote, as cells, without writing a file: what a return is compared
with. The same sheet builders run as for the export, into sheets that keep each cell (by row and
column, from 1) instead of handing it to XlsxWriter."""

from __future__ import annotations

from planner.excel.book import Sheet
from planner.excel.cells import Cell
from planner.model import Plan


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

    def _start(self, freeze: str | None) -> None:
        self.cells = {}

    def _set_height(self, row: int, points: float) -> None:
        pass

    def _put_merged(self, r: int, first: int, last: int, cell: Cell) -> None:
        self.cells[(r + 1, first)] = cell

    def _put_row(self, r: int, cells) -> None:
        for c, cell in enumerate(cells, start=1):
            if cell is not None:
                self.cells[(r + 1, c)] = cell

    def validate(self, area, rule) -> None:
        pass

    def finish(self, **print_setup) -> None:
        pass

    def certainty_chart(self, *chart) -> None:
        pass


def expected_cells(plan: Plan, fingerprint: str) -> dict[str, ExpectedSheet]:
    """Each sheet's cells as the export writes them for ``plan`` (with ``fingerprint``)."""
    from planner.excel.export import STEPS, context

    book = ExpectedBook()
    ctx = context(plan, fingerprint)
    for _title, build in STEPS:
        build(book, ctx)
    return book.sheets
