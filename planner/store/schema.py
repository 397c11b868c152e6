"""The .poolplan file format: an SQLite database marked with our application_id, its schema
version in user_version, upgraded by forward-only migrations (SQLite's "application file format"
advice). Never edit a released migration: add the next one.
"""

from __future__ import annotations

# "PPln" in ASCII; lets `file` and this app tell a plan from any other SQLite database.
APPLICATION_ID = 0x50506C6E

_V1 = """
CREATE TABLE plan (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT NOT NULL DEFAULT '',
    first_year INTEGER NOT NULL CHECK (first_year BETWEEN 1900 AND 2200),
    years INTEGER NOT NULL CHECK (years BETWEEN 1 AND 60),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'out_for_sign_off', 'signed')),
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE TABLE body (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    kind TEXT NOT NULL CHECK (kind IN ('council', 'ccg_icb', 'nhs_trust', 'police', 'fire',
        'probation', 'dwp', 'central_government', 'voluntary_sector', 'other')),
    role TEXT NOT NULL DEFAULT 'contributor' CHECK (role IN ('host', 'contributor')),
    signatory_name TEXT NOT NULL DEFAULT '',
    signatory_title TEXT NOT NULL DEFAULT ''
);
CREATE TABLE settlement (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    announced TEXT CHECK (announced IS NULL OR date(announced) = announced),
    source_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX settlement_body ON settlement(body_id);
CREATE TABLE settlement_year (
    settlement_id INTEGER NOT NULL REFERENCES settlement(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'indicative')),
    amount_pence INTEGER CHECK (amount_pence IS NULL OR
        (typeof(amount_pence) = 'integer' AND amount_pence BETWEEN 0 AND 10000000000000)),
    PRIMARY KEY (settlement_id, year)
) WITHOUT ROWID;
CREATE TABLE contribution (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    -- A settlement with contributions cannot be deleted: they must be re-linked or removed first.
    settlement_id INTEGER REFERENCES settlement(id),
    amount_pence INTEGER NOT NULL CHECK (typeof(amount_pence) = 'integer'
        AND amount_pence BETWEEN 0 AND 10000000000000),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contribution_body_year ON contribution(body_id, year);
CREATE INDEX contribution_settlement ON contribution(settlement_id);
CREATE TABLE scheme (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    lead_body_id INTEGER REFERENCES body(id) ON DELETE SET NULL,
    provider TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE scheme_spend (
    scheme_id INTEGER NOT NULL REFERENCES scheme(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    amount_pence INTEGER NOT NULL CHECK (typeof(amount_pence) = 'integer'
        AND amount_pence BETWEEN 0 AND 10000000000000),
    PRIMARY KEY (scheme_id, year)
) WITHOUT ROWID;
"""

# v2: findings thresholds live in the plan, and a body has at most one contribution per
# settlement (or one unfunded contribution) per year, so a grid cell means one row; v1 files
# that held duplicates have them merged by adding the amounts.
_V2 = """
UPDATE contribution SET amount_pence = (
    SELECT sum(c2.amount_pence) FROM contribution c2
    WHERE c2.body_id = contribution.body_id AND c2.year = contribution.year
      AND coalesce(c2.settlement_id, 0) = coalesce(contribution.settlement_id, 0))
WHERE id IN (SELECT min(id) FROM contribution GROUP BY body_id, year, coalesce(settlement_id, 0));
DELETE FROM contribution WHERE id NOT IN (
    SELECT min(id) FROM contribution GROUP BY body_id, year, coalesce(settlement_id, 0));
ALTER TABLE plan ADD COLUMN renewal_cliff_share_bp INTEGER NOT NULL DEFAULT 5000
    CHECK (renewal_cliff_share_bp BETWEEN 1 AND 10000);
CREATE UNIQUE INDEX contribution_one_per_stream
    ON contribution(body_id, year, coalesce(settlement_id, 0));
"""

