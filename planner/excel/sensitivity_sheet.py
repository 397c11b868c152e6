"""The Sensitivity sheet: how far each input to the appraisal can move before the plan's NPV
reaches zero (the Green Book's switching values, ``planner.sensitivity``), each with a live
check, and the optimism-bias sweep on benefits. Only a plan with something to appraise has the
sheet (``layout.sheet_titles``).

Three tables, one under another, in columns A to I:
- the sweep: the NPV and benefit-cost ratio with every benefit line's optimism bias at 0%,
  10% ... 100%, and the bias at which the NPV reaches zero in its place among them;
- the years the checks use: each year's benefits and costs (formulas over the Benefits sheet),
  net benefit, discount factor, and factor at each flat rate at which the NPV switches;
- the switching values: a row per input and direction (fall, rise), with the change in pounds
  and as a share of the input (the flat rate, for the discount rate), what the input adds to
  the NPV today, the check, and the NPV the app found there.

A money input's check is ROUND(NPV + s x PV, 2): the Benefits sheet's NPV, s the change as a
share of the input (the number stored beside it) and PV what the input adds to the NPV today,
a formula over the Benefits sheet's rows where it has the input's (a benefit line, a body's
benefits) or over this sheet's yearly costs (all costs). A cost line's PV is the app's figure,
stored: the Benefits sheet has costs by body, not by line. The discount rate's check discounts
each year's net benefit at the flat rate. Each check is the NPV moved along a straight line,
while the app rounds each year of each changed line to the penny and each body's present
values too: so a check can sit a few pence from zero, and from the app's own figure beside it
(tests/test_sensitivity_sheet.py bounds how far).

The switching values come last so that their header is the row printed again at the top of
each page they run on to (print titles repeat from the page where they first appear).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from planner import years as fy
from planner.discounting import round_ratio
from planner.excel.book import Book, Sheet
from planner.excel.cells import (
    Cell,
    blank,
    digits,
    formula,
    money,
    money_formula,
    number,
    pounds,
    text,
)
from planner.excel.layout import BenefitsPlaces, col
from planner.excel.sheets import Context, _finish, _fit_height, _heading
from planner.fields import BASIS_POINTS
from planner.money import format as format_money
from planner.plan_sensitivity import Point, Sensitivity
from planner.sensitivity import InputKind, Sweep, pv_input

# The switching values' columns; the other tables share them (and so their widths).
INPUT, DIRECTION, POUNDS, SHARE, RATE, TODAY, CHECK, FOUND, WHY = range(1, 10)
# The years table's money sits in SHARE and RATE too, so they are as wide as a year's amount.
WIDTHS = {INPUT: 30, DIRECTION: 14, POUNDS: 16, SHARE: 15, RATE: 16, TODAY: 16, CHECK: 12,
          FOUND: 12, WHY: 28}  # fmt: skip
# The years table: year, its number, benefits, costs, net, factor, then a factor per flat rate.
YEAR_NUMBER, BENEFITS, COSTS, NET, FACTOR, FLAT = 2, 3, 4, 5, 6, 7

GROUPS = {
    InputKind.BENEFIT_LINE: "Each benefit line",
    InputKind.COST_LINE: "Each cost line",
    InputKind.BODY_BENEFITS: "Each body's benefits, all its lines together",
    InputKind.ALL_COSTS: "All costs together",
    InputKind.DISCOUNT_RATE: "The discount rate: one flat rate for every year, in place of the "
    "plan's rates",
}
WAY = {"down": "A fall", "up": "A rise"}
RATE_WAY = {"down": "A lower rate", "up": "A higher rate"}

NOTE = (
    "How far the appraisal's inputs could move before the plan's net present value (NPV) "
    "reaches zero, as the Green Book asks: first how much optimism bias the benefits can bear, "
    "then the switching value of each input, for a fall and for a rise, each with a check you "
    "can follow by hand. Grey cells are formulas over the Benefits sheet; white cells are the "
    "app's own figures. Only the whole plan's NPV is tested here: the app also tests each "
    "body's position after gain-share."
)
HOW_CHECKED = (
    "A money input moves by the same share in every year: the change needed is given in pounds "
    "(over the plan's years, undiscounted) and as a share of the input. Its check is today's "
    "NPV (Benefits sheet) plus that share times what the input adds to the NPV today. The "
    "discount rate is replaced by one flat rate for every year (its change given as a share of "
    "the plan's first-year rate); its check discounts each year's net benefit in the table "
    "above at that rate. A check comes to within a few pence of zero rather than always £0.00, "
    "because the app rounds each year of each changed line to the penny, as a user would type "
    "it, and the check does not: the app's own NPV at that point is beside it, at zero or just "
    "past it."
)

STORED_PV = (
    "A cost line's value today (white) is the app's own figure, to the penny and beyond: the "
    "Benefits sheet sets out costs by body, not by line."
)


@dataclass
class _Rows:
    """Where each table's rows fall, worked out before any is written: the years table's
    factors at a flat rate refer to the rate on its switching row, further down."""

    sweep_header: int
    uplift_header: int | None  # the cost-uplift sweep's, where a cost line has an uplift
    years_header: int
    switching_header: int
    point_rows: list[int]  # a row per switching point, in order
    years: int

    def years_of(self, column: int) -> str:
        """The years table's cells in ``column``: ``$E$20:$E$24``."""
        c = col(column)
        return f"${c}${self.years_header + 1}:${c}${self.years_header + self.years}"


