"""The whole plan as JSON (``poolplanner dump`` / ``load``): exact, diffable, scriptable.

The format is documented in docs/plan-json.md. Loading validates everything and names the field
at fault, so a hand-edited file gets a message, not a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from planner import fields as F
from planner import money, results, risk_share
from planner import monitoring as mon
from planner import years as fy
from planner.deflator import check_prices
from planner.discounting import check_bands
from planner.errors import EditError, PlanFormatError
from planner.model import (
    GREEN_BOOK_STANDARD,
    Actual,
    Appraisal,
    BenefitLine,
    Body,
    BodyKind,
    Cap,
    CapKind,
    Certainty,
    Conditional,
    Contribution,
    CostLine,
    GainShareRule,
    Method,
    Monitoring,
    Plan,
    PlanStatus,
    Prices,
    RiskRule,
    RiskShare,
    Role,
    Schedule,
    Scheme,
    SchemeYearMonitoring,
    Settlement,
    SettlementYear,
    Thresholds,
    Underspend,
)
from planner.optimism_bias import project_types
from planner.signoff import check_wording
from planner.text import clip

FORMAT = "poolplanner-plan"
# 2 adds costs, benefits and the appraisal; 3 the risk-share agreement, payment schedules and
# in-year monitoring; 4 the additionality adjustments of benefit lines; 5 money paid on results
# (a settlement year's conditional part); 6 the optimism-bias uplift on cost lines; 7 figures
# entered in cash, with their price base year and assumed inflation. A plan is written as the
# oldest format that holds what it uses: its text, and so the fingerprint partners signed,
# stays as it was, and older versions still read it.
FORMAT_VERSION = 7


def to_dict(plan: Plan, monitoring: bool = True) -> dict[str, Any]:
    """The plan as JSON data; without ``monitoring``, only its content (what the fingerprint
    covers): the actuals, forecasts, money received and monitoring settings are left out."""
    tail = {}
    if not plan.risk_share.is_default():
        tail["risk_share"] = _risk_share_dict(plan)
    if monitoring:
        watched = _monitoring_dict(plan)
        if watched:
            tail["monitoring"] = watched
    schedules = any(s.schedule is not Schedule.QUARTERLY for s in plan.settlements.values())
    additional = any(b.additional for b in plan.benefits.values())
    results = plan.on_results()
    uplifts = any(c.uplift_bp or c.project_type for c in plan.costs.values())
    nominal = plan.appraisal.nominal
    version = (7 if nominal else 6 if uplifts else 5 if results else 4 if additional
               else 3 if tail or schedules else 2)  # fmt: skip
    return {
        "format": FORMAT,
        "format_version": version,
        "plan": {
            "name": plan.name,
            "description": plan.description,
            "first_year": fy.label(plan.first_year),
            "years": plan.years,
            "status": plan.status.value,
            "version": plan.version,
            "thresholds": {
                "renewal_cliff_share_bp": plan.thresholds.renewal_cliff_share_bp,
                "benefit_mismatch_bp": plan.thresholds.benefit_mismatch_bp,
            },
            # Only when set: a plan with the default wording keeps the fingerprint it had
            # before there was a choice. (return_to and return_by are not the plan's content.)
            **({"sign_off_wording": plan.sign_off_wording} if plan.sign_off_wording else {}),
        },
        "bodies": [
            {
                "id": b.id,
                "name": b.name,
                "kind": b.kind.value,
                "role": b.role.value,
                "signatory_name": b.signatory_name,
                "signatory_title": b.signatory_title,
            }
            for b in plan.bodies.values()
        ],
        "settlements": [
            {
                "id": s.id,
                "body_id": s.body_id,
                "name": s.name,
                "announced": s.announced.isoformat() if s.announced else None,
                "source_note": s.source_note,
                "years": {
                    fy.label(y): _settlement_year_dict(sy) for y, sy in sorted(s.years.items())
                },
                **({"schedule": s.schedule.value} if s.schedule is not Schedule.QUARTERLY else {}),
            }
            for s in plan.settlements.values()
        ],
        "contributions": [
            {
                "id": c.id,
                "body_id": c.body_id,
                "year": fy.label(c.year),
                "settlement_id": c.settlement_id,
                "amount_pence": c.amount_pence,
                "note": c.note,
            }
            for c in plan.contributions.values()
        ],
        "schemes": [
            {
                "id": s.id,
                "name": s.name,
                "lead_body_id": s.lead_body_id,
                "provider": s.provider,
                "description": s.description,
                "spend": {fy.label(y): p for y, p in sorted(s.spend.items())},
            }
            for s in plan.schemes.values()
        ],
        "costs": [
            {
                "id": c.id,
                "scheme_id": c.scheme_id,
                "body_id": c.body_id,
                "years": {fy.label(y): p for y, p in sorted(c.years.items())},
                # Only when set: other plans' text (and fingerprint) stays as it was.
                **({"uplift": _uplift_dict(c)} if c.uplift_bp or c.project_type else {}),
            }
            for c in plan.costs.values()
        ],
        "benefits": [
            {
                "id": b.id,
                "scheme_id": b.scheme_id,
                "body_id": b.body_id,
                "cashable": b.cashable,
                "optimism_bias_bp": b.optimism_bias_bp,
                "confidence": b.confidence,
                "years": {fy.label(y): p for y, p in sorted(b.years.items())},
                **(
                    {"adjustments": {f"{what}_bp": bp for what, bp in b.adjustments[:4]}}
                    if b.additional
                    else {}
                ),
            }
            for b in plan.benefits.values()
        ],
        "appraisal": {
            "discount_bands": [
                {"from_year": start, "rate_bp": rate}
                for start, rate in plan.appraisal.discount_bands
            ],
            "payback_discounted": plan.appraisal.payback_discounted,
            "gain_share": plan.appraisal.gain_share.value,
            "gain_share_percent_bp": [
                {"body_id": b, "percent_bp": p}
                for b, p in sorted(plan.appraisal.gain_share_percent_bp.items())
            ],
            # Only for figures entered in cash: a plan in real terms keeps its text (and
            # fingerprint) as it was before there was a choice.
            **({"prices": _prices_dict(plan.appraisal)} if nominal else {}),
        },
        **tail,
    }


def _risk_share_dict(plan: Plan) -> dict[str, Any]:
    a = plan.risk_share
    return {
        "rule": a.rule.value,
        "shared_scheme_ids": sorted(a.shared),
        "percent_bp": [{"body_id": b, "percent_bp": p} for b, p in sorted(a.percent_bp.items())],
        "caps": [
            {"body_id": b, "kind": c.kind.value, "amount_pence": c.amount_pence}
            for b, c in sorted(a.caps.items())
        ],
        "reserve_pence": a.reserve_pence,
        "underspend": a.underspend.value,
    }


def _monitoring_dict(plan: Plan) -> dict[str, Any]:
    m = plan.monitoring
    schemes = []
    for s in plan.schemes.values():
        for y, r in s.monitored.items():
            entry: dict[str, Any] = {"scheme_id": s.id, "year": fy.label(y)}
            if r.actuals:
                entry["actuals"] = {f"Q{q}": a.amount_pence for q, a in r.actuals.items()}
                refunds = [f"Q{q}" for q, a in r.actuals.items() if a.refund]
                if refunds:
                    entry["refunds"] = refunds
            if r.method is not Method.PROFILE:
                entry["method"] = r.method.value
            if r.method is Method.ENTERED:
                entry["forecast_pence"] = r.forecast_pence
            for key in ("reason", "explanation"):
                if getattr(r, key):
                    entry[key] = getattr(r, key)
            if r.uncommitted_pence:
                entry["uncommitted_pence"] = r.uncommitted_pence
            if r.profile_bp is not None:
                entry["profile_bp"] = list(r.profile_bp)
            schemes.append(entry)
    received = [
        {
            "body_id": b,
            "year": fy.label(y),
            "by_quarter": {f"Q{q}": p for (yy, q), p in sorted(by_quarter.items()) if yy == y},
        }
        for b, by_quarter in plan.received.items()
        for y in sorted({y for y, _ in by_quarter})
    ]
    if m == Monitoring() and not schemes and not received:
        return {}
    return {
        "year": fy.label(m.year) if m.year is not None else None,
        "as_at": m.as_at.isoformat() if m.as_at else None,
        "threshold_bp": m.threshold_bp,
        "schemes": schemes,
        "received": received,
    }


def dumps(plan: Plan) -> str:
    """The whole plan, monitoring included (``poolplanner dump``)."""
    return json.dumps(to_dict(plan), indent=2, ensure_ascii=False) + "\n"


def dumps_content(plan: Plan) -> str:
    """The plan's content, without in-year monitoring: the text its fingerprint is taken of,
    and what an export keeps of the plan it sent."""
    return json.dumps(to_dict(plan, monitoring=False), indent=2, ensure_ascii=False) + "\n"


def loads(text: str) -> Plan:
    """A plan from JSON text, or ``PlanFormatError`` naming the first problem."""
    # Notepad saves UTF-8 with a byte-order mark; it says nothing about the plan.
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_whole_number,
            object_pairs_hook=_one_value_per_key,
        )
    except json.JSONDecodeError as e:
        raise PlanFormatError(
            f"This is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})."
        ) from None
    except RecursionError:
        raise PlanFormatError("This JSON is nested too deeply to be a plan.") from None
    return from_dict(data)


def _one_value_per_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # The JSON standard lets a key repeat and readers keep the last: an amount given twice
    # would be taken silently.
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise PlanFormatError(f"'{clip(key)}' is given twice in one object; give it once.")
        found[key] = value
    return found


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > 100:  # past any amount; the limit of pence says the rest
        raise PlanFormatError(f"A number of {len(digits):,} digits is not one a plan can hold.")
    return int(digits)


def _refuse_constant(name: str) -> Any:
    raise PlanFormatError(f"{name} is not a number a plan can hold.")


class _Reader:
    """Walks the JSON, keeping the path (``bodies[2].kind``) for error messages."""

    def __init__(self, value: Any, path: str):
        self.value, self.path = value, path

    def fail(self, why: str) -> PlanFormatError:
        return PlanFormatError(f"{self.path}: {why}")

    def obj(self, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail("expected an object {...}")
        extra = set(self.value) - allowed
        if extra:
            raise _Reader(None, f"{self.path}.{clip(sorted(extra)[0])}").fail(
                "is not a known field"
            )
        return self.value

    def keys(self) -> list[str]:
        return list(self.obj(set(self.value) if isinstance(self.value, dict) else set()))

    def get(self, key: str, default: Any = ...) -> _Reader:
        d = self.value if isinstance(self.value, dict) else {}
        if key not in d and default is ...:
            raise _Reader(None, f"{self.path}.{key}").fail("is missing")
        return _Reader(d.get(key, default), f"{self.path}.{key}")

    def list(self) -> list[_Reader]:
        if not isinstance(self.value, list):
            raise self.fail("expected a list [...]")
        return [_Reader(v, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def int(self, lo: int, hi: int) -> int:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(f"expected a whole number, found {json.dumps(v)[:40]}")
        if not lo <= v <= hi:
            raise self.fail(f"{v} is outside {lo} to {hi}")
        return v

    def id(self) -> int:
        return self.int(1, 2**62)

    def optional_id(self) -> int | None:
        return None if self.value is None else self.id()

    def pence(self) -> int:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(f"expected a whole number of pence, found {json.dumps(v)[:40]}")
        try:
            return money.check(v)
        except money.MoneyError as e:
            raise self.fail(str(e)) from None

    def field(self, field: F.Text | F.Whole | F.Pence):
        """The value, checked as the store checks an edit (``planner.fields``)."""
        try:
            return field.check(self.value)
        except EditError as e:
            raise self.fail(str(e)) from None

    def year(self) -> int:
        try:
            if not isinstance(self.value, str):
                raise fy.YearError('expected a financial year label such as "2025-26"')
            return fy.parse(self.value)
        except fy.YearError as e:
            raise self.fail(str(e)) from None

    def choice(self, enum):
        try:
            return enum(self.value)
        except ValueError:
            options = ", ".join(m.value for m in enum)
            raise self.fail(f"{json.dumps(self.value)[:40]} is not one of: {options}") from None


def _prices_dict(a: Appraisal) -> dict[str, Any]:
    return {"entered": a.prices.value, "base_year": fy.label(a.price_base_year),
            "inflation_bp": a.inflation_bp}  # fmt: skip


def _read_prices(a: _Reader, plan: Plan) -> tuple[Prices, int | None, int]:
    """The price settings (format 7), held to the rules the edit keeps; real terms if absent."""
    r = a.get("prices", None)
    if r.value is None:
        return Prices.REAL, None, 0
    r.obj({"entered", "base_year", "inflation_bp"})
    base = r.get("base_year", None)
    try:
        return check_prices(
            r.get("entered").choice(Prices),
            None if base.value is None else base.year(),
            r.get("inflation_bp", 0).field(F.INFLATION),
            plan.year_range,
        )
    except EditError as e:
        raise r.fail(str(e)) from None


def _uplift_dict(c: CostLine) -> dict[str, Any]:
    return {"uplift_bp": c.uplift_bp, "mitigation_bp": c.mitigation_bp,
            "project_type": c.project_type}  # fmt: skip


def _settlement_year_dict(sy: SettlementYear) -> dict[str, Any]:
    out: dict[str, Any] = {"status": sy.status.value, "amount_pence": sy.amount_pence}
    part = sy.conditional
    if part is not None:  # only when there is one: other plans' text stays as it was
        out["conditional"] = {
            "amount_pence": part.amount_pence,
            "condition": part.condition,
            "expected_bp": part.expected_bp,
            "earned_pence": part.earned_pence,
        }
    return out


def _read_conditional(entry: _Reader, amount: int | None) -> Conditional | None:
    """A settlement year's part paid on results, held to the rules the edits keep."""
    if "conditional" not in entry.keys():
        return None
    r = entry.get("conditional")
    r.obj({"amount_pence", "condition", "expected_bp", "earned_pence"})
    earned = r.get("earned_pence", None)
    part = Conditional(
        r.get("amount_pence").pence(),
        r.get("condition").value,
        r.get("expected_bp", 0).int(0, 10**6),
        None if earned.value is None else earned.pence(),
    )
    try:
        return results.check(part, amount)
    except EditError as e:
        raise r.fail(str(e)) from None


