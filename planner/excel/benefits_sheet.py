"""The Benefits sheet: who invests and who benefits, discounted as the Green Book says, and the
gain-share transfers, all as live formulas that recompute to ``planner.benefits``' figures.

Tables, one under another, years across from column F (A body or scheme, B body, C body
number, D cashable, E optimism bias):
discount factors; costs by body; benefit lines (gross, then after optimism bias); benefits and
cash by body; the gain-share allocation; transfers; and each body's position before and after.
Allocations follow planner.gainshare: every body but one gets its share rounded to the penny,
the body with the largest weight (the first such row) takes the balance.
"""

from __future__ import annotations

from decimal import Decimal

from planner import years as fy
from planner.benefits import net_benefit, present_value, uplifted_cost
from planner.discounting import rate_bp
from planner.excel.book import Book, Sheet
from planner.excel.cells import formula, money, money_formula, number, share, text
from planner.excel.layout import BenefitsPlaces, col
from planner.excel.sheets import AMOUNT, TOTAL, Context, _finish, _heading
from planner.gainshare import Division
from planner.model import GainShareRule

FIRST = 6  # column F: the first year


class _Rows:
    """Counts the rows as they are written, so formulas can name them."""

    def __init__(self, ws: Sheet):
        self.ws = ws

    @property
    def n(self) -> int:
        return self.ws.rows

    def add(self, cells) -> int:
        return self.ws.append(cells)

    def gap(self) -> None:
        self.add([])

    def label(self, label: str, year_cells) -> int:
        """A labelled row of year cells, the years starting in column F like every table."""
        return self.add([text(label, "pp_label"), None, None, None, None, *year_cells])


def _named(plan, line) -> tuple:
    """A cost or benefit line's first cells: its scheme's name and its body's."""
    return text(plan.schemes[line.scheme_id].name), text(plan.bodies[line.body_id].name)


