"""Switching values and optimism-bias sweeps (planner.sensitivity), worked by hand to the penny
and checked the way the module promises: by re-appraising a copy of the plan at the switching
point, built here independently, where the result has switched and one penny (or, for a
rate, the step given) nearer no change it has not.

The hand-worked plan: two years from 2025-26, factors 1 and 1/1.035. The council pays
£100,000 in 2025-26; DWP receives £124,200 of cash benefit in 2026-27, which is worth
124,200 / 1.035 = £120,000 exactly. NPV = £20,000."""

import copy
from fractions import Fraction

import pytest
from hypothesis import given, settings
from strategies import appraised_plans

from planner import jsonio, samples
from planner import sensitivity as S
from planner.benefits import appraise
from planner.discounting import round_ratio
from planner.model import (
    BenefitLine,
    Body,
    BodyKind,
    CostLine,
    GainShareRule,
    Plan,
    Role,
    Scheme,
)

POUND = 100
K = S.InputKind


def two_years() -> Plan:
    p = Plan(name="Two years", first_year=2025, years=2)
    p.bodies = {
        1: Body(1, "Anytown Council", BodyKind.COUNCIL, Role.HOST),
        2: Body(2, "Department for Work and Pensions", BodyKind.DWP),
    }
    p.schemes = {1: Scheme(1, "Troubled families", 1)}
    p.costs = {1: CostLine(1, 1, 1, {2025: 100_000 * POUND})}
    p.benefits = {1: BenefitLine(1, 1, 2, True, 0, "", {2026: 124_200 * POUND})}
    return p


def find(values, kind, target):
    return next(v for v in values if v.input_kind is kind and v.target == target)


# -- re-appraising, independently of the module -----------------------------------------------


def moved(plan: Plan, value: S.SwitchingValue, pence: int) -> Plan:
    """The plan with the input's total moved by ``pence``: each of its years in the plan times
    (total + pence) / total, to the penny, half away from zero."""
    p = copy.deepcopy(plan)
    if value.input_kind is K.BENEFIT_LINE:
        lines = [p.benefits[value.line_id]]
    elif value.input_kind is K.COST_LINE:
        lines = [p.costs[value.line_id]]
    elif value.input_kind is K.BODY_BENEFITS:
        lines = [b for b in p.benefits.values() if b.body_id == value.body_id]
    else:
        lines = [c for c in p.costs.values() if c.body_id in p.bodies]
    span = set(p.year_range)
    total = sum(v for line in lines for y, v in line.years.items() if y in span)
    for line in lines:
        line.years = {
            y: round_ratio(v * (total + pence), total) if y in span else v
            for y, v in line.years.items()
        }
    return p


def flat(plan: Plan, rate_bp) -> Plan:
    p = copy.deepcopy(plan)
    p.appraisal.discount_bands = ((0, rate_bp),)
    return p


def result(plan: Plan, target) -> int:
    a = appraise(plan)
    return a.npv if target == S.PLAN else a.bodies[target].after.npv


def switched(target, start: int, v: int) -> bool:
    if target == S.PLAN:
        return v <= 0 if start > 0 else v >= 0
    return v < 0 if start >= 0 else v >= 0


def check(plan: Plan, values) -> int:
    """Every switching point holds when re-appraised: switched there, not one penny (or one
    step of the rate) nearer no change, and as the module says. Returns how many it checked."""
    checked = 0
    r0 = plan.appraisal.discount_bands[0][1]
    for v in values:
        for d, change in ((-1, v.down), (1, v.up)):
            if change is None:
                continue
            checked += 1
            if v.input_kind is K.DISCOUNT_RATE:
                start = result(flat(plan, r0), v.target)
                there = result(flat(plan, change.rate_bp), v.target)
                near = result(flat(plan, change.rate_bp - d * change.step_bp), v.target)
                # A penny apart, unless roundings of several bodies fall at one rate.
                tight = abs(there - near) <= 1 or change.step_bp < Fraction(1, 10**9)
                assert there == 0 or tight, (v, there, near)
                assert change.rate_bp == r0 + change.change_bp
            else:
                start = v.now
                there = result(moved(plan, v, change.pence), v.target)
                near = result(moved(plan, v, change.pence - d), v.target)
            assert there == change.value, v
            assert switched(v.target, start, there), (v, there)
            assert not switched(v.target, start, near), (v, near)
            assert d * (change.rate_bp - r0 if change.pence is None else change.pence) > 0
    return checked


