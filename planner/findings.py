"""Findings: what a finance officer should look at before the plan goes to the board.

Each finding has a stable ``code`` (scripts and the Excel export key on it), a severity, the body
and years it concerns, an amount in pence and a message in plain English.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from enum import StrEnum
from fractions import Fraction

from planner import money
from planner import years as fy
from planner.benefits import Benefits, appraise
from planner.discounting import round_pence
from planner.figures import Figures, compute, expected_of
from planner.model import Certainty, GainShareRule, Plan


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"high": 0, "medium": 1, "low": 2}


class Code(StrEnum):
    UNCONFIRMED_FUNDING = "unconfirmed-funding"
    SHORT_SETTLEMENT_CYCLE = "short-settlement-cycle"
    RENEWAL_CLIFF = "renewal-cliff"
    OVER_COMMITMENT = "over-commitment"
    POOL_DEFICIT = "pool-deficit"
    BENEFIT_MISMATCH = "benefit-mismatch"
    PROJECTED_OVERSPEND = "projected-overspend"
    PROJECTED_UNDERSPEND = "projected-underspend"
    UNEXPLAINED_VARIANCE = "unexplained-variance"
    MISSING_ACTUALS = "missing-actuals"
    UNPAID_CONTRIBUTION = "unpaid-contribution"
    CONDITIONAL_FUNDING = "conditional-funding"


# What each finding's amount is, in words (docs/figures.md gives the same in its table).
AMOUNT_MEANS = {
    Code.UNCONFIRMED_FUNDING: "the body's money that is not confirmed (indicative or unfunded)",
    Code.CONDITIONAL_FUNDING: "the body's money that rests on results not yet known",
    Code.SHORT_SETTLEMENT_CYCLE: "the body's money at risk, which the short settlements leave open",
    Code.RENEWAL_CLIFF: "the money those settlements carry in their last confirmed year",
    Code.OVER_COMMITMENT: "the amount committed beyond what the settlement provides",
    Code.POOL_DEFICIT: "the year's spending beyond its contributions",
    Code.BENEFIT_MISMATCH: (
        "the present value of benefits the body would receive if benefits followed its share "
        "of the costs, less what it receives"
    ),
    Code.PROJECTED_OVERSPEND: "the pool's forecast outturn less its budget for the year",
    Code.PROJECTED_UNDERSPEND: "the pool's budget for the year less its forecast outturn",
    Code.UNEXPLAINED_VARIANCE: "the scheme's forecast outturn less its budget (signed)",
    Code.MISSING_ACTUALS: "the scheme's budget for the quarters with no actuals reported",
    Code.UNPAID_CONTRIBUTION: "money due from the body by the as-at date and not received",
}


class Finding:
    """One finding. ``words`` is its (title, message), or a function that makes them: the
    findings about each body are worked out after every edit, but their sentences are read only
    for the rows in view, so those are written when first read."""

    __slots__ = (
        "code",
        "severity",
        "body_id",
        "years",
        "amount_pence",
        "by_year",
        "cycle",
        "_words",
    )

    def __init__(
        self,
        code: Code,
        severity: Severity,
        words: tuple[str, str] | Callable[[], tuple[str, str]],
        body_id: int | None = None,
        years: list[int] | None = None,
        amount_pence: int = 0,
        by_year: dict[int, int] | None = None,  # pence per year, where it helps
        cycle: int | None = None,  # a short settlement cycle's length, in years
    ):
        self.code = code
        self.severity = severity
        self._words = words
        self.body_id = body_id
        self.years = years if years is not None else []
        self.amount_pence = amount_pence
        self.by_year = by_year if by_year is not None else {}
        self.cycle = cycle

    def _text(self) -> tuple[str, str]:
        if callable(self._words):
            self._words = self._words()
        return self._words

    @property
    def title(self) -> str:
        """A one-line headline for lists and the projector."""
        return self._text()[0]

    @property
    def message(self) -> str:
        """The finding in full, in plain English."""
        return self._text()[1]

    @property
    def amount_means(self) -> str:
        """What ``amount_pence`` is, in words."""
        return AMOUNT_MEANS[self.code]

    def _key(self) -> tuple:
        return (
            self.code,
            self.severity,
            self.body_id,
            self.years,
            self.amount_pence,
            self.by_year,
            self.cycle,
            self._text(),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Finding) and self._key() == other._key()

    __hash__ = None  # mutable, as the dataclass it replaced

    def __repr__(self) -> str:
        return (
            f"Finding({self.code.value}, {self.severity.value}, body {self.body_id}, "
            f"years {self.years}, {self.amount_pence}p, {self.title!r})"
        )

    def sort_key(self) -> tuple:
        return (self.severity.rank, self.code.value, self.body_id or 0, self.years)


def find(
    plan: Plan, figures: Figures | None = None, benefits: Benefits | None = None
) -> list[Finding]:
    """Every finding for ``plan``, most severe first."""
    figures = figures or compute(plan)
    benefits = benefits or appraise(plan)
    found = [f for b in plan.bodies for f in body_findings(plan, figures, b)]
    parts = {b: cliff_parts(plan, figures, b) for b in plan.bodies}
    return ordered(found + pool_findings(plan, figures, parts, benefits))


def ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def body_findings(plan: Plan, figures: Figures, body_id: int) -> list[Finding]:
    """The findings about one body: they depend on its own settlements and contributions only,
    so after an edit only the edited body's need recomputing (see ``planner.analysis``)."""
    return [
        *_unconfirmed_funding(plan, figures, body_id),
        *_conditional_funding(plan, figures, body_id),
        *_short_settlement_cycle(plan, figures, body_id),
        *_over_commitments(plan, figures, body_id),
    ]