# v3: who invests and who benefits. Costs and benefits by scheme and body, the discount
# schedule (the Green Book's standard one to start with) and the gain-share agreement.
_V3 = """
ALTER TABLE plan ADD COLUMN benefit_mismatch_bp INTEGER NOT NULL DEFAULT 5000
    CHECK (benefit_mismatch_bp BETWEEN 1 AND 10000);
CREATE TABLE cost_line (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES scheme(id) ON DELETE CASCADE,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    UNIQUE (scheme_id, body_id)
);
CREATE TABLE cost_year (
    cost_id INTEGER NOT NULL REFERENCES cost_line(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    amount_pence INTEGER NOT NULL CHECK (typeof(amount_pence) = 'integer'
        AND amount_pence BETWEEN 0 AND 10000000000000),
    PRIMARY KEY (cost_id, year)
) WITHOUT ROWID;
CREATE TABLE benefit_line (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES scheme(id) ON DELETE CASCADE,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    cashable INTEGER NOT NULL DEFAULT 1 CHECK (cashable IN (0, 1)),
    optimism_bias_bp INTEGER NOT NULL DEFAULT 0 CHECK (optimism_bias_bp BETWEEN 0 AND 10000),
    confidence TEXT NOT NULL DEFAULT ''
);
CREATE TABLE benefit_year (
    benefit_id INTEGER NOT NULL REFERENCES benefit_line(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    amount_pence INTEGER NOT NULL CHECK (typeof(amount_pence) = 'integer'
        AND amount_pence BETWEEN 0 AND 10000000000000),
    PRIMARY KEY (benefit_id, year)
) WITHOUT ROWID;
CREATE TABLE discount_band (
    start_year INTEGER PRIMARY KEY CHECK (start_year >= 0),
    rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000)
);
INSERT INTO discount_band VALUES (0, 350), (31, 300), (76, 250), (126, 200), (201, 150),
    (301, 100);
CREATE TABLE gain_share (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rule TEXT NOT NULL DEFAULT 'none'
        CHECK (rule IN ('none', 'pro_rata', 'fixed', 'investors_first')),
    payback_discounted INTEGER NOT NULL DEFAULT 1 CHECK (payback_discounted IN (0, 1))
);
INSERT INTO gain_share (id) VALUES (1);
CREATE TABLE gain_share_percent (
    body_id INTEGER PRIMARY KEY REFERENCES body(id) ON DELETE CASCADE,
    percent_bp INTEGER NOT NULL CHECK (percent_bp BETWEEN 0 AND 10000)
);
"""

# v4: partner returns. Each export keeps the plan as it was sent (so a return can be compared
# with exactly what the partner saw), and each body's sign-off of a version is recorded.
# Neither is part of the plan's content, so neither changes its fingerprint.
_V4 = """
CREATE TABLE export_record (
    fingerprint TEXT PRIMARY KEY CHECK (length(fingerprint) = 64),
    version INTEGER NOT NULL,
    exported_on TEXT NOT NULL,
    plan_json TEXT NOT NULL
);
CREATE TABLE sign_off (
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
    version INTEGER NOT NULL,
    signatory TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL
        CHECK (decision IN ('approved', 'approved_with_comments', 'not_approved')),
    signed_on TEXT CHECK (signed_on IS NULL OR date(signed_on) = signed_on),
    comments TEXT NOT NULL DEFAULT '',
    recorded_on TEXT NOT NULL,
    PRIMARY KEY (body_id, fingerprint)
);
"""

