"""Moving a whole ``Plan`` between memory and the database's tables."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable

from planner.model import (
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

# Enum members by value: calling the Enum for each of tens of thousands of rows was a tenth of
# the time it took to open a large plan.
_CERTAINTY = {c.value: c for c in Certainty}

# A cost line's uplift: its columns, named as the CostLine's fields, in its fields' order.
COST_UPLIFT = ("uplift_bp", "mitigation_bp", "project_type")

# The appraisal row's price settings: its columns, named as the Appraisal's fields.
PRICES = ("prices", "price_base_year", "inflation_bp")

# A settlement year's columns after its key, in the order settlement_year_of reads them.
SETTLEMENT_YEAR = ("status", "amount_pence", "conditional_pence", "condition", "expected_bp",
                   "earned_pence")  # fmt: skip


def settlement_year_of(status, amount, at_stake, condition, expected, earned) -> SettlementYear:
    """A settlement year from its row's columns (``SETTLEMENT_YEAR``)."""
    part = Conditional(at_stake, condition, expected, earned) if at_stake else None
    return SettlementYear(_CERTAINTY[status], amount, part)


def settlement_year_values(sy: SettlementYear) -> dict:
    """A settlement year's columns (``SETTLEMENT_YEAR``), for ``put_row`` or an insert."""
    c = sy.conditional
    return {
        "status": sy.status.value,
        "amount_pence": sy.amount_pence,
        "conditional_pence": c.amount_pence if c else 0,
        "condition": c.condition if c else "",
        "expected_bp": c.expected_bp if c else 0,
        "earned_pence": c.earned_pence if c else None,
    }


def read_plan(conn: sqlite3.Connection) -> Plan:
    row = conn.execute(
        "SELECT name, description, first_year, years, status, version, renewal_cliff_share_bp, "
        "benefit_mismatch_bp, sign_off_wording, return_to, return_by FROM plan WHERE id = 1"
    ).fetchone()
    if row is None:
        raise LookupError("the plan row is missing")
    plan = Plan(
        name=row[0],
        description=row[1],
        first_year=row[2],
        years=row[3],
        status=PlanStatus(row[4]),
        version=row[5],
        thresholds=Thresholds(renewal_cliff_share_bp=row[6], benefit_mismatch_bp=row[7]),
        sign_off_wording=row[8],
        return_to=row[9],
        return_by=dt.date.fromisoformat(row[10]) if row[10] else None,
    )
    for id_, name, kind, role, sig, title in conn.execute(
        "SELECT id, name, kind, role, signatory_name, signatory_title FROM body ORDER BY id"
    ):
        plan.bodies[id_] = Body(id_, name, BodyKind(kind), Role(role), sig, title)
    for id_, body_id, name, announced, note, schedule in conn.execute(
        "SELECT id, body_id, name, announced, source_note, schedule FROM settlement ORDER BY id"
    ):
        plan.settlements[id_] = Settlement(
            id_,
            body_id,
            name,
            {},
            dt.date.fromisoformat(announced) if announced else None,
            note,
            Schedule(schedule),
        )
    for sid, year, *columns in conn.execute(
        f"SELECT settlement_id, year, {', '.join(SETTLEMENT_YEAR)} FROM settlement_year "
        "ORDER BY settlement_id, year"
    ):
        plan.settlements[sid].years[year] = settlement_year_of(*columns)
    for id_, body_id, year, sid, amount, note in conn.execute(
        "SELECT id, body_id, year, settlement_id, amount_pence, note FROM contribution ORDER BY id"
    ):
        plan.contributions[id_] = Contribution(id_, body_id, year, amount, sid, note)
    for id_, name, lead, provider, description in conn.execute(
        "SELECT id, name, lead_body_id, provider, description FROM scheme ORDER BY id"
    ):
        plan.schemes[id_] = Scheme(id_, name, lead, provider, description, {})
    for scheme_id, year, amount in conn.execute(
        "SELECT scheme_id, year, amount_pence FROM scheme_spend ORDER BY scheme_id, year"
    ):
        plan.schemes[scheme_id].spend[year] = amount
    read_appraisal(conn, plan)
    read_risk_share(conn, plan)
    read_monitoring(conn, plan)
    return plan


