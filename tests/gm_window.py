"""The main window on a copy of the Greater Manchester sample, for the GUI tests: the fixtures
(registered in conftest.py) and where to find the police grant's cells."""

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings

from ui.main_window import MainWindow

SAMPLES = Path(__file__).parent.parent / "sample_plans"
POLICE = "Police and Crime Commissioner for Greater Manchester"


@pytest.fixture
def plan_path(tmp_path):
    path = tmp_path / "gm.poolplan"
    shutil.copy(SAMPLES / "greater-manchester.poolplan", path)
    return path


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make():
        w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(w)
        w.fit_to(QRect(0, 0, 1920, 1080))  # a desktop screen (offscreen's own is 800x600)
        # A question would wait for an answer no test gives: No, unless a test says otherwise.
        w.asked = []
        w.confirm = lambda title, text: w.asked.append(text) and False
        w.resize(1400, 900)
        w.show()
        return w

    return make


@pytest.fixture
def window(make_window, plan_path):
    w = make_window()
    assert w.open_path(plan_path)
    return w


def police_cell(window, year):
    model = window.editors.contributions
    plan = window.doc.plan
    body = plan.body_named(POLICE)
    grant = next(s for s in plan.settlements_of(body.id) if s.name.startswith("Police grant"))
    row = model.rows.index(("stream", body.id, grant.id))
    col = 2 + list(plan.year_range).index(year)
    return model.index(row, col)


def summary(window, which, year):
    model = window.editors.contributions
    row = model.rows.index(("summary", which))
    col = 2 + list(window.doc.plan.year_range).index(year)
    return model.index(row, col).data()


def answer(button_text):
    """Click ``button_text`` on the question the window is about to ask; the question's text
    is kept in ``answer.text``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        answer.text = box.text()
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def unnamed_controls(root, window) -> list[str]:
    """The controls under ``root`` that a keyboard reaches (visible, taking focus) but a screen
    reader has no name for."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QWidget

    unnamed = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(window) or w.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        iface = QAccessible.queryAccessibleInterface(w)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            unnamed.append(f"{type(w).__name__} {w.objectName()!r}")
    return unnamed
