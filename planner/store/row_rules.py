"""The rules every row of a plan file must keep, checked when a plan is opened: the same rules
the writer enforces (``planner.fields`` and the edits), which a received file may break. SQLite
skips the file's own CHECK constraints when it checks a read-only connection, and foreign keys
say nothing of a year outside the plan or a settlement funding another body's money.

Each rule is one query, written from the field descriptions where there is one, naming the
first row that breaks it. They run on the checking thread beside the read, so they cost the open
next to nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from planner import fields as F
from planner import money
from planner import years as fy
from planner.deflator import series
from planner.errors import PlannerError
from planner.optimism_bias import project_types


def _field_rules() -> Iterator[tuple[str, str, str]]:
    """(table, query for the first row that breaks the field's limit, the rule in words)."""
    for f in F.EVERY:
        if f.table == "history":
            continue  # its entries are checked as they are replayed (store.history.rows_of)
        c = f.column
        if isinstance(f, F.Text):
            bad = f"typeof({c}) != 'text' OR length({c}) > {f.limit}"
            if f.required:
                bad += f" OR trim({c}) = ''"
            # Its characters (controls, invisible ones, their form) are the writer's own rule,
            # text.clean, which _text_not_as_written applies to the text that can break it.
            words = f"the {f.what} is text of at most {f.limit:,} characters"
        elif isinstance(f, F.Whole):
            bad = f"typeof({c}) != 'integer' OR {c} NOT BETWEEN {f.low} AND {f.high}"
            if f.nullable:
                bad = f"{c} IS NOT NULL AND ({bad})"
            words = f"the {f.what} is a whole number from {f.low} to {f.high}"
        else:
            low = -money.MAX_PENCE if f.signed else 0
            bad = f"typeof({c}) != 'integer' OR {c} NOT BETWEEN {low} AND {money.MAX_PENCE}"
            if f.table == "settlement_year":  # an amount not yet known is allowed
                bad = f"{c} IS NOT NULL AND ({bad})"
            sign = "" if f.signed else ", not negative"
            words = f"the {f.what} is a whole number of pence{sign}, at most £100bn"
        yield f.table, f"SELECT * FROM {f.table} WHERE {bad} LIMIT 1", words


# The rules that hold between rows of the year after sign-off: checked when a plan is opened,
# and at the end of any edit that wrote the tables they read (an undo, a redo or a revert
# included, which replay rows without the edits' own checks). (tables read, query, words)
MONITORING_RULES = [
    (
        "scheme_actual",
        # The quarter's last day (Q1 ends in June of the year, Q4 in March of the next) is
        # on or before the as-at date: what an edit of an actual asks.
        "SELECT a.* FROM scheme_actual a, monitoring m WHERE m.as_at IS NULL OR "
        "date(printf('%04d-%02d-01', a.year + (a.quarter = 4), (a.quarter * 3 + 2) % 12 + 1), "
        "'+1 month', '-1 day') > m.as_at LIMIT 1",
        "an actual is for a quarter ended by the as-at date",
    ),
    (
        "risk_share",
        "SELECT r.rule, (SELECT sum(percent_bp) FROM risk_share_percent) FROM risk_share r "
        "WHERE (r.rule = 'agreed' OR EXISTS (SELECT 1 FROM risk_share_percent)) "
        "AND coalesce((SELECT sum(percent_bp) FROM risk_share_percent), 0) != 10000 LIMIT 1",
        "the agreed risk-share percentages add up to 100%",
    ),
    (
        "scheme_monitoring",
        "SELECT * FROM scheme_monitoring WHERE method = 'entered' AND trim(reason) = '' LIMIT 1",
        "an entered forecast gives its reason",
    ),
]
# Which tables' rows each of those rules reads.
MONITORING_RULE_TABLES = [
    {"scheme_actual", "monitoring"},
    {"risk_share", "risk_share_percent"},
    {"scheme_monitoring"},
]


def _price_rules() -> list[tuple[str, str, str]]:
    """The price settings' rules (``planner.deflator.check_prices``, which the edit asks):
    checked on opening, and after an edit of the plan's years or the settings."""
    first = series().first
    return [
        (
            "gain_share",
            "SELECT * FROM gain_share WHERE prices = 'real' "
            "AND (price_base_year IS NOT NULL OR inflation_bp != 0) LIMIT 1",
            "figures entered in real terms have no price base year or assumed inflation",
        ),
        (
            "gain_share",
            "SELECT * FROM gain_share WHERE prices = 'nominal' AND price_base_year IS NULL LIMIT 1",
            "figures entered in cash have a price base year",
        ),
        (
            "gain_share",
            f"SELECT * FROM gain_share WHERE prices = 'nominal' AND (price_base_year < {first} "
            f"OR (SELECT first_year FROM plan) < {first}) LIMIT 1",
            f"figures entered in cash, and their base year, are in years the GDP deflator "
            f"covers (from {fy.label(first)})",
        ),
    ]


PRICE_RULES = _price_rules()
PRICE_RULE_TABLES = {"plan", "gain_share"}


_IN_PLAN = (
    "year NOT BETWEEN (SELECT first_year FROM plan) AND (SELECT first_year + years - 1 FROM plan)"
)

_RULES = [
    (
        "contribution",
        f"SELECT * FROM contribution WHERE {_IN_PLAN} LIMIT 1",
        "a contribution is in one of the plan's years",
    ),
    (
        "scheme_spend",
        f"SELECT * FROM scheme_spend WHERE {_IN_PLAN} LIMIT 1",
        "spending is in one of the plan's years",
    ),
    (
        "cost_year",
        f"SELECT * FROM cost_year WHERE {_IN_PLAN} LIMIT 1",
        "a cost is in one of the plan's years",
    ),
    (
        "benefit_year",
        f"SELECT * FROM benefit_year WHERE {_IN_PLAN} LIMIT 1",
        "a benefit is in one of the plan's years",
    ),
    *(
        (
            table,
            f"SELECT * FROM {table} WHERE {_IN_PLAN} LIMIT 1",
            f"{what} is in one of the plan's years",
        )
        for table, what in (
            ("scheme_monitoring", "a monitored scheme year"),
            ("scheme_actual", "an actual"),
            ("payment", "money received"),
        )
    ),
    (
        "monitoring",
        f"SELECT * FROM monitoring WHERE year IS NOT NULL AND {_IN_PLAN} LIMIT 1",
        "the year monitored is one of the plan's years",
    ),
    *(
        (
            table,
            f"SELECT * FROM {table} WHERE typeof({column}) != 'integer' LIMIT 1",
            f"a {table.replace('_', ' ')}'s {column} is a whole number",
        )
        for table, column in (
            ("contribution", "year"),
            ("scheme_spend", "year"),
            ("cost_year", "year"),
            ("benefit_year", "year"),
            ("settlement_year", "year"),
            ("scheme_monitoring", "year"),
            ("scheme_actual", "year"),
            ("scheme_actual", "quarter"),
            ("payment", "year"),
            ("payment", "quarter"),
        )
    ),
    (
        "scheme_monitoring",
        "SELECT * FROM scheme_monitoring WHERE "
        + " OR ".join(f"(q{q}_bp IS NOT NULL AND typeof(q{q}_bp) != 'integer')" for q in (2, 3, 4))
        + " LIMIT 1",
        "a quarter's share of the budget is a whole number",
    ),
    (
        "monitoring",
        "SELECT * FROM monitoring WHERE year IS NOT NULL AND typeof(year) != 'integer' LIMIT 1",
        "the year monitored is a whole number",
    ),
    *(
        (
            table,
            f"SELECT 'none' WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE id = 1)",
            f"the plan keeps its {what}",
        )
        for table, what in (
            ("monitoring", "monitoring settings"),
            ("risk_share", "risk-share rule"),
        )
    ),
    *MONITORING_RULES,
    *PRICE_RULES,
    (
        "contribution",
        "SELECT c.* FROM contribution c JOIN settlement s ON s.id = c.settlement_id "
        "WHERE s.body_id != c.body_id LIMIT 1",
        "a contribution is funded only by its own body's settlement",
    ),
    (
        "cost_line",
        "SELECT * FROM cost_line WHERE project_type != '' AND project_type NOT IN ("
        + ", ".join(f"'{k}'" for k in project_types())
        + ") LIMIT 1",
        "a cost line's project type is one of the Green Book's",
    ),
    (
        "settlement_year",
        "SELECT * FROM settlement_year WHERE conditional_pence > 0 "
        "AND (amount_pence IS NULL OR trim(condition) = '') LIMIT 1",
        "money paid on results has its condition in words, beside a known amount",
    ),
    (
        "settlement_year",
        "SELECT * FROM settlement_year WHERE conditional_pence = 0 "
        "AND (condition != '' OR expected_bp != 0 OR earned_pence IS NOT NULL) LIMIT 1",
        "a condition, its expected share and what was earned belong to money paid on results",
    ),
    (
        "settlement_year",
        "SELECT * FROM settlement_year WHERE earned_pence > conditional_pence LIMIT 1",
        "no more is earned on results than was at stake",
    ),
    (
        "discount_band",
        "SELECT 'none' WHERE NOT EXISTS (SELECT 1 FROM discount_band WHERE start_year = 0)",
        "the discount schedule starts at year 0",
    ),
    (
        "settlement",
        "SELECT * FROM settlement WHERE announced IS NOT NULL "
        "AND date(announced) IS NOT announced LIMIT 1",
        "an announcement date is a date",
    ),
    (
        "sign_off",
        "SELECT * FROM sign_off WHERE (signed_on IS NOT NULL AND date(signed_on) IS NOT "
        "signed_on) OR date(recorded_on) IS NOT recorded_on LIMIT 1",
        "a sign-off's dates are dates",
    ),
]


# The history's entries: what each records is read again to list it, and replayed to revert it
# (where each row is checked once more, against the rules above, by store.history.rows_of).
_WELL_FORMED = " AND ".join(
    f"json_valid({c}) AND json_type({c}) = 'array'"
    for c in ("signed_by", "parts", "body_ids", "years", "rows")
)
_RULES.append(
    (
        "history",
        f"SELECT id, what FROM history WHERE NOT ({_WELL_FORMED}) "
        "OR datetime(made_at) IS NULL LIMIT 1",
        "a history entry records its time and its rows in the form Pool Planner writes",
    )
)

RULES = [*_field_rules(), *_RULES]


def _constraint_rules(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str]]:
    """The file's own CHECK constraints, as rules: SQLite checks them as it writes, but not when
    a read-only connection checks the file, and a file written by another program may hold rows
    that break them. Their text is Pool Planner's: the structure check has compared every
    table's statement with the one the migrations make."""
    for table, sql in conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ):
        for expression in checks_of(sql or ""):
            words = f"the file's own check ({' '.join(expression.split())}) holds"
            query = f'SELECT * FROM "{table}" WHERE NOT ({expression}) LIMIT 1'
            yield table, query, words


