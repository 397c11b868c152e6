"""Payment by results in words: a settlement year's part paid only if results are achieved, as
the app, the history and the workbook describe it. (Its figures are ``planner.figures``'.)"""

from __future__ import annotations

from planner import fields as F
from planner import money
from planner.errors import EditError
from planner.model import Conditional


def check(part: object, amount: int | None) -> Conditional:
    """A year's part paid on results, held to its rules (the edits and the JSON reader both
    ask here; the file's rules on opening say the same in SQL, ``store.row_rules``): more than
    nothing at stake, beside a known amount, its condition in words, an expected share, and no
    more earned than was at stake. ``EditError`` says which rule it breaks."""
    if not isinstance(part, Conditional):
        raise EditError("Money paid on results is an amount with its condition.")
    at_stake = F.ON_RESULTS.check(part.amount_pence)
    if not at_stake:
        raise EditError("Money paid on results is more than nothing (or remove the part).")
    if amount is None:
        raise EditError(
            "A year with money paid on results states its other amount too "
            "(£0 if it is all paid on results)."
        )
    condition = F.CONDITION.check(part.condition)
    if not condition:
        raise EditError("Say what result the money is paid on.")
    earned = part.earned_pence
    if earned is not None:
        earned = F.EARNED.check(earned)
        if earned > at_stake:
            raise EditError(f"No more than the {pounds(at_stake)} at stake can be earned.")
    return Conditional(at_stake, condition, F.EXPECTED_SHARE.check(part.expected_bp), earned)


def pounds(pence: int) -> str:
    """Money as the history and the dialog say it: to the penny where it has pence."""
    return money.format(pence, show_pence=pence % 100 != 0)


def mark_words(part: Conditional, earned: int | None) -> str:
    """What marking a result says, for the history: "earned in full", "earned in part
    (£120,000 of £200,000)", "not earned", "result not known"."""
    if earned is None:
        return "result not known"
    if earned == 0:
        return "not earned"
    if earned == part.amount_pence:
        return "earned in full"
    return f"earned in part ({pounds(earned)} of {pounds(part.amount_pence)})"


def on_top(part: Conditional | None, pounds_of=None) -> str:
    """What a year's results part adds to its figure, as the grid, the timeline and the
    history show it: " + £11,400,000 on results" while the result is not known, " + £900,000
    earned" once some is, nothing otherwise. ``pounds_of`` writes the money (by default to the
    pound, or the penny where it has pence)."""
    write = pounds_of or pounds
    if part is None:
        return ""
    if part.pending:
        return f" + {write(part.amount_pence)} on results"
    return f" + {write(part.earned_pence)} earned" if part.earned_pence else ""


# The words on_top writes after its figure, which a pasted cell may carry back.
ON_TOP_WORDS = ("on results", "earned")


def describe(part: Conditional) -> str:
    """The part in one sentence: what is at stake, on what, and where the result stands."""
    at_stake = pounds(part.amount_pence)
    head = f"{at_stake} paid only if \u201c{part.condition}\u201d"
    if part.pending:
        return f"{head}: result not known yet (expected {part.expected_bp / 100:g}%)."
    return f"{head}: {mark_words(part, part.earned_pence)}."
