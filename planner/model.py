"""The plan's objects: a pooled budget, its partner bodies, their settlements, contributions and
the schemes the pool pays for. Plain data; storage lives in ``planner.store`` and every derived
figure in ``planner.figures``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from planner import years as fy


class BodyKind(StrEnum):
    COUNCIL = "council"
    CCG_ICB = "ccg_icb"
    NHS_TRUST = "nhs_trust"
    POLICE = "police"
    FIRE = "fire"
    PROBATION = "probation"
    DWP = "dwp"
    CENTRAL_GOVERNMENT = "central_government"
    VOLUNTARY_SECTOR = "voluntary_sector"
    OTHER = "other"

    @property
    def title(self) -> str:
        return _KIND_TITLES[self]


_KIND_TITLES = {
    BodyKind.COUNCIL: "Council",
    BodyKind.CCG_ICB: "CCG / ICB",
    BodyKind.NHS_TRUST: "NHS trust",
    BodyKind.POLICE: "Police",
    BodyKind.FIRE: "Fire and rescue",
    BodyKind.PROBATION: "Probation",
    BodyKind.DWP: "DWP",
    BodyKind.CENTRAL_GOVERNMENT: "Central government department",
    BodyKind.VOLUNTARY_SECTOR: "Voluntary sector",
    BodyKind.OTHER: "Other",
}


class Role(StrEnum):
    HOST = "host"
    CONTRIBUTOR = "contributor"


class Certainty(StrEnum):
    """How sure a year's money is, surest first. Settlement years are confirmed or indicative;
    the part of one paid only on results is conditional; a contribution that no settlement year
    covers is unfunded."""

    CONFIRMED = "confirmed"
    CONDITIONAL = "conditional"
    INDICATIVE = "indicative"
    UNFUNDED = "unfunded"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    OUT_FOR_SIGN_OFF = "out_for_sign_off"
    SIGNED = "signed"


@dataclass
class Thresholds:
    """Plan-level settings for findings, stored in the plan so a board can agree its own."""

    # A renewal cliff is a year in which settlements carrying at least this share of the
    # pool's contributions reach the end of their confirmed terms together.
    renewal_cliff_share_bp: int = 5000  # basis points: 5000 = 50%
    # A body is flagged when its share of the plan's benefits is below this fraction of its
    # share of the plan's costs ("reward does not follow investment").
    benefit_mismatch_bp: int = 5000


class GainShareRule(StrEnum):
    """How an agreement moves cashable benefits from the bodies that receive them."""

    NONE = "none"
    PRO_RATA = "pro_rata"  # in proportion to each body's investment
    FIXED = "fixed"  # agreed percentages per body
    # Investors are repaid (pro rata to what each is still owed) until they break even; after
    # that, benefits stay with the bodies that receive them.
    INVESTORS_FIRST = "investors_first"

    @property
    def title(self) -> str:
        return {
            "none": "No gain-share",
            "pro_rata": "Pro rata to investment",
            "fixed": "Fixed percentages",
            "investors_first": "Investors repaid first",
        }[self.value]


# HM Treasury Green Book (2026), standard schedule: (first year of band, rate in basis points).
# The rate of a band applies to the years in it; year 0 is never discounted.
GREEN_BOOK_STANDARD: tuple[tuple[int, int], ...] = (
    (0, 350),
    (31, 300),
    (76, 250),
    (126, 200),
    (201, 150),
    (301, 100),
)


class Prices(StrEnum):
    """The prices a plan's costs and benefits are entered in (Green Book: appraise in real
    terms, at the prices of one base year)."""

    REAL = "real"  # already at the base year's prices: taken as they are
    NOMINAL = "nominal"  # cash, at each year's own prices: deflated by the GDP deflator

    @property
    def title(self) -> str:
        return {"real": "in real terms", "nominal": "in cash (nominal)"}[self.value]


@dataclass
class Appraisal:
    """How costs and benefits are valued and shared; stored in the plan so a board can agree
    its own discount schedule and gain-share agreement."""

    discount_bands: tuple[tuple[int, int], ...] = GREEN_BOOK_STANDARD
    payback_discounted: bool = True
    gain_share: GainShareRule = GainShareRule.NONE
    gain_share_percent_bp: dict[int, int] = field(default_factory=dict)  # body id -> share
    # Figures entered in cash are converted to the prices of the base year (a financial
    # year) by planner.deflator; the inflation assumed for each year after its series ends
    # is the board's. Real figures have neither (planner.deflator.check_prices).
    prices: Prices = Prices.REAL
    price_base_year: int | None = None
    inflation_bp: int = 0

    @property
    def nominal(self) -> bool:
        return self.prices is Prices.NOMINAL


class Schedule(StrEnum):
    """When a settlement's money is paid into the pool through the year."""

    QUARTERLY = "quarterly"  # four equal instalments: a non-host partner's usual terms
    MONTHLY = "monthly"  # twelve equal instalments (the improved BCF grant)


