"""Each finding on the worked example, with amounts worked out by hand (see builders.py)."""

from planner.findings import Code, Severity, find
from planner.model import Certainty, Contribution, Settlement, SettlementYear

K = 1_000 * 100


def by_code(plan, code):
    return [f for f in find(plan) if f.code is code]


def test_unconfirmed_funding_names_the_amount_at_risk_by_year(example_plan):
    found = {f.body_id: f for f in by_code(example_plan, Code.UNCONFIRMED_FUNDING)}
    assert set(found) == {1, 2, 3, 4}
    ccg = found[2]
    assert ccg.amount_pence == 4_000 * K
    assert ccg.by_year == {2026: 2_000 * K, 2027: 2_000 * K}
    assert ccg.years == [2026, 2027]
    assert ccg.severity is Severity.HIGH  # 2027-28 has no settlement at all
    assert "confirmed only to 2025-26" in ccg.message
    assert "£2,000,000 is unfunded" in ccg.message
    assert "£2,000,000 rests on indicative allocations" in ccg.message
    assert found[1].severity is Severity.MEDIUM  # the council's risk is only indicative money
    assert "not all of its money is confirmed even in 2025-26" in found[4].message
    assert found[3].amount_pence == 700 * K  # police: 200k beyond its grant, 500k with none


def test_short_settlement_cycle_inside_a_longer_plan(example_plan):
    found = {f.body_id: f for f in by_code(example_plan, Code.SHORT_SETTLEMENT_CYCLE)}
    assert set(found) == {1, 2, 3}  # voluntary sector has no settlement to measure
    police = found[3]
    assert police.years == [2025, 2026]
    assert police.amount_pence == 700 * K
    assert "confirmed 1 year at a time (Police grant 2025-26 confirms 1 year)" in police.message
    assert "the plan runs 3 years" in police.message
    assert found[1].years == [2027]  # two-year settlement covers the first two years
    assert "2 years at a time" in found[1].message


def test_a_small_long_grant_does_not_hide_a_short_main_settlement(example_plan):
    example_plan.settlements[9] = Settlement(
        9,
        3,
        "Violence reduction grant",
        {y: SettlementYear(Certainty.CONFIRMED) for y in example_plan.year_range},
    )
    example_plan.contributions[99] = Contribution(99, 3, 2026, 10 * K, settlement_id=9)
    (police,) = [f for f in by_code(example_plan, Code.SHORT_SETTLEMENT_CYCLE) if f.body_id == 3]
    assert "1 year at a time" in police.message
    assert police.amount_pence == 700 * K


def test_no_short_cycle_when_a_settlement_spans_the_plan(example_plan):
    example_plan.settlements[1].years[2027].status = Certainty.CONFIRMED
    assert 1 not in {f.body_id for f in by_code(example_plan, Code.SHORT_SETTLEMENT_CYCLE)}


def test_renewal_cliff_when_most_of_the_pool_ends_together(example_plan):
    (cliff,) = by_code(example_plan, Code.RENEWAL_CLIFF)
    # CCG (2,000k) and police (the 1,000k its grant covers) end with 2025-26: 3,000k of 4,300k.
    assert cliff.years == [2025]
    assert cliff.amount_pence == 3_000 * K
    assert "70%" in cliff.message
    assert "from 2026-27" in cliff.message
    assert cliff.severity is Severity.MEDIUM


def test_renewal_cliff_threshold_is_the_plans(example_plan):
    example_plan.thresholds.renewal_cliff_share_bp = 7500
    assert by_code(example_plan, Code.RENEWAL_CLIFF) == []
    example_plan.thresholds.renewal_cliff_share_bp = 3000
    assert [f.years for f in by_code(example_plan, Code.RENEWAL_CLIFF)] == [[2025], [2026]]


def test_over_commitment_against_the_settlement_amount(example_plan):
    (over,) = by_code(example_plan, Code.OVER_COMMITMENT)
    assert (over.body_id, over.years, over.amount_pence) == (3, [2025], 200 * K)
    assert "£1,200,000" in over.message and "£1,000,000" in over.message


def test_unknown_settlement_amount_is_never_an_over_commitment(example_plan):
    example_plan.settlements[3].years[2025].amount_pence = None
    assert by_code(example_plan, Code.OVER_COMMITMENT) == []


def test_pool_deficit_and_whether_underspends_cover_it(example_plan):
    (deficit,) = by_code(example_plan, Code.POOL_DEFICIT)
    assert (deficit.years, deficit.amount_pence) == ([2027], 1_300 * K)
    assert deficit.severity is Severity.MEDIUM  # 1,900k carried forward covers it
    assert "carried forward" in deficit.message
    example_plan.schemes[2].spend[2027] = 3_000_000 * 100
    (deficit,) = by_code(example_plan, Code.POOL_DEFICIT)
    assert deficit.severity is Severity.HIGH
    assert "£1,400,000 short" in deficit.message


def test_findings_come_most_severe_first(example_plan):
    ranks = [f.severity.rank for f in find(example_plan)]
    assert ranks == sorted(ranks)


def test_a_fully_confirmed_balanced_plan_has_no_findings(example_plan):
    for s in example_plan.settlements.values():
        for y in example_plan.year_range:
            s.years.setdefault(y, s.years[2025])
            s.years[y].status = Certainty.CONFIRMED
            s.years[y].amount_pence = None
    example_plan.contributions = {
        cid: c for cid, c in example_plan.contributions.items() if c.settlement_id is not None
    }
    for c in example_plan.contributions.values():
        c.amount_pence = 2_000 * K
    example_plan.schemes[2].spend = {}
    assert find(example_plan) == []


def test_every_finding_has_a_short_title(example_plan):
    titles = {f.code: f.title for f in find(example_plan)}
    assert titles[Code.POOL_DEFICIT] == (
        "Pool deficit in 2027-28: spending exceeds contributions by £1.3m"
    )
    assert titles[Code.RENEWAL_CLIFF] == (
        "Renewal cliff after 2025-26: 70% of the pool up for renewal at once"
    )
    assert all(len(t) < 110 for t in titles.values())
