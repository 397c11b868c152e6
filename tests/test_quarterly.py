"""The quarterly monitoring return: written in the BCF template's shape with live formulas that
store the app's results; recomputed by LibreOffice to the same figures; filled in by a partner,
read back through the sign-off return's checks (only the yellow cells may differ), and recorded
as one undoable edit."""

import datetime as dt
import os
import shutil
from decimal import Decimal

import openpyxl
import pytest
from libreoffice import convert, soffice

from planner import jsonio, report
from planner.excel.quarterly import (
    FIRST_ROW,
    QuarterError,
    apply_quarter,
    export_quarter,
    read_quarter,
)
from planner.store import PlanFile

SAMPLES = os.path.join(os.path.dirname(__file__), "..", "sample_plans")
YEAR = 2025


def needs_libreoffice():
    if soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it and runs these)")


@pytest.fixture
def bcf(tmp_path):
    path = tmp_path / "bcf.poolplan"
    shutil.copy(os.path.join(SAMPLES, "anyshire-bcf.poolplan"), path)
    with PlanFile.open(path) as pf:
        yield pf


@pytest.fixture
def sent(bcf, tmp_path):
    out = tmp_path / "q2.xlsx"
    export_quarter(bcf, YEAR, 2, out)
    return out


def pence(value) -> int:
    return int(Decimal(str(value)) * 100)


def expenditure_figures(wb):
    """Per scheme (name -> outturn, variance) and the totals row, in pence, as a workbook's
    values say (stored results or a recomputation)."""
    ws = wb["Expenditure"]
    header = [c.value for c in ws[FIRST_ROW - 1]]
    at = {h: i for i, h in enumerate(header)}
    out, total = {}, None
    for row in ws.iter_rows(min_row=FIRST_ROW, values_only=True):
        if row[0] is None:
            break
        figures = (pence(row[at["Forecast outturn"]]), pence(row[at["Variance"]]))
        if row[0] == "Total":
            total = figures
            break
        out[row[0]] = figures
    return out, total


def app_figures(plan):
    m = report.summary(plan)["monitoring"]
    schemes = {s["name"]: (s["forecast_outturn_pence"], s["variance_pence"]) for s in m["schemes"]}
    return schemes, (m["forecast_outturn_pence"], m["variance_pence"])


def test_every_formula_stores_the_apps_result_and_libreoffice_agrees(bcf, sent, tmp_path):
    stored = openpyxl.load_workbook(sent, data_only=True)
    assert expenditure_figures(stored) == app_figures(bcf.plan)
    formulas = openpyxl.load_workbook(sent)
    for title in formulas.sheetnames:
        for row in formulas[title].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert stored[title][cell.coordinate].value is not None, cell.coordinate
    needs_libreoffice()
    again = openpyxl.load_workbook(convert(sent, tmp_path), data_only=True)
    for title in formulas.sheetnames:
        for row in formulas[title].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    mine = stored[title][cell.coordinate].value
                    theirs = again[title][cell.coordinate].value
                    if isinstance(mine, (int, float)):
                        assert pence(mine) == pence(theirs), (title, cell.coordinate)
                    else:
                        assert mine == theirs, (title, cell.coordinate)


def fill_in(sent, out, *, sign=True):
    """What a scheme lead and the pooled fund manager do: the missing Q2 actual, a refund, the
    explanations the checklist asks for, and the sign-off."""
    wb = openpyxl.load_workbook(sent)
    ws = wb["Expenditure"]
    names = {ws.cell(r, 1).value: r for r in range(FIRST_ROW, FIRST_ROW + 20)}
    ws.cell(names["Carers' support"], 6).value = 560000  # Q2 actual
    ws.cell(names["Community equipment"], 6).value = -20000  # a refund
    ws.cell(names["Discharge to assess beds"], 12).value = "Longer stays in step-down beds."
    # The refund takes Community equipment £1m under: that too needs explaining.
    ws.cell(names["Community equipment"], 12).value = "A supplier's credit note for 2024-25."
    if sign:
        s = wb["Sign-off"]
        s["A5"], s["B5"], s["C5"] = "P. Grant", "Pooled fund manager", dt.datetime(2025, 10, 20)
    wb.save(out)
    return out


