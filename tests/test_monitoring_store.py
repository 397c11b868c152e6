"""In-year monitoring and the risk-share agreement as a plan file holds them: every edit
checked and undoable, the agreement part of the fingerprint and the actuals not, and the
year's outturn and its split worked by hand to the penny."""

import datetime as dt

import pytest
from builders import altered
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import jsonio, report
from planner.errors import EditError, PlanFormatError
from planner.excel.fingerprint import fingerprint
from planner.model import (
    Body,
    BodyKind,
    Cap,
    CapKind,
    Contribution,
    Method,
    Plan,
    RiskRule,
    Role,
    Schedule,
    Scheme,
    Settlement,
    Underspend,
)
from planner.monitoring import year_report
from planner.risk_share import OUTSIDE_THE_POOL
from planner.store import PlanFile
from planner.store.rows import read_plan

POUND = 100
K = 1_000 * POUND
COUNCIL, ICB = 1, 2
YEAR = 2025
AS_AT = dt.date(2025, 12, 31)  # three quarters reported


def pool(budgets=(1_000 * K, 500 * K, 600 * K), leads=(COUNCIL, ICB, COUNCIL)) -> Plan:
    """A council (host, £600k a year) and an ICB (£400k): 60:40 by contribution. Three schemes
    with the given budgets for 2025-26."""
    p = Plan(name="Pool", first_year=YEAR, years=2)
    p.bodies = {
        COUNCIL: Body(COUNCIL, "Anytown Council", BodyKind.COUNCIL, Role.HOST),
        ICB: Body(ICB, "NHS Anytown ICB", BodyKind.CCG_ICB),
    }
    p.settlements = {1: Settlement(1, ICB, "ICB allocation", schedule=Schedule.QUARTERLY)}
    p.contributions = {
        1: Contribution(1, COUNCIL, YEAR, 600 * K),
        2: Contribution(2, ICB, YEAR, 400 * K, 1),
    }
    p.schemes = {
        i: Scheme(i, f"Scheme {i}", lead, spend={YEAR: budget})
        for i, (budget, lead) in enumerate(zip(budgets, leads, strict=True), start=1)
    }
    return p


@pytest.fixture
def pf(tmp_path):
    with PlanFile.create(tmp_path / "pool.poolplan", pool()) as f:
        f.set_monitoring(year=YEAR, as_at=AS_AT)
        for s in f.plan.schemes.values():  # on budget, until a test says otherwise
            quarter = s.spend[YEAR] // 4
            f.set_actuals([(s.id, YEAR, q, quarter, False) for q in (1, 2, 3)])
        yield f


def spend(pf, scheme_id, quarters):
    pf.set_actuals([(scheme_id, YEAR, q, p, p < 0) for q, p in quarters.items()])


def forecast_to(pf, scheme_id, outturn_pence):
    """Make a scheme's forecast outturn ``outturn_pence``: three quarters of actuals at a
    quarter of it each and the rest entered."""
    quarter = outturn_pence // 4
    spend(pf, scheme_id, {1: quarter, 2: quarter, 3: quarter})
    pf.update_scheme_year(
        scheme_id, YEAR, method=Method.ENTERED, forecast_pence=outturn_pence - 3 * quarter,
        reason="the provider's own forecast",
    )  # fmt: skip


def steps(r):
    return [(s.body_id, s.pence) for s in r.risk.steps]


def test_an_overspend_netted_against_two_underspends_is_shared_60_40(pf):
    """One scheme £450,000 over, two others £30,000 and £45,000 under: £375,000 net, 60:40."""
    pf.set_risk_share(
        shared=frozenset({1, 2, 3}), rule=RiskRule.AGREED, percent_bp={COUNCIL: 6000, ICB: 4000}
    )
    forecast_to(pf, 1, 1_450 * K)
    forecast_to(pf, 2, 470 * K)
    forecast_to(pf, 3, 555 * K)
    r = year_report(pf.plan)
    assert [s.outturn.variance for s in r.schemes] == [450 * K, -30 * K, -45 * K]
    assert r.risk.net == 375 * K
    assert steps(r) == [(COUNCIL, 225 * K), (ICB, 150 * K)]


