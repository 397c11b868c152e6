"""The timeline for a screen reader and from the keyboard; a name for every control."""

from gm_window import POLICE, unnamed_controls
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from planner import years as fy


def test_the_timeline_names_every_bar_and_cliff_for_a_screen_reader(qtbot, window):
    plan = window.doc.plan
    iface = QAccessible.queryAccessibleInterface(window.timeline)
    cliffs = window.timeline.painter.cliffs()
    assert iface.childCount() == len(plan.bodies) * plan.years + len(cliffs)
    names = [iface.child(i).text(QAccessible.Text.Name) for i in range(iface.childCount())]
    assert all(names) and len(set(names)) == len(names)
    police = plan.body_named(POLICE)
    split = window.doc.figures.bodies[police.id].by_year[2015]
    bar = next(n for n in names if n.startswith(f"{POLICE}, 2015-16"))
    amounts = bar.split(", ")[2]  # the money, before what is said of the horizon
    for c in ("confirmed", "indicative", "unfunded"):
        assert (c in amounts) == bool(getattr(split, c)), bar
    if window.doc.figures.bodies[police.id].confirmed_until < 2015:
        assert bar.endswith("after its confirmed horizon")
    for year, _ in cliffs:
        assert any(n.startswith(f"Renewal cliff after {fy.label(year)}") for n in names)
    child = iface.child(0)
    assert child.role() == QAccessible.Role.Cell and iface.indexOfChild(child) == 0
    assert all(iface.indexOfChild(iface.child(i)) == i for i in range(iface.childCount()))
    assert child.rect().isValid()


def test_a_contribution_is_edited_from_the_timeline_by_keyboard_alone(qtbot, window):
    plan = window.doc.plan
    police = plan.body_named(POLICE).id
    timeline = window.timeline
    timeline.setFocus()
    qtbot.keyClick(timeline, Qt.Key.Key_Right)  # onto the first body's first year
    for _ in range(list(plan.bodies).index(police)):
        qtbot.keyClick(timeline, Qt.Key.Key_Down)
    for _ in range(list(plan.year_range).index(2014)):
        qtbot.keyClick(timeline, Qt.Key.Key_Right)
    assert timeline.focused_bar() == (police, 2014)
    qtbot.keyClick(timeline, Qt.Key.Key_Return)
    grid = window.editors.contributions_view
    assert QApplication.focusWidget() is grid
    sid = window.editors.contributions.rows[grid.currentIndex().row()][2]
    qtbot.keyClick(grid, Qt.Key.Key_F2)  # the cell opens for editing, from the keyboard
    editor = grid.focusWidget()
    assert editor is not grid
    editor.selectAll()
    qtbot.keyClicks(editor, "6500000")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits through a queued call
    assert window.doc.file.find_contribution(police, 2014, sid).amount_pence == 6_500_000_00


def test_every_control_has_an_accessible_name(qtbot, window):
    window.editors.show_gain_share()  # the appraisal tabs too, built when first shown
    unnamed = unnamed_controls(window, window)
    assert not unnamed, unnamed