def pool_findings(
    plan: Plan,
    figures: Figures,
    cliff_parts_by_body: dict[int, dict[int, list[tuple[int, int]]]],
    benefits: Benefits,
) -> list[Finding]:
    """The findings about the whole pool: renewal cliffs, deficits, and investment whose
    reward lands elsewhere."""
    return [
        *_renewal_cliffs(plan, figures, cliff_parts_by_body),
        *_pool_deficits(plan, figures),
        *_benefit_mismatches(plan, benefits),
        *monitoring_findings(plan),
    ]


def monitoring_findings(plan: Plan, report=None, kept: dict | None = None) -> list[Finding]:
    """The year monitored: a projected over- or underspend above the threshold and who would
    bear it; a scheme's variance above it with no explanation; a quarter ended with no actual;
    money due from a partner and not received.

    ``kept`` (an open plan's, kept between edits): the findings of each scheme line and each
    body's money, by the object they were worked from. A report worked again after one
    scheme's actual keeps the other lines' objects, so their findings are not written again;
    the dictionary is left holding only what this report used."""
    from planner.monitoring import year_report

    report = report or year_report(plan)
    if report is None:
        return []
    found = []
    year, threshold = report.year, report.threshold
    label = fy.label(year)
    variance = report.variance
    if abs(variance) > threshold:
        over = variance > 0
        bearers = [
            f"{plan.bodies[b].name} {_pounds(abs(report.risk.borne_by(b)))}"
            for b in dict.fromkeys(s.body_id for s in report.risk.steps if s.body_id is not None)
            if report.risk.borne_by(b)
        ]
        pool_steps = [s for s in report.risk.steps if s.body_id is None]
        covered = "; ".join(f"{_pounds(abs(s.pence))} {s.why}" for s in pool_steps)
        who = (
            f" By the risk-share agreement: {', '.join(bearers)}"
            + (f"; {covered}" if covered else "")
            + "."
            if bearers or covered
            else ""
        )
        found.append(
            Finding(
                Code.PROJECTED_OVERSPEND if over else Code.PROJECTED_UNDERSPEND,
                Severity.HIGH if over else Severity.MEDIUM,
                (
                    f"Projected {'overspend' if over else 'underspend'} in {label}: "
                    f"{_millions(abs(variance))}",
                    f"As at {_as_at(report)}, the pool's forecast outturn for {label} is "
                    f"{_pounds(report.outturn)} against a budget of {_pounds(report.budget)}: "
                    f"{_pounds(abs(variance))} {'over' if over else 'under'}, beyond the "
                    f"threshold of {_pounds(threshold)}.{who}",
                ),
                None,
                [year],
                abs(variance),
            )
        )
    used: dict = {"threshold": report.threshold}
    kept_before = kept or {}
    if kept_before.get("threshold") != report.threshold:  # a line's findings are against it
        kept_before = {
            k: v for k, v in kept_before.items() if k != "threshold" and not _is_line(v[0])
        }
    # Inline, not through a helper: this runs for every scheme after every actual typed.
    for line in report.schemes:
        hit = kept_before.get(id(line))
        if hit is None or hit[0] is not line:
            hit = (line, _line_findings(plan, report, line))
        used[id(line)] = hit
        found += hit[1]
    for body_id, money_of in report.bodies.items():
        hit = kept_before.get(id(money_of))
        if hit is None or hit[0] is not money_of:
            hit = (money_of, _unpaid(plan, report, body_id, money_of))
        used[id(money_of)] = hit
        found += hit[1]
    if kept is not None:
        kept.clear()
        kept.update(used)
    return found


