"""The appraisal's sensitivity as the sign-off workbook and ``summary --json`` give it: the
plan's NPV only, one switching point per input and direction, and the optimism-bias sweep on
benefits (``planner.sensitivity``).

A body's position after gain-share is left to the app, which works it out on demand: testing
every body on every export would take many times as long as the plan's NPV alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.benefits import Benefits, appraise
from planner.model import Plan
from planner.sensitivity import (
    PLAN,
    Change,
    Sweep,
    SwitchingValue,
    bias_sweep,
    switching_values,
    uplift_sweep,
)

DIRECTIONS = ("down", "up")

# The engine's reason for an input is a sentence or two, each naming the way it is about ("No
# lower rate, down to 0%, switches it.", "A rise only takes the NPV further above zero.") or
# neither ("The NPV is zero already."): one that names no way is about both.
_SENTENCE = re.compile(r"(?<=\.)\s+")
_WAYS = {"down": re.compile(r"\b(fall|lower)\b"), "up": re.compile(r"\b(rise|higher)\b")}


def _about(sentence: str, direction: str) -> bool:
    named = {d for d, words in _WAYS.items() if words.search(sentence.lower())}
    return direction in named or len(named) != 1


@dataclass(frozen=True)
class Point:
    """An input moved one way: where the plan's NPV switches, or why it never does."""

    value: SwitchingValue
    direction: str  # one of DIRECTIONS
    change: Change | None

    @property
    def reason(self) -> str:
        """Why this direction has no switching point, in words ('' where it has one): the
        sentences of the engine's reason for the input that are about this direction."""
        if self.change:
            return ""
        return " ".join(s for s in _SENTENCE.split(self.value.reason) if _about(s, self.direction))


@dataclass(frozen=True)
class Sensitivity:
    points: list[Point]  # the engine's order of inputs, down before up
    bias: Sweep  # every benefit line's optimism bias from 0% to 100%
    # Each cost line's uplift as its mitigation runs from 0 to 1 (gb_sensitivity_ob's sweep);
    # None for a plan whose cost lines carry no uplift.
    uplift: Sweep | None = None


def has_appraisal(plan: Plan) -> bool:
    """Whether the plan has anything to appraise: a cost or benefit line of one of its bodies
    (``appraise`` counts no other)."""
    lines = [*plan.costs.values(), *plan.benefits.values()]
    return any(line.body_id in plan.bodies for line in lines)


def plan_sensitivity(plan: Plan, base: Benefits | None = None) -> Sensitivity | None:
    """The plan's switching values and bias sweep; None for a plan with nothing to appraise."""
    if not has_appraisal(plan):
        return None
    values = switching_values(plan, [PLAN], base or appraise(plan))
    points = [Point(v, d, getattr(v, d)) for v in values for d in DIRECTIONS]
    uplifted = any(c.uplift_bp for c in plan.costs.values())
    return Sensitivity(points, bias_sweep(plan), uplift_sweep(plan) if uplifted else None)
