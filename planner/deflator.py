"""Figures entered in cash (nominal) turned into real terms at the prices of a base year, by the
GDP deflator, as the Green Book asks (appraisal is in real terms: general inflation is taken
out, at the prices of one base year, before discounting).

The series is HM Treasury's GDP deflator at market prices by *calendar* year, as the
``greenbook`` R package holds it (``planner/data/gdp_deflator.csv``, its source and vintage in
the file's header, in the package's words). A plan's years are *financial* years, April to
March. The deflator of the financial year starting in April of t (labelled t/t+1) is

    D(t) = 9/12 x C(t) + 3/12 x C(t + 1)

C the calendar-year index: April to December are nine months of calendar year t, January to
March three months of t + 1. Read another way, a calendar year's index stands for its middle
(1 July); a financial year's middle (1 October of t) is a quarter of the way from t's middle to
t + 1's, so this is the index drawn in a straight line between the two. HM Treasury also
publishes a financial-year series made from the quarters, which the package does not hold;
this is close to it without being it.

After the series' last calendar year L the board states one inflation rate r (basis points),
and C(L + k) = C(L) x (1 + r)^k. So D(L) takes 9/12 of C(L) and 3/12 of C(L) x (1 + r), and
every later financial year's deflator is the one before times (1 + r). A financial year before
the series starts (before 1990-91, which needs 1990 and 1991) has no deflator: a plan in cash
that reaches back before it is refused, in words, when the setting is made.

A cash figure of year t at the prices of base year b is the figure x D(b) / D(t), exactly;
``planner.benefits`` multiplies it out with the line's other adjustments and rounds once.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from planner import fields as F
from planner import years as fy
from planner.errors import EditError
from planner.model import Appraisal, Prices

_FILE = Path(__file__).parent / "data" / "gdp_deflator.csv"


@dataclass(frozen=True)
class Series:
    """The calendar-year index, and where it came from, as its file says."""

    calendar: dict[int, Fraction]  # calendar year -> index (2024 = 100)
    source: str
    last_updated: str
    notes: str
    copied_from: str

    @property
    def first(self) -> int:
        """The first calendar year, which is also the first financial year it covers whole."""
        return min(self.calendar)

    @property
    def last(self) -> int:
        """The last calendar year: every later one grows by the assumed inflation."""
        return max(self.calendar)

    @property
    def words(self) -> str:
        """The source and vintage, for a person."""
        return (
            f"{self.source}; calendar years {self.first} to {self.last}, as the greenbook R "
            f"package had them on {self.last_updated}"
        )


@functools.cache
def series() -> Series:
    """The series in ``planner/data/gdp_deflator.csv``; its ``# key: value`` header lines give
    the source and vintage."""
    about: dict[str, str] = {}
    rows = []
    with open(_FILE, newline="", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                key, sep, value = line[1:].partition(":")
                if sep and key.strip().isidentifier():
                    about[key.strip()] = value.strip()
            else:
                rows.append(line)
    # Read as written ("56.911" is 56911/1000), never through a float.
    calendar = {int(r["year"]): Fraction(r["value"]) for r in csv.DictReader(rows)}
    years = sorted(calendar)
    if years != list(range(years[0], years[-1] + 1)):
        raise ValueError(f"{_FILE.name} misses a year between {years[0]} and {years[-1]}")
    return Series(
        calendar, about["source"], about["last_updated"], about["notes"], about["copied_from"]
    )


def calendar_index(year: int, inflation_bp: int) -> Fraction:
    """C(year): the series' figure, or after it the last one grown by the assumed inflation."""
    s = series()
    if year < s.first:
        raise ValueError(f"The GDP deflator starts in {s.first}; {year} is before it.")
    if year <= s.last:
        return s.calendar[year]
    return s.calendar[s.last] * (1 + Fraction(inflation_bp, 10_000)) ** (year - s.last)


def deflator(year: int, inflation_bp: int) -> Fraction:
    """D(year) of the financial year starting in April of ``year``, exactly (the module's
    rule): 9/12 of its calendar year and 3/12 of the next."""
    return (
        9 * calendar_index(year, inflation_bp) + 3 * calendar_index(year + 1, inflation_bp)
    ) / 12


def multipliers(appraisal: Appraisal, years) -> dict[int, Fraction] | None:
    """What each year's cash is multiplied by to be at the base year's prices, D(base) / D(t),
    exactly; None for figures entered in real terms (taken as they are)."""
    if not appraisal.nominal:
        return None
    r = appraisal.inflation_bp
    base = deflator(appraisal.price_base_year, r)
    return {y: base / deflator(y, r) for y in years}


def check_prices(
    prices: object, base_year: object, inflation_bp: object, plan_years: range
) -> tuple[Prices, int | None, int]:
    """The price settings, checked: real figures have no base year or inflation; cash figures
    have a base year, and every year they and the plan's years need is one the deflator
    covers. ``EditError`` in words otherwise."""
    prices = F.choice(Prices, prices, "prices figures are entered in")
    if prices is Prices.REAL:
        if base_year is not None or inflation_bp != 0:
            raise EditError(
                "Figures entered in real terms are at their own prices already: they have no "
                "price base year or assumed inflation."
            )
        return prices, None, 0
    if base_year is None:
        raise EditError("Figures entered in cash need a price base year to be converted to.")
    base = F.PRICE_BASE_YEAR.check(base_year)
    inflation = F.INFLATION.check(inflation_bp)
    first = series().first
    if base < first:
        raise EditError(
            f"The GDP deflator starts in {fy.label(first)}, so {fy.label(base)} cannot be the "
            f"price base year."
        )
    if plan_years.start < first:
        raise EditError(
            f"The GDP deflator starts in {fy.label(first)}, so figures from "
            f"{fy.label(plan_years.start)} cannot be entered in cash: enter them in real terms."
        )
    return prices, base, inflation
