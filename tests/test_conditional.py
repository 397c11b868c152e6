"""Money paid on results, worked by hand in pence: a settlement year with an attachment part
and a results part (Troubled Families paid 80/20 in year 1), a contribution funded by it as
sure as the year up to its amount, conditional for the results part and unfunded beyond; the
result earned in full, in part and not at all, each one undoable edit in the history; and a
received file or plan JSON that breaks the rules refused in words."""

import json

import pytest
from builders import altered

from planner import jsonio
from planner.errors import EditError, PlanFileError, PlanFormatError
from planner.figures import compute
from planner.findings import Code, find
from planner.model import (
    Body,
    BodyKind,
    Certainty,
    Conditional,
    Contribution,
    Plan,
    Role,
    Settlement,
    SettlementYear,
)
from planner.store import PlanFile

POUND = 100
C, IND = Certainty.CONFIRMED, Certainty.INDICATIVE
FAMILIES = "Families turned around (results payments, 2026-27 cohort)"


def troubled_families() -> Plan:
    """Two years from 2025-26. The council's Troubled Families grant: 2025-26 confirmed
    £100,000; 2026-27 £80,000 attachment fees confirmed and £20,000 paid on results, the board
    expecting half of it. The council puts £110,000 of that grant in 2026-27, £10,000 more
    than the year could ever pay. The ICB's 2026-27 money is confirmed throughout."""
    p = Plan(name="Troubled Families", first_year=2025, years=2)
    p.bodies = {
        1: Body(1, "Anytown Council", BodyKind.COUNCIL, Role.HOST),
        2: Body(2, "NHS Anytown ICB", BodyKind.CCG_ICB),
    }
    p.settlements = {
        1: Settlement(
            1,
            1,
            "Troubled Families grant",
            {
                2025: SettlementYear(C, 100_000 * POUND),
                2026: SettlementYear(
                    C, 80_000 * POUND, Conditional(20_000 * POUND, FAMILIES, expected_bp=5_000)
                ),
            },
        ),
        2: Settlement(2, 2, "ICB allocation", {y: SettlementYear(C, None) for y in (2025, 2026)}),
    }
    p.contributions = {
        1: Contribution(1, 1, 2025, 100_000 * POUND, 1),
        2: Contribution(2, 1, 2026, 110_000 * POUND, 1),
        3: Contribution(3, 2, 2025, 50_000 * POUND, 2),
        4: Contribution(4, 2, 2026, 50_000 * POUND, 2),
    }
    return p


@pytest.fixture
def pf(tmp_path):
    f = PlanFile.create(tmp_path / "tf.poolplan", troubled_families())
    yield f
    f.close()


def council_2026(plan):
    return compute(plan).bodies[1].by_year[2026]


def test_a_contribution_is_confirmed_to_the_attachment_part_conditional_for_the_results_part():
    plan = troubled_families()
    f = compute(plan)
    split = f.bodies[1].by_year[2026]
    # £110,000 = £80,000 confirmed + £20,000 on results + £10,000 that nothing covers.
    assert (split.confirmed, split.conditional, split.indicative, split.unfunded) == (
        8_000_000,
        2_000_000,
        0,
        1_000_000,
    )
    # At risk: the results part and the part beyond, £30,000; the horizon stops at 2025-26.
    assert f.bodies[1].at_risk_by_year == {2026: 3_000_000}
    assert f.bodies[1].confirmed_until == 2025
    # The pool's year: £80,000 + £50,000 confirmed of £160,000, so 13/16 confirmed.
    pool = f.years[2026]
    assert pool.contributions.confirmed == 13_000_000 and pool.at_risk == 3_000_000
    assert pool.confirmed_share == pytest.approx(13_000_000 / 16_000_000)
    # The board expects half the £20,000: £10,000, which is never counted as confirmed.
    assert f.bodies[1].expected(plan) == 1_000_000