def from_dict(data: Any) -> Plan:
    root = _Reader(data, "plan file")
    root.obj(
        {
            "format",
            "format_version",
            "plan",
            "bodies",
            "settlements",
            "contributions",
            "schemes",
            "costs",
            "benefits",
            "appraisal",
            "risk_share",
            "monitoring",
        }
    )
    if root.get("format").value != FORMAT:
        raise root.get("format").fail(f'expected "{FORMAT}"; this is not a Pool Planner plan')
    version = root.get("format_version").int(1, 10**6)
    if version > FORMAT_VERSION:
        raise root.get("format_version").fail(
            f"written by a newer Pool Planner (format {version}; this reads {FORMAT_VERSION})"
        )

    head = root.get("plan")
    head.obj(
        {
            "name",
            "description",
            "first_year",
            "years",
            "status",
            "version",
            "thresholds",
            "sign_off_wording",
        }
    )
    thresholds = head.get("thresholds", {})
    thresholds.obj({"renewal_cliff_share_bp", "benefit_mismatch_bp"})
    plan = Plan(
        name=head.get("name").field(F.PLAN_NAME),
        description=head.get("description", "").field(F.PLAN_DESCRIPTION),
        first_year=head.get("first_year").year(),
        years=head.get("years").field(F.PLAN_YEARS),
        status=head.get("status", "draft").choice(PlanStatus),
        version=head.get("version", 1).field(F.PLAN_VERSION),
        thresholds=Thresholds(
            thresholds.get("renewal_cliff_share_bp", 5000).field(F.RENEWAL_CLIFF_SHARE),
            thresholds.get("benefit_mismatch_bp", 5000).field(F.BENEFIT_MISMATCH_SHARE),
        ),
        sign_off_wording=head.get("sign_off_wording", "").field(F.SIGN_OFF_WORDING),
    )
    try:
        check_wording(plan.sign_off_wording)
    except EditError as e:
        raise head.get("sign_off_wording").fail(str(e)) from None

    names: set[str] = set()
    for r in root.get("bodies", []).list():
        r.obj({"id", "name", "kind", "role", "signatory_name", "signatory_title"})
        b = Body(
            r.get("id").id(),
            r.get("name").field(F.BODY_NAME),
            r.get("kind").choice(BodyKind),
            r.get("role", "contributor").choice(Role),
            r.get("signatory_name", "").field(F.SIGNATORY_NAME),
            r.get("signatory_title", "").field(F.SIGNATORY_TITLE),
        )
        _unique(r.get("id"), b.id, plan.bodies)
        if F.name_key(b.name) in names:
            raise r.get("name").fail(f"a second body called '{b.name}'")
        names.add(F.name_key(b.name))
        plan.bodies[b.id] = b

    for r in root.get("settlements", []).list():
        r.obj({"id", "body_id", "name", "announced", "source_note", "years", "schedule"})
        s = Settlement(
            r.get("id").id(),
            _ref(r.get("body_id"), plan.bodies, "body"),
            r.get("name").field(F.SETTLEMENT_NAME),
            {},
            _date(r.get("announced", None)),
            r.get("source_note", "").field(F.SOURCE_NOTE),
            r.get("schedule", "quarterly").choice(Schedule),
        )
        _unique(r.get("id"), s.id, plan.settlements)
        years_r = r.get("years", {})
        for label in years_r.keys():
            yr = _Reader(label, f"{years_r.path} key").year()
            entry = years_r.get(label)
            entry.obj({"status", "amount_pence", "conditional"})
            status = entry.get("status").choice(Certainty)
            if status is Certainty.UNFUNDED:
                raise entry.get("status").fail("a settlement year is confirmed or indicative")
            amount = entry.get("amount_pence", None)
            if yr in s.years:
                raise entry.fail("the same year appears twice")
            pence = None if amount.value is None else amount.pence()
            s.years[yr] = SettlementYear(status, pence, _read_conditional(entry, pence))
        s.years = dict(sorted(s.years.items()))
        plan.settlements[s.id] = s

    streams: set[tuple[int, int, int | None]] = set()
    for r in root.get("contributions", []).list():
        r.obj({"id", "body_id", "year", "settlement_id", "amount_pence", "note"})
        c = Contribution(
            r.get("id").id(),
            _ref(r.get("body_id"), plan.bodies, "body"),
            _in_plan(r.get("year"), plan),
            r.get("amount_pence").pence(),
            r.get("settlement_id", None).optional_id(),
            r.get("note", "").field(F.CONTRIBUTION_NOTE),
        )
        _unique(r.get("id"), c.id, plan.contributions)
        if c.settlement_id is not None:
            s = plan.settlements.get(c.settlement_id)
            if s is None:
                raise r.get("settlement_id").fail(f"no settlement has id {c.settlement_id}")
            if s.body_id != c.body_id:
                raise r.get("settlement_id").fail(f"settlement '{s.name}' belongs to another body")
        key = (c.body_id, c.year, c.settlement_id)
        if key in streams:
            raise r.fail("a second contribution from the same body, year and settlement")
        streams.add(key)
        plan.contributions[c.id] = c

    for r in root.get("schemes", []).list():
        r.obj({"id", "name", "lead_body_id", "provider", "description", "spend"})
        lead = r.get("lead_body_id", None)
        s = Scheme(
            r.get("id").id(),
            r.get("name").field(F.SCHEME_NAME),
            None if lead.value is None else _ref(lead, plan.bodies, "body"),
            r.get("provider", "").field(F.PROVIDER),
            r.get("description", "").field(F.SCHEME_DESCRIPTION),
        )
        _unique(r.get("id"), s.id, plan.schemes)
        spend_r = r.get("spend", {})
        for label in spend_r.keys():
            yr = _in_plan(_Reader(label, f"{spend_r.path} key"), plan)
            s.spend[yr] = spend_r.get(label).pence()
        s.spend = dict(sorted(s.spend.items()))
        plan.schemes[s.id] = s
    _read_appraisal(root, plan)
    _read_risk_share(root, plan)
    _read_monitoring(root, plan)
    return plan