def read_risk_share(conn: sqlite3.Connection, plan: Plan) -> None:
    """The risk-share agreement (format 8)."""
    rule, reserve, underspend = conn.execute(
        "SELECT rule, reserve_pence, underspend FROM risk_share WHERE id = 1"
    ).fetchone()
    plan.risk_share = RiskShare(
        RiskRule(rule),
        frozenset(i for (i,) in conn.execute("SELECT scheme_id FROM risk_share_line")),
        dict(conn.execute("SELECT body_id, percent_bp FROM risk_share_percent ORDER BY 1")),
        {
            b: Cap(CapKind(kind), amount)
            for b, kind, amount in conn.execute(
                "SELECT body_id, kind, amount_pence FROM risk_share_cap ORDER BY 1"
            )
        },
        reserve,
        Underspend(underspend),
    )


def read_monitoring(conn: sqlite3.Connection, plan: Plan) -> None:
    """The monitoring settings, each scheme's monitored years and the money received."""
    year, as_at, threshold = conn.execute(
        "SELECT year, as_at, threshold_bp FROM monitoring WHERE id = 1"
    ).fetchone()
    plan.monitoring = Monitoring(year, dt.date.fromisoformat(as_at) if as_at else None, threshold)
    for scheme_id, year, *values in conn.execute(
        "SELECT scheme_id, year, method, forecast_pence, reason, explanation, uncommitted_pence, "
        "q1_bp, q2_bp, q3_bp, q4_bp FROM scheme_monitoring ORDER BY scheme_id, year"
    ):
        plan.schemes[scheme_id].monitored[year] = scheme_year(*values)
    for scheme_id, year, quarter, amount in conn.execute(
        "SELECT scheme_id, year, quarter, amount_pence FROM scheme_actual "
        "ORDER BY scheme_id, year, quarter"
    ):
        record = plan.schemes[scheme_id].monitored.setdefault(year, SchemeYearMonitoring())
        record.actuals[quarter] = Actual(amount)
    for scheme in plan.schemes.values():
        if any(r.is_empty() for r in scheme.monitored.values()):
            scheme.monitored = {
                y: r for y, r in sorted(scheme.monitored.items()) if not r.is_empty()
            }
        elif scheme.monitored:
            scheme.monitored = dict(sorted(scheme.monitored.items()))
    for body_id, year, quarter, amount in conn.execute(
        "SELECT body_id, year, quarter, amount_pence FROM payment ORDER BY body_id, year, quarter"
    ):
        plan.received.setdefault(body_id, {})[(year, quarter)] = amount


def scheme_year(
    method, forecast, reason, explanation, uncommitted, q1, q2, q3, q4
) -> SchemeYearMonitoring:
    """A scheme's monitored year from its ``scheme_monitoring`` columns (without actuals)."""
    return SchemeYearMonitoring(
        {},
        Method(method),
        forecast,
        reason,
        explanation,
        uncommitted,
        None if q1 is None else (q1, q2, q3, q4),
    )


def scheme_monitoring_row(scheme_id: int, year: int, r: SchemeYearMonitoring) -> tuple:
    return (
        scheme_id,
        year,
        r.method.value,
        r.forecast_pence,
        r.reason,
        r.explanation,
        r.uncommitted_pence,
        *(r.profile_bp or (None, None, None, None)),
    )


SCHEME_MONITORING_COLUMNS = (
    "scheme_id, year, method, forecast_pence, reason, explanation, uncommitted_pence, "
    "q1_bp, q2_bp, q3_bp, q4_bp"
)


