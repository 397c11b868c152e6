"""The quarterly monitoring return: a workbook in the Better Care Fund quarterly template's
shape, for partners and scheme leads to fill in the quarter's actuals and explain variances,
and send back.

Sheets: a Cover (the checklist of what the return needs, each item's checker turning No to
Yes, and a banner until every item is done); Expenditure (each scheme's budget, yellow cells
for the quarters' actuals and the explanation, grey live formulas for the actual to date, the
forecast of the rest, the outturn and the variance, each stored with the app's result); Income
(each body's contribution, money due by the quarter's end and received); Risk share (each
partner's statement through the order of cover, as at export); Sign-off (the pooled fund
manager's). Reading one back goes through the sign-off return's checks: every cell is compared
with the workbook as sent, rebuilt from the plan kept when it was sent, and only the yellow
cells may differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from planner import clock
from planner import years as fy
from planner.errors import PlannerError
from planner.excel.book import Book, Sheet, date_rule
from planner.excel.cells import blank, formula, link, money, money_formula, said, text
from planner.excel.layout import FIRST_ROW, HEADER_ROW, col
from planner.excel.sheets import _fit_height, _heading
from planner.model import Method, Monitoring, Plan
from planner.monitoring import QUARTERS, YearReport, quarter_end, quarter_label, year_report
from planner.text import quoted

SHEETS = ("Cover", "Expenditure", "Income", "Risk share", "Sign-off")
KEY_LABEL, PERIOD_LABEL = "Return key", "Year and quarter"
METHOD_WORDS = {Method.PROFILE: "Profile", Method.RUN_RATE: "Run rate", Method.ENTERED: "Entered"}


class QuarterError(PlannerError):
    """The quarterly return could not be written or read (the message says why)."""


@dataclass
class Quarter:
    """What one quarterly return covers: the plan as at the quarter's end, and its figures."""

    plan: Plan
    year: int
    quarter: int
    report: YearReport
    key: str  # the return's own key: the plan as sent, the year and the quarter
    today: dt.date

    @property
    def as_at(self) -> dt.date:
        return quarter_end(self.year, self.quarter)


def quarter_of(
    plan: Plan, year: int, quarter: int, today: dt.date | None = None, dumped: str | None = None
) -> Quarter:
    """The return for ``quarter`` of ``year``: the plan seen as at that quarter's end."""
    from planner import jsonio

    if year not in plan.year_range:
        raise QuarterError(
            f"{fy.label(year)} is outside the plan ({fy.label(plan.first_year)} to "
            f"{fy.label(plan.last_year)})."
        )
    if isinstance(quarter, bool) or quarter not in QUARTERS:
        raise QuarterError("A quarter is 1 to 4 (Q1 April to June ... Q4 January to March).")
    later = [
        (s.name, q)
        for s in plan.schemes.values()
        for q in (s.monitored.get(year).actuals if year in s.monitored else {})
        if q > quarter
    ]
    if later:
        name, q = later[0]
        raise QuarterError(
            f"{name} already has an actual for Q{q} {fy.label(year)}; a return for Q{quarter} "
            f"would leave it out. Export the return for Q{q} or later."
        )
    m = plan.monitoring
    seen = replace(plan, monitoring=Monitoring(year, quarter_end(year, quarter), m.threshold_bp))
    report = year_report(seen)
    dumped = dumped if dumped is not None else jsonio.dumps(plan)
    return Quarter(
        seen, year, quarter, report, return_key(dumped, year, quarter), today or clock.today()
    )


# -- where things are ------------------------------------------------------------------------

# Expenditure: A scheme, B lead, C risk-share line, D budget, then one column per quarter
# reported (yellow), then the calculated columns, the forecast method and the explanation.
NAME, LEAD, LINE, BUDGET, FIRST_QUARTER = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class ExpenditureLayout:
    quarters: int  # the quarters reported: the input columns

    def quarter(self, q: int) -> int:
        return FIRST_QUARTER + q - 1

    @property
    def to_date(self) -> int:
        return FIRST_QUARTER + self.quarters

    @property
    def rest(self) -> int:
        return self.to_date + 1

    @property
    def outturn(self) -> int:
        return self.to_date + 2

    @property
    def variance(self) -> int:
        return self.to_date + 3

    @property
    def method(self) -> int:
        return self.to_date + 4

    @property
    def explanation(self) -> int:
        return self.to_date + 5

    def actuals(self, r: int) -> str:
        return f"{col(FIRST_QUARTER)}{r}:{col(self.quarter(self.quarters))}{r}"


