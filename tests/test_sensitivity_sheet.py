"""The workbook's Sensitivity sheet and the ``sensitivity`` section of ``summary --json``.

LibreOffice recomputes every check formula on the sheet, and each must come to the NPV the app
found at that switching point, within the pennies the check's straight line leaves out (the
bound of docs/figures.md, worked here from the plan, not from the sheet); what the sheet
stores is the engine's switching values to the penny; a plan with nothing to appraise has no
sheet; and the JSON is the engine's, exactly and the same every time."""

import copy
import json
import os
import re
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from builders import appraisal_example, worked_example
from libreoffice import convert, soffice

from planner import report, samples
from planner import sensitivity as S
from planner.benefits import appraise
from planner.excel.export import export_workbook
from planner.model import BenefitLine, Body, BodyKind, CostLine, GainShareRule, Plan, Role, Scheme
from planner.plan_sensitivity import DIRECTIONS

POUND = 100
K = S.InputKind
# The columns of the switching values (planner/excel/sensitivity_sheet.py), from 0.
INPUT, DIRECTION, POUNDS, SHARE, RATE, TODAY, CHECK, FOUND, WHY = range(9)


def two_crossings() -> Plan:
    """£100,000 spent now, £230,000 of benefit next year and £132,000 to close the scheme the
    year after: NPV = -100,000 + 230,000x - 132,000x², x = 1 / (1 + r), which is zero at
    x = 10/11 and x = 5/6, r = 10% and 20%. At the plan's 15% it is positive, so the rate
    switches both ways."""
    p = Plan(name="Two crossings", first_year=2025, years=3)
    p.bodies = {
        1: Body(1, "Anytown Council", BodyKind.COUNCIL, Role.HOST),
        2: Body(2, "Department for Work and Pensions", BodyKind.DWP),
    }
    p.schemes = {1: Scheme(1, "Troubled families", 1)}
    p.costs = {1: CostLine(1, 1, 1, {2025: 100_000 * POUND, 2027: 132_000 * POUND})}
    p.benefits = {1: BenefitLine(1, 1, 2, True, 0, "", {2026: 230_000 * POUND})}
    p.appraisal.discount_bands = ((0, 1500),)
    return p


def under_water() -> Plan:
    """The appraisal example with the CCG's cost doubled, additionality adjustments with odd
    pennies and investors repaid first: the NPV is negative, so benefits switch by rising and
    costs by falling."""
    p = appraisal_example()
    p.costs[2].years = {2025: 100_000 * POUND}
    p.benefits[1].deadweight_bp, p.benefits[1].displacement_bp = 2500, 1000
    p.benefits[3].leakage_bp, p.benefits[3].substitution_bp = 333, 77
    p.appraisal.gain_share = GainShareRule.INVESTORS_FIRST
    return p


def uplifted_in_cash() -> Plan:
    """The appraisal example with an optimism-bias uplift on one cost line (a quarter of 24%
    mitigated) and its figures entered in cash, 2022-23 prices, 2% a year after the series: a
    line's worth today is as the appraisal counts it, uplifted and deflated."""
    from planner.model import Prices

    p = appraisal_example()
    p.costs[1].uplift_bp, p.costs[1].mitigation_bp = 2_400, 2_500
    p.appraisal.prices, p.appraisal.price_base_year = Prices.NOMINAL, 2022
    p.appraisal.inflation_bp = 200
    return p


PLANS = {
    **{name: lambda name=name: samples.load(name) for name in samples.NAMES},
    "uplifted-in-cash": uplifted_in_cash,
    "appraisal-example": appraisal_example,
    "two-crossings": two_crossings,
    "under-water": under_water,
}
APPRAISED = [n for n in PLANS if n != "anyshire-bcf"]  # the Better Care Fund appraises nothing


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """name -> (plan, workbook), each exported once."""
    work = tmp_path_factory.mktemp("sensitivity")
    out = {}
    for name, make in PLANS.items():
        plan = make()
        export_workbook(plan, work / f"{name}.xlsx")
        out[name] = (plan, work / f"{name}.xlsx")
    return out


