"""Every derived figure of a plan, in one place: the CLI, the GUI, the Excel export and the tests
all read these, so they cannot disagree. Nothing here is stored; it is computed from the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from planner.model import Certainty, Contribution, Plan, Settlement


@dataclass(slots=True)
class Split:
    """Money in one cell, split by how sure it is."""

    confirmed: int = 0
    indicative: int = 0
    unfunded: int = 0
    conditional: int = 0

    @property
    def total(self) -> int:
        return self.confirmed + self.conditional + self.indicative + self.unfunded

    @property
    def at_risk(self) -> int:
        """Money not confirmed: conditional, indicative and unfunded."""
        return self.conditional + self.indicative + self.unfunded

    @property
    def unpromised(self) -> int:
        """Money at risk that no settlement promises, even on a condition: indicative and
        unfunded."""
        return self.indicative + self.unfunded

    def add(self, certainty: Certainty, pence: int) -> None:
        # Branches rather than setattr: this runs for every contribution on every edit.
        if certainty is Certainty.CONFIRMED:
            self.confirmed += pence
        elif certainty is Certainty.INDICATIVE:
            self.indicative += pence
        elif certainty is Certainty.CONDITIONAL:
            self.conditional += pence
        else:
            self.unfunded += pence


@dataclass(slots=True)
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
    def less_unsure(self) -> int:
        """The pool if every indicative and conditional amount fell away (the timeline's
        funding sensitivity): what is left is confirmed money and what was never covered."""
        c = self.contributions
        return c.total - c.indicative - c.conditional

    @property
    def confirmed_share(self) -> Fraction | None:
        """Confirmed / all contributions, exact; None for a year with no contributions."""
        total = self.contributions.total
        return Fraction(self.contributions.confirmed, total) if total else None


@dataclass(slots=True)
class BodyFigures:
    body_id: int
    # Last plan year of unbroken confirmed funding from the plan's start; None if even the first
    # year is not confirmed.
    confirmed_until: int | None
    by_year: dict[int, Split]
    at_risk_by_year: dict[int, int]
    # Confirmed pence by (settlement, year): what each settlement carries, for renewal cliffs.
    confirmed_carried: dict[tuple[int, int], int] = field(default_factory=dict)
    # Conditional pence by (settlement, year): the money relied on that results may yet pay.
    on_results: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.by_year.values())

    @property
    def at_risk(self) -> int:
        return sum(self.at_risk_by_year.values())

    def unpromised_by_year(self) -> dict[int, int]:
        """Its indicative and unfunded money by year (its money on results apart)."""
        return {y: s.unpromised for y, s in self.by_year.items() if s.unpromised}

    def expected(self, plan: Plan) -> int:
        """What the board expects the conditional money relied on to earn: each settlement
        year's share of it at that year's expected share, rounded half up to the penny. An
        expectation only: it is never counted as confirmed."""
        return sum(expected_of(plan, key, pence) for key, pence in self.on_results.items())


def expected_of(plan: Plan, key: tuple[int, int], pence: int) -> int:
    """``pence`` relied on from settlement year ``key`` at its expected share, half up."""
    sid, year = key
    part = plan.settlements[sid].years[year].conditional
    return (pence * part.expected_bp + 5_000) // 10_000


@dataclass
class PlanIndex:
    """The plan grouped by body, built once per computation so that no figure scans the whole
    plan for each body (a 200-body plan would otherwise cost 200 scans per edit)."""

    settlements: dict[int, list[Settlement]]
    contributions: dict[int, list[Contribution]]

    @classmethod
    def of(cls, plan: Plan) -> PlanIndex:
        settlements: dict[int, list[Settlement]] = {b: [] for b in plan.bodies}
        contributions: dict[int, list[Contribution]] = {b: [] for b in plan.bodies}
        for s in plan.settlements.values():
            settlements.setdefault(s.body_id, []).append(s)
        for c in plan.contributions.values():
            contributions.setdefault(c.body_id, []).append(c)
        return cls(settlements, contributions)


@dataclass
class Figures:
    plan: Plan
    years: dict[int, YearFigures]
    bodies: dict[int, BodyFigures]
    index: PlanIndex

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


def portions(plan: Plan, c: Contribution) -> list[tuple[Certainty, int]]:
    """How sure each part of a contribution is, surest first, the parts adding up to it: as sure
    as its settlement's year up to what the year provides unconditionally (with any result
    earned), conditional for what the year may yet pay on results, and unfunded beyond that,
    which has nothing behind it (and is reported as an over-commitment). A result not earned
    falls away, so what it funded becomes unfunded."""
    certainty = certainty_of(plan, c)
    if certainty is Certainty.UNFUNDED:
        return [(certainty, c.amount_pence)]
    sy = plan.settlements[c.settlement_id].years[c.year]
    sure = sy.sure_pence
    if sure is None or c.amount_pence <= sure:
        return [(certainty, c.amount_pence)]
    parts = [(certainty, sure)] if sure else []
    left = c.amount_pence - sure
    stake = min(left, sy.at_stake_pence)
    if stake:
        parts.append((Certainty.CONDITIONAL, stake))
    if left > stake:
        parts.append((Certainty.UNFUNDED, left - stake))
    return parts


def beyond_settlement(plan: Plan, c: Contribution) -> int:
    """The part of ``c`` over all its settlement's year could provide (0 if none; a
    contribution with no settlement behind it is unfunded, not beyond one)."""
    if certainty_of(plan, c) is Certainty.UNFUNDED:
        return 0
    return sum(p for certainty, p in portions(plan, c) if certainty is Certainty.UNFUNDED)


def on_results_of(plan: Plan, c: Contribution) -> int:
    """The part of ``c`` that rests on results not yet known (0 if none)."""
    return sum(p for certainty, p in portions(plan, c) if certainty is Certainty.CONDITIONAL)


def confirmed_until(
    plan: Plan, settlements: list[Settlement], by_year: dict[int, Split]
) -> int | None:
    """The body's confirmed horizon.

    A year counts as confirmed when one of the body's settlements is confirmed for it and none of
    the body's contributions that year rests on anything less. The horizon stops at the first year
    that fails, even if later years are confirmed again: a gap still has to be bridged.
    """
    horizon = None
    for year in plan.year_range:
        if by_year[year].at_risk:
            break
        if not any(
            (sy := s.years.get(year)) is not None and sy.status is Certainty.CONFIRMED
            for s in settlements
        ):
            break
        horizon = year
    return horizon


def body_figures(
    plan: Plan, body_id: int, settlements: list[Settlement], contributions: list[Contribution]
) -> BodyFigures:
    """One body's figures from its own settlements and contributions."""
    split_by_year = {y: Split() for y in plan.year_range}
    carried: dict[tuple[int, int], int] = {}
    on_results: dict[tuple[int, int], int] = {}
    for c in contributions:
        split = split_by_year.get(c.year)
        if split is not None:
            for certainty, pence in portions(plan, c):
                split.add(certainty, pence)
                if certainty is Certainty.CONFIRMED:
                    key = (c.settlement_id, c.year)
                    carried[key] = carried.get(key, 0) + pence
                elif certainty is Certainty.CONDITIONAL:
                    key = (c.settlement_id, c.year)
                    on_results[key] = on_results.get(key, 0) + pence
    horizon = confirmed_until(plan, settlements, split_by_year)
    # Money not confirmed is at risk. It all lies after the horizon, by the horizon's
    # definition; confirmed money after a gap is not counted, as it is promised.
    at_risk = {y: s.at_risk for y, s in split_by_year.items() if s.at_risk}
    return BodyFigures(body_id, horizon, split_by_year, at_risk, carried, on_results)