# Sign-off: the pooled fund manager's name, title, date and comments, in row FIRST_ROW.
SIGNATORY, TITLE, DATE, COMMENTS = 1, 2, 3, 4


# -- the workbook -----------------------------------------------------------------------------


def cover(book: Book, q: Quarter) -> None:
    plan, report = q.plan, q.report
    ws = book.sheet("Cover", {1: 44, 2: 24, 3: 9, 4: 56}, repeat_rows=(1, 1))
    ws.append([text(plan.name, "pp_title")])
    ws.append(
        [text(f"Quarterly monitoring return: {fy.label(q.year)} Q{q.quarter}", "pp_subtitle")]
    )
    ws.append()
    lines = report.schemes
    banner_row = ws.next_row
    details = [
        (PERIOD_LABEL, text(f"{fy.label(q.year)}, {quarter_label(q.quarter)}")),
        # Written as workbooks already sent have it ("05 October 2025"): a return's text cells
        # are compared with the plan's, and a changed form would refuse those returns.
        ("Figures as at", text(f"{q.as_at:%d %B %Y}")),
        ("Exported", said(fy.day(q.today))),
        (KEY_LABEL, text(q.key)),
        ("Return to", said(plan.return_to or "The pooled fund manager")),
    ]
    how = (
        "Fill in the yellow cells on the Expenditure sheet: each scheme's actual spending for "
        f"each quarter to Q{q.quarter}, and an explanation of any variance beyond "
        f"£{report.threshold / 100:,.0f} ({report.threshold_bp / 100:g}% of the year's pool). "
        "Grey cells are worked out by formula. The pooled fund manager signs on the Sign-off "
        "sheet. Please return the workbook unchanged apart from its yellow cells: the return "
        "key matches it to what was sent."
    )
    first_check = banner_row + 2 + len(details) + 3 + 1
    count = len(lines) + 1
    checks = f"$C${first_check}:$C${first_check + count - 1}"
    ws.height(banner_row, 24)
    ws.append(
        [
            formula(
                f'=IF(COUNTIF({checks},"Yes")={count},"Complete: every item is filled in",'
                f'"Incomplete: "&COUNTIF({checks},"Yes")&" of {count} items complete")',
                f"Incomplete: {_done_as_sent(q)} of {count} items complete",
                "pp_banner",
            )
        ]
    )
    ws.append()
    for label, value in details:
        ws.append_pair(text(label, "pp_label"), value, across=4)
    ws.append()
    ws.height(ws.next_row, _fit_height(ws, [(how, range(2, 5))]))
    ws.append_pair(text("How to fill it in", "pp_label_top"), text(how, "pp_text_wrap"), across=4)
    ws.append()
    ws.append([text(h, "pp_header") for h in ("Item", "Where", "Done?", "What it needs")])
    assert ws.next_row == first_check, (ws.next_row, first_check)
    at = ExpenditureLayout(q.quarter)
    threshold = _pounds(report.threshold)
    needs = (
        f"Actuals to Q{q.quarter}; an explanation if the variance passes "
        f"£{report.threshold / 100:,.0f}"
    )
    for i, line in enumerate(lines):
        r = FIRST_ROW + i
        name = plan.schemes[line.scheme_id].name
        ws.height(ws.next_row, _fit_height(ws, [(name, range(1, 2)), (needs, range(4, 5))]))
        actuals, variance = at.actuals(r), f"Expenditure!{col(at.variance)}{r}"
        explained = f"Expenditure!{col(at.explanation)}{r}"
        ws.append(
            [
                text(name, "pp_text_wrap"),
                link(f"Expenditure!{col(FIRST_QUARTER)}{r}", f"Expenditure row {r}"),
                formula(
                    f"=IF(AND(COUNT(Expenditure!{actuals})={q.quarter},OR(ABS({variance})<="
                    f'{threshold},TRIM({explained})<>"")),"Yes","No")',
                    "Yes" if _line_done(q, line) else "No",
                    "pp_check",
                ),
                said(needs, "pp_text_wrap"),
            ]
        )
    s = f"'Sign-off'!{{}}{FIRST_ROW}"
    ws.append(
        [
            text("The pooled fund manager's sign-off", "pp_text_wrap"),
            link(f"'Sign-off'!A{FIRST_ROW}", f"Sign-off row {FIRST_ROW}"),
            formula(
                f'=IF(AND(TRIM({s.format("A")})<>"",{s.format("C")}<>""),"Yes","No")',
                "No",
                "pp_check",
            ),
            said("A name and a date", "pp_text_wrap"),
        ]
    )
    book.conditional(ws, checks.replace("$", ""), "No", "pp_check_no")
    book.conditional(ws, f"A{banner_row}", "Complete: every item is filled in", "pp_banner_done")
    _finish(ws, q, gridlines=False)


