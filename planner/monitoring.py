"""In-year monitoring: each scheme's spending against its budget by quarter, the forecast for
the quarters not yet reported, the forecast outturn and its variance; and each contribution's
money due by quarter against what was received.

The year being monitored and the "as at" date are the plan's settings, not the calendar, so a
plan reads the same on any day. Quarters are the financial year's: Q1 April to June ... Q4
January to March. Every figure is whole pence; a split adds up exactly
(``planner.gainshare.divide``). Plain data and arithmetic; storage and the app read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from planner.discounting import round_ratio
from planner.errors import EditError
from planner.gainshare import divide

QUARTERS = (1, 2, 3, 4)
_MONTHS = {1: "April to June", 2: "July to September", 3: "October to December",
           4: "January to March"}  # fmt: skip


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of ``quarter`` of the financial year starting in April ``year``."""
    return {
        1: dt.date(year, 6, 30),
        2: dt.date(year, 9, 30),
        3: dt.date(year, 12, 31),
        4: dt.date(year + 1, 3, 31),
    }[quarter]


def quarter_label(quarter: int) -> str:
    return f"Q{quarter} ({_MONTHS[quarter]})"


def reported(year: int, as_at: dt.date) -> int:
    """How many of the year's quarters have ended by ``as_at`` (0 to 4): those with actuals."""
    return sum(1 for q in QUARTERS if quarter_end(year, q) <= as_at)


class Method(StrEnum):
    PROFILE = "profile"  # the budget's profile for the quarters left
    RUN_RATE = "run_rate"  # actual to date / quarters reported x quarters left
    ENTERED = "entered"  # an amount the manager enters, with a reason


@dataclass(frozen=True)
class Forecast:
    method: Method = Method.PROFILE
    amount: int = 0  # Method.ENTERED: the rest of the year, in pence
    reason: str = ""


def equal_quarters(total: int) -> dict[int, int]:
    """``total`` in four equal quarters, whole pence (Q1 takes the balancing pennies)."""
    return divide(total, dict.fromkeys(QUARTERS, 1)).allocation


@dataclass(frozen=True)
class SchemeYear:
    """One scheme's year: its budget, the actuals reported by quarter, its quarterly profile
    (equal quarters unless given) and how the rest of the year is forecast."""

    budget: int
    actuals: dict[int, int] = field(default_factory=dict)  # quarter -> pence
    profile: dict[int, int] | None = None
    forecast: Forecast = Forecast()


@dataclass(frozen=True)
class Outturn:
    budget: int
    actual_to_date: int
    forecast_rest: int
    by_quarter: dict[int, tuple[str, int]]  # quarter -> ("actual" | "forecast", pence)

    @property
    def outturn(self) -> int:
        return self.actual_to_date + self.forecast_rest

    @property
    def variance(self) -> int:
        """Forecast outturn less budget: positive is an overspend."""
        return self.outturn - self.budget


def check_actuals(actuals: dict[int, int], quarters_reported: int) -> None:
    """Actuals only for quarters that have ended by the as-at date."""
    late = sorted(q for q in actuals if q not in QUARTERS or q > quarters_reported)
    if late:
        q = late[0]
        said = quarter_label(q) if q in QUARTERS else f"quarter {q}"
        raise EditError(
            f"{said} has not ended by the as-at date, so it has no actual spending yet; "
            f"enter a forecast instead."
        )


def outturn(s: SchemeYear, quarters_reported: int) -> Outturn:
    """The forecast outturn of ``s`` with ``quarters_reported`` quarters of actuals."""
    check_actuals(s.actuals, quarters_reported)
    done = QUARTERS[:quarters_reported]
    rest = QUARTERS[quarters_reported:]
    profile = s.profile if s.profile is not None else equal_quarters(s.budget)
    actual = sum(s.actuals.get(q, 0) for q in done)
    method = s.forecast.method
    if not rest:  # every quarter reported: the outturn is what was spent
        total = 0
    elif method is Method.RUN_RATE and done:
        total = round_ratio(actual * len(rest), len(done))
    elif method is Method.ENTERED:
        total = s.forecast.amount
    else:  # the profile; and a run rate with nothing reported yet has none to run on
        total = sum(profile.get(q, 0) for q in rest)
    # The rest of the year by quarter: as the profile falls, or evenly where it is flat.
    weights = {q: profile.get(q, 0) for q in rest}
    if not any(weights.values()):
        weights = dict.fromkeys(rest, 1)
    split = divide(total, weights).allocation if rest else {}
    by_quarter = {q: ("actual", s.actuals.get(q, 0)) for q in done}
    by_quarter |= {q: ("forecast", split[q]) for q in rest}
    return Outturn(s.budget, actual, total, by_quarter)


class Schedule(StrEnum):
    QUARTERLY = "quarterly"  # four equal instalments: a non-host partner's usual terms
    MONTHLY = "monthly"  # twelve equal instalments (the improved BCF grant)


def due_by_quarter(amount: int, schedule: Schedule = Schedule.QUARTERLY) -> dict[int, int]:
    """A contribution's instalments, by the quarter they fall due in."""
    if schedule is Schedule.MONTHLY:
        months = divide(amount, dict.fromkeys(range(12), 1)).allocation
        return {q: sum(months[m] for m in range(3 * (q - 1), 3 * q)) for q in QUARTERS}
    return equal_quarters(amount)


@dataclass(frozen=True)
class Payments:
    due_to_date: int
    received: int

    @property
    def unpaid(self) -> int:
        """Money due by the as-at date and not received (never below nothing)."""
        return max(0, self.due_to_date - self.received)


def payments(
    amount: int, received: int, quarters_reported: int, schedule: Schedule = Schedule.QUARTERLY
) -> Payments:
    due = due_by_quarter(amount, schedule)
    return Payments(sum(due[q] for q in QUARTERS[:quarters_reported]), received)
