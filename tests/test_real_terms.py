"""Real and nominal prices (HM Treasury Green Book), worked by hand in pence: the GDP deflator's
calendar years turned into financial years, cash figures deflated to a price base year and
rounded once with their other adjustments, a year beyond the series at the inflation assumed;
stored, undone, read from JSON and refused in words when a setting breaks a rule; in the app's
Gain-share tab; and in the workbook as LibreOffice recomputes it."""

import json
import os
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from builders import POUND, altered, appraisal_example
from libreoffice import convert, soffice

from planner import jsonio
from planner import sensitivity as S
from planner.benefits import appraise, net_benefit, uplifted_cost
from planner.deflator import deflator, multipliers, series
from planner.errors import EditError, PlanFileError, PlanFormatError, PlannerError
from planner.excel.export import export_workbook
from planner.excel.fingerprint import fingerprint
from planner.model import BenefitLine, CostLine, Plan, Prices
from planner.store import PlanFile

D = Fraction  # a deflator or a multiplier, exactly


def in_cash(plan: Plan, base: int = 2025, inflation_bp: int = 200) -> Plan:
    plan.appraisal.prices, plan.appraisal.price_base_year = Prices.NOMINAL, base
    plan.appraisal.inflation_bp = inflation_bp
    return plan


# -- the series and the financial years ----------------------------------------------------------


def test_the_series_is_read_with_its_source_and_vintage_as_the_package_states_them():
    s = series()
    assert (s.first, s.last) == (1990, 2024)
    assert s.calendar[1990] == D("42.7537") and s.calendar[2024] == 100
    assert s.source == (
        "HM Treasury, GDP deflators at market prices (December 2025 Quarterly National "
        "Accounts release, calendar-year series, 2024 = 100)"
    )
    assert s.last_updated == "2026-04-26"
    assert "greenbook" in s.words and "2026-04-26" in s.words


def test_a_financial_years_deflator_is_nine_months_of_one_calendar_year_and_three_of_the_next():
    # 2022-23: April to December 2022 (90.5005) and January to March 2023 (96.2507):
    # 90.5005 x 9/12 = 67.875375, 96.2507 x 3/12 = 24.062675; together 91.93805.
    assert deflator(2022, 0) == D("91.93805")
    # 2023-24: 96.2507 x 9/12 = 72.188025, 100 x 3/12 = 25: 97.188025.
    assert deflator(2023, 0) == D("97.188025")
    # Inside the series the assumed inflation plays no part.
    assert deflator(2022, 2_000) == deflator(2022, 0)


def test_beyond_the_series_each_year_grows_by_the_inflation_assumed():
    # At 2%: calendar 2025 is 102, 2026 is 104.04, 2027 is 106.1208.
    # 2024-25: 100 x 9/12 + 102 x 3/12 = 75 + 25.5 = 100.5.
    assert deflator(2024, 200) == D("100.5")
    # 2026-27: 104.04 x 9/12 + 106.1208 x 3/12 = 78.03 + 26.5302 = 104.5602, 100.5 x 1.02^2.
    assert deflator(2026, 200) == D("104.5602")
    # Deflation may be assumed too: at -1%, 2025-26 is 99 x 9/12 + 98.01 x 3/12 = 98.7525.
    assert deflator(2025, -100) == D("98.7525")


def test_a_year_before_the_series_has_no_deflator():
    with pytest.raises(ValueError, match="starts in 1990"):
        deflator(1989, 0)


# -- deflating cash, by hand -----------------------------------------------------------------


def test_cash_in_a_year_deflated_against_its_base_by_hand():
    line = BenefitLine(1, 1, 1, True, 0, "", {2027: 1_000_000 * POUND})
    # £1,000,000 of cash in a year whose deflator is 105.0 against a base of 100.0:
    # 1,000,000 x 100 / 105 = 952,380.952... -> £952,380.95.
    assert net_benefit(1_000_000 * POUND, line, D(100, 105)) == 95_238_095
    cost = CostLine(1, 1, 1, {2027: 1_000_000 * POUND})
    assert uplifted_cost(1_000_000 * POUND, cost, D(100, 105)) == 95_238_095