def _line_done(q: Quarter, line) -> bool:
    beyond = abs(line.outturn.variance) > q.report.threshold
    return not line.missing and (not beyond or bool(line.explanation))


def _done_as_sent(q: Quarter) -> int:
    return sum(_line_done(q, line) for line in q.report.schemes)


def expenditure(book: Book, q: Quarter) -> None:
    plan, report = q.plan, q.report
    at = ExpenditureLayout(q.quarter)
    widths = {
        NAME: 34,
        LEAD: 34,
        LINE: 9,
        BUDGET: 15,
        **{at.quarter(n): 14 for n in range(1, q.quarter + 1)},
    }
    widths |= {at.to_date: 15, at.rest: 15, at.outturn: 15, at.variance: 15, at.method: 11}
    widths[at.explanation] = 40
    ws = book.sheet(
        "Expenditure",
        widths,
        freeze=f"B{FIRST_ROW}",
        repeat_rows=(HEADER_ROW, HEADER_ROW),
        repeat_columns=1,
    )
    _heading(
        ws,
        q,
        f"Expenditure by scheme, {fy.label(q.year)} to Q{q.quarter}",
        "Yellow: the quarter's actual spending (a refund as a negative amount) and the "
        "explanation. Grey: worked out. Forecast of the rest: by the budget's profile, the run "
        "rate of the quarters reported, or an amount the pooled fund manager entered. Variance: "
        "outturn less budget; positive is an overspend.",
        at.explanation,
    )
    ws.height(HEADER_ROW, 30)  # two lines of header: "Forecast of the rest"
    ws.append([text(h, "pp_header") for h in (
        "Scheme", "Lead", "Risk share", "Budget",
        *(f"Q{n} actual" for n in range(1, q.quarter + 1)),
        "Actual to date", "Forecast of the rest", "Forecast outturn", "Variance", "Forecast by",
        "Explanation")])  # fmt: skip
    for i, line in enumerate(report.schemes):
        r = FIRST_ROW + i
        scheme = plan.schemes[line.scheme_id]
        lead = plan.bodies.get(line.lead_body_id)
        record = scheme.monitored.get(q.year)
        actuals = record.actuals if record else {}
        o = line.outturn
        cells = [
            text(scheme.name, "pp_text_wrap"),
            text(lead.name if lead else "", "pp_text_wrap"),
            text("Shared" if line.shared else "Fixed"),
            money(o.budget),
            *(
                money(actuals[n].amount_pence, "pp_money_input")
                if n in actuals
                else blank("pp_money_input")
                for n in range(1, q.quarter + 1)
            ),
            money_formula(f"=ROUND(SUM({at.actuals(r)}),2)", o.actual_to_date),
            money_formula(_rest_formula(q, line, at, r), o.forecast_rest),
            money_formula(f"=ROUND({col(at.to_date)}{r}+{col(at.rest)}{r},2)", o.outturn),
            money_formula(f"=ROUND({col(at.outturn)}{r}-{col(BUDGET)}{r},2)", o.variance),
            text(METHOD_WORDS[line.method]),
            text(line.explanation, "pp_input") if line.explanation else blank("pp_input"),
        ]
        ws.append(cells)
    last = FIRST_ROW + len(report.schemes) - 1
    totals = [text("Total", "pp_label"), None, None]
    columns = [BUDGET, *(at.quarter(n) for n in range(1, q.quarter + 1)), at.to_date, at.rest,
               at.outturn, at.variance]  # fmt: skip
    results = {
        BUDGET: report.budget,
        at.to_date: report.actual_to_date,
        at.rest: report.outturn - report.actual_to_date,
        at.outturn: report.outturn,
        at.variance: report.variance,
    }
    for n in range(1, q.quarter + 1):
        results[at.quarter(n)] = sum(
            o.by_quarter[n][1]
            for o in (line.outturn for line in report.schemes)
            if o.by_quarter[n][0] == "actual"
        )
    for c in columns:
        area = f"{col(c)}{FIRST_ROW}:{col(c)}{last}" if report.schemes else None
        totals.append(
            money_formula(f"=ROUND(SUM({area}),2)", results[c], "pp_money_total")
            if area
            else money(0, "pp_money_total")
        )
    ws.append(totals)
    _finish(ws, q)


