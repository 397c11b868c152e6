import pytest

from planner import years as fy


@pytest.mark.parametrize("text", ["2025-26", "2025/26", " 2025 - 26 ", "2025-2026", "2025\u201326"])
def test_accepts_both_label_styles(text):
    assert fy.parse(text) == 2025


def test_century_boundary_label():
    assert fy.label(2099) == "2099-00"
    assert fy.parse("2099-00") == 2099


@pytest.mark.parametrize(
    "text", ["2025-27", "2025", "25-26", "", "2025-26-27", "abcd-ef", "1800-01"]
)
def test_refuses_what_is_not_a_financial_year(text):
    with pytest.raises(fy.YearError):
        fy.parse(text)


def test_describe_range_collapses_runs():
    assert fy.describe_range([2026, 2027, 2028, 2030]) == "2026-27 to 2028-29, 2030-31"
    assert fy.describe_range([2026, 2027]) == "2026-27 and 2027-28"
