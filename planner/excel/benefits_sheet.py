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
from planner.discounting import rate_bp
from planner.excel.cells import cell, money, text
from planner.excel.layout import col
from planner.excel.sheets import Context, _finish, _heading, _name, _new_sheet
from planner.model import GainShareRule

FIRST = 6  # column F: the first year


class _Rows:
    """Counts the rows as they are written, so formulas can name them."""

    def __init__(self, ws):
        self.ws, self.n = ws, 0

    def add(self, cells) -> int:
        self.ws.append(cells)
        self.n += 1
        return self.n

    def gap(self) -> None:
        self.add([])

    def label(self, label: str, year_cells) -> int:
        """A labelled row of year cells, the years starting in column F like every table."""
        return self.add([text(self.ws, label, "pp_label"), None, None, None, None, *year_cells])


def build(wb, ctx: Context) -> None:
    plan, b = ctx.plan, ctx.benefits
    years = ctx.years
    n = len(years)
    ycol = [col(FIRST + i) for i in range(n)]
    last_y = ycol[-1]
    pv_col = col(FIRST + n + 1)
    bodies = list(plan.bodies.values())
    ws = _new_sheet(
        wb,
        ctx,
        "Benefits",
        {1: 36, 2: 30, 3: 8, 4: 10, 5: 11, **{FIRST + i: 14 for i in range(n + 2)}},
        freeze="F5",
    )
    _heading(
        ws,
        ctx,
        "Benefits and gain-share",
        "Costs by paying body and benefits by receiving body, with optimism bias taken "
        "off, discounted to today at the plan's rates (Green Book: year 0 is not "
        "discounted). Grey cells are formulas.",
        FIRST + n + 1,
    )
    rows = _Rows(ws)
    rows.n = 3

    def header(labels: list[str]) -> int:
        # Two lines of room: headers such as "NPV after gain-share" wrap.
        ws.row_dimensions[rows.n + 1].height = 30
        return rows.add([text(ws, h, "pp_header") for h in labels])

    def year_header(first: list[str], extra: list[str] = ()) -> int:
        return header([*first, *([""] * (5 - len(first))), *fy.labels(years), *extra])

    # -- discount factors -----------------------------------------------------------------
    year_header(["Discount factors"])
    rows.label("Year number", (cell(ws, i, "pp_text") for i in range(n)))
    rate_row = rows.n + 1
    rows.label(
        "Discount rate",
        (
            cell(
                ws,
                Decimal(rate_bp(plan.appraisal.discount_bands, i)) / 10_000 if i else None,
                "pp_percent",
            )
            for i in range(n)
        ),
    )
    factor_row = rows.n + 1
    rows.label(
        "Discount factor",
        (
            cell(
                ws,
                "=1" if i == 0 else f"={ycol[i - 1]}{factor_row}/(1+{ycol[i]}{rate_row})",
                "pp_factor",
            )
            for i in range(n)
        ),
    )
    factors = f"${ycol[0]}${factor_row}:${last_y}${factor_row}"
    _name(wb, "Discount_Factors", f"Benefits!{factors}")
    rows.gap()

    def pv(r: int) -> str:
        return f"=ROUND(SUMPRODUCT({ycol[0]}{r}:{last_y}{r},{factors}),2)"

    def total(r: int) -> str:
        return f"=ROUND(SUM({ycol[0]}{r}:{last_y}{r}),2)"

    def body_table(label: str, year_cells) -> dict[int, int]:
        """Bodies down, years across, with a total and today's value: the row of each body.
        ``year_cells(body, row)`` gives the body's cells for the years."""
        year_header([label, "", "No."], ["Total", "Today's value"])
        out = {}
        for body in bodies:
            r = rows.n + 1
            out[body.id] = rows.add(
                [
                    text(ws, body.name),
                    None,
                    cell(ws, body.id, "pp_text"),
                    None,
                    None,
                    *year_cells(body, r),
                    cell(ws, total(r), "pp_money_total"),
                    cell(ws, pv(r), "pp_money_total"),
                ]
            )
        rows.gap()
        return out

    # -- costs by body ----------------------------------------------------------------------
    cost_rows = body_table(
        "Costs by paying body",
        lambda body, r: [money(ws, b.bodies[body.id].costs[y] or None) for y in years],
    )

    # -- benefit lines ------------------------------------------------------------------------
    year_header(
        ["Benefit lines (before optimism bias)", "Receiving body", "No.", "Cash?", "Optimism bias"]
    )
    lines = list(plan.benefits.values())
    gross_rows = []
    for line in lines:
        gross_rows.append(
            rows.add(
                [
                    text(ws, plan.schemes[line.scheme_id].name),
                    text(ws, plan.bodies[line.body_id].name),
                    cell(ws, line.body_id, "pp_text"),
                    text(ws, "Yes" if line.cashable else "No"),
                    cell(ws, Decimal(line.optimism_bias_bp) / 10_000, "pp_percent"),
                    *(money(ws, line.years.get(y)) for y in years),
                ]
            )
        )
    if not lines:
        rows.add([text(ws, "(no benefits recorded)")])
    rows.gap()
    year_header(["Benefit lines (after optimism bias)", "Receiving body", "No.", "Cash?"])
    adj_rows = []
    for line, g in zip(lines, gross_rows, strict=True):
        adj_rows.append(
            rows.add(
                [
                    text(ws, plan.schemes[line.scheme_id].name),
                    text(ws, plan.bodies[line.body_id].name),
                    cell(ws, f"=C{g}", "pp_text"),
                    cell(ws, f"=D{g}", "pp_text"),
                    None,
                    *(cell(ws, f"=ROUND({c}{g}*(1-$E{g}),2)", "pp_money_calc") for c in ycol),
                ]
            )
        )
    if not lines:
        rows.add([text(ws, "(no benefits recorded)")])
    first_line, last_line = (adj_rows[0], adj_rows[-1]) if adj_rows else (rows.n, rows.n)
    rows.gap()

    def by_body(label: str, cash_only: bool) -> dict[int, int]:
        ids = f"$C${first_line}:$C${last_line}"
        cash = f"$D${first_line}:$D${last_line}"

        def cells(body, r):
            out = []
            for c in ycol:
                amounts = f"{c}${first_line}:{c}${last_line}"
                formula = (
                    f'=ROUND(SUMIFS({amounts},{ids},$C{r},{cash},"Yes"),2)'
                    if cash_only
                    else f"=ROUND(SUMIF({ids},$C{r},{amounts}),2)"
                )
                out.append(cell(ws, formula, "pp_money_calc"))
            return out

        return body_table(label, cells)

    benefit_rows = by_body("Benefits by receiving body (after optimism bias)", cash_only=False)
    cash_rows = by_body("Cash benefits by body (what gain-share moves)", cash_only=True)
    first_b, last_b = min(cash_rows.values()), max(cash_rows.values())

    # -- gain-share ---------------------------------------------------------------------------
    rule = plan.appraisal.gain_share
    pool_row = rows.n + 1
    rows.label(
        "Cash benefits in the pool",
        (cell(ws, f"=ROUND(SUM({c}{first_b}:{c}{last_b}),2)", "pp_money_total") for c in ycol),
    )
    rows.gap()
    alloc_rows = _allocation(ws, rows, ctx, rule, bodies, ycol, pool_row, cash_rows, cost_rows)

    transfer_rows = body_table(
        f"Gain-share transfers ({rule.title.lower()})",
        lambda body, r: [
            cell(
                ws,
                f"=ROUND({c}{alloc_rows[body.id]}-{c}{cash_rows[body.id]},2)"
                if alloc_rows
                else "=0",
                "pp_money_calc",
            )
            for c in ycol
        ],
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
        ]
    )
    first_pos = rows.n + 1
    last_pos = first_pos + len(bodies) - 1
    for body in bodies:
        r = rows.n + 1
        bb = b.bodies[body.id]
        rows.add(
            [
                text(ws, body.name),
                None,
                cell(ws, body.id, "pp_text"),
                None,
                None,
                cell(ws, f"={pv_col}{cost_rows[body.id]}", "pp_money_calc"),
                cell(ws, f"={pv_col}{benefit_rows[body.id]}", "pp_money_calc"),
                cell(ws, f"=ROUND(G{r}-F{r},2)", "pp_money_calc"),
                cell(
                    ws,
                    f'=IF(SUM($F${first_pos}:$F${last_pos})=0,"",F{r}/SUM($F${first_pos}:$F${last_pos}))',
                    "pp_percent_calc",
                ),
                cell(
                    ws,
                    f'=IF(SUM($G${first_pos}:$G${last_pos})=0,"",G{r}/SUM($G${first_pos}:$G${last_pos}))',
                    "pp_percent_calc",
                ),
                cell(ws, f"=ROUND(H{r}+{pv_col}{transfer_rows[body.id]},2)", "pp_money_calc"),
                text(ws, fy.label(bb.before.payback_year) if bb.before.payback_year else "—"),
                text(ws, fy.label(bb.after.payback_year) if bb.after.payback_year else "—"),
            ]
        )
    t = rows.label(
        "Whole plan",
        [
            *(
                cell(ws, f"=ROUND(SUM({c}{first_pos}:{c}{last_pos}),2)", "pp_money_total")
                for c in "FGH"
            ),
            None,
            None,
            cell(ws, f"=ROUND(SUM(K{first_pos}:K{last_pos}),2)", "pp_money_total"),
            text(ws, fy.label(b.payback_year) if b.payback_year else "—"),
        ],
    )
    rows.label("Benefit-cost ratio", [cell(ws, f'=IF(F{t}=0,"",G{t}/F{t})', "pp_ratio_calc")])
    _name(wb, "Benefits_Positions", f"Benefits!$A${first_pos}:$M${t}")
    if b.gain_share.problem:
        rows.gap()
        rows.add(
            [
                text(
                    ws,
                    f"The gain-share agreement cannot be applied: {b.gain_share.problem}.",
                    "pp_label",
                )
            ]
        )
    # Many tables, each with its own header: no one row repeats usefully on every page.
    _finish(ws, ctx, header_rows=None)


