"""The bundled samples (the Whole Place pilots and a Better Care Fund): they load, match their
JSON, and show what the app is for."""

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
def test_each_sample_says_its_figures_are_illustrative(name):
    plan = samples.load(name)
    assert "illustrative" in plan.description.lower()
    assert plan.schemes and plan.contributions
    if name in samples.PILOTS:  # a Whole Place pilot brought many partners together
        assert len(plan.bodies) >= 5


def test_the_better_care_fund_sample_opens_on_a_projected_overspend_split_by_its_agreement():
    from planner.model import Role, Schedule
    from planner.monitoring import year_report

    plan = samples.load("anyshire-bcf")
    kinds = sorted(b.kind.value for b in plan.bodies.values())
    assert kinds == ["ccg_icb", "council"]
    assert [b.role for b in plan.bodies.values()].count(Role.HOST) == 1
    names = " ".join(s.name for s in plan.settlements.values())
    for stream in ("NHS minimum", "Disabled Facilities Grant", "Improved Better Care Fund",
                   "additional"):  # fmt: skip
        assert stream.lower() in names.lower()
    assert any(s.schedule is Schedule.MONTHLY for s in plan.settlements.values())
    assert all("BCF scheme type" in s.description and s.provider for s in plan.schemes.values())
    shared = plan.risk_share.shared
    assert shared and set(plan.schemes) - shared  # fixed lines beside shared ones
    r = year_report(plan)
    assert r.quarters_reported == 2 and r.variance > r.threshold  # a projected overspend
    assert sum(s.pence for s in r.risk.steps) == r.risk.net + sum(
        line.outturn.variance for line in r.schemes if not line.shared
    )


def test_between_them_the_samples_show_every_finding():
    codes = {f.code for name in samples.NAMES for f in find(samples.load(name))}
    # The one monitored sample projects an overspend; its mirror, an underspend, is shown by
    # tests/test_monitoring_store.py.
    assert codes == set(Code) - {Code.PROJECTED_UNDERSPEND}


def test_unknown_sample_is_a_clear_error():
    with pytest.raises(Exception, match="no sample called 'york'"):
        samples.load("york")