@pytest.fixture(scope="module")
def recomputed(exported, tmp_path_factory):
    """name -> the Sensitivity sheet as LibreOffice recomputes it (each run its own profile)."""
    if soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it and runs these)")
    work = tmp_path_factory.mktemp("sensitivity-recomputed")
    return {
        name: openpyxl.load_workbook(convert(src, work), data_only=True)["Sensitivity"]
        for name, (_plan, src) in exported.items()
        if name in APPRAISED
    }


def stored(exported, name):
    return openpyxl.load_workbook(exported[name][1], data_only=True)["Sensitivity"]


def table(ws, first: str) -> list[tuple]:
    """The rows of the table whose header starts with ``first``, down to its first empty row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == first)
    out = []
    for r in rows[start + 1 :]:
        if all(v is None for v in r):
            break
        out.append(r)
    return out


def switching_rows(ws) -> list[tuple]:
    """A row per switching point, in order (a group's heading has no direction)."""
    return [r for r in table(ws, "Input") if r[DIRECTION] is not None]


def points(plan):
    return [(v, d, getattr(v, d)) for v in S.switching_values(plan, [S.PLAN]) for d in DIRECTIONS]


def pence(value) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


# -- how far a check may sit from the app's figure ---------------------------------------------


def lines_of(plan: Plan, v: S.SwitchingValue) -> list:
    if v.input_kind is K.BENEFIT_LINE:
        return [plan.benefits[v.line_id]]
    if v.input_kind is K.COST_LINE:
        return [plan.costs[v.line_id]]
    if v.input_kind is K.BODY_BENEFITS:
        return [b for b in plan.benefits.values() if b.body_id == v.body_id]
    return [c for c in plan.costs.values() if c.body_id in plan.bodies]


def leeway(plan: Plan, v: S.SwitchingValue, change: S.Change) -> Fraction:
    """The most the check's straight line can differ from the app's re-appraisal there, in
    pence: each changed year of a line rounded to the penny (half a penny; a benefit line's net
    is rounded before and after it is scaled by k, half a penny times 2 + k), each body's
    present value that moves rounded before and after (a penny), and the check's own ROUND
    (half a penny). Discount factors are at most 1."""
    half = Fraction(1, 2)
    if v.input_kind is K.DISCOUNT_RATE:
        return len(plan.bodies) + half
    span = set(plan.year_range)
    scale = 1 + change.ratio
    total = Fraction(0)
    lines = lines_of(plan, v)
    for line in lines:
        per_year = half if isinstance(line, CostLine) else half * (2 + scale)
        total += per_year * sum(1 for y, p in line.years.items() if y in span and p)
    return total + len({line.body_id for line in lines}) + half


# -- LibreOffice recomputes every check ---------------------------------------------------------


@pytest.mark.parametrize("name", APPRAISED)
def test_every_check_recomputes_to_the_apps_npv_there_within_its_pennies(
    exported, recomputed, name
):
    plan, _src = exported[name]
    rows = switching_rows(recomputed[name])
    kept = switching_rows(stored(exported, name))
    checked = 0
    for (v, _d, change), row, was in zip(points(plan), rows, kept, strict=True):
        if change is None:
            assert row[CHECK] is None
            continue
        checked += 1
        check = pence(row[CHECK])
        assert check == pence(was[CHECK]), v.label  # the result stored is LibreOffice's
        assert abs(check - change.value) <= leeway(plan, v, change), (v.label, check, change)
    assert checked >= 2


def test_the_rate_is_checked_both_ways_on_the_hand_built_plan(exported, recomputed):
    plan, _src = exported["two-crossings"]
    v = next(v for v, _d, _c in points(plan) if v.input_kind is K.DISCOUNT_RATE)
    # 10% and 20%, worked by hand; the NPV rounds to nothing a hair above 10% already.
    assert 1000 < v.down.rate_bp < 1000 + Fraction(1, 100) and v.up.rate_bp == 2000
    rates = [r for r in switching_rows(recomputed["two-crossings"]) if r[RATE] is not None]
    assert [round(r[RATE], 5) for r in rates] == [0.1, 0.2]
    # There the app's NPV is nil; a check, rounded once rather than body by body, is a penny
    # from it at most.
    assert [pence(r[FOUND]) for r in rates] == [0, 0]
    assert all(abs(pence(r[CHECK])) <= 1 for r in rates)


@pytest.mark.parametrize("name", APPRAISED)
def test_the_years_table_discounts_to_the_plans_npv(exported, recomputed, name):
    """The years the checks use are the Benefits sheet's: discounted at the plan's rates they
    come to its NPV, within a penny for each body's rounded present values."""
    plan, _src = exported[name]
    years = table(recomputed[name], "Year")
    assert [r[0] for r in years] == [f"{y}-{(y + 1) % 100:02d}" for y in plan.year_range]
    worth = sum(Fraction(str(r[4])) * Fraction(str(r[5])) for r in years) * 100
    assert abs(worth - appraise(plan).npv) <= len(plan.bodies)


# -- what the sheet stores ----------------------------------------------------------------------


@pytest.mark.parametrize("name", APPRAISED)
def test_the_stored_switching_values_are_the_engines_to_the_penny(exported, name):
    plan, _src = exported[name]
    rows = switching_rows(stored(exported, name))
    assert len(rows) == 2 * len(S.switching_values(plan, [S.PLAN]))
    for (v, d, change), row in zip(points(plan), rows, strict=True):
        assert row[INPUT] == (v.label if d == "down" else None)
        way = {"down": ("A fall", "A lower rate"), "up": ("A rise", "A higher rate")}[d]
        assert row[DIRECTION] == way[v.input_kind is K.DISCOUNT_RATE]
        if change is None:
            assert row[WHY] and row[WHY] in v.reason, (v.label, d)
            assert row[POUNDS] is row[SHARE] is row[RATE] is row[FOUND] is None
            continue
        assert row[WHY] is None
        assert pence(row[FOUND]) == change.value
        if change.ratio is not None:
            assert abs(Fraction(row[SHARE]) - change.ratio) <= abs(change.ratio) * 1e-14
        if v.input_kind is K.DISCOUNT_RATE:
            assert row[POUNDS] is None
            assert abs(Fraction(row[RATE]) * 10_000 - change.rate_bp) <= change.rate_bp * 1e-14
        else:
            assert pence(row[POUNDS]) == change.pence
            assert row[RATE] is None


def sentences(words: str) -> set[str]:
    return set(re.split(r"(?<=\.)\s+", words)) if words else set()


def test_a_reason_is_given_for_each_way_with_no_switching_point(exported):
    """Each direction with none has its own sentences of the engine's reason, and between them
    the two directions say all of it."""
    for name in APPRAISED:
        plan, _src = exported[name]
        rows = switching_rows(stored(exported, name))
        for k, v in enumerate(S.switching_values(plan, [S.PLAN])):
            said = [rows[2 * k][WHY], rows[2 * k + 1][WHY]]
            for why, change in zip(said, (v.down, v.up), strict=True):
                assert (why is None) == (change is not None), (name, v.label)
                assert why is None or sentences(why) <= sentences(v.reason)
            if v.down is None and v.up is None:
                assert sentences(said[0]) | sentences(said[1]) == sentences(v.reason)


def test_the_sweep_table_marks_where_the_npv_reaches_zero(exported):
    plan, _src = exported["appraisal-example"]
    sweep = S.bias_sweep(plan)
    rows = table(stored(exported, "appraisal-example"), "Optimism bias on every benefit line")
    rows = [r for r in rows if r[1] is not None]  # not the sentence under the table
    crossing = [r for r in rows if r[1] == "Reaches zero"]
    assert len(crossing) == 1 and len(rows) == len(sweep.points) + 1
    assert abs(Fraction(crossing[0][0]) * 10_000 - sweep.crossing) < sweep.crossing * 1e-14
    assert pence(crossing[0][2]) == sweep.crossing_npv
    place = rows.index(crossing[0])
    assert all(r[1] == "Above zero" for r in rows[:place])
    assert all(r[1] == "Below zero" for r in rows[place + 1 :])
    for point, row in zip(sweep.points, [r for r in rows if r is not crossing[0]], strict=True):
        assert pence(row[2]) == point.npv
        assert row[3] == pytest.approx(float(point.bcr), abs=1e-12)


# -- a plan with nothing to appraise ------------------------------------------------------------


@pytest.mark.parametrize("make", [worked_example, lambda: samples.load("anyshire-bcf")])
def test_a_plan_with_nothing_to_appraise_has_no_sensitivity_sheet(tmp_path, make):
    plan = make()
    export_workbook(plan, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert wb.sheetnames == ["Cover", "Summary", "Commitments", "Contributions", "Timeline",
                             "Benefits", "Schemes", "Findings", "Sign-off"]  # fmt: skip
    contents = [c.value for c in wb["Cover"]["A"] if c.hyperlink]
    assert "Sensitivity" not in contents and "Benefits" in contents
    assert report.summary(plan)["sensitivity"] is None


def test_a_plan_with_an_appraisal_lists_its_sensitivity_sheet_after_benefits(exported):
    wb = openpyxl.load_workbook(exported["appraisal-example"][1])
    assert wb.sheetnames.index("Sensitivity") == wb.sheetnames.index("Benefits") + 1
    assert "Sensitivity" in [c.value for c in wb["Cover"]["A"] if c.hyperlink]


# -- summary --json ----------------------------------------------------------------------------


def twelve(value: str | None, exact) -> bool:
    """``value`` is ``exact`` to 12 significant digits."""
    if exact is None:
        return value is None
    return len(value.replace("-", "").replace(".", "").lstrip("0")) <= 12 and abs(
        Fraction(value) - exact
    ) <= abs(exact) * Fraction(1, 10**11)


@pytest.mark.parametrize("name", APPRAISED)
def test_the_json_section_is_the_engines(exported, name):
    plan, _src = exported[name]
    section = report.summary(plan)["sensitivity"]
    items = section["switching_values"]
    assert len(items) == 2 * len(S.switching_values(plan, [S.PLAN]))
    for (v, d, change), item in zip(points(plan), items, strict=True):
        assert (item["kind"], item["label"], item["line_id"], item["direction"]) == (
            v.input_kind.value,
            v.label,
            v.line_id,
            d,
        )
        assert item["body"] == (plan.bodies[v.body_id].name if v.body_id is not None else None)
        if change is None:
            assert item["reason"] and item["reason"] in v.reason
            assert item["pence"] is item["ratio"] is item["rate_bp"] is None
            continue
        assert item["reason"] is None
        assert item["pence"] == change.pence and item["npv_pence"] == change.value
        assert twelve(item["ratio"], change.ratio) and twelve(item["percent"], change.percent)
        assert twelve(item["rate_bp"], change.rate_bp)
    sweep = S.bias_sweep(plan)
    bias = section["bias_sweep"]
    assert [p["npv_pence"] for p in bias["points"]] == [p.npv for p in sweep.points]
    assert twelve(bias["crossing_bp"], sweep.crossing)
    assert bias["crossing_npv_pence"] == sweep.crossing_npv


def test_the_json_is_the_same_every_time():
    plan = two_crossings()
    first = json.dumps(report.summary(plan)["sensitivity"])
    assert json.dumps(report.summary(copy.deepcopy(plan))["sensitivity"]) == first
    rates = [p["rate_bp"] for p in json.loads(first)["switching_values"] if p["rate_bp"]]
    assert rates == ["1000.00762939", "2000"]  # 16384125 / 16384 to 12 digits


# -- a return ----------------------------------------------------------------------------------


@pytest.mark.parametrize("through_libreoffice", [False, True])
def test_a_signed_return_with_its_sensitivity_sheet_imports(tmp_path, through_libreoffice):
    """The sheet is part of what a return is compared with, cell by cell: signed as it was
    sent, or opened, signed and saved in LibreOffice (which rewrites its formulas and numbers
    as it writes them), the return reads."""
    import datetime as dt

    from planner.excel.export import export_plan_file
    from planner.excel.returns import read_return
    from planner.signoff import Decision
    from planner.store import PlanFile

    if through_libreoffice and soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it and runs these)")
    today = dt.datetime.combine(dt.date.today(), dt.time())
    with PlanFile.create(tmp_path / "plan.poolplan", two_crossings()) as pf:
        export_plan_file(pf, tmp_path / "sent.xlsx")
        wb = openpyxl.load_workbook(tmp_path / "sent.xlsx")
        assert "Sensitivity" in wb.sheetnames
        ws = wb["Sign-off"]
        ws["C5"], ws["E5"], ws["F5"] = "A. Signer", "Approved", today
        wb.save(tmp_path / "signed.xlsx")
        path = tmp_path / "signed.xlsx"
        if through_libreoffice:
            path = convert(path, tmp_path)
        signed = read_return(pf, path).sign_offs
        assert [(s.body_id, s.decision) for s in signed] == [(1, Decision.APPROVED)]


def test_a_return_of_a_workbook_from_before_the_sensitivity_sheet_still_reads(
    tmp_path, monkeypatch
):
    """Partners sent a workbook by the last release return one with no Sensitivity sheet (and
    no line for it in the Cover's contents): it is read as that export wrote it, not refused
    for lacking a sheet of formulas no partner fills in."""
    import datetime as dt

    from planner.excel import export
    from planner.excel.export import export_plan_file
    from planner.excel.returns import read_return
    from planner.signoff import Decision
    from planner.store import PlanFile

    made = export.context

    def as_before(*args, **kwargs):
        ctx = made(*args, **kwargs)
        ctx.with_sensitivity = False
        return ctx

    today = dt.datetime.combine(dt.date.today(), dt.time())
    with PlanFile.create(tmp_path / "plan.poolplan", two_crossings()) as pf:
        monkeypatch.setattr(export, "context", as_before)
        export_plan_file(pf, tmp_path / "sent.xlsx")
        monkeypatch.setattr(export, "context", made)
        wb = openpyxl.load_workbook(tmp_path / "sent.xlsx")
        assert "Sensitivity" not in wb.sheetnames
        ws = wb["Sign-off"]
        ws["C5"], ws["E5"], ws["F5"] = "A. Signer", "Approved", today
        wb.save(tmp_path / "signed.xlsx")
        signed = read_return(pf, tmp_path / "signed.xlsx").sign_offs
        assert [(s.body_id, s.decision) for s in signed] == [(1, Decision.APPROVED)]


def test_a_plan_with_cost_uplifts_has_its_mitigation_sweep_on_the_sheet_and_in_json(exported):
    """The cost uplift's mitigation from none to all, as gb_sensitivity_ob sweeps it: on the
    sheet after the bias sweep, and in summary --json, the engine's figures to the penny."""
    from planner import report
    from planner.sensitivity import uplift_sweep

    plan, _src = exported["uplifted-in-cash"]
    engine = uplift_sweep(plan)
    rows = table(
        stored(exported, "uplifted-in-cash"), "Share of every cost line's uplift mitigated"
    )
    # The points, less the crossing's row and the sentence under them.
    swept = [r for r in rows if isinstance(r[0], (int, float)) and r[1] != "Reaches zero"]
    assert [round(r[0], 4) for r in swept] == [float(p.at) for p in engine.points]
    assert [pence(r[2]) for r in swept] == [p.npv for p in engine.points]
    section = report.summary(plan)["sensitivity"]["uplift_sweep"]
    assert [p["npv_pence"] for p in section["points"]] == [p.npv for p in engine.points]
    # A plan without an uplift has neither.
    bare, _ = exported["appraisal-example"]
    assert report.summary(bare)["sensitivity"]["uplift_sweep"] is None
    with pytest.raises(StopIteration):
        table(stored(exported, "appraisal-example"), "Share of every cost line's uplift mitigated")