def read_appraisal(conn: sqlite3.Connection, plan: Plan) -> None:
    """Costs, benefits, the discount schedule and the gain-share agreement (format 3)."""
    for id_, scheme_id, body_id, *uplift in conn.execute(
        f"SELECT id, scheme_id, body_id, {', '.join(COST_UPLIFT)} FROM cost_line ORDER BY id"
    ):
        plan.costs[id_] = CostLine(id_, scheme_id, body_id, {}, *uplift)
    for cid, year, amount in conn.execute(
        "SELECT cost_id, year, amount_pence FROM cost_year ORDER BY cost_id, year"
    ):
        plan.costs[cid].years[year] = amount
    for id_, scheme_id, body_id, cashable, bias, confidence, *adjusted in conn.execute(
        "SELECT id, scheme_id, body_id, cashable, optimism_bias_bp, confidence, deadweight_bp, "
        "displacement_bp, leakage_bp, substitution_bp FROM benefit_line ORDER BY id"
    ):
        plan.benefits[id_] = BenefitLine(
            id_, scheme_id, body_id, bool(cashable), bias, confidence, {}, *adjusted
        )
    for bid, year, amount in conn.execute(
        "SELECT benefit_id, year, amount_pence FROM benefit_year ORDER BY benefit_id, year"
    ):
        plan.benefits[bid].years[year] = amount
    bands = tuple(conn.execute("SELECT start_year, rate_bp FROM discount_band ORDER BY 1"))
    rule, discounted, prices, base, inflation = conn.execute(
        f"SELECT rule, payback_discounted, {', '.join(PRICES)} FROM gain_share WHERE id = 1"
    ).fetchone()
    plan.appraisal = Appraisal(
        tuple(tuple(b) for b in bands),
        bool(discounted),
        GainShareRule(rule),
        dict(conn.execute("SELECT body_id, percent_bp FROM gain_share_percent ORDER BY 1")),
        Prices(prices),
        base,
        inflation,
    )


def write_plan(conn: sqlite3.Connection, plan: Plan) -> None:
    """Insert every row of ``plan`` into empty tables, keeping its ids."""
    conn.execute(
        "INSERT INTO plan (id, name, description, first_year, years, status, version, "
        "renewal_cliff_share_bp, benefit_mismatch_bp, sign_off_wording, return_to, return_by) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            plan.name,
            plan.description,
            plan.first_year,
            plan.years,
            plan.status.value,
            plan.version,
            plan.thresholds.renewal_cliff_share_bp,
            plan.thresholds.benefit_mismatch_bp,
            plan.sign_off_wording,
            plan.return_to,
            plan.return_by.isoformat() if plan.return_by else None,
        ),
    )
    conn.execute(
        "UPDATE plan SET benefit_mismatch_bp = ? WHERE id = 1",
        (plan.thresholds.benefit_mismatch_bp,),
    )
    insert_bodies(conn, plan.bodies.values())
    insert_settlements(conn, plan.settlements.values())
    insert_contributions(conn, plan.contributions.values())
    insert_schemes(conn, plan.schemes.values())
    insert_costs(conn, plan.costs.values())
    insert_benefits(conn, plan.benefits.values())
    write_appraisal_settings(conn, None, plan.appraisal)
    write_risk_share(conn, None, plan.risk_share)
    write_monitoring(conn, plan)


def write_risk_share(conn: sqlite3.Connection, old: RiskShare | None, new: RiskShare) -> None:
    """Make the agreement ``new``, writing only the rows that differ from ``old`` (what the
    file holds; None: a new file's defaults), so an edit's record names only what it changed."""
    old = old or RiskShare()
    if (old.rule, old.reserve_pence, old.underspend) != (
        new.rule,
        new.reserve_pence,
        new.underspend,
    ):
        conn.execute(
            "UPDATE risk_share SET rule = ?, reserve_pence = ?, underspend = ? WHERE id = 1",
            (new.rule.value, new.reserve_pence, new.underspend.value),
        )
    for scheme_id in sorted(old.shared - new.shared):
        conn.execute("DELETE FROM risk_share_line WHERE scheme_id = ?", (scheme_id,))
    for scheme_id in sorted(new.shared - old.shared):
        conn.execute("INSERT INTO risk_share_line (scheme_id) VALUES (?)", (scheme_id,))
    _write_keyed(
        conn,
        "risk_share_percent",
        "body_id",
        ("percent_bp",),
        {b: (p,) for b, p in old.percent_bp.items()},
        {b: (p,) for b, p in new.percent_bp.items()},
    )
    _write_keyed(
        conn,
        "risk_share_cap",
        "body_id",
        ("kind", "amount_pence"),
        {b: (c.kind.value, c.amount_pence) for b, c in old.caps.items()},
        {b: (c.kind.value, c.amount_pence) for b, c in new.caps.items()},
    )


