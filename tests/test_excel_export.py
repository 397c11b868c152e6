"""The sign-off workbook: it recomputes (in LibreOffice, as in Excel) to exactly the app's
figures, is protected except for the sign-off inputs, prints well and cannot be made to run a
formula from plan text."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from libreoffice import convert, soffice

from planner import report, samples
from planner.excel.export import ExportError, export_workbook
from planner.excel.fingerprint import fingerprint, short
from planner.figures import compute
from planner.model import Body, BodyKind

needs_libreoffice = pytest.mark.skipif(
    soffice() is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (CI installs it and runs these)",
)


def pence(value) -> int:
    return round(float(value or 0) * 100)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Each sample exported once, shared by the tests below: name -> (plan, workbook file)."""
    work = tmp_path_factory.mktemp("exported")
    out = {}
    for name in samples.NAMES:
        plan = samples.load(name)
        export_workbook(plan, work / f"{name}.xlsx")
        out[name] = (plan, work / f"{name}.xlsx")
    return out


@pytest.fixture(scope="module")
def libreoffice_results(exported, tmp_path_factory):
    """Each sample's workbook recomputed by LibreOffice, as Excel would on opening."""
    if soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it and runs these)")
    work = tmp_path_factory.mktemp("recomputed")
    return {
        name: openpyxl.load_workbook(convert(src, work), data_only=True)
        for name, (_plan, src) in exported.items()
    }


@pytest.fixture(scope="module", params=["stored", "libreoffice"])
def recomputed(request, exported):
    """Each sample's figures two ways: the results the export stored beside its formulas, read
    with no recalculation (as a preview, Protected View or pandas sees them), and LibreOffice's
    own recomputation of every formula."""
    if request.param == "libreoffice":
        return {
            name: (exported[name][0], wb)
            for name, wb in request.getfixturevalue("libreoffice_results").items()
        }
    return {
        name: (plan, openpyxl.load_workbook(src, data_only=True))
        for name, (plan, src) in exported.items()
    }


@pytest.mark.parametrize("name", samples.NAMES)
def test_summary_recomputes_to_the_apps_figures_to_the_penny(recomputed, name):
    plan, wb = recomputed[name]
    expected = report.summary(plan)
    ws = wb["Summary"]
    header = next(ws.iter_rows(min_row=4, max_row=4, values_only=True))
    at = {name: k for k, name in enumerate(header) if name}
    # A plan paid on results has a Conditional column; every other plan's Summary has none.
    assert ("Conditional" in at) == any(
        sy.conditional for s in plan.settlements.values() for sy in s.years.values()
    )
    figures = {
        "Confirmed": "confirmed_pence",
        "Conditional": "conditional_pence",
        "Indicative": "indicative_pence",
        "Unfunded": "unfunded_pence",
        "Contributions": "contributions_pence",
        "Spending": "expenditure_pence",
        "Balance": "balance_pence",
        "At risk": "at_risk_pence",
    }
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    for label, y in expected["years"].items():
        row = rows[label]
        for column, key in figures.items():
            if column in at:
                assert pence(row[at[column]]) == y[key], (label, column)
        assert pence(row[at["Running balance"]]) == y["cumulative_balance_pence"], label
        if y["confirmed_share"] is not None:
            assert round(row[at["Confirmed share"]], 4) == y["confirmed_share"]
    total = rows["Total"]
    t = expected["totals"]
    for column, key in figures.items():
        if column in at:
            assert pence(total[at[column]]) == t[key], column