def build(book: Book, ctx: Context) -> None:
    plan, b = ctx.plan, ctx.benefits
    years = ctx.years
    n = len(years)
    ycol = [col(FIRST + i) for i in range(n)]
    last_y = ycol[-1]
    pv_col = col(FIRST + n + 1)
    bodies = list(plan.bodies.values())
    # The Green Book's additionality adjustments, in columns after the years, only when a line
    # has any: a plan without them keeps the sheet it had.
    additional = any(line.additional for line in plan.benefits.values())
    adjust_cols = [col(FIRST + n + i) for i in range(4)] if additional else []
    ws = book.sheet(
        "Benefits",
        {
            1: 36,
            2: 30,
            3: 8,
            4: 10,
            5: 11,
            **{FIRST + i: AMOUNT for i in range(n)},
            FIRST + n: TOTAL,
            FIRST + n + 1: TOTAL,
            **({FIRST + n + 2: 13, FIRST + n + 3: 13} if additional else {}),
        },  # fmt: skip
        # The columns of names, and the title: the tables below have headers of their own.
        freeze="F4",
        repeat_rows=(4, 4),  # the years, over every page
        repeat_columns=1,
    )
    a = plan.appraisal
    base_label = fy.label(a.price_base_year) if a.nominal else ""
    _heading(
        ws,
        ctx,
        "Benefits and gain-share",
        "Costs by paying body and benefits by receiving body, with optimism bias taken "
        "off, discounted to today at the plan's rates (Green Book: year 0 is not "
        "discounted). "
        + (
            f"They were entered in cash and are converted to {base_label} prices by the GDP "
            "deflator. "
            if a.nominal
            else ""
        )
        + "Grey cells are formulas.",
        FIRST + n + 1,
    )
    rows = _Rows(ws)

    def header(labels: list[str], rows_below: int = 0) -> int:
        """A table's header; with ``rows_below``, the table starts a page if it would split."""
        # Two lines of room: headers such as "NPV after gain-share" wrap.
        ws.height(ws.next_row, 30)
        if rows_below:
            ws.keep_together(1 + rows_below)
        return rows.add([text(h, "pp_header") for h in labels])

    def year_header(first: list[str], extra: list[str] = (), rows_below: int = 0) -> int:
        return header([*first, *([""] * (5 - len(first))), *fy.labels(years), *extra], rows_below)

    # -- discount factors -----------------------------------------------------------------
    # Row 4, repeated over every printed page: the years (and this table's header).
    year_header(["Year"], ["Total", "Today's value"])
    rows.label("Year number", (number(i, "pp_text") for i in range(n)))
    rate_row = rows.n + 1
    rows.label(
        "Discount rate",
        (
            number(Decimal(rate_bp(plan.appraisal.discount_bands, i)) / 10_000, "pp_percent")
            if i
            else None
            for i in range(n)
        ),
    )
    factor_row = rows.n + 1
    rows.label(
        "Discount factor",
        (
            formula(
                "=1" if i == 0 else f"={ycol[i - 1]}{factor_row}/(1+{ycol[i]}{rate_row})",
                b.factors[y],
                "pp_factor",
            )
            for i, y in enumerate(years)
        ),
    )
    factors = f"${ycol[0]}${factor_row}:${last_y}${factor_row}"
    book.name("Discount_Factors", f"Benefits!{factors}")
    rows.gap()
    # Only in a plan whose figures are entered in cash: every other plan's sheet is as it was.
    real = _deflator_rows(rows, ctx, ycol) if a.nominal else None

    def in_real_terms(c: str) -> str:
        """The part of a cost's or benefit's formula that takes year column ``c`` into the
        base year's prices: x D(base) / D(year)."""
        return "" if real is None else f"*$F${real[0]}/{c}${real[1]}"

    def multiplier(y: int):
        return None if b.real_terms is None else b.real_terms[y]

    def pv(r: int) -> str:
        return f"=ROUND(SUMPRODUCT({ycol[0]}{r}:{last_y}{r},{factors}),2)"

    def total(r: int) -> str:
        return f"=ROUND(SUM({ycol[0]}{r}:{last_y}{r}),2)"

    def body_table(label: str, year_cells, by_year) -> dict[int, int]:
        """Bodies down, years across, with a total and today's value: the row of each body.
        ``year_cells(body, row)`` gives the body's cells for the years, ``by_year(body)`` the
        pence they hold (for the total and today's value)."""
        year_header([label, "", "No."], ["Total", "Today's value"], rows_below=len(bodies))
        out = {}
        for body in bodies:
            r = rows.n + 1
            held = by_year(body)
            out[body.id] = rows.add(
                [
                    text(body.name),
                    None,
                    number(body.id, "pp_text"),
                    None,
                    None,
                    *year_cells(body, r),
                    money_formula(total(r), sum(held.values()), "pp_money_total"),
                    money_formula(pv(r), present_value(held, b.factors), "pp_money_total"),
                ]
            )
        rows.gap()
        return out

    # -- cost lines and their uplift, then costs by body -----------------------------------
    # Only in a plan with an optimism-bias uplift on a cost: every other plan's sheet is as
    # it was, its costs by body typed in as figures.
    # And in a plan entered in cash, whose costs are converted by the same formula.
    uplifts = any(c.uplifted for c in plan.costs.values())
    if (uplifts or a.nominal) and plan.costs:
        cost_cells = _uplifted_cost_lines(rows, year_header, ctx, ycol, in_real_terms)
    else:

        def cost_cells(body, r):
            return [money(b.bodies[body.id].costs[y] or None) for y in years]

    cost_rows = body_table(
        "Costs by paying body"
        + (" (after optimism bias)" if uplifts else "")
        + (f" in {base_label} prices" if a.nominal else ""),
        cost_cells,
        lambda body: b.bodies[body.id].costs,
    )

    # -- benefit lines ------------------------------------------------------------------------
    year_header(
        [
            ("Benefit lines (gross)" if additional else "Benefit lines (before optimism bias)")
            + (" in cash" if a.nominal else ""),
            "Receiving body",
            "No.",
            "Cash?",
            "Optimism bias",
        ],
        ["Deadweight", "Displacement", "Leakage", "Substitution"] if additional else [],
        rows_below=max(len(plan.benefits), 1),
    )
    lines = list(plan.benefits.values())
    gross_rows = []
    for line in lines:
        gross_rows.append(
            rows.add(
                [
                    *_named(plan, line),
                    number(line.body_id, "pp_text"),
                    text("Yes" if line.cashable else "No"),
                    number(Decimal(line.optimism_bias_bp) / 10_000, "pp_percent"),
                    *(money(line.years.get(y)) for y in years),
                    *(
                        number(Decimal(bp) / 10_000, "pp_percent")
                        for _what, bp in line.adjustments[:4]
                        if additional
                    ),
                ]
            )
        )
    if not lines:
        rows.add([text("(no benefits recorded)")])
    rows.gap()
    year_header(
        [
            (
                "Benefit lines (net of the adjustments and optimism bias)"
                if additional
                else "Benefit lines (after optimism bias)"
            )
            + (f" in {base_label} prices" if a.nominal else ""),
            "Receiving body",
            "No.",
            "Cash?",
        ],
        rows_below=max(len(lines), 1),
    )
    adj_rows = []

    def kept_of(g: int) -> str:
        """The additionality adjustments' part of a net benefit's formula, row ``g``."""
        return "".join(f"(1-${c}{g})*" for c in adjust_cols)

    for line, g in zip(lines, gross_rows, strict=True):
        adj_rows.append(
            rows.add(
                [
                    *_named(plan, line),
                    formula(f"=C{g}", line.body_id, "pp_text"),
                    formula(f"=D{g}", "Yes" if line.cashable else "No", "pp_text"),
                    None,
                    # Only the years the line has an amount in: an empty year adds nothing.
                    *(
                        money_formula(
                            f"=ROUND({c}{g}*{kept_of(g)}(1-$E{g}){in_real_terms(c)},2)",
                            net_benefit(line.years[y], line, multiplier(y)),
                        )
                        if y in line.years
                        else None
                        for c, y in zip(ycol, years, strict=True)
                    ),
                ]
            )
        )
    if not lines:
        rows.add([text("(no benefits recorded)")])
    first_line, last_line = (adj_rows[0], adj_rows[-1]) if adj_rows else (rows.n, rows.n)
    rows.gap()

    def by_body(label: str, cash_only: bool) -> dict[int, int]:
        ids = f"$C${first_line}:$C${last_line}"
        cash = f"$D${first_line}:$D${last_line}"

        def held(body) -> dict[int, int]:
            bb = b.bodies[body.id]
            return bb.cashable if cash_only else bb.adjusted

        def cells(body, r):
            out = []
            pence = held(body)
            for c, y in zip(ycol, years, strict=True):
                amounts = f"{c}${first_line}:{c}${last_line}"
                sums = (
                    f'=ROUND(SUMIFS({amounts},{ids},$C{r},{cash},"Yes"),2)'
                    if cash_only
                    else f"=ROUND(SUMIF({ids},$C{r},{amounts}),2)"
                )
                out.append(money_formula(sums, pence[y]))
            return out

        return body_table(label, cells, held)

    priced = f" in {base_label} prices" if a.nominal else ""
    benefit_rows = by_body(
        f"Benefits by receiving body (after optimism bias){priced}", cash_only=False
    )
    cash_rows = by_body(f"Cash benefits by body (what gain-share moves){priced}", cash_only=True)
    first_b, last_b = min(cash_rows.values()), max(cash_rows.values())

    # -- gain-share ---------------------------------------------------------------------------
    rule = plan.appraisal.gain_share
    pool_row = rows.n + 1
    pool = {y: sum(bb.cashable[y] for bb in b.bodies.values()) for y in years}
    rows.label(
        "Cash benefits in the pool",
        (
            money_formula(f"=ROUND(SUM({c}{first_b}:{c}{last_b}),2)", pool[y], "pp_money_total")
            for c, y in zip(ycol, years, strict=True)
        ),
    )
    rows.gap()
    alloc_rows = _allocation(ws, rows, ctx, rule, bodies, ycol, pool_row, cash_rows, cost_rows)

    transfer_rows = body_table(
        f"Gain-share transfers ({rule.title.lower()})",
        lambda body, r: [
            money_formula(
                f"=ROUND({c}{alloc_rows[body.id]}-{c}{cash_rows[body.id]},2)"
                if alloc_rows
                else "=0",
                b.bodies[body.id].transfers[y],
            )
            for c, y in zip(ycol, years, strict=True)
        ],
        lambda body: b.bodies[body.id].transfers,
    )

    # -- positions ----------------------------------------------------------------------------
    header(
        [
            "Position by body",
            "",
            "No.",
            "",
            "",
            "Costs today",
            "Benefits today",
            "NPV",
            "Share of costs",
            "Share of benefits",
            "NPV after gain-share",
            "Payback",
            "Payback after",
        ],
        rows_below=len(bodies) + 2,
    )
    first_pos = rows.n + 1
    last_pos = first_pos + len(bodies) - 1
    costs_span, benefits_span = (f"${c}${first_pos}:${c}${last_pos}" for c in "FG")
    after_npv = sum(bb.after.npv for bb in b.bodies.values())
    for body in bodies:
        r = rows.n + 1
        bb = b.bodies[body.id]
        rows.add(
            [
                text(body.name),
                None,
                number(body.id, "pp_text"),
                None,
                None,
                money_formula(f"={pv_col}{cost_rows[body.id]}", bb.pv_costs),
                money_formula(f"={pv_col}{benefit_rows[body.id]}", bb.pv_benefits),
                money_formula(f"=ROUND(G{r}-F{r},2)", bb.before.npv),
                share(
                    f'=IF(SUM({costs_span})=0,"",F{r}/SUM({costs_span}))', bb.pv_costs, b.pv_costs
                ),
                share(
                    f'=IF(SUM({benefits_span})=0,"",G{r}/SUM({benefits_span}))',
                    bb.pv_benefits,
                    b.pv_benefits,
                ),
                money_formula(f"=ROUND(H{r}+{pv_col}{transfer_rows[body.id]},2)", bb.after.npv),
                text(fy.label(bb.before.payback_year) if bb.before.payback_year else "—"),
                text(fy.label(bb.after.payback_year) if bb.after.payback_year else "—"),
            ]
        )
    t = rows.label(
        "Whole plan",
        [
            *(
                money_formula(
                    f"=ROUND(SUM({c}{first_pos}:{c}{last_pos}),2)", pence, "pp_money_total"
                )
                for c, pence in zip("FGH", (b.pv_costs, b.pv_benefits, b.npv), strict=True)
            ),
            None,
            None,
            money_formula(f"=ROUND(SUM(K{first_pos}:K{last_pos}),2)", after_npv, "pp_money_total"),
            text(fy.label(b.payback_year) if b.payback_year else "—"),
        ],
    )
    rows.label(
        "Benefit-cost ratio",
        [share(f'=IF(F{t}=0,"",G{t}/F{t})', b.pv_benefits, b.pv_costs, "pp_ratio_calc")],
    )
    book.name("Benefits_Positions", f"Benefits!$A${first_pos}:$M${t}")
    ctx.benefits_places = BenefitsPlaces(
        FIRST,
        n,
        factor_row,
        cost_rows,
        benefit_rows,
        {line.id: r for line, r in zip(lines, adj_rows, strict=True)},
        t,
    )
    if b.gain_share.problem:
        rows.gap()
        rows.add(
            [
                text(
                    f"The gain-share agreement cannot be applied: {b.gain_share.problem}.",
                    "pp_label",
                )
            ]
        )
    _finish(ws, ctx)