class Method(StrEnum):
    """How a scheme's spending in the quarters not yet reported is forecast."""

    PROFILE = "profile"  # the budget's quarterly profile for the quarters left
    RUN_RATE = "run_rate"  # actual to date / quarters reported x quarters left
    ENTERED = "entered"  # an amount the pooled fund manager enters, with a reason


class RiskRule(StrEnum):
    """How the partners share the shared lines' net overspend."""

    PRO_RATA = "pro_rata"  # to each partner's contribution that year
    AGREED = "agreed"  # agreed percentages
    COMMISSIONER = "commissioner"  # each partner bears the shared schemes it leads

    @property
    def title(self) -> str:
        return {
            "pro_rata": "Pro rata to contributions",
            "agreed": "Agreed percentages",
            "commissioner": "Each partner bears what it commissions",
        }[self.value]


class Underspend(StrEnum):
    """What happens to the shared lines' net underspend."""

    KEEP = "keep"  # kept in the pool for next year
    RETURN = "return"  # returned to partners pro rata to contributions
    OFFSET = "offset"  # set against next year's contributions, pro rata

    @property
    def title(self) -> str:
        return {
            "keep": "Kept in the pool for next year",
            "return": "Returned to partners pro rata",
            "offset": "Set against next year's contributions",
        }[self.value]


class CapKind(StrEnum):
    CONTRIBUTION = "contribution"  # at most the partner's own contribution that year
    AMOUNT = "amount"  # at most a stated amount


@dataclass(frozen=True, slots=True)
class Cap:
    kind: CapKind
    amount_pence: int = 0  # CapKind.AMOUNT only


@dataclass
class RiskShare:
    """The risk-share schedule partners sign (part of the plan and its fingerprint): which
    scheme lines share their variance (the rest are fixed: the lead bears its own), how the
    partners share a net overspend, the reserve held against one, and what an underspend does.
    The host is the body whose role is host."""

    rule: RiskRule = RiskRule.PRO_RATA
    shared: frozenset[int] = frozenset()  # scheme ids; every other scheme is a fixed line
    percent_bp: dict[int, int] = field(default_factory=dict)  # body -> share, RiskRule.AGREED
    caps: dict[int, Cap] = field(default_factory=dict)  # body -> the most it bears
    reserve_pence: int = 0
    underspend: Underspend = Underspend.KEEP

    def is_default(self) -> bool:
        return self == RiskShare()


@dataclass(slots=True)
class Actual:
    """One quarter's spending as reported. A negative one is a refund: the file marks it so
    (its ``refund`` column, which its CHECK holds to the sign) and an edit writes one only when
    asked to, but in memory the sign says it."""

    amount_pence: int

    @property
    def refund(self) -> bool:
        return self.amount_pence < 0


@dataclass(slots=True)
class SchemeYearMonitoring:
    """One scheme's year in monitoring: the actuals reported by quarter, how the rest of the
    year is forecast, the variance's explanation and the money not yet committed. Not part of
    the plan's fingerprint: entering an actual does not void a sign-off."""

    actuals: dict[int, Actual] = field(default_factory=dict)  # quarter 1-4 -> actual
    method: Method = Method.PROFILE
    forecast_pence: int = 0  # Method.ENTERED: the rest of the year
    reason: str = ""  # why the entered forecast
    explanation: str = ""  # of the variance, for the partners
    uncommitted_pence: int = 0  # budget not yet committed, which can cover an overspend
    profile_bp: tuple[int, int, int, int] | None = None  # the budget by quarter; None: equal

    def is_empty(self) -> bool:
        return self == SchemeYearMonitoring()