def test_the_conversion_is_rounded_once_with_the_other_adjustments():
    # 25p less 10% bias is 22.5p; x 100/105 is 21.43p -> 21p. Rounding the bias first
    # (23p) and again after (21.90p -> 22p) would be a penny more.
    line = BenefitLine(1, 1, 1, True, 1_000, "", {})
    assert net_benefit(25, line, D(100, 105)) == 21
    # 25p uplifted by 20% half mitigated is 27.5p; x 100/105 is 26.19p -> 26p, not 27p.
    cost = CostLine(1, 1, 1, {}, 2_000, 5_000)
    assert uplifted_cost(25, cost, D(100, 105)) == 26
    # With every adjustment too: £1,000 less 10% deadweight, 20% bias, x 100/105:
    # 1,000 x 0.9 x 0.8 = 720; 720 / 1.05 = 685.714... -> £685.71.
    line = BenefitLine(1, 1, 1, True, 2_000, "", {}, deadweight_bp=1_000)
    assert net_benefit(1_000 * POUND, line, D(100, 105)) == 68_571


def test_cash_within_the_series_by_hand():
    # £1,000,000 of cash in 2022-23 at 2023-24 prices: x 97.188025 / 91.93805
    # = 1,057,103.397342... -> £1,057,103.40.
    plan = in_cash(Plan("Past", 2022, 2), base=2023, inflation_bp=0)
    m = multipliers(plan.appraisal, [2022, 2023])
    assert m == {2022: D("97.188025") / D("91.93805"), 2023: 1}
    line = BenefitLine(1, 1, 1, True, 0, "", {})
    assert net_benefit(1_000_000 * POUND, line, m[2022]) == 105_710_340


def test_a_plan_in_cash_is_appraised_in_the_base_years_prices_by_hand():
    real = appraise(appraisal_example())
    a = appraise(in_cash(appraisal_example()))  # 2025-26 prices, 2% a year after 2024
    # Every year is beyond the series, so each is the one before at 2%: 1, 1/1.02, 1/1.0404.
    assert a.real_terms == {2025: 1, 2026: D(50, 51), 2027: D(2500, 2601)}
    council, ccg, dwp = a.bodies[1], a.bodies[2], a.bodies[3]
    # The council's £50,000 in 2026-27: 50,000 / 1.02 = 49,019.6078... -> £49,019.61.
    assert council.costs == {2025: 10_000_000, 2026: 4_901_961, 2027: 0}
    # Its £30,000 of 2027-28: 30,000 / 1.0404 = 28,835.0634... -> £28,835.06.
    assert council.adjusted[2027] == 2_883_506
    # DWP's £150,000 less 20% bias, 120,000 / 1.0404 = 115,340.2537... -> £115,340.25,
    # and £80,000 / 1.02 = 78,431.3725... -> £78,431.37.
    assert dwp.adjusted == {2025: 0, 2026: 7_843_137, 2027: 11_534_025}
    # The gross benefits are as entered, in cash.
    assert dwp.gross == real.bodies[3].gross
    # Present values are taken of the real figures: 100,000 + 49,019.61 / 1.035 = 147,361.94.
    assert council.pv_costs == 14_736_194
    assert ccg.pv_costs == 5_000_000  # year 0, the base year: as entered
    assert a.npv == 2_247_875 and a.npv != real.npv


def test_the_summarys_lines_of_a_plan_in_cash_add_up_to_its_bodies():
    """summary --json's cost and benefit lines carry each year's conversion into real terms,
    as the appraisal's bodies do: taken as entered, they added up to something else."""
    from planner import report

    plan = in_cash(appraisal_example())
    out = report.summary(plan)["benefits"]
    costs = sum(sum(c["uplifted_pence"].values()) for c in out["cost_lines"])
    net = sum(sum(b["net_pence"].values()) for b in out["benefit_lines"])
    assert costs == out["totals"]["costs_pence"] == 14_901_961 + 5_000_000 + 0
    assert net == out["totals"]["adjusted_benefits_pence"]
    # DWP's £80,000 less 20% bias in 2026-27 at 1 / 1.02: £78,431.37, as by hand above.
    dwp = next(b for b in out["benefit_lines"] if b["net_pence"].get("2026-27") == 7_843_137)
    assert dwp["gross_pence"]["2026-27"] == 10_000_000


