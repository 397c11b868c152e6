"""Small plans whose every figure has been worked out by hand (see test_figures.py)."""

from planner.model import (
    Body,
    BodyKind,
    Certainty,
    Contribution,
    Plan,
    Role,
    Scheme,
    Settlement,
    SettlementYear,
)

C, IND = Certainty.CONFIRMED, Certainty.INDICATIVE
POUND = 100


def worked_example() -> Plan:
    """Three years from 2025-26; four bodies whose settlements line up differently."""
    p = Plan(name="Worked example", first_year=2025, years=3)
    p.bodies = {
        1: Body(1, "Anytown Council", BodyKind.COUNCIL, Role.HOST, "A. Finance", "s151 officer"),
        2: Body(2, "NHS Anytown CCG", BodyKind.CCG_ICB),
        3: Body(3, "Anyshire Police", BodyKind.POLICE),
        4: Body(4, "Anytown Voluntary Action", BodyKind.VOLUNTARY_SECTOR),
    }
    m = 1_000_000 * POUND
    p.settlements = {
        1: Settlement(
            1,
            1,
            "Local government finance settlement",
            {
                2025: SettlementYear(C, 10 * m),
                2026: SettlementYear(C, 10 * m),
                2027: SettlementYear(IND, 10 * m),
            },
        ),
        2: Settlement(
            2,
            2,
            "CCG programme allocation",
            {2025: SettlementYear(C, 50 * m), 2026: SettlementYear(IND, 50 * m)},
        ),
        3: Settlement(3, 3, "Police grant 2025-26", {2025: SettlementYear(C, 1 * m)}),
    }
    rows = [
        (1, 2025, 1_000_000, 1),
        (1, 2026, 1_100_000, 1),
        (1, 2027, 1_200_000, 1),
        (2, 2025, 2_000_000, 2),
        (2, 2026, 2_000_000, 2),
        (2, 2027, 2_000_000, 2),
        (3, 2025, 1_200_000, 3),
        (3, 2026, 500_000, 3),
        (4, 2025, 100_000, None),
    ]
    p.contributions = {
        i: Contribution(i, body, year, pounds * POUND, sid)
        for i, (body, year, pounds, sid) in enumerate(rows, start=1)
    }
    p.schemes = {
        1: Scheme(
            1,
            "Reablement",
            1,
            "Anytown Care",
            "",
            {2025: 3_000_000 * POUND, 2026: 3_000_000 * POUND, 2027: 3_500_000 * POUND},
        ),
        2: Scheme(2, "Family intervention", 2, "", "", {2027: 1_000_000 * POUND}),
    }
    return p


def appraisal_example() -> Plan:
    """Three years from 2025-26: a council and a CCG invest, a department receives most of the
    benefit. Every figure in test_benefits.py is worked from these by hand."""
    from planner.model import BenefitLine, CostLine

    p = Plan(name="Appraisal example", first_year=2025, years=3)
    p.bodies = {
        1: Body(1, "Anytown Council", BodyKind.COUNCIL, Role.HOST),
        2: Body(2, "NHS Anytown CCG", BodyKind.CCG_ICB),
        3: Body(3, "Department for Work and Pensions", BodyKind.DWP),
    }
    p.schemes = {1: Scheme(1, "Troubled families", 1)}
    p.costs = {
        1: CostLine(1, 1, 1, {2025: 100_000 * POUND, 2026: 50_000 * POUND}),
        2: CostLine(2, 1, 2, {2025: 50_000 * POUND}),
    }
    p.benefits = {
        # Fewer benefit claims: cash to DWP, 20% taken off for optimism.
        1: BenefitLine(
            1,
            1,
            3,
            True,
            2000,
            "national evaluation",
            {2026: 100_000 * POUND, 2027: 150_000 * POUND},
        ),
        # Fewer placements: cash to the council, locally evaluated, nothing taken off.
        2: BenefitLine(2, 1, 1, True, 0, "local data", {2027: 30_000 * POUND}),
        # Freed A&E capacity: not cash, half taken off (an expert guess).
        3: BenefitLine(3, 1, 2, False, 5000, "expert view", {2026: 20_000 * POUND}),
    }
    return p


def altered(path, sql: str) -> None:
    """Change a closed plan file behind the app's back, as another program might write it
    (its CHECK constraints not enforced): for tests that the app refuses it on opening."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(sql)
    conn.commit()
    conn.close()
