"""The risk-share schedule: who bears an overspend through the order of cover, and where an
underspend goes; every split in whole pence, adding up exactly, no partner past its cap."""

from hypothesis import given
from hypothesis import strategies as st

from planner.risk_share import (
    OUTSIDE_THE_POOL,
    Agreement,
    Line,
    Rule,
    Underspend,
    capped_split,
    share,
)

COUNCIL, ICB = 1, 2
CONTRIBUTIONS = {COUNCIL: 60_000_000_00, ICB: 40_000_000_00}  # £60m and £40m


def test_an_overspend_is_covered_in_order_reserve_uncommitted_then_partners_pro_rata():
    lines = [
        Line(1, COUNCIL, 3_000_000_00, uncommitted=500_000_00),  # £3m over, £0.5m uncommitted
        Line(2, ICB, -1_000_000_00),  # £1m under: netted first
    ]
    agreement = Agreement(Rule.PRO_RATA, host_body_id=COUNCIL, reserve=250_000_00)
    outcome = share(lines, agreement, CONTRIBUTIONS)
    assert outcome.net == 2_000_000_00
    assert [(s.body_id, s.pence) for s in outcome.steps] == [
        (None, 250_000_00),  # the reserve
        (None, 500_000_00),  # uncommitted scheme money
        (COUNCIL, 750_000_00),  # then 60:40 of the £1.25m left
        (ICB, 500_000_00),
    ]
    assert sum(s.pence for s in outcome.steps) == outcome.net


def test_a_fixed_line_stays_with_its_lead_and_is_not_netted():
    lines = [Line(1, ICB, 400_000_00, shared=False), Line(2, COUNCIL, -100_000_00)]
    outcome = share(lines, Agreement(underspend=Underspend.RETURN), CONTRIBUTIONS)
    assert outcome.net == -100_000_00  # the shared line's underspend alone
    assert outcome.statement(ICB)[0].pence == 400_000_00
    assert "fixed line" in outcome.statement(ICB)[0].why
    # The underspend returned 60:40.
    assert outcome.borne_by(COUNCIL) == -60_000_00
    assert outcome.borne_by(ICB) == 400_000_00 - 40_000_00


def test_caps_pass_the_rest_to_the_host_then_outside_the_pool():
    lines = [Line(1, COUNCIL, 1_000_000_00)]
    agreement = Agreement(
        Rule.AGREED,
        host_body_id=COUNCIL,
        percent_bp={COUNCIL: 5_000, ICB: 5_000},
        caps={ICB: 200_000_00, COUNCIL: 600_000_00},
    )
    outcome = share(lines, agreement, CONTRIBUTIONS)
    assert outcome.borne_by(ICB) == 200_000_00  # capped
    assert outcome.borne_by(COUNCIL) == 600_000_00  # its share, then the host's extra to its cap
    outside = [s for s in outcome.steps if s.body_id is None]
    assert [s.pence for s in outside] == [200_000_00] and OUTSIDE_THE_POOL in outside[0].why
    assert sum(s.pence for s in outcome.steps) == outcome.net


def test_each_partner_bears_the_shared_schemes_it_commissions():
    lines = [Line(1, COUNCIL, 300_00), Line(2, ICB, 100_00), Line(3, ICB, -50_00)]
    outcome = share(lines, Agreement(Rule.COMMISSIONER), CONTRIBUTIONS)
    assert outcome.net == 350_00
    # Each lead's own shared lines, netted: the council's £300 over, the ICB's £50 net.
    assert (outcome.borne_by(COUNCIL), outcome.borne_by(ICB)) == (300_00, 50_00)


def test_a_kept_underspend_stays_in_the_pool():
    outcome = share([Line(1, COUNCIL, -10_00)], Agreement(), CONTRIBUTIONS)
    assert [(s.body_id, s.pence) for s in outcome.steps] == [(None, -10_00)]


bodies = st.dictionaries(st.integers(1, 6), st.integers(0, 10**12), min_size=1, max_size=6)


@given(
    total=st.integers(0, 10**12),
    weights=bodies,
    caps=st.dictionaries(st.integers(1, 6), st.integers(0, 10**12), max_size=6),
)
def test_a_capped_split_never_passes_a_cap_and_splits_exactly_what_fits(total, weights, caps):
    out = capped_split(total, weights, caps)
    assert all(p >= 0 for p in out.values())
    assert all(out[b] <= caps[b] for b in out if b in caps)
    live = [b for b, w in weights.items() if w > 0]
    if any(b not in caps for b in live):  # someone without a cap can take the rest
        assert sum(out.values()) == (total if live else 0)
    else:
        assert sum(out.values()) == min(total, sum(caps[b] for b in live))


@given(
    variances=st.lists(
        st.tuples(st.integers(1, 4), st.integers(-(10**10), 10**10), st.booleans()),
        min_size=1,
        max_size=8,
    ),
    contributions=bodies,
    reserve=st.integers(0, 10**10),
    rule=st.sampled_from(list(Rule)),
    underspend=st.sampled_from(list(Underspend)),
    caps=st.dictionaries(st.integers(1, 6), st.integers(0, 10**10), max_size=6),
)
def test_the_steps_always_add_up_to_the_variances(
    variances, contributions, reserve, rule, underspend, caps
):
    lines = [Line(i, lead, v, shared) for i, (lead, v, shared) in enumerate(variances)]
    agreement = Agreement(
        rule,
        host_body_id=next(iter(contributions)),
        percent_bp={b: 10_000 // len(contributions) for b in contributions},
        caps=caps,
        reserve=reserve,
        underspend=underspend,
    )
    outcome = share(lines, agreement, contributions)
    fixed = sum(line.variance for line in lines if not line.shared)
    assert sum(s.pence for s in outcome.steps) == outcome.net + fixed
    for b, cap in caps.items():
        shared_part = sum(
            s.pence for s in outcome.steps if s.body_id == b and "fixed line" not in s.why
        )
        assert shared_part <= cap or shared_part < 0
