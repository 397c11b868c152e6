"""The workbook's sheets, in order. Each builder writes one sheet top to bottom: column widths,
then rows, then print setup and protection. Every formula is written with the result the app
computed for it (``planner.figures``), so the two are one figure seen twice; the export tests
have LibreOffice recompute every formula and compare it with the stored result."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from planner import years as fy
from planner.benefits import Benefits
from planner.excel.book import Book, Sheet, date_rule, list_rule
from planner.excel.cells import (
    Cell,
    blank,
    formula,
    header_footer_text,
    link,
    money,
    money_formula,
    said,
    share,
    text,
)
from planner.excel.layout import (
    FIRST_ROW,
    HEADER_ROW,
    BenefitsPlaces,
    ContributionsLayout,
    SchemesLayout,
    SignOffLayout,
    SummaryLayout,
    col,
    quoted_sheet,
    sheet_titles,
    streams_of,
)
from planner.figures import Figures, Split, beyond_settlement, certainty_of, on_results_of
from planner.findings import Finding
from planner.model import Certainty, Plan
from planner.plan_sensitivity import Sensitivity, plan_sensitivity
from planner.signoff import CERTAINTY_PHRASE

DECISIONS = ("Approved", "Approved with comments", "Not approved")
WORD = {
    Certainty.CONFIRMED: "Confirmed",
    Certainty.CONDITIONAL: "Conditional",
    Certainty.INDICATIVE: "Indicative",
    Certainty.UNFUNDED: "Unfunded",
}
# The signing dates the Sign-off sheet's validation lets a spreadsheet accept.
SIGNING_DATES = (dt.date(2000, 1, 1), dt.date(2100, 12, 31))


@dataclass
class Context:
    plan: Plan
    figures: Figures
    findings: list[Finding]
    fingerprint: str
    short_fingerprint: str
    today: dt.date
    password: str | None
    benefits: Benefits
    sign_off_status: dict[int, str]  # body id -> "Approved on ... (version 2)", "Not signed"
    # Where the Benefits sheet put its figures, once it is written: the sheets after it refer
    # to them.
    benefits_places: BenefitsPlaces | None = None
    # Whether the workbook has its Sensitivity sheet (where the plan has anything to
    # appraise): a return of a workbook exported before there was one is read without it.
    with_sensitivity: bool = True

    @property
    def years(self) -> list[int]:
        return list(self.plan.year_range)

    @functools.cached_property
    def results(self) -> bool:
        """Whether conditional money has its own columns and rows (``layout.on_results``)."""
        return self.plan.on_results()

    @functools.cached_property
    def sensitivity(self) -> Sensitivity | None:
        """The plan's switching values and bias sweep; None with nothing to appraise. Worked out
        when the Sensitivity sheet asks, so an export's progress names the step that takes the
        time."""
        if not self.with_sensitivity:
            return None
        return plan_sensitivity(self.plan, self.benefits)

    @functools.cached_property
    def certainties(self) -> list[Certainty]:
        """The certainties the sheets show (``Plan.certainties_shown``): asked for by every
        body's block, and each asking reads every settlement year of the plan."""
        return self.plan.certainties_shown()

    def contributions_layout(self) -> ContributionsLayout:
        return ContributionsLayout(streams_of(self.plan), self.years, self.results)

    def summary_layout(self) -> SummaryLayout:
        return SummaryLayout(self.years, self.results)


# -- shared pieces --------------------------------------------------------------------------


def _heading(ws: Sheet, ctx: Context, title: str, note: str, width: int) -> None:
    """Rows 1-3: the sheet's title with the plan's name, a line on how to read it (wrapped
    across the table's ``width`` columns, so it never widens the printout), a gap."""
    ws.append([text(f"{title}: {ctx.plan.name}", "pp_title")])
    width = min(width, ws.page_columns())  # wrapped on the first page, not cut at its edge
    ws.height(2, _fit_height(ws, [(note, range(1, width + 1))]))
    ws.append_across(1, width, text(note, "pp_note"))
    ws.append()


