"""Properties that hold for any plan: the certainty classes reconcile, risk never exceeds the
money, and JSON round-trips exactly."""

from hypothesis import given, settings
from strategies import appraised_plans, plans

from planner import jsonio, report
from planner.figures import compute
from planner.findings import find
from planner.store import PlanFile


@given(plans())
def test_the_four_certainties_always_add_up_to_contributions(plan):
    f = compute(plan)
    for year, yf in f.years.items():
        c = yf.contributions
        assert c.confirmed + c.conditional + c.indicative + c.unfunded == c.total
        in_year = [x for x in plan.contributions.values() if x.year == year]
        assert c.total == sum(x.amount_pence for x in in_year)
        assert c.total == sum(bf.by_year[year].total for bf in f.bodies.values())
        assert 0 <= yf.at_risk <= c.total
        assert c.conditional + c.indicative + c.unfunded == yf.at_risk
    assert f.contribution_totals.total == f.total_contributions


@given(plans())
def test_horizon_and_risk_agree(plan):
    for bf in compute(plan).bodies.values():
        for year, split in bf.by_year.items():
            at_risk = split.conditional + split.indicative + split.unfunded
            assert bf.at_risk_by_year.get(year, 0) == at_risk
            if bf.confirmed_until is not None and year <= bf.confirmed_until:
                assert split.conditional == split.indicative == split.unfunded == 0


@given(plans())
def test_findings_are_well_formed(plan):
    for f in find(plan):
        assert f.amount_pence >= 0
        assert f.message and f.message[-1] in ".)"
        assert all(y in plan.year_range for y in f.years)


@given(plans())
def test_json_round_trip_is_exact(plan):
    again = jsonio.loads(jsonio.dumps(plan))
    assert again == plan
    assert report.summary(again) == report.summary(plan)


@settings(max_examples=25, deadline=None)
@given(plans())
def test_file_round_trip_is_exact(tmp_path_factory, plan):
    path = tmp_path_factory.mktemp("rt") / "p.poolplan"
    PlanFile.create(path, plan).close()
    with PlanFile.open(path, read_only=True) as pf:
        assert pf.plan == plan


@given(appraised_plans())
def test_gain_share_moves_money_but_never_creates_it(plan):
    from planner.benefits import appraise

    a = appraise(plan)
    for y in a.years:
        assert sum(t[y] for t in a.gain_share.transfers.values()) == 0
        before = sum(b.before.net[y] for b in a.bodies.values())
        after = sum(b.after.net[y] for b in a.bodies.values())
        assert before == after
    for b in a.bodies.values():
        assert all(isinstance(p, int) for p in b.transfers.values())
        # Only cash moves: no body gives away more cash than it received that year.
        for y in a.years:
            assert b.transfers[y] >= -b.cashable[y]


@settings(max_examples=40, deadline=None)
@given(appraised_plans())
def test_costs_benefits_and_agreement_round_trip_through_json_and_file(tmp_path_factory, plan):
    again = jsonio.loads(jsonio.dumps(plan))
    assert again == plan
    path = tmp_path_factory.mktemp("rt") / "p.poolplan"
    PlanFile.create(path, plan).close()
    with PlanFile.open(path, read_only=True) as pf:
        assert pf.plan == plan


@given(appraised_plans())
def test_findings_with_costs_and_benefits_are_well_formed(plan):
    for f in find(plan):
        assert f.amount_pence >= 0, f
        assert all(y in plan.year_range for y in f.years)


@given(appraised_plans())
def test_benefit_mismatch_is_flagged_exactly_where_the_shares_say(plan):
    # The finding compares shares as whole-pence cross products; here, the definition itself
    # in exact fractions: a body bearing costs whose share of the benefits is below the
    # threshold times its share of the costs.
    from fractions import Fraction

    from planner.benefits import appraise
    from planner.findings import Code

    benefits = appraise(plan)
    threshold = Fraction(plan.thresholds.benefit_mismatch_bp, 10_000)
    expected = set()
    if benefits.pv_costs and benefits.pv_benefits:
        expected = {
            b
            for b in benefits.bodies
            if benefits.cost_share(b)
            and benefits.benefit_share(b) < benefits.cost_share(b) * threshold
        }
    flagged = {f.body_id for f in find(plan, benefits=benefits) if f.code is Code.BENEFIT_MISMATCH}
    assert flagged == expected