def test_a_plan_in_real_terms_is_appraised_as_entered():
    plan = appraisal_example()
    assert appraise(plan).real_terms is None
    # A base year and inflation left on a plan in real terms change nothing: real is real.
    assert appraise(plan).npv == 2_867_395


def test_the_uplift_sweep_rounds_a_plan_in_cash_once_as_the_appraisal_does():
    plan = in_cash(appraisal_example())
    plan.costs[1].uplift_bp, plan.costs[1].mitigation_bp = 2_400, 5_000
    plan.costs[1].years[2026] = 33_333
    sweep = S.uplift_sweep(plan, mitigations=(0, Fraction(1, 2), 1))
    assert sweep.points[1].npv == appraise(plan).npv  # the line's own mitigation


# -- stored, undone, in JSON --------------------------------------------------------------------


@pytest.fixture
def pf(tmp_path):
    f = PlanFile.create(tmp_path / "prices.poolplan", appraisal_example())
    yield f
    f.close()


def test_the_settings_are_stored_one_undoable_edit_each_and_undone_exactly(pf):
    before, print_before = jsonio.dumps(pf.plan), fingerprint(pf.plan)
    npv = appraise(pf.plan).npv
    assert json.loads(before)["format_version"] == 2
    pf.set_appraisal(prices="nominal")
    first = pf.last_edit
    a = pf.plan.appraisal
    assert (a.prices, a.price_base_year, a.inflation_bp) == (Prices.NOMINAL, 2025, 0)
    pf.set_appraisal(inflation_bp=200)
    second = pf.last_edit
    pf.set_appraisal(price_base_year="2026-27")
    third = pf.last_edit
    assert fingerprint(pf.plan) != print_before  # the prices are part of the plan
    with PlanFile.open(pf.path, read_only=True) as again:
        assert again.plan == pf.plan
    data = json.loads(jsonio.dumps(pf.plan))
    assert data["format_version"] == 7
    assert data["appraisal"]["prices"] == {
        "entered": "nominal",
        "base_year": "2026-27",
        "inflation_bp": 200,
    }
    assert jsonio.loads(jsonio.dumps(pf.plan)) == pf.plan
    # In 2026-27 prices, 2025-26's cash is worth 2% more.
    assert appraise(pf.plan).bodies[2].costs[2025] == 5_100_000
    for edit in (third, second, first):
        pf.undo(edit)
    assert jsonio.dumps(pf.plan) == before and fingerprint(pf.plan) == print_before
    assert appraise(pf.plan).npv == npv


def test_figures_put_back_into_real_terms_leave_no_trace(pf):
    before = jsonio.dumps(pf.plan)
    pf.set_appraisal(prices="nominal", price_base_year=2030, inflation_bp=150)
    pf.set_appraisal(prices="real")  # not an undo: the base year and inflation go with it
    a = pf.plan.appraisal
    assert (a.prices, a.price_base_year, a.inflation_bp) == (Prices.REAL, None, 0)
    assert jsonio.dumps(pf.plan) == before
    with PlanFile.open(pf.path, read_only=True) as again:
        assert jsonio.dumps(again.plan) == before