# v5: a row id is never used twice. Undo puts a deleted row back with its own id, and a history
# entry names rows by id, so SQLite must not hand a freed id to a new row: the tables with ids
# are rebuilt with AUTOINCREMENT (SQLite's twelve steps; ``migrate`` turns foreign keys off for
# it and checks them before committing). Columns, checks and indexes are as before.
_V5 = """
CREATE TABLE new_body (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    kind TEXT NOT NULL CHECK (kind IN ('council', 'ccg_icb', 'nhs_trust', 'police', 'fire',
        'probation', 'dwp', 'central_government', 'voluntary_sector', 'other')),
    role TEXT NOT NULL DEFAULT 'contributor' CHECK (role IN ('host', 'contributor')),
    signatory_name TEXT NOT NULL DEFAULT '',
    signatory_title TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_body SELECT id, name, kind, role, signatory_name, signatory_title FROM body;
DROP TABLE body;
ALTER TABLE new_body RENAME TO body;
CREATE TABLE new_settlement (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    announced TEXT CHECK (announced IS NULL OR date(announced) = announced),
    source_note TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_settlement SELECT id, body_id, name, announced, source_note FROM settlement;
DROP TABLE settlement;
ALTER TABLE new_settlement RENAME TO settlement;
CREATE INDEX settlement_body ON settlement(body_id);
CREATE TABLE new_contribution (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    -- A settlement with contributions cannot be deleted: they must be re-linked or removed first.
    settlement_id INTEGER REFERENCES settlement(id),
    amount_pence INTEGER NOT NULL CHECK (typeof(amount_pence) = 'integer'
        AND amount_pence BETWEEN 0 AND 10000000000000),
    note TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_contribution
    SELECT id, body_id, year, settlement_id, amount_pence, note FROM contribution;
DROP TABLE contribution;
ALTER TABLE new_contribution RENAME TO contribution;
CREATE INDEX contribution_body_year ON contribution(body_id, year);
CREATE INDEX contribution_settlement ON contribution(settlement_id);
CREATE UNIQUE INDEX contribution_one_per_stream
    ON contribution(body_id, year, coalesce(settlement_id, 0));
CREATE TABLE new_scheme (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    lead_body_id INTEGER REFERENCES body(id) ON DELETE SET NULL,
    provider TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_scheme SELECT id, name, lead_body_id, provider, description FROM scheme;
DROP TABLE scheme;
ALTER TABLE new_scheme RENAME TO scheme;
CREATE TABLE new_cost_line (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id INTEGER NOT NULL REFERENCES scheme(id) ON DELETE CASCADE,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    UNIQUE (scheme_id, body_id)
);
INSERT INTO new_cost_line SELECT id, scheme_id, body_id FROM cost_line;
DROP TABLE cost_line;
ALTER TABLE new_cost_line RENAME TO cost_line;
CREATE TABLE new_benefit_line (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id INTEGER NOT NULL REFERENCES scheme(id) ON DELETE CASCADE,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    cashable INTEGER NOT NULL DEFAULT 1 CHECK (cashable IN (0, 1)),
    optimism_bias_bp INTEGER NOT NULL DEFAULT 0 CHECK (optimism_bias_bp BETWEEN 0 AND 10000),
    confidence TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_benefit_line
    SELECT id, scheme_id, body_id, cashable, optimism_bias_bp, confidence FROM benefit_line;
DROP TABLE benefit_line;
ALTER TABLE new_benefit_line RENAME TO benefit_line;
"""

# v6: the plan's history. Each committed edit appends one entry: when, who, what, and the image
# of every row it wrote (JSON, [[table, before, after], ...]) with the parts, bodies and years
# they touched, for filtering. Undo, redo and revert are entries too; nothing is rewritten.
# Not part of the plan: neither the JSON dump nor the fingerprint includes it.
_V6 = """
CREATE TABLE history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    made_at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('edit', 'undo', 'redo', 'revert')),
    signed_by TEXT NOT NULL DEFAULT '',
    parts TEXT NOT NULL,
    body_ids TEXT NOT NULL,
    years TEXT NOT NULL,
    rows TEXT NOT NULL
);
"""

# v7: the plan as each export sent it, compressed and kept once per fingerprint, apart from the
# export's record: it never changes once written, so no edit or undo needs to copy it (the
# journal's row images are JSON, which cannot hold it). Records written before v7 keep their
# plan in export_record.plan_json; later ones leave that empty.
# And the sign-off round: the words each body approves ('' for the default wording), and where
# and by when the workbook goes back (not part of the plan's content or fingerprint).
_V7 = """
CREATE TABLE export_plan (
    fingerprint TEXT PRIMARY KEY CHECK (length(fingerprint) = 64),
    plan BLOB NOT NULL CHECK (typeof(plan) = 'blob')
);
ALTER TABLE plan ADD COLUMN sign_off_wording TEXT NOT NULL DEFAULT ''
    CHECK (length(sign_off_wording) <= 5000);
ALTER TABLE plan ADD COLUMN return_to TEXT NOT NULL DEFAULT ''
    CHECK (length(return_to) <= 200);
ALTER TABLE plan ADD COLUMN return_by TEXT
    CHECK (return_by IS NULL OR date(return_by) IS return_by);
"""

