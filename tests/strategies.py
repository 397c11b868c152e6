"""Hypothesis strategies for whole plans."""

from hypothesis import strategies as st

from planner.model import (
    Body,
    BodyKind,
    Certainty,
    Conditional,
    Contribution,
    Plan,
    Scheme,
    Settlement,
    SettlementYear,
)

pence = st.integers(min_value=0, max_value=10**12)


@st.composite
def settlement_years(draw):
    """A settlement year, now and then with a part paid on results (pending or known)."""
    status = draw(st.sampled_from([Certainty.CONFIRMED, Certainty.INDICATIVE]))
    amount = draw(st.none() | pence)
    part = None
    if amount is not None and draw(st.integers(0, 3)) == 0:
        at_stake = draw(st.integers(1, 10**9))
        earned = draw(st.none() | st.integers(0, at_stake))
        part = Conditional(at_stake, "Results achieved", draw(st.integers(0, 10_000)), earned)
    return SettlementYear(status, amount, part)


@st.composite
def plans(draw, max_bodies=6, max_years=8):
    first = draw(st.integers(2000, 2040))
    n_years = draw(st.integers(1, max_years))
    plan = Plan(name="Generated", first_year=first, years=n_years)
    plan.thresholds.renewal_cliff_share_bp = draw(st.integers(1, 10_000))
    years = list(plan.year_range)
    # Settlements may reach a year either side of the plan, as real ones do.
    wider = list(range(first - 1, first + n_years + 1))
    for b in range(1, draw(st.integers(1, max_bodies)) + 1):
        plan.bodies[b] = Body(b, f"Body {b}", draw(st.sampled_from(list(BodyKind))))
    sid = 0
    for b in plan.bodies:
        for _ in range(draw(st.integers(0, 3))):
            sid += 1
            chosen = draw(st.lists(st.sampled_from(wider), unique=True, max_size=len(wider)))
            plan.settlements[sid] = Settlement(
                sid,
                b,
                f"Stream {sid}",
                {y: draw(settlement_years()) for y in sorted(chosen)},
            )
    cid = 0
    seen = set()
    for _ in range(draw(st.integers(0, 40))):
        b = draw(st.sampled_from(list(plan.bodies)))
        own = [s.id for s in plan.settlements.values() if s.body_id == b]
        s = draw(st.sampled_from([None, *own]))
        y = draw(st.sampled_from(years))
        if (b, y, s) in seen:
            continue
        seen.add((b, y, s))
        cid += 1
        plan.contributions[cid] = Contribution(cid, b, y, draw(pence), s)
    for k in range(1, draw(st.integers(0, 4)) + 1):
        plan.schemes[k] = Scheme(
            k,
            f"Scheme {k}",
            draw(st.sampled_from([None, *plan.bodies])),
            spend={y: draw(pence) for y in draw(st.lists(st.sampled_from(years), unique=True))},
        )
    return plan


@st.composite
def appraised_plans(draw):
    """A plan with costs, benefits and a gain-share agreement."""
    from planner.model import BenefitLine, CostLine, GainShareRule

    plan = draw(plans())
    if not plan.schemes:
        plan.schemes[1] = Scheme(1, "Scheme 1")
    years = list(plan.year_range)
    bodies = list(plan.bodies)
    scheme_ids = list(plan.schemes)
    seen = set()
    for i in range(1, draw(st.integers(0, 6)) + 1):
        key = (draw(st.sampled_from(scheme_ids)), draw(st.sampled_from(bodies)))
        if key in seen:
            continue
        seen.add(key)
        plan.costs[i] = CostLine(
            i, *key, {y: draw(pence) for y in draw(st.lists(st.sampled_from(years), unique=True))}
        )
    for i in range(1, draw(st.integers(0, 6)) + 1):
        plan.benefits[i] = BenefitLine(
            i,
            draw(st.sampled_from(scheme_ids)),
            draw(st.sampled_from(bodies)),
            draw(st.booleans()),
            draw(st.integers(0, 10_000)),
            "",
            {y: draw(pence) for y in draw(st.lists(st.sampled_from(years), unique=True))},
        )
    plan.appraisal.gain_share = draw(st.sampled_from(list(GainShareRule)))
    if plan.appraisal.gain_share is GainShareRule.FIXED:
        cuts = sorted(
            draw(
                st.lists(st.integers(0, 10_000), min_size=len(bodies) - 1, max_size=len(bodies) - 1)
            )
        )
        edges = [0, *cuts, 10_000]
        plan.appraisal.gain_share_percent_bp = {
            b: edges[i + 1] - edges[i] for i, b in enumerate(bodies)
        }
    return plan
