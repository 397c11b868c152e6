"""The bundled Whole Place pilots: they load, match their JSON, and show what the app is for."""

from pathlib import Path

import pytest

from planner import jsonio, samples
from planner.findings import Code, find
from planner.store import PlanFile

SAMPLE_PLANS = Path(__file__).parent.parent / "sample_plans"


@pytest.mark.parametrize("name", samples.NAMES)
def test_committed_plan_file_matches_its_json(name):
    with PlanFile.open(SAMPLE_PLANS / f"{name}.poolplan", read_only=True) as pf:
        assert jsonio.dumps(pf.plan) == jsonio.dumps(samples.load(name)), (
            "rebuild with: python -m planner.samples sample_plans"
        )


@pytest.mark.parametrize("name", samples.NAMES)
def test_each_sample_shows_a_short_settlement_inside_a_multi_year_plan(name):
    plan = samples.load(name)
    assert plan.years >= 5
    short = [f for f in find(plan) if f.code is Code.SHORT_SETTLEMENT_CYCLE]
    assert any("1 year at a time" in f.message for f in short)


@pytest.mark.parametrize("name", samples.NAMES)
def test_each_sample_says_its_split_is_illustrative(name):
    plan = samples.load(name)
    assert "illustrative" in plan.description.lower()
    assert len(plan.bodies) >= 5 and plan.schemes and plan.contributions


def test_between_them_the_samples_show_every_finding():
    codes = {f.code for name in samples.NAMES for f in find(samples.load(name))}
    assert codes == set(Code)


def test_unknown_sample_is_a_clear_error():
    with pytest.raises(Exception, match="no sample called 'york'"):
        samples.load("york")