@pytest.mark.parametrize(
    "fields, phrase",
    [
        ({"prices": "nominal", "price_base_year": 1985}, "starts in 1990-91, so 1985-86 cannot"),
        ({"prices": "nominal", "inflation_bp": 2_001}, "between -10% and 20% a year"),
        ({"prices": "nominal", "inflation_bp": "2%"}, "whole number"),
        ({"prices": "nominal", "price_base_year": "2025-27"}, "not a financial year"),
        ({"prices": "in pounds"}, "must be one of: real, nominal"),
        ({"prices": "real", "price_base_year": 2025}, "no price base year"),
        ({"price_base_year": 2025}, "no price base year"),  # the plan is in real terms
    ],
)
def test_a_setting_that_breaks_a_rule_is_refused_in_words_and_nothing_changes(pf, fields, phrase):
    before = jsonio.dumps(pf.plan)
    with pytest.raises(PlannerError, match=phrase):  # an EditError, or a YearError
        pf.set_appraisal(**fields)
    assert jsonio.dumps(pf.plan) == before


def test_a_plan_before_the_series_cannot_be_in_cash(tmp_path):
    with PlanFile.create(tmp_path / "old.poolplan", Plan("Old", 1988, 5)) as old:
        with pytest.raises(EditError, match="figures from 1988-89 cannot be entered in cash"):
            old.set_appraisal(prices="nominal", price_base_year=1995)


def test_a_plan_in_cash_cannot_be_moved_before_the_series(tmp_path):
    with PlanFile.create(tmp_path / "moved.poolplan", Plan("Moved", 1992, 3)) as moved:
        moved.set_appraisal(prices="nominal")
        with pytest.raises(EditError, match="years the GDP deflator covers"):
            moved.update_plan(first_year=1988)
        assert moved.plan.first_year == 1992


def test_a_plan_in_real_terms_keeps_its_json_its_format_and_its_fingerprint():
    plan = appraisal_example()
    text, print_ = jsonio.dumps(plan), fingerprint(plan)
    assert "prices" not in json.loads(text)["appraisal"]
    in_cash(plan)
    assert json.loads(jsonio.dumps(plan))["format_version"] == 7
    plan.appraisal.prices, plan.appraisal.price_base_year = Prices.REAL, None
    plan.appraisal.inflation_bp = 0
    assert jsonio.dumps(plan) == text and fingerprint(plan) == print_


def _with_prices(prices) -> str:
    data = json.loads(jsonio.dumps(appraisal_example()))
    data["format_version"] = 7
    data["appraisal"]["prices"] = prices
    return json.dumps(data)


@pytest.mark.parametrize(
    "prices, phrase",
    [
        ({"entered": "nominal", "base_year": "1980-81"}, "starts in 1990-91"),
        ({"entered": "nominal"}, "need a price base year"),
        ({"entered": "real", "base_year": "2025-26"}, "no price base year"),
        ({"entered": "real", "inflation_bp": 100}, "no price base year or assumed inflation"),
        ({"entered": "nominal", "base_year": "2025-26", "inflation_bp": 9_999}, "between -10%"),
        ({"entered": "nominal", "base_year": "2025-26", "inflation_bp": 2.5}, "whole number"),
        ({"entered": "nominal", "base_year": 2025}, "financial year label"),
        ({"entered": "cash", "base_year": "2025-26"}, "is not one of: real, nominal"),
        ({"entered": "nominal", "base_year": "2025-26", "deflator": 105}, "not a known field"),
        ("nominal", "expected an object"),
    ],
)
def test_plan_json_with_prices_that_break_a_rule_is_refused_in_words(prices, phrase):
    with pytest.raises(PlanFormatError, match=phrase) as refused:
        jsonio.loads(_with_prices(prices))
    assert str(refused.value).startswith("plan file.appraisal.prices")


def test_plan_json_of_a_plan_in_cash_before_the_series_is_refused():
    data = json.loads(_with_prices({"entered": "nominal", "base_year": "2025-26"}))
    data["plan"]["first_year"] = "1989-90"
    for section in ("costs", "benefits"):
        data[section] = []
    with pytest.raises(PlanFormatError, match="figures from 1989-90 cannot be entered in cash"):
        jsonio.loads(json.dumps(data))