def _rest_formula(q: Quarter, line, at: ExpenditureLayout, r: int) -> str:
    """The forecast of the quarters without an actual, as ``planner.monitoring.outturn``
    works it: a quarter reported but left empty is forecast as the quarters to come are."""
    profile = line.outturn.profile
    inputs = at.actuals(r)
    later = _pounds(sum(profile.get(n, 0) for n in QUARTERS if n > q.quarter))
    missing = "+".join(
        f'IF({col(at.quarter(n))}{r}="",{_pounds(profile.get(n, 0))},0)'
        for n in range(1, q.quarter + 1)
    )
    by_profile = f"ROUND({later}+{missing},2)"
    all_in = f"COUNT({inputs})=4" if q.quarter == 4 else "FALSE"
    if line.method is Method.ENTERED:
        record = q.plan.schemes[line.scheme_id].monitored[q.year]
        return f"=IF({all_in},0,{_pounds(record.forecast_pence)})"
    if line.method is Method.RUN_RATE:
        n = f"COUNT({inputs})"
        return f"=IF({n}=0,{by_profile},MAX(0,ROUND(SUM({inputs})*(4-{n})/{n},2)))"
    return f"={by_profile}"


def income(book: Book, q: Quarter) -> None:
    plan, report = q.plan, q.report
    ws = book.sheet(
        "Income",
        {1: 34, 2: 44, 3: 16, 4: 16, 5: 16, 6: 16},
        freeze=f"B{FIRST_ROW}",
        repeat_rows=(HEADER_ROW, HEADER_ROW),
    )
    _heading(
        ws,
        q,
        f"Income by partner and funding source, {fy.label(q.year)}",
        f"Money due into the pool by the end of Q{q.quarter} (each settlement's instalments, "
        "quarterly or monthly) against what has been received.",
        6,
    )
    ws.append([text(h, "pp_header") for h in (
        "Partner", "Funding sources", "Contribution", f"Due by end of Q{q.quarter}",
        "Received", "Due and not received")])  # fmt: skip
    sources: dict[int, list[str]] = {}
    for c in plan.contributions.values():
        if c.year == q.year:
            s = plan.settlements.get(c.settlement_id) if c.settlement_id else None
            label = f"{s.name} ({s.schedule.value})" if s else "No settlement (quarterly)"
            sources.setdefault(c.body_id, []).append(label)
    for i, (body_id, m) in enumerate(report.bodies.items()):
        r = FIRST_ROW + i
        ws.append(
            [
                text(plan.bodies[body_id].name, "pp_text_wrap"),
                text("; ".join(sources.get(body_id, [])) or "(none)", "pp_text_wrap"),
                money(m.contribution),
                money(m.payments.due_to_date),
                money(m.payments.received),
                money_formula(f"=MAX(0,ROUND(D{r}-E{r},2))", m.payments.unpaid),
            ]
        )
    if report.bodies:
        last = FIRST_ROW + len(report.bodies) - 1
        results = {
            "C": report.pool,
            "D": sum(m.payments.due_to_date for m in report.bodies.values()),
            "E": sum(m.payments.received for m in report.bodies.values()),
            "F": sum(m.payments.unpaid for m in report.bodies.values()),
        }
        ws.append(
            [
                text("Total", "pp_label"),
                None,
                *(
                    money_formula(f"=ROUND(SUM({c}{FIRST_ROW}:{c}{last}),2)", p, "pp_money_total")
                    for c, p in results.items()
                ),
            ]
        )
    _finish(ws, q)


