"""Payment by results in words: a settlement year's part paid only if results are achieved, as
the app, the history and the workbook describe it. (Its figures are ``planner.figures``'.)"""

from __future__ import annotations

from planner import money
from planner.model import Conditional


def mark_words(part: Conditional, earned: int | None) -> str:
    """What marking a result says, for the history: "earned in full", "earned in part
    (£120,000 of £200,000)", "not earned", "result not known"."""
    if earned is None:
        return "result not known"
    if earned == 0:
        return "not earned"
    if earned == part.amount_pence:
        return "earned in full"
    return f"earned in part ({money.format(earned)} of {money.format(part.amount_pence)})"


def describe(part: Conditional) -> str:
    """The part in one sentence: what is at stake, on what, and where the result stands."""
    at_stake = money.format(part.amount_pence)
    head = f"{at_stake} paid only if \u201c{part.condition}\u201d"
    if part.pending:
        return f"{head}: result not known yet (expected {part.expected_bp / 100:g}%)."
    return f"{head}: {mark_words(part, part.earned_pence)}."
