"""Every derived figure of a plan, in one place: the CLI, the GUI, the Excel export and the tests
all read these, so they cannot disagree. Nothing here is stored; it is computed from the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from planner.model import Certainty, Contribution, Plan


@dataclass
class Split:
    """Money in one cell, split by how sure it is."""

    confirmed: int = 0
    indicative: int = 0
    unfunded: int = 0

    @property
    def total(self) -> int:
        return self.confirmed + self.indicative + self.unfunded

    def add(self, certainty: Certainty, pence: int) -> None:
        setattr(self, certainty.value, getattr(self, certainty.value) + pence)


@dataclass
class YearFigures:
    year: int
    contributions: Split = field(default_factory=Split)
    expenditure: int = 0
    at_risk: int = 0
    cumulative_balance: int = 0

    @property
    def balance(self) -> int:
        return self.contributions.total - self.expenditure

    @property
    def confirmed_share(self) -> Fraction | None:
        """Confirmed / all contributions, exact; None for a year with no contributions."""
        total = self.contributions.total
        return Fraction(self.contributions.confirmed, total) if total else None


@dataclass
class BodyFigures:
    body_id: int
    # Last plan year of unbroken confirmed funding from the plan's start; None if even the first
    # year is not confirmed.
    confirmed_until: int | None
    by_year: dict[int, Split]
    at_risk_by_year: dict[int, int]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.by_year.values())

    @property
    def at_risk(self) -> int:
        return sum(self.at_risk_by_year.values())


@dataclass
class Figures:
    plan: Plan
    years: dict[int, YearFigures]
    bodies: dict[int, BodyFigures]

    @property
    def contribution_totals(self) -> Split:
        """The whole plan's contributions by certainty."""
        total = Split()
        for y in self.years.values():
            for certainty in Certainty:
                total.add(certainty, getattr(y.contributions, certainty.value))
        return total

    @property
    def total_contributions(self) -> int:
        return sum(y.contributions.total for y in self.years.values())

    @property
    def total_expenditure(self) -> int:
        return sum(y.expenditure for y in self.years.values())

    @property
    def total_at_risk(self) -> int:
        return sum(y.at_risk for y in self.years.values())


def certainty_of(plan: Plan, c: Contribution) -> Certainty:
    """A contribution is as sure as its settlement is in that year; unfunded if none covers it."""
    if c.settlement_id is None:
        return Certainty.UNFUNDED
    s = plan.settlements.get(c.settlement_id)
    if s is None or s.body_id != c.body_id:
        return Certainty.UNFUNDED
    return s.status_in(c.year)


def confirmed_until(plan: Plan, body_id: int, by_year: dict[int, Split]) -> int | None:
    """The body's confirmed horizon.

    A year counts as confirmed when one of the body's settlements is confirmed for it and none of
    the body's contributions that year rests on anything less. The horizon stops at the first year
    that fails, even if later years are confirmed again: a gap still has to be bridged.
    """
    confirmed_years: set[int] = set()
    for s in plan.settlements_of(body_id):
        confirmed_years.update(s.confirmed_years())
    horizon = None
    for year in plan.year_range:
        split = by_year[year]
        if year not in confirmed_years or split.indicative or split.unfunded:
            break
        horizon = year
    return horizon


def compute(plan: Plan) -> Figures:
    """All figures for ``plan``. Contributions and spending outside the plan's years are ignored."""
    years = {y: YearFigures(y) for y in plan.year_range}
    by_body: dict[int, dict[int, Split]] = {
        b: {y: Split() for y in plan.year_range} for b in plan.bodies
    }
    for c in plan.contributions.values():
        if c.year in years and c.body_id in by_body:
            certainty = certainty_of(plan, c)
            years[c.year].contributions.add(certainty, c.amount_pence)
            by_body[c.body_id][c.year].add(certainty, c.amount_pence)
    for scheme in plan.schemes.values():
        for year, pence in scheme.spend.items():
            if year in years:
                years[year].expenditure += pence

    bodies = {}
    for body_id, split_by_year in by_body.items():
        horizon = confirmed_until(plan, body_id, split_by_year)
        # Money not confirmed is at risk. It all lies after the horizon, by the horizon's
        # definition; confirmed money after a gap is not counted, as it is promised.
        at_risk = {
            y: s.indicative + s.unfunded
            for y, s in split_by_year.items()
            if s.indicative or s.unfunded
        }
        for y, pence in at_risk.items():
            years[y].at_risk += pence
        bodies[body_id] = BodyFigures(body_id, horizon, split_by_year, at_risk)

    running = 0
    for y in plan.year_range:
        running += years[y].balance
        years[y].cumulative_balance = running
    return Figures(plan, years, bodies)
