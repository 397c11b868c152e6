"""The workbook's sheets, in order. Each builder writes one sheet in write-only mode: column
widths, then rows, then print setup and protection."""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass

from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from planner import years as fy
from planner.benefits import Benefits
from planner.excel.cells import cell, header_footer_text, money, text
from planner.excel.layout import (
    FIRST_ROW,
    HEADER_ROW,
    SHEET_TITLES,
    ContributionsLayout,
    SchemesLayout,
    SummaryLayout,
    col,
    streams_of,
)
from planner.figures import Figures, beyond_settlement, certainty_of
from planner.findings import Finding
from planner.model import Certainty, Plan

DECISIONS = ("Approved", "Approved with comments", "Not approved")
WORD = {
    Certainty.CONFIRMED: "Confirmed",
    Certainty.INDICATIVE: "Indicative",
    Certainty.UNFUNDED: "Unfunded",
}


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

    @property
    def years(self) -> list[int]:
        return list(self.plan.year_range)


# -- shared pieces --------------------------------------------------------------------------


def _new_sheet(wb, ctx: Context, title: str, widths: dict[int, float], freeze: str | None = None):
    """A sheet with what write-only mode needs before the first row: widths, frozen panes and
    fit-to-page (the rest of the print setup comes after the rows, in ``_finish``)."""
    ws = wb.create_sheet(title)
    ws._values_to_row = types.MethodType(_cells_to_row, ws)
    ws.pp_widths = widths  # read by _heading and _fit_height
    for n, w in widths.items():
        ws.column_dimensions[col(n)].width = w
    if freeze:
        ws.freeze_panes = freeze
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _cells_to_row(ws, values, row_idx):
    """Our rows are already cells (or None): hand them to the writer as they are. openpyxl's
    own version first tries each cell as a value, catches the error, and makes a spare cell
    after every styled one, which was a third of the export's time."""
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        if not isinstance(value, Cell):
            value = cell(ws, value)
        value.column, value.row = col_idx, row_idx
        yield value


def _heading(ws, ctx: Context, title: str, note: str, width: int) -> None:
    """Rows 1-3: the sheet's title with the plan's name, a line on how to read it (wrapped
    across the table's ``width`` columns, so it never widens the printout), a gap."""
    ws.append([text(ws, f"{title}: {ctx.plan.name}", "pp_title")])
    ws.row_dimensions[2].height = _fit_height(ws, [(note, range(1, width + 1))])
    ws.merged_cells.add(f"A2:{col(width)}2")
    ws.append([text(ws, note, "pp_note")])
    ws.append([])