def test_a_filled_in_return_recomputes_to_the_figures_the_app_records(bcf, sent, tmp_path):
    back = fill_in(sent, tmp_path / "back.xlsx")
    read = read_quarter(bcf, back)
    assert [(a.name, a.quarter, a.was, a.now) for a in read.actuals] == [
        ("Carers' support", 2, None, 560_000_00),
        ("Community equipment", 2, 980_000_00, -20_000_00),
    ]
    assert [e.name for e in read.explanations] == [
        "Discharge to assess beds",
        "Community equipment",
    ]
    assert read.signed_by == "P. Grant" and read.signed_on == dt.date(2025, 10, 20)
    before = jsonio.dumps(bcf.plan)
    apply_quarter(bcf, read)
    equipment = next(s for s in bcf.plan.schemes.values() if s.name == "Community equipment")
    assert equipment.monitored[YEAR].actuals[2].refund
    needs_libreoffice()
    recomputed = openpyxl.load_workbook(convert(back, tmp_path), data_only=True)
    assert expenditure_figures(recomputed) == app_figures(bcf.plan)
    cover = recomputed["Cover"]
    banner = next(c.value for c in cover["A"] if isinstance(c.value, str) and "omplete" in c.value)
    assert banner == "Complete: every item is filled in"
    bcf.undo(bcf.last_edit)  # one step takes the whole return back
    assert jsonio.dumps(bcf.plan) == before


def test_the_banner_stays_incomplete_until_the_manager_signs(bcf, sent, tmp_path):
    needs_libreoffice()
    back = fill_in(sent, tmp_path / "unsigned.xlsx", sign=False)
    cover = openpyxl.load_workbook(convert(back, tmp_path), data_only=True)["Cover"]
    banner = next(c.value for c in cover["A"] if isinstance(c.value, str) and "omplete" in c.value)
    assert banner.startswith("Incomplete: ") and banner.endswith(" items complete")


@pytest.mark.parametrize(
    "sheet, cell, value, phrase",
    [
        ("Expenditure", "D5", 1, "Expenditure!D5"),  # a budget: grey
        ("Expenditure", "I5", "=1", "Expenditure!I5"),  # a formula replaced
        ("Risk share", "B6", 0, "'Risk share'!B6"),
        ("Income", "E5", 1, "Income!E5"),
        ("Expenditure", "N5", "extra", "Expenditure!N5"),  # beyond the table
    ],
)
def test_a_return_that_changes_anything_but_its_yellow_cells_is_refused(
    bcf, sent, tmp_path, sheet, cell, value, phrase
):
    wb = openpyxl.load_workbook(sent)
    wb[sheet][cell] = value
    wb.save(tmp_path / "tampered.xlsx")
    before = jsonio.dumps(bcf.plan)
    with pytest.raises(QuarterError, match=phrase.replace("'", "'").replace("!", "!")):
        read_quarter(bcf, tmp_path / "tampered.xlsx")
    assert jsonio.dumps(bcf.plan) == before


@pytest.mark.parametrize(
    "value, phrase",
    [
        ("lots", "where an amount belongs"),
        ("=1+1", "a formula"),
        (0.001, "fraction of a penny"),
    ],  # fmt: skip
)
def test_an_actual_that_is_not_an_amount_is_refused(bcf, sent, tmp_path, value, phrase):
    wb = openpyxl.load_workbook(sent)
    wb["Expenditure"]["F5"] = value
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(QuarterError, match=phrase):
        read_quarter(bcf, tmp_path / "bad.xlsx")


def test_a_return_this_plan_never_sent_is_refused(bcf, sent, tmp_path):
    other = tmp_path / "other.poolplan"
    shutil.copy(os.path.join(SAMPLES, "anyshire-bcf.poolplan"), other)
    with PlanFile.open(other) as pf, pytest.raises(QuarterError, match="no record of sending"):
        read_quarter(pf, sent)
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(QuarterError):
        read_quarter(bcf, tmp_path / "junk.xlsx")
    book = openpyxl.Workbook()
    book.save(tmp_path / "blank.xlsx")
    with pytest.raises(QuarterError, match="not a Pool Planner quarterly return"):
        read_quarter(bcf, tmp_path / "blank.xlsx")