def risk_share(book: Book, q: Quarter) -> None:
    plan, report = q.plan, q.report
    ws = book.sheet("Risk share", {1: 34, 2: 16, 3: 70}, repeat_rows=(HEADER_ROW, HEADER_ROW))
    _heading(
        ws,
        q,
        f"Who bears the variance, {fy.label(q.year)}",
        "By the risk-share agreement, through its order of cover, as at export: the shared "
        "lines' net variance is covered by the reserve and uncommitted scheme money, then the "
        "partners by the agreement's rule under their caps, then the host, then resources "
        "outside the pool; fixed lines stay with their leads. Pool Planner works it again from "
        "the actuals returned.",
        3,
    )
    ws.append([text(h, "pp_header") for h in ("Who", "Bears (receives)", "Why")])
    by_body: dict = {}
    for step in report.risk.steps:
        by_body.setdefault(step.body_id, []).append(step)
    pool = by_body.pop(None, None)
    for body_id, steps in [*([(None, pool)] if pool else []), *by_body.items()]:
        name = plan.bodies[body_id].name if body_id is not None else "The pool and beyond"
        ws.append([text(name, "pp_label"), money(sum(s.pence for s in steps), "pp_money_total"),
                   text("in all", "pp_label")])  # fmt: skip
        for s in steps:
            ws.append([None, money(s.pence), text(s.why, "pp_text_wrap")])
    if not report.risk.steps:
        ws.append([text("No variance to share.", "pp_text")])
    _finish(ws, q)


def sign_off(book: Book, q: Quarter) -> None:
    ws = book.sheet("Sign-off", {1: 30, 2: 30, 3: 14, 4: 60}, repeat_rows=(HEADER_ROW, HEADER_ROW))
    _heading(
        ws,
        q,
        "Sign-off by the pooled fund manager",
        f"I confirm the actual spending to Q{q.quarter} {fy.label(q.year)} and the explanations "
        "in this return, as reported to the partners under the pooled budget agreement.",
        4,
    )
    ws.append([text(h, "pp_header") for h in ("Pooled fund manager", "Title", "Date", "Comments")])
    ws.append([blank("pp_input"), blank("pp_input"), blank("pp_input_date"), blank("pp_input")])
    ws.validate(
        (FIRST_ROW, DATE, FIRST_ROW, DATE),
        date_rule(
            dt.date(2000, 1, 1),
            dt.date(2100, 12, 31),
            "Date",
            "Type the date you signed, e.g. 31/10/2025.",
        ),  # fmt: skip
    )
    _finish(ws, q)


STEPS = (
    ("Cover", cover),
    ("Expenditure", expenditure),
    ("Income", income),
    ("Risk share", risk_share),
    ("Sign-off", sign_off),
)


def _finish(ws: Sheet, q: Quarter, *, gridlines: bool = True) -> None:
    from planner.excel.cells import header_footer_text

    ws.finish(
        header=f"&L{header_footer_text(q.plan.name)}&R"
        f"{header_footer_text(f'{fy.label(q.year)} Q{q.quarter} return')}",
        footer=f"&LReturn key {q.key[:16].upper()}&C&A&RPage &P of &N",
        password="",  # protected, no password: a partner fills in the yellow cells
        gridlines=gridlines,
    )


def _pounds(pence: int) -> str:
    """Pence as a number a formula can hold: ``1250000`` or ``1250000.5``."""
    from planner.money import plain

    return plain(pence)