def test_a_finding_reports_the_money_on_results_by_body_and_year_with_its_condition():
    plan = troubled_families()
    found = {f.code: f for f in find(plan) if f.body_id == 1}
    on_results = found[Code.CONDITIONAL_FUNDING]
    assert on_results.amount_pence == 2_000_000 and on_results.by_year == {2026: 2_000_000}
    assert FAMILIES in on_results.message
    assert "expected £10,000 at 50%" in on_results.message
    # The unfunded £10,000 is reported on its own, not the results money twice over.
    assert found[Code.UNCONFIRMED_FUNDING].amount_pence == 1_000_000
    over = found[Code.OVER_COMMITMENT]
    assert over.amount_pence == 1_000_000
    assert "£100,000 that settlement provides" in over.message


@pytest.mark.parametrize(
    "earned, confirmed, unfunded, words",
    [
        # Earned in full: the £20,000 is paid, so confirmed as the year is; £10,000 is beyond.
        (2_000_000, 10_000_000, 1_000_000, "earned in full"),
        # Earned in part, £12,000 (per family): £92,000 confirmed; the £8,000 not earned falls
        # away, so what it funded is unfunded with the £10,000 beyond: £18,000.
        (1_200_000, 9_200_000, 1_800_000, "earned in part (£12,000 of £20,000)"),
        # Not earned: £80,000 confirmed, £30,000 unfunded.
        (0, 8_000_000, 3_000_000, "not earned"),
    ],
)
def test_marking_the_result_is_one_edit_in_the_history_and_undo_gives_it_back(
    pf, earned, confirmed, unfunded, words
):
    before = jsonio.dumps(pf.plan)
    pf.mark_result(1, 2026, earned)
    split = council_2026(pf.plan)
    assert (split.confirmed, split.conditional, split.unfunded) == (confirmed, 0, unfunded)
    assert pf.history()[-1].what == f"Mark Troubled Families grant 2026-27 {words}"
    assert not [f for f in find(pf.plan) if f.code is Code.CONDITIONAL_FUNDING]
    # The plan in memory is what the file holds.
    with PlanFile.open(pf.path, read_only=True) as again:
        assert again.plan == pf.plan
    pf.undo(pf.last_edit)
    assert jsonio.dumps(pf.plan) == before
    assert council_2026(pf.plan).conditional == 2_000_000


def test_a_result_marked_before_ten_other_edits_is_undone_exactly(pf):
    pending = jsonio.dumps(pf.plan)
    pf.mark_result(1, 2026, 1_500_000)
    mark = pf.last_edit
    marked = jsonio.dumps(pf.plan)
    others = []
    for k in range(10):
        pf.set_contribution(2, 2025, (51_000 + k) * POUND, settlement_id=2)
        others.append(pf.last_edit)
    for edit in reversed(others):
        pf.undo(edit)
    assert jsonio.dumps(pf.plan) == marked
    pf.undo(mark)
    assert jsonio.dumps(pf.plan) == pending
    assert pf.plan.settlements[1].years[2026].conditional.pending


@pytest.mark.parametrize(
    "entry, phrase",
    [
        (SettlementYear(C, None, Conditional(100, FAMILIES)), "states its other amount"),
        (SettlementYear(C, 0, Conditional(100, "  ")), "what result"),
        (SettlementYear(C, 0, Conditional(100, FAMILIES, 10_001)), "expected share"),
        (SettlementYear(C, 0, Conditional(100, FAMILIES, 0, 101)), "No more than"),
        (SettlementYear(C, 0, Conditional(-1, FAMILIES)), "negative"),
        (SettlementYear(C, 0, "lots"), "amount with its condition"),
        # Nothing at stake is refused, not taken as removing the part (None removes it).
        (SettlementYear(C, 0, Conditional(0, FAMILIES)), "more than nothing"),
        # The condition is one line: no invisible direction marks quoted into findings.
        (SettlementYear(C, 0, Conditional(100, "Families\u202e turned")), "condition"),
    ],
)
def test_a_results_part_that_breaks_a_rule_is_refused_in_words_and_nothing_changes(
    pf, entry, phrase
):
    before = jsonio.dumps(pf.plan)
    with pytest.raises(EditError, match=phrase):
        pf.set_settlement_year(1, 2026, entry)
    assert jsonio.dumps(pf.plan) == before


