import pytest

from planner import money


@pytest.mark.parametrize(
    "typed, pence",
    [
        ("1,250,000", 125_000_000),
        ("£1.25m", 125_000_000),
        ("1250k", 125_000_000),
        ("£1,250,000.50", 125_000_050),
        ("0.01", 1),
        ("2bn", 200_000_000_000),
        ("£ 3.5 m", 350_000_000),
        ("GBP 12", 1200),
        (".5k", 50_000),
    ],
)
def test_parses_what_finance_officers_type(typed, pence):
    assert money.parse(typed) == pence


@pytest.mark.parametrize("typed", ["(1,000)", "-1000", "-£1k"])
def test_negatives_only_where_allowed(typed):
    with pytest.raises(money.MoneyError, match="negative"):
        money.parse(typed)
    assert money.parse(typed, allow_negative=True) < 0


@pytest.mark.parametrize(
    "typed", ["", "abc", "1,25,000", "1.001", "NaN", "inf", "1e6", "£", "12.5.3", "1,000,,000"]
)
def test_refuses_nonsense(typed):
    with pytest.raises(money.MoneyError):
        money.parse(typed)


def test_refuses_absurd_amounts():
    with pytest.raises(money.MoneyError, match="zeros"):
        money.parse("999bn")
    assert money.parse("100bn") == money.MAX_PENCE


def test_formats_pounds_and_negatives():
    assert money.format(123_456_789) == "£1,234,568"  # rounds half up to whole pounds
    assert money.format(123_456_750) == "£1,234,568"
    assert money.format(-123_456_700, brackets=True) == "(£1,234,567)"
    assert money.format(-123_456_700) == "-£1,234,567"
    assert money.format(-49) == "£0"  # rounds to zero: no "-£0"
    assert money.format(123_456_789, show_pence=True) == "£1,234,567.89"
    assert money.format_millions(1_234_567_800) == "£12.3m"


def test_formats_any_integer_without_running_out_of_digits():
    assert money.format(10**40).startswith("£100,000,000,000,000,000,000")