def _plan_rows(s: Sensitivity, years: int) -> _Rows:
    sweep_header = 5  # under the title, its note, a gap and the sweep's caption
    # After a sweep's rows: its sentence, a gap and the next table's caption.
    next_header = sweep_header + len(_sweep_rows(s.bias)) + 1 + 3
    uplift_header = None
    if s.uplift is not None:
        uplift_header = next_header
        next_header = uplift_header + len(_sweep_rows(s.uplift)) + 1 + 3
    years_header = next_header
    switching_header = years_header + years + 4  # a gap, the caption and how it is checked
    rows, r, kind = [], switching_header, None
    for p in s.points:
        if p.value.input_kind is not kind:
            kind, r = p.value.input_kind, r + 1  # the group's heading
        r += 1
        rows.append(r)
    return _Rows(sweep_header, uplift_header, years_header, switching_header, rows, years)


def build(book: Book, ctx: Context) -> None:
    s = ctx.sensitivity
    if s is None:  # nothing to appraise: the workbook is as it was before this sheet
        return
    places = ctx.benefits_places
    if places is None:  # pragma: no cover - STEPS writes the Benefits sheet first
        raise AssertionError("the Sensitivity sheet refers to the Benefits sheet's rows")
    at = _plan_rows(s, len(ctx.years))
    header = at.switching_header
    ws = book.sheet("Sensitivity", WIDTHS, repeat_rows=(header, header))
    _heading(ws, ctx, "Sensitivity", NOTE, len(WIDTHS))
    _sweep(ws, s.bias, at.sweep_header, _BIAS, _sweep_words(ctx.plan, s.bias))
    if s.uplift is not None:
        _sweep(ws, s.uplift, at.uplift_header, _UPLIFT, _uplift_words(s.uplift))
    _years(ws, ctx, places, s, at)
    _switching(ws, ctx, places, s, at)
    _finish(ws, ctx)


# -- the sweep ---------------------------------------------------------------------------------


def _sweep_rows(sweep: Sweep) -> list[tuple[Fraction, bool]]:
    """The sweep's rows: each point's place, and the crossing (True) in its own place."""
    rows = [(p.at, False) for p in sweep.points]
    if sweep.crossing is not None:
        rows.append((sweep.crossing, True))
    return sorted(rows)


@dataclass(frozen=True)
class _SweepTable:
    caption: str
    swept: str  # what the first column holds
    scale: int  # what the sweep's points are over: basis points of a share, or 1


_BIAS = _SweepTable(
    "How much optimism bias the benefits can bear", "Optimism bias on every benefit line",
    BASIS_POINTS,
)  # fmt: skip
_UPLIFT = _SweepTable(
    "How much of the cost uplifts must be mitigated (as the greenbook R package's "
    "gb_sensitivity_ob sweeps)",
    "Share of every cost line's uplift mitigated",
    1,
)