def test_a_result_cannot_be_marked_where_nothing_is_paid_on_results(pf):
    with pytest.raises(EditError, match="no money paid on results in 2025-26"):
        pf.mark_result(1, 2025, 0)
    with pytest.raises(EditError, match="negative"):
        pf.mark_result(1, 2026, -5)


def test_a_results_part_survives_the_file_and_json_and_only_it_raises_the_json_format(pf):
    text = jsonio.dumps(pf.plan)
    data = json.loads(text)
    assert data["format_version"] == 5
    assert data["settlements"][0]["years"]["2026-27"]["conditional"] == {
        "amount_pence": 2_000_000,
        "condition": FAMILIES,
        "expected_bp": 5_000,
        "earned_pence": None,
    }
    assert jsonio.loads(text) == pf.plan
    pf.set_settlement_year(1, 2026, SettlementYear(C, 8_000_000))
    assert pf.plan.settlements[1].years[2026].conditional is None
    assert json.loads(jsonio.dumps(pf.plan))["format_version"] < 5


@pytest.mark.parametrize(
    "change, phrase",
    [
        ({"earned_pence": 2_000_001}, "No more than the £20,000 at stake"),
        ({"amount_pence": 0}, "more than nothing"),
        ({"condition": ""}, "Say what result"),
        ({"expected_bp": 20_000}, "expected share"),
        ({"odd": 1}, "not a known field"),
    ],
)
def test_plan_json_with_a_bad_results_part_is_refused_in_words(change, phrase):
    data = json.loads(jsonio.dumps(troubled_families()))
    data["settlements"][0]["years"]["2026-27"]["conditional"].update(change)
    with pytest.raises(PlanFormatError, match=phrase):
        jsonio.loads(json.dumps(data))


@pytest.mark.parametrize(
    "sql, phrase",
    [
        ("UPDATE settlement_year SET condition = '' WHERE year = 2026 AND settlement_id = 1",
         "condition in words"),
        ("UPDATE settlement_year SET amount_pence = NULL WHERE year = 2026 AND settlement_id = 1",
         "beside a known amount"),
        ("UPDATE settlement_year SET earned_pence = 2000001 WHERE year = 2026 AND "
         "settlement_id = 1", "no more is earned"),
        ("UPDATE settlement_year SET expected_bp = 10 WHERE year = 2025", "belong to money"),
    ],
)  # fmt: skip
def test_a_received_file_that_breaks_a_results_rule_is_refused_on_opening(tmp_path, sql, phrase):
    path = tmp_path / "received.poolplan"
    PlanFile.create(path, troubled_families()).close()
    altered(path, sql)
    with pytest.raises(PlanFileError, match=phrase):
        PlanFile.open(path)


def test_the_sign_off_statement_names_money_on_results_only_where_there_is_some():
    from planner.signoff import body_statement

    plan = troubled_families()
    figures = compute(plan)
    council = body_statement(plan, figures, 1, "abc")
    assert "£20,000 paid only on results not yet known" in council
    icb = body_statement(plan, figures, 2, "abc")
    assert "on results" not in icb and "£100,000 confirmed" in icb


def test_an_indicative_year_with_a_results_part_is_indicative_to_its_amount():
    plan = troubled_families()
    plan.settlements[1].years[2026] = SettlementYear(
        IND, 80_000 * POUND, Conditional(20_000 * POUND, FAMILIES)
    )
    split = council_2026(plan)
    assert (split.confirmed, split.indicative, split.conditional, split.unfunded) == (
        0,
        8_000_000,
        2_000_000,
        1_000_000,
    )


# -- in the app ---------------------------------------------------------------------------------


def _grant_cell(window, year):
    """The Greater Manchester Troubled Families grant's ``year`` cell on the Settlements tab."""
    model = window.editors.settlements
    plan = window.doc.plan
    sid = next(s.id for s in plan.settlements.values() if s.name.startswith("Troubled Families"))
    column = next(c for c in range(model.columnCount()) if model.year_of(c) == year)
    return sid, model.index(model.rows.index(sid), column)


