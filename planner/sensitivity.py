"""How far the appraisal's inputs can move before its answer changes: switching values and
optimism-bias sweeps. The Green Book asks for switching values in the presentation of results.

A **switching value** is the least change of one input that switches a result: the plan's NPV
(``appraise(plan).npv``) reaching zero from either side, or a body's NPV after gain-share
(``bodies[b].after.npv``) turning negative (for a body already negative: no longer negative).
The inputs are each benefit line, each cost line, each body's benefits in total, all costs
together, and the discount rate as one flat rate.

**Money inputs.** An input is changed by scaling every year of its lines by one factor and
rounding each line and year to the penny, half away from zero, as a user would type them. The
change is given as that factor less one (a fraction of the input) and in pence: the change in the
input's undiscounted total over the plan's years, a whole number (the rounded years may add up to
a few pence either side of it). Every result is whole pence, so a switching value is found on
the penny grid: at the change found the result has switched, and at one penny less (nearer no
change) it has not. (After gain-share a position can wobble by a few pence as a change grows,
the balancing body taking what the others' rounding leaves, so a change a few pence smaller may
switch it too.) A benefit or cost cannot fall below nothing; either can rise without limit,
except where a search must stop (below).

**Closed forms.** For the plan's NPV, a scale ``s`` of an input changes the NPV by
``s x PV(input)``, where

    PV(input) = sum over the input's lines and the plan's years of amount(line, year) x f(year)

exact and unrounded; amount is a benefit line's net benefit as the app rounds it, once per line
and year (``benefits.net_benefit``), or minus a cost line's pence, each in real terms where
the figures were entered in cash (a cash input is scaled as entered); f is the plan's exact
discount factor. So ``s* = -NPV / PV(input)``. The app also rounds each body's present values
once, and a scaled year is rounded again, so the NPV at ``s*`` can sit a few pence off zero:
``s*`` is where the search on the penny grid starts, and re-appraisal decides. A body's position
with no gain-share is the same sum over its own lines. Under fixed percentages, or pro rata for
benefits and for all costs together, a position is linear too (apart from pennies), its slope
read from the appraisal with the input doubled. Pro rata for one cost line (which moves the
weights) and investors repaid first are not linear: the result is probed outwards (a sixteenth,
a quarter, a half and all of the input down; a quarter, once, sixteen times it and the most a
year can hold up) and the step found between the last probe not switched and the first
switched, by extending lines through the points found (under pro rata, from where a hyperbola
fitted through three of them says) and halving. A position that switched and switched back
between two probes would be missed.

**The discount rate** replaces the plan's schedule by one flat rate between 0% and 100% (the
app's range), starting from the year-0 band's rate. The yearly money does not depend on the
rate (gain-share moves cash, undiscounted), so only the factors are worked again. Where the
crossings are is read from the exact, unrounded present value as a polynomial in 1 / (1 + r) by
Descartes' rule of signs, so the crossing found is the nearest in each direction; the rate is
then halved until the rounded result steps across by a penny (or is zero), and the rate is an
exact fraction of a basis point.

**Optimism-bias sweeps.** On benefits: every benefit line's bias set to p from 0% to 100%. On
costs, as the R package ``greenbook``'s ``gb_sensitivity_ob`` does: each cost line uplifted by
its project type's upper bound times (1 - m), m the mitigation from 0 to 1, the uplifted cost
rounded once per line and year. Each marks where the NPV crosses zero, found as the rate is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction

from planner.benefits import (
    Benefits,
    BodyBenefits,
    appraise,
    net_benefit,
    present_value,
    uplifted_cost,
)
from planner.benefits import uplift as uplift  # the sweep's rule, named here as it was
from planner.deflator import multipliers
from planner.discounting import Factors, factors, round_ratio
from planner.fields import BASIS_POINTS
from planner.gainshare import GainShare, share
from planner.model import BenefitLine, CostLine, GainShareRule, Plan
from planner.money import MAX_PENCE

PLAN = "plan"  # the target that is the plan's NPV; any other target is a body's id


class InputKind(StrEnum):
    BENEFIT_LINE = "benefit_line"
    COST_LINE = "cost_line"
    BODY_BENEFITS = "body_benefits"  # all of one body's benefit lines together
    ALL_COSTS = "all_costs"
    DISCOUNT_RATE = "discount_rate"  # one flat rate in place of the plan's schedule


@dataclass(frozen=True)
class Change:
    """One switching point. For money, ``ratio`` is the change as a fraction of the input
    (-1/4: a fall of 25%) and ``pence`` the change in its undiscounted total. For the discount
    rate, ``rate_bp`` is the flat rate, ``change_bp`` its change from the year-0 band's rate,
    ``ratio`` that change as a fraction of that rate (None when it is 0%), and ``step_bp`` how
    much nearer that rate the result has not switched."""

    ratio: Fraction | None
    value: int  # the result there, re-appraised (pence)
    pence: int | None = None
    rate_bp: Fraction | None = None
    change_bp: Fraction | None = None
    step_bp: Fraction | None = None

    @property
    def percent(self) -> Fraction | None:
        return None if self.ratio is None else self.ratio * 100


@dataclass(frozen=True)
class SwitchingValue:
    input_kind: InputKind
    label: str
    body_id: int | None  # the body whose line or benefits the input is
    line_id: int | None
    target: str | int  # PLAN, or the id of the body whose position after gain-share is tested
    now: int  # the result as the plan stands (pence)
    down: Change | None  # the least fall (or lower rate) that switches it
    up: Change | None  # the least rise (or higher rate)
    reason: str = ""  # why a direction has none, in words


# -- the inputs --------------------------------------------------------------------------------


@dataclass
class _Input:
    kind: InputKind
    label: str
    body_id: int | None
    line_id: int | None
    costs: list[CostLine]
    benefits: list[BenefitLine]
    total: int  # pence over the plan's years, as entered

    @property
    def owners(self) -> set[int]:
        return {line.body_id for line in [*self.costs, *self.benefits]}

    @property
    def noun(self) -> str:
        return "costs" if self.costs else "benefits"


def _inputs(plan: Plan) -> list[_Input]:
    span = set(plan.year_range)

    def total(lines) -> int:
        return sum(p for line in lines for y, p in line.years.items() if y in span)

    def name(line) -> str:
        scheme = plan.schemes.get(line.scheme_id)
        scheme_name = scheme.name if scheme else f"Scheme {line.scheme_id}"
        return f"{scheme_name}, {plan.bodies[line.body_id].name}"

    # appraise counts no line of a body the plan does not have
    benefits = [b for _, b in sorted(plan.benefits.items()) if b.body_id in plan.bodies]
    costs = [c for _, c in sorted(plan.costs.items()) if c.body_id in plan.bodies]
    out = [
        _Input(InputKind.BENEFIT_LINE, f"Benefit: {name(b)}", b.body_id, b.id, [], [b], total([b]))
        for b in benefits
    ]
    out += [
        _Input(InputKind.COST_LINE, f"Cost: {name(c)}", c.body_id, c.id, [c], [], total([c]))
        for c in costs
    ]
    for body_id, body in sorted(plan.bodies.items()):
        own = [b for b in benefits if b.body_id == body_id]
        if own:
            label = f"All benefits of {body.name}"
            out.append(_Input(InputKind.BODY_BENEFITS, label, body_id, None, [], own, total(own)))
    if costs:
        out.append(_Input(InputKind.ALL_COSTS, "All costs", None, None, costs, [], total(costs)))
    return out


def _scale(years: dict[int, int], span: range, total: int, delta: int) -> dict[int, int]:
    """A line's years with its input's total moved by ``delta`` pence: each year of the plan
    times (total + delta) / total, rounded to the penny half away from zero."""
    return {
        y: round_ratio(p * (total + delta), total) if y in span else p for y, p in years.items()
    }


def _changed(plan: Plan, inp: _Input, delta: int) -> Plan:
    # A new plan sharing every object the change does not touch: appraise mutates nothing.
    span = plan.year_range
    costs, benefits = dict(plan.costs), dict(plan.benefits)
    for c in inp.costs:
        if c.id in costs:
            costs[c.id] = replace(c, years=_scale(c.years, span, inp.total, delta))
    for b in inp.benefits:
        if b.id in benefits:
            benefits[b.id] = replace(b, years=_scale(b.years, span, inp.total, delta))
    return replace(plan, costs=costs, benefits=benefits)


def _flat(plan: Plan, rate_bp) -> Plan:
    return replace(plan, appraisal=replace(plan.appraisal, discount_bands=((0, rate_bp),)))


def at(plan: Plan, value: SwitchingValue, change: Change) -> Plan:
    """A copy of the plan at a switching point, to re-appraise or show; the plan is untouched.
    A flat rate that is a fraction of a basis point is not a rate a plan file can keep."""
    if value.input_kind is InputKind.DISCOUNT_RATE:
        return _flat(plan, change.rate_bp)
    key = (value.input_kind, value.body_id, value.line_id)
    inp = next(i for i in _inputs(plan) if (i.kind, i.body_id, i.line_id) == key)
    return _changed(plan, inp, change.pence)


# -- what switching is -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Test:
    """Whether a result has switched from where it stands, and the step it switches across."""

    switched: Callable[[int], bool]
    aim: Fraction  # the middle of that step, for a closed form to aim at
    words: str  # what moving the other way does, for a reason


def _test(target, start: int) -> _Test:
    # The plan's NPV switches on reaching zero; a body's position on turning negative.
    if target == PLAN:
        if start > 0:
            return _Test(lambda v: v <= 0, Fraction(1, 2), "the NPV further above zero")
        return _Test(lambda v: v >= 0, Fraction(-1, 2), "the NPV further below zero")
    if start >= 0:
        return _Test(lambda v: v < 0, Fraction(-1, 2), "its position further from a loss")
    return _Test(lambda v: v >= 0, Fraction(-1, 2), "its loss further from breaking even")


def _is_linear(rule: GainShareRule, inp: _Input) -> bool:
    """Whether a position after gain-share moves in proportion to the input, but for pennies.
    Pro rata weights are the bodies' investment: one cost line moves them, all costs together
    leave them in proportion."""
    if rule in (GainShareRule.NONE, GainShareRule.FIXED):
        return True
    if rule is GainShareRule.PRO_RATA:
        return inp.kind is not InputKind.COST_LINE
    return False


# -- searching on the penny grid ---------------------------------------------------------------


def _halve(value, test: _Test, u: int, f: int, before: int | None = None) -> int:
    """Between u (not switched) and f (switched), the switched end of a one-penny step;
    ``before``, a point further back not switched either, gives the first guess its slope.

    A position after gain-share is often straight on one side of its switch and flat on the
    other (investors repaid gain no more), where false position between the ends creeps along
    the flat side. So a guess extends the line through the last two points on one side to the
    step (the side not switched first), or else, once, the line between the ends; a guess that
    falls short again is pushed on, by a doubling share of the bracket. Otherwise the bracket
    is halved, as it is between ends a few pennies apart: a staircase no line between them
    predicts."""
    behind = [] if before is None or before == u else [(before, value(before))]
    sides: dict[bool, list[tuple[int, int]]] = {
        False: [*behind, (u, value(u))],
        True: [(f, value(f))],
    }
    push, last, between = 0, None, False
    while abs(f - u) > 1:
        towards = 1 if f > u else -1
        m = None
        stairs = abs(sides[True][-1][1] - sides[False][-1][1]) <= 2
        for m, ends in _guesses(sides, test.aim, not between and not stairs):
            m += push * (towards if last is False else -towards)
            if min(u, f) < m < max(u, f):
                between = ends
                break
            m = None
        if m is None:
            m, between = (u + f) // 2, False
        width = abs(f - u)
        vm = value(m)
        side = test.switched(vm)
        sides[side] = [*sides[side][-1:], (m, vm)]
        if side:
            f = m
        else:
            u = m
        push = max(1, width // 64, 2 * push) if side == last else 0
        last = side
    return f


def _guesses(sides, aim: Fraction, ends: bool):
    """Where the result reaches ``aim``, as (guess, whether between the ends): along each
    side's last two points, then (if ``ends``) along the line between the ends."""
    for pts in (sides[False], sides[True]):
        if len(pts) == 2 and pts[0][1] != pts[1][1]:
            (x1, y1), (x2, y2) = pts
            yield x2 + round((aim - y2) * (x2 - x1) / (y2 - y1)), False
    (xu, yu), (xf, yf) = sides[False][-1], sides[True][-1]
    if ends and yu != yf:
        yield xu + round((aim - yu) * (xf - xu) / (yf - yu)), True


