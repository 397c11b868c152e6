import os
import sys
from pathlib import Path

import pytest

# GUI tests run on machines with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).parent))

from builders import worked_example  # noqa: E402

from planner.store import PlanFile  # noqa: E402


@pytest.fixture
def example_plan():
    return worked_example()


@pytest.fixture
def example_file(tmp_path):
    with PlanFile.create(tmp_path / "example.poolplan", worked_example()) as pf:
        yield pf


@pytest.fixture
def essex(tmp_path):
    """A copy of the Essex sample, open for editing."""
    import shutil

    path = tmp_path / "essex.poolplan"
    shutil.copy(Path(__file__).parent.parent / "sample_plans" / "essex.poolplan", path)
    with PlanFile.open(path) as pf:
        yield pf


@pytest.fixture(autouse=True, scope="session")
def _isolated_qt_paths():
    """Logs and settings of GUI tests go to Qt's test locations, never the user's."""
    from PySide6.QtCore import QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    yield
    # Qt's offscreen platform crashes at exit if the clipboard still holds what a test copied
    # (a real platform hands it to the system's clipboard instead).
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        QApplication.clipboard().clear()


from gm_window import make_window, plan_path, window  # noqa: E402, F401 - GUI fixtures