def test_a_return_is_not_made_for_a_quarter_before_actuals_already_recorded(bcf, tmp_path):
    with pytest.raises(QuarterError, match="already has an actual for Q2"):
        export_quarter(bcf, YEAR, 1, tmp_path / "q1.xlsx")
    with pytest.raises(QuarterError, match="outside the plan"):
        export_quarter(bcf, 2040, 1, tmp_path / "q1.xlsx")
    assert not (tmp_path / "q1.xlsx").exists()


def test_the_command_line_writes_and_reads_a_return(bcf, tmp_path, capsys):
    from planner.cli import main

    path = bcf.path
    bcf.close()
    out = tmp_path / "cli.xlsx"
    assert main(["export-quarter", str(path), "--year", "2025-26", "--quarter", "3", "-o",
                 str(out)]) == 0  # fmt: skip
    wb = openpyxl.load_workbook(out)
    ws = wb["Expenditure"]
    assert [ws.cell(4, c).value for c in (5, 6, 7)] == ["Q1 actual", "Q2 actual", "Q3 actual"]
    ws["G5"] = 2_300_000  # Reablement's Q3
    wb.save(tmp_path / "cli-back.xlsx")
    assert main(["import-quarter", str(path), str(tmp_path / "cli-back.xlsx")]) == 0
    assert "Nothing was recorded" in capsys.readouterr().out
    assert main(["import-quarter", str(path), str(tmp_path / "cli-back.xlsx"), "--apply"]) == 0
    with PlanFile.open(path, read_only=True) as pf:
        assert pf.plan.monitoring.as_at == dt.date(2025, 12, 31)  # moved on to the return's
        reablement = next(s for s in pf.plan.schemes.values() if s.name == "Reablement at home")
        assert reablement.monitored[YEAR].actuals[3].amount_pence == 2_300_000_00


# -- what review found: a return is set against what was sent; what hides is refused -------


def test_only_what_the_partner_changed_is_read_and_the_plans_own_edits_stay(bcf, sent, tmp_path):
    reablement = next(i for i, s in bcf.plan.schemes.items() if s.name == "Reablement at home")
    carers = next(i for i, s in bcf.plan.schemes.items() if s.name == "Carers' support")
    bcf.set_actual(reablement, YEAR, 1, 2_060_000_00)  # in the app, after the export
    wb = openpyxl.load_workbook(sent)
    wb["Expenditure"]["F8"] = 560_000  # Carers' Q2, the partner's one change
    wb["Expenditure"]["E5"] = 2_070_000  # and Reablement's Q1, which the plan changed too
    wb.save(tmp_path / "back.xlsx")
    read = read_quarter(bcf, tmp_path / "back.xlsx")
    by = {(a.scheme_id, a.quarter): a for a in read.actuals}
    assert set(by) == {(carers, 2), (reablement, 1)}
    assert by[(reablement, 1)].changed_since and not by[(carers, 2)].changed_since
    from planner.excel.quarterly import review_lines

    assert "[changed in the plan since it was sent]" in review_lines(read)[0 if (
        read.actuals[0].scheme_id == reablement) else 1]  # fmt: skip
    wb["Expenditure"]["E5"] = 2_050_000  # as sent: the plan's own edit is not undone
    wb.save(tmp_path / "back2.xlsx")
    read = read_quarter(bcf, tmp_path / "back2.xlsx")
    assert [(a.scheme_id, a.quarter) for a in read.actuals] == [(carers, 2)]
    apply_quarter(bcf, read)
    assert bcf.plan.schemes[reablement].monitored[YEAR].actuals[1].amount_pence == 2_060_000_00


