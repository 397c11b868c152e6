"""HM Treasury Green Book discounting: the factor for year t (year 0 being the plan's first
year) divides by (1 + r_k) for each year k = 1..t, r_k the rate of the band that holds k.

With the standard schedule the factor is 1 / 1.035^t up to year 30, and each year after 30
divides by a further 1.03: the step at year 31 applies only to the years after it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from planner.errors import EditError
from planner.fields import DISCOUNT_BAND_START, DISCOUNT_RATE


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
        pairs = [(start, rate) for start, rate in bands]
    except (TypeError, ValueError):
        raise EditError("A discount schedule is a list of (first year, rate) pairs.") from None
    cleaned = tuple(
        sorted(
            (DISCOUNT_BAND_START.check(start), DISCOUNT_RATE.check(rate)) for start, rate in pairs
        )
    )
    if not cleaned or cleaned[0][0] != 0:
        raise EditError("A discount schedule must start at year 0.")
    if len({start for start, _ in cleaned}) != len(cleaned):
        raise EditError("Two discount bands start in the same year.")
    return cleaned


class Factors(dict):
    """Discount factors by year, exact, with the same factors as integers over one common
    denominator, so a present value is one integer sum and one division: Fraction arithmetic
    took a quarter of a second to value a large plan."""

    def __init__(self, years: list[int], exact: list[Fraction]):
        super().__init__(zip(years, exact, strict=True))
        self.denominator = 1
        for f in exact:
            self.denominator = (
                self.denominator * f.denominator // math.gcd(self.denominator, f.denominator)
            )
        self.scaled = {
            y: f.numerator * (self.denominator // f.denominator)
            for y, f in zip(years, exact, strict=True)
        }

    def present_value(self, by_year: dict[int, int]) -> int:
        """Pence today, exact, rounded once to the penny."""
        total = sum(p * self.scaled[y] for y, p in by_year.items() if p)
        return round_ratio(total, self.denominator)


def round_ratio(numerator: int, denominator: int) -> int:
    """numerator / denominator to a whole number, half away from zero (Excel's ROUND)."""
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def round_pence(value: Fraction) -> int:
    """Exact value to whole pence, half up (as Excel's ROUND does for positive amounts and
    away from zero for negative ones)."""
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return int(d.to_integral_value(rounding=ROUND_HALF_UP))
