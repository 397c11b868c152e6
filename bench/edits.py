"""Edits as a user makes them, timed to the repainted window: typed into the visible grid cell
(its model's ``setData``), spread over bodies and years, every fifth one changing a settlement
year's certainty (and so the findings); then each undone from the Edit menu. Beside them, in the
same run and paired edit by edit, the floor: one bare one-row SQLite commit with the same
``synchronous`` setting (the fsync is not the app's to remove). At 1x, 4x and 16x the stress plan,
and the history's cost: the file's growth over 1,000 edits, and an edit with and without it."""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from pathlib import Path


def _stats(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[max(0, int(len(s) * 0.95) - 1)]
    return (
        f"min {s[0] * 1000:5.1f}  median {statistics.median(s) * 1000:5.1f}  "
        f"p95 {p95 * 1000:5.1f}  max {s[-1] * 1000:6.1f} ms"
    )


def _p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[max(0, int(len(s) * 0.95) - 1)]


class _Floor:
    """A bare one-row commit, as the plan file commits (synchronous FULL)."""

    def __init__(self, folder: Path):
        self.conn = sqlite3.connect(folder / "floor.sqlite", isolation_level=None)
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER)")
        self.conn.execute("INSERT OR IGNORE INTO t VALUES (1, 0)")
        self.n = 0

    def commit(self) -> float:
        self.n += 1
        t = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("UPDATE t SET v = ? WHERE id = 1", (self.n,))
        self.conn.execute("COMMIT")
        return time.perf_counter() - t


def edit_and_undo(scale: int, edits: int, workdir: Path) -> tuple[float, float]:
    """Edits and undos at ``scale`` times the stress plan; prints them and returns both p95s."""
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtWidgets import QApplication

    from bench.generate import stress
    from planner.model import Certainty, SettlementYear
    from planner.store import PlanFile
    from ui.main_window import MainWindow
    from ui.models.settlements import year_cell_text

    app = QApplication.instance()
    path = workdir / f"stress-{scale}x.poolplan"
    plan = stress(scale)
    PlanFile.create(path, plan, overwrite=True).close()
    window = MainWindow(QSettings(str(workdir / f"s{scale}.ini"), QSettings.Format.IniFormat))
    window.fit_to(QRect(0, 0, 1920, 1080))  # the editors open, as on a desktop screen
    window.resize(1280, 720)
    window.show()
    # A new settlement year asks whether to move the body's unsettled money onto it: a bench
    # has no one to answer, and times the edit alone.
    window.confirm = lambda title, text: False
    window.open_path(path)
    app.processEvents()
    doc, editors = window.doc, window.editors
    grid, settlements = editors.contributions, editors.settlements
    plan = doc.plan
    bodies, years = list(plan.bodies), list(plan.year_range)
    floor = _Floor(workdir)
    ours, undos, floors, kinds = [], [], [], {"cell": 0, "certainty": 0}
    for i in range(edits):
        body = bodies[(i * 37) % len(bodies)]
        year = years[(i * 7) % len(years)]
        own = plan.settlements_of(body)
        if i % 5 == 4 and own:
            # A settlement year flipped between confirmed and indicative: certainty and
            # findings move.
            s = own[i % len(own)]
            now = s.years.get(year)
            flipped = (
                Certainty.INDICATIVE
                if now is None or now.status is Certainty.CONFIRMED
                else Certainty.CONFIRMED
            )
            editors.show_settlement(s.id, year)
            window.timeline.scroll_to_body(body)
            app.processEvents()
            index = settlements.index(settlements.rows.index(s.id), 4 + years.index(year))
            text = year_cell_text(SettlementYear(flipped, now.amount_pence if now else None))
            model, kinds["certainty"] = settlements, kinds["certainty"] + 1
        else:
            editors.show_contribution(body, year)
            window.timeline.scroll_to_body(body)
            app.processEvents()
            index = editors.contributions_view.currentIndex()
            current = grid.data(index, 2)  # EditRole: the amount as typed
            pence = int(str(current or "0").replace(",", "").replace(".", "") or 0)
            text = f"{pence + 100 * (i + 1):,}"
            model, kinds["cell"] = grid, kinds["cell"] + 1
        floors.append(floor.commit())
        t = time.perf_counter()
        if not model.setData(index, text):
            raise SystemExit(f"edit {i} was refused: {text}")
        app.processEvents()
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        window.undo_action.trigger()
        app.processEvents()
        undos.append(time.perf_counter() - t)
        window.redo_action.trigger()  # keep the edit, so later ones build on it
        app.processEvents()
    window.close()
    size = (
        f"{len(plan.bodies)} bodies, {len(plan.settlements)} settlements, "
        f"{len(plan.contributions)} contributions"
    )
    print(f"  {scale:>2}x ({size}; {kinds['cell']} cells, {kinds['certainty']} certainty)")
    print(f"      edit to repaint  {_stats(ours)}")
    print(f"      undo to repaint  {_stats(undos)}")
    print(f"      bare commit      {_stats(floors)}")
    med = statistics.median(floors)
    print(
        f"      ratio to the bare commit, medians: edit {statistics.median(ours) / med:.1f}, "
        f"undo {statistics.median(undos) / med:.1f}"
    )
    return _p95(ours), _p95(undos)


def history_cost(workdir: Path, edits: int = 1000) -> None:
    """The history's price: what 1,000 edits add to the file, and an edit with and without the
    history written (the store's own edit, paired one by one)."""
    from unittest import mock

    from bench.generate import stress
    from planner.store import PlanFile, history

    path = workdir / "history.poolplan"
    PlanFile.create(path, stress(), overwrite=True).close()
    start = os.path.getsize(path)
    with_h, without = [], []
    with PlanFile.open(path) as pf:
        cells = list(pf.plan.contributions.values())
        for i in range(edits):
            c = cells[(i * 13) % len(cells)]
            t = time.perf_counter()
            pf.set_contribution(c.body_id, c.year, c.amount_pence + i + 1, c.settlement_id)
            with_h.append(time.perf_counter() - t)
            with mock.patch.object(history, "append", lambda *a, **k: None):
                t = time.perf_counter()
                pf.set_contribution(c.body_id, c.year, c.amount_pence + i + 2, c.settlement_id)
                without.append(time.perf_counter() - t)
        entries = len(pf.history())
    grown = os.path.getsize(path) - start
    print(f"the history ({edits} edits recorded, {entries} entries)")
    print(f"  file grew {grown / 1024:.0f} KiB: {grown / max(1, entries):.0f} bytes an entry")
    print(f"  edit with the history     {_stats(with_h)}")
    print(f"  edit without it           {_stats(without)}")
    print(f"  ratio, medians: {statistics.median(with_h) / statistics.median(without):.2f}")


def run(edits: int, workdir: Path, scales=(1, 4, 16)) -> None:
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QStandardPaths.setTestModeEnabled(True)
    QApplication.instance() or QApplication([])
    print(f"edits typed into the visible grid, each undone and redone ({edits} at each size)")
    p95s = {s: edit_and_undo(s, edits, workdir) for s in scales}
    base = p95s[scales[0]]
    for s in scales[1:]:
        print(
            f"  p95 at {s}x against 1x: edit {p95s[s][0] / base[0]:.2f}, "
            f"undo {p95s[s][1] / base[1]:.2f}  (goal: <= 1.5 at 16x; 1x edit p95 < 16 ms)"
        )
    history_cost(workdir)
