"""Moving a whole ``Plan`` between memory and the database's tables."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable

from planner.model import (
    Appraisal,
    BenefitLine,
    Body,
    BodyKind,
    Certainty,
    Contribution,
    CostLine,
    GainShareRule,
    Plan,
    PlanStatus,
    Role,
    Scheme,
    Settlement,
    SettlementYear,
    Thresholds,
)

# Enum members by value: calling the Enum for each of tens of thousands of rows was a tenth of
# the time it took to open a large plan.
_CERTAINTY = {c.value: c for c in Certainty}


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
    for id_, body_id, name, announced, note in conn.execute(
        "SELECT id, body_id, name, announced, source_note FROM settlement ORDER BY id"
    ):
        plan.settlements[id_] = Settlement(
            id_, body_id, name, {}, dt.date.fromisoformat(announced) if announced else None, note
        )
    for sid, year, status, amount in conn.execute(
        "SELECT settlement_id, year, status, amount_pence FROM settlement_year "
        "ORDER BY settlement_id, year"
    ):
        plan.settlements[sid].years[year] = SettlementYear(_CERTAINTY[status], amount)
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
    return plan


def read_appraisal(conn: sqlite3.Connection, plan: Plan) -> None:
    """Costs, benefits, the discount schedule and the gain-share agreement (format 3)."""
    for id_, scheme_id, body_id in conn.execute(
        "SELECT id, scheme_id, body_id FROM cost_line ORDER BY id"
    ):
        plan.costs[id_] = CostLine(id_, scheme_id, body_id, {})
    for cid, year, amount in conn.execute(
        "SELECT cost_id, year, amount_pence FROM cost_year ORDER BY cost_id, year"
    ):
        plan.costs[cid].years[year] = amount
    for id_, scheme_id, body_id, cashable, bias, confidence in conn.execute(
        "SELECT id, scheme_id, body_id, cashable, optimism_bias_bp, confidence "
        "FROM benefit_line ORDER BY id"
    ):
        plan.benefits[id_] = BenefitLine(
            id_, scheme_id, body_id, bool(cashable), bias, confidence, {}
        )
    for bid, year, amount in conn.execute(
        "SELECT benefit_id, year, amount_pence FROM benefit_year ORDER BY benefit_id, year"
    ):
        plan.benefits[bid].years[year] = amount
    bands = tuple(conn.execute("SELECT start_year, rate_bp FROM discount_band ORDER BY 1"))
    rule, discounted = conn.execute(
        "SELECT rule, payback_discounted FROM gain_share WHERE id = 1"
    ).fetchone()
    plan.appraisal = Appraisal(
        tuple(tuple(b) for b in bands),
        bool(discounted),
        GainShareRule(rule),
        dict(conn.execute("SELECT body_id, percent_bp FROM gain_share_percent ORDER BY 1")),
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
        "INSERT INTO settlement (id, body_id, name, announced, source_note) VALUES (?, ?, ?, ?, ?)",
        [
            (
                s.id,
                s.body_id,
                s.name,
                s.announced.isoformat() if s.announced else None,
                s.source_note,
            )
            for s in settlements
        ],
    )
    conn.executemany(
        "INSERT INTO settlement_year (settlement_id, year, status, amount_pence) "
        "VALUES (?, ?, ?, ?)",
        [
            (s.id, y, sy.status.value, sy.amount_pence)
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
        "INSERT INTO cost_line (id, scheme_id, body_id) VALUES (?, ?, ?)",
        [(c.id, c.scheme_id, c.body_id) for c in lines],
    )
    conn.executemany(
        "INSERT INTO cost_year (cost_id, year, amount_pence) VALUES (?, ?, ?)",
        [(c.id, y, p) for c in lines for y, p in sorted(c.years.items())],
    )


def insert_benefits(conn: sqlite3.Connection, lines: Iterable[BenefitLine]) -> None:
    lines = list(lines)
    conn.executemany(
        "INSERT INTO benefit_line (id, scheme_id, body_id, cashable, optimism_bias_bp, "
        "confidence) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (b.id, b.scheme_id, b.body_id, int(b.cashable), b.optimism_bias_bp, b.confidence)
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
        agreement = (old.gain_share, old.payback_discounted)
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
    if agreement != (new.gain_share, new.payback_discounted):
        conn.execute(
            "UPDATE gain_share SET rule = ?, payback_discounted = ? WHERE id = 1",
            (new.gain_share.value, int(new.payback_discounted)),
        )