def _deflator_rows(rows: _Rows, ctx: Context, ycol: list[str]) -> tuple[int, int]:
    """The GDP deflator of the price base year and of each plan year, as formulas of the
    calendar-year index (planner.deflator's rule: 9/12 of a financial year's calendar year
    and 3/12 of the next; after the series, its last figure grown by the inflation assumed,
    typed in above them). Returns the rows of the base year's deflator and the years'."""
    from planner.deflator import deflator, series

    a, s = ctx.plan.appraisal, series()
    words = (f"Entered in cash (nominal), and converted to {fy.label(a.price_base_year)} prices "
             f"by the GDP deflator: {s.words}.")  # fmt: skip
    rows.ws.height(rows.ws.next_row, 45)  # three lines of the source's words
    rows.ws.append_pair(text("Prices", "pp_label"), text(words, "pp_note"), FIRST + len(ycol) + 1)
    inflation_row = rows.label(
        f"Inflation assumed after {s.last}",
        [number(Decimal(a.inflation_bp) / 10_000, "pp_percent")],
    )
    last = _decimal(s.calendar[s.last])

    def index(year: int) -> str:
        if year <= s.last:
            return str(_decimal(s.calendar[year]))
        return f"{last}*(1+$F${inflation_row})^{year - s.last}"

    def cell(year: int):
        rule = f"=(9*{index(year)}+3*{index(year + 1)})/12"
        return formula(rule, deflator(year, a.inflation_bp), "pp_factor")

    base_row = rows.label(f"GDP deflator, price base year {fy.label(a.price_base_year)}",
                          [cell(a.price_base_year)])  # fmt: skip
    year_row = rows.label("GDP deflator (financial year)", [cell(y) for y in ctx.years])
    rows.gap()
    return base_row, year_row