def _write_keyed(conn, table: str, key: str, columns: tuple[str, ...], was: dict, now: dict):
    """Rows keyed by ``key`` from ``was`` to ``now`` (key -> values of ``columns``)."""
    for k in sorted(was.keys() - now.keys()):
        conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (k,))
    names = ", ".join(columns)
    for k, values in sorted(now.items()):
        if k not in was:
            marks = ", ".join("?" * (len(columns) + 1))
            conn.execute(f"INSERT INTO {table} ({key}, {names}) VALUES ({marks})", (k, *values))
        elif was[k] != values:
            sets = ", ".join(f"{c} = ?" for c in columns)
            conn.execute(f"UPDATE {table} SET {sets} WHERE {key} = ?", (*values, k))


def write_monitoring(conn: sqlite3.Connection, plan: Plan) -> None:
    """Every monitoring row of ``plan``, into a new file."""
    m = plan.monitoring
    conn.execute(
        "UPDATE monitoring SET year = ?, as_at = ?, threshold_bp = ? WHERE id = 1",
        (m.year, m.as_at.isoformat() if m.as_at else None, m.threshold_bp),
    )
    records = [(s.id, y, r) for s in plan.schemes.values() for y, r in s.monitored.items()]
    conn.executemany(
        f"INSERT INTO scheme_monitoring ({SCHEME_MONITORING_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [scheme_monitoring_row(i, y, r) for i, y, r in records if r != _only_actuals(r)],
    )
    conn.executemany(
        "INSERT INTO scheme_actual (scheme_id, year, quarter, amount_pence, refund) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (i, y, q, a.amount_pence, int(a.refund))
            for i, y, r in records
            for q, a in sorted(r.actuals.items())
        ],
    )
    conn.executemany(
        "INSERT INTO payment (body_id, year, quarter, amount_pence) VALUES (?, ?, ?, ?)",
        [
            (b, y, q, p)
            for b, by_quarter in plan.received.items()
            for (y, q), p in sorted(by_quarter.items())
        ],
    )


def _only_actuals(r: SchemeYearMonitoring) -> SchemeYearMonitoring:
    """``r`` with nothing but its actuals: a record needing no ``scheme_monitoring`` row."""
    return SchemeYearMonitoring(r.actuals)


# Each inserts rows keeping their ids, to write a whole plan.


def insert_bodies(conn: sqlite3.Connection, bodies: Iterable[Body]) -> None:
    conn.executemany(
        "INSERT INTO body (id, name, kind, role, signatory_name, signatory_title) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (b.id, b.name, b.kind.value, b.role.value, b.signatory_name, b.signatory_title)
            for b in bodies
        ],
    )


def insert_settlements(conn: sqlite3.Connection, settlements: Iterable[Settlement]) -> None:
    settlements = list(settlements)
    conn.executemany(
        "INSERT INTO settlement (id, body_id, name, announced, source_note, schedule) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                s.id,
                s.body_id,
                s.name,
                s.announced.isoformat() if s.announced else None,
                s.source_note,
                s.schedule.value,
            )
            for s in settlements
        ],
    )
    conn.executemany(
        f"INSERT INTO settlement_year (settlement_id, year, {', '.join(SETTLEMENT_YEAR)}) "
        f"VALUES (?, ?{', ?' * len(SETTLEMENT_YEAR)})",
        [
            (s.id, y, *settlement_year_values(sy).values())
            for s in settlements
            for y, sy in sorted(s.years.items())
        ],
    )


def insert_contributions(conn: sqlite3.Connection, contributions: Iterable[Contribution]) -> None:
    conn.executemany(
        "INSERT INTO contribution (id, body_id, year, settlement_id, amount_pence, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(c.id, c.body_id, c.year, c.settlement_id, c.amount_pence, c.note) for c in contributions],
    )


def insert_schemes(conn: sqlite3.Connection, schemes: Iterable[Scheme]) -> None:
    schemes = list(schemes)
    conn.executemany(
        "INSERT INTO scheme (id, name, lead_body_id, provider, description) VALUES (?, ?, ?, ?, ?)",
        [(s.id, s.name, s.lead_body_id, s.provider, s.description) for s in schemes],
    )
    conn.executemany(
        "INSERT INTO scheme_spend (scheme_id, year, amount_pence) VALUES (?, ?, ?)",
        [(s.id, y, p) for s in schemes for y, p in sorted(s.spend.items())],
    )