def test_a_late_return_leaves_a_later_as_at_date_alone(bcf, sent, tmp_path):
    bcf.set_monitoring(as_at=dt.date(2025, 12, 31))
    back = fill_in(sent, tmp_path / "back.xlsx")
    apply_quarter(bcf, read_quarter(bcf, back))
    assert bcf.plan.monitoring.as_at == dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    "sheet, cell, value, phrase",
    [
        ("Expenditure", "L5", '=HYPERLINK("http://x","y")', "holds a formula"),
        ("Expenditure", "L5", dt.datetime(2025, 1, 1), "not a variance explanation"),
        ("Sign-off", "A5", "=B5", "holds a formula"),
        ("Sign-off", "A5", "Jo", "both a name and a date"),
        ("Sign-off", "C5", dt.datetime(2025, 10, 1), "both a name and a date"),
    ],
)
def test_what_a_yellow_cell_takes_is_checked_as_a_sign_off_is(
    bcf, sent, tmp_path, sheet, cell, value, phrase
):
    wb = openpyxl.load_workbook(sent)
    wb[sheet][cell] = value
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(QuarterError, match=phrase):
        read_quarter(bcf, tmp_path / "bad.xlsx")


def test_a_sign_off_dated_before_the_quarter_ended_is_refused(bcf, sent, tmp_path):
    wb = openpyxl.load_workbook(sent)
    s = wb["Sign-off"]
    s["A5"], s["C5"] = "P. Grant", dt.datetime(2025, 9, 1)
    wb.save(tmp_path / "early.xlsx")
    with pytest.raises(QuarterError, match="between the quarter's end"):
        read_quarter(bcf, tmp_path / "early.xlsx")


def _rewrite(src, dst, part, change):
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                data = change(data)
            zout.writestr(item, data)
    return dst


@pytest.mark.parametrize(
    "part, change, phrase",
    [
        (
            "xl/worksheets/sheet2.xml",
            lambda d: d.replace(b'<row r="6"', b'<row r="6"' + b" " * 700 + b' hidden="1"', 1),
            "tag longer than any",
        ),
        (
            "xl/worksheets/sheet2.xml",
            lambda d: d.replace(b'<row r="6"', b'<row r="6" ht="0" customHeight="1"', 1),
            "hidden",
        ),  # fmt: skip
        (
            "xl/worksheets/sheet2.xml",
            lambda d: d.replace(
                b"<sheetData>",
                b'<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/><sheetData>',
                1,
            ),  # fmt: skip
            "hidden",
        ),
        (
            "xl/worksheets/sheet2.xml",
            lambda d: d.replace(
                b"</sheetData>",
                b'</sheetData><dataValidations count="1">'
                b'<dataValidation type="whole" sqref="E5"><formula1>0'
                b"</formula1><formula2>1</formula2></dataValidation>"
                b"</dataValidations>",
                1,
            ),  # fmt: skip
            "checks on its 'Expenditure'",
        ),
        (
            "xl/styles.xml",
            # The money format, the yellow cells' own, made one that shows nothing.
            lambda d: d.replace(
                b'formatCode="&quot;\xc2\xa3&quot;#,##0;(&quot;\xc2\xa3&quot;#,##0)"',
                b'formatCode=";;;"',
                1,
            ),
            "shows nothing",
        ),
    ],
)
def test_a_return_that_hides_what_it_holds_is_refused(bcf, sent, tmp_path, part, change, phrase):
    import zipfile

    with zipfile.ZipFile(sent) as z:
        names = {n for n in z.namelist()}
    assert part in names
    bad = _rewrite(sent, tmp_path / "hiding.xlsx", part, change)
    with pytest.raises(QuarterError, match=phrase):
        read_quarter(bcf, bad)


def test_a_cover_naming_another_quarter_than_its_key_is_refused(bcf, sent, tmp_path):
    wb = openpyxl.load_workbook(sent)
    cover = wb["Cover"]
    row = next(r for r in range(1, 20) if cover.cell(r, 1).value == "Year and quarter")
    cover.cell(row, 2).value = "2025-26, Q3 (October to December)"
    wb.save(tmp_path / "other-quarter.xlsx")
    with pytest.raises(QuarterError, match="not those its return key was made for"):
        read_quarter(bcf, tmp_path / "other-quarter.xlsx")