# v8: the year after sign-off. The risk-share agreement partners sign (part of the plan's
# content and fingerprint): the shared lines (every other scheme is a fixed line), the rule,
# agreed percentages, caps, the reserve and what an underspend does; and when each
# settlement's money is paid. Then in-year monitoring, which is not content (entering an actual
# does not void a sign-off): the year monitored and the date its figures are as at, each
# scheme's actuals by quarter (negative only as a refund, marked so), its forecast, the
# variance's explanation and its uncommitted money, and the money received from each body.
_V8 = """
ALTER TABLE settlement ADD COLUMN schedule TEXT NOT NULL DEFAULT 'quarterly'
    CHECK (schedule IN ('quarterly', 'monthly'));
CREATE TABLE risk_share (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rule TEXT NOT NULL DEFAULT 'pro_rata' CHECK (rule IN ('pro_rata', 'agreed', 'commissioner')),
    reserve_pence INTEGER NOT NULL DEFAULT 0 CHECK (typeof(reserve_pence) = 'integer'
        AND reserve_pence BETWEEN 0 AND 10000000000000),
    underspend TEXT NOT NULL DEFAULT 'keep' CHECK (underspend IN ('keep', 'return', 'offset'))
);
INSERT INTO risk_share (id) VALUES (1);
CREATE TABLE risk_share_line (
    scheme_id INTEGER PRIMARY KEY REFERENCES scheme(id) ON DELETE CASCADE
);
CREATE TABLE risk_share_percent (
    body_id INTEGER PRIMARY KEY REFERENCES body(id) ON DELETE CASCADE,
    percent_bp INTEGER NOT NULL CHECK (percent_bp BETWEEN 0 AND 10000)
);
CREATE TABLE risk_share_cap (
    body_id INTEGER PRIMARY KEY REFERENCES body(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('contribution', 'amount')),
    amount_pence INTEGER NOT NULL DEFAULT 0 CHECK (typeof(amount_pence) = 'integer'
        AND amount_pence BETWEEN 0 AND 10000000000000)
);
CREATE TABLE monitoring (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    year INTEGER CHECK (year IS NULL OR year BETWEEN 1900 AND 2200),
    as_at TEXT CHECK (as_at IS NULL OR date(as_at) IS as_at),
    threshold_bp INTEGER NOT NULL DEFAULT 100 CHECK (threshold_bp BETWEEN 1 AND 10000)
);
INSERT INTO monitoring (id) VALUES (1);
CREATE TABLE scheme_monitoring (
    scheme_id INTEGER NOT NULL REFERENCES scheme(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    method TEXT NOT NULL DEFAULT 'profile' CHECK (method IN ('profile', 'run_rate', 'entered')),
    forecast_pence INTEGER NOT NULL DEFAULT 0 CHECK (typeof(forecast_pence) = 'integer'
        AND forecast_pence BETWEEN 0 AND 10000000000000),
    reason TEXT NOT NULL DEFAULT '',
    explanation TEXT NOT NULL DEFAULT '',
    uncommitted_pence INTEGER NOT NULL DEFAULT 0 CHECK (typeof(uncommitted_pence) = 'integer'
        AND uncommitted_pence BETWEEN 0 AND 10000000000000),
    q1_bp INTEGER,
    q2_bp INTEGER,
    q3_bp INTEGER,
    q4_bp INTEGER,
    CHECK ((q1_bp IS NULL AND q2_bp IS NULL AND q3_bp IS NULL AND q4_bp IS NULL)
        OR (q1_bp IS NOT NULL AND q2_bp IS NOT NULL AND q3_bp IS NOT NULL AND q4_bp IS NOT NULL
            AND q1_bp BETWEEN 0 AND 10000 AND q2_bp BETWEEN 0 AND 10000 AND q3_bp BETWEEN 0 AND 10000
            AND q4_bp BETWEEN 0 AND 10000 AND q1_bp + q2_bp + q3_bp + q4_bp = 10000)),
    PRIMARY KEY (scheme_id, year)
) WITHOUT ROWID;
CREATE TABLE scheme_actual (
    scheme_id INTEGER NOT NULL REFERENCES scheme(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    amount_pence INTEGER NOT NULL CHECK (typeof(amount_pence) = 'integer'
        AND amount_pence BETWEEN -10000000000000 AND 10000000000000),
    -- A negative actual is a refund, and only one marked so.
    refund INTEGER NOT NULL DEFAULT 0 CHECK (refund IN (0, 1) AND refund = (amount_pence < 0)),
    PRIMARY KEY (scheme_id, year, quarter)
) WITHOUT ROWID;
CREATE TABLE payment (
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    amount_pence INTEGER NOT NULL CHECK (typeof(amount_pence) = 'integer'
        AND amount_pence BETWEEN 0 AND 10000000000000),
    PRIMARY KEY (body_id, year, quarter)
) WITHOUT ROWID;
"""

# v9: the Green Book's additionality adjustments per benefit line (HM Treasury's 2014
# cost-benefit guidance for local partnerships): the shares taken off for deadweight,
# displacement, leakage and substitution, before optimism bias. Part of the plan's content.
_V9 = """
ALTER TABLE benefit_line ADD COLUMN deadweight_bp INTEGER NOT NULL DEFAULT 0
    CHECK (deadweight_bp BETWEEN 0 AND 10000);
ALTER TABLE benefit_line ADD COLUMN displacement_bp INTEGER NOT NULL DEFAULT 0
    CHECK (displacement_bp BETWEEN 0 AND 10000);
ALTER TABLE benefit_line ADD COLUMN leakage_bp INTEGER NOT NULL DEFAULT 0
    CHECK (leakage_bp BETWEEN 0 AND 10000);
ALTER TABLE benefit_line ADD COLUMN substitution_bp INTEGER NOT NULL DEFAULT 0
    CHECK (substitution_bp BETWEEN 0 AND 10000);
"""

