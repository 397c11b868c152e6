"""In-year monitoring: quarters of the financial year, forecast outturn by each method, the
variance, and money due against money received; whole pence that add up."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import EditError
from planner.monitoring import (
    Forecast,
    Method,
    Schedule,
    SchemeYear,
    due_by_quarter,
    equal_quarters,
    outturn,
    payments,
    quarter_end,
    reported,
)

M = 1_000_000_00  # £1m in pence


def test_the_quarters_are_the_financial_years():
    assert quarter_end(2025, 1) == dt.date(2025, 6, 30)
    assert quarter_end(2025, 4) == dt.date(2026, 3, 31)
    assert reported(2025, dt.date(2025, 6, 29)) == 0
    assert reported(2025, dt.date(2025, 6, 30)) == 1
    assert reported(2025, dt.date(2025, 11, 15)) == 2
    assert reported(2025, dt.date(2027, 1, 1)) == 4


def test_the_profile_forecasts_what_the_budget_has_left():
    s = SchemeYear(4 * M, actuals={1: M + 10_000_00, 2: M + 30_000_00})
    o = outturn(s, 2)
    assert (o.actual_to_date, o.forecast_rest) == (2 * M + 40_000_00, 2 * M)
    assert o.variance == 40_000_00  # £40k over
    assert o.by_quarter[3] == ("forecast", M) and o.by_quarter[1] == ("actual", M + 10_000_00)


def test_the_run_rate_carries_the_spending_so_far_to_the_year_end():
    s = SchemeYear(4 * M, actuals={1: M + 10_000_00, 2: M + 30_000_00}, forecast=Forecast(
        Method.RUN_RATE))  # fmt: skip
    o = outturn(s, 2)
    assert o.forecast_rest == 2 * M + 40_000_00
    assert o.variance == 80_000_00


def test_an_entered_forecast_is_taken_as_entered():
    forecast = Forecast(Method.ENTERED, 1_500_000_00, "a care home closes in January")
    o = outturn(SchemeYear(4 * M, {1: M, 2: M, 3: M}, forecast=forecast), 3)
    assert o.outturn == 4_500_000_00 and o.variance == 500_000_00


def test_a_quarter_not_yet_ended_has_no_actuals():
    with pytest.raises(EditError, match="Q3 .* has not ended"):
        outturn(SchemeYear(4 * M, {1: M, 3: M}), 2)


def test_money_due_and_not_received_shows():
    p = payments(40 * M, received=5 * M, quarters_reported=2)
    assert (p.due_to_date, p.unpaid) == (20 * M, 15 * M)
    monthly = due_by_quarter(12 * 1_000_00 + 7, Schedule.MONTHLY)
    assert sum(monthly.values()) == 12 * 1_000_00 + 7
    assert max(monthly.values()) - min(monthly.values()) <= 12  # a penny a month at most
    unpaid = payments(12 * M, received=0, quarters_reported=1, schedule=Schedule.MONTHLY)
    assert unpaid.unpaid == 3 * M


@given(
    budget=st.integers(0, 10**13),
    actuals=st.lists(st.integers(0, 10**12), max_size=4),
    method=st.sampled_from(list(Method)),
    entered=st.integers(0, 10**12),
)
def test_an_outturn_is_its_quarters_to_the_penny(budget, actuals, method, entered):
    s = SchemeYear(
        budget,
        {q: p for q, p in zip(range(1, 5), actuals, strict=False)},
        forecast=Forecast(method, entered, "test"),
    )
    o = outturn(s, len(actuals))
    assert sum(p for _kind, p in o.by_quarter.values()) == o.outturn
    assert o.variance == o.outturn - budget
    assert sum(equal_quarters(budget).values()) == budget


def test_a_quarter_ended_without_an_actual_is_forecast_not_counted_as_nothing():
    s = SchemeYear(400_00, {1: 100_00})  # Q2 has ended, and is not reported
    o = outturn(s, 2)
    assert o.by_quarter[2] == ("not_reported", 100_00)
    assert (o.actual_to_date, o.outturn, o.variance) == (100_00, 400_00, 0)


def test_a_refund_is_not_carried_to_the_year_end_by_the_run_rate():
    s = SchemeYear(400_00, {1: 10_00, 2: -30_00}, forecast=Forecast(Method.RUN_RATE))
    o = outturn(s, 2)
    assert o.forecast_rest == 0 and o.outturn == -20_00