def _is_line(obj) -> bool:
    from planner.monitoring import SchemeLine

    return isinstance(obj, SchemeLine)


def _line_findings(plan: Plan, report, line) -> list[Finding]:
    from planner.monitoring import quarter_label

    found = []
    year, threshold, label = report.year, report.threshold, fy.label(report.year)
    scheme = plan.schemes[line.scheme_id]
    v = line.outturn.variance
    if abs(v) > threshold and not line.explanation:
        found.append(
            Finding(
                Code.UNEXPLAINED_VARIANCE,
                Severity.MEDIUM,
                (
                    f"{scheme.name}: {_millions(abs(v))} {'over' if v > 0 else 'under'} "
                    f"budget, not explained",
                    f"{scheme.name} is forecast {_pounds(abs(v))} "
                    f"{'over' if v > 0 else 'under'} its {label} budget of "
                    f"{_pounds(line.outturn.budget)}, beyond the threshold of "
                    f"{_pounds(threshold)}, and no explanation is written for the partners.",
                ),
                line.lead_body_id,
                [year],
                v,
            )
        )
    missing = line.missing
    if missing and line.outturn.budget:
        quarters = ", ".join(quarter_label(q) for q in missing)
        found.append(
            Finding(
                Code.MISSING_ACTUALS,
                Severity.MEDIUM,
                (
                    f"{scheme.name}: no actuals for {', '.join(f'Q{q}' for q in missing)} {label}",
                    f"{scheme.name} has no actual spending reported for {quarters} {label}, "
                    f"though {'that quarter has' if len(missing) == 1 else 'those quarters have'} "
                    f"ended by {_as_at(report)}. Until it is, its forecast counts nothing "
                    f"spent there.",
                ),
                line.lead_body_id,
                [year],
                sum(line_profile(line, q) for q in missing),
            )
        )
    return found


def _unpaid(plan: Plan, report, body_id: int, money_of) -> list[Finding]:
    found = []
    year, label = report.year, fy.label(report.year)
    unpaid = money_of.payments.unpaid
    if unpaid:
        name = plan.bodies[body_id].name
        found.append(
            Finding(
                Code.UNPAID_CONTRIBUTION,
                Severity.MEDIUM,
                (
                    f"{name}: {_millions(unpaid)} due and not received",
                    f"By {_as_at(report)}, {_possessive(name)} contributions for {label} "
                    f"made {_pounds(money_of.payments.due_to_date)} due into the pool; "
                    f"{_pounds(money_of.payments.received)} has been received, "
                    f"{_pounds(unpaid)} short.",
                ),
                body_id,
                [year],
                unpaid,
            )
        )
    return found


def line_profile(line, quarter: int) -> int:
    """What a scheme's budget puts in ``quarter`` (as its profile falls)."""
    return line.outturn.profile[quarter]


def _as_at(report) -> str:
    d = report.as_at
    return fy.day(d) if d else "the as-at date"


def _percent(share) -> str:
    return f"{round(float(share) * 100)}%"