# -- the plan's NPV, worked by hand -------------------------------------------------------------


def test_a_benefit_lines_switching_value_by_hand():
    plan = two_years()
    values = S.switching_values(plan)
    v = find(values, K.BENEFIT_LINE, S.PLAN)
    assert v.now == 20_000 * POUND
    # s* = -NPV / PV(line) = -20,000 / 120,000 = -1/6; of £124,200, a fall of £20,700.
    assert v.down.ratio == Fraction(-1, 6) and v.down.percent == Fraction(-50, 3)
    assert v.down.pence == -20_700 * POUND
    assert v.up is None and v.reason == "A rise only takes the NPV further above zero."
    # At £103,500 the benefit is worth 103,500 / 1.035 = £100,000: NPV nil.
    assert appraise(moved(plan, v, -2_070_000)).npv == 0
    # A penny less fall: 10,350,001 / 1.035 = 10,000,000.97 -> 10,000,001p, NPV +1p.
    assert appraise(moved(plan, v, -2_069_999)).npv == 1
    assert check(plan, values) > 0


def test_a_cost_lines_switching_value_by_hand():
    values = S.switching_values(two_years())
    v = find(values, K.COST_LINE, S.PLAN)
    # s* = NPV / PV(line) = 20,000 / 100,000: costs may rise by a fifth, £20,000.
    assert (v.up.ratio, v.up.pence, v.up.value) == (Fraction(1, 5), 20_000 * POUND, 0)
    assert v.down is None and v.reason == "A fall only takes the NPV further above zero."
    # One line of costs and one body's one line of benefits are the same inputs again.
    assert find(values, K.ALL_COSTS, S.PLAN).up == v.up
    assert find(values, K.BODY_BENEFITS, S.PLAN).down.pence == -20_700 * POUND


def test_pv_of_an_input_is_exact_and_after_bias():
    plan = two_years()
    assert S.pv_input(plan, [plan.benefits[1]]) == 12_000_000  # 124,200 / 1.035 exactly
    assert S.pv_input(plan, [plan.costs[1]]) == -10_000_000
    # Net of 20% bias, rounded per line and year as the app rounds it: 99,360 / 1.035 = 96,000.
    plan.benefits[1].optimism_bias_bp = 2000
    assert S.pv_input(plan, [plan.benefits[1]]) == 9_600_000
    # With 1p more gross, the net 9,936,000.8p rounds to 9,936,001p before discounting.
    plan.benefits[1].years[2026] += 1
    assert S.pv_input(plan, [plan.benefits[1]]) == Fraction(9_936_001 * 1000, 1035)


def test_the_flat_discount_rate_that_switches_the_plan():
    v = find(S.switching_values(two_years()), K.DISCOUNT_RATE, S.PLAN)
    # 124,200 / (1 + r) = 100,000 when r = 24.2%: 2,420 bp, 2,070 bp above 3.5%.
    assert (v.up.rate_bp, v.up.change_bp, v.up.value) == (2420, 2070, 0)
    assert v.up.ratio == Fraction(2070, 350)
    assert v.up.step_bp < Fraction(1, 100)  # and a hair below it the NPV is a penny up
    assert v.down is None and v.reason == "No lower rate, down to 0%, switches it."


def test_a_plan_with_a_negative_npv_switches_the_other_way():
    plan = two_years()
    plan.costs[1].years[2025] = 150_000 * POUND  # NPV -£30,000
    v = find(S.switching_values(plan), K.BENEFIT_LINE, S.PLAN)
    # Benefits must rise by a quarter: 124,200 x 1.25 = 155,250, worth £150,000.
    assert (v.up.ratio, v.up.value) == (Fraction(1, 4), 0) and v.down is None
    assert v.reason == "A fall only takes the NPV further below zero."


