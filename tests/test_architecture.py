"""House rules that keep the app fast and the domain shareable."""

import ast
import subprocess
import sys
from pathlib import Path

PLANNER = Path(__file__).parent.parent / "planner"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_planner_never_imports_qt_or_the_ui():
    for path in PLANNER.rglob("*.py"):
        assert not imported_modules(path) & {"PySide6", "shiboken6", "ui"}, path


def test_the_command_line_starts_without_heavy_libraries():
    code = (
        "import sys, planner.cli, planner.report, planner.store, planner.jsonio;"
        "print(sorted(m for m in ('matplotlib', 'openpyxl', 'PySide6')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_window_opens_a_plan_without_heavy_libraries(tmp_path):
    plan = Path(__file__).parent.parent / "sample_plans" / "essex.poolplan"
    copy = tmp_path / "essex.poolplan"
    copy.write_bytes(plan.read_bytes())
    code = (
        "import sys, os; os.environ['QT_QPA_PLATFORM'] = 'offscreen';"
        "from PySide6.QtCore import QStandardPaths; QStandardPaths.setTestModeEnabled(True);"
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from ui.app import start;"
        f"w = start({str(copy)!r}); w.show(); app.processEvents(); w.grab();"
        "assert w.doc is not None;"
        "print(sorted(m for m in ('matplotlib', 'openpyxl')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