def test_the_result_is_marked_in_the_dialog_shown_in_the_grid_and_undone(qtbot, window):
    from planner.figures import compute
    from ui.results_dialog import ResultsDialog

    sid, cell = _grant_cell(window, 2014)
    assert cell.data() == "Confirmed £7,600,000 + £11,400,000 on results"
    relied = window.doc.figures.bodies[1].by_year[2014].conditional
    assert relied == 1_400_000_00
    before = jsonio.dumps(window.doc.plan)
    window.editors.settlements_view.setCurrentIndex(cell)
    window.editors.edit_results()
    dialog = window.editors.results_dialog
    assert isinstance(dialog, ResultsDialog) and dialog.isVisible()
    dialog.results.button(2).setChecked(True)  # earned in part
    dialog.earned.setText("lots")
    dialog.save()
    assert dialog.isVisible() and "not an amount" in dialog.problem.text()
    dialog.earned.setText("900k")
    dialog.save()
    assert not dialog.isVisible()
    # £900,000 earned of the £11.4m: the £1.4m relied on is now £900,000 confirmed and
    # £500,000 unfunded (the rest fell away).
    split = window.doc.figures.bodies[1].by_year[2014]
    assert (split.conditional, split.unfunded - compute(jsonio.loads(before)).bodies[1]
            .by_year[2014].unfunded) == (0, 500_000_00)  # fmt: skip
    assert _grant_cell(window, 2014)[1].data() == "Confirmed £7,600,000 + £900,000 earned"
    assert window.doc.file.history()[-1].what.endswith("earned in part (£900,000 of £11,400,000)")
    # Retyping the year's status keeps its results part.
    assert window.editors.settlements.setData(cell, "confirmed 7.6m")
    assert window.doc.plan.settlements[sid].years[2014].conditional.earned_pence == 900_000_00
    window.undo_action.trigger()  # the retype changed nothing, so this undoes the mark
    assert jsonio.dumps(window.doc.plan) == before


def test_a_year_not_yet_covered_cannot_carry_money_on_results(qtbot, window):
    sid, cell = _grant_cell(window, 2015)  # phase 1 does not cover 2015-16
    window.editors.settlements_view.setCurrentIndex(cell)
    window.editors.edit_results()
    assert "confirmed or indicative first" in window.statusBar().currentMessage()


def test_a_thin_share_of_a_bar_is_still_drawn_wide_enough_to_see():
    from ui.timeline.painter import LEAST_SEGMENT, segment_widths

    # The Combined Authority's 2014-15: £1.4m of results money beside £36.1m, in 110 pixels.
    widths = segment_widths(110.0, [("confirmed", 22_600_000), ("conditional", 1_400_000),
                                    ("indicative", 13_500_000)])  # fmt: skip
    assert widths[1] == LEAST_SEGMENT
    assert sum(widths) == pytest.approx(110.0)
    assert widths[0] / widths[2] == pytest.approx(22_600_000 / 13_500_000)
    # Wide shares are left in proportion.
    assert segment_widths(100.0, [("a", 1), ("b", 3)]) == [25.0, 75.0]


def test_money_on_results_is_not_called_a_settlement_not_yet_made():
    """A short settlement cycle is about money no settlement promises yet: the results money of
    a year that is confirmed is promised, on a condition, and is its own finding."""
    plan = troubled_families()
    plan.years = 3
    plan.settlements[1].years[2027] = SettlementYear(IND, 100_000 * POUND)
    plan.contributions[5] = Contribution(5, 1, 2027, 100_000 * POUND, 1)
    plan.contributions[2].amount_pence = 100_000 * POUND  # within the year: no unfunded part
    cycle = next(f for f in find(plan) if f.code is Code.SHORT_SETTLEMENT_CYCLE and f.body_id == 1)
    # Only 2027-28's indicative £100,000; not 2026-27's £20,000 on results.
    assert cycle.by_year == {2027: 10_000_000} and cycle.amount_pence == 10_000_000
    assert "£100,000 in 2027-28" in cycle.message


def test_the_history_says_a_result_to_the_penny():
    from planner.results import mark_words

    part = Conditional(5_555, FAMILIES)
    assert mark_words(part, 1_234) == "earned in part (£12.34 of £55.55)"


