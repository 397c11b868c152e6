"""Costs, benefits, present values, payback and gain-share, worked by hand on
builders.appraisal_example (factors 1, 1/1.035, 1/1.035^2)."""

from fractions import Fraction

import pytest
from builders import appraisal_example
from hypothesis import given
from hypothesis import strategies as st

from planner.benefits import appraise
from planner.model import GainShareRule

K = 1_000 * 100


@pytest.fixture
def plan():
    return appraisal_example()


def test_optimism_bias_is_taken_off_each_years_benefit(plan):
    b = appraise(plan).bodies
    assert b[3].gross == {2025: 0, 2026: 100 * K, 2027: 150 * K}
    assert b[3].adjusted == {2025: 0, 2026: 80 * K, 2027: 120 * K}
    assert b[2].adjusted[2026] == 10 * K and b[2].cashable[2026] == 0  # not cash


def test_present_values_and_npv_worked_by_hand(plan):
    a = appraise(plan)
    council, ccg, dwp = a.bodies[1], a.bodies[2], a.bodies[3]
    # Council costs: 100,000 + 50,000 / 1.035 = 148,309.1787... -> £148,309.18
    assert council.pv_costs == 14_830_918
    # Council benefits: 30,000 / 1.035^2 = 28,005.3210... -> £28,005.32
    assert council.pv_benefits == 2_800_532
    assert council.before.npv == 2_800_532 - 14_830_918
    # CCG: 50,000 paid in year 0; 10,000 / 1.035 = 9,661.8357... of benefit
    assert (ccg.pv_costs, ccg.pv_benefits) == (5_000_000, 966_184)
    # DWP: 80,000 / 1.035 + 120,000 / 1.035^2 = 189,315.9700...
    assert (dwp.pv_costs, dwp.pv_benefits) == (0, 18_931_597)
    assert a.pv_costs == 19_830_918
    assert a.pv_benefits == 22_698_313
    assert a.npv == 2_867_395  # £28,673.95
    assert a.benefit_cost_ratio == Fraction(22_698_313, 19_830_918)


def test_payback_year(plan):
    a = appraise(plan)
    # Net: -150,000, +40,000, +150,000; discounted cumulative turns positive in 2027-28.
    assert a.payback_year == 2027
    assert a.bodies[1].before.payback_year is None  # the council never gets its money back
    assert a.bodies[3].before.payback_year is None  # DWP invested nothing: nothing to repay
    # DWP's benefit comes sooner: 241,250 gross, 193,000 after 20% optimism bias.
    # 2026 net: -50,000 + 10,000 + 193,000 = 153,000 against 150,000 paid out in 2025.
    plan.benefits[1].years[2026] = 241_250 * 100
    assert appraise(plan).payback_year == 2027  # discounted, 153,000 / 1.035 = 147,826 < 150,000
    plan.appraisal.payback_discounted = False
    assert appraise(plan).payback_year == 2026  # undiscounted, 153,000 >= 150,000


def test_shares_of_costs_and_benefits(plan):
    a = appraise(plan)
    assert a.cost_share(1) == Fraction(14_830_918, 19_830_918)  # about 75%
    assert a.benefit_share(1) == Fraction(2_800_532, 22_698_313)  # about 12%
    assert a.benefit_share(3) == Fraction(18_931_597, 22_698_313)  # about 83%


def test_pro_rata_to_investment(plan):
    plan.appraisal.gain_share = GainShareRule.PRO_RATA
    t = appraise(plan).gain_share.transfers
    # Investment 150,000 : 50,000 : 0. Cash each year: 2026 80,000 (DWP);
    # 2027 150,000 (DWP 120,000 + council 30,000).
    assert t[2] == {2025: 0, 2026: 20 * K, 2027: 37_500 * 100}
    assert t[1] == {2025: 0, 2026: 60 * K, 2027: 82_500 * 100}
    assert t[3] == {2025: 0, 2026: -80 * K, 2027: -120 * K}


def test_fixed_percentages(plan):
    plan.appraisal.gain_share = GainShareRule.FIXED
    plan.appraisal.gain_share_percent_bp = {1: 5000, 2: 3000, 3: 2000}
    t = appraise(plan).gain_share.transfers
    assert (t[1][2026], t[2][2026], t[3][2026]) == (40 * K, 24 * K, -64 * K)
    plan.appraisal.gain_share_percent_bp = {1: 5000, 2: 3000}
    gs = appraise(plan).gain_share
    assert "80%, not 100%" in gs.problem
    assert all(p == 0 for by_year in gs.transfers.values() for p in by_year.values())