_WIDEST = 1 << 200  # a step past anything the plan can hold: stop widening


def _gallop(value, test: _Test, d: int, guess: int, limit: int | None, stair: int = 1):
    """The switching point in direction ``d`` (+1 up, -1 down) for a result that stays switched
    once switched: widen from the closed form's guess by doubling steps, the first as wide as
    a penny of the result is expected to be, then halve. ``limit`` is the furthest change
    allowed; None, without limit."""
    x = d * max(1, d * guess)
    if limit is not None and d * x > d * limit:
        x = limit
    if test.switched(value(x)):
        f, step = x, stair
        while True:
            u = f - d * step
            if d * u <= 0:
                u = 0  # no change at all: not switched
                break
            if not test.switched(value(u)):
                break
            f, step = u, step * 2
    else:
        before, u, step = 0, x, stair
        while True:
            f = u + d * step
            if limit is not None and d * f >= d * limit:
                f = limit
                if not test.switched(value(f)):
                    return None
                break
            if test.switched(value(f)):
                break
            if step > _WIDEST:
                return None
            before, u, step = u, f, step * 2
        return _halve(value, test, u, f, before)
    return _halve(value, test, u, f, 0)


def _probe(value, test: _Test, probes: list[int], guesses=()) -> int | None:
    """The switching point for a result that need not move one way: the first probe outwards
    that has switched, then the step back to the probe before it, from a model's guess where
    one falls between them."""
    before, u = None, 0
    for p in probes:
        if test.switched(value(p)):
            inside = sorted((g for g in guesses if min(u, p) < g < max(u, p)), key=abs)
            if inside:
                return _bracket(value, test, u, p, inside[0])
            return _halve(value, test, u, p, before)
        before, u = u, p
    return None


