"""What the workbook's cells hold and how they look: named styles, money, formulas with the
result the app computed, and text that can never become a formula (spreadsheet formula
injection). A cell here is only a description; ``planner.excel.book`` writes it."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from planner.model import Certainty

# Board papers show negatives in brackets, as the app's tables do.
MONEY = '"£"#,##0;("£"#,##0)'
MONEY_PENCE = '"£"#,##0.00;("£"#,##0.00)'  # where pennies are the point: a check that is £0.00
PERCENT = "0%"
DATE = "dd/mm/yyyy"

_THIN, _THICK = 1, 5  # XlsxWriter's border styles
_GRID = {"border": _THIN, "border_color": "#BBBBBB"}
_INPUT = {"bg_color": "#FFF2A8", "pattern": 1, "locked": False}  # yellow: for partners to fill
_CALC = {"bg_color": "#EDEDED", "pattern": 1}  # grey: worked out by formula
_TOP = {"valign": "top"}

# Solid, level lines, diagonal hatch and grid: they differ in pattern as well as colour, so the
# sheet still reads printed in black and white (XlsxWriter's patterns: 1 solid, 11 light
# horizontal, 14 light up, 15 light grid).
_CERTAINTY_FILL = {
    Certainty.CONFIRMED: {"pattern": 1, "bg_color": "#1F5FA6"},
    Certainty.CONDITIONAL: {"pattern": 11, "fg_color": "#00664A", "bg_color": "#8FD3BF"},
    Certainty.INDICATIVE: {"pattern": 14, "fg_color": "#C77700", "bg_color": "#FDE3BD"},
    Certainty.UNFUNDED: {"pattern": 15, "fg_color": "#C0392B", "bg_color": "#FFFFFF"},
}
_CERTAINTY_FONT = {
    Certainty.CONFIRMED: {"font_color": "#FFFFFF", "bold": True},
    Certainty.CONDITIONAL: {"font_color": "#00291E", "bold": True},
    Certainty.INDICATIVE: {"font_color": "#2B1A00", "bold": True},
    Certainty.UNFUNDED: {"font_color": "#8E1B10", "bold": True},
}
# The tables' lighter shading, under figures: flat, diagonal and gridded too, so that printed
# in grey the three still differ (tints alone come out the same light grey).
_CERTAINTY_TINT = {
    Certainty.CONFIRMED: {"pattern": 1, "bg_color": "#DCE8F6"},
    Certainty.CONDITIONAL: {"pattern": 11, "fg_color": "#7CC4AE", "bg_color": "#E4F5EF"},
    Certainty.INDICATIVE: {"pattern": 14, "fg_color": "#F0B860", "bg_color": "#FDF1DE"},
    Certainty.UNFUNDED: {"pattern": 15, "fg_color": "#E8908A", "bg_color": "#FBE6E4"},
}
# An amount partly beyond its settlement: shaded as what covers most of it, its figure in red.
_BEYOND = {"font_color": "#B0170C", "bold": True}
# An amount partly resting on results: its figure green and in italics (which print in grey).
_RESULTS = {"font_color": "#00664A", "italic": True}


def _styles() -> dict[str, dict]:
    """Every style the sheets name, as XlsxWriter format properties. Cells are locked unless a
    style says otherwise; the sheets are protected."""
    money = {"num_format": MONEY, **_GRID}
    s = {
        "pp_title": {"bold": True, "font_size": 16},
        "pp_subtitle": {"italic": True, "font_color": "#555555"},
        "pp_note": {"italic": True, "font_color": "#555555", "valign": "top", "text_wrap": True},
        "pp_header": {
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": "#34495E",
            "pattern": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            **_GRID,
        },
        "pp_label": {"bold": True, **_GRID},
        "pp_label_top": {"bold": True, "valign": "top", "text_wrap": True, **_GRID},
        "pp_text": {"valign": "top", **_GRID},
        "pp_text_wrap": {"valign": "top", "text_wrap": True, **_GRID},
        "pp_number": {"valign": "top", **_GRID},
        "pp_money": money,
        "pp_money_calc": {**money, **_CALC},
        "pp_money_total": {**money, **_CALC, "bold": True},
        "pp_percent_calc": {"num_format": PERCENT, **_GRID, **_CALC},
        "pp_percent": {"num_format": "0.0%", **_GRID},
        # The Sensitivity sheet's figures, at the top of rows its wrapped words make tall.
        "pp_money_top": {**money, **_TOP},
        "pp_money_calc_top": {**money, **_CALC, **_TOP},
        "pp_money_pence": {"num_format": MONEY_PENCE, **_GRID, **_TOP},
        "pp_money_pence_calc": {"num_format": MONEY_PENCE, **_GRID, **_CALC, **_TOP},
        "pp_share": {"num_format": "#,##0.00%", **_GRID, **_TOP},
        "pp_rate": {"num_format": "0.000%", **_GRID, **_TOP},
        "pp_rate_bold": {"num_format": "0.000%", "bold": True, **_GRID},
        "pp_ratio": {"num_format": "0.00", **_GRID},
        "pp_caption": {"bold": True, "font_size": 12},
        "pp_factor": {"num_format": "0.0000", **_GRID, **_CALC},
        "pp_ratio_calc": {"num_format": "0.00", **_GRID, **_CALC},
        "pp_input": {**_INPUT, **_GRID, "valign": "top", "text_wrap": True},
        "pp_input_date": {**_INPUT, **_GRID, "num_format": DATE},
        "pp_money_input": {**money, **_INPUT},
        "pp_link": {"font_color": "#0563C1", "underline": 1},
        # The Cover's checklist: its words say Yes or No, so its colours are only a help.
        "pp_banner": {"bold": True, "font_size": 14, "font_color": "#8E1B10"},
        "pp_banner_done": {"font_color": "#1E6B33"},  # conditional: over pp_banner
        "pp_check": {"bold": True, "align": "center", "font_color": "#1E6B33", **_GRID},
        "pp_check_no": {"font_color": "#8E1B10", "bg_color": "#F9D6D2"},  # conditional
        "pp_tl_empty": dict(_GRID),
        "pp_tl_empty_end": {**_GRID, "right": _THICK, "right_color": "#000000"},
    }
    for c in Certainty:
        s[f"pp_{c.value}"] = {**money, **_CERTAINTY_TINT[c]}
        s[f"pp_{c.value}_beyond"] = {**money, **_CERTAINTY_TINT[c], **_BEYOND}
        s[f"pp_{c.value}_results"] = {**money, **_CERTAINTY_TINT[c], **_RESULTS}
        s[f"pp_{c.value}_beyond_results"] = {**money, **_CERTAINTY_TINT[c], **_BEYOND,
                                             "italic": True}  # fmt: skip
        bar = {**money, **_CERTAINTY_FILL[c], **_CERTAINTY_FONT[c], "align": "center"}
        s[f"pp_tl_{c.value}"] = bar
        s[f"pp_tl_{c.value}_end"] = {**bar, "right": _THICK, "right_color": "#000000"}
    return s


STYLES = _styles()

# What a cell is. Plain ints: the writer tests them for every cell of a large plan. SAID is text
# about the moment of the export (its date, the sign-offs recorded so far, where to send it),
# which a return is not held to: the same plan exported again says it differently.
TEXT, NUMBER, FORMULA, BLANK, LINK, SAID = range(6)


class Cell:
    __slots__ = ("kind", "value", "style", "result")

    def __init__(self, kind: int, value, style: str | None, result=None):
        self.kind, self.value, self.style, self.result = kind, value, style, result

    def __repr__(self) -> str:  # for test failures
        return f"Cell({self.kind}, {self.value!r}, {self.style!r}, {self.result!r})"


def text(value: str, style: str = "pp_text") -> Cell:
    """Text from the plan. It is written as a string whatever it starts with, so nothing in it
    can run as a formula."""
    return Cell(TEXT, value, style)


def said(value: str, style: str = "pp_text") -> Cell:
    """Text about this export rather than the plan (see SAID)."""
    return Cell(SAID, value, style)


def number(value: int | Decimal, style: str = "pp_number") -> Cell:
    return Cell(NUMBER, value, style)


def money(pence: int | None, style: str = "pp_money") -> Cell | None:
    """An amount in pounds, exact: pence become a decimal with two places, never a float.
    No amount, no cell: an empty cell is not written at all."""
    return None if pence is None else Cell(NUMBER, pounds(pence), style)


def blank(style: str) -> Cell:
    """An empty cell that still shows its style (an input to fill in, a border that means
    something)."""
    return Cell(BLANK, None, style)


def formula(formula: str, result, style: str) -> Cell:
    """A live formula with the result the app computed for it, stored so that a reader that
    does not recalculate (a preview, Protected View, a script) sees the figure. ``result`` is
    a number, a ``Fraction``, text, or None for a formula whose result is empty text."""
    if result is None:
        result = ""
    elif isinstance(result, Fraction):
        result = float(result)
    return Cell(FORMULA, formula, style, result)


def money_formula(formula: str, pence: int, style: str = "pp_money_calc") -> Cell:
    return Cell(FORMULA, formula, style, pounds(pence))


def share(formula: str, part: int, whole: int, style: str = "pp_percent_calc") -> Cell:
    """``=IF(whole=0,"",part/whole)``'s result: empty text when there is nothing to share."""
    return Cell(FORMULA, formula, style, part / whole if whole else "")


def link(target: str, label: str, style: str = "pp_link") -> Cell:
    """A link to a place in the workbook (``Summary!A1``): a link, not a formula."""
    return Cell(LINK, f"internal:{target}", style, label)


def digits(value: Fraction) -> Decimal:
    """An exact value as the 15 significant digits a spreadsheet keeps of a number: written
    and read back, it is the same number (a 17-digit float need not be)."""
    with localcontext(prec=15):
        return Decimal(value.numerator) / Decimal(value.denominator)


def pounds(pence: int) -> Decimal:
    # scaleb keeps two places exactly: 123456 pence is Decimal('1234.56'), never a float.
    return Decimal(pence).scaleb(-2)


def header_footer_text(value: str, most: int = 80) -> str:
    """Text for a page header or footer: '&' starts a code there ("&P" is the page number), and
    Excel refuses a header longer than 255 characters, so a long name is cut."""
    if len(value) > most:
        value = value[: most - 1] + "…"
    return value.replace("&", "&&")