@pytest.mark.parametrize("name", samples.NAMES)
def test_contribution_and_scheme_totals_recompute_exactly(recomputed, name):
    plan, wb = recomputed[name]
    figures = compute(plan)
    ws = wb["Contributions"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    labelled = {
        r[0]: r
        for r in rows
        if r[0] in ("Total", "of which confirmed", "of which indicative", "of which unfunded")
    }
    n = plan.years
    for i, year in enumerate(plan.year_range):
        yf = figures.years[year]
        assert pence(labelled["Total"][2 + i]) == yf.contributions.total
        assert pence(labelled["of which confirmed"][2 + i]) == yf.contributions.confirmed
        assert pence(labelled["of which indicative"][2 + i]) == yf.contributions.indicative
        assert pence(labelled["of which unfunded"][2 + i]) == yf.contributions.unfunded
    assert pence(labelled["Total"][2 + n]) == figures.total_contributions
    # Each body's rows add up to the body's total in the app.
    by_body: dict[str, int] = {}
    for r in rows:
        if r[0] in {b.name for b in plan.bodies.values()} and r[1] is not None:
            by_body[r[0]] = by_body.get(r[0], 0) + pence(r[2 + n])
    for b, bf in figures.bodies.items():
        assert by_body.get(plan.bodies[b].name, 0) == bf.total
    schemes = wb["Schemes"]
    total = next(
        r for r in schemes.iter_rows(min_row=5, values_only=True) if r[0] == "Total spending"
    )
    assert [pence(v) for v in total[3 : 3 + n]] == [
        figures.years[y].expenditure for y in plan.year_range
    ]
    assert pence(total[3 + n]) == figures.total_expenditure


def test_timeline_sheet_reads_the_shares_from_the_summary(recomputed):
    plan, wb = recomputed["greater-manchester"]
    ws = wb["Timeline"]
    share = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Confirmed share of the pool")
    # 2014-15: £75.6m confirmed of £118.5m (the £1.4m relied on from results is not).
    assert round(share[2], 4) == 1.0 and round(share[3], 4) == round(75.6 / 118.5, 4)


def _formula_cells(src: Path):
    """(sheet, cell, formula) for every formula the export wrote."""
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    yield ws.title, c.coordinate, c.value


@pytest.mark.parametrize("name", samples.NAMES)
def test_every_formula_is_stored_with_its_result(exported, name):
    """In the file itself: each <c> holding an <f> holds a <v> too (openpyxl reads a missing
    result and an empty one alike, so the XML is read here)."""
    import xml.etree.ElementTree as ET
    import zipfile

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    _plan, src = exported[name]
    formulas = 0
    with zipfile.ZipFile(src) as z:
        for part in (n for n in z.namelist() if n.startswith("xl/worksheets/sheet")):
            for c in ET.fromstring(z.read(part)).iter(f"{ns}c"):
                if c.find(f"{ns}f") is not None:
                    formulas += 1
                    assert c.find(f"{ns}v") is not None, (part, c.get("r"))
    assert formulas == sum(1 for _ in _formula_cells(src)) > 100


@pytest.mark.parametrize("rule", ["pro_rata", "fixed", "investors_first"])
def test_no_formula_needs_the_writers_rewriting(exported, tmp_path, rule):
    """The export skips XlsxWriter's rewriting of functions newer than Excel 2007
    (planner.excel.book): XlsxWriter itself would leave every formula the export writes as
    it is, in every sample and under every gain-share rule."""
    from builders import appraisal_example
    from xlsxwriter.worksheet import Worksheet

    from planner.model import GainShareRule

    plan = appraisal_example()
    plan.appraisal.gain_share = GainShareRule(rule)
    plan.appraisal.gain_share_percent_bp = {1: 3333, 2: 3333, 3: 3334}
    export_workbook(plan, tmp_path / "rule.xlsx")
    sources = [tmp_path / "rule.xlsx", *(src for _plan, src in exported.values())]
    rewriter = Worksheet()
    formulas = {f for src in sources for _sheet, _ref, f in _formula_cells(src)}
    assert len(formulas) > 1000
    assert [f for f in formulas if rewriter._prepare_formula(f) != f[1:]] == []


def _same(stored, computed) -> bool:
    if stored in (None, "") or computed in (None, ""):
        return stored in (None, "") and computed in (None, "")
    if isinstance(stored, str) or isinstance(computed, str):
        return stored == computed
    return abs(stored - computed) <= 1e-9 * max(1.0, abs(computed))


@pytest.mark.parametrize("name", samples.NAMES)
def test_every_stored_result_is_what_libreoffice_computes(exported, libreoffice_results, name):
    """Cell by cell, in every sheet: the result stored beside each formula is the one a
    spreadsheet computes from it, so no reader sees a figure Excel would not show."""
    _plan, src = exported[name]
    stored = openpyxl.load_workbook(src, data_only=True)
    computed = libreoffice_results[name]
    differ = [
        (sheet, ref, formula, stored[sheet][ref].value, computed[sheet][ref].value)
        for sheet, ref, formula in _formula_cells(src)
        if not _same(stored[sheet][ref].value, computed[sheet][ref].value)
    ]
    assert differ == []


# -- without LibreOffice: the file itself -----------------------------------------------------


@pytest.fixture
def workbook(tmp_path, example_plan):
    path = tmp_path / "plan.xlsx"
    export_workbook(example_plan, path)
    return example_plan, openpyxl.load_workbook(path)


SHEETS = [
    "Cover",
    "Summary",
    "Commitments",
    "Contributions",
    "Timeline",
    "Benefits",
    "Schemes",
    "Findings",
    "Sign-off",
]


def test_sheets_in_order_with_document_properties(workbook):
    plan, wb = workbook
    assert wb.sheetnames == SHEETS
    assert wb.properties.title == "Worked example: sign-off workbook"
    assert wb.properties.creator == "Pool Planner"
    assert fingerprint(plan) in wb.properties.keywords


def test_every_sheet_protected_and_only_sign_off_inputs_unlocked(workbook):
    plan, wb = workbook
    unlocked = []
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password  # no password unless the user sets one
        for row in ws.iter_rows():
            for c in row:
                if c.protection.locked is False:
                    unlocked.append((ws.title, c.coordinate))
    rows = range(5, 5 + len(plan.bodies))
    expected = {("Sign-off", f"{col}{r}") for col in "CDEFG" for r in rows}
    assert set(unlocked) == expected


def test_a_password_when_asked(tmp_path, example_plan):
    path = tmp_path / "p.xlsx"
    export_workbook(example_plan, path, password="s151")
    wb = openpyxl.load_workbook(path)
    assert all(ws.protection.password for ws in wb.worksheets)


def test_decision_is_a_drop_down_and_date_is_validated(workbook):
    _, wb = workbook
    ws = wb["Sign-off"]
    kinds = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert kinds["list"].formula1 == '"Approved,Approved with comments,Not approved"'
    assert "E5:E8" in str(kinds["list"].sqref)
    assert "F5:F8" in str(kinds["date"].sqref)


def test_print_setup_on_every_sheet(workbook):
    from planner.excel.book import LEAST_SCALE

    plan, wb = workbook
    fp = short(fingerprint(plan))
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.paperSize == 9  # A4
        assert ps.orientation == "landscape"
        # Printed at a scale, never fitted: fitting a wide sheet to the page shrinks its type.
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
        assert LEAST_SCALE <= (ps.scale or 100) <= 100
        assert ws.oddHeader.left.text == "Worked example"
        assert ws.oddHeader.right.text == "Version 1 (draft)"
        assert ws.oddFooter.left.text == f"Fingerprint {fp}"
        assert ws.oddFooter.right.text == "Page &P of &N"
        assert ws.print_title_rows == ("$1:$1" if ws.title == "Cover" else "$4:$4")
        if ws.title != "Cover":
            assert ws.freeze_panes is not None
    assert LEAST_SCALE == 73  # 11 pt type printed at 73% is 8 pt


def test_money_format_names_and_frozen_headers(workbook):
    _, wb = workbook
    ws = wb["Contributions"]
    # Negatives in brackets, as board papers show them.
    assert ws["C5"].number_format == '"£"#,##0;("£"#,##0)'
    assert ws.freeze_panes == "C5"
    names = set(wb.defined_names)
    assert {
        "Summary_Table",
        "Contributions_Amounts",
        "Contributions_Certainty",
        "Schemes_Spending",
        "Findings_Table",
        "SignOff_Inputs",
    } <= names
    assert wb["Summary"]["B5"].value.startswith("=ROUND(SUMIF(Contributions!")
    assert len(wb["Summary"]._charts) == 1


@pytest.mark.parametrize(
    "evil", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\tindented", "=1+1"]
)
def test_plan_text_never_becomes_a_formula(tmp_path, example_plan, evil):
    example_plan.bodies[5] = Body(5, evil, BodyKind.OTHER, signatory_name=evil)
    example_plan.schemes[1].name = evil
    path = tmp_path / "evil.xlsx"
    export_workbook(example_plan, path)
    wb = openpyxl.load_workbook(path)
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value == evil:
                    assert c.data_type == "s", (ws.title, c.coordinate)
                    found += 1
    assert found >= 4  # contributions, timeline, sign-off name and signatory, schemes


@needs_libreoffice
def test_injected_text_stays_text_after_recalculation(tmp_path, example_plan):
    evil = '=HYPERLINK("http://x","y")'
    example_plan.bodies[1].name = evil
    src = tmp_path / "evil.xlsx"
    export_workbook(example_plan, src)
    wb = openpyxl.load_workbook(convert(src, tmp_path), data_only=True)
    assert wb["Sign-off"]["A5"].value == evil


def test_fingerprint_changes_with_the_plan_and_only_then(example_plan):
    first = fingerprint(example_plan)
    assert fingerprint(example_plan) == first
    example_plan.contributions[1].amount_pence += 1  # one penny
    assert fingerprint(example_plan) != first
    example_plan.contributions[1].amount_pence -= 1
    assert fingerprint(example_plan) == first


def test_cover_shows_the_fingerprint_and_links_every_sheet(workbook):
    plan, wb = workbook
    values = [c.value for row in wb["Cover"].iter_rows() for c in row if c.value]
    assert fingerprint(plan) in values
    links = {
        c.value: c.hyperlink.location for row in wb["Cover"].iter_rows() for c in row if c.hyperlink
    }
    contents = {
        title: f"'{title}'!A1" if title == "Sign-off" else f"{title}!A1" for title in SHEETS[1:]
    }
    # Each item of the checklist links to the body's decision on the Sign-off sheet.
    checklist = {f"Signatory, decision, date: row {r}": f"'Sign-off'!E{r}" for r in range(5, 9)}
    assert links == {**contents, **checklist}


def test_export_into_a_missing_folder_is_a_clear_error(tmp_path, example_plan):
    with pytest.raises(ExportError, match="could not be written"):
        export_workbook(example_plan, tmp_path / "nowhere" / "plan.xlsx")


def test_cli_export(tmp_path, example_file):
    example_file.close()
    out = tmp_path / "signed.xlsx"
    r = subprocess.run(
        [sys.executable, "-m", "planner", "export", str(example_file.path), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert short(fingerprint(example_file.plan)) in r.stdout
    assert openpyxl.load_workbook(out).sheetnames == SHEETS
    assert not Path(str(out) + ".tmp").exists()


@pytest.mark.parametrize("name", samples.NAMES)
def test_benefits_sheet_recomputes_to_the_apps_figures_to_the_penny(recomputed, name):
    from planner.benefits import appraise

    plan, wb = recomputed[name]
    a = appraise(plan)
    ws = wb["Benefits"]
    rows = list(ws.iter_rows(values_only=True))
    factors = next(r for r in rows if r[0] == "Discount factor")
    for i, y in enumerate(a.years):
        assert round(factors[5 + i], 10) == round(float(a.factors[y]), 10)
    start = next(i for i, r in enumerate(rows) if r[0] == "Position by body")
    positions = {r[2]: r for r in rows[start + 1 : start + 1 + len(plan.bodies)]}
    transfers_at = next(
        i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Gain-share transfers")
    )
    transfers = {r[2]: r for r in rows[transfers_at + 1 : transfers_at + 1 + len(plan.bodies)]}
    for body_id, b in a.bodies.items():
        pos = positions[body_id]
        assert pence(pos[5]) == b.pv_costs, (name, body_id)
        assert pence(pos[6]) == b.pv_benefits, (name, body_id)
        assert pence(pos[7]) == b.before.npv, (name, body_id)
        assert pence(pos[10]) == b.after.npv, (name, body_id)
        moved = transfers[body_id]
        assert [pence(moved[5 + i]) for i in range(len(a.years))] == [
            b.transfers[y] for y in a.years
        ], (name, body_id)
    whole = next(r for r in rows if r[0] == "Whole plan")
    assert (pence(whole[5]), pence(whole[6]), pence(whole[7])) == (a.pv_costs, a.pv_benefits, a.npv)


@needs_libreoffice
@pytest.mark.parametrize("rule", ["pro_rata", "fixed", "investors_first"])
def test_every_gain_share_rule_recomputes_exactly(tmp_path, rule):
    from builders import appraisal_example

    from planner.benefits import appraise
    from planner.model import GainShareRule

    plan = appraisal_example()
    plan.appraisal.gain_share = GainShareRule(rule)
    plan.appraisal.gain_share_percent_bp = {1: 3333, 2: 3333, 3: 3334}
    src = tmp_path / f"{rule}.xlsx"
    export_workbook(plan, src)
    wb = openpyxl.load_workbook(convert(src, tmp_path), data_only=True)
    stored = openpyxl.load_workbook(src, data_only=True)
    # Every working of the agreement is stored as the app computed it.
    assert [
        (ref, formula)
        for sheet, ref, formula in _formula_cells(src)
        if sheet == "Benefits" and not _same(stored[sheet][ref].value, wb[sheet][ref].value)
    ] == []
    rows = list(wb["Benefits"].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Gain-share"))
    a = appraise(plan)
    for k, (body_id, b) in enumerate(a.bodies.items()):
        row = rows[at + 1 + k]
        assert row[2] == body_id
        assert [pence(row[5 + i]) for i in range(3)] == [b.transfers[y] for y in a.years]


# -- what each body approves --------------------------------------------------------------------


@pytest.mark.parametrize("name", samples.NAMES)
def test_each_body_approves_its_own_figures_as_the_summary_gives_them(exported, name):
    """Each Sign-off row says what the body's decision approves: its contributions in total and
    by certainty, to the penny as ``poolplanner summary --json`` gives them, with the version
    and the fingerprint printed on every page."""
    import json

    from planner import money

    r = subprocess.run(
        [sys.executable, "-m", "planner", "summary", "--json", f"sample_plans/{name}.poolplan"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent.parent,
    )
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    plan, src = exported[name]
    rows = {
        row[0]: row[1]
        for row in openpyxl.load_workbook(src)["Sign-off"].iter_rows(min_row=5, values_only=True)
        if row[0]
    }
    assert len(rows) == len(summary["bodies"]) == len(plan.bodies)

    def pounds(p):
        return money.format(p, show_pence=p % 100 != 0)

    for body in summary["bodies"]:
        words = rows[body["name"]]
        a = body["total_pence"]
        b, r, c, d = (
            sum(body[f"{k}_pence"].values())
            for k in ("confirmed", "conditional", "indicative", "unfunded")
        )
        assert a == b + r + c + d
        assert words.startswith(f"On behalf of {body['name']} I approve contributions of ")
        assert f"of {pounds(a)} over {summary['plan']['years'][0]} to " in words
        # Money on results is named only where the body has some.
        results = f"{pounds(r)} paid only on results not yet known, " if r else ""
        assert (
            f"({pounds(b)} confirmed, {results}{pounds(c)} indicative, {pounds(d)} not yet "
            f"covered by any settlement)" in words
        )
        assert (
            f"version {plan.version} of this plan, fingerprint {short(fingerprint(plan))}" in words
        )


def test_a_plan_words_its_approvals_its_own_way(tmp_path, example_file):
    """The wording is a plan setting: part of what is approved (so of the fingerprint); the
    return-to contact and date are not, so moving a deadline voids no sign-off."""
    from planner.errors import EditError
    from planner.excel.export import export_plan_file

    pf = example_file
    before = fingerprint(pf.plan)
    pf.update_plan(return_to="Jo Bloggs, jo@anytown.gov.uk", return_by=dt.date(2026, 3, 31))
    assert fingerprint(pf.plan) == before
    pf.update_plan(sign_off_wording="{body} agrees {total}: {confirmed} sure, {unfunded} not.")
    worded = pf.last_edit
    assert fingerprint(pf.plan) != before
    with pytest.raises(EditError, match=r"names \{amount\}, which is not one of: \{body\}"):
        pf.update_plan(sign_off_wording="{body} agrees {amount}.")
    export_plan_file(pf, tmp_path / "worded.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "worded.xlsx")["Sign-off"]
    from planner import money

    body = compute(pf.plan).bodies[1]
    conf = sum(s.confirmed for s in body.by_year.values())
    unf = sum(s.unfunded for s in body.by_year.values())
    assert ws["B5"].value == (
        f"{pf.plan.bodies[1].name} agrees {money.format(body.total)}: {money.format(conf)} sure, "
        f"{money.format(unf)} not."
    )
    assert conf and body.total > conf  # the example has money of more than one certainty
    pf.undo(worded)  # after the export's record: undo gives back exactly the words before
    assert pf.plan.sign_off_wording == "" and pf.plan.return_by == dt.date(2026, 3, 31)


@needs_libreoffice
def test_the_cover_checklist_turns_to_yes_as_the_return_is_filled_in(tmp_path, example_plan):
    """As in the Better Care Fund's template: each body's sign-off is an item on the Cover
    that says No until its signatory, decision and date (and comments, with "Approved with
    comments") are filled in, under a banner that says Incomplete until every item says Yes."""
    src = tmp_path / "sent.xlsx"
    export_workbook(example_plan, src)
    bodies = list(example_plan.bodies.values())

    def cover_after(fill) -> tuple[str, dict[str, str]]:
        wb = openpyxl.load_workbook(src)
        fill(wb["Sign-off"])
        wb.save(tmp_path / "filled.xlsx")
        out = openpyxl.load_workbook(convert(tmp_path / "filled.xlsx", tmp_path), data_only=True)
        rows = [r for r in out["Cover"].iter_rows(values_only=True) if r and r[0]]
        banner = next(r[0] for r in rows if str(r[0]).startswith(("Incomplete", "Complete")))
        items = {r[0]: r[2] for r in rows if str(r[1]).startswith("Signatory, decision, date")}
        return banner, items

    def sign(ws, r, decision="Approved", comments=None):
        ws[f"C{r}"], ws[f"E{r}"], ws[f"F{r}"] = "A. Signer", decision, dt.datetime(2026, 3, 1)
        ws[f"G{r}"] = comments

    stored = openpyxl.load_workbook(src, data_only=True)["Cover"]
    assert f"Incomplete: 0 of {len(bodies)} sign-offs complete" in [
        c.value for row in stored.iter_rows() for c in row
    ]
    banner, items = cover_after(lambda ws: sign(ws, 5))
    assert banner == f"Incomplete: 1 of {len(bodies)} sign-offs complete"
    assert items == {b.name: "Yes" if i == 0 else "No" for i, b in enumerate(bodies)}
    # With comments promised and none given, the item is not done.
    banner, items = cover_after(lambda ws: sign(ws, 5, "Approved with comments"))
    assert items[bodies[0].name] == "No"

    def everyone(ws):
        for i in range(len(bodies)):
            sign(ws, 5 + i, "Approved with comments", "Subject to next year's settlement.")

    banner, items = cover_after(everyone)
    assert banner == "Complete: every body has signed" and set(items.values()) == {"Yes"}


@pytest.mark.parametrize("name", samples.NAMES)
def test_each_bodys_commitment_is_its_figures_in_the_summary(recomputed, name):
    """The Commitments sheet, stored and recomputed: each body's contributions by year and by
    certainty, and its costs and benefits in the appraisal, are the summary's to the penny;
    its last line says how the money it pools and its investment in the appraisal differ."""
    from planner import money

    plan, wb = recomputed[name]
    summary = report.summary(plan)
    appraisal = {b["name"]: b for b in summary["benefits"]["bodies"]}
    rows, words, body = {}, {}, None
    for r in wb["Commitments"].iter_rows(min_row=5, values_only=True):
        body = r[0] or body  # a body is named on the first row of its block
        if r[1] and r[2] is None and str(r[1]).startswith(body):
            words[body] = r[1]  # the block's last row: the words
        elif r[1]:
            rows[(body, r[1])] = r
    n = plan.years
    for body in summary["bodies"]:
        name_ = body["name"]
        lines = {
            "Contributions to the pool": body["contributions_pence"],
            "of which confirmed": body["confirmed_pence"],
            "of which indicative": body["indicative_pence"],
            "of which not yet covered by any settlement": body["unfunded_pence"],
        }
        for label, by_year in lines.items():
            row = rows[(name_, label)]
            assert [pence(v) for v in row[2 : 2 + n]] == list(by_year.values()), (name_, label)
            assert pence(row[2 + n]) == sum(by_year.values())
        assert (
            pence(rows[(name_, "Costs in the appraisal")][2 + n]) == appraisal[name_]["costs_pence"]
        )
        assert (
            pence(rows[(name_, "Benefits to it in the appraisal")][2 + n])
            == appraisal[name_]["adjusted_benefits_pence"]
        )
        said = words[name_]  # the last row of the body's block: the words
        assert said.startswith(f"{name_} pays {money.format(body['total_pence'])} into the pool")
        assert (
            f"counts {money.format(appraisal[name_]['costs_pence'])} of the schemes' costs" in said
        )


def test_an_export_from_a_plan_open_elsewhere_says_no_record_was_kept(
    qtbot, make_window, plan_path, tmp_path, monkeypatch
):
    """The window says what the command line says: a return of this workbook can be matched
    only while the plan stays as it is."""
    from planner.excel.export import NOT_RECORDED
    from planner.store import PlanFile
    from ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "_open_read_only_anyway", lambda self, pf: True)
    with PlanFile.open(plan_path):  # a colleague editing it
        w = make_window()
        assert w.open_path(plan_path) and w.doc.read_only
        assert w.export_excel(tmp_path / "sent.xlsx")
        assert (tmp_path / "sent.xlsx").exists()
        assert w.last_message_box.text() == NOT_RECORDED