def test_a_pro_rata_split_with_a_cap_that_binds(pf):
    """£100,000 net over, pro rata 60:40 would give the ICB £40,000; its cap is £25,000, so the
    council (host, uncapped) takes the other £15,000 as host."""
    pf.set_risk_share(shared=frozenset({1}), caps={ICB: Cap(CapKind.AMOUNT, 25 * K)})
    forecast_to(pf, 1, 1_100 * K)
    r = year_report(pf.plan)
    assert r.risk.net == 100 * K
    assert r.risk.borne_by(ICB) == 25 * K
    assert r.risk.borne_by(COUNCIL) == 75 * K
    assert sum(p for _, p in steps(r)) == 100 * K


def test_a_cap_at_the_contribution_and_a_capped_host_leave_the_rest_outside_the_pool(pf):
    pf.set_risk_share(
        shared=frozenset({1}),
        caps={ICB: Cap(CapKind.CONTRIBUTION), COUNCIL: Cap(CapKind.AMOUNT, 700 * K)},
    )
    forecast_to(pf, 1, 3_000 * K)  # £2m over: the ICB's share 800k passes its 400k contribution
    r = year_report(pf.plan)
    assert r.risk.borne_by(ICB) == 400 * K
    assert r.risk.borne_by(COUNCIL) == 700 * K
    outside = [s for s in r.risk.steps if s.body_id is None]
    assert [s.pence for s in outside] == [900 * K] and OUTSIDE_THE_POOL in outside[0].why


def test_an_order_of_cover_that_uses_part_of_a_risk_reserve(pf):
    pf.set_risk_share(shared=frozenset({1, 2}), reserve_pence=250 * K)
    forecast_to(pf, 1, 1_200 * K)  # £200k over
    forecast_to(pf, 2, 480 * K)  # £20k under
    r = year_report(pf.plan)
    assert steps(r) == [(None, 180 * K)]  # £180k net, from the £250k reserve; £70k left in it
    assert "reserve" in r.risk.steps[0].why


def test_a_fixed_line_beside_a_shared_one(pf):
    pf.set_risk_share(shared=frozenset({1}))  # schemes 2 (ICB) and 3 (council) are fixed
    forecast_to(pf, 1, 1_010 * K)  # £10k over, shared 60:40
    forecast_to(pf, 2, 550 * K)  # £50k over on the ICB's fixed line
    forecast_to(pf, 3, 590 * K)  # £10k under on the council's: not netted
    r = year_report(pf.plan)
    assert r.risk.net == 10 * K
    assert r.risk.borne_by(ICB) == 50 * K + 4 * K
    assert r.risk.borne_by(COUNCIL) == -10 * K + 6 * K


def test_an_underspend_returned_pro_rata_to_contributions(pf):
    pf.set_risk_share(shared=frozenset({1, 2, 3}), underspend=Underspend.RETURN)
    forecast_to(pf, 1, 900 * K)
    forecast_to(pf, 2, 500 * K)
    forecast_to(pf, 3, 600 * K - 1)  # a penny more under: 100,000.01 returned 60:40
    r = year_report(pf.plan)
    assert r.risk.net == -(100 * K + 1)
    assert steps(r) == [(COUNCIL, -(60 * K + 1)), (ICB, -40 * K)]  # the larger takes the penny


def test_what_if_changes_the_split_and_not_the_actuals(pf):
    pf.set_risk_share(shared=frozenset({1, 2, 3}), reserve_pence=50 * K)
    forecast_to(pf, 1, 1_000 * K)
    before = jsonio.dumps(pf.plan)
    r = year_report(pf.plan, scenario=250 * K)
    assert steps(r) == [(None, 50 * K), (COUNCIL, 120 * K), (ICB, 80 * K)]
    assert jsonio.dumps(pf.plan) == before
    assert year_report(pf.plan).risk.net == 0


def test_money_due_quarterly_and_monthly_against_money_received(pf):
    pf.update_settlement(1, schedule=Schedule.MONTHLY)
    pf.set_received(ICB, YEAR, 1, 100 * K)
    pf.set_received(COUNCIL, YEAR, 1, 150 * K)
    r = year_report(pf.plan)
    icb, council = r.bodies[ICB], r.bodies[COUNCIL]
    # £400,000 in twelve monthly instalments of £33,333.33, the first month taking the four
    # balancing pennies.
    assert icb.due == {1: 100 * K + 3, 2: 100 * K - 1, 3: 100 * K - 1, 4: 100 * K - 1}
    assert icb.payments.due_to_date == 300 * K + 1 and icb.payments.unpaid == 200 * K + 1
    assert council.payments.unpaid == 450 * K - 150 * K
    codes = {f.code.value for f in report_findings(pf)}
    assert "unpaid-contribution" in codes