def _spending(plan: Plan) -> dict[int, int]:
    spend = dict.fromkeys(plan.year_range, 0)
    for scheme in plan.schemes.values():
        for year, pence in scheme.spend.items():
            if year in spend:
                spend[year] += pence
    return spend


def _pool_years(
    plan: Plan,
    bodies: dict[int, BodyFigures],
    spending: dict[int, int],
    start: dict[int, YearFigures] | None = None,
    remove: list[BodyFigures] = (),
) -> dict[int, YearFigures]:
    """The pool's years: ``start``'s totals (or nothing) less the ``remove`` bodies' figures
    plus ``bodies``' figures, then the running balance."""
    years = {y: YearFigures(y, expenditure=spending[y]) for y in plan.year_range}
    if start is not None:
        for y, yf in start.items():
            c = yf.contributions
            years[y].contributions = Split(
                confirmed=c.confirmed,
                indicative=c.indicative,
                unfunded=c.unfunded,
                conditional=c.conditional,
            )
            years[y].at_risk = yf.at_risk
    for sign, group in ((-1, remove), (1, bodies.values())):
        for bf in group:
            for y, split in bf.by_year.items():
                pool = years[y].contributions
                pool.confirmed += sign * split.confirmed
                pool.indicative += sign * split.indicative
                pool.unfunded += sign * split.unfunded
                pool.conditional += sign * split.conditional
            for y, pence in bf.at_risk_by_year.items():
                years[y].at_risk += sign * pence
    running = 0
    for y in plan.year_range:
        running += years[y].balance
        years[y].cumulative_balance = running
    return years


def compute(plan: Plan) -> Figures:
    """All figures for ``plan``. Contributions and spending outside the plan's years are ignored,
    as are rows of bodies the plan does not hold."""
    index = PlanIndex.of(plan)
    bodies = {
        b: body_figures(plan, b, index.settlements[b], index.contributions[b]) for b in plan.bodies
    }
    return Figures(plan, _pool_years(plan, bodies, _spending(plan)), bodies, index)


def refresh(figures: Figures, body_ids=(), spending: bool = False, rows_of=None) -> Figures:
    """The figures after edits that touched only the contributions and settlements of
    ``body_ids`` (and, with ``spending``, the schemes' spending): equal to ``compute(plan)``, in
    time proportional to those bodies rather than the whole plan (an edit must repaint within a
    frame). ``rows_of(body)`` gives a body's settlements and contributions in id order (the
    store's indexes); without it they are found by a scan. Anything else changed: use
    ``compute``."""
    plan = figures.plan
    index = PlanIndex(dict(figures.index.settlements), dict(figures.index.contributions))
    bodies = dict(figures.bodies)
    changed = {}
    for b in set(body_ids):
        if rows_of is not None:
            index.settlements[b], index.contributions[b] = rows_of(b)
        else:
            index.settlements[b] = [s for s in plan.settlements.values() if s.body_id == b]
            index.contributions[b] = [c for c in plan.contributions.values() if c.body_id == b]
        bodies[b] = changed[b] = body_figures(plan, b, index.settlements[b], index.contributions[b])
    spend = _spending(plan) if spending else {y: yf.expenditure for y, yf in figures.years.items()}
    # Only the changed bodies' money moves: take them out of the old totals and put them back.
    years = _pool_years(
        plan, changed, spend, start=figures.years, remove=[figures.bodies[b] for b in changed]
    )
    return Figures(plan, years, bodies, index)
