"""Random sequences of edits through the plan file, as the app makes them: after every edit the
figures reconcile, the incremental analysis equals a full recompute, and the file holds exactly
what memory holds."""

from builders import worked_example
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.analysis import Analysis
from planner.errors import PlannerError
from planner.figures import compute
from planner.findings import find
from planner.model import Certainty, SettlementYear
from planner.store import PlanFile

YEARS = [2025, 2026, 2027]
amounts = st.none() | st.integers(0, 10**11)
edits = st.one_of(
    st.tuples(
        st.just("contribution"),
        st.integers(1, 5),
        st.sampled_from(YEARS),
        st.sampled_from([None, 1, 2, 3]),
        amounts,
    ),
    st.tuples(
        st.just("settlement"),
        st.integers(1, 3),
        st.sampled_from(YEARS),
        st.sampled_from([None, Certainty.CONFIRMED, Certainty.INDICATIVE]),
        amounts,
    ),
    st.tuples(st.just("spend"), st.integers(1, 2), st.sampled_from(YEARS), amounts),
    st.tuples(st.just("add_body"), st.text(min_size=1, max_size=12)),
    st.tuples(st.just("delete_body"), st.integers(1, 5)),
)


def apply(pf: PlanFile, edit) -> set[int]:
    """Make one edit; the bodies it touched (empty: the plan's shape changed)."""
    kind = edit[0]
    if kind == "contribution":
        _, body, year, sid, amount = edit
        pf.set_contribution(body, year, amount, settlement_id=sid)
        return {body}
    if kind == "settlement":
        _, sid, year, status, amount = edit
        pf.set_settlement_year(
            sid, year, None if status is None else SettlementYear(status, amount)
        )
        return {pf.plan.settlements[sid].body_id}
    if kind == "spend":
        _, scheme, year, amount = edit
        pf.set_scheme_spend(scheme, year, amount)
        return set()
    if kind == "add_body":
        pf.add_body(edit[1], "other")
        return set()
    pf.delete_body(edit[1])
    return set()


@settings(max_examples=25, deadline=None)
@given(st.lists(edits, min_size=1, max_size=15))
def test_any_sequence_of_edits_keeps_the_plan_whole(tmp_path_factory, sequence):
    path = tmp_path_factory.mktemp("seq") / "p.poolplan"
    with PlanFile.create(path, worked_example()) as pf:
        analysis = Analysis(pf.plan)
        for edit in sequence:
            try:
                touched = apply(pf, edit)
            except PlannerError:
                continue  # refused, with a reason: the plan must be as it was
            if touched:
                analysis.refresh(touched)
            else:
                analysis.recompute()
            full = compute(pf.plan)
            for yf in full.years.values():
                c = yf.contributions
                assert c.confirmed + c.indicative + c.unfunded == c.total
                assert yf.at_risk == c.indicative + c.unfunded
            assert analysis.figures.years == full.years
            assert analysis.findings == find(pf.plan)
        with PlanFile.open(path, read_only=True) as again:
            assert again.plan == pf.plan
