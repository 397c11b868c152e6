"""Incremental figures and findings always equal a full recomputation."""

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import plans

from planner.analysis import Analysis
from planner.figures import compute
from planner.findings import find
from planner.model import Certainty, Contribution, SettlementYear


def same(analysis, plan):
    full = compute(plan)
    assert analysis.figures.years == full.years
    assert analysis.figures.bodies == full.bodies
    assert analysis.findings == find(plan)


@settings(max_examples=60, deadline=None)
@given(plans(), st.data())
def test_refresh_after_edits_equals_a_full_recompute(plan, data):
    analysis = Analysis(plan)
    for _ in range(data.draw(st.integers(1, 6))):
        body_id = data.draw(st.sampled_from(list(plan.bodies)))
        kind = data.draw(st.sampled_from(["contribution", "settlement", "rename", "spend"]))
        own = [s for s in plan.settlements.values() if s.body_id == body_id]
        year = data.draw(st.sampled_from(list(plan.year_range)))
        spending = False
        if kind == "contribution":
            sid = data.draw(st.sampled_from([None, *[s.id for s in own]]))
            existing = next(
                (
                    c
                    for c in plan.contributions.values()
                    if (c.body_id, c.year, c.settlement_id) == (body_id, year, sid)
                ),
                None,
            )
            amount = data.draw(st.integers(0, 10**10))
            if existing and data.draw(st.booleans()):
                del plan.contributions[existing.id]
            elif existing:
                existing.amount_pence = amount
            else:
                cid = max(plan.contributions, default=0) + 1
                plan.contributions[cid] = Contribution(cid, body_id, year, amount, sid)
        elif kind == "settlement" and own:
            s = data.draw(st.sampled_from(own))
            if data.draw(st.booleans()):
                s.years.pop(year, None)
            else:
                s.years[year] = SettlementYear(
                    data.draw(st.sampled_from([Certainty.CONFIRMED, Certainty.INDICATIVE])),
                    data.draw(st.none() | st.integers(0, 10**10)),
                )
        elif kind == "rename":
            plan.bodies[body_id].name = f"Renamed {body_id}"
        elif kind == "spend" and plan.schemes:
            scheme = plan.schemes[data.draw(st.sampled_from(list(plan.schemes)))]
            scheme.spend[year] = data.draw(st.integers(0, 10**10))
            spending = True
        analysis.refresh([body_id], spending=spending)
        same(analysis, plan)


def test_a_new_body_forces_a_full_recompute(example_plan):
    from planner.model import Body, BodyKind

    analysis = Analysis(example_plan)
    example_plan.bodies[9] = Body(9, "New body", BodyKind.FIRE)
    example_plan.contributions[99] = Contribution(99, 9, 2025, 500, None)
    analysis.refresh([9])
    same(analysis, example_plan)