@dataclass
class Monitoring:
    """Which year is being monitored and the date its figures are as at: settings, not the
    calendar, so a plan reads the same on any day. Not part of the fingerprint."""

    year: int | None = None
    as_at: dt.date | None = None
    # A projected over- or underspend (or an unexplained variance) above this share of the
    # year's pool is a finding.
    threshold_bp: int = 100


@dataclass(slots=True)
class Body:
    id: int
    name: str
    kind: BodyKind
    role: Role = Role.CONTRIBUTOR
    signatory_name: str = ""
    signatory_title: str = ""


@dataclass(frozen=True, slots=True)
class Conditional:
    """The part of a settlement year paid only if results are achieved: payment by results
    (Troubled Families' results payments, a Better Care Fund performance payment). It is on top
    of the year's unconditional amount, and until the result is known the money it funds is
    conditional: at risk, outside the confirmed share."""

    amount_pence: int  # at stake
    condition: str  # the result it is paid on, in words
    # The board's estimate of the chance it is earned: shown as an expected figure, never
    # counted as confirmed.
    expected_bp: int = 0
    earned_pence: int | None = None  # None: not known yet; else what was earned (0: not earned)

    @property
    def pending(self) -> bool:
        return self.earned_pence is None


@dataclass(slots=True)
class SettlementYear:
    status: Certainty  # CONFIRMED or INDICATIVE, never UNFUNDED
    amount_pence: int | None = None  # None: the amount is not known, only that money is promised
    conditional: Conditional | None = None  # a part paid on results; needs a known amount

    @property
    def sure_pence(self) -> int | None:
        """What the year provides as sure as its status: the unconditional amount and any
        result earned. None where the amount is not known."""
        if self.amount_pence is None:
            return None
        earned = self.conditional.earned_pence if self.conditional else None
        return self.amount_pence + (earned or 0)

    @property
    def provides_pence(self) -> int | None:
        """All the year could pay: its sure part and what results may yet pay."""
        sure = self.sure_pence
        return None if sure is None else sure + self.at_stake_pence

    @property
    def at_stake_pence(self) -> int:
        """What the year may yet pay on results (nothing once the result is known)."""
        c = self.conditional
        return c.amount_pence if c is not None and c.pending else 0


@dataclass(slots=True)
class Settlement:
    """A body's funding stream for a span of years (e.g. "Police grant 2025-26")."""

    id: int
    body_id: int
    name: str
    years: dict[int, SettlementYear] = field(default_factory=dict)
    announced: dt.date | None = None
    source_note: str = ""
    schedule: Schedule = Schedule.QUARTERLY

    def status_in(self, year: int) -> Certainty:
        sy = self.years.get(year)
        return sy.status if sy else Certainty.UNFUNDED

    def confirmed_years(self) -> list[int]:
        return sorted(y for y, sy in self.years.items() if sy.status is Certainty.CONFIRMED)

    def longest_confirmed_run(self) -> int:
        """The most consecutive confirmed years: how far ahead this settlement lets a body see."""
        best = run = 0
        previous = None
        for y in self.confirmed_years():
            run = run + 1 if y - 1 == previous else 1
            if run > best:
                best = run
            previous = y
        return best


@dataclass(slots=True)
class Contribution:
    """A body's money into the pool in one year, funded (or not) by one of its settlements."""

    id: int
    body_id: int
    year: int
    amount_pence: int
    settlement_id: int | None = None
    note: str = ""


@dataclass(slots=True)
class Scheme:
    """Something the pool pays for, with its spending per year."""

    id: int
    name: str
    lead_body_id: int | None = None
    provider: str = ""
    description: str = ""
    spend: dict[int, int] = field(default_factory=dict)  # year -> pence
    monitored: dict[int, SchemeYearMonitoring] = field(default_factory=dict)  # year -> record


@dataclass(slots=True)
class CostLine:
    """What one body pays towards a scheme, by year (the investment), and the Green Book's
    optimism-bias uplift on it: an upper bound (a project type's, or a percentage typed in)
    less the share of it the project has mitigated."""

    id: int
    scheme_id: int
    body_id: int
    years: dict[int, int] = field(default_factory=dict)  # year -> pence, before the uplift
    uplift_bp: int = 0  # the upper bound (basis points of the cost; may pass 100%)
    mitigation_bp: int = 0  # the share of the bound mitigated
    project_type: str = ""  # the bound's project type (planner.optimism_bias); "" if typed in

    @property
    def uplifted(self) -> bool:
        return bool(self.uplift_bp) and self.mitigation_bp < 10_000