def write_quarter(q: Quarter, path: str | os.PathLike) -> None:
    """Write the return to ``path``, whole or not at all."""
    from planner.excel.export import _save, _temp

    path = Path(path)
    if not path.resolve().parent.is_dir():
        raise QuarterError(f"{quoted(path)} could not be written: its folder does not exist.")
    properties = {
        "title": f"{q.plan.name}: {fy.label(q.year)} Q{q.quarter} monitoring return",
        "author": "Pool Planner",
        "keywords": f"poolplanner-return:{q.key}",
    }
    tmp = _temp(path)
    with tempfile.TemporaryDirectory(prefix="poolplanner-quarter-") as scratch:
        try:
            book = Book(tmp, properties, scratch)
            for _title, build in STEPS:
                build(book, q)
            _save(book, tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


def export_quarter(plan_file, year: int, quarter: int, path: str | os.PathLike) -> Quarter:
    """Write the quarterly return for an open plan, and keep the plan as sent (monitoring and
    all) so the return can be read back against it."""
    from planner import jsonio

    dumped = jsonio.dumps(plan_file.plan)
    q = quarter_of(plan_file.plan, year, quarter, dumped=dumped)
    write_quarter(q, path)
    if not plan_file.read_only:
        plan_file.keep_sent(q.key, dumped)
    return q


# -- reading one back -------------------------------------------------------------------------


@dataclass
class ActualChange:
    scheme_id: int
    name: str
    quarter: int
    was: int | None  # in the plan now
    now: int | None  # as returned
    changed_since: bool = False  # the plan's figure is not the one sent: the return replaces it


@dataclass
class ExplanationChange:
    scheme_id: int
    name: str
    was: str
    now: str
    changed_since: bool = False


@dataclass
class QuarterReport:
    path: Path
    year: int
    quarter: int
    actuals: list[ActualChange] = field(default_factory=list)
    explanations: list[ExplanationChange] = field(default_factory=list)
    signed_by: str = ""
    title: str = ""
    signed_on: dt.date | None = None
    comments: str = ""

    def summary(self) -> str:
        parts = [f"{len(self.actuals)} actual{'s' if len(self.actuals) != 1 else ''}",
                 f"{len(self.explanations)} explanation{'s' if len(self.explanations) != 1 else ''}"]  # fmt: skip
        who = f", signed by {self.signed_by}" if self.signed_by else ", not signed"
        if self.signed_on:
            who += f" on {fy.day(self.signed_on)}"
        return f"{fy.label(self.year)} Q{self.quarter} return: {' and '.join(parts)} changed{who}."


def expected_quarter(q: Quarter) -> dict:
    from planner.excel.expected import ExpectedBook

    book = ExpectedBook()
    for _title, build in STEPS:
        build(book, q)
    return book.sheets


def read_quarter(plan_file, path: str | os.PathLike) -> QuarterReport:
    """What a returned quarterly workbook changes, compared cell by cell with the workbook as
    sent (rebuilt from the plan kept when it was sent): only the yellow cells may differ."""
    from planner import jsonio
    from planner.excel.container import check_container
    from planner.excel.returns import ReturnError, compare

    path = Path(path)
    plan = plan_file.plan
    try:
        # Bounds past any sheet the return writes: a checklist row per scheme, a statement
        # step per fixed line and a few per partner.
        rows = 2 * len(plan.schemes) + 4 * len(plan.bodies) + 100
        census = check_container(path, rows, 64)
    except ReturnError as e:
        raise QuarterError(str(e)) from None
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
        for ws in wb.worksheets:
            ws.reset_dimensions()
    except Exception as e:
        raise QuarterError(
            f"{quoted(path)} could not be read as a workbook ({e.__class__.__name__}). It may "
            f"be damaged, or saved in another format."
        ) from None
    try:
        missing = [s for s in SHEETS if s not in wb.sheetnames]
        if missing:
            raise QuarterError(
                f"{quoted(path)} has no {missing[0]!r} sheet: it is not a Pool Planner "
                f"quarterly return, or a sheet was renamed."
            )
        key = _on_cover(wb["Cover"], KEY_LABEL)
        kept = plan_file.kept_plan(key) if key else None
        if kept is None:
            raise QuarterError(
                f"{quoted(path)} does not come from this plan, or from a quarterly return this "
                f"plan has no record of sending. It was not read."
            )
        base_plan = jsonio.loads(kept)
        year, quarter = _year_and_quarter(_on_cover(wb["Cover"], PERIOD_LABEL), key, kept)
        sent = quarter_of(base_plan, year, quarter, dumped=kept)
        expected = expected_quarter(sent)
        at = ExpenditureLayout(quarter)
        rows = {FIRST_ROW + i: line for i, line in enumerate(sent.report.schemes)}
        editable = {("Expenditure", r, at.quarter(n)) for r in rows for n in range(1, quarter + 1)}
        editable |= {("Expenditure", r, at.explanation) for r in rows}
        editable |= {("Sign-off", FIRST_ROW, c) for c in (SIGNATORY, TITLE, DATE, COMMENTS)}
        compare(wb, expected, editable, _refusal, path, census)
        report = QuarterReport(path, year, quarter)
        _read_inputs(wb, plan, sent, rows, at, report)
        return report
    except (ReturnError, QuarterError) as e:
        message = str(e)
        if not message.startswith(quoted(path)):
            message = f"{quoted(path)}: {message}"
        raise QuarterError(message) from None
    except PlannerError:
        raise
    except Exception as e:
        raise QuarterError(
            f"{quoted(path)} could not be read: a sheet holds what no spreadsheet writes "
            f"({e.__class__.__name__}). Ask for the workbook as it was exported."
        ) from None
    finally:
        wb.close()


def _refusal(title: str, r: int, c: int, why: str) -> str:
    from planner.excel.layout import ref

    return (
        f"{ref(title, c, r)} {why}. A quarterly return may change only its yellow cells; ask "
        f"for the workbook as it was exported."
    )


def _on_cover(ws, label: str) -> str | None:
    """The text beside ``label`` in the Cover's details."""
    for row in ws.iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and row[0] == label and isinstance(row[1], str):
            return row[1]
    return None


def _year_and_quarter(period: str | None, key: str | None, dumped: str) -> tuple[int, int]:
    """The year and quarter the Cover names ("2025-26, Q2 (July to September)"), held to the
    return key, which was made from them with the plan kept."""
    try:
        label, rest = (period or "").split(",", 1)
        year, quarter = fy.parse(label.strip()), int(rest.strip()[1])
    except (ValueError, IndexError, fy.YearError):
        year = quarter = None
    if year is None or return_key(dumped, year, quarter) != key:
        raise QuarterError(
            "its Cover's year and quarter are not those its return key was made for."
        )
    return year, quarter


def return_key(dumped: str, year: int, quarter: int) -> str:
    """A return's own key: the plan as sent (its whole JSON), the year and the quarter."""
    return hashlib.sha256(f"{dumped}\n{year}\n{quarter}".encode()).hexdigest()


def _read_inputs(wb, plan: Plan, sent: Quarter, rows: dict, at: ExpenditureLayout, report) -> None:
    """The yellow cells that differ from the workbook as sent. Each is set against the plan
    as it is now: one the plan has changed since it was sent is marked so in the review."""
    from planner import fields as F
    from planner.excel.returns import ReturnError, _checked, _date, _pence

    ws = wb["Expenditure"]
    try:
        for r, row in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_row=max(rows, default=0),
                                             values_only=True), start=FIRST_ROW):  # fmt: skip
            line = rows.get(r)
            if line is None:
                continue
            scheme = plan.schemes.get(line.scheme_id)
            if scheme is None:
                raise QuarterError(
                    f"a scheme it reports on ({sent.plan.schemes[line.scheme_id].name}) is no "
                    f"longer in the plan; nothing was read."
                )
            record = scheme.monitored.get(sent.year)
            sent_record = sent.plan.schemes[line.scheme_id].monitored.get(sent.year)
            for n in range(1, sent.quarter + 1):
                c = at.quarter(n)
                value = row[c - 1] if len(row) >= c else None
                pence = _pence(value, f"Expenditure!{col(c)}{r}", signed=True)
                if pence == _actual(sent_record, n):
                    continue  # as sent: the partner did not change it
                was = _actual(record, n)
                changed = was != _actual(sent_record, n)
                report.actuals.append(ActualChange(scheme.id, scheme.name, n, was, pence, changed))
            c = at.explanation
            value = row[c - 1] if len(row) >= c else None
            words = _checked(F.EXPLANATION, value, f"Expenditure!{col(c)}{r}", numbers=True)
            sent_words = sent_record.explanation if sent_record else ""
            if words != sent_words:
                was_words = record.explanation if record else ""
                report.explanations.append(
                    ExplanationChange(
                        scheme.id, scheme.name, was_words, words, was_words != sent_words
                    )
                )
        sign = next(
            wb["Sign-off"].iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW, values_only=True), ()
        )
        sign = list(sign) + [None] * 4
        ref = f"'Sign-off'!{{}}{FIRST_ROW}"
        report.signed_by = _checked(F.SIGNATORY, sign[SIGNATORY - 1], ref.format("A"))
        report.title = _checked(F.SIGNATORY_ROLE, sign[TITLE - 1], ref.format("B"))
        report.comments = _checked(
            F.SIGN_OFF_COMMENTS, sign[COMMENTS - 1], ref.format("D"), numbers=True
        )
        report.signed_on = _date(sign[DATE - 1], ref.format("C"))
    except ReturnError as e:
        raise QuarterError(str(e)) from None
    if bool(report.signed_by) != (report.signed_on is not None):
        raise QuarterError(
            "the pooled fund manager's sign-off needs both a name and a date "
            f"('Sign-off'!A{FIRST_ROW} and C{FIRST_ROW}); nothing was read."
        )
    today = clock.today()
    if report.signed_on is not None and not sent.as_at <= report.signed_on <= today:
        raise QuarterError(
            f"the sign-off is dated {fy.day(report.signed_on)}, but a return for "
            f"Q{sent.quarter} is signed between the quarter's end ({fy.day(sent.as_at)}) and "
            f"today; nothing was read."
        )


