"""Each field a person or a file can set, and its limit, stated once.

The store's edits, the JSON reader and the command line check values through these; the file
format's CHECK constraints say the same in SQL (``tests/test_fields.py`` holds each field against
the schema the migrations produce, so the two cannot drift).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from planner import money
from planner.errors import EditError
from planner.text import clean


@dataclass(frozen=True)
class Text:
    """Text, NFC-normalised and stripped, with no control characters (but newlines and tabs
    where ``multiline``)."""

    table: str
    column: str
    what: str  # as a person names it: "body name"
    limit: int = 200
    required: bool = False
    multiline: bool = False

    def check(self, value: object) -> str:
        return clean(
            value, self.what, required=self.required, limit=self.limit, multiline=self.multiline
        )


@dataclass(frozen=True)
class Whole:
    """A whole number between ``low`` and ``high``; ``words`` says the range to a person, with
    ``{low}`` and ``{high}`` (or ``{low_pct}`` and ``{high_pct}`` for basis points) filled in."""

    table: str
    column: str
    what: str
    low: int
    high: int
    words: str = ""
    nullable: bool = False  # the file may leave the column empty (NULL): no value is set

    def check(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise EditError(f"The {self.what} must be a whole number.")
        if not self.low <= value <= self.high:
            words = self.words or "The {what} must be {low} to {high}."
            raise EditError(
                words.format(
                    what=self.what,
                    low=self.low,
                    high=self.high,
                    low_pct=f"{self.low / 100:g}%",
                    high_pct=f"{self.high / 100:g}%",
                )
            )
        return value


@dataclass(frozen=True)
class Pence:
    """An amount of money in whole pence, never beyond ``money.MAX_PENCE`` and never negative
    unless ``signed``."""

    table: str
    column: str
    what: str
    signed: bool = False

    def check(self, value: object) -> int:
        try:
            return money.check(value, allow_negative=self.signed)
        except money.MoneyError as e:
            raise EditError(str(e)) from None


def choice(enum: type[StrEnum], value: object, what: str):
    try:
        return enum(value)
    except ValueError:
        options = ", ".join(m.value for m in enum)
        raise EditError(f"The {what} must be one of: {options}.") from None


NAME_LIMIT = 200
NOTE_LIMIT = 2_000
DESCRIPTION_LIMIT = 20_000
COMMENTS_LIMIT = 5_000
BASIS_POINTS = 10_000  # 100%

PLAN_NAME = Text("plan", "name", "plan name", NAME_LIMIT, required=True)
PLAN_DESCRIPTION = Text("plan", "description", "description", DESCRIPTION_LIMIT, multiline=True)
PLAN_YEARS = Whole(
    "plan", "years", "plan's length", 1, 60, "A plan runs for between {low} and {high} years."
)
PLAN_VERSION = Whole("plan", "version", "plan's version", 1, 10**9)
RENEWAL_CLIFF_SHARE = Whole(
    "plan",
    "renewal_cliff_share_bp",
    "renewal cliff threshold",
    1,
    BASIS_POINTS,
    "A finding's threshold is a share between {low_pct} and {high_pct}.",
)
BENEFIT_MISMATCH_SHARE = Whole(
    "plan",
    "benefit_mismatch_bp",
    "benefit mismatch threshold",
    1,
    BASIS_POINTS,
    "A finding's threshold is a share between {low_pct} and {high_pct}.",
)

SIGN_OFF_WORDING = Text(
    "plan", "sign_off_wording", "sign-off wording", COMMENTS_LIMIT, multiline=True
)
RETURN_TO = Text("plan", "return_to", "return-to contact", NAME_LIMIT)

BODY_NAME = Text("body", "name", "body name", NAME_LIMIT, required=True)


def name_key(name: str) -> str:
    """Two bodies may not share a name; names that differ only in capitals, or in how an accent
    is encoded, are the same name (``Straße`` and ``STRASSE`` too)."""
    return unicodedata.normalize("NFC", name).casefold()


SIGNATORY_NAME = Text("body", "signatory_name", "signatory name", NAME_LIMIT)
SIGNATORY_TITLE = Text("body", "signatory_title", "signatory title", NAME_LIMIT)

SETTLEMENT_NAME = Text("settlement", "name", "settlement name", NAME_LIMIT, required=True)
SOURCE_NOTE = Text("settlement", "source_note", "source note", NOTE_LIMIT, multiline=True)
SETTLEMENT_AMOUNT = Pence("settlement_year", "amount_pence", "settlement amount")
ON_RESULTS = Pence("settlement_year", "conditional_pence", "money paid on results")
CONDITION = Text("settlement_year", "condition", "condition", NOTE_LIMIT)
EXPECTED_SHARE = Whole(
    "settlement_year",
    "expected_bp",
    "expected share",
    0,
    BASIS_POINTS,
    "The expected share of money paid on results is between {low_pct} and {high_pct}.",
)
EARNED = Pence("settlement_year", "earned_pence", "money earned")

CONTRIBUTION = Pence("contribution", "amount_pence", "contribution")
CONTRIBUTION_NOTE = Text("contribution", "note", "note", NOTE_LIMIT, multiline=True)

SCHEME_NAME = Text("scheme", "name", "scheme name", NAME_LIMIT, required=True)
PROVIDER = Text("scheme", "provider", "provider", NAME_LIMIT)
SCHEME_DESCRIPTION = Text("scheme", "description", "description", DESCRIPTION_LIMIT, multiline=True)
SPEND = Pence("scheme_spend", "amount_pence", "spending")

COST = Pence("cost_year", "amount_pence", "cost")
COST_UPLIFT = Whole(
    "cost_line",
    "uplift_bp",
    "optimism-bias uplift",
    0,
    10 * BASIS_POINTS,
    "An optimism-bias uplift is a percentage between {low_pct} and {high_pct}.",
)
MITIGATION = Whole(
    "cost_line",
    "mitigation_bp",
    "mitigation",
    0,
    BASIS_POINTS,
    "The share of the uplift mitigated is between {low_pct} and {high_pct}.",
)
PROJECT_TYPE = Text("cost_line", "project_type", "project type", NAME_LIMIT)
BENEFIT = Pence("benefit_year", "amount_pence", "benefit")
OPTIMISM_BIAS = Whole(
    "benefit_line",
    "optimism_bias_bp",
    "optimism bias",
    0,
    BASIS_POINTS,
    "Optimism bias is a percentage between {low_pct} and {high_pct}.",
)
CONFIDENCE = Text("benefit_line", "confidence", "confidence note", NOTE_LIMIT, multiline=True)
ADJUSTMENTS = {
    name: Whole(
        "benefit_line",
        f"{name}_bp",
        name,
        0,
        BASIS_POINTS,
        f"{name.capitalize()} is a percentage between {{low_pct}} and {{high_pct}}.",
    )
    for name in ("deadweight", "displacement", "leakage", "substitution")
}
DEADWEIGHT, DISPLACEMENT, LEAKAGE, SUBSTITUTION = ADJUSTMENTS.values()
GAIN_SHARE_PERCENT = Whole(
    "gain_share_percent",
    "percent_bp",
    "gain-share percentage",
    0,
    BASIS_POINTS,
    "A gain-share percentage must be between {low_pct} and {high_pct}.",
)
# The Green Book's schedule runs to year 301 and beyond; no appraisal looks further than this.
DISCOUNT_BAND_START = Whole(
    "discount_band",
    "start_year",
    "first year of a discount band",
    0,
    1_000,
    "A discount band starts between year {low} and year {high}.",
)
DISCOUNT_RATE = Whole(
    "discount_band",
    "rate_bp",
    "discount rate",
    0,
    BASIS_POINTS,
    "A discount rate must be between {low_pct} and {high_pct}.",
)

# Real and nominal prices (planner.deflator): the base year the cash figures are converted to
# (held to the years the deflator covers by planner.deflator.check_prices), and the inflation
# assumed for each year after its series ends.
PRICE_BASE_YEAR = Whole(
    "gain_share",
    "price_base_year",
    "price base year",
    1900,
    2200,
    "The price base year must start between {low} and {high}.",
    nullable=True,  # figures entered in real terms have none
)
INFLATION = Whole(
    "gain_share",
    "inflation_bp",
    "assumed inflation",
    -1_000,
    2_000,
    "The assumed inflation is a rate between {low_pct} and {high_pct} a year.",
)

# The risk-share agreement (part of the plan) and in-year monitoring (beside it).
RISK_SHARE_PERCENT = Whole(
    "risk_share_percent",
    "percent_bp",
    "risk-share percentage",
    0,
    BASIS_POINTS,
    "A risk-share percentage must be between {low_pct} and {high_pct}.",
)
RISK_RESERVE = Pence("risk_share", "reserve_pence", "risk-share reserve")
RISK_CAP = Pence("risk_share_cap", "amount_pence", "cap")
MONITORING_THRESHOLD = Whole(
    "monitoring",
    "threshold_bp",
    "variance threshold",
    1,
    BASIS_POINTS,
    "A finding's threshold is a share between {low_pct} and {high_pct}.",
)
FORECAST = Pence("scheme_monitoring", "forecast_pence", "forecast")
FORECAST_REASON = Text(
    "scheme_monitoring", "reason", "forecast's reason", NOTE_LIMIT, multiline=True
)
EXPLANATION = Text(
    "scheme_monitoring", "explanation", "variance explanation", NOTE_LIMIT, multiline=True
)
UNCOMMITTED = Pence("scheme_monitoring", "uncommitted_pence", "uncommitted money")
PROFILE_SHARE = Whole(
    "scheme_monitoring",
    "q1_bp",
    "quarter's share of the budget",
    0,
    BASIS_POINTS,
    "A quarter's share of the budget is between {low_pct} and {high_pct}.",
    nullable=True,  # no profile: equal quarters
)
# An actual may be negative (a refund, marked so: the one exception to "negatives are
# refused"); its size is bounded as every amount is.
ACTUAL = Pence("scheme_actual", "amount_pence", "actual", signed=True)
RECEIVED = Pence("payment", "amount_pence", "money received")

DISPLAY_NAME = Text("history", "display_name", "name", 100)

SIGNATORY = Text("sign_off", "signatory", "signatory", NAME_LIMIT)
SIGNATORY_ROLE = Text("sign_off", "title", "title", NAME_LIMIT)
SIGN_OFF_COMMENTS = Text("sign_off", "comments", "comment", COMMENTS_LIMIT, multiline=True)

EVERY = [value for value in list(globals().values()) if isinstance(value, Text | Whole | Pence)]