def _sweep(ws: Sheet, sweep: Sweep, header_row: int, table: _SweepTable, said: str) -> None:
    """The NPV and benefit-cost ratio at each point of a sweep (every benefit line's optimism
    bias from 0% to 100%, or every cost line's uplift mitigated from none to all), the
    crossing marked in words."""
    rows = _sweep_rows(sweep)
    labels = [table.swept, "The NPV is", "NPV", "Benefit-cost ratio"]
    ws.height(header_row, _labels_height(ws, labels))
    ws.height(header_row + len(rows) + 1, _words_height(ws, said))
    ws.keep_together(2 + len(rows) + 1)  # the caption, the header, the rows and the words
    ws.append([text(table.caption, "pp_caption")])
    _header(ws, labels)
    assert ws.rows == header_row, (ws.rows, header_row)
    points = {p.at: p for p in sweep.points}
    for place, crossing in rows:
        if crossing:
            ws.append(
                [
                    number(digits(place / table.scale), "pp_rate_bold"),
                    text("Reaches zero", "pp_label"),
                    _pence(sweep.crossing_npv),
                ]
            )
            continue
        p = points[place]
        ws.append(
            [
                number(digits(place / table.scale), "pp_percent"),
                text("Above zero" if p.npv > 0 else "Below zero" if p.npv < 0 else "Zero"),
                money(p.npv),
                None if p.bcr is None else number(digits(p.bcr), "pp_ratio"),
            ]
        )
    _sentence(ws, said)
    ws.append()


def _uplift_words(sweep: Sweep) -> str:
    """Where the cost-uplift sweep crosses zero, or why it does not, in a sentence."""
    if sweep.crossing is None:
        return sweep.reason
    return (
        f"The NPV reaches zero when {_percent(sweep.crossing)} of every cost line's uplift is "
        f"mitigated (the NPV there, re-appraised: "
        f"{format_money(sweep.crossing_npv, show_pence=True)})."
    )


def _sweep_words(plan, sweep: Sweep) -> str:
    """Where the sweep crosses zero, or why it does not, in a sentence."""
    biases = sorted({b.optimism_bias_bp for b in plan.benefits.values()})
    now = (
        ""
        if not biases
        else f" The plan's benefit lines carry {_percent(Fraction(biases[0], BASIS_POINTS))} now."
        if len(biases) == 1
        else f" The plan's benefit lines carry {_percent(Fraction(biases[0], BASIS_POINTS))} to "
        f"{_percent(Fraction(biases[-1], BASIS_POINTS))} now."
    )
    if sweep.crossing is None:
        return sweep.reason + now
    return (
        f"The NPV reaches zero when every benefit line's optimism bias is "
        f"{_percent(sweep.crossing / BASIS_POINTS)} (the NPV there, re-appraised: "
        f"{format_money(sweep.crossing_npv, show_pence=True)}).{now}"
    )


# -- the years the checks use ------------------------------------------------------------------


def _years(ws: Sheet, ctx: Context, places: BenefitsPlaces, s: Sensitivity, at: _Rows) -> None:
    b, years = ctx.benefits, ctx.years
    flat = _flat_points(s, at)
    labels = [
        "Year",
        "Year number",
        "Benefits after optimism bias (Benefits sheet)",
        "Costs (Benefits sheet)",
        "Net benefit",
        "Discount factor at the plan's rates",
        *(
            f"Discount factor at a flat {_percent(p.change.rate_bp / BASIS_POINTS)}"
            for p, _ in flat
        ),
    ]
    ws.height(at.years_header, _labels_height(ws, labels))
    ws.keep_together(2 + len(years))
    ws.append([text("The years the checks use", "pp_caption")])
    _header(ws, labels)
    assert ws.rows == at.years_header, (ws.rows, at.years_header)

    def across(rows: dict[int, int], c: str) -> str:
        first, last = min(rows.values()), max(rows.values())
        # body_table writes a body to a row, one under another
        assert last - first + 1 == len(rows), rows
        return f"Benefits!{c}${first}:{c}${last}"

    for i, y in enumerate(years):
        r = ws.next_row
        c = places.year_col(i)
        benefits = sum(bb.adjusted[y] for bb in b.bodies.values())
        costs = sum(bb.costs[y] for bb in b.bodies.values())
        ws.append(
            [
                text(fy.label(y)),
                number(i, "pp_text"),
                money_formula(f"=ROUND(SUM({across(places.benefit_rows, c)}),2)", benefits),
                money_formula(f"=ROUND(SUM({across(places.cost_rows, c)}),2)", costs),
                money_formula(f"=ROUND({col(BENEFITS)}{r}-{col(COSTS)}{r},2)", benefits - costs),
                formula(f"=Benefits!{c}${places.factor_row}", b.factors[y], "pp_factor"),
                *(
                    formula(
                        f"=1/(1+${col(RATE)}${rate_row})^${col(YEAR_NUMBER)}{r}",
                        _flat_factor(p, i),
                        "pp_factor",
                    )
                    for p, rate_row in flat
                ),
            ]
        )
    ws.append()


