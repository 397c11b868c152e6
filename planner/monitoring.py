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
from functools import cached_property, lru_cache

from planner import fields as F
from planner import risk_share
from planner.discounting import round_ratio
from planner.errors import EditError
from planner.gainshare import divide
from planner.model import CapKind, Method, Plan, Schedule

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


@dataclass(frozen=True)
class Forecast:
    method: Method = Method.PROFILE
    amount: int = 0  # Method.ENTERED: the rest of the year, in pence
    reason: str = ""


def equal_quarters(total: int) -> dict[int, int]:
    """``total`` in four equal quarters, whole pence (Q1 takes the balancing pennies)."""
    return split(total, tuple(dict.fromkeys(QUARTERS, 1).items()))


@lru_cache(maxsize=16_384)
def _split(total: int, weights: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    return tuple(divide(total, dict(weights)).allocation.items())


def split(total: int, weights: tuple[tuple[int, int], ...]) -> dict[int, int]:
    """``planner.gainshare.divide`` of ``total`` by whole-number ``weights`` ((key, weight)
    pairs), remembered: a plan's monitored year divides the same budgets by the same quarters
    after every edit, and dividing by Fractions was most of the refresh."""
    return dict(_split(total, weights))


def check_profile(profile) -> tuple[int, int, int, int] | None:
    """A budget's quarterly profile: four shares adding up to 100% (None: equal quarters)."""
    if profile is None:
        return None
    shares = tuple(profile)
    if len(shares) != 4:
        raise EditError("A quarterly profile has four shares, Q1 to Q4.")
    shares = tuple(F.PROFILE_SHARE.check(s) for s in shares)
    if sum(shares) != F.BASIS_POINTS:
        raise EditError(f"A quarterly profile's shares add up to {sum(shares) / 100:g}%, not 100%.")
    return shares  # type: ignore[return-value]


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
    # quarter -> (kind, pence): "actual"; "forecast" for a quarter to come; "not_reported" for
    # one ended with no actual, forecast as the quarters to come are.
    by_quarter: dict[int, tuple[str, int]]
    profile: dict[int, int] = field(default_factory=dict)  # the budget by quarter

    @cached_property
    def outturn(self) -> int:
        return self.actual_to_date + self.forecast_rest

    @cached_property
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
    """The forecast outturn of ``s`` with ``quarters_reported`` quarters ended. A quarter ended
    with no actual reported is forecast like the quarters still to come ("not_reported"), not
    counted as nothing spent: an outturn must not look better for a missing return."""
    check_actuals(s.actuals, quarters_reported)
    ended = QUARTERS[:quarters_reported]
    done = tuple(q for q in ended if q in s.actuals)
    rest = tuple(q for q in QUARTERS if q not in s.actuals)
    profile = s.profile if s.profile is not None else equal_quarters(s.budget)
    actual = sum(s.actuals[q] for q in done)
    method = s.forecast.method
    if not rest:  # every quarter reported: the outturn is what was spent
        total = 0
    elif method is Method.RUN_RATE and done:
        # Never below nothing: a refund is not a rate to carry to the year's end.
        total = max(0, round_ratio(actual * len(rest), len(done)))
    elif method is Method.ENTERED:
        total = s.forecast.amount
    else:  # the profile; and a run rate with nothing reported yet has none to run on
        total = sum(profile.get(q, 0) for q in rest)
    # The rest of the year by quarter: as the profile falls, or evenly where it is flat.
    weights = {q: profile.get(q, 0) for q in rest}
    if not any(weights.values()):
        weights = dict.fromkeys(rest, 1)
    spread = split(total, tuple(weights.items())) if rest else {}
    by_quarter = {q: ("actual", s.actuals[q]) for q in done}
    by_quarter |= {q: ("not_reported" if q in ended else "forecast", spread[q]) for q in rest}
    return Outturn(s.budget, actual, total, dict(sorted(by_quarter.items())), profile)


def due_by_quarter(amount: int, schedule: Schedule = Schedule.QUARTERLY) -> dict[int, int]:
    """A contribution's instalments, by the quarter they fall due in."""
    if schedule is Schedule.MONTHLY:
        months = split(amount, tuple(dict.fromkeys(range(12), 1).items()))
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

    @classmethod
    def of(cls, due: dict[int, int], received: int, quarters_reported: int) -> Payments:
        """Due by the as-at date: the instalments of the quarters ended."""
        return cls(sum(due[q] for q in QUARTERS[:quarters_reported]), received)


def payments(
    amount: int, received: int, quarters_reported: int, schedule: Schedule = Schedule.QUARTERLY
) -> Payments:
    """One contribution's instalments against what was received."""
    return Payments.of(due_by_quarter(amount, schedule), received, quarters_reported)


# -- a plan's monitored year ----------------------------------------------------------------


@dataclass(frozen=True)
class SchemeLine:
    """One scheme in the year monitored: its outturn, and how the agreement treats it."""

    scheme_id: int
    lead_body_id: int | None  # the scheme's lead; the host where it has none
    shared: bool
    outturn: Outturn
    method: Method
    reason: str
    explanation: str
    uncommitted: int
    refunds: frozenset[int]  # quarters whose actual is a refund
    missing: tuple[int, ...] = ()  # quarters reported with no actual

    @cached_property
    def risk_line(self) -> risk_share.Line:
        """The line as the risk-share agreement reads it (made once: a report worked again
        after one actual keeps the other lines, and this with them)."""
        return risk_share.Line(
            self.scheme_id,
            self.lead_body_id,
            self.outturn.variance,
            self.shared,
            self.uncommitted,
            self.outturn.budget,
        )


@dataclass(frozen=True)
class BodyMoney:
    """What a body's settlements make due into the pool, by quarter, against what it paid."""

    body_id: int
    contribution: int  # its contribution that year
    due: dict[int, int]  # quarter -> pence
    received: dict[int, int]  # quarter -> pence
    payments: Payments


@dataclass(frozen=True)
class YearReport:
    year: int
    as_at: dt.date | None
    quarters_reported: int
    threshold_bp: int
    pool: int  # the year's contributions
    schemes: list[SchemeLine]
    bodies: dict[int, BodyMoney]
    risk: risk_share.Outcome
    host_id: int | None  # who leads the schemes with no lead of their own

    @cached_property
    def budget(self) -> int:
        return sum(s.outturn.budget for s in self.schemes)

    @cached_property
    def actual_to_date(self) -> int:
        return sum(s.outturn.actual_to_date for s in self.schemes)

    @cached_property
    def outturn(self) -> int:
        return sum(s.outturn.outturn for s in self.schemes)

    @property
    def variance(self) -> int:
        return self.outturn - self.budget

    @cached_property
    def threshold(self) -> int:
        """The variance above which a finding is raised: the threshold's share of the pool."""
        return round_ratio(self.pool * self.threshold_bp, 10_000)

    def quarter_total(self, quarter: int) -> tuple[str, int]:
        """All schemes' spending in ``quarter``: actual if reported, else forecast."""
        kind = "actual" if quarter <= self.quarters_reported else "forecast"
        return kind, self._quarter_totals[quarter]

    @cached_property
    def _quarter_totals(self) -> dict[int, int]:
        return {q: sum(s.outturn.by_quarter[q][1] for s in self.schemes) for q in QUARTERS}


def year_report(
    plan: Plan,
    year: int | None = None,
    scenario: int | None = None,
    previous: YearReport | None = None,
    changed: frozenset[int] | None = None,
    money: bool = False,
) -> YearReport | None:
    """The monitored year (or ``year``) as at the plan's as-at date; None when no year is
    monitored or it is not one of the plan's. ``scenario``: what if the shared lines' net
    variance were this many pence (positive: over), the recorded actuals untouched.

    ``previous`` and ``changed``: the report before an edit that touched no scheme's line but
    the ``changed`` schemes' (their actuals, forecasts, explanations; none for an edit of a
    contribution or a payment): the others' lines are taken from it as they were. With
    ``money``, the edit may have moved money due or received, worked again; without, that is
    taken too. The result is what a report worked from nothing gives
    (tests/test_monitoring_store.py and the edit state machine check)."""
    m = plan.monitoring
    year = m.year if year is None else year
    if year is None or year not in plan.year_range:
        return None
    as_at = m.as_at
    done = reported(year, as_at) if as_at is not None else 0
    reuse = (
        previous is not None
        and changed is not None
        and (previous.year, previous.as_at, previous.threshold_bp, previous.host_id)
        == (year, as_at, m.threshold_bp, plan.host_id)
    )
    if reuse:
        lines = _lines_again(plan, year, done, previous, changed) if changed else previous.schemes
        bodies = _body_money(plan, year, done) if money else previous.bodies
    else:
        lines = [line for s in plan.schemes.values() if (line := _line(plan, s, year, done))]
        bodies = _body_money(plan, year, done)
    return _report(plan, year, as_at, done, lines, bodies, scenario)


def _lines_again(plan: Plan, year: int, done: int, previous: YearReport, changed) -> list:
    """The lines of ``previous``, those of the ``changed`` schemes worked again, in the
    plan's order of schemes."""
    kept = {line.scheme_id: line for line in previous.schemes if line.scheme_id not in changed}
    lines = []
    for s in plan.schemes.values():
        line = kept.get(s.id) if s.id not in changed else _line(plan, s, year, done)
        if line is not None:
            lines.append(line)
    return lines


def _line(plan: Plan, s, year: int, done: int) -> SchemeLine | None:
    """One scheme's line in ``year`` with ``done`` quarters reported; None for a scheme with
    neither a budget nor monitoring that year."""
    host = plan.host_id
    shared = plan.risk_share.shared
    record = s.monitored.get(year)
    budget = s.spend.get(year, 0)
    if record is None:
        if not budget:
            return None
        sy = SchemeYear(budget)
        method, reason, explanation, uncommitted, refunds = Method.PROFILE, "", "", 0, ()
        missing = QUARTERS[:done]
    else:
        profile = None
        if record.profile_bp is not None:
            weights = dict(zip(QUARTERS, record.profile_bp, strict=True))
            profile = split(budget, tuple(weights.items())) if any(weights.values()) else None
        actuals = {q: a.amount_pence for q, a in record.actuals.items()}
        sy = SchemeYear(
            budget, actuals, profile, Forecast(record.method, record.forecast_pence, record.reason)
        )
        method, reason = record.method, record.reason
        explanation, uncommitted = record.explanation, record.uncommitted_pence
        refunds = (q for q, a in record.actuals.items() if a.refund)
        missing = tuple(q for q in QUARTERS[:done] if q not in actuals)
    lead = s.lead_body_id if s.lead_body_id is not None else host
    return SchemeLine(
        s.id,
        lead,
        s.id in shared,
        outturn(sy, done),
        method,
        reason,
        explanation,
        uncommitted,
        frozenset(refunds),
        missing,
    )


def _report(plan: Plan, year, as_at, done, lines, bodies, scenario) -> YearReport:
    contributions = {b: m.contribution for b, m in bodies.items()}
    risk = risk_share.share(
        [line.risk_line for line in lines],
        agreement(plan, contributions),
        contributions,
        net=scenario,
    )
    return YearReport(
        year,
        as_at,
        done,
        plan.monitoring.threshold_bp,
        sum(contributions.values()),
        lines,
        bodies,
        risk,
        plan.host_id,
    )


def agreement(plan: Plan, contributions: dict[int, int]) -> risk_share.Agreement:
    """The plan's risk-share agreement for a year, caps at a contribution made amounts."""
    a = plan.risk_share
    caps = {
        b: contributions.get(b, 0) if cap.kind is CapKind.CONTRIBUTION else cap.amount_pence
        for b, cap in a.caps.items()
    }
    return risk_share.Agreement(
        a.rule, plan.host_id, dict(a.percent_bp), caps, a.reserve_pence, a.underspend
    )


def _body_money(plan: Plan, year: int, done: int) -> dict[int, BodyMoney]:
    """Each body that contributes in ``year`` (or paid in it): due by quarter and received."""
    due: dict[int, dict[int, int]] = {}
    totals: dict[int, int] = {}
    for c in plan.contributions.values():
        if c.year != year:
            continue
        s = plan.settlements.get(c.settlement_id) if c.settlement_id is not None else None
        schedule = s.schedule if s is not None else Schedule.QUARTERLY
        by_quarter = due.setdefault(c.body_id, dict.fromkeys(QUARTERS, 0))
        for q, p in due_by_quarter(c.amount_pence, schedule).items():
            by_quarter[q] += p
        totals[c.body_id] = totals.get(c.body_id, 0) + c.amount_pence
    out = {}
    for body_id in plan.bodies:
        paid = {q: p for (y, q), p in plan.received.get(body_id, {}).items() if y == year}
        if body_id not in due and not paid:
            continue
        owed = due.get(body_id, dict.fromkeys(QUARTERS, 0))
        money = Payments.of(owed, sum(paid.values()), done)
        out[body_id] = BodyMoney(body_id, totals.get(body_id, 0), owed, paid, money)
    return out