def test_costs_cannot_fall_below_nothing():
    plan = two_years()
    plan.benefits[1].years[2026] = 0
    plan.benefits[2] = BenefitLine(2, 1, 1, False, 0, "", {2026: 10})  # 10p, so NPV < 0
    v = find(S.switching_values(plan), K.COST_LINE, S.PLAN)
    # The NPV is -£100,000 + 10p / 1.035 (9.66p -> 10p): costs would have to fall to 10p. At
    # 10p the NPV is nil and at 11p it is -1p; a fall of 9,999,990p.
    assert v.down.pence == -9_999_990 and v.down.value == 0
    plan.benefits[2].years[2026] = 0
    v = find(S.switching_values(plan), K.COST_LINE, S.PLAN)
    assert v.down.pence == -10_000_000  # all of it, -100%: nothing less than nothing


def test_benefits_cannot_fall_below_nothing():
    v = find(S.switching_values(two_years()), K.BENEFIT_LINE, 2)
    assert v.down is None and v.up is None
    assert v.reason.startswith("Benefits cannot fall below nothing.")


def test_lines_outside_the_plans_years_have_nothing_to_change():
    plan = two_years()
    plan.benefits[2] = BenefitLine(2, 1, 2, True, 0, "", {2030: 5 * POUND})
    v = next(v for v in S.switching_values(plan, [S.PLAN]) if v.line_id == 2)
    assert (v.down, v.up) == (None, None)
    assert v.reason == "The benefits have no money in the plan's years to change."


def test_a_plan_at_zero_has_switched_already():
    plan = two_years()
    plan.benefits[1].years[2026] = 103_500 * POUND  # worth £100,000: NPV nil
    v = find(S.switching_values(plan), K.COST_LINE, S.PLAN)
    assert (v.down, v.up, v.reason) == (None, None, "The NPV is zero already.")


# -- a body's position after gain-share ---------------------------------------------------------


def test_no_gain_share_a_body_moves_only_with_its_own_lines():
    values = S.switching_values(two_years())
    council = find(values, K.COST_LINE, 1)
    # The council is £100,000 down; only costs of nothing (-100%) bring it to nil.
    assert council.now == -10_000_000
    assert (council.down.ratio, council.down.value) == (-1, 0)
    assert find(values, K.BENEFIT_LINE, 1).reason == "It does not change this body's position."


def test_fixed_percentages_by_hand():
    plan = two_years()
    plan.appraisal.gain_share = GainShareRule.FIXED
    plan.appraisal.gain_share_percent_bp = {1: 5000, 2: 5000}
    values = S.switching_values(plan)
    council = find(values, K.BENEFIT_LINE, 1)
    # Half of £124,200 is £62,100, worth £60,000: the council stands at -£40,000. DWP's
    # benefit must rise by two thirds, to £207,000: half is £103,500, worth £100,000.
    assert council.now == -4_000_000
    assert (council.up.ratio, council.up.pence, council.up.value) == (Fraction(2, 3), 8_280_000, 0)
    # A penny less: 20,699,999p. DWP's half, 10,349,999.5p, rounds up to 10,350,000p; the
    # council (the balancing body: equal weights, lowest id) takes 10,349,999p, worth
    # 9,999,999.03 -> 9,999,999p: -1p, still a loss.
    assert result(moved(plan, council, 8_279_999), 1) == -1
    # Or the council's cost falls by 40%, to £60,000.
    assert find(values, K.COST_LINE, 1).down.ratio == Fraction(-2, 5)
    # DWP keeps half of its benefit: positive whatever it is.
    assert find(values, K.BENEFIT_LINE, 2).down is None
    assert find(values, K.COST_LINE, 2).reason == "It does not change this result."
    # The plan's five (benefit line and DWP's benefits down, the cost and all costs up, the
    # rate up) and the council's four.
    assert check(plan, values) == 9


def test_investors_first_by_hand():
    plan = two_years()
    plan.appraisal.gain_share = GainShareRule.INVESTORS_FIRST
    values = S.switching_values(plan)
    council = find(values, K.COST_LINE, 1)
    # The council is repaid its £100,000 in 2026-27, worth 100,000 / 1.035: it stands at
    # -£3,381.64 and can never be repaid more than it paid, so only a smaller cost helps: at
    # 14p, repaid 14p, worth 13.53p -> 14p, it breaks even; at 15p, 14.49p -> 14p, it does not.
    assert council.now == -338_164
    assert (council.down.pence, council.down.value) == (-9_999_986, 0)
    assert result(moved(plan, council, -9_999_985), 1) == -1
    assert council.up is None and council.reason == "No rise the plan can hold switches it."
    assert find(values, K.BENEFIT_LINE, 1).up is None  # repaid at most what it paid
    # Or no discounting at all: at 0% the repayment is worth what it cost.
    rate = find(values, K.DISCOUNT_RATE, 1)
    assert (rate.down.rate_bp, rate.down.change_bp, rate.down.value) == (0, -350, 0)
    # The plan's five, and the council's cost, all costs and the rate.
    assert check(plan, values) == 8