def report_findings(pf):
    from planner.findings import monitoring_findings

    return monitoring_findings(pf.plan)


# -- what a file keeps --------------------------------------------------------------------------


def test_actuals_do_not_touch_the_fingerprint_and_the_agreement_does(pf):
    signed = fingerprint(pf.plan)
    spend(pf, 1, {1: 10 * K, 2: -5 * K})
    pf.update_scheme_year(1, YEAR, explanation="A refund from the provider.")
    pf.set_received(ICB, YEAR, 1, 100 * K)
    pf.set_monitoring(threshold_bp=200)
    assert fingerprint(pf.plan) == signed
    assert pf.plan.version == 1  # and no new version
    pf.set_risk_share(shared=frozenset({1}))
    assert fingerprint(pf.plan) != signed


def test_a_plan_without_format_3_data_dumps_as_format_2_so_old_fingerprints_hold():
    assert jsonio.to_dict(pool())["format_version"] == 2
    p = pool()
    p.monitoring.year = YEAR
    assert jsonio.to_dict(p)["format_version"] == 3
    assert jsonio.to_dict(p, monitoring=False)["format_version"] == 2


def test_every_monitoring_edit_is_undone_exactly_after_ten_others(pf):
    pf.set_risk_share(shared=frozenset({1, 2}), caps={ICB: Cap(CapKind.AMOUNT, 5 * K)})
    pristine = jsonio.dumps(pf.plan)
    edits = []
    for step in (
        lambda: spend(pf, 1, {1: 10 * K}),
        lambda: spend(pf, 1, {2: -3 * K}),
        lambda: pf.update_scheme_year(1, YEAR, method=Method.RUN_RATE),
        lambda: pf.update_scheme_year(2, YEAR, profile_bp=(1000, 2000, 3000, 4000)),
        lambda: pf.update_scheme_year(2, YEAR, explanation="Winter pressures."),
        lambda: pf.set_received(ICB, YEAR, 2, 77 * K),
        lambda: pf.set_monitoring(threshold_bp=250),
        lambda: pf.set_risk_share(rule=RiskRule.COMMISSIONER, reserve_pence=9 * K),
        lambda: pf.update_settlement(1, schedule=Schedule.MONTHLY),
        lambda: spend(pf, 3, {1: 1, 2: 2, 3: 3}),
        lambda: pf.delete_scheme(2),  # its monitoring and its shared line go with it
    ):
        step()
        edits.append(pf.last_edit)
        assert read_plan(pf._conn) == pf.plan
    for edit in reversed(edits):
        pf.undo(edit)
        assert read_plan(pf._conn) == pf.plan
    assert jsonio.dumps(pf.plan) == pristine