def _bracket(value, test: _Test, u: int, f: int, guess: int) -> int:
    """From a guess between u (not switched) and f (switched), the bracket about it widened by
    doubling steps until it holds the switch, then halved. The first step is a 30,000th of the
    way from u: about what rounding leaves in a fitted model's guess."""
    towards = 1 if f > u else -1
    step = max(1, abs(guess - u) // 32768)
    if test.switched(value(guess)):
        f2, u2 = guess, guess - towards * step
        while towards * (u2 - u) > 0 and test.switched(value(u2)):
            f2, step = u2, step * 2
            u2 = f2 - towards * step
        return _halve(value, test, u2 if towards * (u2 - u) > 0 else u, f2)
    u2, f2 = guess, guess + towards * step
    while towards * (f - f2) > 0 and not test.switched(value(f2)):
        u2, step = f2, step * 2
        f2 = u2 + towards * step
    return _halve(value, test, u2, f2 if towards * (f - f2) > 0 else f)


def _hyperbola(points: list[tuple[int, int]], pole: int, aim: Fraction) -> list[int]:
    """Where a + b x + c / (pole + x), fitted through three points, reaches ``aim``: a body's
    position as one cost line moves under pro rata, which moves that body's cost and every
    body's weight (its share of the investment, ``pole`` in all)."""
    rows = [[Fraction(1), Fraction(x), Fraction(1, pole + x), Fraction(y)] for x, y in points]
    for i in range(3):  # Gauss-Jordan, exact
        pivot = next((r for r in range(i, 3) if rows[r][i]), None)
        if pivot is None:
            return []
        rows[i], rows[pivot] = rows[pivot], rows[i]
        rows[i] = [v / rows[i][i] for v in rows[i]]
        for r in range(3):
            if r != i:
                rows[r] = [v - rows[r][i] * w for v, w in zip(rows[r], rows[i], strict=True)]
    a, b, c = (rows[i][3] for i in range(3))
    # (a - aim + b x)(pole + x) + c = 0
    qa, qb, qc = b, a - aim + b * pole, (a - aim) * pole + c
    if qa == 0:
        return [round(-qc / qb)] if qb else []
    disc = qb * qb - 4 * qa * qc
    if disc < 0:
        return []
    root = math.sqrt(disc)
    return [round((-qb + sign * root) / (2 * qa)) for sign in (1, -1)]


def _narrow(value, test: _Test, a: Fraction, b: Fraction) -> tuple[Fraction, Fraction]:
    """Between a (not switched) and b (switched) on a line of exact fractions (a rate, a bias, a
    mitigation), halve until the result at the two ends is a penny apart: then b is the
    simplest fraction found to give what b gives (24.2%, not a fraction over 2 to the 40th),
    looking up to two widths of the bracket past b. A step of more than a penny (roundings of
    several lines at one point) is kept once forty halvings have left both ends' results as
    they were: it is then within a trillionth of the bracket."""
    va, vb = value(a), value(b)
    far = b  # the furthest point seen giving what b gives
    held = 0  # halvings that left both ends' results as they were
    while abs(va - vb) > 1 and held < 40:
        m = (a + b) / 2
        vm = value(m)
        held = held + 1 if vm in (va, vb) else 0
        if test.switched(vm):
            if vm != vb:
                far = m
            b, vb = m, vm
        else:
            a, va = m, vm
    # What b gives may run on past what was seen: look a little further too.
    for lo, hi in ((a, b + 2 * (b - a)), (a, far), (b, far)):
        simple = _simplest(min(lo, hi), max(lo, hi))
        if simple != a and value(simple) == vb:
            return a, simple
    return a, b


def _simplest(lo: Fraction, hi: Fraction) -> Fraction:
    """The fraction with the least denominator between lo and hi, both included."""
    whole = math.floor(lo)
    if whole == lo:
        return Fraction(whole)
    if whole + 1 <= hi:
        return Fraction(whole + 1)
    return whole + 1 / _simplest(1 / (hi - whole), 1 / (lo - whole))


# -- money inputs ------------------------------------------------------------------------------


class _Moved:
    """One input moved by whole pence of its total, re-appraised and remembered.

    The plan's NPV is the sum of its bodies' NPVs before gain-share, each from its own lines,
    so only the bodies that own the input are appraised again. A position after gain-share
    also needs every body's cash and costs, which the others keep: gain-share is applied to
    them all (``gainshare.share``, as appraise applies it) and the position worked as appraise
    works it (``_position``)."""

    def __init__(self, plan: Plan, base: Benefits, inp: _Input):
        self.plan, self.base, self.inp = plan, base, inp
        owners = inp.owners
        self.own_plan = replace(
            plan,
            bodies={b: plan.bodies[b] for b in owners},
            costs={i: c for i, c in plan.costs.items() if c.body_id in owners},
            benefits={i: b for i, b in plan.benefits.items() if b.body_id in owners},
            appraisal=replace(plan.appraisal, gain_share=GainShareRule.NONE),
        )
        self.rest = base.npv - sum(base.bodies[b].before.npv for b in owners)
        self._own: dict[int, Benefits] = {}
        self._shared: dict[int, tuple[dict[int, BodyBenefits], GainShare]] = {}

    def own(self, delta: int) -> Benefits:
        if delta not in self._own:
            self._own[delta] = appraise(_changed(self.own_plan, self.inp, delta))
        return self._own[delta]

    def shared(self, delta: int) -> tuple[dict[int, BodyBenefits], GainShare]:
        if delta not in self._shared:
            own = self.own(delta).bodies
            bodies = {b: own.get(b, x) for b, x in self.base.bodies.items()}
            a = self.plan.appraisal
            gs = share(
                a.gain_share,
                self.base.years,
                {b: x.cashable for b, x in bodies.items()},
                {b: x.costs for b, x in bodies.items()},
                a.gain_share_percent_bp,
            )
            self._shared[delta] = bodies, gs
        return self._shared[delta]

    def npv(self, delta: int) -> int:
        return self.rest + self.own(delta).npv

    def before(self, body_id: int) -> Callable[[int], int]:
        return lambda delta: self.own(delta).bodies[body_id].before.npv

    def after(self, body_id: int) -> Callable[[int], int]:
        def value(delta: int) -> int:
            if delta == 0:
                return self.base.bodies[body_id].after.npv
            bodies, gs = self.shared(delta)
            return _worth(_position(bodies[body_id], gs.transfers[body_id]), self.base.factors)

        return value


def _position(b: BodyBenefits, transfers: dict[int, int]) -> list[tuple[int, dict[int, int]]]:
    """A body's position after gain-share as appraise works it: its benefits and its costs,
    and what gain-share moves to it, each as signed yearly money rounded once to a present
    value."""
    return [(1, b.adjusted), (-1, b.costs), (1, transfers)]


def _worth(terms: list[tuple[int, dict[int, int]]], f: Factors) -> int:
    return sum(sign * present_value(by_year, f) for sign, by_year in terms)


def pv_input(plan: Plan, lines: Iterable[CostLine | BenefitLine], body_id=None) -> Fraction:
    """PV(input) of the module's note, exact: benefits less costs, of one owner or of all."""
    years = list(plan.year_range)
    f = Factors(years, factors(plan.appraisal.discount_bands, len(years)))
    return _pv_lines(list(lines), f, body_id, multipliers(plan.appraisal, years))


def _pv_lines(lines, f: Factors, body_id=None, real=None) -> Fraction:
    pv = Fraction(0)
    for line in lines:
        if body_id not in (None, line.body_id):
            continue
        for y, p in line.years.items():
            if y in f:
                # As the appraisal counts them: a benefit net, a cost with its uplift, both in
                # real terms.
                m = None if real is None else real[y]
                if isinstance(line, BenefitLine):
                    pv += net_benefit(p, line, m) * f[y]
                else:
                    pv -= uplifted_cost(p, line, m) * f[y]
    return pv


def _change(inp: _Input, delta: int, value: int) -> Change:
    return Change(Fraction(delta, inp.total), value, pence=delta)


def _money(base: Benefits, inp: _Input, moved: _Moved, target, rule) -> SwitchingValue:
    now = base.npv if target == PLAN else base.bodies[target].after.npv
    made = SwitchingValue(inp.kind, inp.label, inp.body_id, inp.line_id, target, now, None, None)
    noun = inp.noun
    if inp.total == 0:
        return replace(made, reason=f"The {noun} have no money in the plan's years to change.")
    if target == PLAN and now == 0:
        return replace(made, reason="The NPV is zero already.")
    test = _test(target, now)
    floor = f"{noun.capitalize()} cannot fall below nothing."
    if target == PLAN or rule is GainShareRule.NONE:
        if target != PLAN and target not in inp.owners:
            return replace(made, reason="It does not change this body's position.")
        value = moved.npv if target == PLAN else moved.before(target)
        lines = [*inp.costs, *inp.benefits]
        owner = None if target == PLAN else target
        slope = _pv_lines(lines, base.factors, owner, base.real_terms) / inp.total
    elif _is_linear(rule, inp):
        value = moved.after(target)
        slope = Fraction(value(inp.total) - now, inp.total)
    else:
        value = moved.after(target)
        t = inp.total
        span = set(base.years)
        most = max(p for line in [*inp.costs, *inp.benefits] for y, p in line.years.items()
                   if y in span)  # fmt: skip
        ceiling = MAX_PENCE * t // most - t  # the rise that takes its largest year to the most
        downs = sorted({-(t // 16), -(t // 4), -(t // 2), -t} - {0}, reverse=True)
        ups = sorted({p for p in (t // 4, t, 16 * t) if 0 < p < ceiling} | {ceiling} - {0})
        guesses: list[int] = []
        if rule is GainShareRule.PRO_RATA and t >= 4:
            pole = sum(b.total_costs for b in base.bodies.values())
            points = [(x, value(x)) for x in (0, t // 4, t)]
            guesses = _hyperbola(points, pole, test.aim)
        down = _probe(value, test, downs, guesses)
        up = _probe(value, test, [p for p in ups if p > 0], guesses)
        reasons = []
        if down is None:
            reasons.append(f"No fall, down to nothing, switches it. {floor}")
        if up is None:
            reasons.append("No rise the plan can hold switches it.")
        return replace(
            made,
            down=None if down is None else _change(inp, down, value(down)),
            up=None if up is None else _change(inp, up, value(up)),
            reason=" ".join(reasons),
        )
    if slope == 0:
        return replace(made, reason="It does not change this result.")
    guess = (test.aim - now) / slope
    d = 1 if guess > 0 else -1
    stair = max(1, math.ceil(1 / abs(slope)))
    found = _gallop(value, test, d, round(guess), -inp.total if d < 0 else None, stair)
    away = f"A {'rise' if d < 0 else 'fall'} only takes {test.words}."
    if found is None:
        return replace(made, reason=f"{floor} {away}" if d < 0 else f"No rise switches it. {away}")
    change = _change(inp, found, value(found))
    return (
        replace(made, down=change, reason=away) if d < 0 else replace(made, up=change, reason=away)
    )


# -- the discount rate -------------------------------------------------------------------------


def _terms(base: Benefits, target) -> list[tuple[int, dict[int, int]]]:
    """A result as signed yearly money: the plan's NPV is every body's benefits less its
    costs; a body's position is as ``_position`` has it."""
    if target == PLAN:
        return [t for b in base.bodies.values() for t in ((1, b.adjusted), (-1, b.costs))]
    return _position(base.bodies[target], base.bodies[target].transfers)


def _descartes(cs: list[Fraction], lo: Fraction, hi: Fraction) -> int:
    """Descartes' bound on the roots of sum(cs[t] x^t) between lo and hi (exact when 0 or 1):
    the sign changes of (1 + y)^n p((lo + hi y) / (1 + y))."""
    q = _shift(cs, lo)
    q = [c * (hi - lo) ** k for k, c in enumerate(q)]
    return _changes(_shift(q[::-1], Fraction(1)))


def _shift(cs: list, c) -> list:
    """The coefficients of p(x + c)."""
    a = list(cs)
    for i in range(len(a)):
        for j in range(len(a) - 2, i - 1, -1):
            a[j] += c * a[j + 1]
    return a


def _changes(cs) -> int:
    signs = [c > 0 for c in cs if c]
    return sum(1 for s, t in zip(signs, signs[1:], strict=False) if s != t)


def _poly(cs, x) -> Fraction:
    out = Fraction(0)
    for c in reversed(cs):
        out = out * x + c
    return out


def _sign(v) -> int:
    return (v > 0) - (v < 0)


def _crossing(cs, near: Fraction, far: Fraction, depth: int = 0):
    """From ``near`` towards ``far``, an interval holding the nearest crossing of zero by the
    polynomial (an odd number of roots), or None."""
    if _poly(cs, far) == 0:
        return near, far
    lo, hi = min(near, far), max(near, far)
    if _changes(cs) <= 1:  # at most one positive root at all: the signs at the ends say
        return (near, far) if _sign(_poly(cs, near)) != _sign(_poly(cs, far)) else None
    k = _descartes(cs, lo, hi)
    if k == 0:
        return None
    if k == 1:
        return near, far
    if depth >= 60:  # roots closer than this are a touch, not a crossing, unless the ends differ
        return (near, far) if _sign(_poly(cs, near)) != _sign(_poly(cs, far)) else None
    mid = (near + far) / 2
    return _crossing(cs, near, mid, depth + 1) or _crossing(cs, mid, far, depth + 1)


def _rate(plan: Plan, base: Benefits, target) -> SwitchingValue:
    r0 = plan.appraisal.discount_bands[0][1]
    now = base.npv if target == PLAN else base.bodies[target].after.npv
    label = "Discount rate (one flat rate)"
    made = SwitchingValue(InputKind.DISCOUNT_RATE, label, None, None, target, now, None, None)
    terms = _terms(base, target)
    years = base.years
    remembered: dict[Fraction, int] = {}

    def value(rate) -> int:
        if rate not in remembered:
            remembered[rate] = _worth(terms, Factors(years, factors(((0, rate),), len(years))))
        return remembered[rate]

    start = value(Fraction(r0))
    if target == PLAN and start == 0:
        return replace(made, reason="The NPV is zero at the flat rate already.")
    test = _test(target, start)
    cs = [Fraction(sum(sign * v[y] for sign, v in terms)) for y in years]

    def x(rate) -> Fraction:  # the factor of one year
        return Fraction(BASIS_POINTS) / (BASIS_POINTS + rate)

    def rate_of(x_) -> Fraction:
        return BASIS_POINTS / x_ - BASIS_POINTS

    def search(end: int) -> Change | None:
        if r0 == end:
            return None
        span = _crossing(cs, x(Fraction(r0)), x(Fraction(end)))
        if span is None:
            return None
        near, far = rate_of(span[0]), rate_of(span[1])
        if not test.switched(value(far)):  # a crossing pennies wide: the rounding moved it
            far = Fraction(end)
            if not test.switched(value(far)):
                return None
        if test.switched(value(near)):
            near = Fraction(r0)
        a, b = _narrow(value, test, near, far)
        return Change(
            (b - r0) / r0 if r0 else None, value(b), rate_bp=b, change_bp=b - r0, step_bp=abs(b - a)
        )

    down, up = search(0), search(BASIS_POINTS)
    reasons = []
    if down is None:
        reasons.append("No lower rate, down to 0%, switches it.")
    if up is None:
        reasons.append("No higher rate, up to 100%, switches it.")
    return replace(made, down=down, up=up, reason=" ".join(reasons))


# -- switching values --------------------------------------------------------------------------


def switching_values(
    plan: Plan, targets: Iterable[str | int] | None = None, base: Benefits | None = None
) -> list[SwitchingValue]:
    """Each input's switching value for each target: PLAN (the plan's NPV) and body ids (each
    body's position after gain-share); all of them unless ``targets`` says. Inputs in order:
    benefit lines, cost lines, bodies' benefits, all costs, the discount rate."""
    base = base or appraise(plan)
    chosen = [PLAN, *sorted(plan.bodies)] if targets is None else list(targets)
    for t in chosen:
        if t != PLAN and t not in plan.bodies:
            raise ValueError(f"There is no body {t} to test.")
    # An agreement that cannot be applied moves nothing, whatever the input.
    rule = GainShareRule.NONE if base.gain_share.problem else plan.appraisal.gain_share
    out = []
    done: dict[tuple, list[SwitchingValue]] = {}
    for inp in _inputs(plan):
        # A body with one benefit line, or a plan with one cost line, is that line again.
        same = (tuple(c.id for c in inp.costs), tuple(b.id for b in inp.benefits))
        if same in done:
            out += [
                replace(v, input_kind=inp.kind, label=inp.label, line_id=inp.line_id)
                for v in done[same]
            ]
            continue
        moved = _Moved(plan, base, inp)
        done[same] = [_money(base, inp, moved, target, rule) for target in chosen]
        out += done[same]
    out += [_rate(plan, base, target) for target in chosen]
    return out


# -- optimism-bias sweeps ----------------------------------------------------------------------


@dataclass(frozen=True)
class SweepPoint:
    at: Fraction  # the bias in basis points, or the mitigation from 0 to 1
    npv: int
    bcr: Fraction | None
    pv_costs: int
    pv_benefits: int


@dataclass(frozen=True)
class Sweep:
    points: list[SweepPoint]
    crossing: Fraction | None  # where the NPV reaches zero, exactly; None if it does not
    crossing_npv: int | None  # the NPV there, re-appraised
    step: Fraction | None  # how much nearer the start the NPV has not yet reached zero
    reason: str = ""


def _point(at, a: Benefits) -> SweepPoint:
    return SweepPoint(Fraction(at), a.npv, a.benefit_cost_ratio, a.pv_costs, a.pv_benefits)


def _sweep(appraised, grid, start, end, test_from_start) -> tuple[list[SweepPoint], tuple | None]:
    points = [_point(g, appraised(g)) for g in grid]

    def value(g) -> int:
        return appraised(g).npv

    v0, v1 = value(start), value(end)
    if v0 == 0:
        return points, (start, start)
    test = test_from_start(v0)
    if test is None or not test.switched(v1):
        return points, None
    return points, _narrow(value, test, Fraction(start), Fraction(end))


def _remember(fn):
    kept: dict = {}

    def inner(g):
        if g not in kept:
            kept[g] = fn(g)
        return kept[g]

    return inner


def bias_sweep(plan: Plan, points: int = 11) -> Sweep:
    """The plan's NPV and benefit-cost ratio with every benefit line's optimism bias set to p,
    at ``points`` even steps from 0% to 100%, and the exact bias at which the NPV reaches zero
    (a fraction of a basis point). Gain-share moves no NPV, so it is left out."""
    if points < 2:
        raise ValueError("A sweep needs at least its two ends.")
    bare = replace(plan, appraisal=replace(plan.appraisal, gain_share=GainShareRule.NONE))

    @_remember
    def appraised(bias) -> Benefits:
        lines = {i: replace(b, optimism_bias_bp=bias) for i, b in plan.benefits.items()}
        return appraise(replace(bare, benefits=lines))

    grid = [Fraction(BASIS_POINTS * i, points - 1) for i in range(points)]

    def test(v0):  # more bias, lower NPV: only a positive NPV can fall to zero
        return _test(PLAN, v0) if v0 > 0 else None

    swept, found = _sweep(appraised, grid, 0, BASIS_POINTS, test)
    if found is None:
        v0 = swept[0].npv
        reason = (
            "The NPV is negative even with no optimism bias."
            if v0 < 0
            else "The NPV stays positive even with every benefit taken off."
        )
        return Sweep(swept, None, None, None, reason)
    a, b = found
    return Sweep(swept, b, appraised(b).npv, abs(b - a))


def uplift_sweep(
    plan: Plan,
    bounds: dict[int, int] | None = None,
    mitigations: Iterable = (0, Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), 1),
) -> Sweep:
    """The plan's NPV and benefit-cost ratio as each cost line in ``bounds`` (cost line id ->
    upper bound, basis points; by default each line's own bound) is uplifted by its bound x
    (1 - m), m the mitigation at each of ``mitigations`` (gb_sensitivity_ob's default five),
    in place of the line's own mitigation, and the exact m at which the NPV reaches zero.
    Lines not in ``bounds`` keep their own uplift."""
    if bounds is None:
        bounds = {i: c.uplift_bp for i, c in plan.costs.items() if c.uplift_bp}
    for line_id, bound in bounds.items():
        if line_id not in plan.costs:
            raise ValueError(f"There is no cost line {line_id}.")
        if bound < 0:
            raise ValueError("An upper bound is a share of the cost, never below nothing.")
    # A float is read as written (0.1 is a tenth), not as its binary value.
    grid = [Fraction(str(m)) if isinstance(m, float) else Fraction(m) for m in mitigations]
    if any(not 0 <= m <= 1 for m in grid):
        raise ValueError("A mitigation is between 0 and 1.")
    bare = replace(plan, appraisal=replace(plan.appraisal, gain_share=GainShareRule.NONE))

    @_remember
    def appraised(m) -> Benefits:
        lines = dict(plan.costs)
        for line_id, bound in bounds.items():
            # The mitigation an exact fraction of basis points, which the uplift reads exactly,
            # so appraise rounds each line and year once, with any conversion into real terms.
            lines[line_id] = replace(
                lines[line_id], uplift_bp=bound, mitigation_bp=m * BASIS_POINTS
            )
        return appraise(replace(bare, costs=lines))

    def test(v0):  # more mitigation, lower costs: only a negative NPV can rise to zero
        return _test(PLAN, v0) if v0 < 0 else None

    swept, found = _sweep(appraised, grid, 0, 1, test)
    if found is None:
        v0 = appraised(Fraction(0)).npv
        reason = (
            "The NPV is positive even with the full upper bounds."
            if v0 > 0
            else "The NPV is negative even with every uplift mitigated."
        )
        return Sweep(swept, None, None, None, reason)
    a, b = found
    return Sweep(swept, b, appraised(b).npv, abs(b - a))