def checks_of(sql: str) -> list[str]:
    """The expressions of the CHECK constraints in a CREATE TABLE statement (which keeps its
    comments: a comment's apostrophe is not a quote)."""
    found, i, n = [], 0, len(sql)
    while i < n:
        ch = sql[i]
        if sql.startswith("--", i):
            i = sql.find("\n", i)
            i = n if i < 0 else i
        elif ch in "'\"":
            i = sql.find(ch, i + 1) + 1 or n
        elif sql[i : i + 5].upper() == "CHECK" and (i == 0 or not sql[i - 1].isalnum()):
            j = i + 5
            while j < n and sql[j].isspace():
                j += 1
            if j < n and sql[j] == "(":
                end = _closing(sql, j)
                found.append(sql[j + 1 : end])
                i = end
            i += 1
        else:
            i += 1
    return found


def _closing(sql: str, start: int) -> int:
    """The index of the parenthesis that closes the one at ``start``."""
    depth, i = 0, start
    while i < len(sql):
        ch = sql[i]
        if ch in "'\"":
            i = sql.find(ch, i + 1)
            if i < 0:
                break
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("a CHECK constraint's parentheses do not close")


# The next id of each AUTOINCREMENT table: one near SQLite's largest would make every later
# insert fail, as if the disk were full. No plan comes near this many rows.
_MOST_IDS = 2**53


