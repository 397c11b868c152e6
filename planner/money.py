"""Money as integer pence: parsing what finance officers type, and formatting for people.

Amounts are never floats. Parsing goes through ``Decimal`` and refuses anything that is not a
whole number of pence or is beyond ``MAX_PENCE``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from planner.errors import PlannerError

# GBP 100bn: bigger than any one body's annual budget (the whole national BCF is under GBP 10bn).
# A larger figure is a typing slip, not a plan.
MAX_PENCE = 100_000_000_000 * 100

_SUFFIXES = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
_PATTERN = re.compile(
    r"^(?P<neg>-)?£?(?P<num>([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?|\.[0-9]+)\s*(?P<suffix>k|m|bn|b)?$"
)


class MoneyError(PlannerError, ValueError):
    """A typed amount could not be understood or is not a sensible amount."""


def parse(text: str | int, *, allow_negative: bool = False) -> int:
    """Pence from a typed amount: ``1,250,000``, ``£1.25m``, ``1250k``, ``(500)``, ``-£3bn``."""
    if isinstance(text, bool):
        raise MoneyError("An amount must be a number of pounds.")
    if isinstance(text, int):
        pence = text * 100
    else:
        raw = str(text)
        s = raw.strip().lower().replace(" ", "").replace("gbp", "£")
        negative = False
        if s.startswith("(") and s.endswith(")"):
            negative, s = True, s[1:-1]
        m = _PATTERN.match(s)
        if not s or not m:
            raise MoneyError(
                f"'{raw.strip()}' is not an amount; type pounds such as 1,250,000, £1.25m or 1250k."
            )
        negative = negative or bool(m.group("neg"))
        try:
            pounds = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise MoneyError(f"'{raw.strip()}' is not an amount.") from None
        pounds *= _SUFFIXES[m.group("suffix") or ""]
        exact = pounds * 100
        if exact != exact.to_integral_value():
            raise MoneyError(f"'{raw.strip()}' has fractions of a penny.")
        pence = int(exact) * (-1 if negative else 1)
    check(pence, allow_negative=allow_negative)
    return pence


# How a spreadsheet writes zero in accounting format ("£ -   "), once its spaces are gone.
_ACCOUNTING_ZERO = re.compile(r"^£?-£?$")
# The spaces a spreadsheet puts into a figure it copies: non-breaking, narrow and thin ones.
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\u2007")


def parse_pasted(text: str, *, allow_negative: bool = False) -> int | None:
    """Pence from a cell copied out of a spreadsheet; None for a blank one (which clears its
    cell). What ``parse`` takes, and what Excel and LibreOffice copy: ``£5,500,000``,
    ``5,500,000.00``, a figure with non-breaking spaces, and the accounting format's zero, ``-``."""
    squeezed = text.translate(_SPACES)
    if not squeezed:
        return None
    if _ACCOUNTING_ZERO.match(squeezed):
        return 0
    return parse(squeezed, allow_negative=allow_negative)


def plain(pence: int) -> str:
    """The amount in pounds as a spreadsheet reads a number: ``5500000``, ``5500000.50``."""
    pounds, p = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    return f"{sign}{pounds}" if not p else f"{sign}{pounds}.{p:02d}"


def check(pence: int, *, allow_negative: bool = False) -> int:
    """``pence`` itself when it is a sensible amount; otherwise a ``MoneyError`` saying why."""
    if not isinstance(pence, int) or isinstance(pence, bool):
        raise MoneyError(f"{pence!r} is not a whole number of pence.")
    if pence < 0 and not allow_negative:
        raise MoneyError(f"{format(pence)} is negative; amounts here cannot be below zero.")
    if abs(pence) > MAX_PENCE:
        raise MoneyError(
            f"That amount is more than {format(MAX_PENCE)}; check the number of zeros."
        )
    return pence


def to_pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def format(pence: int, *, brackets: bool = False, show_pence: bool = False) -> str:
    """``£1,234,567`` (rounded half up to whole pounds unless ``show_pence``).

    Negatives read ``-£1,234`` or, with ``brackets`` (tables), ``(£1,234)``.
    """
    # Integer arithmetic: exact, and fast enough to run for every cell on every edit.
    pounds, p = divmod(abs(pence), 100)
    if show_pence:
        body = f"£{pounds:,}.{p:02d}"
        zero = pence == 0
    else:
        pounds += p >= 50  # half up, as Excel's ROUND does
        body = f"£{pounds:,}"
        zero = pounds == 0
    if pence < 0 and not zero:
        return f"({body})" if brackets else f"-{body}"
    return body


def format_millions(pence: int) -> str:
    """Board-paper style ``£12.3m`` with one decimal."""
    m = (to_pounds(abs(pence)) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{'-' if pence < 0 and m else ''}£{m:,}m"