@pytest.mark.parametrize(
    "sql, phrase",
    [
        ("UPDATE gain_share SET prices = 'nominal'", "figures entered in cash have a price base"),
        ("UPDATE gain_share SET inflation_bp = 200", "real terms have no price base year"),
        (
            "UPDATE gain_share SET prices = 'nominal', price_base_year = 1980",
            "in years the GDP deflator covers \\(from 1990-91\\)",
        ),
        (
            "UPDATE gain_share SET prices = 'nominal', price_base_year = '2025-26'",
            "price base year is a whole number",
        ),
        (
            "UPDATE gain_share SET prices = 'nominal', price_base_year = 2025, inflation_bp = 5000",
            "assumed inflation is a whole number from -1000 to 2000",
        ),
        ("UPDATE gain_share SET prices = 'cash'", "prices IN \\('real', 'nominal'\\)"),
    ],
)
def test_a_received_file_with_prices_that_break_a_rule_is_refused_on_opening(tmp_path, sql, phrase):
    path = tmp_path / "received.poolplan"
    PlanFile.create(path, appraisal_example()).close()
    altered(path, sql)
    with pytest.raises(PlanFileError, match=phrase):
        PlanFile.open(path)


# -- the app -------------------------------------------------------------------------------


def test_prices_are_set_on_the_gain_share_tab_and_undone_exactly(qtbot, window):
    from PySide6.QtCore import Qt

    window.editors.show_gain_share()  # builds the appraisal tabs
    panel = window.editors.appraisal.gain_share
    doc = window.doc
    before, npv = jsonio.dumps(doc.plan), doc.analysis.benefits.npv
    positions = panel.positions
    whole_plan_npv = positions.index(positions.rowCount() - 1, 3)
    shown = whole_plan_npv.data()
    assert not panel.base_year.isEnabled()  # nothing to set while the figures are real
    assert "as they are entered" in panel.deflator_note.text()

    cash = panel.prices.findData("nominal")
    panel.prices.setCurrentIndex(cash)
    panel.prices.activated.emit(cash)
    first = doc.plan.first_year
    assert doc.plan.appraisal.prices is Prices.NOMINAL
    assert (
        panel.base_year.text() == f"{first}-{(first + 1) % 100:02d}" and panel.base_year.isEnabled()
    )
    assert "December 2025 Quarterly National Accounts" in panel.deflator_note.text()
    assert "2026-04-26" in panel.deflator_note.text()
    # The Greater Manchester plan's years are inside the series: its later years' cash is
    # worth less in its first year's prices, and its NPV moves.
    in_cash_npv = doc.analysis.benefits.npv
    assert in_cash_npv != npv and whole_plan_npv.data() != shown

    # A base year before the series: refused in words, the setting shown as it stands.
    panel.base_year.selectAll()
    qtbot.keyClicks(panel.base_year, "1985-86")
    qtbot.keyClick(panel.base_year, Qt.Key.Key_Return)
    assert "The GDP deflator starts in 1990-91" in panel.problem.text()
    assert panel.base_year.text() == f"{first}-{(first + 1) % 100:02d}"
    assert doc.analysis.benefits.npv == in_cash_npv

    panel.base_year.selectAll()
    qtbot.keyClicks(panel.base_year, "2016-17")
    qtbot.keyClick(panel.base_year, Qt.Key.Key_Return)
    assert doc.plan.appraisal.price_base_year == 2016
    assert doc.analysis.benefits.npv != in_cash_npv
    assert window.undo_action.text().endswith("Change the price base year to 2016-17")

    window.undo_action.trigger()
    assert doc.analysis.benefits.npv == in_cash_npv
    window.undo_action.trigger()
    assert jsonio.dumps(doc.plan) == before and doc.analysis.benefits.npv == npv
    assert whole_plan_npv.data() == shown
    assert panel.prices.currentData() == "real" and not panel.base_year.isEnabled()


# -- the workbook ----------------------------------------------------------------------------


def _table(rows, title: str) -> dict[int, list[int]]:
    """Body number -> pence by year (the first three years, F to H) of a table by its title."""
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    found = {}
    for r in rows[start + 1 :]:
        if r[2] is None:
            break
        found[int(r[2])] = [
            int(Decimal(str(v)) * 100) if isinstance(v, int | float) else 0 for v in r[5:8]
        ]
    return found