def _read_risk_share(root: _Reader, plan: Plan) -> None:
    r = root.get("risk_share", None)
    if r.value is None:
        return
    r.obj({"rule", "shared_scheme_ids", "percent_bp", "caps", "reserve_pence", "underspend"})
    shared = set()
    for item in r.get("shared_scheme_ids", []).list():
        scheme_id = _ref(item, plan.schemes, "scheme")
        if scheme_id in shared:
            raise item.fail(f"scheme {scheme_id} is listed twice")
        shared.add(scheme_id)
    percents, caps = {}, {}
    for item in r.get("percent_bp", []).list():
        item.obj({"body_id", "percent_bp"})
        body_id = _ref(item.get("body_id"), plan.bodies, "body")
        _unique(item.get("body_id"), body_id, percents)
        percents[body_id] = item.get("percent_bp").field(F.RISK_SHARE_PERCENT)
    for item in r.get("caps", []).list():
        item.obj({"body_id", "kind", "amount_pence"})
        body_id = _ref(item.get("body_id"), plan.bodies, "body")
        _unique(item.get("body_id"), body_id, caps)
        kind = item.get("kind").choice(CapKind)
        amount = item.get("amount_pence", 0).pence() if kind is CapKind.AMOUNT else 0
        caps[body_id] = Cap(kind, amount)
    fields = {
        "rule": r.get("rule", "pro_rata").choice(RiskRule),
        "shared": frozenset(shared),
        "percent_bp": percents,
        "caps": caps,
        "reserve_pence": r.get("reserve_pence", 0).pence(),
        "underspend": r.get("underspend", "keep").choice(Underspend),
    }
    try:
        plan.risk_share = risk_share.check_agreement(plan, RiskShare(), fields)
    except EditError as e:
        raise r.fail(str(e)) from None


