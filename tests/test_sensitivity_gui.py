"""The Sensitivity tab on the real window over a copy of the Greater Manchester sample: its
table and charts show the engine's switching values and bias sweep, for the plan or a body
picked, follow edits and undo, and say in words when there is nothing to test."""

import shutil

from builders import appraisal_example
from gm_window import SAMPLES, unnamed_controls
from PySide6.QtCore import Qt

from planner import money
from planner.fields import BASIS_POINTS
from planner.sensitivity import PLAN, bias_sweep, switching_values
from ui.models.sensitivity import FALL_MONEY, RISE, RISE_MONEY, SwitchingValuesModel


def open_tab(window):
    window.editors_dock.show()
    window.editors.show_sensitivity()
    panel = window.editors.sensitivity
    assert panel.isVisible()
    return panel


def row(model, r: int) -> list:
    return [model.index(r, c).data() for c in range(model.columnCount())]


def size(value) -> float:
    """The least change either way that switches ``value``, as a fraction of its input:
    worked here from the engine's result, not by the model's own ordering."""
    ratios = [abs(c.ratio) for c in (value.down, value.up) if c is not None and c.ratio is not None]
    return min(ratios, default=float("inf"))


def chart_texts(chart) -> list[str]:
    return [t.get_text() for ax in chart.figure.axes for t in ax.texts]


def test_the_tab_is_built_when_first_opened(qtbot, window):
    editors = window.editors
    assert editors._sensitivity is None  # start-up, and the other tabs, do not pay for it
    editors.show_gain_share()
    assert editors._sensitivity is None
    panel = open_tab(window)
    assert editors.tabText(editors.currentIndex()) == "Sensitivity"
    assert panel.tornado.canvas is not None and panel.sweep.canvas is not None
    assert panel.model.rowCount() > 0


def test_the_first_row_is_the_plans_most_sensitive_input_to_the_pound(qtbot, window):
    panel = open_tab(window)
    plan = window.doc.plan
    values = switching_values(plan, [PLAN])
    first = min(values, key=size)
    # Greater Manchester pays well: no benefit falling to nothing stops it, and all costs
    # together must rise by more than double before its NPV reaches zero.
    assert first.label == "All costs" and first.down is None
    shown = row(panel.model, 0)
    assert shown[0] == "All costs"
    assert shown[RISE] == f"+{float(first.up.percent):.1f}%" == "+212.3%"
    assert shown[RISE_MONEY] == money.format(first.up.pence, brackets=True) == "£254,746,235"
    assert shown[1] == first.reason  # no fall switches it, and the reason says why
    assert panel.model.index(0, RISE_MONEY).data(Qt.ItemDataRole.UserRole + 2) == first.up.pence
    sizes = [size(panel.model.value(r)) for r in range(panel.model.rowCount())]
    assert sizes == sorted(sizes) and len(sizes) == len(values)
    assert "£241,886,559" in panel.explanation.text()
    assert "1  All costs" in chart_texts(panel.tornado)
    crossing = float(bias_sweep(plan).crossing) * 100 / BASIS_POINTS
    assert f"NPV zero at\n{crossing:.1f}% bias" in chart_texts(panel.sweep)


def test_choosing_a_body_recomputes_for_it(qtbot, window):
    panel = open_tab(window)
    plan = window.doc.plan
    body = plan.body_named("NHS Central Manchester CCG")
    panel.picker.setCurrentIndex(panel.picker.findData(body.id))
    assert panel.picker.currentText() == "NHS Central Manchester CCG's NPV after gain-share"
    values = switching_values(plan, [body.id])
    first = min(values, key=size)
    assert {panel.model.value(r).target for r in range(panel.model.rowCount())} == {body.id}
    # After gain-share the CCG is £66,023 short: all costs falling by about a half would
    # bring it to break even.
    assert row(panel.model, 0)[:3] == [
        first.label,
        f"{float(first.down.percent):.1f}%",
        money.format(first.down.pence, brackets=True),
    ]
    assert row(panel.model, 0)[FALL_MONEY] == "(£66,061,818)"
    assert "(£66,023)" in panel.explanation.text() and "breaks even" in panel.explanation.text()
    panel.picker.setCurrentIndex(panel.picker.findData(PLAN))
    assert row(panel.model, 0)[RISE_MONEY] == "£254,746,235"


def test_a_benefit_edit_changes_the_table_and_undo_restores_it(qtbot, window):
    panel = open_tab(window)
    before = row(panel.model, 0)
    lines = window.editors.appraisal.benefit_lines  # the Costs & benefits tab's grid
    line = window.doc.plan.benefits[lines.benefit_id(0)]
    col = next(c for c in range(lines.columnCount()) if lines.year_of(c) in line.years)
    pence = line.years[lines.year_of(col)]
    assert lines.setData(lines.index(0, col), str(pence * 10 // 100))  # ten times the benefit
    values = switching_values(window.doc.plan, [PLAN])
    first = min(values, key=size)
    after = row(panel.model, 0)
    assert after != before
    assert after[RISE_MONEY] == money.format(first.up.pence, brackets=True)
    window.undo_action.trigger()
    assert row(panel.model, 0) == before


def test_an_edit_while_the_tab_is_hidden_is_shown_when_it_is_next_opened(qtbot, window):
    panel = open_tab(window)
    before = row(panel.model, 0)
    window.editors.show_gain_share()
    assert not panel.isVisible()
    costs = window.editors.appraisal.costs
    col = next(c for c in range(costs.columnCount()) if costs.index(0, c).data(
        Qt.ItemDataRole.UserRole + 2))  # fmt: skip
    pence = costs.index(0, col).data(Qt.ItemDataRole.UserRole + 2)
    assert costs.setData(costs.index(0, col), str(pence * 3 // 100))
    assert row(panel.model, 0) == before  # out of sight: not worked out yet
    window.editors.show_sensitivity()
    first = min(switching_values(window.doc.plan, [PLAN]), key=size)
    assert row(panel.model, 0) != before
    assert row(panel.model, 0)[RISE_MONEY] == money.format(first.up.pence, brackets=True)


def test_a_plan_with_no_costs_or_benefits_says_there_is_nothing_to_test(
    qtbot, make_window, tmp_path
):
    path = tmp_path / "anyshire.poolplan"
    shutil.copy(SAMPLES / "anyshire-bcf.poolplan", path)
    window = make_window()
    assert window.open_path(path)
    assert not window.doc.plan.costs and not window.doc.plan.benefits
    panel = open_tab(window)
    assert "nothing to test" in panel.explanation.text()
    assert panel.model.rowCount() == 0
    assert any("Nothing to test" in t for t in chart_texts(panel.tornado))
    assert any("Nothing to test" in t for t in chart_texts(panel.sweep))
    panel.picker.setCurrentIndex(1)  # a body: still nothing, and no traceback
    assert "nothing to test" in panel.explanation.text()


def test_every_control_on_the_tab_has_an_accessible_name(qtbot, window):
    panel = open_tab(window)
    unnamed = unnamed_controls(panel, window)
    assert not unnamed, unnamed


def test_the_switching_values_model_keeps_qt_s_contract(qtmodeltester):
    plan = appraisal_example()
    model = SwitchingValuesModel()
    model.set_values(plan, switching_values(plan, [PLAN]), "the plan's NPV")
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_asking_for_the_tab_on_a_laptop_shows_the_editors(qtbot, window):
    window.editors_dock.hide()
    window.editors.show_sensitivity()
    assert window.editors_dock.isVisible()