# v10: payment by results. A settlement year may carry a part paid only if results are
# achieved, on top of its amount: how much, the condition in words, the board's expected share,
# and once the result is known what was earned. Part of the plan's content. The rules between
# these columns (a condition for money at stake, nothing earned beyond it) are checked with
# words on opening, by planner.store.row_rules, and by the edits.
_V10 = """
ALTER TABLE settlement_year ADD COLUMN conditional_pence INTEGER NOT NULL DEFAULT 0
    CHECK (typeof(conditional_pence) = 'integer'
        AND conditional_pence BETWEEN 0 AND 10000000000000);
ALTER TABLE settlement_year ADD COLUMN condition TEXT NOT NULL DEFAULT '';
ALTER TABLE settlement_year ADD COLUMN expected_bp INTEGER NOT NULL DEFAULT 0
    CHECK (expected_bp BETWEEN 0 AND 10000);
ALTER TABLE settlement_year ADD COLUMN earned_pence INTEGER
    CHECK (earned_pence IS NULL OR (typeof(earned_pence) = 'integer'
        AND earned_pence BETWEEN 0 AND 10000000000000));
"""

# v11: the Green Book's optimism-bias uplift on costs, per cost line: an upper bound (a
# project type's, copied from planner/data/optimism_bias.csv, or a percentage typed in), the
# share of it mitigated, and the project type it came from. Part of the plan's content.
_V11 = """
ALTER TABLE cost_line ADD COLUMN uplift_bp INTEGER NOT NULL DEFAULT 0
    CHECK (uplift_bp BETWEEN 0 AND 100000);
ALTER TABLE cost_line ADD COLUMN mitigation_bp INTEGER NOT NULL DEFAULT 0
    CHECK (mitigation_bp BETWEEN 0 AND 10000);
ALTER TABLE cost_line ADD COLUMN project_type TEXT NOT NULL DEFAULT '';
"""

# v12: real and nominal prices, on the appraisal's one row: whether the costs and benefits are
# entered in real terms (the default, so every plan before is as it was) or in cash, and for
# cash the price base year (a financial year) and the inflation assumed after the GDP
# deflator's series ends. Part of the plan's content. The rules between them, and the years
# the deflator covers, are checked with words on opening (planner.store.row_rules) and by the
# edit (planner.deflator.check_prices).
_V12 = """
ALTER TABLE gain_share ADD COLUMN prices TEXT NOT NULL DEFAULT 'real'
    CHECK (prices IN ('real', 'nominal'));
ALTER TABLE gain_share ADD COLUMN price_base_year INTEGER
    CHECK (price_base_year IS NULL OR price_base_year BETWEEN 1900 AND 2200);
ALTER TABLE gain_share ADD COLUMN inflation_bp INTEGER NOT NULL DEFAULT 0
    CHECK (inflation_bp BETWEEN -1000 AND 2000);
"""

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10, _V11, _V12]
VERSION = len(MIGRATIONS)

TABLES = {"plan", "body", "settlement", "settlement_year", "contribution", "scheme", "scheme_spend"}
TABLES_V3 = {
    "cost_line",
    "cost_year",
    "benefit_line",
    "benefit_year",
    "discount_band",
    "gain_share",
    "gain_share_percent",
}
TABLES_V4 = {"export_record", "sign_off"}
TABLES_V6 = {"history"}
TABLES_V7 = {"export_plan"}
RISK_SHARE = {"risk_share", "risk_share_line", "risk_share_percent", "risk_share_cap"}
MONITORING = {"monitoring", "scheme_monitoring", "scheme_actual", "payment"}
TABLES_V8 = RISK_SHARE | MONITORING

# The tables of the plan's content: what its JSON and fingerprint hold (the plan row's
# return_to and return_by apart; see planner.store.write_path's version rule).
CONTENT = TABLES | TABLES_V3 | RISK_SHARE
NOT_CONTENT_COLUMNS = {"plan": {"return_to", "return_by"}}

# Every table whose rows an edit can write; the journal records them all.
JOURNALED = TABLES | TABLES_V3 | TABLES_V4 | TABLES_V8