def _flat_points(s: Sensitivity, at: _Rows) -> list[tuple[Point, int]]:
    """The discount rate's switching points, each with its row: a factor column apiece."""
    return [
        (p, r)
        for p, r in zip(s.points, at.point_rows, strict=True)
        if p.value.input_kind is InputKind.DISCOUNT_RATE and p.change is not None
    ]


def _flat_rate(p: Point) -> Decimal:
    """The flat rate as the sheet stores it (the checks work from this, not the exact rate)."""
    return digits(p.change.rate_bp / BASIS_POINTS)


def _flat_factor(p: Point, t: int) -> Fraction:
    return 1 / (1 + Fraction(_flat_rate(p))) ** t


# -- the switching values ----------------------------------------------------------------------


def _switching(ws: Sheet, ctx: Context, places: BenefitsPlaces, s: Sensitivity, at: _Rows) -> None:
    labels = [
        "Input",
        "Direction",
        "Change needed (£)",
        "Change needed (share of the input)",
        "Flat discount rate",
        "What the input adds to the NPV today (£)",
        "Check: the NPV there, by formula",
        "The NPV there, as the app works it",
        "Why there is none",
    ]
    ws.height(at.switching_header - 1, _words_height(ws, HOW_CHECKED))
    ws.height(at.switching_header, _labels_height(ws, labels))
    for p, r in zip(s.points, at.point_rows, strict=True):
        ws.height(r, 15.0 * max(_lines(_label(p), INPUT), _lines(p.reason, WHY)) + 3)
    # The caption, the words and the header, with the first group's heading and first input.
    ws.keep_together(at.point_rows[1] - at.switching_header + 3)
    ws.append([text("Switching values of the plan's NPV", "pp_caption")])
    _sentence(ws, HOW_CHECKED)
    _header(ws, labels)
    assert ws.rows == at.switching_header, (ws.rows, at.switching_header)
    flat = {r: FLAT + k for k, (_p, r) in enumerate(_flat_points(s, at))}  # row -> its factors
    stored_pv = False
    kind = None
    for p, r in zip(s.points, at.point_rows, strict=True):
        v, change = p.value, p.change
        if v.input_kind is not kind:
            kind = v.input_kind
            ws.keep_together(3)
            ws.append([text(GROUPS[kind], "pp_label")])
        if p.direction == "down":
            ws.keep_together(2)  # an input's two rows on one page
        cells: dict[int, Cell | None] = {
            INPUT: text(_label(p), "pp_text_wrap") if _label(p) else blank("pp_text"),
            DIRECTION: text((RATE_WAY if kind is InputKind.DISCOUNT_RATE else WAY)[p.direction]),
        }
        if change is None:
            cells[WHY] = text(p.reason, "pp_text_wrap")
        elif kind is InputKind.DISCOUNT_RATE:
            rate = Fraction(_flat_rate(p))
            worth = sum(
                (bb.adjusted[y] - bb.costs[y]) / (1 + rate) ** t
                for bb in ctx.benefits.bodies.values()
                for t, y in enumerate(ctx.years)
            )
            cells |= {
                SHARE: None if change.ratio is None else number(digits(change.ratio), "pp_share"),
                RATE: number(_flat_rate(p), "pp_rate"),
                CHECK: money_formula(
                    f"=ROUND(SUMPRODUCT({at.years_of(NET)},{at.years_of(flat[r])}),2)",
                    _round(worth),
                    "pp_money_pence_calc",
                ),
            }
        else:
            today, pv = _today(ctx, places, p, at)
            stored_pv |= kind is InputKind.COST_LINE
            share = digits(change.ratio)
            check = Fraction(ctx.benefits.npv) + Fraction(share) * pv
            cells |= {
                POUNDS: money(change.pence, "pp_money_top"),
                SHARE: number(share, "pp_share"),
                TODAY: today,
                CHECK: money_formula(
                    f"=ROUND({places.npv}+{col(SHARE)}{r}*{col(TODAY)}{r},2)",
                    _round(check),
                    "pp_money_pence_calc",
                ),
            }
        if change is not None:
            cells[FOUND] = _pence(change.value)
        ws.append([cells.get(c) for c in range(1, WHY + 1)])
        assert ws.rows == r, (ws.rows, r)
    ws.append()
    if stored_pv:
        ws.height(ws.next_row, _words_height(ws, STORED_PV))
        _sentence(ws, STORED_PV)


