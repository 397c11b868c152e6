"""Writing the workbook with XlsxWriter, in constant-memory mode: each row goes to disk as the
next one starts, so memory stays flat however large the plan.

XlsxWriter, not openpyxl, because it stores each formula's result beside the formula (openpyxl
cannot), so every reader sees the figures without recalculating, and it writes a large plan in
a third of the time. openpyxl stays for reading returns.

The sheet builders describe rows of ``planner.excel.cells.Cell``; this module is the only one
that knows the library.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable

from planner.excel.cells import BLANK, FORMULA, LINK, NUMBER, SAID, STYLES, TEXT, Cell
from planner.model import Certainty


class Book:
    def __init__(self, path, properties: dict[str, str], scratch: str):
        import xlsxwriter

        # Every cell is written by a typed method, so no string is ever taken for a number or
        # a formula; the options below only say so twice.
        self.wb = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "tmpdir": scratch,  # where each sheet's rows wait until the file is put together
            },
        )
        self.wb.set_properties(properties)
        # On opening, Excel and LibreOffice recompute every formula (XlsxWriter asks for a full
        # calculation on load); the stored results are for readers that do not.
        self.formats = {name: self.wb.add_format(props) for name, props in STYLES.items()}

    def sheet(
        self,
        title: str,
        widths: dict[int, float],
        freeze: str | None = None,
        *,
        printed: int | None = None,
        repeat_rows: tuple[int, int] | None = None,
        repeat_columns: int = 0,
    ) -> Sheet:
        """A sheet with its column ``widths`` (characters, by 1-based column). On paper: the
        columns up to ``printed`` (all of them by default), ``repeat_rows`` (first, last) at the
        top of every page and the first ``repeat_columns`` columns at the left."""
        return Sheet(self, title, widths, freeze, printed, repeat_rows, repeat_columns)

    def name(self, name: str, ref: str) -> None:
        """A defined name (``Summary_Table``) for a range, so a reader can go straight to it."""
        self.wb.define_name(name, f"={ref}")

    def conditional(self, ws: Sheet, area: str, equals: str, style: str) -> None:
        """Cells in ``area`` (``C5:C9``) take ``style`` while they hold ``equals``."""
        ws.ws.conditional_format(
            area,
            {
                "type": "cell",
                "criteria": "==",
                "value": '"' + equals.replace('"', '""') + '"',
                "format": self.formats[style],
            },
        )

    def close(self) -> None:
        self.wb.close()


# The printed page: A4 landscape inside the margins every sheet has (planner.excel.sheets'
# _finish: half an inch left and right, three quarters top and bottom), in the pixels (at 96
# dpi) column widths are measured in and the points row heights are.
PAGE_WIDTH_PX = (841.9 - 2 * 36) / 0.75
PAGE_HEIGHT_PT = 595.3 - 2 * 54
# No type on paper below 8 pt: the sheets' smallest is 11 pt, so a sheet too wide for the page
# at that scale goes on across pages (its labels repeated) rather than shrinking further.
SMALLEST_TYPE_PT, LEAST_PRINTED_PT = 11, 8
LEAST_SCALE = math.ceil(100 * LEAST_PRINTED_PT / SMALLEST_TYPE_PT)
ROW_PT = 15  # a row's height unless set
TITLE_PT = 21  # row 1, the 16 pt title


def column_px(width: float) -> float:
    """A column ``width`` characters wide, in pixels, as printed. Excel gives 11 pt Calibri
    seven pixels a character and five of padding; LibreOffice prints the same column wider
    (a Cover of 129 characters took two pages at 100%), so the page is planned by the wider."""
    return 8.2 * width + 5


class Sheet:
    """One worksheet written row by row, top to bottom (``append``): constant-memory mode
    writes a row when the next begins, so a row's height is set before it is written.

    It follows where the printed pages break, so that a table can start on a new page rather
    than split (``keep_together``)."""

    def __init__(
        self,
        book: Book,
        title: str,
        widths: dict[int, float],
        freeze: str | None,
        printed: int | None,
        repeat_rows: tuple[int, int] | None,
        repeat_columns: int,
    ):
        self.book, self.title, self.widths = book, title, widths
        self.rows = 0  # rows written so far; the next is row rows + 1 (1-based, as Excel says)
        self._start(freeze)
        self.printed = printed or max(widths)
        self.repeat_rows, self.repeat_columns = repeat_rows, repeat_columns
        wide = sum(column_px(w) for n, w in widths.items() if n <= self.printed)
        self.scale = (
            100
            if wide <= PAGE_WIDTH_PX
            else max(LEAST_SCALE, math.floor(100 * PAGE_WIDTH_PX / wide))
        )
        self._heights: dict[int, float] = {1: TITLE_PT}
        self._page_pt = PAGE_HEIGHT_PT * 100 / self.scale
        self._used_pt = 0.0  # of the current page
        self.breaks: list[int] = []  # rows (0-based) that start a new page

    @property
    def next_row(self) -> int:
        return self.rows + 1

    def page_columns(self) -> int:
        """The last column (1-based) that prints on a sheet's first page: text merged across
        columns stops there, rather than being cut where the page turns."""
        room = PAGE_WIDTH_PX * 100 / self.scale
        used, last = 0.0, 1
        for n in range(1, self.printed + 1):
            used += column_px(self.widths.get(n, 8.43))
            if used > room:
                break
            last = n
        return last

    def height(self, row: int, points: float) -> None:
        self._set_height(row, points)
        self._heights[row] = points

    def _row_pt(self, row: int) -> float:
        return self._heights.get(row, ROW_PT)

    def _repeated_pt(self) -> float:
        if not self.repeat_rows:
            return 0.0
        first, last = self.repeat_rows
        return sum(self._row_pt(r) for r in range(first, last + 1))

    def _advance(self, row: int) -> None:
        """Row ``row`` is written: where it falls on the pages (a full page breaks by itself,
        and the next starts under the repeated rows)."""
        h = self._row_pt(row)
        if self._used_pt + h > self._page_pt and self._used_pt > self._repeated_pt():
            self._used_pt = self._repeated_pt()
        self._used_pt += h

    def keep_together(self, rows: int) -> None:
        """The next ``rows`` rows are one table: if they would not fit on what is left of the
        page but would on a fresh one, the page breaks before them."""
        need = sum(self._row_pt(self.next_row + k) for k in range(rows))
        fresh = self._repeated_pt()
        if self._used_pt + need > self._page_pt and need <= self._page_pt - fresh:
            if self._used_pt > fresh:
                self.breaks.append(self.rows)
                self._used_pt = fresh

    def append(self, cells: Iterable[Cell | None] = ()) -> int:
        """Write the next row; returns its number."""
        r = self.rows
        self._advance(r + 1)
        self._put_row(r, cells)
        self.rows += 1
        return self.rows

    def append_across(self, first: int, last: int, cell: Cell) -> int:
        """The next row as one cell merged across columns ``first`` to ``last`` (1-based)."""
        r = self.rows
        self._advance(r + 1)
        self._put_merged(r, first, last, cell)
        self.rows += 1
        return self.rows

    def append_pair(self, label: Cell | None, value: Cell, across: int) -> int:
        """The next row as a label in column A and its value merged across B to ``across``."""
        r = self.rows
        self._advance(r + 1)
        self._put_row(r, [label])
        self._put_merged(r, 2, across, value)
        self.rows += 1
        return self.rows

    # -- what XlsxWriter is told (planner.excel.expected keeps the cells instead) -------------

    def _start(self, freeze: str | None) -> None:
        self.ws = self.book.wb.add_worksheet(self.title, worksheet_class=_worksheet_class())
        for n, w in self.widths.items():
            self.ws.set_column(n - 1, n - 1, w)
        if freeze:
            self.ws.freeze_panes(freeze)

    def _set_height(self, row: int, points: float) -> None:
        self.ws.set_row(row - 1, points)

    def _put_merged(self, r: int, first: int, last: int, cell: Cell) -> None:
        self.ws.merge_range(r, first - 1, r, last - 1, cell.value, self.book.formats[cell.style])

    def _put_row(self, r: int, cells: Iterable[Cell | None]) -> None:
        ws, formats = self.ws, self.book.formats
        for c, cell in enumerate(cells):
            if cell is None:
                continue
            kind = cell.kind
            fmt = formats[cell.style] if cell.style else None
            if kind == NUMBER:
                ws.write_number(r, c, cell.value, fmt)
            elif kind == FORMULA:
                ws.write_formula(r, c, cell.value, fmt, cell.result)
            elif kind == TEXT or kind == SAID:
                ws.write_string(r, c, cell.value, fmt)
            elif kind == BLANK:
                ws.write_blank(r, c, None, fmt)
            elif kind == LINK:
                ws.write_url(r, c, cell.value, fmt, cell.result)
            else:  # pragma: no cover - a kind added to cells.py and not here
                raise ValueError(f"unknown cell kind {kind}")

    def validate(self, area: tuple[int, int, int, int], rule: dict) -> None:
        """Data validation on (first row, first col, last row, last col), 1-based."""
        r1, c1, r2, c2 = area
        self.ws.data_validation(r1 - 1, c1 - 1, r2 - 1, c2 - 1, rule)

    def finish(self, *, header: str, footer: str, password: str, gridlines: bool) -> None:
        """Print setup and protection: A4 landscape at the sheet's scale, its repeated rows
        and columns, page breaks, print area, header and footer; then protect it."""
        sheet = self.ws
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.set_print_scale(self.scale)
        sheet.center_horizontally()
        sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        sheet.hide_gridlines(0 if gridlines else 2)
        if self.repeat_rows:
            sheet.repeat_rows(self.repeat_rows[0] - 1, self.repeat_rows[1] - 1)
        if self.repeat_columns:
            sheet.repeat_columns(0, self.repeat_columns - 1)
        if self.breaks:
            sheet.set_h_pagebreaks(self.breaks)
        sheet.print_area(0, 0, max(self.rows, 1) - 1, self.printed - 1)
        sheet.set_header(header)
        sheet.set_footer(footer)
        # Partners may still size rows and columns for reading; they cannot change a formula.
        sheet.protect(password, {"format_columns": True, "format_rows": True})

    def certainty_chart(
        self, title: str, first_row: int, last_row: int, at: str, certainties: list
    ) -> None:
        """A stacked column chart of the columns from B, one per certainty in
        ``certainties`` (confirmed, any conditional, indicative, unfunded), over ``first_row``
        to ``last_row``, their header above, the years in column A. Solid, lined, hatched and
        gridded like the sheets' cells, so it reads in black and white."""
        chart = self.book.wb.add_chart({"type": "column", "subtype": "stacked"})
        fills = [_CHART_FILL[c] for c in certainties]
        for k, fill in enumerate(fills, start=1):
            chart.add_series(
                {
                    "name": [self.title, first_row - 2, k],
                    "categories": [self.title, first_row - 1, 0, last_row - 1, 0],
                    "values": [self.title, first_row - 1, k, last_row - 1, k],
                    "border": {"color": "#333333"},
                    "gap": 60,
                    **fill,
                }
            )
        chart.set_title({"name": title})
        chart.set_y_axis({"name": "£", "num_format": '"£"#,##0'})
        chart.set_size({"width": 830, "height": 340})
        self.ws.insert_chart(at, chart)


