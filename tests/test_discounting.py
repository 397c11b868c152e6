"""Green Book discount factors against the published table, to four decimal places."""

from fractions import Fraction

import pytest

from planner.discounting import factors, rate_bp, round_pence
from planner.model import GREEN_BOOK_STANDARD

# HM Treasury Green Book, standard rate 3.5% for years 0-30 (DOMAIN.md quotes these).
PUBLISHED = {0: 1.0000, 1: 0.9662, 2: 0.9335, 3: 0.9019, 4: 0.8714, 5: 0.8420, 10: 0.7089}


@pytest.mark.parametrize("year, expected", PUBLISHED.items())
def test_standard_factors_match_the_published_table(year, expected):
    assert round(float(factors(GREEN_BOOK_STANDARD, 40)[year]), 4) == expected


def test_the_rate_steps_down_only_after_year_30():
    f = factors(GREEN_BOOK_STANDARD, 40)
    assert f[30] == Fraction(1) / Fraction(1035, 1000) ** 30
    assert f[31] == f[30] / Fraction(103, 100)
    assert f[35] == f[30] / Fraction(103, 100) ** 5
    assert round(float(f[30]), 4) == 0.3563
    assert rate_bp(GREEN_BOOK_STANDARD, 30) == 350 and rate_bp(GREEN_BOOK_STANDARD, 31) == 300


def test_a_user_schedule():
    health = ((0, 150), (31, 129))
    assert round(float(factors(health, 3)[2]), 4) == round(1 / 1.015**2, 4)


def test_rounding_half_up_to_pence():
    assert round_pence(Fraction(201, 2)) == 101
    assert round_pence(Fraction(-201, 2)) == -101
    assert round_pence(Fraction(199, 2)) == 100
