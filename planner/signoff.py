"""Partners' sign-offs: who approved which version of the plan, and whether that is still the
version in force."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from planner.errors import EditError
from planner.model import Certainty

# What approving each certainty of money means, in the statement a signatory signs: one phrase
# for each certainty the plan knows.
CERTAINTY_PHRASE = {
    Certainty.CONFIRMED: "confirmed",
    Certainty.CONDITIONAL: "paid only on results not yet known",
    Certainty.INDICATIVE: "indicative",
    Certainty.UNFUNDED: "not yet covered by any settlement",
}
DEFAULT_WORDING = (
    "On behalf of {body} I approve contributions of {total} over {years} ({by_certainty}), "
    "as set out in version {version} of this plan, fingerprint {fingerprint}. Approving money "
    "not yet covered by any settlement commits {body} to secure that funding, or to agree a "
    "change to the plan with its partners, before the year it is needed."
)
PLACEHOLDERS = {
    "body": "the body's name",
    "total": "its contributions over the plan",
    "years": "the plan's first and last years",
    "by_certainty": "its contributions by certainty, in words",
    **{c.value: f"its {CERTAINTY_PHRASE[c]} contributions" for c in Certainty},
    "version": "the plan's version",
    "fingerprint": "the plan's fingerprint, as printed on every page",
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def check_wording(text: str) -> str:
    """Sign-off wording ('' for the default), refused if it names a placeholder there is no
    figure for: it would reach the signatory as typed, braces and all."""
    unknown = sorted({m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})
    if unknown:
        known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        raise EditError(
            f"The sign-off wording names {{{unknown[0]}}}, which is not one of: {known}."
        )
    return text


def statement(wording: str, values: dict[str, str]) -> str:
    """The wording (or the default) with each placeholder filled in from ``values``. Only the
    placeholders above are filled; anything else in braces is left as written."""
    return _PLACEHOLDER.sub(
        lambda m: values.get(m.group(1), m.group(0)), wording or DEFAULT_WORDING
    )


class Decision(StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_COMMENTS = "approved_with_comments"
    NOT_APPROVED = "not_approved"

    @property
    def title(self) -> str:
        return {
            "approved": "Approved",
            "approved_with_comments": "Approved with comments",
            "not_approved": "Not approved",
        }[self.value]

    @classmethod
    def from_title(cls, text: str) -> Decision:
        for d in cls:
            if d.title.casefold() == text.strip().casefold():
                return d
        raise ValueError(text)


@dataclass
class SignOff:
    body_id: int
    fingerprint: str
    version: int
    decision: Decision
    signatory: str = ""
    title: str = ""
    signed_on: dt.date | None = None
    comments: str = ""
    recorded_on: dt.date | None = None


@dataclass
class ExportRecord:
    fingerprint: str
    version: int
    exported_on: dt.date
    plan_json: str


def status(sign_off: SignOff | None, current_fingerprint: str) -> str:
    """A body's sign-off as a finance officer would say it."""
    if sign_off is None:
        return "Not signed"
    when = f" on {sign_off.signed_on:%d/%m/%Y}" if sign_off.signed_on else ""
    text = f"{sign_off.decision.title}{when} (version {sign_off.version})"
    if sign_off.fingerprint != current_fingerprint:
        text += (
            ": for a different version (the plan has changed since, or the changes "
            "they returned were not all taken)"
        )
    return text


@dataclass(frozen=True)
class Standing:
    """Where a version's sign-off stands across its bodies: how many approved it (with or
    without comments), did not, signed an earlier version, or have not signed."""

    bodies: int
    approved: int
    refused: int
    earlier: int

    @classmethod
    def of(cls, bodies: list[int], sign_offs: dict, current_fingerprint: str) -> Standing:
        approved = refused = earlier = 0
        for b in bodies:
            s = sign_offs.get(b)
            if s is None:
                continue
            if s.fingerprint != current_fingerprint:
                earlier += 1
            elif s.decision is Decision.NOT_APPROVED:
                refused += 1
            else:
                approved += 1
        return cls(len(bodies), approved, refused, earlier)

    @property
    def unsigned(self) -> int:
        return self.bodies - self.approved - self.refused - self.earlier

    @property
    def all_approved(self) -> bool:
        """Signed off: every body has approved this version (a plan of none is not)."""
        return self.bodies > 0 and self.approved == self.bodies

    def words(self) -> str:
        """``Of 13 bodies, 2 approved this version, 1 did not approve it and 10 have not
        signed. The plan is a draft until every body has approved it.``"""
        n = self.bodies
        if n == 0:
            return "The plan has no partners to sign it."
        if self.all_approved:
            return f"Every body ({n}) has approved this version."
        draft = " The plan is a draft until every body has approved it."
        if self.unsigned == n:
            if n == 1:
                return "Its one body has not signed this version yet." + draft
            return f"None of the {n} bodies has signed this version yet." + draft
        unsigned = self.unsigned
        parts = [
            f"{self.approved} approved this version" if self.approved else "",
            f"{self.refused} did not approve it" if self.refused else "",
            f"{self.earlier} signed an earlier version" if self.earlier else "",
            f"{unsigned} {'has' if unsigned == 1 else 'have'} not signed" if unsigned else "",
        ]
        parts = [x for x in parts if x]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"Of {n} bodies, {listed}." + draft


def body_statement(plan, figures, body_id: int, short_fingerprint: str) -> str:
    """What ``body_id``'s signatory approves, in the plan's wording: its contributions over the
    plan, in total and by certainty (``planner.figures``), the version and the fingerprint."""
    from planner import money
    from planner import years as fy

    def pounds(pence: int) -> str:
        return money.format(pence, show_pence=pence % 100 != 0)

    bf = figures.bodies[body_id]
    by = {c: sum(getattr(s, c.value) for s in bf.by_year.values()) for c in Certainty}
    values = {
        "body": plan.bodies[body_id].name,
        "total": pounds(bf.total),
        "years": f"{fy.label(plan.first_year)} to {fy.label(plan.last_year)}",
        # Money on results is named only where there is some: every other statement reads as
        # it did before payment by results was known to the plan.
        "by_certainty": ", ".join(
            f"{pounds(by[c])} {CERTAINTY_PHRASE[c]}"
            for c in Certainty
            if by[c] or c is not Certainty.CONDITIONAL
        ),
        **{c.value: pounds(by[c]) for c in Certainty},
        "version": str(plan.version),
        "fingerprint": short_fingerprint,
    }
    return statement(plan.sign_off_wording, values)
