"""Who bears a pooled fund's overspend, and what happens to an underspend: the risk-share
schedule of a Section 75 or Better Care Fund agreement, worked through its order of cover.

Each scheme line is *fixed* (its lead bears its own overspend and keeps its own underspend; the
other partners' contributions do not change) or *shared*. The shared lines' variances are netted;
a net overspend is covered, in order, by the risk-share reserve, uncommitted scheme money, the
partners by the agreement's rule (each up to its cap, the host taking what other caps leave, up
to its own), and what is still uncovered by resources outside the pool, its own line, so the
steps always add up to the overspend. A net underspend is kept in the pool, returned to the
partners pro rata to their contributions, or set against next year's contributions.

Every split is in whole pence and adds up exactly (``planner.gainshare.divide``: the body with
the largest weight takes the balancing penny; under caps, the largest with room left).
Plain data and arithmetic; storage, the app and the workbook read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner import fields as F
from planner.errors import EditError
from planner.gainshare import divide
from planner.model import Cap, CapKind, Plan, RiskShare, Underspend
from planner.model import RiskRule as Rule

__all__ = [
    "Agreement",
    "check_agreement",
    "Line",
    "Outcome",
    "Rule",
    "Step",
    "Underspend",
    "capped_split",
    "share",
]


@dataclass(frozen=True)
class Line:
    """One scheme's year: its lead, whether its variance is shared, and the variance (pence;
    positive is an overspend)."""

    scheme_id: int
    lead_body_id: int | None  # None: no lead and no host to bear a fixed line's variance
    variance: int
    shared: bool = True
    uncommitted: int = 0  # scheme money not yet committed, which can cover an overspend
    budget: int = 0  # the year's budget: the commissioner rule's weights when none overspends


@dataclass(frozen=True)
class Agreement:
    rule: Rule = Rule.PRO_RATA
    host_body_id: int | None = None
    percent_bp: dict[int, int] = field(default_factory=dict)  # for Rule.AGREED
    caps: dict[int, int] = field(default_factory=dict)  # body -> most it bears (pence)
    reserve: int = 0  # the risk-share reserve held in the pool
    underspend: Underspend = Underspend.KEEP


@dataclass(frozen=True)
class Step:
    """One step of the statement: who (a body, or None for the pool or outside it), how much,
    and why, in words a partner reads."""

    body_id: int | None
    pence: int
    why: str


@dataclass
class Outcome:
    net: int  # the shared lines' net variance (positive: an overspend)
    steps: list[Step]

    def borne_by(self, body_id: int) -> int:
        """What ``body_id`` bears (positive) or receives (negative) in all."""
        return sum(s.pence for s in self.steps if s.body_id == body_id)

    def statement(self, body_id: int) -> list[Step]:
        return [s for s in self.steps if s.body_id == body_id]


OUTSIDE_THE_POOL = "resources outside the pool"


def capped_split(total: int, weights: dict[int, int], caps: dict[int, int]) -> dict[int, int]:
    """``total`` pence shared by ``weights``, no body past its cap, exactly: a body whose share
    would pass its cap bears its cap, and the rest is shared again among the others (the
    largest weight with room takes the balancing penny). What every cap leaves is not split;
    the caller says who bears it."""
    out = dict.fromkeys(weights, 0)
    live = {b: w for b, w in weights.items() if w > 0}
    left = total
    while left > 0 and live:
        shares = divide(left, live).allocation
        over = {b for b, p in shares.items() if b in caps and out[b] + p > caps[b]}
        if not over:
            for b, p in shares.items():
                out[b] += p
            return out
        for b in over:  # at its cap; the others share what is left
            room = max(0, caps[b] - out[b])
            out[b] += room
            left -= room
            del live[b]
    return out


def share(
    lines: list[Line],
    agreement: Agreement,
    contributions: dict[int, int],
    net: int | None = None,
) -> Outcome:
    """The year's outcome by ``agreement``; ``contributions`` is each partner's contribution
    that year (pence), the weights of the pro-rata rule and of a returned underspend. ``net``,
    if given, is a scenario: the shared lines' net variance were it that (what if the pool
    ends £X over), the fixed lines as they are."""
    steps: list[Step] = []
    for line in lines:
        if not line.shared and line.variance:
            kind = "overspend" if line.variance > 0 else "underspend"
            why = f"its own {kind} on a fixed line"
            if line.lead_body_id is None:
                why = f"a fixed line's {kind} with no lead or host to bear it"
            steps.append(Step(line.lead_body_id, line.variance, why))
    shared = [line for line in lines if line.shared]
    if net is None:
        net = sum(line.variance for line in shared)
    if net > 0:
        steps += _overspend(net, shared, agreement, contributions)
    elif net < 0:
        steps += _underspend(-net, agreement, contributions)
    return Outcome(net, steps)


def _overspend(net: int, shared: list[Line], agreement: Agreement, contributions) -> list[Step]:
    steps = []
    left = net
    reserve = min(left, agreement.reserve)
    if reserve:
        steps.append(Step(None, reserve, "covered by the risk-share reserve"))
        left -= reserve
    uncommitted = min(left, sum(max(0, line.uncommitted) for line in shared))
    if uncommitted:
        steps.append(Step(None, uncommitted, "covered by uncommitted scheme money"))
        left -= uncommitted
    if not left:
        return steps
    weights = _weights(shared, agreement, contributions)
    caps = agreement.caps
    borne = capped_split(left, weights, caps)
    # Its share by the rule, and apart from it what other partners' caps passed on to it, so a
    # statement says why it bears more than the rule alone would give.
    by_rule = (
        divide(left, {b: w for b, w in weights.items() if w > 0}).allocation
        if any(w > 0 for w in weights.values())
        else {}
    )
    for body_id, pence in borne.items():
        own = min(pence, by_rule.get(body_id, 0))
        if own:
            why = f"its share of the overspend ({_rule(agreement)})"
            if own < by_rule.get(body_id, 0):
                why += ", up to its cap"
            steps.append(Step(body_id, own, why))
        if pence - own:
            steps.append(
                Step(body_id, pence - own, f"what other partners' caps leave ({_rule(agreement)})")
            )
    left -= sum(borne.values())
    host = agreement.host_body_id
    if left and host is not None:
        room = left if host not in caps else max(0, caps[host] - borne.get(host, 0))
        extra = min(left, room)
        if extra:
            steps.append(Step(host, extra, "as host, what other partners' caps leave"))
            left -= extra
    if left:
        steps.append(Step(None, left, f"not covered within the pool: {OUTSIDE_THE_POOL}"))
    return steps


def _underspend(amount: int, agreement: Agreement, contributions) -> list[Step]:
    if agreement.underspend is Underspend.KEEP:
        return [Step(None, -amount, "kept in the pool for next year")]
    why = (
        "returned, pro rata to contributions"
        if agreement.underspend is Underspend.RETURN
        else "set against next year's contribution, pro rata to contributions"
    )
    back = divide(amount, {b: p for b, p in contributions.items()}).allocation
    if not any(back.values()):  # no contributions to share by: it stays in the pool
        return [Step(None, -amount, "kept in the pool for next year (no contributions)")]
    return [Step(b, -p, why) for b, p in back.items() if p]


def _weights(shared: list[Line], agreement: Agreement, contributions) -> dict[int, int]:
    if agreement.rule is Rule.AGREED:
        return dict(agreement.percent_bp)
    if agreement.rule is Rule.COMMISSIONER:
        # Each lead by its shared lines' overspends; where none overspends (a scenario), by
        # their budgets.
        for amount in (lambda line: line.variance, lambda line: line.budget):
            by_lead: dict[int, int] = {}
            for line in shared:
                if line.lead_body_id is not None:
                    lead = line.lead_body_id
                    by_lead[lead] = by_lead.get(lead, 0) + amount(line)
            weights = {b: max(0, v) for b, v in by_lead.items()}
            if any(weights.values()):
                return weights
        return {}
    return dict(contributions)


def _rule(agreement: Agreement) -> str:
    return {
        Rule.PRO_RATA: "pro rata to contributions",
        Rule.AGREED: "by the agreed percentages",
        Rule.COMMISSIONER: "for the shared schemes it commissions",
    }[agreement.rule]


def check_agreement(plan: Plan, old: RiskShare, fields: dict) -> RiskShare:
    """``old`` with ``fields`` changed, checked whole; ``EditError`` naming the first problem."""
    fields = dict(fields)
    try:
        shared = frozenset(fields.pop("shared", old.shared))
        percents = dict(fields.pop("percent_bp", old.percent_bp))
        caps = dict(fields.pop("caps", old.caps))
    except (TypeError, ValueError):
        raise EditError(
            "The agreement takes its shared lines as scheme ids, and its percentages and caps "
            "by body."
        ) from None
    for scheme_id in shared:
        if scheme_id not in plan.schemes:
            raise EditError(f"There is no scheme with id {scheme_id}.")
    for body_id in [*percents, *caps]:
        if body_id not in plan.bodies:
            raise EditError(f"There is no body with id {body_id}.")
    percents = {b: F.RISK_SHARE_PERCENT.check(p) for b, p in sorted(percents.items())}
    checked_caps = {}
    for body_id, cap in sorted(caps.items()):
        if cap is None:
            continue
        if not isinstance(cap, Cap):
            raise EditError("A cap is at the partner's contribution or at an amount.")
        kind = F.choice(CapKind, cap.kind, "kind of cap")
        amount = F.RISK_CAP.check(cap.amount_pence) if kind is CapKind.AMOUNT else 0
        checked_caps[body_id] = Cap(kind, amount)
    new = RiskShare(
        F.choice(Rule, fields.pop("rule", old.rule), "risk-share rule"),
        shared,
        percents,
        checked_caps,
        F.RISK_RESERVE.check(fields.pop("reserve_pence", old.reserve_pence)),
        F.choice(Underspend, fields.pop("underspend", old.underspend), "underspend rule"),
    )
    if fields:
        raise EditError(f"The risk-share agreement has no setting called {sorted(fields)[0]!r}.")
    total = sum(percents.values())
    if (new.rule is Rule.AGREED or percents) and total != F.BASIS_POINTS:
        raise EditError(
            f"The agreed percentages add up to {total / 100:g}%, not 100%; each partner's share "
            f"of an overspend must add up to the whole."
        )
    return new