def _fit_height(ws: Sheet, texts: list[tuple[str, range]]) -> float:
    """A row height (points) that shows each wrapped text in full across its columns: the
    writer cannot measure text, and Excel does not grow rows of a file it opens."""
    lines = 1
    for value, columns in texts:
        # Prose runs about 1.2 characters to a unit of column width (which is a digit's).
        chars = max(8.0, sum(ws.widths.get(c, 10) for c in columns) * 1.2)
        need = sum(max(1, -(-len(part) // int(chars))) for part in str(value).split("\n"))
        lines = max(lines, need)
    return 15.0 * lines + 3


# Column widths (characters). A year's amount fits £1bn in brackets, a total £10bn, in bold; a
# column of names wraps past NAMES, rather than widen the printout past a page.
AMOUNT, TOTAL, NAMES = 16, 18, 30


def _name_width(names, least: float = 20, most: float = NAMES) -> float:
    return min(most, max([least, *(len(n) * 1.1 + 2 for n in names)]))


def _headers(ws: Sheet, labels: list[str]) -> None:
    ws.append([text(label, "pp_header") for label in labels])


# Every table sheet repeats its header row at the top of each printed page.
HEADER = (HEADER_ROW, HEADER_ROW)


def _finish(ws: Sheet, ctx: Context, *, gridlines: bool = True) -> None:
    """Print setup and protection, the same on every sheet: A4 landscape, at the scale the
    sheet's width allows but never below 8 pt type (a wider sheet goes on across pages, its
    labels repeated), the header row on every page, and a page break before any table that
    would otherwise split. A table prints its gridlines, so an empty cell (not written at
    all) still sits in a ruled grid."""
    plan = ctx.plan
    status = f"Version {plan.version} ({plan.status.value.replace('_', ' ')})"
    ws.finish(
        header=f"&L{header_footer_text(plan.name)}&R{header_footer_text(status)}",
        footer=f"&LFingerprint {ctx.short_fingerprint}&C&A&RPage &P of &N",
        password=ctx.password or "",
        gridlines=gridlines,
    )


def _certainty_formulas(
    amounts: str, certainty: str, beyond: str, results: str | None = None
) -> dict[str, str]:
    """Confirmed, indicative and unfunded money (and, given the ``results`` column,
    conditional) in a column of contributions. Money beyond a settlement's amount is unfunded,
    and money resting on results conditional, whatever the settlement's certainty (as in the
    app)."""

    def part(word: str) -> str:
        less = [beyond, results] if results else [beyond]
        return f'SUMIF({certainty},"{word}",{amounts})' + "".join(
            f'-SUMIF({certainty},"{word}",{r})' for r in less
        )

    formulas = {
        "Confirmed": f"=ROUND({part('Confirmed')},2)",
        "Indicative": f"=ROUND({part('Indicative')},2)",
        "Unfunded": f'=ROUND(SUMIF({certainty},"Unfunded",{amounts})+SUM({beyond}),2)',
    }
    if results:
        formulas["Conditional"] = f"=ROUND(SUM({results}),2)"
    return formulas


def _by_word(split: Split) -> dict[str, int]:
    return {WORD[c]: getattr(split, c.value) for c in Certainty}


# -- Cover ----------------------------------------------------------------------------------


def cover(book: Book, ctx: Context) -> None:
    plan = ctx.plan
    ws = book.sheet("Cover", {1: 40, 2: 40, 3: 9, 4: 40}, repeat_rows=(1, 1))
    ws.append([text(plan.name, "pp_title")])
    ws.append([text("Pooled budget plan: sign-off workbook", "pp_subtitle")])
    ws.append()
    bodies = list(plan.bodies.values())
    # The checklist's rows, worked out before they are written: the banner above counts them.
    banner_row = ws.next_row
    details = [
        ("Version", text(str(plan.version))),
        ("Status", text(plan.status.value.replace("_", " ").capitalize())),
        (
            "Financial years",
            text(f"{fy.label(plan.first_year)} to {fy.label(plan.last_year)} ({plan.years} years)"),
        ),
        ("Exported", said(fy.day(ctx.today))),
        ("Fingerprint", text(ctx.fingerprint)),
        ("Return to", said(plan.return_to or "The plan's lead finance officer")),
        (
            "Return by",
            said(fy.day(plan.return_by) if plan.return_by else "Not set"),
        ),
    ]
    about = plan.description or "(no description)"
    how = (
        "Read what your body's decision approves on the Sign-off sheet, then fill in its "
        "yellow cells. Grey cells are worked out by formula. Sheets are protected so that "
        "formulas cannot be overwritten by accident. Please return the workbook unchanged apart "
        "from the Sign-off sheet (and any figure you propose to change); the fingerprint "
        "matches it to this exact version of the plan."
    )
    # banner, gap, details, gap, about, how to, gap, the checklist's header
    first_check = banner_row + 2 + len(details) + 4 + 1
    checks = f"$C${first_check}:$C${first_check + max(len(bodies), 1) - 1}"
    n = len(bodies)
    ws.height(banner_row, 24)
    ws.append(
        [
            formula(
                f'=IF(COUNTIF({checks},"Yes")={n},"Complete: every body has signed",'
                f'"Incomplete: "&COUNTIF({checks},"Yes")&" of {n} sign-offs complete")',
                # As exported no decision is made, so no sign-off is complete.
                f"Incomplete: 0 of {n} sign-offs complete",
                "pp_banner",
            )
        ]
    )
    ws.append()
    for label, value in details:
        ws.append_pair(text(label, "pp_label"), value, across=4)
    ws.append()
    for label, value in (("About this plan", about), ("How to use this workbook", how)):
        ws.height(ws.next_row, _fit_height(ws, [(value, range(2, 5))]))
        ws.append_pair(text(label, "pp_label_top"), text(value, "pp_text_wrap"), across=4)
    ws.append()
    _headers(ws, ["Before you return it: each body's sign-off", "On the Sign-off sheet", "Done?",
                  "Recorded in the plan so far"])  # fmt: skip
    assert ws.next_row == first_check, (ws.next_row, first_check)
    for i, b in enumerate(bodies):
        r = FIRST_ROW + i
        cells = {k: f"'Sign-off'!{col(c)}{r}" for k, c in _SIGNED.items()}
        ws.height(ws.next_row, _fit_height(ws, [(b.name, range(1, 2))]))
        ws.append(
            [
                text(b.name, "pp_text_wrap"),
                link(f"{cells['decision']}", f"Signatory, decision, date: row {r}"),
                formula(
                    f'=IF(AND(TRIM({cells["signatory"]})<>"",TRIM({cells["decision"]})<>"",'
                    f'{cells["date"]}<>"",OR({cells["decision"]}<>"{DECISIONS[1]}",'
                    f'TRIM({cells["comments"]})<>"")),"Yes","No")',
                    "No",
                    "pp_check",
                ),
                said(ctx.sign_off_status.get(b.id, "Not signed"), "pp_text_wrap"),
            ]
        )
    book.conditional(ws, checks.replace("$", ""), "No", "pp_check_no")
    book.conditional(ws, f"A{banner_row}", "Complete: every body has signed", "pp_banner_done")
    ws.append()
    ws.append([text("Contents", "pp_label")])
    for title in sheet_titles(plan, ctx.with_sensitivity)[1:]:
        ws.append([link(f"{quoted_sheet(title)}!A1", title)])
    _finish(ws, ctx, gridlines=False)


# Where on the Sign-off sheet the checklist looks, and what a complete sign-off has.
_SIGNED = {
    "signatory": SignOffLayout.SIGNATORY,
    "decision": SignOffLayout.DECISION,
    "date": SignOffLayout.DATE,
    "comments": SignOffLayout.COMMENTS,
}


# -- Summary --------------------------------------------------------------------------------


def summary(book: Book, ctx: Context) -> None:
    years, figures = ctx.years, ctx.figures
    layout, contrib = ctx.summary_layout(), ctx.contributions_layout()
    schemes = SchemesLayout(len(ctx.plan.schemes), years)
    L = layout.letter
    width = len(layout.columns)
    share_col = layout.columns.index("Confirmed share") + 1
    ws = book.sheet(
        "Summary",
        {1: 12, **{n: AMOUNT for n in range(2, width + 1)}, share_col: 12},
        freeze=f"B{FIRST_ROW}",
        repeat_rows=HEADER,
        repeat_columns=1,
    )
    _heading(
        ws,
        ctx,
        "Summary",
        "Every figure here is a formula over the Contributions and "
        "Schemes sheets. At risk = "
        + ("conditional + " if ctx.results else "")
        + "indicative + unfunded money.",
        width,
    )
    _headers(ws, list(layout.columns))
    words = [WORD[c] for c in ctx.certainties]
    # The certainties' columns, then the contributions (their sum) and what follows them.
    parts = [L(w) for w in words]
    risky = [L(w) for w in words if w != "Confirmed"]
    C, S, B, R = L("Contributions"), L("Spending"), L("Balance"), L("Running balance")
    for i, year in enumerate(years):
        r = layout.row(i)
        yf = figures.years[year]
        c = yf.contributions
        sumif = _certainty_formulas(*contrib.spans(i, sheet="Contributions"))
        spend_cell = f"Schemes!{col(schemes.year_col(i))}{schemes.total_row}"
        running = f"={R}{r - 1}+{B}{r}" if i else f"={B}{r}"
        ws.append(
            [
                text(fy.label(year), "pp_label"),
                *(money_formula(sumif[w], _by_word(c)[w]) for w in words),
                money_formula(f"=ROUND({'+'.join(f'{p}{r}' for p in parts)},2)", c.total),
                money_formula(f"={spend_cell}", yf.expenditure),
                money_formula(f"=ROUND({C}{r}-{S}{r},2)", yf.balance),
                money_formula(running, yf.cumulative_balance),
                share(f'=IF({C}{r}=0,"",{L("Confirmed")}{r}/{C}{r})', c.confirmed, c.total),
                money_formula(f"=ROUND({'+'.join(f'{p}{r}' for p in risky)},2)", yf.at_risk),
            ]
        )
    t, first, last = layout.total_row, FIRST_ROW, layout.total_row - 1
    totals = figures.contribution_totals
    sums = [
        *(_by_word(totals)[w] for w in words),
        totals.total,
        figures.total_expenditure,
        totals.total - figures.total_expenditure,
    ]
    A = L("At risk")
    ws.append(
        [
            text("Total", "pp_label"),
            *[
                money_formula(f"=ROUND(SUM({c}{first}:{c}{last}),2)", p, "pp_money_total")
                for c, p in zip([*parts, C, S, B], sums, strict=True)
            ],
            money_formula(
                f"={R}{last}", figures.years[years[-1]].cumulative_balance, "pp_money_total"
            ),
            share(f'=IF({C}{t}=0,"",{L("Confirmed")}{t}/{C}{t})', totals.confirmed, totals.total),
            money_formula(
                f"=ROUND(SUM({A}{first}:{A}{last}),2)", figures.total_at_risk, "pp_money_total"
            ),
        ]
    )
    book.name("Summary_Table", f"Summary!$A${HEADER_ROW}:${A}${t}")

    ws.certainty_chart(
        "Contributions by year and certainty",
        FIRST_ROW,
        last,
        f"A{t + 3}",
        [c for c in ctx.certainties],
    )
    _finish(ws, ctx)


# -- Commitments ----------------------------------------------------------------------------


def commitments(book: Book, ctx: Context) -> None:
    """Each body's commitment in one place: what it pays into the pool by year and how sure
    that money is (formulas over its own rows of the Contributions sheet), its costs and
    benefits in the appraisal, and in words how the money it pools and the money the appraisal
    counts as its investment differ."""
    plan, years, figures, b = ctx.plan, ctx.years, ctx.figures, ctx.benefits
    contrib = ctx.contributions_layout()
    n = len(years)
    names = _name_width(x.name for x in plan.bodies.values())
    total_col = 3 + n
    ws = book.sheet(
        "Commitments",
        {1: names, 2: 40, **{3 + i: AMOUNT for i in range(n)}, total_col: TOTAL},
        freeze=f"C{FIRST_ROW}",
        repeat_rows=HEADER,
        repeat_columns=2,
    )
    _heading(
        ws,
        ctx,
        "Each body's commitment",
        "What each body pays into the pool, by year and by how sure the money is, beside its "
        "costs and benefits in the appraisal (the Benefits sheet). Money pooled and money "
        "invested in the appraised schemes are different figures; each body's last line says "
        "how they differ.",
        total_col,
    )
    _headers(ws, ["Body", "", *fy.labels(years), "Total"])
    rows_of: dict[int, list[int]] = {}
    for k, (body_id, _sid) in enumerate(contrib.streams):
        rows_of.setdefault(body_id, []).append(FIRST_ROW + k)
    pooled = figures.total_contributions
    invested = sum(x.total_costs for x in b.bodies.values())
    first, last = col(3), col(2 + n)

    def total(r: int, pence: int) -> Cell:
        return money_formula(f"=ROUND(SUM({first}{r}:{last}{r}),2)", pence, "pp_money_total")

    for body in plan.bodies.values():
        bf, bb = figures.bodies[body.id], b.bodies[body.id]
        words = _reconciliation(body.name, bf.total, bb.total_costs, pooled, invested)
        across = min(total_col, ws.page_columns())
        start = ws.next_row
        block = 1 + len(ctx.certainties) + 2  # contributions, by certainty, costs, benefits
        ws.height(start, _fit_height(ws, [(body.name, range(1, 2))]))
        ws.height(start + block, _fit_height(ws, [(words, range(2, across + 1))]))
        ws.keep_together(block + 1)  # and the words: a page breaks before the block, not in it
        top, bottom = min(rows_of[body.id]), max(rows_of[body.id])

        def spans(i: int, top=top, bottom=bottom) -> list[str]:
            """The body's own rows of year ``i``'s amounts, certainties, excesses and parts on
            results."""
            return contrib.spans(i, top, bottom, sheet="Contributions")

        r = ws.next_row
        ws.append(
            [
                text(body.name, "pp_label_top"),
                text("Contributions to the pool", "pp_label_top"),
                *(
                    money_formula(f"=ROUND(SUM({spans(i)[0]}),2)", bf.by_year[y].total)
                    for i, y in enumerate(years)
                ),
                total(r, bf.total),
            ]
        )
        for c in ctx.certainties:
            r = ws.next_row
            word = WORD[c]
            ws.append(
                [
                    None,  # the body is named on its block's first row
                    text(f"of which {CERTAINTY_PHRASE[c]}"),
                    *(
                        money_formula(
                            _certainty_formulas(*spans(i))[word], getattr(bf.by_year[y], c.value)
                        )
                        for i, y in enumerate(years)
                    ),
                    total(r, sum(getattr(s, c.value) for s in bf.by_year.values())),
                ]
            )
        for label, by_year in (
            ("Costs in the appraisal", bb.costs),
            ("Benefits to it in the appraisal", bb.adjusted),
        ):
            r = ws.next_row
            ws.append(
                [
                    None,
                    text(label),
                    *(money(by_year[y] or None) for y in years),
                    total(r, sum(by_year.values())),
                ]
            )
        ws.append_pair(None, text(words, "pp_note"), across=across)
        ws.append()
    _finish(ws, ctx)


def _reconciliation(name: str, pays: int, costs: int, pooled: int, invested: int) -> str:
    from planner.money import format as m

    whole = f"(The whole pool: {m(pooled)} pooled, {m(invested)} of costs in the appraisal.)"
    if pays >= costs:
        return (
            f"{name} pays {m(pays)} into the pool over the plan; the appraisal counts {m(costs)} "
            f"of the schemes' costs as its investment. The other {m(pays - costs)} it pools pays "
            f"for services whose costs the appraisal does not count as new investment. {whole}"
        )
    return (
        f"{name} pays {m(pays)} into the pool over the plan; the appraisal counts {m(costs)} of "
        f"the schemes' costs as its investment, {m(costs - pays)} more than it pools: that part "
        f"of its investment is met outside the pool. {whole}"
    )


# -- Contributions ----------------------------------------------------------------------------


def contributions(book: Book, ctx: Context) -> None:
    plan, years, figures = ctx.plan, ctx.years, ctx.figures
    layout = ctx.contributions_layout()
    n = len(years)
    # Long names wrap rather than widen the printout past a page.
    names = _name_width(b.name for b in plan.bodies.values())
    streams = _name_width([s.name for s in plan.settlements.values()] + ["No settlement"])
    widths = {
        1: names,
        2: streams,
        **{layout.amount_col(i): AMOUNT for i in range(n)},
        layout.total_col: TOTAL,
        layout.total_col + 1: 3,
        **{layout.certainty_col(i): 12 for i in range(n)},
        **{layout.beyond_col(i): 14 for i in range(n)},
        **({layout.results_col(i): 14 for i in range(n)} if layout.results else {}),
    }
    # On paper, the amounts and their totals; the columns the formulas read are for screens.
    ws = book.sheet(
        "Contributions",
        widths,
        freeze=f"C{FIRST_ROW}",
        printed=layout.total_col,
        repeat_rows=HEADER,
        repeat_columns=2,
    )
    _heading(
        ws,
        ctx,
        "Contributions",
        "Each body's money into the pool. Shading shows how sure each amount is: flat blue "
        "confirmed, "
        + ("lined green conditional (paid only on results not yet known), " if ctx.results else "")
        + "hatched orange indicative, gridded red unfunded (no settlement covers it). "
        "A figure in red is more than its settlement provides: the part beyond counts as "
        "unfunded. The columns on the right give each amount's certainty as a word, and any "
        "part of it beyond its settlement"
        + (", and any part resting on results (conditional)." if ctx.results else "."),
        layout.total_col,
    )
    _headers(
        ws,
        [
            "Body",
            "Funded by",
            *fy.labels(years),
            "Total",
            "",
            *(f"Certainty {fy.label(y)}" for y in years),
            "",
            *(f"Beyond settlement {fy.label(y)}" for y in years),
            *(["", *(f"On results {fy.label(y)}" for y in years)] if layout.results else []),
        ],
    )
    cells = {(c.body_id, c.year, c.settlement_id): c for c in plan.contributions.values()}
    first_c, last_c = col(layout.amount_col(0)), col(layout.amount_col(n - 1))
    for r_i, (body_id, sid) in enumerate(layout.streams):
        r = FIRST_ROW + r_i
        funded_by = plan.settlements[sid].name if sid is not None else "No settlement"
        name = plan.bodies[body_id].name
        ws.height(r, _fit_height(ws, [(name, range(1, 2)), (funded_by, range(2, 3))]))
        row = [text(name, "pp_text_wrap"), text(funded_by, "pp_text_wrap")]
        words, beyond, stake = [], [], []
        stream_total = 0
        for year in years:
            c = cells.get((body_id, year, sid))
            if c is None:  # nothing this year: no cell at all
                row.append(None)
                words.append(None)
                beyond.append(None)
                stake.append(None)
                continue
            certainty = certainty_of(plan, c)
            excess = beyond_settlement(plan, c)
            conditional = on_results_of(plan, c)
            # Shaded as its settlement is sure; a figure partly beyond it is red, and one partly
            # resting on results green and in italics, rather than the whole amount shaded as
            # unfunded or conditional for a part of it (the columns on the right say how much).
            marks = ("_beyond" if excess else "") + ("_results" if conditional else "")
            row.append(money(c.amount_pence, f"pp_{certainty.value}{marks}"))
            words.append(text(WORD[certainty]))
            beyond.append(money(excess or None))
            stake.append(money(conditional or None))
            stream_total += c.amount_pence
        row.append(
            money_formula(
                f"=ROUND(SUM({first_c}{r}:{last_c}{r}),2)", stream_total, "pp_money_total"
            )
        )
        tail = [None, *stake] if layout.results else []
        ws.append([*row, None, *words, None, *beyond, *tail])
    ws.append()
    splits = [figures.years[y].contributions for y in years]
    label_rows = [
        ("Total", None),
        *((f"of which {WORD[c].lower()}", WORD[c]) for c in ctx.certainties),
    ]
    for k, (label, word) in enumerate(label_rows):
        r = layout.total_row + k
        row = [text(label, "pp_label"), None]
        for i in range(n):
            spans = [span.replace("$", "") for span in layout.spans(i)]
            if word is None:
                row.append(
                    money_formula(f"=ROUND(SUM({spans[0]}),2)", splits[i].total, "pp_money_total")
                )
            else:
                row.append(
                    money_formula(
                        _certainty_formulas(*spans)[word],
                        _by_word(splits[i])[word],
                        "pp_money_total",
                    )
                )
        whole = sum(s.total if word is None else _by_word(s)[word] for s in splits)
        row.append(
            money_formula(f"=ROUND(SUM({first_c}{r}:{last_c}{r}),2)", whole, "pp_money_total")
        )
        ws.append(row)
    ws.append()
    ws.append(
        [
            text("Key", "pp_label"),
            *(text(WORD[c], f"pp_{c.value}") for c in ctx.certainties),
            text("Red: partly beyond its settlement", "pp_confirmed_beyond"),
            *(
                [text("Green italics: partly on results", "pp_confirmed_results")]
                if ctx.results
                else []
            ),
        ]
    )
    book.name(
        "Contributions_Amounts",
        f"Contributions!${first_c}${FIRST_ROW}:${last_c}${layout.last_row}",
    )
    book.name(
        "Contributions_Certainty",
        f"Contributions!${col(layout.certainty_col(0))}${FIRST_ROW}:"
        f"${col(layout.certainty_col(n - 1))}${layout.last_row}",
    )
    _finish(ws, ctx)


# -- Timeline -------------------------------------------------------------------------------


def timeline(book: Book, ctx: Context) -> None:
    plan, years, figures = ctx.plan, ctx.years, ctx.figures
    names = _name_width(b.name for b in plan.bodies.values())
    ws = book.sheet(
        "Timeline",
        {1: names, 2: 14, **{3 + i: AMOUNT for i in range(len(years))}},
        freeze=f"C{FIRST_ROW}",
        repeat_rows=HEADER,
        repeat_columns=2,
    )
    _heading(
        ws,
        ctx,
        "Funding timeline",
        "Each cell is a body's contribution that year: solid blue confirmed, "
        + ("lined green conditional (paid only on results), " if ctx.results else "")
        + "hatched orange indicative, gridded red unfunded (where a year "
        "mixes them, the least certain is shown). A heavy right border marks where the "
        "body's confirmed funding ends.",
        2 + len(years),
    )
    _headers(ws, ["Body", "Confirmed to", *fy.labels(years)])
    for body_id, bf in figures.bodies.items():
        name = plan.bodies[body_id].name
        ws.height(ws.next_row, _fit_height(ws, [(name, range(1, 2))]))
        row = [
            text(name, "pp_text_wrap"),
            text(fy.label(bf.confirmed_until) if bf.confirmed_until else "Not confirmed"),
        ]
        for year in years:
            split = bf.by_year[year]
            end = "_end" if year == bf.confirmed_until and year != plan.last_year else ""
            if not split.total:
                # Only the end of confirmed funding is drawn on an empty year.
                row.append(blank("pp_tl_empty_end") if end else None)
                continue
            least = next(
                (c for c in reversed(Certainty) if getattr(split, c.value)), Certainty.CONFIRMED
            )
            row.append(money(split.total, f"pp_tl_{least.value}{end}"))
        ws.append(row)
    ws.append()
    summary_layout = ctx.summary_layout()
    share_col, risk_col = summary_layout.letter("Confirmed share"), summary_layout.letter("At risk")
    pool = [figures.years[y] for y in years]
    ws.append(
        [
            text("Confirmed share of the pool", "pp_label"),
            None,
            *[
                share(
                    f"=Summary!{share_col}{summary_layout.row(i)}",
                    yf.contributions.confirmed,
                    yf.contributions.total,
                )
                for i, yf in enumerate(pool)
            ],
        ]
    )
    ws.append(
        [
            text("At risk", "pp_label"),
            None,
            *[
                money_formula(f"=Summary!{risk_col}{summary_layout.row(i)}", yf.at_risk)
                for i, yf in enumerate(pool)
            ],
        ]
    )
    ws.append()
    ws.append(
        [
            text("Key", "pp_label"),
            None,
            *[text(WORD[c], f"pp_tl_{c.value}") for c in ctx.certainties],
        ]
    )
    _finish(ws, ctx)


# -- Schemes --------------------------------------------------------------------------------


def schemes(book: Book, ctx: Context) -> None:
    plan, years, figures = ctx.plan, ctx.years, ctx.figures
    layout = SchemesLayout(len(plan.schemes), years)
    n = len(years)
    ws = book.sheet(
        "Schemes",
        {
            1: NAMES,
            2: 24,
            3: 20,
            **{layout.year_col(i): AMOUNT for i in range(n)},
            layout.total_col: TOTAL,
        },
        freeze=f"D{FIRST_ROW}",
        repeat_rows=HEADER,
        repeat_columns=1,
    )
    _heading(ws, ctx, "Schemes", "What the pool pays for, by year.", layout.total_col)
    _headers(ws, ["Scheme", "Lead body", "Provider", *fy.labels(years), "Total"])
    first, last = col(layout.year_col(0)), col(layout.year_col(n - 1))
    for r_i, s in enumerate(plan.schemes.values()):
        r = FIRST_ROW + r_i
        lead = plan.bodies[s.lead_body_id].name if s.lead_body_id in plan.bodies else ""
        ws.append(
            [
                text(s.name),
                text(lead),
                text(s.provider),
                *(money(s.spend.get(y)) for y in years),
                money_formula(
                    f"=ROUND(SUM({first}{r}:{last}{r}),2)",
                    sum(s.spend.get(y, 0) for y in years),
                    "pp_money_total",
                ),
            ]
        )
    if not plan.schemes:
        ws.append([text("(no schemes yet)")])
    ws.append()
    spend = [figures.years[y].expenditure for y in years] + [figures.total_expenditure]
    ws.append(
        [
            text("Total spending", "pp_label"),
            None,
            None,
            *(
                money_formula(
                    f"=ROUND(SUM({col(layout.year_col(i))}{FIRST_ROW}:"
                    f"{col(layout.year_col(i))}{layout.last_row}),2)",
                    spend[i],
                    "pp_money_total",
                )
                for i in range(n + 1)
            ),
        ]
    )
    book.name("Schemes_Spending", f"Schemes!${first}${FIRST_ROW}:${last}${layout.last_row}")
    _finish(ws, ctx)


# -- Findings -------------------------------------------------------------------------------


def findings(book: Book, ctx: Context) -> None:
    plan = ctx.plan
    ws = book.sheet(
        "Findings",
        {1: 10, 2: 36, 3: 24, 4: 18, 5: AMOUNT, 6: 70},
        freeze=f"A{FIRST_ROW}",
        repeat_rows=HEADER,
    )
    _heading(
        ws,
        ctx,
        "Findings",
        "What the partners should look at before signing, most severe first.",
        6,
    )
    _headers(ws, ["Severity", "Finding", "Body", "Years", "Amount", "Explanation"])
    for i, f in enumerate(ctx.findings):
        body = plan.bodies[f.body_id].name if f.body_id is not None else "Whole pool"
        ws.height(
            FIRST_ROW + i,
            _fit_height(
                ws, [(f.title, range(2, 3)), (body, range(3, 4)), (f.message, range(6, 7))]
            ),
        )
        ws.append(
            [
                text(f.severity.value.capitalize()),
                text(f.title, "pp_text_wrap"),
                text(body, "pp_text_wrap"),
                text(fy.describe_range(f.years)),
                money(f.amount_pence),
                text(f.message, "pp_text_wrap"),
            ]
        )
    if not ctx.findings:
        ws.append([None, text("No findings.")])
    book.name(
        "Findings_Table",
        f"Findings!$A${HEADER_ROW}:$F${FIRST_ROW + max(len(ctx.findings), 1) - 1}",
    )
    _finish(ws, ctx)


# -- Sign-off -------------------------------------------------------------------------------


def sign_off(book: Book, ctx: Context) -> None:
    from planner.signoff import body_statement

    plan, at = ctx.plan, SignOffLayout
    names = _name_width(b.name for b in plan.bodies.values())
    widths = {
        1: names,
        at.STATEMENT: 52,
        at.SIGNATORY: 18,
        at.TITLE: 18,
        at.DECISION: 22,
        at.DATE: 11,
        at.COMMENTS: 30,
    }
    ws = book.sheet("Sign-off", widths, freeze=f"C{FIRST_ROW}", repeat_rows=HEADER)
    _heading(
        ws,
        ctx,
        "Sign-off",
        "Each partner's signatory reads what their decision approves, then fills in the "
        "yellow cells: their name and title, the decision (choose from the list), the date and "
        "any comments (needed with \u201cApproved with comments\u201d).",
        at.WIDTH,
    )
    _headers(ws, list(at.COLUMNS))
    bodies = list(plan.bodies.values())
    for i, b in enumerate(bodies):
        words = body_statement(plan, ctx.figures, b.id, ctx.short_fingerprint)
        # Room for the whole statement, and to sign a printed copy.
        ws.height(FIRST_ROW + i, max(45, _fit_height(ws, [(words, range(2, 3))])))
        ws.append(
            [
                text(b.name, "pp_label_top"),
                text(words, "pp_text_wrap"),
                text(b.signatory_name, "pp_input"),
                text(b.signatory_title, "pp_input"),
                blank("pp_input"),
                blank("pp_input_date"),
                blank("pp_input"),
            ]
        )
    last = FIRST_ROW + max(len(bodies), 1) - 1
    ws.validate(
        (FIRST_ROW, at.DECISION, last, at.DECISION),
        list_rule(DECISIONS, "Decision", "Choose a decision from the list."),
    )
    ws.validate(
        (FIRST_ROW, at.DATE, last, at.DATE),
        date_rule(*SIGNING_DATES, "Date", "Type the date you signed, e.g. 31/03/2026."),
    )
    book.name(
        "SignOff_Inputs", f"'Sign-off'!${col(at.SIGNATORY)}${FIRST_ROW}:${col(at.COMMENTS)}${last}"
    )
    _finish(ws, ctx)
