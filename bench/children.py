"""Programs the benchmark starts as fresh processes, so start-up is measured cold each time.
Each prints one line when its window has painted for the first time, then exits."""

from __future__ import annotations

import os
import sys


def _after_first_paint(widget, app) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                # Report once the paint has been delivered, then leave.
                QTimer.singleShot(0, lambda: (print("painted", flush=True), app.quit()))
            return False

    watch = Watch(widget)
    widget.installEventFilter(watch)


def bare_table(memory: bool = False) -> None:
    """The floor: a bare PySide6 window with an empty 1000 x 20 table (with ``memory``, print
    the process's peak memory once it has painted, instead of timing it). Empty: filling it from
    a Python loop cost about 140 ms, which is the loop's, not Qt's."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    model = QStandardItemModel(1000, 20)
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1400, 900)
    if memory:
        window.show()
        view.viewport().repaint()
        app.processEvents()
        print(_peak_mb(), flush=True)
        return
    _after_first_paint(view.viewport(), app)
    window.show()
    app.exec()


def _peak_mb() -> float:
    import resource

    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec,
    # so a child started by a large benchmark process would report the parent's peak.
    try:
        with open("/proc/self/status") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def app_on_plan(path: str) -> None:
    """Pool Planner itself, opening ``path``, until its timeline has painted."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)  # no trace in the user's settings
    app = QApplication(sys.argv[:1])
    from ui.app import start

    window = start(path)
    window.resize(1400, 900)
    _after_first_paint(window.timeline.viewport(), app)
    window.show()
    app.exec()


def memory_with_plan(path: str) -> None:
    """Pool Planner with ``path`` open and painted; prints the process's peak memory (MB)."""
    from PySide6.QtCore import QRect, QStandardPaths
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)
    app = QApplication(sys.argv[:1])
    from ui.main_window import MainWindow

    window = MainWindow()
    window.fit_to(QRect(0, 0, 1920, 1080))  # the editors open, as on a desktop screen
    window.resize(1600, 1000)
    window.show()
    window.open_path(path)
    window.timeline.viewport().repaint()
    window.editors.contributions_view.viewport().repaint()
    app.processEvents()
    print(_peak_mb(), flush=True)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if sys.argv[1] == "bare":
        bare_table()
    elif sys.argv[1] == "bare-memory":
        bare_table(memory=True)
    elif sys.argv[1] == "memory":
        memory_with_plan(sys.argv[2])
    else:
        app_on_plan(sys.argv[2])