def _allocation(
    ws, rows: _Rows, ctx: Context, rule: GainShareRule, bodies, ycol, pool_row, cash_rows, cost_rows
) -> dict[int, int]:
    """Write the allocation of each year's cash; returns the allocation row of each body
    (empty when there is no agreement, or it cannot be applied)."""
    plan, b = ctx.plan, ctx.benefits
    if rule is GainShareRule.NONE or b.gain_share.problem:
        return {}

    def table(label: str, make) -> dict[int, int]:
        rows.add(
            [
                text(ws, h, "pp_header")
                for h in [label, "", "No.", "", "Weight", *fy.labels(ctx.years)]
            ]
        )
        out = {}
        for body in bodies:
            r = rows.n + 1
            out[body.id] = rows.add(
                [text(ws, body.name), None, cell(ws, body.id, "pp_text"), None, *make(body, r)]
            )
        rows.gap()
        return out

    def span(rows_of: dict[int, int], c: str) -> str:
        return f"{c}${min(rows_of.values())}:{c}${max(rows_of.values())}"

    def split(total_of, weight_cell, weights: dict[int, int], weight_col_of):
        """Two tables: each share rounded; then the allocation, with the balance on the first
        row of largest weight."""
        rounded = table(
            "Share, rounded to the penny",
            lambda body, r: [
                None,
                *(
                    cell(
                        ws,
                        f"=IF(SUM({weight_col_of(c, weights)})=0,0,ROUND({total_of(c)}*"
                        f"{weight_cell(body, c)}/SUM({weight_col_of(c, weights)}),2))",
                        "pp_money_calc",
                    )
                    for c in ycol
                ),
            ],
        )

        def alloc(body, r):
            out = [None]
            for c in ycol:
                w = weight_col_of(c, weights)
                first_w = min(weights.values())
                is_balancing = f"ROW({weight_cell(body, c)})-{first_w}+1=MATCH(MAX({w}),{w},0)"
                out.append(
                    cell(
                        ws,
                        (
                            f"=IF({weight_cell(body, c)}<=0,0,IF({is_balancing},"
                            f"ROUND({total_of(c)}-(SUM({span(rounded, c)})-{c}{rounded[body.id]}),2),"
                            f"{c}{rounded[body.id]}))"
                        ),
                        "pp_money_calc",
                    )
                )
            return out

        return table("Allocation", alloc)

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
                return [cell(ws, f"={total}{cost_rows[body.id]}", "pp_money_calc")]
            share = Decimal(plan.appraisal.gain_share_percent_bp.get(body.id, 0)) / 10_000
            return [cell(ws, share, "pp_percent")]

        weights = table(label, weight)
        return split(
            lambda c: f"{c}${pool_row}",
            lambda body, c: f"$E${weights[body.id]}",
            weights,
            lambda c, w: span(w, "$E"),
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
        for i, c in enumerate(ycol):
            received = (
                f"-SUM(${first_year}{planned[body.id]}:{ycol[i - 1]}{planned[body.id]})"
                if i
                else ""
            )
            cells.append(
                cell(ws, f"=MAX(0,SUM(${first_year}{paid}:{c}{paid}){received})", "pp_money_calc")
            )
        return cells

    owed = table("Still owed to each investor", owed_cells)
    repay_row = rows.label(
        "Repaid to investors",
        (cell(ws, f"=MIN({c}{pool_row},SUM({span(owed, c)}))", "pp_money_total") for c in ycol),
    )
    rest_row = rows.label(
        "Left with those who received it",
        (cell(ws, f"=ROUND({c}{pool_row}-{c}{repay_row},2)", "pp_money_total") for c in ycol),
    )
    rows.gap()
    repaid = split(
        lambda c: f"{c}${repay_row}",
        lambda body, c: f"{c}{owed[body.id]}",
        owed,
        lambda c, w: span(w, c),
    )
    kept = split(
        lambda c: f"{c}${rest_row}",
        lambda body, c: f"{c}{cash_rows[body.id]}",
        cash_rows,
        lambda c, w: span(w, c),
    )
    allocation = table(
        "Allocation (repaid, plus what is kept)",
        lambda body, r: [
            None,
            *(
                cell(ws, f"=ROUND({c}{repaid[body.id]}+{c}{kept[body.id]},2)", "pp_money_total")
                for c in ycol
            ),
        ],
    )
    if allocation != planned:  # the shape above changed without this arithmetic
        raise AssertionError(f"investors-first rows moved: {allocation} != {planned}")
    return allocation