def _sequence_rules(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str]]:
    if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").fetchone():
        yield (
            "sqlite_sequence",
            "SELECT * FROM sqlite_sequence WHERE typeof(seq) != 'integer' "
            f"OR seq NOT BETWEEN 0 AND {_MOST_IDS} LIMIT 1",
            f"a table's next id is a whole number below {_MOST_IDS:,}",
        )


def broken_by_edit(conn: sqlite3.Connection, rows) -> str | None:
    """The first rule between rows that an edit writing ``rows`` (``RowChange``s) has broken,
    in words; None if it broke none. An edit that wrote only some actuals has only those to
    check against the as-at date (a whole scan of every actual was a good part of an edit on
    a large plan). An edit of the plan's years must leave every figure in one of them: the
    file would otherwise be refused the next time it is opened."""
    tables = {r.table for r in rows}
    if "plan" in tables:
        for _table, query, words in _RULES:
            if _IN_PLAN in query and conn.execute(query).fetchone() is not None:
                return words
    if PRICE_RULE_TABLES & tables:
        for _table, query, words in PRICE_RULES:
            if conn.execute(query).fetchone() is not None:
                return words
    for i, ((_, query, words), read) in enumerate(
        zip(MONITORING_RULES, MONITORING_RULE_TABLES, strict=True)
    ):
        if not read & tables:
            continue
        if i == 0 and "monitoring" not in tables:
            if _late_actual(
                conn, [r.after for r in rows if r.table == "scheme_actual" and r.after]
            ):
                return words
            continue
        if conn.execute(query).fetchone() is not None:
            return words
    return None


