"""Each field's limit is stated once, in ``planner.fields``; the file format's CHECK constraints
say it again in SQL (migrations are never edited). These tests hold the two together on the
schema the migrations produce: a value at the limit is taken by both, one past it refused by
both, except where the file format is knowingly looser (listed below)."""

import sqlite3

import pytest
from builders import appraisal_example

from planner import fields as F
from planner import money
from planner.errors import EditError
from planner.model import GREEN_BOOK_STANDARD
from planner.signoff import Decision, SignOff
from planner.store import PlanFile, schema
from planner.store.migrate import migrate

# Checked by the app on every edit and on reading JSON, not by the file format's SQL.
ONLY_THE_APP_CHECKS = {
    ("plan", "description"),
    ("plan", "version"),  # the SQL asks only for 1 or more
    ("discount_band", "start_year"),  # and here for 0 or more
    ("body", "signatory_name"),
    ("body", "signatory_title"),
    ("settlement", "source_note"),
    ("contribution", "note"),
    ("scheme", "provider"),
    ("scheme", "description"),
    ("benefit_line", "confidence"),
    ("sign_off", "signatory"),
    ("sign_off", "title"),
    ("sign_off", "comments"),
    ("history", "display_name"),
    ("scheme_monitoring", "reason"),
    ("scheme_monitoring", "explanation"),
    ("settlement_year", "condition"),
    ("cost_line", "project_type"),  # and held to the published types by a rule on opening
}
# A quarter's share of the budget is checked by the file with the row's other three (four
# shares adding up to 100%), so no one column's value is taken or refused alone.
CHECKED_WITH_ITS_ROW = {("scheme_monitoring", "q1_bp")}


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    path = tmp_path_factory.mktemp("fields") / "plan.poolplan"
    with PlanFile.create(path, appraisal_example()) as pf:
        body = next(iter(pf.plan.bodies))
        pf.add_settlement(body, "Grant")
        sid = max(pf.plan.settlements)
        from planner.model import Certainty, SettlementYear

        pf.set_settlement_year(sid, pf.plan.first_year, SettlementYear(Certainty.CONFIRMED, 5))
        pf.set_contribution(body, pf.plan.first_year, 100, note="a note")
        pf.set_scheme_spend(next(iter(pf.plan.schemes)), pf.plan.first_year, 100)
        pf.set_appraisal(gain_share_percent_bp={body: 100})
        pf.record_sign_off(SignOff(body, "a" * 64, 1, Decision.APPROVED))
        import datetime as dt

        from planner.model import Cap, CapKind

        scheme, year = next(iter(pf.plan.schemes)), pf.plan.first_year
        pf.set_risk_share(percent_bp={body: 10_000}, caps={body: Cap(CapKind.AMOUNT, 5)})
        pf.set_monitoring(year=year, as_at=dt.date(year, 9, 30))
        pf.update_scheme_year(scheme, year, uncommitted_pence=1, explanation="why")
        pf.set_actual(scheme, year, 1, 100)
        pf.set_received(body, year, 1, 100)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA foreign_keys = ON")
    yield c
    c.close()


def sql_takes(conn, field, value) -> bool:
    """Whether the file takes ``value`` in the field's column of its first row."""
    info = conn.execute(f"PRAGMA table_info({field.table})").fetchall()
    keys = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
    row = conn.execute(f"SELECT {', '.join(keys)} FROM {field.table} LIMIT 1").fetchone()
    assert row is not None, f"no {field.table} row to try"
    where = " AND ".join(f"{k} = ?" for k in keys)
    return takes(conn, f"UPDATE {field.table} SET {field.column} = ? WHERE {where}", (value, *row))


def limits(field):
    """(values the field takes, values just beyond it)."""
    if isinstance(field, F.Text):
        inside = ["x" * field.limit] + ([] if field.required else [""])
        return inside, ["x" * (field.limit + 1)] + ([""] if field.required else [])
    if isinstance(field, F.Whole):
        return [field.low, field.high], [field.low - 1, field.high + 1]
    if field.signed:  # a negative actual is a refund: the row's refund mark says so
        return [0, money.MAX_PENCE], [money.MAX_PENCE + 1]
    return [0, money.MAX_PENCE], [-1, money.MAX_PENCE + 1]