def test_pro_rata_cost_lines_move_every_bodys_share():
    plan = two_years()
    plan.bodies[3] = Body(3, "NHS Anytown CCG", BodyKind.CCG_ICB)
    plan.costs[2] = CostLine(2, 1, 3, {2025: 50_000 * POUND})
    plan.appraisal.gain_share = GainShareRule.PRO_RATA
    values = S.switching_values(plan)
    ccg = next(v for v in values if v.line_id == 2 and v.target == 3)
    # Investment 100,000 : 50,000 shares DWP's £124,200: the CCG has £41,400, worth £40,000,
    # against £50,000 paid, so -£10,000. At a cost c it has -c + 120,000 c / (100,000 + c),
    # nil at c = £20,000: a fall of 60%, not in proportion, as its share falls with it.
    assert ccg.now == -10_000 * POUND
    # To the penny, at £20,000.03: 12,420,000 x 2,000,003 / 12,000,003 = 2,070,002.59 ->
    # 2,070,003p, worth 2,000,002.90 -> 2,000,003p. At £20,000.04, 2,070,003.45 -> 2,070,003p
    # again, worth the same: -1p.
    assert (ccg.down.pence, ccg.down.value) == (-2_999_997, 0)
    assert moved(plan, ccg, -2_999_997).costs[2].years == {2025: 2_000_003}
    assert result(moved(plan, ccg, -2_999_996), 3) == -1
    assert ccg.up is None
    assert check(plan, values) >= 8


# -- the property, and the samples --------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(appraised_plans())
def test_every_switching_point_holds_when_re_appraised(plan):
    before = jsonio.dumps(plan)
    check(plan, S.switching_values(plan))
    assert jsonio.dumps(plan) == before  # the caller's plan is untouched


@pytest.mark.parametrize("name", samples.PILOTS)
def test_every_samples_switching_points_hold(name):
    plan = samples.load(name)
    values = S.switching_values(plan)
    assert check(plan, values) > 50
    inputs = len(plan.benefits) + len(plan.costs) + 1 + 1
    inputs += len({b.body_id for b in plan.benefits.values()})
    assert len(values) == inputs * (1 + len(plan.bodies))


def large_plan(rule: GainShareRule, seed: int = 7) -> Plan:
    """Twenty bodies, 25 cost lines and 25 benefit lines over six years: the size of plan the
    module should value in well under a second for the plan's NPV (timed by hand, not here)."""
    import random

    rnd = random.Random(seed)
    p = Plan(name="Large", first_year=2025, years=6)
    p.bodies = {b: Body(b, f"Body {b}", BodyKind.COUNCIL) for b in range(1, 21)}
    p.schemes = {k: Scheme(k, f"Scheme {k}", k) for k in range(1, 11)}
    years = list(p.year_range)
    for i in range(1, 26):
        paid = years[: rnd.randint(1, 3)]
        p.costs[i] = CostLine(
            i, 1 + (i - 1) % 10, 1 + (i - 1) % 12, {y: rnd.randrange(1, 50) * 10**6 for y in paid}
        )
    for i in range(1, 26):
        p.benefits[i] = BenefitLine(
            i,
            1 + (i - 1) % 10,
            5 + (i - 1) % 16,
            rnd.random() < 0.8,
            rnd.choice([0, 1000, 2000, 4000]),
            "",
            {y: rnd.randrange(1, 40) * 10**6 for y in years[1:]},
        )
    p.appraisal.gain_share = rule
    p.appraisal.gain_share_percent_bp = dict.fromkeys(p.bodies, 500)
    return p