def _today(ctx: Context, places: BenefitsPlaces, p: Point, at: _Rows):
    """What the input adds to the NPV today: its cell, and the exact pence it holds."""
    plan, b, v = ctx.plan, ctx.benefits, p.value
    f = b.factors
    if v.input_kind is InputKind.BENEFIT_LINE:
        # As the appraisal counts the line (net, in real terms): the engine's one rule.
        pv = pv_input(plan, [plan.benefits[v.line_id]])
        row = places.line_rows[v.line_id]
    elif v.input_kind is InputKind.BODY_BENEFITS:
        pv = sum(a * f[y] for y, a in b.bodies[v.body_id].adjusted.items())
        row = places.benefit_rows[v.body_id]
    elif v.input_kind is InputKind.ALL_COSTS:
        pv = -sum(bb.costs[y] * f[y] for bb in b.bodies.values() for y in b.years)
        cell = f"=-SUMPRODUCT({at.years_of(COSTS)},{at.years_of(FACTOR)})"
        return formula(cell, pv / 100, "pp_money_calc_top"), pv
    else:  # a cost line: not on the Benefits sheet, which has costs by body
        # As the appraisal counts it: with its uplift, in real terms.
        stored = digits(pv_input(plan, [plan.costs[v.line_id]]) / 100)
        return number(stored, "pp_money_top"), Fraction(stored) * 100
    pv = Fraction(pv)
    cell = formula(
        f"=SUMPRODUCT({places.years_of(row)},Discount_Factors)", pv / 100, "pp_money_calc_top"
    )
    return cell, pv


# -- pieces ------------------------------------------------------------------------------------


def _label(p: Point) -> str:
    """An input's name, on its first row (a fall) only."""
    return p.value.label if p.direction == "down" else ""


# Each table's rows are measured before it is written: whether it fits on what is left of the
# page depends on their heights.


def _lines(words: str, column: int) -> int:
    """The lines ``words`` wrap to in ``column``, word by word. A name or a reason in a narrow
    column loses most of a word at the end of a line: LibreOffice fits a little over one
    character to a unit of width, and a row cut short hides the last line."""
    return max(1, len(textwrap.wrap(words, int(WIDTHS[column] * 1.05))))


def _labels_height(ws: Sheet, labels: list[str]) -> float:
    return _fit_height(ws, [(h, range(c, c + 1)) for c, h in enumerate(labels, start=1)])


def _words_height(ws: Sheet, words: str) -> float:
    return _fit_height(ws, [(words, range(1, len(WIDTHS) + 1))])


def _header(ws: Sheet, labels: list[str]) -> None:
    ws.append([text(h, "pp_header") for h in labels])


def _sentence(ws: Sheet, words: str) -> None:
    """A line of words across the sheet's columns (its height already set)."""
    ws.append_across(1, len(WIDTHS), text(words, "pp_note"))


def _round(pence: Fraction) -> int:
    """Exact pence as ROUND(..., 2) gives them in pounds: to the penny, half away from zero."""
    pence = Fraction(pence)
    return round_ratio(pence.numerator, pence.denominator)


def _pence(pence: int) -> Cell:
    return number(pounds(pence), "pp_money_pence")


def _percent(share: Fraction) -> str:
    """A share in words, to a thousandth of a per cent: '72.357%', '20%'."""
    d = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )
    return f"{d.normalize():f}%"