@pytest.mark.parametrize("field", F.EVERY, ids=lambda f: f"{f.table}.{f.column}")
def test_each_field_and_the_file_format_agree_on_its_limit(conn, field):
    columns = {r[1] for r in conn.execute(f"PRAGMA table_info({field.table})")}
    assert field.column in columns
    inside, beyond = limits(field)
    if (field.table, field.column) in CHECKED_WITH_ITS_ROW:
        assert [field.check(v) for v in inside] == inside
        for value in beyond:
            with pytest.raises(EditError):
                field.check(value)
        return
    for value in inside:
        assert field.check(value) == value
        assert sql_takes(conn, field, value), value
    for value in beyond:
        with pytest.raises(EditError):
            field.check(value)
        if (field.table, field.column) not in ONLY_THE_APP_CHECKS:
            assert not sql_takes(conn, field, value), f"the file takes {value!r}"


def test_every_field_the_file_checks_is_described():
    """A CHECK on a column no field describes would be a limit stated only in SQL."""
    described = {(f.table, f.column) for f in F.EVERY}
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, 0)
    unchecked_here = {
        # Identities, references and choices, not values a person types.
        "id", "body_id", "settlement_id", "scheme_id", "cost_id", "benefit_id", "lead_body_id",
        "kind", "role", "status", "decision", "rule", "cashable", "payback_discounted",
        "year", "first_year", "start_year", "announced", "signed_on", "return_by", "fingerprint",
        "recorded_on", "exported_on", "plan_json", "plan", "made_at", "user_name", "display_name",
        "what", "signed_by", "parts", "body_ids", "years", "rows", "schedule", "underspend",
        "method", "quarter", "refund", "as_at", "prices",
        # A budget's quarterly profile: four shares checked together (PROFILE_SHARE says one).
        "q2_bp", "q3_bp", "q4_bp",
    }  # fmt: skip
    for table in sorted(schema.JOURNALED):
        sql = conn.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (table,)).fetchone()[0]
        for column in [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]:
            if column in unchecked_here:
                continue
            if f"CHECK ({column}" in sql or f"CHECK (length({column})" in sql:
                assert (table, column) in described, f"{table}.{column}"


def test_the_schedule_a_new_file_starts_with_is_the_green_books():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, 0)
    seeded = tuple(conn.execute("SELECT start_year, rate_bp FROM discount_band ORDER BY 1"))
    assert seeded == GREEN_BOOK_STANDARD


def test_an_actual_is_negative_only_as_a_refund_in_the_file_too(conn):
    assert F.ACTUAL.check(-money.MAX_PENCE) == -money.MAX_PENCE
    with pytest.raises(EditError):
        F.ACTUAL.check(-money.MAX_PENCE - 1)
    key = conn.execute("SELECT scheme_id, year, quarter FROM scheme_actual LIMIT 1").fetchone()
    where = "scheme_id = ? AND year = ? AND quarter = ?"
    for amount, refund, taken in ((-5, 1, True), (-5, 0, False), (5, 1, False), (0, 0, True),
                                  (-money.MAX_PENCE - 1, 1, False)):  # fmt: skip
        took = takes(
            conn,
            f"UPDATE scheme_actual SET amount_pence = ?, refund = ? WHERE {where}",
            (amount, refund, *key),
        )
        assert took is taken, (amount, refund)


def test_a_profile_is_four_shares_adding_up_to_the_whole_in_the_file_too(conn):
    key = conn.execute("SELECT scheme_id, year FROM scheme_monitoring LIMIT 1").fetchone()
    for shares, taken in (((2500,) * 4, True), ((None,) * 4, True), ((5000, 5000, 0, 1), False),
                          ((10_000, None, None, None), False), ((-1, 5001, 2500, 2500), False)):  # fmt: skip
        took = takes(
            conn,
            "UPDATE scheme_monitoring SET q1_bp = ?, q2_bp = ?, q3_bp = ?, q4_bp = ? "
            "WHERE scheme_id = ? AND year = ?",
            (*shares, *key),
        )
        assert took is taken, shares


def takes(conn, sql: str, args: tuple) -> bool:
    """Whether the file takes the update (its checks pass); undone either way."""
    conn.execute("SAVEPOINT try")
    try:
        conn.execute(sql, args)
        return True
    except sqlite3.IntegrityError:
        return False
    finally:
        conn.execute("ROLLBACK TO try")
        conn.execute("RELEASE try")
