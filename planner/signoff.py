"""Partners' sign-offs: who approved which version of the plan, and whether that is still the
version in force."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


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
