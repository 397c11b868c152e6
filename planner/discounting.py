"""HM Treasury Green Book discounting: the factor for year t (year 0 being the plan's first
year) divides by (1 + r_k) for each year k = 1..t, r_k the rate of the band that holds k.

With the standard schedule the factor is 1 / 1.035^t up to year 30, and each year after 30
divides by a further 1.03: the step at year 31 applies only to the years after it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from planner.errors import EditError


def rate_bp(bands: tuple[tuple[int, int], ...], year_index: int) -> int:
    """The rate (basis points) of the band holding ``year_index``."""
    rate = bands[0][1]
    for start, band_rate in bands:
        if start <= year_index:
            rate = band_rate
    return rate


def factors(bands: tuple[tuple[int, int], ...], count: int) -> list[Fraction]:
    """Exact discount factors for years 0 .. count - 1."""
    out = [Fraction(1)]
    for t in range(1, count):
        out.append(out[-1] / (1 + Fraction(rate_bp(bands, t), 10_000)))
    return out[:count]


def check_bands(bands) -> tuple[tuple[int, int], ...]:
    """A schedule as (first year of band, rate bp) pairs, sorted, starting at year 0."""
    try:
        cleaned = tuple(sorted((int(start), int(rate)) for start, rate in bands))
    except (TypeError, ValueError):
        raise EditError("A discount schedule is a list of (first year, rate) pairs.") from None
    if not cleaned or cleaned[0][0] != 0:
        raise EditError("A discount schedule must start at year 0.")
    if len({start for start, _ in cleaned}) != len(cleaned):
        raise EditError("Two discount bands start in the same year.")
    if any(not 0 <= rate <= 10_000 for _, rate in cleaned):
        raise EditError("A discount rate must be between 0% and 100%.")
    return cleaned


def round_pence(value: Fraction) -> int:
    """Exact value to whole pence, half up (as Excel's ROUND does for positive amounts and
    away from zero for negative ones)."""
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return int(d.to_integral_value(rounding=ROUND_HALF_UP))