def test_investors_are_repaid_before_anyone_else_gains(plan):
    plan.appraisal.gain_share = GainShareRule.INVESTORS_FIRST
    a = appraise(plan)
    t = a.gain_share.transfers
    # 2026: 200,000 still owed to investors (150,000 : 50,000); all 80,000 repays them.
    assert (t[1][2026], t[2][2026], t[3][2026]) == (60 * K, 20 * K, -80 * K)
    # 2027: 120,000 still owed; repaid first, then the other 30,000 stays with those who
    # received it (DWP 120 : council 30 -> 24,000 : 6,000).
    assert (t[1][2027], t[2][2027], t[3][2027]) == (66 * K, 30 * K, -96 * K)
    after = {b: sum(x.after.net.values()) for b, x in a.bodies.items()}
    assert after[1] >= 0 and after[2] >= 0  # both investors have broken even


@pytest.mark.parametrize("rule", list(GainShareRule))
def test_transfers_sum_to_zero_and_create_nothing(plan, rule):
    plan.appraisal.gain_share = rule
    plan.appraisal.gain_share_percent_bp = {1: 3333, 2: 3333, 3: 3334}
    a = appraise(plan)
    for y in a.years:
        assert sum(t[y] for t in a.gain_share.transfers.values()) == 0
    before = sum(sum(b.before.net.values()) for b in a.bodies.values())
    after = sum(sum(b.after.net.values()) for b in a.bodies.values())
    assert before == after


def test_a_finding_when_reward_does_not_follow_investment(plan):
    from planner.findings import Code, find

    found = {f.body_id: f for f in find(plan) if f.code is Code.BENEFIT_MISMATCH}
    assert set(found) == {1, 2}  # the council and the CCG; DWP invested nothing
    council = found[1]
    assert "bears 75% of the plan's costs" in council.message
    assert "receives 12% of its benefits" in council.message
    assert "Department for Work and Pensions receives 83%" in council.message
    assert "No gain-share agreement" in council.message
    plan.appraisal.gain_share = GainShareRule.PRO_RATA
    council = next(f for f in find(plan) if f.code is Code.BENEFIT_MISMATCH and f.body_id == 1)
    assert "After the gain-share agreement (pro rata to investment) it receives" in council.message
    # Both receive about a sixth of their cost share: a board that only minds less than a
    # tenth sees no finding.
    plan.thresholds.benefit_mismatch_bp = 1000
    assert [f for f in find(plan) if f.code is Code.BENEFIT_MISMATCH] == []


def test_summary_json_has_the_benefits_section(plan):
    from planner.report import summary

    plan.appraisal.gain_share = GainShareRule.PRO_RATA
    s = summary(plan)["benefits"]
    council = s["bodies"][0]
    assert council["name"] == "Anytown Council"
    assert council["costs_pence"] == 150 * K
    assert council["adjusted_benefits_pence"] == 30 * K
    assert council["npv_pence"] == 2_800_532 - 14_830_918
    assert council["payback_year"] is None
    assert council["transfers"] == {"2025-26": 0, "2026-27": 60 * K, "2027-28": 82_500 * 100}
    # After it: -100,000, +10,000, +112,500; discounted, positive in 2027-28.
    assert council["after_gain_share"]["payback_year"] == "2027-28"
    assert s["totals"]["npv_pence"] == 2_867_395
    assert s["totals"]["payback_year"] == "2027-28"
    assert s["discount_factors"]["2026-27"] == round(1 / 1.035, 6)


@given(
    pence=st.integers(-(10**13), 10**13),
    bias=st.fractions(0, 10_000, max_denominator=10**4),  # a bias sweep's: none to all
)
def test_less_bias_at_an_exact_bias_rounds_half_away_from_zero(pence, bias):
    """A sweep's bias is a fraction of a basis point; what is left is worked in whole numbers.
    It must be the exact amount, rounded once to the penny, half away from zero."""
    from planner.benefits import less_bias

    exact = pence * (1 - bias / 10_000)
    whole, rest = divmod(abs(exact), 1)
    expected = int(whole) + (rest >= Fraction(1, 2))
    assert less_bias(pence, bias) == (expected if exact >= 0 else -expected)