def _quarter_of(r: _Reader) -> int:
    if r.value not in ("Q1", "Q2", "Q3", "Q4"):
        raise r.fail(f"{json.dumps(r.value)[:40]} is not a quarter: Q1, Q2, Q3 or Q4")
    return int(r.value[1])


def _read_monitoring(root: _Reader, plan: Plan) -> None:
    r = root.get("monitoring", None)
    if r.value is None:
        return
    r.obj({"year", "as_at", "threshold_bp", "schemes", "received"})
    year = r.get("year", None)
    as_at = _date(r.get("as_at", None))
    plan.monitoring = Monitoring(
        None if year.value is None else _in_plan(year, plan),
        as_at,
        r.get("threshold_bp", 100).field(F.MONITORING_THRESHOLD),
    )
    for item in r.get("schemes", []).list():
        item.obj(
            {
                "scheme_id",
                "year",
                "actuals",
                "refunds",
                "method",
                "forecast_pence",
                "reason",
                "explanation",
                "uncommitted_pence",
                "profile_bp",
            }
        )
        scheme = plan.schemes[_ref(item.get("scheme_id"), plan.schemes, "scheme")]
        yr = _in_plan(item.get("year"), plan)
        if yr in scheme.monitored:
            raise item.fail(f"{scheme.name} {fy.label(yr)} is given twice")
        refunds = set()
        for q in item.get("refunds", []).list():
            refunds.add(_quarter_of(q))
        actuals_r = item.get("actuals", {})
        actuals = {}
        for label in actuals_r.keys():
            quarter = _quarter_of(_Reader(label, f"{actuals_r.path} key"))
            entry = actuals_r.get(label)
            if isinstance(entry.value, bool) or not isinstance(entry.value, int):
                raise entry.fail(
                    f"expected a whole number of pence, found {json.dumps(entry.value)[:40]}"
                )
            amount = entry.field(F.ACTUAL)
            if (amount < 0) != (quarter in refunds):
                raise entry.fail(
                    "a negative actual is a refund, listed in refunds; a refund is negative"
                )
            if as_at is None or mon.quarter_end(yr, quarter) > as_at:
                raise entry.fail(
                    f"{mon.quarter_label(quarter)} {fy.label(yr)} has not ended by the as-at date, "
                    f"so it has no actual yet"
                )
            actuals[quarter] = Actual(amount)
        if refunds - set(actuals):
            raise item.get("refunds").fail("a refund is listed for a quarter with no actual")
        profile = item.get("profile_bp", None)
        record = SchemeYearMonitoring(
            dict(sorted(actuals.items())),
            item.get("method", "profile").choice(Method),
            item.get("forecast_pence", 0).field(F.FORECAST),
            item.get("reason", "").field(F.FORECAST_REASON),
            item.get("explanation", "").field(F.EXPLANATION),
            item.get("uncommitted_pence", 0).field(F.UNCOMMITTED),
            None,
        )
        if profile.value is not None:
            values = [v.value for v in profile.list()]
            try:
                record.profile_bp = mon.check_profile(values)
            except EditError as e:
                raise profile.fail(str(e)) from None
        if record.method is Method.ENTERED and not record.reason:
            raise item.get("method").fail("an entered forecast needs a reason")
        if not record.is_empty():
            scheme.monitored[yr] = record
    for s in plan.schemes.values():
        s.monitored = dict(sorted(s.monitored.items()))
    for item in r.get("received", []).list():
        item.obj({"body_id", "year", "by_quarter"})
        body_id = _ref(item.get("body_id"), plan.bodies, "body")
        yr = _in_plan(item.get("year"), plan)
        by_quarter_r = item.get("by_quarter", {})
        got = plan.received.setdefault(body_id, {})
        for label in by_quarter_r.keys():
            key = (yr, _quarter_of(_Reader(label, f"{by_quarter_r.path} key")))
            if key in got:
                raise item.fail(f"{fy.label(yr)} is given twice for this body")
            got[key] = by_quarter_r.get(label).field(F.RECEIVED)
        plan.received[body_id] = dict(sorted(got.items()))
    plan.received = {b: plan.received[b] for b in sorted(plan.received) if plan.received[b]}