def _actual(record, quarter: int) -> int | None:
    a = record.actuals.get(quarter) if record else None
    return a.amount_pence if a else None


def apply_quarter(plan_file, report: QuarterReport) -> None:
    """Record the return's actuals and explanations as one edit (one undo step). A negative
    actual is a refund: the return says so by its sign, and the review showed it."""
    name = f"Import the {fy.label(report.year)} Q{report.quarter} return"
    if report.signed_by:
        title = f" ({report.title})" if report.title else ""
        name += f" signed by {report.signed_by}{title} on {report.signed_on:%d/%m/%Y}"
    as_at = quarter_end(report.year, report.quarter)
    m = plan_file.plan.monitoring
    with plan_file.edit(name):
        # The return's figures are as at its quarter's end: an earlier as-at date moves on
        # to it (a year not yet monitored becomes this one); a later one stays.
        if m.as_at is None or m.as_at < as_at:
            plan_file.set_monitoring(year=report.year if m.year is None else m.year, as_at=as_at)
        if report.actuals:
            plan_file.set_actuals(
                [
                    (a.scheme_id, report.year, a.quarter, a.now, a.now is not None and a.now < 0)
                    for a in report.actuals
                ]  # fmt: skip
            )
        for e in report.explanations:
            plan_file.update_scheme_year(e.scheme_id, report.year, explanation=e.now)


def review_lines(report: QuarterReport) -> list[str]:
    """The return's changes as the review lists them, to the penny: what the plan holds now,
    what the return says, and which the plan has changed since the return was sent."""
    from planner.money import format as pounds
    from planner.text import shown

    def amount(pence: int | None, missing: str) -> str:
        return missing if pence is None else pounds(pence, brackets=True, show_pence=True)

    lines = []
    for a in report.actuals:
        refund = " (a refund)" if a.now is not None and a.now < 0 else ""
        since = " [changed in the plan since it was sent]" if a.changed_since else ""
        lines.append(
            f"{shown(a.name)}, Q{a.quarter}: {amount(a.was, 'not reported')} \u2192 "
            f"{amount(a.now, 'cleared')}{refund}{since}"
        )
    for e in report.explanations:
        since = " [changed in the plan since it was sent]" if e.changed_since else ""
        lines.append(f"{shown(e.name)}, explanation: {shown(e.now) or '(cleared)'}{since}")
    if report.comments:
        lines.append(f"Comments: {shown(report.comments)}")
    return lines