def test_the_json_round_trip_is_exact(pf):
    pf.set_risk_share(
        shared=frozenset({1, 3}),
        rule=RiskRule.AGREED,
        percent_bp={COUNCIL: 5000, ICB: 5000},
        caps={ICB: Cap(CapKind.CONTRIBUTION)},
        reserve_pence=12_345,
        underspend=Underspend.OFFSET,
    )
    spend(pf, 1, {1: 10 * K, 2: -5 * K, 3: 0})
    pf.update_scheme_year(
        3, YEAR, method=Method.ENTERED, forecast_pence=7, reason="r", uncommitted_pence=9,
        profile_bp=(0, 0, 5000, 5000),
    )  # fmt: skip
    pf.set_received(ICB, YEAR + 1, 4, 1)
    pf.update_settlement(1, schedule=Schedule.MONTHLY)
    text = jsonio.dumps(pf.plan)
    again = jsonio.loads(text)
    assert again == pf.plan
    assert jsonio.dumps(again) == text


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "edit, phrase",
    [
        (lambda pf: pf.set_actual(1, YEAR, 1, -5 * K), "only as a refund"),
        (lambda pf: pf.set_actual(1, YEAR, 1, 5 * K, refund=True), "refund is entered as a neg"),
        (lambda pf: pf.set_actual(1, YEAR, 4, 5 * K), "has not ended"),
        (lambda pf: pf.set_actual(1, YEAR + 5, 1, 5 * K), "outside the plan"),
        (lambda pf: pf.set_actual(1, YEAR, 1, 10**20), "more than £100,000,000,000"),
        (lambda pf: pf.set_actual(1, YEAR, 5, 1), "quarter is 1 to 4"),
        (lambda pf: pf.set_actual(99, YEAR, 1, 1), "no scheme"),
        (lambda pf: pf.set_risk_share(rule=RiskRule.AGREED, percent_bp={1: 6000, 2: 3000}), "90%"),
        (lambda pf: pf.set_risk_share(caps={ICB: Cap(CapKind.AMOUNT, -1)}), "negative"),
        (lambda pf: pf.set_risk_share(caps={7: Cap(CapKind.AMOUNT, 1)}), "no body"),
        (lambda pf: pf.set_risk_share(shared=frozenset({99})), "no scheme"),
        (lambda pf: pf.update_scheme_year(1, YEAR, explanation="x" * 2001), "2,000"),
        (lambda pf: pf.update_scheme_year(1, YEAR, method=Method.ENTERED), "needs a reason"),
        (lambda pf: pf.update_scheme_year(1, YEAR, profile_bp=(5000, 5000, 1, 0)), "100.01%"),
        (lambda pf: pf.set_received(ICB, YEAR, 1, -1), "negative"),
        (lambda pf: pf.set_monitoring(year=YEAR + 9), "outside the plan"),
        (lambda pf: pf.set_monitoring(threshold_bp=0), "threshold"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_plan_unchanged(pf, edit, phrase):
    spend(pf, 1, {1: 3 * K})
    before, entries = jsonio.dumps(pf.plan), len(pf.history())
    with pytest.raises(EditError, match=phrase):
        edit(pf)
    assert jsonio.dumps(pf.plan) == before
    assert read_plan(pf._conn) == pf.plan
    assert len(pf.history()) == entries


def test_the_as_at_date_cannot_move_before_a_quarter_with_actuals(pf):
    spend(pf, 1, {3: 3 * K})
    with pytest.raises(EditError, match="Q3 .*would not have ended"):
        pf.set_monitoring(as_at=dt.date(2025, 10, 1))
    pf.set_monitoring(as_at=dt.date(2026, 1, 31))  # later is fine
    assert pf.plan.monitoring.as_at == dt.date(2026, 1, 31)


@pytest.mark.parametrize(
    "change, phrase",
    [
        (lambda m: m["schemes"][0]["actuals"].update(Q1=-5), "refund"),
        (lambda m: m["schemes"][0]["actuals"].update(Q4=5), "not ended"),
        (lambda m: m["schemes"][0]["actuals"].update(Q5=5), "not a quarter"),
        (lambda m: m["schemes"][0].update(refunds=["Q2"]), "refund"),
        (lambda m: m["schemes"][0].update(profile_bp=[1, 2, 3]), "four shares"),
        (lambda m: m["schemes"][0].update(scheme_id=99), "no scheme"),
        (lambda m: m.update(year="2040-41"), "outside the plan"),
        (lambda m: m["received"][0]["by_quarter"].update(Q1=1.5), "whole number"),
    ],
)
def test_a_hand_edited_monitoring_section_is_refused_naming_the_field(pf, change, phrase):
    spend(pf, 1, {1: 3 * K})
    pf.set_received(ICB, YEAR, 1, 1)
    data = jsonio.to_dict(pf.plan)
    change(data["monitoring"])
    with pytest.raises(PlanFormatError, match=phrase):
        jsonio.from_dict(data)


def test_agreed_percentages_that_do_not_add_up_are_refused_in_json_too():
    data = jsonio.to_dict(pool())
    data["risk_share"] = {"rule": "agreed", "percent_bp": [{"body_id": 1, "percent_bp": 6000}]}
    with pytest.raises(PlanFormatError, match="risk_share: The agreed percentages add up to 60%"):
        jsonio.from_dict(data)


def test_summary_json_gives_the_outturn_and_each_partners_share(pf):
    pf.set_risk_share(shared=frozenset({1, 2, 3}))
    forecast_to(pf, 1, 1_100 * K)
    m = report.summary(pf.plan)["monitoring"]
    assert m["year"] == "2025-26" and m["quarters_reported"] == 3
    assert m["variance_pence"] == 100 * K
    assert m["risk_share"]["by_body_pence"] == {
        "Anytown Council": 60 * K,
        "NHS Anytown ICB": 40 * K,
    }
    first = m["schemes"][0]
    assert [first["quarters"][f"Q{q}"]["kind"] for q in (1, 2, 3, 4)] == ["actual"] * 3 + [
        "forecast"
    ]
    assert sum(v["pence"] for v in first["quarters"].values()) == first["forecast_outturn_pence"]


# -- the property -------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    budgets=st.lists(st.integers(0, 10**9), min_size=1, max_size=5),
    outturns=st.lists(st.integers(0, 2 * 10**9), min_size=5, max_size=5),
    shared=st.lists(st.booleans(), min_size=5, max_size=5),
    contributions=st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)),
    rule=st.sampled_from(list(RiskRule)),
    council_bp=st.integers(0, 10_000),
    caps=st.tuples(st.none() | st.integers(0, 10**9), st.none() | st.integers(0, 10**9)),
    reserve=st.integers(0, 10**9),
    underspend=st.sampled_from(list(Underspend)),
)
def test_for_any_plan_and_agreement_the_steps_add_up_and_no_cap_is_passed(
    budgets, outturns, shared, contributions, rule, council_bp, caps, reserve, underspend
):
    p = pool(tuple(budgets), tuple(COUNCIL if i % 2 else ICB for i in range(len(budgets))))
    p.contributions[1].amount_pence, p.contributions[2].amount_pence = contributions
    p.risk_share.rule, p.risk_share.reserve_pence = rule, reserve
    p.risk_share.underspend = underspend
    p.risk_share.shared = frozenset(i for i in p.schemes if shared[i - 1])
    p.risk_share.percent_bp = {COUNCIL: council_bp, ICB: 10_000 - council_bp}
    p.risk_share.caps = {
        b: Cap(CapKind.AMOUNT, c)
        for b, c in zip((COUNCIL, ICB), caps, strict=True)
        if c is not None
    }
    p.monitoring.year, p.monitoring.as_at = YEAR, dt.date(2026, 3, 31)  # the year is done
    from planner.model import Actual, SchemeYearMonitoring

    for i, s in p.schemes.items():
        s.monitored[YEAR] = SchemeYearMonitoring({4: Actual(outturns[i - 1])})
    r = year_report(p)
    net = sum(line.outturn.variance for line in r.schemes if line.shared)
    fixed = sum(line.outturn.variance for line in r.schemes if not line.shared)
    assert r.risk.net == net
    assert sum(s.pence for s in r.risk.steps) == net + fixed  # outside the pool included
    for b, cap in p.risk_share.caps.items():
        shared_part = sum(
            s.pence for s in r.risk.steps if s.body_id == b and "fixed line" not in s.why
        )
        assert shared_part <= cap.amount_pence or shared_part < 0