def _benefit_mismatches(plan: Plan, benefits: Benefits):
    threshold_bp = plan.thresholds.benefit_mismatch_bp
    rule = plan.appraisal.gain_share
    total_costs, total_benefits = benefits.pv_costs, benefits.pv_benefits
    if not total_costs or not total_benefits:
        return
    # Every share of a total has the same denominator, so shares compare as whole pence: this
    # runs after every keystroke in a 200-body plan, and Fractions made it a third of the edit.
    # (Costs and benefits are never negative, so both totals are positive here.)
    ranked = sorted(((b.pv_benefits, body_id) for body_id, b in benefits.bodies.items()))
    ranked.reverse()
    for body_id, b in benefits.bodies.items():
        # benefit share < cost share x threshold, multiplied out by both totals and 10,000
        if not b.pv_costs or b.pv_benefits * 10_000 * total_costs >= (
            b.pv_costs * threshold_bp * total_benefits
        ):
            continue
        cost_share = benefits.cost_share(body_id)
        benefit_share = benefits.benefit_share(body_id)
        name = plan.bodies[body_id].name
        top = next((o for _, o in ranked if o != body_id), None)
        top_share = benefits.benefit_share(top) if top is not None else None
        elsewhere = (
            f" Most of the benefit lands elsewhere: {plan.bodies[top].name} receives "
            f"{_percent(top_share)}."
            if top is not None and top_share
            else ""
        )
        if benefits.gain_share.problem:
            agreement = (
                f" The gain-share agreement cannot be applied: {benefits.gain_share.problem}."
            )
        elif rule is GainShareRule.NONE:
            agreement = " No gain-share agreement moves any of it back."
        else:
            after = benefits.benefit_share(body_id, after=True)
            agreement = (
                f" After the gain-share agreement ({rule.title.lower()}) it receives "
                f"{_percent(after)}."
            )
        yield Finding(
            Code.BENEFIT_MISMATCH,
            Severity.MEDIUM,
            (
                f"{name}: bears {_percent(cost_share)} of costs, receives "
                f"{_percent(benefit_share)} of benefits",
                f"{name} bears {_percent(cost_share)} of the plan's costs "
                f"({_pounds(b.pv_costs)} at today's value) but receives "
                f"{_percent(benefit_share)} of its benefits ({_pounds(b.pv_benefits)})."
                f"{elsewhere}{agreement}",
            ),
            body_id,
            [y for y, p in b.costs.items() if p],
            # What it would receive if benefits followed investment, less what it receives.
            round_pence(cost_share * benefits.pv_benefits) - b.pv_benefits,
        )


def _pounds(pence: int) -> str:
    return money.format(pence)


def _millions(pence: int) -> str:
    return money.format_millions(pence) if pence >= 100_000_00 else money.format(pence)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _years_word(n: int) -> str:
    return "1 year" if n == 1 else f"{n} years"


def _unconfirmed_funding(plan: Plan, figures: Figures, body_id: int):
    """Money neither confirmed nor promised on results: indicative or unfunded. (Money on
    results is at risk too, and has its own finding, which names the conditions.)"""
    bf = figures.bodies[body_id]
    unsure = bf.unpromised_by_year()
    if not unsure:
        return
    name = plan.bodies[body_id].name
    first_year = plan.first_year
    indicative = sum(bf.by_year[y].indicative for y in unsure)
    unfunded = sum(bf.by_year[y].unfunded for y in unsure)
    total = indicative + unfunded

    def words() -> tuple[str, str]:
        if bf.confirmed_until is None:
            horizon = f"not all of its money is confirmed even in {fy.label(first_year)}"
        else:
            horizon = f"its funding is confirmed only to {fy.label(bf.confirmed_until)}"
        parts = []
        if unfunded:
            parts.append(f"{_pounds(unfunded)} is unfunded, with no settlement to cover it")
        if indicative:
            parts.append(f"{_pounds(indicative)} rests on indicative allocations")
        per_year = "; ".join(f"{fy.label(y)} {_pounds(p)}" for y, p in unsure.items())
        when = fy.describe_range(unsure)
        return (
            f"{name}: {_millions(total)} not confirmed ({when})",
            f"{name} has {_pounds(total)} of contributions in {when} that are not "
            f"confirmed ({horizon}): {', '.join(parts)}. At risk by year: {per_year}.",
        )

    yield Finding(
        Code.UNCONFIRMED_FUNDING,
        Severity.HIGH if unfunded else Severity.MEDIUM,
        words,
        body_id,
        sorted(unsure),
        total,
        unsure,
    )


