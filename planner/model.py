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
    """How sure a year's money is. Settlement years are confirmed or indicative; a contribution
    that no settlement year covers is unfunded."""

    CONFIRMED = "confirmed"
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


@dataclass
class Appraisal:
    """How costs and benefits are valued and shared; stored in the plan so a board can agree
    its own discount schedule and gain-share agreement."""

    discount_bands: tuple[tuple[int, int], ...] = GREEN_BOOK_STANDARD
    payback_discounted: bool = True
    gain_share: GainShareRule = GainShareRule.NONE
    gain_share_percent_bp: dict[int, int] = field(default_factory=dict)  # body id -> share


@dataclass(slots=True)
class Body:
    id: int
    name: str
    kind: BodyKind
    role: Role = Role.CONTRIBUTOR
    signatory_name: str = ""
    signatory_title: str = ""


@dataclass(slots=True)
class SettlementYear:
    status: Certainty  # CONFIRMED or INDICATIVE, never UNFUNDED
    amount_pence: int | None = None  # None: the amount is not known, only that money is promised


@dataclass(slots=True)
class Settlement:
    """A body's funding stream for a span of years (e.g. "Police grant 2025-26")."""

    id: int
    body_id: int
    name: str
    years: dict[int, SettlementYear] = field(default_factory=dict)
    announced: dt.date | None = None
    source_note: str = ""

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


@dataclass(slots=True)
class CostLine:
    """What one body pays towards a scheme, by year (the investment)."""

    id: int
    scheme_id: int
    body_id: int
    years: dict[int, int] = field(default_factory=dict)  # year -> pence


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

    def body_named(self, name: str) -> Body:
        for b in self.bodies.values():
            if b.name == name:
                return b
        raise KeyError(name)