def test_a_large_plans_switching_points_hold():
    plan = large_plan(GainShareRule.PRO_RATA)
    values = S.switching_values(plan)
    assert len(values) == (25 + 25 + 16 + 1 + 1) * 21
    assert check(plan, values) > 300


def test_a_target_must_be_the_plan_or_a_body():
    assert [v.target for v in S.switching_values(two_years(), [2])] == [2] * 5
    with pytest.raises(ValueError, match="There is no body 7 to test"):
        S.switching_values(two_years(), [S.PLAN, 7])


def test_at_gives_the_plan_at_a_switching_point():
    plan = two_years()
    v = find(S.switching_values(plan), K.BENEFIT_LINE, S.PLAN)
    there = S.at(plan, v, v.down)
    assert there.benefits[1].years == {2026: 103_500 * POUND}
    assert plan.benefits[1].years == {2026: 124_200 * POUND}
    rate = find(S.switching_values(plan), K.DISCOUNT_RATE, S.PLAN)
    assert appraise(S.at(plan, rate, rate.up)).npv == 0


# -- optimism-bias sweeps -----------------------------------------------------------------------


def test_a_sweep_of_benefit_optimism_bias_by_hand():
    sweep = S.bias_sweep(two_years())
    assert [p.at for p in sweep.points] == list(range(0, 10_001, 1_000))
    # 0%: 120,000 - 100,000. 10%: 111,780 / 1.035 = 108,000. 20%: 99,360 / 1.035 = 96,000.
    assert [p.npv for p in sweep.points[:3]] == [2_000_000, 800_000, -400_000]
    assert sweep.points[0].bcr == Fraction(6, 5) and sweep.points[-1].bcr == 0
    # Zero where 120,000 x (1 - p) = 100,000: p = 1/6, 1,666 2/3 bp.
    assert (sweep.crossing, sweep.crossing_npv) == (Fraction(5000, 3), 0)
    assert len(S.bias_sweep(two_years(), points=21).points) == 21


def test_a_bias_sweep_with_no_crossing_says_why():
    plan = two_years()
    plan.costs[1].years[2025] = 150_000 * POUND
    sweep = S.bias_sweep(plan)
    assert sweep.crossing is None
    assert sweep.reason == "The NPV is negative even with no optimism bias."


def r_example(benefit_pounds: int) -> Plan:
    """greenbook's gb_sensitivity_ob on costs of 1,000,000 in year 0 and 200,000 in years 1-4,
    benefits in years 1-4, an upper bound of 200% (its equipment_development), 3.5%."""
    p = Plan(name="gb_sensitivity_ob", first_year=2025, years=5)
    p.bodies = {1: Body(1, "Department", BodyKind.CENTRAL_GOVERNMENT, Role.HOST)}
    p.schemes = {1: Scheme(1, "Equipment", 1)}
    costs = {2025: 1_000_000 * POUND} | {y: 200_000 * POUND for y in range(2026, 2030)}
    p.costs = {1: CostLine(1, 1, 1, costs)}
    benefits = {y: benefit_pounds * POUND for y in range(2026, 2030)}
    p.benefits = {1: BenefitLine(1, 1, 1, True, 0, "", benefits)}
    return p


def test_a_cost_uplift_sweep_matches_greenbook_to_the_penny():
    sweep = S.uplift_sweep(r_example(400_000), {1: 20_000})
    assert [p.at for p in sweep.points] == [0, Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), 1]
    # R (greenbook 0.1.1, doubles, nothing rounded) gives NPVs of -3,734,615.841722445,
    # -2,867,307.920861222, -2,000,000, -1,132,692.079138777 and -265,384.158277555. Here
    # each body's present values are rounded to the penny first: at m = 0, benefits
    # 146,923,168.34p -> 146,923,168p and costs (x3) 520,384,752.52p -> 520,384,753p.
    assert [p.npv for p in sweep.points] == [
        -373_461_585,
        -286_730_792,
        -200_000_000,
        -113_269_208,
        -26_538_416,
    ]
    r = [-3_734_615.841722445, -2_867_307.920861222, -2e6, -1_132_692.079138777, -265_384.158277555]
    assert all(abs(p.npv - x * 100) < 1 for p, x in zip(sweep.points, r, strict=True))
    assert sweep.points[2].pv_costs == 346_923_168  # R: 3,469,231.68344489
    assert sweep.crossing is None
    assert sweep.reason == "The NPV is negative even with every uplift mitigated."