def test_the_workbook_deflates_a_plan_in_cash_as_the_app_does(tmp_path):
    plan = in_cash(appraisal_example(), base=2026, inflation_bp=250)
    plan.costs[1].uplift_bp, plan.costs[1].mitigation_bp = 2_400, 2_500
    plan.costs[1].years[2026] = 33_333
    plan.benefits[1].deadweight_bp = 1_250
    out = tmp_path / "cash.xlsx"
    export_workbook(plan, out)
    app = appraise(plan)
    expected = {
        "Costs by paying body (after optimism bias) in 2026-27 prices": {
            b: [bb.costs[y] for y in app.years] for b, bb in app.bodies.items()
        },
        "Benefits by receiving body (after optimism bias) in 2026-27 prices": {
            b: [bb.adjusted[y] for y in app.years] for b, bb in app.bodies.items()
        },
    }
    positions = [app.pv_costs, app.pv_benefits, app.npv]

    def read(wb):
        rows = list(wb["Benefits"].iter_rows(values_only=True))
        tables = {title: _table(rows, title) for title in expected}
        whole = next(r for r in rows if r[0] == "Whole plan")
        deflators = list(next(r for r in rows if r[0] == "GDP deflator (financial year)")[5:8])
        pence = [int(Decimal(str(v)) * 100) for v in whole[5:8]]
        return tables, pence, deflators

    # 2026-27 prices: 2025-26's cash is worth 2.5% more (the CCG's £50,000 is £51,250).
    assert expected[next(iter(expected))][2][0] == 5_125_000
    app_deflators = [float(deflator(y, 250)) for y in app.years]
    tables, pence, deflators = read(openpyxl.load_workbook(out, data_only=True))
    assert (tables, pence, deflators) == (expected, positions, app_deflators)
    if soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it and runs these)")
    tables, pence, deflators = read(openpyxl.load_workbook(convert(out, tmp_path), data_only=True))
    assert (tables, pence) == (expected, positions)  # to the penny
    assert deflators == pytest.approx(app_deflators, rel=1e-12)


def test_a_plan_in_real_terms_has_no_deflator_on_its_benefits_sheet(tmp_path):
    out = tmp_path / "real.xlsx"
    export_workbook(appraisal_example(), out)
    rows = list(openpyxl.load_workbook(out)["Benefits"].iter_rows(values_only=True))
    labels = [r[0] for r in rows if r[0]]
    assert not any("deflator" in str(label).lower() or "prices" in str(label) for label in labels)
    assert "Costs by paying body" in labels


def test_summary_json_says_the_prices_only_for_a_plan_in_cash():
    from planner.report import summary

    assert "prices" not in summary(appraisal_example())["benefits"]
    prices = summary(in_cash(appraisal_example()))["benefits"]["prices"]
    assert prices["entered"] == "nominal" and prices["base_year"] == "2025-26"
    # At 2%, 2025-26 is 100 x 1.02 x 9/12 + 100 x 1.0404 x 3/12 = 76.5 + 26.01 = 102.51.
    assert prices["deflators"]["2025-26"] == 102.51


@pytest.mark.parametrize(
    "typed, bp", [("2%", 200), ("-1.5", -150), ("\u22122%", -200), ("20%", 2_000)]
)
def test_assumed_inflation_is_read_with_its_sign_and_held_to_its_range(typed, bp):
    from planner import fields as F
    from ui.models.base import percent_bp

    assert percent_bp(typed, "assumed inflation", F.INFLATION.high, F.INFLATION.low) == bp


@pytest.mark.parametrize("typed", ["99%", "10001%", "-11%", "abc"])
def test_assumed_inflation_out_of_range_is_refused_in_one_voice(typed):
    from planner import fields as F
    from planner.errors import EditError
    from ui.models.base import percent_bp

    with pytest.raises(EditError) as e:
        percent_bp(typed, "assumed inflation", F.INFLATION.high, F.INFLATION.low)
    assert "10000%" not in str(e.value) and ("-10% and 20%" in str(e.value) or "abc" in typed)
