"""Gain-share: moving cashable benefits from the bodies that receive them to the bodies that
invested, by the plan's agreement. Transfers sum to zero each year (sharing moves the gain, it
never creates it) and are whole pence.

Each year's pool of cashable benefits is allocated by weights. Every body but one gets its share
rounded half up to the penny; the body with the largest weight (the lowest id on a tie) takes the
balance, so the allocations add up exactly. The workbook does the same with ROUND and a balancing
cell, so it recomputes to the same pence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from planner.discounting import round_pence
from planner.model import GainShareRule


@dataclass
class Division:
    """A total shared by weights, in the two steps the workbook shows: each body's share
    rounded to the penny, then the allocation, in which the balancing body takes the rest."""

    rounded: dict[int, int]
    allocation: dict[int, int]


@dataclass
class Step:
    """One year of the agreement, as the workbook's tables show it (body -> pence)."""

    pool: int  # the year's cashable benefits
    allocation: dict[int, int]
    shared: Division | None = None  # pro rata and fixed shares: the pool by the weights
    owed: dict[int, int] | None = None  # investors first: what each is still owed,
    repay: int = 0  # what is repaid to them,
    repaid: Division | None = None  # shared by what they are owed,
    kept: Division | None = None  # and the rest, left with those who received it


@dataclass
class GainShare:
    rule: GainShareRule
    transfers: dict[int, dict[int, int]] = field(default_factory=dict)  # body -> year -> pence
    problem: str = ""  # why no transfers were made, if the agreement cannot be applied
    steps: dict[int, Step] = field(default_factory=dict)  # year -> how it was worked out


def divide(total: int, weights: dict[int, int | Fraction]) -> Division:
    """``total`` pence shared by ``weights``, exactly (see the module's note on rounding)."""
    live = {b: w for b, w in weights.items() if w > 0}
    if not live or total == 0:
        return Division(dict.fromkeys(weights, 0), dict.fromkeys(weights, 0))
    whole = sum(live.values())
    rounded = {
        b: round_pence(Fraction(total) * w / whole) if w > 0 else 0 for b, w in weights.items()
    }
    balancing = max(sorted(live), key=lambda b: live[b])
    out = dict(rounded)
    out[balancing] = total - (sum(rounded.values()) - rounded[balancing])
    return Division(rounded, out)


def share(
    rule: GainShareRule,
    years: list[int],
    cashable: dict[int, dict[int, int]],
    costs: dict[int, dict[int, int]],
    percent_bp: dict[int, int],
) -> GainShare:
    """Transfers by ``rule``; ``cashable`` and ``costs`` are body -> year -> pence."""
    bodies = sorted(set(cashable) | set(costs))
    result = GainShare(rule, {b: dict.fromkeys(years, 0) for b in bodies})
    if rule is GainShareRule.NONE or not bodies:
        return result
    investment = {b: sum(costs.get(b, {}).values()) for b in bodies}
    if rule is GainShareRule.FIXED:
        weights = {b: percent_bp.get(b, 0) for b in bodies}
        if sum(weights.values()) != 10_000:
            result.problem = (
                f"The agreed percentages add up to {sum(weights.values()) / 100:g}%, not 100%"
            )
            return result
    else:
        weights = investment
        if not any(weights.values()):
            result.problem = "No body has invested, so there is nothing to share by investment"
            return result
    received: dict[int, int] = dict.fromkeys(bodies, 0)  # allocations so far
    paid: dict[int, int] = dict.fromkeys(bodies, 0)  # investment so far
    for y in years:
        pool = sum(cashable.get(b, {}).get(y, 0) for b in bodies)
        if rule is GainShareRule.INVESTORS_FIRST:
            for b in bodies:
                paid[b] += costs.get(b, {}).get(y, 0)
            outstanding = {b: max(0, paid[b] - received[b]) for b in bodies}
            repay = min(pool, sum(outstanding.values()))
            first = divide(repay, outstanding)
            # Once investors are square, the rest stays with those who received it.
            rest = divide(pool - repay, {b: cashable.get(b, {}).get(y, 0) for b in bodies})
            allocation = {b: first.allocation[b] + rest.allocation[b] for b in bodies}
            result.steps[y] = Step(
                pool, allocation, owed=outstanding, repay=repay, repaid=first, kept=rest
            )
        else:
            shared = divide(pool, weights)
            allocation = shared.allocation
            result.steps[y] = Step(pool, allocation, shared=shared)
        for b in bodies:
            received[b] += allocation[b]
            result.transfers[b][y] = allocation[b] - cashable.get(b, {}).get(y, 0)
    return result
