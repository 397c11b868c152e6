"""The worked example's figures, checked against sums done by hand (see builders.py)."""

from fractions import Fraction

from planner.figures import compute
from planner.model import Certainty, Contribution, Settlement, SettlementYear

K = 1_000 * 100  # a thousand pounds in pence


def test_year_totals_split_into_three_certainty_classes(example_plan):
    y = compute(example_plan).years
    # 2025-26: Council 1,000k + CCG 2,000k confirmed, Police 1,000k (all its grant covers);
    # unfunded: the 200k Police commits beyond its grant and Voluntary's 100k.
    assert (
        y[2025].contributions.confirmed,
        y[2025].contributions.indicative,
        y[2025].contributions.unfunded,
    ) == (4_000 * K, 0, 300 * K)  # police: 200k beyond its grant
    # 2026-27: Council confirmed, CCG on an indicative allocation, Police beyond its grant.
    assert (
        y[2026].contributions.confirmed,
        y[2026].contributions.indicative,
        y[2026].contributions.unfunded,
    ) == (1_100 * K, 2_000 * K, 500 * K)
    # 2027-28: Council indicative; the CCG's allocation does not reach this year.
    assert (
        y[2027].contributions.confirmed,
        y[2027].contributions.indicative,
        y[2027].contributions.unfunded,
    ) == (0, 1_200 * K, 2_000 * K)
    assert [y[t].contributions.total for t in (2025, 2026, 2027)] == [
        4_300 * K,
        3_600 * K,
        3_200 * K,
    ]


def test_expenditure_balance_and_running_balance(example_plan):
    y = compute(example_plan).years
    assert [y[t].expenditure for t in (2025, 2026, 2027)] == [3_000 * K, 3_000 * K, 4_500 * K]
    assert [y[t].balance for t in (2025, 2026, 2027)] == [1_300 * K, 600 * K, -1_300 * K]
    assert [y[t].cumulative_balance for t in (2025, 2026, 2027)] == [1_300 * K, 1_900 * K, 600 * K]


def test_confirmed_share_is_exact(example_plan):
    y = compute(example_plan).years
    assert y[2025].confirmed_share == Fraction(40, 43)
    assert y[2027].confirmed_share == 0


def test_confirmed_share_of_an_empty_year_is_none(example_plan):
    example_plan.contributions = {}
    assert compute(example_plan).years[2025].confirmed_share is None


def test_confirmed_horizons(example_plan):
    b = compute(example_plan).bodies
    assert b[1].confirmed_until == 2026  # council: two confirmed years, then indicative
    assert b[2].confirmed_until == 2025  # CCG: one firm year
    assert b[3].confirmed_until is None  # police: commits more than its one-year grant
    assert b[4].confirmed_until is None  # voluntary sector: no settlement at all


def test_at_risk_is_the_money_not_confirmed(example_plan):
    f = compute(example_plan)
    assert f.bodies[1].at_risk_by_year == {2027: 1_200 * K}
    assert f.bodies[2].at_risk_by_year == {2026: 2_000 * K, 2027: 2_000 * K}
    assert f.bodies[3].at_risk_by_year == {2025: 200 * K, 2026: 500 * K}
    assert f.bodies[4].at_risk_by_year == {2025: 100 * K}
    assert [f.years[t].at_risk for t in (2025, 2026, 2027)] == [300 * K, 2_500 * K, 3_200 * K]


def test_money_beyond_a_settlements_amount_is_unfunded(example_plan):
    example_plan.settlements[3].years[2025].amount_pence = None  # amount not known
    assert compute(example_plan).bodies[3].by_year[2025].confirmed == 1_200 * K
    example_plan.settlements[3].years[2025].amount_pence = 1_500 * K  # enough
    assert compute(example_plan).bodies[3].by_year[2025].unfunded == 0


def test_a_gap_ends_the_horizon_even_if_later_years_are_confirmed(example_plan):
    s = example_plan.settlements[1]
    s.years[2026].status = Certainty.INDICATIVE
    s.years[2027].status = Certainty.CONFIRMED
    bf = compute(example_plan).bodies[1]
    assert bf.confirmed_until == 2025
    # 2027-28 is promised again: confirmed money is not at risk, even after a gap.
    assert bf.at_risk_by_year == {2026: 1_100 * K}


def test_confirmed_money_beside_an_indicative_stream_is_not_at_risk(example_plan):
    # The council also has a confirmed grant in 2027-28, when its main settlement is indicative.
    example_plan.settlements[9] = Settlement(
        9, 1, "Troubled Families grant", {2027: SettlementYear(Certainty.CONFIRMED)}
    )
    example_plan.contributions[99] = Contribution(99, 1, 2027, 300 * K, settlement_id=9)
    bf = compute(example_plan).bodies[1]
    assert bf.confirmed_until == 2026
    assert bf.at_risk_by_year == {2027: 1_200 * K}


def test_a_settlement_of_another_body_does_not_fund_a_contribution(example_plan):
    example_plan.contributions[99] = Contribution(99, 4, 2026, 50 * K, settlement_id=1)
    y = compute(example_plan).years[2026]
    assert y.contributions.unfunded == 550 * K


def test_years_outside_the_plan_are_ignored(example_plan):
    example_plan.contributions[99] = Contribution(99, 1, 2030, 50 * K, settlement_id=1)
    example_plan.schemes[1].spend[2024] = 10 * K
    f = compute(example_plan)
    assert sorted(f.years) == [2025, 2026, 2027]
    assert f.total_contributions == 11_100 * K
    assert f.total_expenditure == 10_500 * K
    assert f.contribution_totals.confirmed == 5_100 * K
