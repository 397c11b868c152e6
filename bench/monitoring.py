"""The Monitoring view's refresh after one actual is typed, on the stress plan with four
quarters of actuals for every scheme: typed into the visible grid cell (the model's
``setData``), timed to the repainted window (goal: p95 under 16 ms, as for any edit). Beside
it, paired edit by edit in the same run, the floor: a bare one-row SQLite commit with the same
``synchronous`` setting. Run by hand: ``python -m bench.monitoring [EDITS]``."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def stress_monitored(scale: int = 1):
    """The stress plan, its first year monitored as at its end, four quarters of actuals for
    every scheme (a little over or under each quarter's budget) and a shared/fixed agreement."""
    from bench.generate import stress
    from planner.model import Actual, SchemeYearMonitoring

    plan = stress(scale)
    year = plan.first_year
    plan.monitoring.year, plan.monitoring.as_at = year, dt.date(year + 1, 3, 31)
    for s in plan.schemes.values():
        quarter = s.spend.get(year, 0) // 4
        s.monitored[year] = SchemeYearMonitoring(
            {q: Actual(quarter + (s.id * q) % 7 * 1000) for q in (1, 2, 3, 4)}
        )
    plan.risk_share.shared = frozenset(i for i in plan.schemes if i % 3)
    plan.risk_share.reserve_pence = 1_000_000_00
    return plan


def run(edits: int, workdir: Path) -> None:
    from PySide6.QtCore import QRect, QSettings, QStandardPaths
    from PySide6.QtWidgets import QApplication

    from bench.edits import _Floor, _p95, _stats
    from planner.store import PlanFile
    from ui.main_window import MainWindow
    from ui.models.monitoring import QUARTER_COLUMNS

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QStandardPaths.setTestModeEnabled(True)
    app = QApplication.instance() or QApplication([])
    path = workdir / "monitored.poolplan"
    plan = stress_monitored()
    PlanFile.create(path, plan, overwrite=True).close()
    window = MainWindow(QSettings(str(workdir / "m.ini"), QSettings.Format.IniFormat))
    window.fit_to(QRect(0, 0, 1920, 1080))
    window.resize(1280, 720)
    window.show()
    window.confirm = lambda title, text: False
    window.open_path(path)
    window.editors.show_monitoring()
    app.processEvents()
    tab = window.editors.monitoring[0]
    model, view = tab.model, tab.view
    floor = _Floor(workdir)
    ours, undos, floors = [], [], []
    columns = list(QUARTER_COLUMNS)
    for i in range(edits):
        row = (i * 37) % (len(model.rows) - 1)
        index = model.index(row, columns[i % 4])
        view.scrollTo(index)
        view.setCurrentIndex(index)
        app.processEvents()
        text = f"{1_000 + i:,}"
        floors.append(floor.commit())
        t = time.perf_counter()
        if not model.setData(index, text):
            raise SystemExit(f"edit {i} was refused")
        app.processEvents()
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        window.undo_action.trigger()
        app.processEvents()
        undos.append(time.perf_counter() - t)
        window.redo_action.trigger()
        app.processEvents()
    window.close()
    actuals = sum(len(r.actuals) for s in plan.schemes.values() for r in s.monitored.values())
    print(
        f"an actual typed into the Monitoring grid, stress plan ({len(plan.schemes)} schemes, "
        f"{actuals} actuals, {len(plan.contributions)} contributions; {edits} edits)"
    )
    print(f"  edit to repaint  {_stats(ours)}")
    print(f"  undo to repaint  {_stats(undos)}")
    print(f"  bare commit      {_stats(floors)}")
    med = statistics.median(floors)
    print(
        f"  ratio to the bare commit, medians: edit {statistics.median(ours) / med:.1f}, "
        f"undo {statistics.median(undos) / med:.1f}; edit p95 {_p95(ours) * 1000:.1f} ms "
        f"(goal < 16 ms)"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        run(int(sys.argv[1]) if len(sys.argv) > 1 else 200, Path(tmp))