def test_a_cost_uplift_sweep_marks_where_the_npv_crosses_zero():
    sweep = S.uplift_sweep(r_example(600_000), {1: 20_000}, [Fraction(i, 10) for i in range(11)])
    npv = {p.at: p.npv for p in sweep.points}
    # R: -224,614.653244088 at 0.8, 122,308.515100401 at 0.9.
    assert npv[Fraction(8, 10)] == -22_461_465 and npv[Fraction(9, 10)] == 12_230_852
    # Unrounded, zero where 1 + 2(1 - m) = PV benefits / PV costs = 1.270510433583352 (R's
    # BCR at m = 1): m = 0.864744783208324. Rounded to the penny it is a hair later.
    assert abs(sweep.crossing - Fraction("0.864744783208324")) < Fraction(1, 10**8)
    assert sweep.crossing_npv == 0
    # There the first year's £1,000,000 is uplifted by 200% x (1 - m), m = 25,497 / 29,485:
    # 1e8p x (1 + 2 x 3,988 / 29,485) = 127,051,042.9 -> 127,051,043p.
    assert sweep.crossing == Fraction(25_497, 29_485)
    assert S.uplift(100_000_000, 20_000, sweep.crossing) == 127_051_043


def test_uplift_rounds_once_per_line_and_year():
    # £0.01 with a 24% uplift is 1.24p -> 1p; 3p is 3.72p -> 4p; half way rounds away.
    assert [S.uplift(p, 2400, 0) for p in (1, 3)] == [1, 4]
    assert S.uplift(25, 2000, Fraction(1, 2)) == 28  # 25 x 1.1 = 27.5 -> 28
    assert S.uplift(100, 5100, 1) == 100  # fully mitigated: no uplift
    with pytest.raises(ValueError, match="There is no cost line 9"):
        S.uplift_sweep(two_years(), {9: 2400})
    with pytest.raises(ValueError, match="between 0 and 1"):
        S.uplift_sweep(two_years(), {1: 2400}, [0, 1.5])


def test_the_nearest_of_two_crossing_rates():
    # Costs of £100,000 now and £132,000 in year 2 against £230,000 of benefit in year 1: at a
    # flat rate r, -100 + 230 / (1 + r) - 132 / (1 + r)^2 (thousands) is nil at 10% and at 20%
    # and positive between. At 3.5%, -100 + 222.22 - 123.22: about -£1,001. Both ends of the
    # range (3.5% and 100%) are negative, so only counting the crossings finds them.
    plan = Plan(name="Two crossings", first_year=2025, years=3)
    plan.bodies = {
        1: Body(1, "Council", BodyKind.COUNCIL, Role.HOST),
        2: Body(2, "ICB", BodyKind.CCG_ICB),
    }
    plan.schemes = {1: Scheme(1, "Scheme", 1)}
    plan.costs = {1: CostLine(1, 1, 1, {2025: 100_000 * POUND, 2027: 132_000 * POUND})}
    plan.benefits = {1: BenefitLine(1, 1, 2, True, 0, "", {2026: 230_000 * POUND})}
    v = find(S.switching_values(plan, [S.PLAN]), K.DISCOUNT_RATE, S.PLAN)
    assert v.now == -100_119
    # At 10%: costs 100,000 + 132,000 / 1.21 = 209,090.909 and benefits 230,000 / 1.1, the
    # same: both round to 20,909,091p.
    assert (v.up.rate_bp, v.up.value) == (1000, 0)
    assert appraise(flat(plan, 1500)).npv > 0 > appraise(flat(plan, 2500)).npv
    assert v.down is None


def test_switching_points_hold_where_costs_carry_an_optimism_bias_uplift():
    """A cost line's switching value counts its cost as the appraisal does, uplifted: scaled
    and re-appraised, the result has switched and a penny less has not."""
    plan = samples.load("essex")
    for k, line in enumerate(plan.costs.values()):
        line.uplift_bp, line.mitigation_bp = (2_400, 2_500) if k % 2 else (20_000, 0)
    values = S.switching_values(plan, targets=[S.PLAN])
    assert check(plan, values) > 10