_CHART_FILL = {
    Certainty.CONFIRMED: {"fill": {"color": "#1F5FA6"}},
    Certainty.CONDITIONAL: {
        "pattern": {"pattern": "light_horizontal", "fg_color": "#00664A", "bg_color": "#8FD3BF"}
    },
    Certainty.INDICATIVE: {
        "pattern": {"pattern": "wide_upward_diagonal", "fg_color": "#C77700", "bg_color": "#FDE3BD"}
    },
    Certainty.UNFUNDED: {
        "pattern": {"pattern": "small_grid", "fg_color": "#C0392B", "bg_color": "#FFFFFF"}
    },
}


@functools.cache
def _worksheet_class():
    """XlsxWriter's worksheet, less its rewriting of each formula for functions newer than
    Excel 2007 (thirty regular expressions a formula: 40% of a large export's time). The
    export's formulas use none of them, and tests/test_excel_export.py checks that XlsxWriter
    would leave every one as it is. Subclassing is XlsxWriter's own way to change how a sheet
    writes; should the method be renamed, formulas are rewritten as before, only slower."""
    from xlsxwriter.worksheet import Worksheet

    class PlainFormulas(Worksheet):
        def _prepare_formula(self, formula, expand_future_functions=False):
            return formula[1:] if formula.startswith("=") else formula

    return PlainFormulas


def date_rule(first: dt.date, last: dt.date, title: str, message: str) -> dict:
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": first,
        "maximum": last,
        "ignore_blank": True,
        "error_title": title,
        "error_message": message,
    }


def list_rule(choices: Iterable[str], title: str, message: str) -> dict:
    return {
        "validate": "list",
        "source": list(choices),
        "ignore_blank": True,
        "error_title": title,
        "error_message": message,
    }
