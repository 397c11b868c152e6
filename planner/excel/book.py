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
from collections.abc import Iterable

from planner.excel.cells import BLANK, FORMULA, LINK, NUMBER, STYLES, TEXT, Cell


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

    def sheet(self, title: str, widths: dict[int, float], freeze: str | None = None) -> Sheet:
        return Sheet(self, title, widths, freeze)

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


class Sheet:
    """One worksheet written row by row, top to bottom (``append``): constant-memory mode
    writes a row when the next begins, so a row's height is set before it is written."""

    def __init__(self, book: Book, title: str, widths: dict[int, float], freeze: str | None):
        self.book, self.title, self.widths = book, title, widths
        self.ws = book.wb.add_worksheet(title, worksheet_class=_worksheet_class())
        self.rows = 0  # rows written so far; the next is row rows + 1 (1-based, as Excel says)
        for n, w in widths.items():
            self.ws.set_column(n - 1, n - 1, w)
        if freeze:
            self.ws.freeze_panes(freeze)

    @property
    def next_row(self) -> int:
        return self.rows + 1

    def height(self, row: int, points: float) -> None:
        self.ws.set_row(row - 1, points)

    def append(self, cells: Iterable[Cell | None] = ()) -> int:
        """Write the next row; returns its number."""
        r = self.rows
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
            elif kind == TEXT:
                ws.write_string(r, c, cell.value, fmt)
            elif kind == BLANK:
                ws.write_blank(r, c, None, fmt)
            elif kind == LINK:
                ws.write_url(r, c, cell.value, fmt, cell.result)
            else:  # pragma: no cover - a kind added to cells.py and not here
                raise ValueError(f"unknown cell kind {kind}")
        self.rows += 1
        return self.rows

    def append_across(self, first: int, last: int, cell: Cell) -> int:
        """The next row as one cell merged across columns ``first`` to ``last`` (1-based)."""
        r = self.rows
        self.ws.merge_range(r, first - 1, r, last - 1, cell.value, self.book.formats[cell.style])
        self.rows += 1
        return self.rows

    def append_pair(self, label: Cell, value: Cell, across: int) -> int:
        """The next row as a label in column A and its value merged across B to ``across``."""
        r = self.rows
        self.append([label])
        self.rows = r  # the same row: the merge writes into it
        fmt = self.book.formats[value.style]
        self.ws.merge_range(r, 1, r, across - 1, value.value, fmt)
        self.rows += 1
        return self.rows

    def validate(self, area: tuple[int, int, int, int], rule: dict) -> None:
        """Data validation on (first row, first col, last row, last col), 1-based."""
        r1, c1, r2, c2 = area
        self.ws.data_validation(r1 - 1, c1 - 1, r2 - 1, c2 - 1, rule)


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
