"""Another process with a plan open, as a colleague's Pool Planner (or your own second one)
would have it: for the tests of who has a plan open."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent

# Holds the plan open for editing, as a colleague named ``who``, until its stdin closes.
_STORE = """
import sys
from planner.store import PlanFile
pf = PlanFile.open(sys.argv[1], who=sys.argv[2])
print("editing" if not pf.read_only else "read-only", flush=True)
sys.stdin.read()
pf.close()
"""

# A Pool Planner window editing the plan: prints "ready", then "forward" each time another
# Pool Planner asks it to come forward, and "editable" or "read-only" on "state" from stdin.
_WINDOW = """
import sys
from PySide6.QtCore import QSettings, QSocketNotifier, QStandardPaths
from PySide6.QtWidgets import QApplication
QStandardPaths.setTestModeEnabled(True)
app = QApplication([])
from ui.main_window import MainWindow
w = MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat))
w.show()
assert w.open_path(sys.argv[1])
w._channel.show_requested.connect(lambda: print("forward", flush=True))
def command():
    line = sys.stdin.readline()
    if not line:
        app.quit()
    elif line.strip() == "state":
        print("read-only" if w.doc.read_only else "editable", flush=True)
notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(command)
print("ready", flush=True)
app.exec()
"""


@contextlib.contextmanager
def editing(
    path: Path, who: str = "Jane Smith", window: bool = False, settings: Path | None = None
):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    args = [str(path), str(settings or path.with_suffix(".ini"))] if window else [str(path), who]
    child = subprocess.Popen(
        [sys.executable, "-c", _WINDOW if window else _STORE, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        first = child.stdout.readline().strip()
        assert first in ("editing", "ready"), first
        yield child
    finally:
        child.stdin.close()
        child.wait(20)