def _conditional_funding(plan: Plan, figures: Figures, body_id: int):
    """Money the plan relies on that is paid only if results are achieved, by year, with each
    condition and what the board expects it to earn (never counted as confirmed)."""
    bf = figures.bodies[body_id]
    relied = {key: p for key, p in sorted(bf.on_results.items(), key=lambda kv: kv[0][::-1])}
    if not relied:
        return
    by_year: dict[int, int] = defaultdict(int)
    for (_sid, year), pence in relied.items():
        by_year[year] += pence
    total = sum(relied.values())
    name = plan.bodies[body_id].name

    def words() -> tuple[str, str]:
        parts = []
        for (sid, year), pence in relied.items():
            s = plan.settlements[sid]
            part = s.years[year].conditional
            expected = expected_of(plan, (sid, year), pence)
            parts.append(
                f"{fy.label(year)} {_pounds(pence)} from {s.name}, paid only if "
                f"“{part.condition}” (expected {_pounds(expected)} at "
                f"{part.expected_bp / 100:g}%)"
            )
        when = fy.describe_range(by_year)
        return (
            f"{name}: {_millions(total)} paid only on results ({when})",
            f"{name} has {_pounds(total)} of contributions in {when} that are paid only if "
            f"results are achieved, so not confirmed: {'; '.join(parts)}. The board expects "
            f"{_pounds(bf.expected(plan))} of it; none counts as confirmed until the result "
            "is known and marked earned.",
        )

    yield Finding(
        Code.CONDITIONAL_FUNDING, Severity.MEDIUM, words, body_id, sorted(by_year), total,
        dict(by_year),
    )  # fmt: skip


def _short_settlement_cycle(plan: Plan, figures: Figures, body_id: int):
    """Money not yet promised (indicative or unfunded) behind settlements that confirm fewer
    years than the plan runs. Money on results is promised, on a condition: not counted."""
    bf = figures.bodies[body_id]
    open_years = bf.unpromised_by_year()
    if open_years:
        open_money = sum(open_years.values())
        years = plan.year_range
        funding = {
            c.settlement_id
            for c in figures.index.contributions.get(body_id, [])
            if c.settlement_id is not None and c.year in years
        }
        cycles = sorted(
            (plan.settlements[sid].longest_confirmed_run(), plan.settlements[sid].name)
            for sid in funding
            if sid in plan.settlements
        )
        # A settlement with no confirmed year has no cycle to speak of: its money is reported
        # as unconfirmed funding.
        short = [(n, name) for n, name in cycles if 0 < n < plan.years]
        if not short:
            return
        body_name = plan.bodies[body_id].name
        first_year, last_year, plan_years = plan.first_year, plan.last_year, plan.years

        def words() -> tuple[str, str]:
            listed = "; ".join(f"{name} confirms {_years_word(n)}" for n, name in short[:3]) + (
                f"; and {len(short) - 3} more" if len(short) > 3 else ""
            )
            return (
                f"{body_name}: funded {_years_word(short[0][0])} at a time, "
                f"plan runs {_years_word(plan_years)}",
                f"{_possessive(body_name)} funding is confirmed "
                f"{_years_word(short[0][0])} at a time ({listed}), but the plan runs "
                f"{_years_word(plan_years)} ({fy.label(first_year)} to "
                f"{fy.label(last_year)}). Its {_pounds(open_money)} in "
                f"{fy.describe_range(open_years)} depends on settlements that have "
                f"not yet been made.",
            )

        yield Finding(
            Code.SHORT_SETTLEMENT_CYCLE,
            # The money is already reported (unconfirmed funding); this explains why it
            # keeps recurring, so it ranks below.
            Severity.LOW,
            words,
            body_id,
            sorted(open_years),
            open_money,
            open_years,
            cycle=short[0][0],
        )


def cliff_parts(plan: Plan, figures: Figures, body_id: int) -> dict[int, list[tuple[int, int]]]:
    """For one body: by year Y, the (settlement, money) whose confirmed term ends with Y while
    the plan goes on past Y. Renewal cliffs add these up across bodies."""
    ending: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (sid, year), amount in figures.bodies[body_id].confirmed_carried.items():
        if year == plan.last_year or not amount:
            continue
        following = plan.settlements[sid].years.get(year + 1)
        if following is None or following.status is not Certainty.CONFIRMED:
            ending[year].append((sid, amount))
    return ending


def _renewal_cliffs(plan: Plan, figures: Figures, parts_by_body):
    # Money carried in year Y by settlements whose confirmed term ends with Y: all of it must be
    # renewed at the same time.
    ending: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for parts in parts_by_body.values():
        for year, items in parts.items():
            ending[year].extend(items)
    for year in sorted(ending):
        amount = sum(p for _, p in ending[year])
        if is_cliff(plan, figures, year, amount):
            yield renewal_cliff(plan, year, ending[year], amount, figures)


