"""Pool Planner's benchmark, run by hand (``bench/run``), never in the test suite. Each figure is
printed beside a floor measured in the same run, as a ratio."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _child_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # An installed app starts from compiled bytecode; with PYTHONDONTWRITEBYTECODE set (as on
    # some build machines) every start would compile the app's sources again, and the bare
    # window, having almost none, would not.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _cold_start(args: list[str], runs: int) -> list[float]:
    times = []
    env = _child_env()
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "bench.children", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        elapsed = time.perf_counter() - t0
        if "painted" not in out.stdout:
            raise SystemExit(f"child {args} did not paint:\n{out.stderr[-2000:]}")
        times.append(elapsed)
    return times


def startup(runs: int, workdir: Path) -> None:
    sample = workdir / "greater-manchester.poolplan"
    shutil.copy(ROOT / "sample_plans" / "greater-manchester.poolplan", sample)
    # One start of each first, unmeasured: it writes the bytecode an installed app would have.
    _cold_start(["bare"], 1)
    _cold_start(["app", str(sample)], 1)
    # Interleave so both see the same machine load.
    floor, ours = [], []
    for _ in range(runs):
        floor += _cold_start(["bare"], 1)
        ours += _cold_start(["app", str(sample)], 1)
    f, o = statistics.median(floor), statistics.median(ours)
    print(f"cold start to first paint (median of {runs})")
    print(f"  bare PySide6 window, 1000x20 table  {f * 1000:7.0f} ms")
    print(
        f"  Pool Planner on the GM sample       {o * 1000:7.0f} ms   ratio {o / f:.2f}  "
        f"(goal <= 1.5)"
    )


def open_large_plan(workdir: Path, runs: int = 5) -> None:
    """Opening the stress plan to a painted timeline, against reading the same rows with plain
    sqlite3; then a return of it imported; and the peak memory of the process."""
    import sqlite3

    from PySide6.QtCore import QRect, QSettings, QStandardPaths
    from PySide6.QtWidgets import QApplication

    from bench.generate import generate
    from planner.store import PlanFile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QStandardPaths.setTestModeEnabled(True)
    app = QApplication.instance() or QApplication([])
    from ui.main_window import MainWindow

    path = workdir / "large.poolplan"
    PlanFile.create(path, generate(), overwrite=True).close()
    tables = [
        "plan",
        "body",
        "settlement",
        "settlement_year",
        "contribution",
        "scheme",
        "scheme_spend",
        "cost_line",
        "cost_year",
        "benefit_line",
        "benefit_year",
    ]
    raw, ours = [], []
    for _ in range(runs):
        t = time.perf_counter()
        conn = sqlite3.connect(path)
        rows = sum(len(conn.execute(f"SELECT * FROM {table}").fetchall()) for table in tables)
        conn.close()
        raw.append(time.perf_counter() - t)
        window = MainWindow(QSettings(str(workdir / "o.ini"), QSettings.Format.IniFormat))
        window.fit_to(QRect(0, 0, 1920, 1080))  # the editors open, as on a desktop screen
        window.resize(1600, 1000)
        window.show()
        app.processEvents()
        t = time.perf_counter()
        window.open_path(path)
        window.timeline.viewport().repaint()
        ours.append(time.perf_counter() - t)
        window.close()
        app.processEvents()
    f, o = statistics.median(raw), statistics.median(ours)
    print(f"opening the stress plan ({rows:,} rows), median of {runs}")
    print(f"  plain sqlite3 reading every row         {f * 1000:7.0f} ms")
    print(
        f"  Pool Planner to a painted timeline      {o * 1000:7.0f} ms   ratio {o / f:.2f}  "
        f"(goal <= 3)"
    )

    import openpyxl

    from planner.excel.export import export_plan_file
    from planner.excel.returns import read_return

    returned = workdir / "large.xlsx"
    with PlanFile.open(path) as pf:
        export_plan_file(pf, returned)
        t = time.perf_counter()
        report = read_return(pf, returned)
        took = time.perf_counter() - t
    # The floor: openpyxl, read-only, reading every cell of the sheets a return is read from.
    t = time.perf_counter()
    wb = openpyxl.load_workbook(returned, read_only=True)
    cells = 0
    for sheet in ("Cover", "Contributions", "Schemes", "Sign-off"):
        for row in wb[sheet].iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    floor = time.perf_counter() - t
    print(f"importing a return of the stress plan ({len(report.changes)} changes found)")
    print(f"  openpyxl read-only, the same {cells:,} cells  {floor:6.2f} s")
    print(f"  Pool Planner reading and comparing it     {took:6.2f} s   ratio {took / floor:.2f}")

    # In fresh processes: this one has held several windows by now.
    def peak(*args: str) -> float:
        out = subprocess.run(
            [sys.executable, "-m", "bench.children", *args],
            cwd=ROOT,
            env=_child_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        lines = out.stdout.strip().splitlines()
        if out.returncode or not lines:
            raise SystemExit(f"child {args} failed:\n{out.stderr[-2000:]}")
        return float(lines[-1])

    bare, ours = peak("bare-memory"), peak("memory", str(path))
    print("peak memory")
    print(f"  bare PySide6 window, 1000x20 table      {bare:7.0f} MB")
    print(
        f"  Pool Planner with the stress plan open  {ours:7.0f} MB   ratio {ours / bare:.2f}  "
        f"(goal < 300 MB)"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=7, help="cold starts of each program")
    p.add_argument("--edits", type=int, default=200)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        startup(a.runs, Path(tmp))
        from bench import edits

        edits.run(a.edits, Path(tmp))
        open_large_plan(Path(tmp))
        from bench import export

        export.run(Path(tmp))
        from bench import board_pack

        board_pack.run(Path(tmp))


if __name__ == "__main__":
    main()
