"""Reading a partner's returned workbook off the UI thread, with progress and Cancel: a large or
hostile workbook must never freeze the window.

The reader runs on a plain thread and reports its step; the window polls it while a nested event
loop keeps painting. The window is modal to the user meanwhile, so the plan cannot change under
the reader. Cancel returns at once: a reader still inside openpyxl finishes in the background and
stops at its next step, before it reads the plan, and what it found is dropped.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from planner.excel.returns import STEPS, ReturnReport, read_return
from planner.text import shown

POLL_MS = 30


class _Cancelled(Exception):
    pass


def read_in_background(
    parent: QWidget, plan_file, path: Path, *, compare_anyway: bool = False
) -> ReturnReport | None:
    """The report, or None if the user cancelled. Raises what reading raised."""
    name = shown(path.name)
    dialog = QProgressDialog(f"Reading {name}\u2026", "Cancel", 0, len(STEPS), parent)
    dialog.setWindowTitle("Import a partner's return")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    cancelled = threading.Event()
    state: dict = {"step": (0, len(STEPS), STEPS[0])}

    def progress(step: int, steps: int, what: str) -> None:
        if cancelled.is_set():
            raise _Cancelled
        state["step"] = (step, steps, what)

    def work() -> None:
        try:
            state["report"] = read_return(
                plan_file, path, compare_anyway=compare_anyway, progress=progress
            )
        except BaseException as e:  # handed to the UI thread, which raises it there
            state["error"] = e

    reader = threading.Thread(target=work, name="return reader", daemon=True)
    loop = QEventLoop()

    def poll() -> None:
        if dialog.wasCanceled() or not reader.is_alive():
            loop.quit()
            return
        step, steps, what = state["step"]
        dialog.setMaximum(steps)
        dialog.setValue(step)
        dialog.setLabelText(f"Reading {name}: {what}\u2026")

    timer = QTimer(interval=POLL_MS)
    timer.timeout.connect(poll)
    reader.start()
    timer.start()
    loop.exec()
    timer.stop()
    was_cancelled = dialog.wasCanceled() and reader.is_alive()
    dialog.reset()
    dialog.deleteLater()
    if was_cancelled:
        cancelled.set()
        return None
    reader.join()
    if "error" in state:
        raise state["error"]
    return state["report"]
