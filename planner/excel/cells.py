"""Writing cells safely and consistently: named styles, money, and text that can never become a
formula (spreadsheet formula injection)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.workbook import Workbook

from planner.model import Certainty

# Excel's own convention shows negatives with a minus; tables in the app use brackets.
MONEY = '"£"#,##0;-"£"#,##0'
MONEY_PENCE = '"£"#,##0.00;-"£"#,##0.00'
PERCENT = "0%"
DATE = "dd/mm/yyyy"
# A value starting with one of these is a formula (or becomes one) in Excel or LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

THIN = Side(style="thin", color="BBBBBB")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAVY = Side(style="thick", color="000000")

CERTAINTY_FILL = {
    # Solid, diagonal hatch and grid: they differ in pattern as well as colour, so the sheet
    # still reads printed in black and white.
    Certainty.CONFIRMED: PatternFill("solid", fgColor="1F5FA6"),
    Certainty.INDICATIVE: PatternFill("lightUp", fgColor="C77700", bgColor="FDE3BD"),
    Certainty.UNFUNDED: PatternFill("lightGrid", fgColor="C0392B", bgColor="FFFFFF"),
}
CERTAINTY_FONT = {
    Certainty.CONFIRMED: Font(color="FFFFFF", bold=True),
    Certainty.INDICATIVE: Font(color="2B1A00", bold=True),
    Certainty.UNFUNDED: Font(color="8E1B10", bold=True),
}
CERTAINTY_TINT = {
    Certainty.CONFIRMED: PatternFill("solid", fgColor="DCE8F6"),
    Certainty.INDICATIVE: PatternFill("solid", fgColor="FDEBD0"),
    Certainty.UNFUNDED: PatternFill("solid", fgColor="F9D6D2"),
}
INPUT_FILL = PatternFill("solid", fgColor="FFF2A8")  # yellow: the cells partners fill in
CALC_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: worked out by formula


def add_styles(wb: Workbook) -> None:
    """Register the named styles once: cells then refer to them by name, which is what keeps a
    large write-only export fast."""
    wb.pp_style_arrays = {}  # see _apply
    locked = Protection(locked=True)

    def style(name: str, **kw) -> None:
        kw.setdefault("protection", locked)
        wb.add_named_style(NamedStyle(name=name, **kw))

    style("pp_title", font=Font(bold=True, size=16))
    style("pp_subtitle", font=Font(italic=True, color="555555"))
    style(
        "pp_note",
        font=Font(italic=True, color="555555"),
        alignment=Alignment(vertical="top", wrap_text=True),
    )
    style(
        "pp_header",
        font=Font(bold=True, color="FFFFFF"),
        fill=PatternFill("solid", fgColor="34495E"),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        border=GRID,
    )
    style("pp_label", font=Font(bold=True), border=GRID)
    style("pp_text", border=GRID, alignment=Alignment(vertical="top"))
    style("pp_text_wrap", border=GRID, alignment=Alignment(vertical="top", wrap_text=True))
    style("pp_money", number_format=MONEY, border=GRID)
    style("pp_money_calc", number_format=MONEY, border=GRID, fill=CALC_FILL)
    style("pp_money_total", number_format=MONEY, border=GRID, fill=CALC_FILL, font=Font(bold=True))
    style("pp_percent_calc", number_format=PERCENT, border=GRID, fill=CALC_FILL)
    style("pp_percent", number_format="0.0%", border=GRID)
    style("pp_factor", number_format="0.0000", border=GRID, fill=CALC_FILL)
    style("pp_ratio_calc", number_format="0.00", border=GRID, fill=CALC_FILL)
    style(
        "pp_input",
        fill=INPUT_FILL,
        border=GRID,
        protection=Protection(locked=False),
        alignment=Alignment(vertical="top", wrap_text=True),
    )
    style(
        "pp_input_date",
        fill=INPUT_FILL,
        border=GRID,
        number_format=DATE,
        protection=Protection(locked=False),
    )
    style("pp_link", font=Font(color="0563C1", underline="single"))
    for c in Certainty:
        style(f"pp_{c.value}", number_format=MONEY, border=GRID, fill=CERTAINTY_TINT[c])
        style(
            f"pp_tl_{c.value}",
            number_format=MONEY,
            border=GRID,
            fill=CERTAINTY_FILL[c],
            font=CERTAINTY_FONT[c],
            alignment=Alignment(horizontal="center"),
        )
        style(
            f"pp_tl_{c.value}_end",
            number_format=MONEY,
            fill=CERTAINTY_FILL[c],
            font=CERTAINTY_FONT[c],
            alignment=Alignment(horizontal="center"),
            border=Border(left=THIN, top=THIN, bottom=THIN, right=HEAVY),
        )
    style("pp_tl_empty", border=GRID)
    style("pp_tl_empty_end", border=Border(left=THIN, top=THIN, bottom=THIN, right=HEAVY))


def cell(ws, value=None, style: str | None = None) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=value)
    if style:
        _apply(c, ws, style)
    return c


def _apply(c: WriteOnlyCell, ws, style: str) -> None:
    # ``c.style = name`` looks the name up in a list and copies the style for every cell,
    # which was a third of the export's time. The style's array is worked out once per
    # workbook and shared: write-only cells are written out and dropped, never restyled.
    arrays = ws.parent.pp_style_arrays
    array = arrays.get(style)
    if array is None:
        c.style = style
        array = arrays[style] = c._style
    c._style = array


def text(ws, value: str, style: str = "pp_text") -> WriteOnlyCell:
    """Text from the plan, written so that nothing in it can run as a formula."""
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        c.data_type = "s"  # a string cell, whatever it starts with
    _apply(c, ws, style)
    return c


def money(ws, pence: int | None, style: str = "pp_money") -> WriteOnlyCell:
    """An amount in pounds, exact: pence become a decimal with two places, never a float."""
    value = None if pence is None else Decimal(pence) / 100
    return cell(ws, value, style)


def header_footer_text(value: str) -> str:
    # '&' starts a code in Excel headers and footers ("&P" is the page number).
    return value.replace("&", "&&")