def test_the_report_worked_again_for_one_scheme_is_the_report_worked_from_nothing(pf):
    """What the open plan keeps between edits (planner.analysis) after each monitoring edit:
    the same report and the same findings as working everything again."""
    from planner.analysis import Analysis
    from planner.findings import find

    analysis = Analysis(pf.plan)
    for step in (
        lambda: spend(pf, 1, {1: 10 * K}),
        lambda: spend(pf, 2, {3: -1 * K}),
        lambda: pf.update_scheme_year(3, YEAR, explanation="Agreed with the provider."),
        lambda: pf.update_scheme_year(2, YEAR, method=Method.RUN_RATE),
        lambda: pf.set_received(ICB, YEAR, 1, 7 * K),
        lambda: pf.set_actual(1, YEAR, 2, None),
        lambda: pf.set_monitoring(threshold_bp=5),
        lambda: pf.set_risk_share(shared=frozenset({2, 3})),
        lambda: pf.set_contribution(ICB, YEAR, 900 * K, 1),  # the pool, so the threshold
        lambda: pf.update_scheme(3, lead_body_id=None),  # led by the host now
        lambda: pf.update_body(COUNCIL, role="contributor"),  # and the host is no one
        lambda: pf.set_contribution(COUNCIL, YEAR, 1),
    ):
        step()
        change = pf.last_edit.change
        if change.tables <= {"monitoring", "risk_share"}:
            analysis.refresh(monitoring_only=True, change=change)
        elif change.tables == {"schemes"}:
            analysis.refresh(spending=True)
        else:  # a contribution or a body: its figures, as the window refreshes them
            analysis.refresh(change.body_ids)
        fresh = year_report(pf.plan)
        assert analysis.report.schemes == fresh.schemes
        assert analysis.report.bodies == fresh.bodies
        assert analysis.report.risk == fresh.risk
        assert (analysis.report.outturn, analysis.report.threshold) == (
            fresh.outturn,
            fresh.threshold,
        )
        assert analysis.findings == find(pf.plan)