@pytest.mark.parametrize("typed", ["inf", "1e400", "0.004", "12.345%", "lots", "150%", "-5"])
def test_an_expected_share_that_is_not_a_plain_percentage_is_refused_in_words(typed):
    from ui.results_dialog import percent_bp

    with pytest.raises(EditError):
        percent_bp(typed)


def test_an_expected_share_is_read_exactly():
    from ui.results_dialog import percent_bp

    assert [percent_bp(t) for t in ("25%", "12.5", " 0.01 % ", "", "100")] == [
        2500,
        1250,
        1,
        0,
        10_000,
    ]


def test_an_amount_typed_as_earned_marks_the_result_earned_in_part(qtbot, window):
    sid, cell = _grant_cell(window, 2014)
    window.editors.settlements_view.setCurrentIndex(cell)
    window.editors.edit_results()
    dialog = window.editors.results_dialog
    qtbot.keyClicks(dialog.earned, "2m")  # "Not known yet" is still ticked
    dialog.save()
    assert window.doc.plan.settlements[sid].years[2014].conditional.earned_pence == 2_000_000_00
    # The history says what changed, results and all.
    entry = window.doc.file.history()[-1]
    assert "earned in part (£2,000,000 of £11,400,000)" in entry.what
    assert window.doc.file.describe_entry(entry.id) == (
        "confirmed £7,600,000 + £11,400,000 on results \u2192 "
        "confirmed £7,600,000 + £2,000,000 earned"
    )


def test_a_copied_results_cell_pastes_back_keeping_its_part(qtbot, window):
    from ui.models.settlements import parse_year_cell

    entry = parse_year_cell("Confirmed £9,400,000 + £6,260,000 on results")
    assert (entry.status, entry.amount_pence, entry.conditional) == (C, 940_000_000, None)
    sid, cell = _grant_cell(window, 2013)
    before = jsonio.dumps(window.doc.plan)
    assert window.editors.settlements.setData(cell, cell.data())
    assert jsonio.dumps(window.doc.plan) == before  # nothing changed, the part kept


def test_the_timeline_shows_the_pool_less_its_indicative_and_results_money(qtbot, window):
    from planner.figures import compute

    plan = window.doc.plan
    f = compute(plan)
    y = f.years[2014]
    # 2014-15: £118.5m, of which £1.4m on results and the indicative money fall away.
    assert y.less_unsure == y.contributions.total - y.contributions.indicative - 1_400_000_00
    assert y.less_unsure == y.contributions.confirmed + y.contributions.unfunded
    lines = window.timeline.painter.metrics.totals_lines
    window.less_unsure_action.trigger()
    qtbot.wait(10)
    assert window.timeline.painter.less_unsure
    window.timeline.layout_now()
    assert window.timeline.painter.metrics.totals_lines == lines + 1
    image = window.timeline.grab()  # painted without error, the line drawn
    assert not image.isNull()
    window.less_unsure_action.trigger()
    window.timeline.layout_now()
    assert window.timeline.painter.metrics.totals_lines == lines


def test_an_entry_recorded_before_the_results_columns_is_listed_and_reverted(pf):
    """A history entry from before file format 10 recorded a settlement year with four
    columns; the upgrade gave every row the results part's defaults, and so does its reading."""
    before = jsonio.dumps(pf.plan)
    pf.set_settlement_year(1, 2025, SettlementYear(IND, 90_000 * POUND))
    entry = pf.history()[-1]
    conn = pf._conn
    rows = json.loads(
        conn.execute("SELECT rows FROM history WHERE id = ?", (entry.id,)).fetchone()[0]
    )
    old = [[t, b and b[:4], a and a[:4]] for t, b, a in rows]  # as format 9 wrote them
    conn.execute("UPDATE history SET rows = ? WHERE id = ?", (json.dumps(old), entry.id))
    assert "confirmed £100,000 \u2192 indicative £90,000" in pf.describe_entry(entry.id)
    pf.revert([entry.id])
    assert jsonio.dumps(pf.plan) == before
