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


@dataclass
class Body:
    id: int
    name: str
    kind: BodyKind
    role: Role = Role.CONTRIBUTOR
    signatory_name: str = ""
    signatory_title: str = ""


@dataclass
class SettlementYear:
    status: Certainty  # CONFIRMED or INDICATIVE, never UNFUNDED
    amount_pence: int | None = None  # None: the amount is not known, only that money is promised


@dataclass
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
            run = run + 1 if previous is not None and y == previous + 1 else 1
            best = max(best, run)
            previous = y
        return best


@dataclass
class Contribution:
    """A body's money into the pool in one year, funded (or not) by one of its settlements."""

    id: int
    body_id: int
    year: int
    amount_pence: int
    settlement_id: int | None = None
    note: str = ""


@dataclass
class Scheme:
    """Something the pool pays for, with its spending per year."""

    id: int
    name: str
    lead_body_id: int | None = None
    provider: str = ""
    description: str = ""
    spend: dict[int, int] = field(default_factory=dict)  # year -> pence


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