@dataclass(slots=True)
class BenefitLine:
    """A benefit of a scheme that one body receives, by year, before optimism bias."""

    id: int
    scheme_id: int
    body_id: int
    cashable: bool = True
    optimism_bias_bp: int = 0  # the share taken off for uncertain evidence (Green Book)
    confidence: str = ""
    years: dict[int, int] = field(default_factory=dict)  # year -> gross pence
    # The Green Book's additionality adjustments, each a share taken off before optimism bias:
    # what would have happened anyway (deadweight), what moves from elsewhere in the area
    # (displacement), what leaks out of it (leakage), what merely replaces (substitution).
    deadweight_bp: int = 0
    displacement_bp: int = 0
    leakage_bp: int = 0
    substitution_bp: int = 0

    @property
    def adjustments(self) -> tuple[tuple[str, int], ...]:
        """Gross to net, in the order they are taken off: (what, basis points)."""
        return (
            ("deadweight", self.deadweight_bp),
            ("displacement", self.displacement_bp),
            ("leakage", self.leakage_bp),
            ("substitution", self.substitution_bp),
            ("optimism bias", self.optimism_bias_bp),
        )

    @property
    def additional(self) -> bool:
        """Whether any additionality adjustment is set (beyond optimism bias)."""
        return bool(self.deadweight_bp or self.displacement_bp or self.leakage_bp
                    or self.substitution_bp)  # fmt: skip


@dataclass
class Plan:
    name: str
    first_year: int
    years: int
    description: str = ""
    status: PlanStatus = PlanStatus.DRAFT
    version: int = 1
    thresholds: Thresholds = field(default_factory=Thresholds)
    bodies: dict[int, Body] = field(default_factory=dict)
    settlements: dict[int, Settlement] = field(default_factory=dict)
    contributions: dict[int, Contribution] = field(default_factory=dict)
    schemes: dict[int, Scheme] = field(default_factory=dict)
    costs: dict[int, CostLine] = field(default_factory=dict)
    benefits: dict[int, BenefitLine] = field(default_factory=dict)
    appraisal: Appraisal = field(default_factory=Appraisal)
    # What each body's signatory approves on the Sign-off sheet, with the placeholders of
    # planner.signoff.PLACEHOLDERS; empty means that module's default wording. Part of the
    # plan: changing the words changes what is approved.
    sign_off_wording: str = ""
    # Where and by when the workbook goes back. Not part of the plan's content (neither its
    # JSON nor its fingerprint), so moving a deadline does not void a sign-off.
    return_to: str = ""
    return_by: dt.date | None = None
    risk_share: RiskShare = field(default_factory=RiskShare)
    monitoring: Monitoring = field(default_factory=Monitoring)
    # Money received from each body, by (year, quarter): against what its settlements' payment
    # schedules make due. Not part of the fingerprint.
    received: dict[int, dict[tuple[int, int], int]] = field(default_factory=dict)

    @property
    def year_range(self) -> range:
        return fy.span(self.first_year, self.years)

    @property
    def last_year(self) -> int:
        return self.first_year + self.years - 1

    def settlements_of(self, body_id: int) -> list[Settlement]:
        return [s for s in self.settlements.values() if s.body_id == body_id]

    def contributions_of(self, body_id: int) -> list[Contribution]:
        return [c for c in self.contributions.values() if c.body_id == body_id]

    def on_results(self) -> bool:
        """Whether any settlement year has a part paid on results (pending or known): only
        such a plan gives conditional money its own columns, rows and key."""
        return any(sy.conditional for s in self.settlements.values() for sy in s.years.values())

    def certainties_shown(self) -> list[Certainty]:
        """The certainties a table, key or page of this plan shows, surest first: conditional
        only in a plan paid on results, so every other plan reads as it did before."""
        results = self.on_results()
        return [c for c in Certainty if results or c is not Certainty.CONDITIONAL]

    @property
    def host_id(self) -> int | None:
        """The host body (the first, if a plan names several), who keeps the pool's accounts."""
        return next((b.id for b in self.bodies.values() if b.role is Role.HOST), None)

    def body_named(self, name: str) -> Body:
        for b in self.bodies.values():
            if b.name == name:
                return b
        raise KeyError(name)