def _fit_height(ws, texts: list[tuple[str, range]]) -> float:
    """A row height (points) that shows each wrapped text in full across its columns: openpyxl
    cannot measure text, and Excel does not grow rows of a file it opens."""
    lines = 1
    for value, columns in texts:
        chars = max(8.0, sum(ws.pp_widths.get(c, 10) for c in columns) * 1.05)
        need = sum(max(1, -(-len(part) // int(chars))) for part in str(value).split("\n"))
        lines = max(lines, need)
    return 15.0 * lines + 3


def _name_width(names, least: float = 20, most: float = 55) -> float:
    return min(most, max([least, *(len(n) * 1.1 + 2 for n in names)]))


def _headers(ws, labels: list[str]) -> None:
    ws.append([text(ws, label, "pp_header") for label in labels])


def _finish(
    ws,
    ctx: Context,
    *,
    header_rows: str | None = f"{HEADER_ROW}:{HEADER_ROW}",
    landscape: bool = True,
) -> None:
    """Print setup and protection, the same on every sheet."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    if header_rows:
        ws.print_title_rows = header_rows
    plan = ctx.plan
    ws.oddHeader.left.text = header_footer_text(plan.name)
    ws.oddHeader.right.text = header_footer_text(
        f"Version {plan.version} ({plan.status.value.replace('_', ' ')})"
    )
    ws.oddFooter.left.text = f"Fingerprint {ctx.short_fingerprint}"
    ws.oddFooter.center.text = "&A"  # the sheet's name
    ws.oddFooter.right.text = "Page &P of &N"
    ws.protection.sheet = True
    # Partners may still size and sort for reading; they cannot change a formula.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    if ctx.password:
        ws.protection.password = ctx.password


def _name(wb, name: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _certainty_formulas(amounts: str, certainty: str, beyond: str) -> dict[str, str]:
    """Confirmed, indicative and unfunded money in a column of contributions. Money beyond a
    settlement's amount is unfunded whatever the settlement's certainty (as in the app)."""

    def part(word: str) -> str:
        return f'SUMIF({certainty},"{word}",{amounts})-SUMIF({certainty},"{word}",{beyond})'

    return {
        "Confirmed": f"=ROUND({part('Confirmed')},2)",
        "Indicative": f"=ROUND({part('Indicative')},2)",
        "Unfunded": f'=ROUND(SUMIF({certainty},"Unfunded",{amounts})+SUM({beyond}),2)',
    }


# -- Cover ----------------------------------------------------------------------------------


def cover(wb, ctx: Context) -> None:
    plan = ctx.plan
    ws = _new_sheet(wb, ctx, "Cover", {1: 26, 2: 90})
    ws.append([text(ws, plan.name, "pp_title")])
    ws.append([text(ws, "Pooled budget plan: sign-off workbook", "pp_subtitle")])
    ws.append([])
    rows = [
        ("Version", str(plan.version)),
        ("Status", plan.status.value.replace("_", " ").capitalize()),
        (
            "Financial years",
            f"{fy.label(plan.first_year)} to {fy.label(plan.last_year)} ({plan.years} years)",
        ),
        ("Exported", ctx.today.strftime("%d %B %Y")),
        ("Fingerprint", ctx.fingerprint),
    ]
    for label, value in rows:
        ws.append([text(ws, label, "pp_label"), text(ws, value)])
    about = plan.description or "(no description)"
    how = (
        "Grey cells are worked out by formula; yellow cells on the Sign-off sheet are for "
        "your decision. Sheets are protected so that formulas cannot be overwritten by "
        "accident. Please return the workbook unchanged apart from the Sign-off sheet; the "
        "fingerprint matches it to this exact version of the plan."
    )
    about_row = 4 + len(rows)
    ws.row_dimensions[about_row].height = _fit_height(ws, [(about, range(2, 3))])
    ws.row_dimensions[about_row + 2].height = _fit_height(ws, [(how, range(2, 3))])
    ws.append([text(ws, "About this plan", "pp_label"), text(ws, about, "pp_text_wrap")])
    ws.append([])
    ws.append([text(ws, "How to use this workbook", "pp_label"), text(ws, how, "pp_text_wrap")])
    ws.append([])
    ws.append([text(ws, "Sign-off so far", "pp_label")])
    for body in plan.bodies.values():
        ws.append([text(ws, body.name), text(ws, ctx.sign_off_status.get(body.id, "Not signed"))])
    ws.append([])
    ws.append([text(ws, "Contents", "pp_label")])
    for title in SHEET_TITLES[1:]:
        link = cell(ws, f'=HYPERLINK("#\'{title}\'!A1","{title}")', "pp_link")
        ws.append([None, link])
    _finish(ws, ctx, header_rows=None, landscape=False)


# -- Summary --------------------------------------------------------------------------------


def summary(wb, ctx: Context) -> None:
    years = ctx.years
    layout = SummaryLayout(years)
    contrib = ContributionsLayout(streams_of(ctx.plan), years)
    schemes = SchemesLayout(len(ctx.plan.schemes), years)
    ws = _new_sheet(
        wb, ctx, "Summary", {1: 12, **{n: 16 for n in range(2, 11)}}, freeze=f"B{FIRST_ROW}"
    )
    _heading(
        ws,
        ctx,
        "Summary",
        "Every figure here is a formula over the Contributions and "
        "Schemes sheets. At risk = indicative + unfunded money.",
        10,
    )
    _headers(ws, list(SummaryLayout.COLUMNS))
    for i, year in enumerate(years):
        r = layout.row(i)
        sumif = _certainty_formulas(contrib.amounts(i), contrib.certainties(i), contrib.beyond(i))

        spend_cell = f"Schemes!{col(schemes.year_col(i))}{schemes.total_row}"
        running = f"=H{r - 1}+G{r}" if i else f"=G{r}"
        ws.append(
            [
                text(ws, fy.label(year), "pp_label"),
                cell(ws, sumif["Confirmed"], "pp_money_calc"),
                cell(ws, sumif["Indicative"], "pp_money_calc"),
                cell(ws, sumif["Unfunded"], "pp_money_calc"),
                cell(ws, f"=ROUND(B{r}+C{r}+D{r},2)", "pp_money_calc"),
                cell(ws, f"={spend_cell}", "pp_money_calc"),
                cell(ws, f"=ROUND(E{r}-F{r},2)", "pp_money_calc"),
                cell(ws, running, "pp_money_calc"),
                cell(ws, f'=IF(E{r}=0,"",B{r}/E{r})', "pp_percent_calc"),
                cell(ws, f"=ROUND(C{r}+D{r},2)", "pp_money_calc"),
            ]
        )
    t, first, last = layout.total_row, FIRST_ROW, layout.total_row - 1
    ws.append(
        [
            text(ws, "Total", "pp_label"),
            *[cell(ws, f"=ROUND(SUM({c}{first}:{c}{last}),2)", "pp_money_total") for c in "BCDEFG"],
            cell(ws, f"=H{last}", "pp_money_total"),
            cell(ws, f'=IF(E{t}=0,"",B{t}/E{t})', "pp_percent_calc"),
            cell(ws, f"=ROUND(SUM(J{first}:J{last}),2)", "pp_money_total"),
        ]
    )
    _name(wb, "Summary_Table", f"Summary!$A${HEADER_ROW}:$J${t}")

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Contributions by year and certainty"
    chart.y_axis.title = "£"
    chart.y_axis.number_format = '"£"#,##0'
    chart.height, chart.width = 9, 22
    data = Reference(ws, min_col=2, max_col=4, min_row=HEADER_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=FIRST_ROW, max_row=last))
    for series, colour in zip(chart.series, ("1F5FA6", "F2A53A", "C0392B"), strict=True):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    ws.add_chart(chart, f"A{t + 3}")
    _finish(ws, ctx)


# -- Contributions ----------------------------------------------------------------------------


def contributions(wb, ctx: Context) -> None:
    plan, years = ctx.plan, ctx.years
    layout = ContributionsLayout(streams_of(plan), years)
    n = len(years)
    names = _name_width(b.name for b in plan.bodies.values())
    streams = _name_width([s.name for s in plan.settlements.values()] + ["No settlement"])
    widths = {
        1: names,
        2: streams,
        **{layout.amount_col(i): 14 for i in range(n)},
        layout.total_col: 16,
        layout.total_col + 1: 3,
        **{layout.certainty_col(i): 12 for i in range(n)},
        **{layout.beyond_col(i): 14 for i in range(n)},
    }
    ws = _new_sheet(wb, ctx, "Contributions", widths, freeze=f"C{FIRST_ROW}")
    _heading(
        ws,
        ctx,
        "Contributions",
        "Each body's money into the pool. Shading shows how sure each amount is: blue "
        "confirmed, orange indicative, red unfunded (no settlement covers it, or it is more "
        "than its settlement provides). The columns on the right give each amount's certainty "
        "as a word, and any part of it beyond its settlement.",
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
        ],
    )
    cells = {(c.body_id, c.year, c.settlement_id): c for c in plan.contributions.values()}
    first_c, last_c = col(layout.amount_col(0)), col(layout.amount_col(n - 1))
    for r_i, (body_id, sid) in enumerate(layout.streams):
        r = FIRST_ROW + r_i
        funded_by = plan.settlements[sid].name if sid is not None else "No settlement"
        row = [text(ws, plan.bodies[body_id].name), text(ws, funded_by)]
        words, beyond = [], []
        for year in years:
            c = cells.get((body_id, year, sid))
            if c is None:
                row.append(cell(ws, None, "pp_money"))
                words.append(cell(ws, None, "pp_text"))
                beyond.append(cell(ws, None, "pp_money"))
                continue
            certainty = certainty_of(plan, c)
            excess = beyond_settlement(plan, c)
            # An amount partly beyond its settlement is shaded as unfunded.
            shade = Certainty.UNFUNDED if excess else certainty
            row.append(money(ws, c.amount_pence, f"pp_{shade.value}"))
            words.append(text(ws, WORD[certainty]))
            beyond.append(money(ws, excess or None))
        row.append(cell(ws, f"=ROUND(SUM({first_c}{r}:{last_c}{r}),2)", "pp_money_total"))
        ws.append([*row, None, *words, None, *beyond])
    ws.append([])
    label_rows = [("Total", None), *((f"of which {w.lower()}", w) for w in WORD.values())]
    for k, (label, word) in enumerate(label_rows):
        r = layout.total_row + k
        row = [text(ws, label, "pp_label"), None]
        for i in range(n):
            spans = [
                f"{c}{FIRST_ROW}:{c}{layout.last_row}"
                for c in (
                    col(layout.amount_col(i)),
                    col(layout.certainty_col(i)),
                    col(layout.beyond_col(i)),
                )
            ]
            formula = (
                f"=ROUND(SUM({spans[0]}),2)" if word is None else _certainty_formulas(*spans)[word]
            )
            row.append(cell(ws, formula, "pp_money_total"))
        row.append(cell(ws, f"=ROUND(SUM({first_c}{r}:{last_c}{r}),2)", "pp_money_total"))
        ws.append(row)
    ws.append([])
    ws.append(
        [
            text(ws, "Key", "pp_label"),
            text(ws, "Confirmed", "pp_confirmed"),
            text(ws, "Indicative", "pp_indicative"),
            text(ws, "Unfunded", "pp_unfunded"),
        ]
    )
    _name(
        wb,
        "Contributions_Amounts",
        f"Contributions!${first_c}${FIRST_ROW}:${last_c}${layout.last_row}",
    )
    _name(
        wb,
        "Contributions_Certainty",
        f"Contributions!${col(layout.certainty_col(0))}${FIRST_ROW}:"
        f"${col(layout.certainty_col(n - 1))}${layout.last_row}",
    )
    ws.print_area = f"A1:{col(layout.total_col)}{layout.total_row + len(WORD) + 2}"
    _finish(ws, ctx)


# -- Timeline -------------------------------------------------------------------------------


def timeline(wb, ctx: Context) -> None:
    plan, years, figures = ctx.plan, ctx.years, ctx.figures
    names = _name_width(b.name for b in plan.bodies.values())
    ws = _new_sheet(
        wb,
        ctx,
        "Timeline",
        {1: names, 2: 14, **{3 + i: 14 for i in range(len(years))}},
        freeze=f"C{FIRST_ROW}",
    )
    _heading(
        ws,
        ctx,
        "Funding timeline",
        "Each cell is a body's contribution that year: solid "
        "blue confirmed, hatched orange indicative, gridded red unfunded (where a year "
        "mixes them, the least certain is shown). A heavy right border marks where the "
        "body's confirmed funding ends.",
        2 + len(years),
    )
    _headers(ws, ["Body", "Confirmed to", *fy.labels(years)])
    for body_id, bf in figures.bodies.items():
        row = [
            text(ws, plan.bodies[body_id].name),
            text(
                ws,
                fy.label(bf.confirmed_until) if bf.confirmed_until else "Not confirmed",
                "pp_text",
            ),
        ]
        for year in years:
            split = bf.by_year[year]
            end = "_end" if year == bf.confirmed_until and year != plan.last_year else ""
            if not split.total:
                row.append(cell(ws, None, f"pp_tl_empty{end}"))
                continue
            least = (
                Certainty.UNFUNDED
                if split.unfunded
                else Certainty.INDICATIVE
                if split.indicative
                else Certainty.CONFIRMED
            )
            row.append(money(ws, split.total, f"pp_tl_{least.value}{end}"))
        ws.append(row)
    ws.append([])
    summary_layout = SummaryLayout(years)
    ws.append(
        [
            text(ws, "Confirmed share of the pool", "pp_label"),
            None,
            *[
                cell(ws, f"=Summary!I{summary_layout.row(i)}", "pp_percent_calc")
                for i in range(len(years))
            ],
        ]
    )
    ws.append(
        [
            text(ws, "At risk", "pp_label"),
            None,
            *[
                cell(ws, f"=Summary!J{summary_layout.row(i)}", "pp_money_calc")
                for i in range(len(years))
            ],
        ]
    )
    ws.append([])
    ws.append(
        [
            text(ws, "Key", "pp_label"),
            None,
            *[text(ws, WORD[c], f"pp_tl_{c.value}") for c in Certainty],
        ]
    )
    _finish(ws, ctx)


# -- Schemes --------------------------------------------------------------------------------


def schemes(wb, ctx: Context) -> None:
    plan, years = ctx.plan, ctx.years
    layout = SchemesLayout(len(plan.schemes), years)
    n = len(years)
    ws = _new_sheet(
        wb,
        ctx,
        "Schemes",
        {1: 34, 2: 28, 3: 24, **{layout.year_col(i): 14 for i in range(n)}, layout.total_col: 16},
        freeze=f"D{FIRST_ROW}",
    )
    _heading(ws, ctx, "Schemes", "What the pool pays for, by year.", layout.total_col)
    _headers(ws, ["Scheme", "Lead body", "Provider", *fy.labels(years), "Total"])
    first, last = col(layout.year_col(0)), col(layout.year_col(n - 1))
    for r_i, s in enumerate(plan.schemes.values()):
        r = FIRST_ROW + r_i
        lead = plan.bodies[s.lead_body_id].name if s.lead_body_id in plan.bodies else ""
        ws.append(
            [
                text(ws, s.name),
                text(ws, lead),
                text(ws, s.provider),
                *(money(ws, s.spend.get(y)) for y in years),
                cell(ws, f"=ROUND(SUM({first}{r}:{last}{r}),2)", "pp_money_total"),
            ]
        )
    if not plan.schemes:
        ws.append([text(ws, "(no schemes yet)")])
    ws.append([])
    ws.append(
        [
            text(ws, "Total spending", "pp_label"),
            None,
            None,
            *(
                cell(
                    ws,
                    f"=ROUND(SUM({col(layout.year_col(i))}{FIRST_ROW}:"
                    f"{col(layout.year_col(i))}{layout.last_row}),2)",
                    "pp_money_total",
                )
                for i in range(n + 1)
            ),
        ]
    )
    _name(wb, "Schemes_Spending", f"Schemes!${first}${FIRST_ROW}:${last}${layout.last_row}")
    _finish(ws, ctx)


# -- Findings -------------------------------------------------------------------------------


def findings(wb, ctx: Context) -> None:
    plan = ctx.plan
    ws = _new_sheet(
        wb, ctx, "Findings", {1: 10, 2: 50, 3: 30, 4: 22, 5: 16, 6: 90}, freeze=f"A{FIRST_ROW}"
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
        ws.row_dimensions[FIRST_ROW + i].height = _fit_height(
            ws, [(f.title, range(2, 3)), (body, range(3, 4)), (f.message, range(6, 7))]
        )
        ws.append(
            [
                text(ws, f.severity.value.capitalize()),
                text(ws, f.title, "pp_text_wrap"),
                text(ws, body, "pp_text_wrap"),
                text(ws, fy.describe_range(f.years)),
                money(ws, f.amount_pence),
                text(ws, f.message, "pp_text_wrap"),
            ]
        )
    if not ctx.findings:
        ws.append([None, text(ws, "No findings.")])
    _name(
        wb,
        "Findings_Table",
        f"Findings!$A${HEADER_ROW}:$F${FIRST_ROW + max(len(ctx.findings), 1) - 1}",
    )
    _finish(ws, ctx)


# -- Sign-off -------------------------------------------------------------------------------


def sign_off(wb, ctx: Context) -> None:
    plan = ctx.plan
    names = _name_width(b.name for b in plan.bodies.values())
    ws = _new_sheet(
        wb, ctx, "Sign-off", {1: names, 2: 26, 3: 40, 4: 24, 5: 14, 6: 60}, freeze=f"B{FIRST_ROW}"
    )
    _heading(
        ws,
        ctx,
        "Sign-off",
        "Each partner's signatory fills in the yellow cells: the "
        "decision (choose from the list), the date and any comments.",
        6,
    )
    _headers(ws, ["Body", "Signatory", "Title", "Decision", "Date", "Comments"])
    decision = DataValidation(
        type="list",
        formula1='"' + ",".join(DECISIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Decision",
        error="Choose a decision from the list.",
    )
    date = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Date",
        error="Type the date you signed, e.g. 31/03/2026.",
    )
    bodies = list(plan.bodies.values())
    for i, b in enumerate(bodies):
        ws.row_dimensions[FIRST_ROW + i].height = 30  # room to sign a printed copy
        ws.append(
            [
                text(ws, b.name, "pp_label"),
                text(ws, b.signatory_name, "pp_input"),
                text(ws, b.signatory_title, "pp_input"),
                cell(ws, None, "pp_input"),
                cell(ws, None, "pp_input_date"),
                cell(ws, None, "pp_input"),
            ]
        )
    last = FIRST_ROW + max(len(bodies), 1) - 1
    decision.add(f"D{FIRST_ROW}:D{last}")
    date.add(f"E{FIRST_ROW}:E{last}")
    ws.data_validations.append(decision)
    ws.data_validations.append(date)
    _name(wb, "SignOff_Inputs", f"'Sign-off'!$B${FIRST_ROW}:$F${last}")
    _finish(ws, ctx)