def insert_costs(conn: sqlite3.Connection, lines: Iterable[CostLine]) -> None:
    lines = list(lines)
    conn.executemany(
        f"INSERT INTO cost_line (id, scheme_id, body_id, {', '.join(COST_UPLIFT)}) "
        f"VALUES (?, ?, ?{', ?' * len(COST_UPLIFT)})",
        [(c.id, c.scheme_id, c.body_id, *(getattr(c, f) for f in COST_UPLIFT)) for c in lines],
    )
    conn.executemany(
        "INSERT INTO cost_year (cost_id, year, amount_pence) VALUES (?, ?, ?)",
        [(c.id, y, p) for c in lines for y, p in sorted(c.years.items())],
    )


def insert_benefits(conn: sqlite3.Connection, lines: Iterable[BenefitLine]) -> None:
    lines = list(lines)
    conn.executemany(
        "INSERT INTO benefit_line (id, scheme_id, body_id, cashable, optimism_bias_bp, "
        "confidence, deadweight_bp, displacement_bp, leakage_bp, substitution_bp) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                b.id,
                b.scheme_id,
                b.body_id,
                int(b.cashable),
                b.optimism_bias_bp,
                b.confidence,
                b.deadweight_bp,
                b.displacement_bp,
                b.leakage_bp,
                b.substitution_bp,
            )
            for b in lines
        ],
    )
    conn.executemany(
        "INSERT INTO benefit_year (benefit_id, year, amount_pence) VALUES (?, ?, ?)",
        [(b.id, y, p) for b in lines for y, p in sorted(b.years.items())],
    )


def write_appraisal_settings(
    conn: sqlite3.Connection, old: Appraisal | None, new: Appraisal
) -> None:
    """Make the discount schedule and the gain-share agreement ``new``, writing only the rows
    that differ from ``old`` (what the file holds), so an edit's record names only what it
    changed; None: a new file, whose seeded rows are all replaced."""
    if old is None:
        conn.execute("DELETE FROM discount_band")
        conn.execute("DELETE FROM gain_share_percent")
        bands, shares, agreement = {}, {}, None
    else:
        bands, shares = dict(old.discount_bands), old.gain_share_percent_bp
        agreement = _agreement(old)
    for table, key, value, was, now in (
        ("discount_band", "start_year", "rate_bp", bands, dict(new.discount_bands)),
        ("gain_share_percent", "body_id", "percent_bp", shares, new.gain_share_percent_bp),
    ):
        for k in sorted(was.keys() - now.keys()):
            conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (k,))
        for k, v in sorted(now.items()):
            if k not in was:
                conn.execute(f"INSERT INTO {table} ({key}, {value}) VALUES (?, ?)", (k, v))
            elif was[k] != v:
                conn.execute(f"UPDATE {table} SET {value} = ? WHERE {key} = ?", (v, k))
    if agreement != _agreement(new):
        conn.execute(
            f"UPDATE gain_share SET rule = ?, payback_discounted = ?, "
            f"{' = ?, '.join(PRICES)} = ? WHERE id = 1",
            _agreement(new),
        )


def _agreement(a: Appraisal) -> tuple:
    """The appraisal's one row of gain_share, as its columns hold it."""
    return (a.gain_share.value, int(a.payback_discounted), a.prices.value, a.price_base_year,
            a.inflation_bp)  # fmt: skip


def put_row(conn: sqlite3.Connection, table: str, key: dict, values: dict | None) -> None:
    """Make the row of ``table`` keyed by ``key`` (its primary key's columns) hold ``values``,
    inserting it if need be; None: no such row. A row already holding them is not written, so
    the edit records nothing for it. The one way every keyed cell of a plan is set."""
    where = " AND ".join(f"{k} = ?" for k in key)
    if values is None:
        conn.execute(f"DELETE FROM {table} WHERE {where}", tuple(key.values()))
        return
    columns = [*key, *values]
    sets = ", ".join(f"{c} = excluded.{c}" for c in values)
    differs = " OR ".join(f"{c} IS NOT excluded.{c}" for c in values)
    conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets} WHERE {differs}",
        (*key.values(), *values.values()),
    )


def amount(pence: int | None) -> dict | None:
    """A keyed amount's values for ``put_row`` (None: no row)."""
    return None if pence is None else {"amount_pence": pence}