def _late_actual(conn: sqlite3.Connection, actuals: list) -> bool:
    """Whether any of ``actuals`` (scheme_actual rows) is for a quarter not ended by the
    as-at date."""
    if not actuals:
        return False
    from planner.monitoring import quarter_end

    (as_at,) = conn.execute("SELECT as_at FROM monitoring WHERE id = 1").fetchone() or (None,)
    if as_at is None:
        return True
    return any(quarter_end(row[1], row[2]).isoformat() > as_at for row in actuals)


def first_broken(conn: sqlite3.Connection) -> str | None:
    """The first rule a row of the file breaks, in words naming the row; None: every row keeps
    every rule (the writer's, in its words, then the file's own checks)."""
    for table, query, words in [*RULES, *_constraint_rules(conn), *_sequence_rules(conn)]:
        row = conn.execute(query).fetchone()
        if row is not None:
            return _broken(table, row, words)
    return _text_not_as_written(conn) or _names_alike(conn)


def _broken(table: str, row, words: str) -> str:
    shown = ", ".join(_short(v) for v in row[:3])
    return f"a {table.replace('_', ' ')} row ({shown}) breaks the rule that {words}"


def _text_not_as_written(conn: sqlite3.Connection) -> str | None:
    """Text the writer would have refused or written otherwise: what SQL cannot see, its
    characters' Unicode categories and normalisation. Only text that is not plain printable
    ASCII, or has space at an end, can differ, so only that is read into Python (on a large
    plan, next to none of it)."""
    for f in F.EVERY:
        if not isinstance(f, F.Text) or f.table == "history":
            continue
        c = f.column
        cursor = conn.execute(
            f"SELECT * FROM {f.table} WHERE typeof({c}) = 'text' "
            f"AND ({c} GLOB '*[^ -~]*' OR {c} != trim({c}))"
        )
        at = [d[0] for d in cursor.description].index(c)
        for row in cursor:
            try:
                same = f.check(row[at]) == row[at]
            except PlannerError as e:  # what the writer would say, were it typed
                shown = ", ".join(_short(v) for v in row[:3])
                return f"a {f.table.replace('_', ' ')} row ({shown}) holds what the writer refuses: {e}"
            if not same:
                return _broken(
                    f.table,
                    row,
                    f"the {f.what} is kept as it was typed: normalised, no space at the ends",
                )
    return None


def _names_alike(conn: sqlite3.Connection) -> str | None:
    seen: dict[str, tuple] = {}
    for row in conn.execute("SELECT * FROM body"):
        other = seen.setdefault(F.name_key(row[1]), row)
        if other is not row:
            return _broken("body", row, f"no two bodies have the same name ({other[1]!r})")
    return None


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