def _decimal(value) -> Decimal:
    """The series' figures have four places: exact as decimals."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _uplifted_cost_lines(rows: _Rows, year_header, ctx: Context, ycol: list[str], in_real_terms):
    """Two tables of cost lines: as entered, with each line's uplift (its upper bound and the
    share mitigated), then with the uplift on, ROUND(cost*(1+bound*(1-mitigated)),2), as the
    app rounds it (planner.benefits.uplift), and for figures entered in cash times D(base) /
    D(year) before that one rounding (``in_real_terms`` of a year column). Returns the
    costs-by-body cells: each a SUMIF over the uplifted lines of its body."""
    plan, years = ctx.plan, ctx.years
    real = ctx.benefits.real_terms
    priced = f" in {fy.label(plan.appraisal.price_base_year)} prices" if real else ""
    lines = list(plan.costs.values())
    year_header(
        ["Cost lines (before optimism bias)" + (" in cash" if real else ""), "Paying body",
         "No.", "Uplift", "Mitigated"],
        rows_below=len(lines),
    )  # fmt: skip
    entered = []
    for line in lines:
        entered.append(
            rows.add(
                [
                    *_named(plan, line),
                    number(line.body_id, "pp_text"),
                    number(Decimal(line.uplift_bp) / 10_000, "pp_percent"),
                    number(Decimal(line.mitigation_bp) / 10_000, "pp_percent"),
                    *(money(line.years.get(y)) for y in years),
                ]
            )
        )
    rows.gap()
    year_header(
        [f"Cost lines (after optimism bias){priced}", "Paying body", "No."], rows_below=len(lines)
    )
    after = []
    for line, g in zip(lines, entered, strict=True):
        after.append(
            rows.add(
                [
                    *_named(plan, line),
                    formula(f"=C{g}", line.body_id, "pp_text"),
                    None,
                    None,
                    *(
                        money_formula(
                            f"=ROUND({c}{g}*(1+$D{g}*(1-$E{g})){in_real_terms(c)},2)",
                            uplifted_cost(line.years[y], line, None if real is None else real[y]),
                        )
                        if y in line.years
                        else None
                        for c, y in zip(ycol, years, strict=True)
                    ),
                ]
            )
        )
    rows.gap()
    first, last = after[0], after[-1]
    ids = f"$C${first}:$C${last}"

    def uplifted(body, r):
        pence = ctx.benefits.bodies[body.id].costs
        return [
            money_formula(f"=ROUND(SUMIF({ids},$C{r},{c}${first}:{c}${last}),2)", pence[y])
            for c, y in zip(ycol, years, strict=True)
        ]

    return uplifted


def _allocation(
    ws, rows: _Rows, ctx: Context, rule: GainShareRule, bodies, ycol, pool_row, cash_rows, cost_rows
) -> dict[int, int]:
    """Write the allocation of each year's cash; returns the allocation row of each body
    (empty when there is no agreement, or it cannot be applied). Each cell's result is the
    app's own working (``planner.gainshare.Step``)."""
    plan, b = ctx.plan, ctx.benefits
    if rule is GainShareRule.NONE or b.gain_share.problem:
        return {}
    years = ctx.years
    steps = b.gain_share.steps
    columns = list(zip(ycol, years, strict=True))

    def table(label: str, make) -> dict[int, int]:
        ws.keep_together(1 + len(bodies))
        rows.add(
            [text(h, "pp_header") for h in [label, "", "No.", "", "Weight", *fy.labels(years)]]
        )
        out = {}
        for body in bodies:
            r = rows.n + 1
            out[body.id] = rows.add(
                [text(body.name), None, number(body.id, "pp_text"), None, *make(body, r)]
            )
        rows.gap()
        return out

    def span(rows_of: dict[int, int], c: str) -> str:
        return f"{c}${min(rows_of.values())}:{c}${max(rows_of.values())}"

    def split(total_of, weight_cell, weights: dict[int, int], weight_col_of, division_of):
        """Two tables: each share rounded; then the allocation, with the balance on the first
        row of largest weight. ``division_of(year)`` is the app's ``Division`` of that year."""
        rounded = table(
            "Share, rounded to the penny",
            lambda body, r: [
                None,
                *(
                    money_formula(
                        f"=IF(SUM({weight_col_of(c, weights)})=0,0,ROUND({total_of(c)}*"
                        f"{weight_cell(body, c)}/SUM({weight_col_of(c, weights)}),2))",
                        division_of(y).rounded[body.id],
                    )
                    for c, y in columns
                ),
            ],
        )

        def alloc(body, r):
            out = [None]
            for c, y in columns:
                w = weight_col_of(c, weights)
                first_w = min(weights.values())
                is_balancing = f"ROW({weight_cell(body, c)})-{first_w}+1=MATCH(MAX({w}),{w},0)"
                out.append(
                    money_formula(
                        f"=IF({weight_cell(body, c)}<=0,0,IF({is_balancing},"
                        f"ROUND({total_of(c)}-(SUM({span(rounded, c)})-{c}{rounded[body.id]}),2),"
                        f"{c}{rounded[body.id]}))",
                        division_of(y).allocation[body.id],
                    )
                )
            return out

        return table("Allocation", alloc)

    def shared(y: int) -> Division:
        return steps[y].shared

    if rule in (GainShareRule.PRO_RATA, GainShareRule.FIXED):
        label = (
            "Weight: investment over the plan"
            if rule is GainShareRule.PRO_RATA
            else "Weight: agreed percentage"
        )

        def weight(body, r):
            if rule is GainShareRule.PRO_RATA:
                # The costs table's total column: the investment over the plan.
                total = col(FIRST + len(ycol))
                return [
                    money_formula(f"={total}{cost_rows[body.id]}", b.bodies[body.id].total_costs)
                ]
            percent = Decimal(plan.appraisal.gain_share_percent_bp.get(body.id, 0)) / 10_000
            return [number(percent, "pp_percent")]

        weights = table(label, weight)
        return split(
            lambda c: f"{c}${pool_row}",
            lambda body, c: f"$E${weights[body.id]}",
            weights,
            lambda c, w: span(w, "$E"),
            shared,
        )

    # Investors repaid first: what each is still owed, the repayment, then the rest stays with
    # those who received it. What is owed depends on earlier years' allocations, which are
    # written further down: their rows are worked out here from the fixed shape of the tables
    # below (and checked once written).
    count = len(bodies)
    # owed (B + 2 rows), repaid, left, gap (3), two splits of two tables (4 x (B + 2)), header
    alloc_start = rows.n + (count + 2) + 3 + 4 * (count + 2) + 1 + 1
    planned = {body.id: alloc_start + k for k, body in enumerate(bodies)}
    first_year = ycol[0]

    def owed_cells(body, r):
        paid = cost_rows[body.id]
        cells = [None]
        for i, (c, y) in enumerate(columns):
            received = (
                f"-SUM(${first_year}{planned[body.id]}:{ycol[i - 1]}{planned[body.id]})"
                if i
                else ""
            )
            cells.append(
                money_formula(
                    f"=MAX(0,SUM(${first_year}{paid}:{c}{paid}){received})",
                    steps[y].owed[body.id],
                )
            )
        return cells

    owed = table("Still owed to each investor", owed_cells)
    repay_row = rows.label(
        "Repaid to investors",
        (
            money_formula(
                f"=MIN({c}{pool_row},SUM({span(owed, c)}))", steps[y].repay, "pp_money_total"
            )
            for c, y in columns
        ),
    )
    rest_row = rows.label(
        "Left with those who received it",
        (
            money_formula(
                f"=ROUND({c}{pool_row}-{c}{repay_row},2)",
                steps[y].pool - steps[y].repay,
                "pp_money_total",
            )
            for c, y in columns
        ),
    )
    rows.gap()
    repaid = split(
        lambda c: f"{c}${repay_row}",
        lambda body, c: f"{c}{owed[body.id]}",
        owed,
        lambda c, w: span(w, c),
        lambda y: steps[y].repaid,
    )
    kept = split(
        lambda c: f"{c}${rest_row}",
        lambda body, c: f"{c}{cash_rows[body.id]}",
        cash_rows,
        lambda c, w: span(w, c),
        lambda y: steps[y].kept,
    )
    allocation = table(
        "Allocation (repaid, plus what is kept)",
        lambda body, r: [
            None,
            *(
                money_formula(
                    f"=ROUND({c}{repaid[body.id]}+{c}{kept[body.id]},2)",
                    steps[y].allocation[body.id],
                    "pp_money_total",
                )
                for c, y in columns
            ),
        ],
    )
    if allocation != planned:  # the shape above changed without this arithmetic
        raise AssertionError(f"investors-first rows moved: {allocation} != {planned}")
    return allocation
