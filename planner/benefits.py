"""Who invests and who benefits: each body's costs and benefits by year (in real terms, from
cash if they were entered so), optimism bias, present values by the plan's discount schedule,
NPV, benefit-cost ratio, payback, and the position after the gain-share agreement. One module,
read by the command line, the app and the workbook."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from planner.deflator import multipliers
from planner.discounting import Factors, factors, round_ratio
from planner.gainshare import GainShare, share
from planner.model import BenefitLine, CostLine, Plan


@dataclass
class Position:
    """Money by year, and what it is worth today."""

    net: dict[int, int]  # year -> pence (benefits less costs)
    npv: int  # pence, rounded once from the exact present value
    payback_year: int | None


@dataclass
class BodyBenefits:
    body_id: int
    costs: dict[int, int]
    gross: dict[int, int]
    adjusted: dict[int, int]
    cashable: dict[int, int]  # the adjusted benefits that are cash, which gain-share moves
    pv_costs: int
    pv_benefits: int  # of the adjusted benefits
    before: Position
    after: Position  # after the gain-share transfers
    transfers: dict[int, int]

    @property
    def total_costs(self) -> int:
        return sum(self.costs.values())

    @property
    def total_gross(self) -> int:
        return sum(self.gross.values())

    @property
    def total_adjusted(self) -> int:
        return sum(self.adjusted.values())


@dataclass
class Benefits:
    years: list[int]
    factors: Factors
    bodies: dict[int, BodyBenefits]
    gain_share: GainShare
    payback_discounted: bool = True
    # Each year's multiplier from cash into the base year's prices (planner.deflator), by
    # which the costs and benefits above were converted; None: they were entered real.
    real_terms: dict[int, Fraction] | None = None

    # Cached: shares divide by these for every body, and a table asks for every share.
    @cached_property
    def pv_costs(self) -> int:
        return sum(b.pv_costs for b in self.bodies.values())

    @cached_property
    def pv_benefits(self) -> int:
        return sum(b.pv_benefits for b in self.bodies.values())

    @property
    def npv(self) -> int:
        return sum(b.before.npv for b in self.bodies.values())

    @property
    def benefit_cost_ratio(self) -> Fraction | None:
        return Fraction(self.pv_benefits, self.pv_costs) if self.pv_costs else None

    def cost_share(self, body_id: int) -> Fraction | None:
        return Fraction(self.bodies[body_id].pv_costs, self.pv_costs) if self.pv_costs else None

    def benefit_share(self, body_id: int, after: bool = False) -> Fraction | None:
        b = self.bodies[body_id]
        received = b.pv_benefits + (self._pv(b.transfers) if after else 0)
        return Fraction(received, self.pv_benefits) if self.pv_benefits else None

    def _pv(self, by_year: dict[int, int]) -> int:
        return present_value(by_year, self.factors)

    @property
    def payback_year(self) -> int | None:
        net = {y: sum(b.before.net[y] for b in self.bodies.values()) for y in self.years}
        costs = sum(b.total_costs for b in self.bodies.values())
        return _payback(net, self.factors, self.payback_discounted, costs)


def _payback(net: dict[int, int], f: Factors, discounted: bool, costs: int) -> int | None:
    """The first year in which cumulative net benefit is no longer negative; None without any
    investment (nothing to pay back) or if it never is."""
    if not costs:
        return None
    running = 0  # in units of 1 / f.denominator when discounted: exact, and integer
    for y in sorted(net):
        running += net[y] * (f.scaled[y] if discounted else 1)
        if running >= 0:
            return y
    return None


def present_value(by_year: dict[int, int], f: Factors) -> int:
    """Pence today: each year's pence times its factor, summed exactly, rounded once."""
    return f.present_value(by_year)


