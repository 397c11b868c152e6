"""After an edit only what it changed is repainted: on a large plan a keystroke must show within
a frame, and repainting every lane, row and finding cost twice that. What is then on screen must
be exactly what painting the whole window afresh shows."""

from gm_window import police_cell
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ToolTipRole,
)


def on_screen(window):
    """What the window shows now: its pixels as they stand, not painted afresh (grab() would
    repaint every widget and so could never show a stale one)."""
    # Twice: a table whose rows moved lays them out on a zero timer that the first pass posts.
    QApplication.processEvents()
    QApplication.processEvents()
    return QApplication.primaryScreen().grabWindow(window.winId()).toImage()


def repainted_in_full(window):
    for w in [window, *window.findChildren(QWidget)]:
        w.update()
    return on_screen(window)


class PaintSpy(QObject):
    def __init__(self, widget):
        super().__init__(widget)
        self.rects = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def test_an_edit_repaints_a_lane_and_the_totals_and_the_screen_is_right(window):
    police = window.doc.plan.body_named("Police and Crime Commissioner for Greater Manchester")
    window.timeline.set_expanded({police.id})  # its settlements' lanes show too
    before = on_screen(window)
    spy = PaintSpy(window.timeline.viewport())
    assert window.editors.contributions.setData(police_cell(window, 2015), "9,999,999")
    after = on_screen(window)
    assert after != before
    # Only part of the timeline was painted ...
    height = window.timeline.viewport().height()
    assert spy.rects and all(r.height() < height for r in spy.rects)
    # ... and nothing on screen is stale.
    assert after == repainted_in_full(window)


def test_a_lane_half_scrolled_under_the_header_is_repainted_right(window):
    timeline = window.timeline
    timeline.resize(timeline.width(), 260)  # room for a few lanes: the police lane scrolls
    police = window.doc.plan.body_named("Police and Crime Commissioner for Greater Manchester")
    lane = next(r for r in timeline.layout_now().rows if r.body_id == police.id)
    timeline.verticalScrollBar().setValue(int(lane.top + lane.height / 2))
    before = on_screen(window)
    assert window.editors.contributions.setData(police_cell(window, 2016), "12,345,678")
    after = on_screen(window)
    assert after != before
    assert after == repainted_in_full(window)


def test_a_settlement_edit_leaves_nothing_stale_on_screen(window):
    from planner.model import Certainty, SettlementYear

    doc = window.doc
    police = doc.plan.body_named("Police and Crime Commissioner for Greater Manchester")
    grant = next(s for s in doc.plan.settlements_of(police.id) if s.name.startswith("Police"))
    year = next(y for y in doc.plan.year_range if grant.status_in(y) is not Certainty.CONFIRMED)
    before = on_screen(window)
    doc.perform(
        lambda f: f.set_settlement_year(grant.id, year, SettlementYear(Certainty.CONFIRMED, None))
    )
    after = on_screen(window)
    assert after != before
    assert after == repainted_in_full(window)


def _cells(model):
    return {
        (r, c, role): model.data(model.index(r, c), role)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        for role in ROLES
    }


def _announced(model):
    rows = set()
    model.dataChanged.connect(lambda a, b, *_: rows.update(range(a.row(), b.row() + 1)))
    return rows


def test_every_changed_row_of_the_grid_and_findings_is_announced(window):
    models = [window.editors.contributions, window.findings_model]
    before = [_cells(m) for m in models]
    announced = [_announced(m) for m in models]
    assert window.editors.contributions.setData(police_cell(window, 2015), "9,999,999")
    for model, old, told in zip(models, before, announced, strict=True):
        new = _cells(model)
        changed = {r for key, value in new.items() if old[key] != value for r in [key[0]]}
        assert changed, type(model).__name__
        assert changed <= told, type(model).__name__
        assert len(told) < model.rowCount(), type(model).__name__  # not the whole table


FRESH_TIMELINE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {tests!r})
from PySide6.QtCore import QSettings, QStandardPaths
QStandardPaths.setTestModeEnabled(True)
from PySide6.QtWidgets import QApplication
app = QApplication([])
from test_repaint import timeline_pixels
from ui.main_window import MainWindow
w = MainWindow(QSettings({ini!r}, QSettings.Format.IniFormat))
from PySide6.QtCore import QRect
w.fit_to(QRect(0, 0, 1920, 1080))  # as the tests' windows are (gm_window.make_window)
w.resize(1280, 720)
w.show()
assert w.open_path({plan!r})
timeline_pixels(w).save({out!r})
"""


def timeline_pixels(window):
    """The timeline's part of the screen, as it stands."""
    view = window.timeline.viewport()
    QApplication.processEvents()
    top_left = view.mapTo(window, view.rect().topLeft())
    return on_screen(window).copy(top_left.x(), top_left.y(), view.width(), view.height())


def test_a_rename_on_a_20_year_plan_draws_what_a_fresh_process_draws(make_window, tmp_path):
    """The lanes' pictures are cached between paints; another body's longer name widens the
    names column, and every lane must move with it. The oracle shares no cache: it is another
    process drawing the renamed plan from its file."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtGui import QImage

    from planner.model import BodyKind, Plan
    from planner.store import PlanFile

    path = tmp_path / "twenty.poolplan"
    with PlanFile.create(path, Plan("Twenty years", 2025, 20)) as pf:
        for i, name in enumerate(["Council", "Police", "Fire", "CCG", "Probation", "DWP"]):
            body = pf.add_body(name, BodyKind.OTHER).id
            for year in range(2025, 2045):
                pf.set_contribution(body, year, (i + 1) * (year - 2020) * 1_000_000_00)
    window = make_window()
    window.resize(1280, 720)
    assert window.open_path(path)
    timeline_pixels(window)  # the lanes' pictures are made
    bodies = window.editors.bodies
    police = window.doc.plan.body_named("Police").id
    assert bodies.setData(
        bodies.index(bodies.rows.index(police), 0), "Police, Fire and Crime Commissioner"
    )
    shown = timeline_pixels(window)

    copy = tmp_path / "copy.poolplan"
    shutil.copy(path, copy)
    out = tmp_path / "fresh.png"
    script = FRESH_TIMELINE.format(
        tests=str(Path(__file__).parent),
        ini=str(tmp_path / "fresh.ini"),
        plan=str(copy),
        out=str(out),
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    fresh = QImage(str(out)).convertToFormat(shown.format())
    assert fresh.size() == shown.size()
    assert fresh == shown