# -- rules between rows: kept by undo, revert and deletion too; refused in a received file --


def test_a_revert_or_undo_that_would_leave_an_actual_after_the_as_at_date_is_refused(pf):
    pf.set_monitoring(as_at=dt.date(2026, 3, 31))
    moved, moving = pf.history()[-1].id, pf.last_edit
    pf.set_actual(1, YEAR, 4, 7)  # Q4: ended by 31 March 2026
    before = jsonio.dumps(pf.plan)
    with pytest.raises(EditError, match="actual is for a quarter ended by the as-at date"):
        pf.revert([moved])  # would take the as-at date back to 31 December, under Q4's actual
    assert jsonio.dumps(pf.plan) == before and read_plan(pf._conn) == pf.plan
    with pytest.raises(EditError, match="quarter ended by the as-at date"):
        pf.undo(moving)  # out of order, as the history's undo of one entry would
    assert jsonio.dumps(pf.plan) == before and read_plan(pf._conn) == pf.plan


def test_deleting_a_partner_with_an_agreed_share_is_refused_until_the_agreement_changes(pf):
    pf.set_risk_share(rule=RiskRule.AGREED, percent_bp={COUNCIL: 6000, ICB: 4000})
    before = jsonio.dumps(pf.plan)
    with pytest.raises(EditError, match="percentages add up to 100%"):
        pf.delete_body(ICB)
    assert jsonio.dumps(pf.plan) == before
    pf.set_risk_share(rule=RiskRule.PRO_RATA, percent_bp={})
    pf.delete_body(ICB)  # now it may go
    assert ICB not in pf.plan.bodies


@pytest.mark.parametrize(
    "sql, phrase",
    [
        ("UPDATE scheme_actual SET year = 2025.5", "year is a whole number"),
        ("UPDATE scheme_actual SET quarter = 1.5 WHERE quarter = 1", "quarter is a whole number"),
        ("UPDATE contribution SET year = 2025.5", "year is a whole number"),
        (
            "UPDATE scheme_monitoring SET q1_bp = 2500, q2_bp = 2499.5, q3_bp = 2500.5, "
            "q4_bp = 2500",
            "share of the budget is a whole number",
        ),
        ("INSERT INTO risk_share_percent VALUES (1, 3000)", "add up to 100%"),
        ("UPDATE risk_share SET rule = 'agreed'", "add up to 100%"),
        ("UPDATE scheme_monitoring SET method = 'entered', reason = ''", "gives its reason"),
        ("DELETE FROM monitoring", "keeps its monitoring settings"),
        ("DELETE FROM risk_share", "keeps its risk-share rule"),
    ],
)
def test_a_file_altered_to_break_a_rule_between_rows_is_refused_on_opening(tmp_path, sql, phrase):

    from planner.errors import PlanFileError

    path = tmp_path / "altered.poolplan"
    with PlanFile.create(path, pool()) as f:
        f.set_monitoring(year=YEAR, as_at=AS_AT)
        f.set_actual(1, YEAR, 1, 5)
        f.update_scheme_year(1, YEAR, explanation="x")
    altered(path, sql)
    with pytest.raises(PlanFileError, match=phrase):
        PlanFile.open(path)


@pytest.mark.parametrize(
    "fields", [{"shared": 5}, {"shared": None}, {"percent_bp": "x"}, {"caps": None}]
)
def test_an_agreement_given_in_the_wrong_shape_is_refused_in_words(pf, fields):
    before = jsonio.dumps(pf.plan)
    with pytest.raises(EditError, match="agreement takes its shared lines"):
        pf.set_risk_share(**fields)
    assert jsonio.dumps(pf.plan) == before