def less_bias(pence: int, bias_bp: int) -> int:
    """A benefit less its optimism bias, to the penny, half away from zero (the workbook's
    ROUND(amount*(1-bias),2)); integer arithmetic, as it runs once per benefit line and year."""
    if isinstance(bias_bp, Fraction):  # a sweep's exact bias: whole numbers all the same
        # n/d basis points off leaves (10,000d - n)/d: worked in whole numbers, not Fraction
        # arithmetic, which took most of a stress plan's export (its sweeps' 2.6m calls).
        whole = bias_bp.denominator * 10_000
        rounded = (2 * abs(pence) * (whole - bias_bp.numerator) + whole) // (2 * whole)
        return rounded if pence >= 0 else -rounded
    kept = 10_000 - bias_bp
    if pence >= 0:
        return (pence * kept + 5_000) // 10_000
    return -((-pence * kept + 5_000) // 10_000)


_WHOLE = 10_000**5  # five shares of basis points multiplied together


def _rounded(exact: Fraction) -> int:
    return round_ratio(exact.numerator, exact.denominator)


def uplift(pence: int, bound_bp: int, mitigation: Fraction, real: Fraction = Fraction(1)) -> int:
    """A cost with its optimism-bias uplift, bound x (1 - mitigation), exactly, rounded once
    to the penny half away from zero: cost x (1 + bound x (1 - mitigation)), as the greenbook
    R package's gb_apply_ob and the workbook's ROUND(cost*(1+bound*(1-mitigation)),2) do.
    ``real`` is the year's multiplier into real terms (``planner.deflator.multipliers``),
    multiplied in before that one rounding."""
    return _rounded(pence * (1 + Fraction(bound_bp, 10_000) * (1 - Fraction(mitigation))) * real)


def uplifted_cost(pence: int, line: CostLine, real: Fraction | None = None) -> int:
    """A cost line's year with its uplift (``uplift``) and, for figures entered in cash, its
    year's multiplier into real terms; the pence as they are with neither."""
    if not line.uplifted:
        return pence if real is None else _rounded(pence * real)
    return uplift(pence, line.uplift_bp, Fraction(line.mitigation_bp, 10_000), real or 1)


def net_benefit(pence: int, line: BenefitLine, real: Fraction | None = None) -> int:
    """A benefit line's gross amount less its additionality adjustments and optimism bias,
    taken off in turn and multiplied out exactly, rounded once to the penny, half away from
    zero: gross x (1 - deadweight) x (1 - displacement) x (1 - leakage) x (1 - substitution)
    x (1 - bias), as the workbook's ROUND(...,2) does (HM Treasury's 2014 cost-benefit
    guidance for local partnerships). A line with no adjustments is ``less_bias``. For figures
    entered in cash, ``real`` (the year's multiplier into real terms) is multiplied in too,
    before that one rounding."""
    if real is not None:
        exact = Fraction(pence) * real
        for _what, bp in line.adjustments:
            exact = exact * (10_000 - bp) / 10_000
        return _rounded(exact)
    if not line.additional:
        return less_bias(pence, line.optimism_bias_bp)
    kept = 1
    for _what, bp in line.adjustments:
        kept *= 10_000 - bp
    exact = abs(pence) * kept
    rounded = (exact + _WHOLE // 2) // _WHOLE
    return rounded if pence >= 0 else -rounded


def adjustment_steps(pence: int, line: BenefitLine) -> list[tuple[str, int, Fraction]]:
    """Gross to net, one adjustment at a time: (what, basis points, the exact amount left
    after it); the last is what ``net_benefit`` rounds."""
    left = Fraction(pence)
    steps = []
    for what, bp in line.adjustments:
        if bp:
            left = left * (10_000 - bp) / 10_000
            steps.append((what, bp, left))
    return steps


def appraise(plan: Plan) -> Benefits:
    years = list(plan.year_range)
    f = Factors(years, factors(plan.appraisal.discount_bands, len(years)))
    real = multipliers(plan.appraisal, years)  # None: entered in real terms, taken as they are
    zero = dict.fromkeys(years, 0)
    costs = {b: dict(zero) for b in plan.bodies}
    gross = {b: dict(zero) for b in plan.bodies}
    adjusted = {b: dict(zero) for b in plan.bodies}
    cashable = {b: dict(zero) for b in plan.bodies}
    for line in plan.costs.values():
        for y, p in line.years.items():
            if y in zero and line.body_id in costs:
                costs[line.body_id][y] += uplifted_cost(p, line, None if real is None else real[y])
    for line in plan.benefits.values():
        if line.body_id not in gross:
            continue
        g, adj, cash = gross[line.body_id], adjusted[line.body_id], cashable[line.body_id]
        for y, p in line.years.items():
            if y in zero:
                a = net_benefit(p, line, None if real is None else real[y])
                g[y] += p
                adj[y] += a
                if line.cashable:
                    cash[y] += a
    rule = plan.appraisal.gain_share
    gs = share(rule, years, cashable, costs, plan.appraisal.gain_share_percent_bp)
    discounted = plan.appraisal.payback_discounted
    bodies = {}
    for b in plan.bodies:
        net = {y: adjusted[b][y] - costs[b][y] for y in years}
        moved = gs.transfers.get(b, dict(zero))
        after = {y: net[y] + moved[y] for y in years}
        total_costs = sum(costs[b].values())
        pv_costs = present_value(costs[b], f)
        pv_benefits = present_value(adjusted[b], f)
        # NPV is the difference of the rounded present values, as the workbook shows them.
        npv = pv_benefits - pv_costs
        bodies[b] = BodyBenefits(
            b,
            costs[b],
            gross[b],
            adjusted[b],
            cashable[b],
            pv_costs,
            pv_benefits,
            Position(net, npv, _payback(net, f, discounted, total_costs)),
            Position(
                after, npv + present_value(moved, f), _payback(after, f, discounted, total_costs)
            ),
            dict(moved),
        )
    return Benefits(years, f, bodies, gs, discounted, real)
