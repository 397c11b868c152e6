"""The plan in memory follows the rows the file wrote: one path for edits, undo and redo alike,
so memory holds what a fresh read of the file would give. Applying the rows also derives the
change record (which parts, bodies and years they touched).

``rows.read_plan`` maps rows to objects too, for the whole plan at once: reading a plan through
this module instead was measured at 185 ms against 50 ms on the stress plan, a cost every open
would pay. The edit state machine (tests/edit_machine.py) holds the two together: after every
edit, the plan in memory must equal a fresh read of the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from planner.model import (
    Actual,
    BenefitLine,
    Body,
    BodyKind,
    Cap,
    CapKind,
    Contribution,
    CostLine,
    GainShareRule,
    Monitoring,
    Plan,
    PlanStatus,
    Prices,
    RiskRule,
    Role,
    Schedule,
    Scheme,
    SchemeYearMonitoring,
    Settlement,
    Underspend,
)
from planner.store import rows as row_reading
from planner.store.changes import Change, RowChange


class _Touched:
    def __init__(self) -> None:
        self.parts: set[str] = set()
        self.bodies: set[int] = set()
        self.years: set[int] = set()
        self.reshaped: set[str] = set()
        self.schemes: set[int] = set()

    def add(self, body: int | None = None, year: int | None = None) -> None:
        if body is not None:
            self.bodies.add(body)
        if year is not None:
            self.years.add(year)


def apply(plan: Plan, columns: dict[str, tuple[str, ...]], rows: Iterable[RowChange]) -> Change:
    """Make ``plan`` follow ``rows`` (as the file wrote them, in order); what they touched."""
    touched = _Touched()
    unsorted: dict[int, dict] = {}  # the tables given a key out of order, by id()
    for ch in rows:
        names = columns[ch.table]
        before = dict(zip(names, ch.before, strict=True)) if ch.before is not None else None
        after = dict(zip(names, ch.after, strict=True)) if ch.after is not None else None
        _APPLY[ch.table](plan, before, after, touched, unsorted)
        touched.parts.add(_PART[ch.table])
        if before is None or after is None:  # a row came or went: lists over it change shape
            touched.reshaped.add(ch.table)
    _resort(unsorted)
    return Change(
        frozenset(touched.parts),
        frozenset(touched.bodies),
        frozenset(touched.years),
        frozenset(touched.reshaped),
        frozenset(touched.schemes),
    )


def _put(table: dict, key, value, unsorted: dict[int, dict]) -> None:
    """Tables in memory are in key order, as they are read from disk."""
    if key not in table and table and key < next(reversed(table)):
        unsorted[id(table)] = table
    table[key] = value


def _resort(unsorted: dict[int, dict]) -> None:
    for table in unsorted.values():
        ordered = sorted(table.items())
        table.clear()
        table.update(ordered)


def _plan(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    plan.name, plan.description = after["name"], after["description"]
    plan.first_year, plan.years = after["first_year"], after["years"]
    plan.status, plan.version = PlanStatus(after["status"]), after["version"]
    plan.thresholds.renewal_cliff_share_bp = after["renewal_cliff_share_bp"]
    plan.thresholds.benefit_mismatch_bp = after["benefit_mismatch_bp"]
    plan.sign_off_wording, plan.return_to = after["sign_off_wording"], after["return_to"]
    plan.return_by = dt.date.fromisoformat(after["return_by"]) if after["return_by"] else None


def _body(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    touched.add(row["id"])
    if after is None:
        del plan.bodies[row["id"]]
        return
    _put(
        plan.bodies,
        row["id"],
        Body(
            row["id"],
            row["name"],
            BodyKind(row["kind"]),
            Role(row["role"]),
            row["signatory_name"],
            row["signatory_title"],
        ),
        unsorted,
    )


def _settlement(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    if before is not None:
        touched.add(before["body_id"])
    if after is None:
        del plan.settlements[row["id"]]
        return
    touched.add(after["body_id"])
    announced = dt.date.fromisoformat(row["announced"]) if row["announced"] else None
    s = plan.settlements.get(row["id"])
    schedule = Schedule(row["schedule"])
    if s is None:
        s = Settlement(
            row["id"], row["body_id"], row["name"], {}, announced, row["source_note"], schedule
        )
        _put(plan.settlements, s.id, s, unsorted)
    else:
        s.body_id, s.name, s.announced, s.source_note, s.schedule = (
            row["body_id"],
            row["name"],
            announced,
            row["source_note"],
            schedule,
        )


def _settlement_year(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    s = plan.settlements[row["settlement_id"]]
    touched.add(s.body_id, row["year"])
    if before is not None and after is not None and before["year"] != after["year"]:
        s.years.pop(before["year"], None)
    if after is None:
        s.years.pop(row["year"], None)
    else:
        sy = row_reading.settlement_year_of(*(row[c] for c in row_reading.SETTLEMENT_YEAR))
        _put(s.years, row["year"], sy, unsorted)


def _contribution(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    for r in (before, after):
        if r is not None:
            touched.add(r["body_id"], r["year"])
    row = after or before
    if after is None:
        del plan.contributions[row["id"]]
        return
    _put(
        plan.contributions,
        row["id"],
        Contribution(
            row["id"],
            row["body_id"],
            row["year"],
            row["amount_pence"],
            row["settlement_id"],
            row["note"],
        ),
        unsorted,
    )


def _scheme(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    if after is None:
        del plan.schemes[row["id"]]
        return
    s = plan.schemes.get(row["id"])
    if s is None:
        s = Scheme(row["id"], row["name"], row["lead_body_id"], row["provider"], row["description"])
        _put(plan.schemes, s.id, s, unsorted)
    else:
        s.name, s.lead_body_id = row["name"], row["lead_body_id"]
        s.provider, s.description = row["provider"], row["description"]


def _year_amounts(owner: str, key: str) -> Callable:
    """Rows of (owner id, year, amount_pence) kept in ``getattr(plan, owner)[id].<years>``."""
    attribute = "spend" if owner == "schemes" else "years"

    def apply_row(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
        row = after or before
        holder = getattr(plan, owner)[row[key]]
        amounts = getattr(holder, attribute)
        touched.add(getattr(holder, "body_id", None), row["year"])
        if before is not None:
            amounts.pop(before["year"], None)
        if after is not None:
            _put(amounts, after["year"], after["amount_pence"], unsorted)

    return apply_row


def _cost_line(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    touched.add(row["body_id"])
    if after is None:
        del plan.costs[row["id"]]
        return
    line = plan.costs.get(row["id"])
    uplift = [row[f] for f in row_reading.COST_UPLIFT]
    if line is None:
        _put(
            plan.costs,
            row["id"],
            CostLine(row["id"], row["scheme_id"], row["body_id"], {}, *uplift),
            unsorted,
        )
    else:
        line.scheme_id, line.body_id = row["scheme_id"], row["body_id"]
        for f, value in zip(row_reading.COST_UPLIFT, uplift, strict=True):
            setattr(line, f, value)


def _benefit_line(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    touched.add(row["body_id"])
    if after is None:
        del plan.benefits[row["id"]]
        return
    line = plan.benefits.get(row["id"])
    fields = (bool(row["cashable"]), row["optimism_bias_bp"], row["confidence"])
    adjusted = tuple(row[f"{name}_bp"] for name in _ADJUSTED)
    if line is None:
        line = BenefitLine(row["id"], row["scheme_id"], row["body_id"], *fields, {}, *adjusted)
        _put(plan.benefits, line.id, line, unsorted)
    else:
        line.scheme_id, line.body_id = row["scheme_id"], row["body_id"]
        line.cashable, line.optimism_bias_bp, line.confidence = fields
        line.deadweight_bp, line.displacement_bp, line.leakage_bp, line.substitution_bp = adjusted


_ADJUSTED = ("deadweight", "displacement", "leakage", "substitution")


def _discount_band(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    bands = dict(plan.appraisal.discount_bands)
    if before is not None:
        bands.pop(before["start_year"], None)
    if after is not None:
        bands[after["start_year"]] = after["rate_bp"]
    plan.appraisal.discount_bands = tuple(sorted(bands.items()))


def _gain_share(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    plan.appraisal.gain_share = GainShareRule(after["rule"])
    plan.appraisal.payback_discounted = bool(after["payback_discounted"])
    plan.appraisal.prices = Prices(after["prices"])
    plan.appraisal.price_base_year = after["price_base_year"]
    plan.appraisal.inflation_bp = after["inflation_bp"]


def _by_body(table_of: Callable[[Plan], dict], value_of: Callable[[dict], object]) -> Callable:
    """Rows keyed by body id kept in the dictionary ``table_of(plan)`` (a gain-share or
    risk-share percentage, a cap), each body's value ``value_of(row)``."""

    def apply_row(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
        table = table_of(plan)
        row = after or before
        touched.add(row["body_id"])
        if after is None:
            table.pop(row["body_id"], None)
        else:
            _put(table, row["body_id"], value_of(row), unsorted)

    return apply_row


def _risk_share(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    a = plan.risk_share
    a.rule, a.reserve_pence = RiskRule(after["rule"]), after["reserve_pence"]
    a.underspend = Underspend(after["underspend"])


def _risk_share_line(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    a = plan.risk_share
    if before is not None:
        a.shared = a.shared - {before["scheme_id"]}
    if after is not None:
        a.shared = a.shared | {after["scheme_id"]}


def _monitoring(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    as_at = dt.date.fromisoformat(after["as_at"]) if after["as_at"] else None
    plan.monitoring = Monitoring(after["year"], as_at, after["threshold_bp"])


def _monitored(plan: Plan, row, unsorted) -> tuple[dict, SchemeYearMonitoring]:
    """The scheme's monitored years, and the record of ``row``'s year (made if new)."""
    years = plan.schemes[row["scheme_id"]].monitored
    record = years.get(row["year"])
    if record is None:
        record = SchemeYearMonitoring()
        _put(years, row["year"], record, unsorted)
    return years, record


def _drop_if_empty(years: dict, year: int) -> None:
    # A fresh read keeps no record that holds nothing (rows.read_monitoring): nor does memory.
    if year in years and years[year].is_empty():
        del years[year]


def _scheme_monitoring(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    touched.add(None, row["year"])
    touched.schemes.add(row["scheme_id"])
    years, record = _monitored(plan, row, unsorted)
    values = (
        row_reading.scheme_year(*(after[c] for c in _SCHEME_YEAR_VALUES))
        if after is not None
        else SchemeYearMonitoring()
    )
    values.actuals = record.actuals
    years[row["year"]] = values
    _drop_if_empty(years, row["year"])


_SCHEME_YEAR_VALUES = (
    "method",
    "forecast_pence",
    "reason",
    "explanation",
    "uncommitted_pence",
    "q1_bp",
    "q2_bp",
    "q3_bp",
    "q4_bp",
)


def _scheme_actual(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    touched.add(None, row["year"])
    touched.schemes.add(row["scheme_id"])
    years, record = _monitored(plan, row, unsorted)
    if after is None:
        record.actuals.pop(row["quarter"], None)
    else:
        _put(
            record.actuals,
            row["quarter"],
            Actual(row["amount_pence"]),
            unsorted,
        )
    _drop_if_empty(years, row["year"])


def _payment(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
    row = after or before
    touched.add(row["body_id"], row["year"])
    key = (row["year"], row["quarter"])
    if after is None:
        received = plan.received.get(row["body_id"], {})
        received.pop(key, None)
        if not received:
            plan.received.pop(row["body_id"], None)
    else:
        if row["body_id"] not in plan.received:
            _put(plan.received, row["body_id"], {}, unsorted)
        _put(plan.received[row["body_id"]], key, row["amount_pence"], unsorted)


def _record() -> Callable:
    """Tables kept beside the plan, not in memory: only what they touched is reported."""

    def apply_row(plan: Plan, before, after, touched: _Touched, unsorted) -> None:
        touched.add((after or before).get("body_id"))

    return apply_row


_APPLY: dict[str, Callable] = {
    "plan": _plan,
    "body": _body,
    "settlement": _settlement,
    "settlement_year": _settlement_year,
    "contribution": _contribution,
    "scheme": _scheme,
    "scheme_spend": _year_amounts("schemes", "scheme_id"),
    "cost_line": _cost_line,
    "cost_year": _year_amounts("costs", "cost_id"),
    "benefit_line": _benefit_line,
    "benefit_year": _year_amounts("benefits", "benefit_id"),
    "discount_band": _discount_band,
    "gain_share": _gain_share,
    "gain_share_percent": _by_body(
        lambda plan: plan.appraisal.gain_share_percent_bp, lambda row: row["percent_bp"]
    ),
    "risk_share": _risk_share,
    "risk_share_line": _risk_share_line,
    "risk_share_percent": _by_body(
        lambda plan: plan.risk_share.percent_bp, lambda row: row["percent_bp"]
    ),
    "risk_share_cap": _by_body(
        lambda plan: plan.risk_share.caps,
        lambda row: Cap(CapKind(row["kind"]), row["amount_pence"]),
    ),
    "monitoring": _monitoring,
    "scheme_monitoring": _scheme_monitoring,
    "scheme_actual": _scheme_actual,
    "payment": _payment,
    "sign_off": _record(),
    "export_record": _record(),
}


# The part of the plan each table's rows belong to, as the change record names them.
_PART = {
    "plan": "plan",
    "body": "bodies",
    "settlement": "settlements",
    "settlement_year": "settlements",
    "contribution": "contributions",
    "scheme": "schemes",
    "scheme_spend": "schemes",
    "cost_line": "appraisal",
    "cost_year": "appraisal",
    "benefit_line": "appraisal",
    "benefit_year": "appraisal",
    "discount_band": "appraisal",
    "gain_share": "appraisal",
    "gain_share_percent": "appraisal",
    "risk_share": "risk_share",
    "risk_share_line": "risk_share",
    "risk_share_percent": "risk_share",
    "risk_share_cap": "risk_share",
    "monitoring": "monitoring",
    "scheme_monitoring": "monitoring",
    "scheme_actual": "monitoring",
    "payment": "monitoring",
    "sign_off": "sign_offs",
    "export_record": "exports",
}