def is_cliff(plan: Plan, figures: Figures, year: int, amount: int) -> bool:
    """Whether ``amount`` up for renewal after ``year`` is enough of its pool to be a cliff."""
    total = figures.years[year].contributions.total
    return bool(total) and amount * 10_000 >= plan.thresholds.renewal_cliff_share_bp * total


def renewal_cliff(
    plan: Plan, year: int, items: list[tuple[int, int]], amount: int, figures: Figures
) -> Finding:
    """The renewal cliff after ``year``: ``items`` the (settlement, money) ending with it."""
    share = Fraction(amount, figures.years[year].contributions.total)
    names = [
        f"{plan.bodies[plan.settlements[sid].body_id].name}: {plan.settlements[sid].name}"
        for sid, _ in sorted(items, key=lambda e: -e[1])
    ]
    listed = "; ".join(names[:4]) + (f"; and {len(names) - 4} more" if len(names) > 4 else "")
    return Finding(
        Code.RENEWAL_CLIFF,
        Severity.HIGH if share >= Fraction(3, 4) else Severity.MEDIUM,
        (
            f"Renewal cliff after {fy.label(year)}: {round(share * 100)}% of the pool "
            f"up for renewal at once",
            f"At the end of {fy.label(year)}, {len(names)} settlement"
            f"{'s' if len(names) != 1 else ''} carrying {_pounds(amount)} "
            f"({round(share * 100)}% of that year's pool) reach the end of their confirmed "
            f"terms together ({listed}). The pool's funding from {fy.label(year + 1)} "
            f"depends on renewing all of them at once.",
        ),
        None,
        [year],
        amount,
    )


def _over_commitments(plan: Plan, figures: Figures, body_id: int):
    committed: dict[tuple[int, int], int] = defaultdict(int)
    for c in figures.index.contributions.get(body_id, []):
        if c.settlement_id is not None:
            committed[(c.settlement_id, c.year)] += c.amount_pence
    for (sid, year), pence in sorted(committed.items()):
        s = plan.settlements.get(sid)
        sy = s.years.get(year) if s else None
        if sy is None or sy.amount_pence is None:
            continue
        provides = sy.provides_pence
        if pence <= provides or year not in plan.year_range:
            continue
        excess = pence - provides
        yield Finding(
            Code.OVER_COMMITMENT,
            Severity.HIGH,
            (
                f"{plan.bodies[s.body_id].name}: commits {_millions(excess)} more than "
                f"{s.name} provides in {fy.label(year)}",
                f"{plan.bodies[s.body_id].name} commits {_pounds(pence)} to the pool in "
                f"{fy.label(year)} from {s.name}, {_pounds(excess)} more than the "
                f"{_pounds(provides)} that settlement provides for the year"
                + (_results_words(sy) if sy.conditional else "")
                + ".",
            ),
            s.body_id,
            [year],
            excess,
        )


def _results_words(sy) -> str:
    part = sy.conditional
    if part.pending:
        return f" (with {_pounds(part.amount_pence)} on results not yet known)"
    if not part.earned_pence:
        return " (its money on results was not earned)"
    return f" (with {_pounds(part.earned_pence)} earned on results)"


def _pool_deficits(plan: Plan, figures: Figures):
    for year, yf in figures.years.items():
        if yf.balance >= 0:
            continue
        shortfall = -yf.balance
        brought_forward = yf.cumulative_balance - yf.balance
        if yf.cumulative_balance >= 0:
            cover = (
                f" Underspends of {_pounds(brought_forward)} carried forward from earlier years "
                f"cover it, if the partners agree to carry them."
            )
            severity = Severity.MEDIUM
        else:
            cover = f" The pool is {_pounds(-yf.cumulative_balance)} short over the plan to date."
            severity = Severity.HIGH
        yield Finding(
            Code.POOL_DEFICIT,
            severity,
            (
                f"Pool deficit in {fy.label(year)}: spending exceeds contributions by "
                f"{_millions(shortfall)}",
                f"In {fy.label(year)} planned spending of {_pounds(yf.expenditure)} exceeds "
                f"contributions of {_pounds(yf.contributions.total)} by "
                f"{_pounds(shortfall)}.{cover}",
            ),
            None,
            [year],
            shortfall,
        )