def _years_of(r: _Reader, plan: Plan) -> dict[int, int]:
    out = {}
    for label in r.keys():
        out[_in_plan(_Reader(label, f"{r.path} key"), plan)] = r.get(label).pence()
    return dict(sorted(out.items()))


def _read_appraisal(root: _Reader, plan: Plan) -> None:
    pairs: set[tuple[int, int]] = set()
    for r in root.get("costs", []).list():
        r.obj({"id", "scheme_id", "body_id", "years", "uplift"})
        c = CostLine(
            r.get("id").id(),
            _ref(r.get("scheme_id"), plan.schemes, "scheme"),
            _ref(r.get("body_id"), plan.bodies, "body"),
            _years_of(r.get("years", {}), plan),
        )
        if "uplift" in r.keys():
            u = r.get("uplift")
            u.obj({"uplift_bp", "mitigation_bp", "project_type"})
            c.uplift_bp = u.get("uplift_bp").field(F.COST_UPLIFT)
            c.mitigation_bp = u.get("mitigation_bp", 0).field(F.MITIGATION)
            c.project_type = u.get("project_type", "").field(F.PROJECT_TYPE)
            if c.project_type and c.project_type not in project_types():
                raise u.get("project_type").fail(
                    f"{clip(c.project_type)} is not one of: {', '.join(project_types())}"
                )
        _unique(r.get("id"), c.id, plan.costs)
        if (c.scheme_id, c.body_id) in pairs:
            raise r.fail("a second cost line for the same scheme and body")
        pairs.add((c.scheme_id, c.body_id))
        plan.costs[c.id] = c
    for r in root.get("benefits", []).list():
        r.obj(
            {
                "id",
                "scheme_id",
                "body_id",
                "cashable",
                "optimism_bias_bp",
                "confidence",
                "years",
                "adjustments",
            }
        )
        cashable = r.get("cashable", True)
        if not isinstance(cashable.value, bool):
            raise cashable.fail("expected true or false")
        b = BenefitLine(
            r.get("id").id(),
            _ref(r.get("scheme_id"), plan.schemes, "scheme"),
            _ref(r.get("body_id"), plan.bodies, "body"),
            cashable.value,
            r.get("optimism_bias_bp", 0).field(F.OPTIMISM_BIAS),
            r.get("confidence", "").field(F.CONFIDENCE),
            _years_of(r.get("years", {}), plan),
            *_adjustments_of(r.get("adjustments", {})),
        )
        _unique(r.get("id"), b.id, plan.benefits)
        plan.benefits[b.id] = b
    a = root.get("appraisal", {})
    a.obj({"discount_bands", "payback_discounted", "gain_share", "gain_share_percent_bp",
           "prices"})  # fmt: skip
    bands = []
    for r in a.get("discount_bands", None).list() if a.get("discount_bands", None).value else []:
        r.obj({"from_year", "rate_bp"})
        bands.append(
            (
                r.get("from_year").field(F.DISCOUNT_BAND_START),
                r.get("rate_bp").field(F.DISCOUNT_RATE),
            )
        )
    try:
        bands = check_bands(bands) if bands else GREEN_BOOK_STANDARD
    except EditError as e:
        raise a.get("discount_bands").fail(str(e)) from None
    discounted = a.get("payback_discounted", True)
    if not isinstance(discounted.value, bool):
        raise discounted.fail("expected true or false")
    percents = {}
    for r in a.get("gain_share_percent_bp", []).list():
        r.obj({"body_id", "percent_bp"})
        percents[_ref(r.get("body_id"), plan.bodies, "body")] = r.get("percent_bp").field(
            F.GAIN_SHARE_PERCENT
        )
    plan.appraisal = Appraisal(
        bands,
        discounted.value,
        a.get("gain_share", "none").choice(GainShareRule),
        percents,
        *_read_prices(a, plan),
    )


def _adjustments_of(r: _Reader) -> tuple[int, ...]:
    """A benefit line's additionality adjustments (format 4), each optional, default 0."""
    r.obj({f"{name}_bp" for name in F.ADJUSTMENTS})
    return tuple(r.get(f"{name}_bp", 0).field(field) for name, field in F.ADJUSTMENTS.items())


def _unique(r: _Reader, id_: int, seen: dict) -> None:
    if id_ in seen:
        raise r.fail(f"id {id_} is used twice")


def _ref(r: _Reader, table: dict, what: str) -> int:
    id_ = r.id()
    if id_ not in table:
        raise r.fail(f"no {what} has id {id_}")
    return id_


def _in_plan(r: _Reader, plan: Plan) -> int:
    year = r.year()
    if year not in plan.year_range:
        raise r.fail(
            f"{fy.label(year)} is outside the plan ({fy.label(plan.first_year)} to "
            f"{fy.label(plan.last_year)})"
        )
    return year


def _date(r: _Reader) -> dt.date | None:
    if r.value is None:
        return None
    try:
        return dt.date.fromisoformat(r.value)
    except (TypeError, ValueError):
        raise r.fail(f"{json.dumps(r.value)[:40]} is not a date like 2025-02-06") from None
