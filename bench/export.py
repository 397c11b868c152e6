"""The sign-off workbook's export, against two floors that write the same cells (same sheets,
same places) as plain numbers and nothing else: openpyxl in write-only mode, and XlsxWriter in
constant-memory mode. Then the peak memory of an export as the plan grows, and the plan file's
size after ten exports.

``python -m bench.export [--runs N] [--scales 1 4 16]``; ``bench/run`` runs it with the rest.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _places(plan, workdir: Path) -> dict[str, list[tuple[int, list[int]]]]:
    """Where the export writes a cell: sheet -> [(row, [columns])], both from 0."""
    from planner.excel import book
    from planner.excel.export import export_workbook

    places: dict[str, list[tuple[int, list[int]]]] = {}
    append = book.Sheet.append

    def recording(self, cells=()):
        cells = list(cells)
        places.setdefault(self.title, []).append(
            (self.rows, [c for c, cell in enumerate(cells) if cell is not None])
        )
        return append(self, cells)

    book.Sheet.append = recording
    try:
        export_workbook(plan, workdir / "places.xlsx")
    finally:
        book.Sheet.append = append
    return places


def _openpyxl_floor(places, out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    n = 0
    for title, rows in places.items():
        ws = wb.create_sheet(title)
        done = 0
        for r, columns in rows:
            while done < r:  # rows the export leaves empty
                ws.append([])
                done += 1
            row: list = [None] * (columns[-1] + 1 if columns else 0)
            for c in columns:
                n += 1
                row[c] = n / 100
            ws.append(row)
            done += 1
    wb.save(out)


def _xlsxwriter_floor(places, out: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    n = 0
    for title, rows in places.items():
        ws = wb.add_worksheet(title)
        for r, columns in rows:
            for c in columns:
                n += 1
                ws.write_number(r, c, n / 100)
    wb.close()


def speed(runs: int, workdir: Path) -> None:
    from bench.generate import stress
    from planner.excel.export import export_workbook
    from planner.excel.fingerprint import fingerprint

    plan = stress()
    places = _places(plan, workdir)
    cells = sum(len(cols) for rows in places.values() for _r, cols in rows)
    # As the app exports: the fingerprint is made once, from the dump the record keeps.
    fp = fingerprint(plan)
    times: dict[str, list[float]] = {"openpyxl": [], "xlsxwriter": [], "ours": []}
    jobs = {
        "openpyxl": lambda: _openpyxl_floor(places, workdir / "floor-openpyxl.xlsx"),
        "xlsxwriter": lambda: _xlsxwriter_floor(places, workdir / "floor-xlsxwriter.xlsx"),
        "ours": lambda: export_workbook(plan, workdir / "plan.xlsx", plan_fingerprint=fp),
    }
    for _ in range(runs):  # interleaved, so all three see the same machine
        for name, job in jobs.items():
            t = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - t)
    m = {k: statistics.median(v) for k, v in times.items()}
    print(f"Excel export of the stress plan ({cells:,} cells written, median of {runs})")
    print(f"  openpyxl write-only, same cells as numbers      {m['openpyxl']:6.2f} s")
    print(f"  XlsxWriter constant-memory, same cells          {m['xlsxwriter']:6.2f} s")
    print(
        f"  Pool Planner sign-off workbook                  {m['ours']:6.2f} s   "
        f"ratio {m['ours'] / m['openpyxl']:.2f} / {m['ours'] / m['xlsxwriter']:.2f}  "
        f"(goal <= 1.2 of the faster)"
    )


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise SystemExit(f"no {field} in /proc/self/status (Linux only)")


def _memory_child(scale: int) -> None:
    """In a fresh process: the memory held with the plan loaded, and the peak during its
    export (printed as three numbers). Linux's peak is reset just before the export (writing 5
    to clear_refs), so making the plan and its dump does not count."""
    import gc

    from bench.generate import stress
    from planner.benefits import appraise
    from planner.excel.export import export_workbook
    from planner.excel.fingerprint import fingerprint
    from planner.figures import compute
    from planner.findings import find

    plan = stress(scale)
    fp = fingerprint(plan)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS")
    # What the export works out before it writes a cell, held as it is while it writes.
    figures = compute(plan)
    benefits = appraise(plan)
    find(plan, figures, benefits)
    worked_out = _status_mb("VmHWM")
    del figures, benefits
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    with tempfile.TemporaryDirectory() as tmp:
        export_workbook(plan, Path(tmp) / "plan.xlsx", plan_fingerprint=fp)
    print(f"{before:.0f} {worked_out:.0f} {_status_mb('VmHWM'):.0f}")


def memory(scales: list[int]) -> None:
    print("memory of one export (a fresh process each)")
    for scale in scales:
        out = subprocess.run(
            [sys.executable, "-m", "bench.export", "--memory-child", str(scale)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if out.returncode:
            raise SystemExit(out.stderr[-2000:])
        before, figures, after = (float(x) for x in out.stdout.split())
        print(
            f"  stress plan {scale:>2}x  plan loaded {before:5.0f} MB, with its figures "
            f"{figures:5.0f} MB, peak while exporting {after:5.0f} MB: writing adds "
            f"{after - figures:4.0f} MB"
        )


def records(workdir: Path, exports: int = 10) -> None:
    """The plan file after ``exports`` exports, each of a new version (an edit between)."""
    from bench.generate import stress
    from planner.excel.export import export_plan_file
    from planner.store import PlanFile

    path = workdir / "records.poolplan"
    PlanFile.create(path, stress(), overwrite=True).close()
    sizes = [path.stat().st_size]
    with PlanFile.open(path) as pf:
        first = next(iter(pf.plan.contributions.values()))
        for i in range(exports):
            pf.set_contribution(first.body_id, first.year, first.amount_pence + i + 1)
            export_plan_file(pf, workdir / "records.xlsx")
            sizes.append(path.stat().st_size)
    mb = [s / 1e6 for s in sizes]
    print(f"the stress plan's file after {exports} exports, each of a new version")
    print(
        f"  {mb[0]:.1f} MB before, {mb[1]:.1f} MB after one, {mb[-1]:.1f} MB after {exports} "
        f"({(mb[-1] - mb[0]) / exports:.2f} MB an export)"
    )


def run(workdir: Path, runs: int = 3, scales: tuple[int, ...] = (1, 4, 16)) -> None:
    speed(runs, workdir)
    memory(list(scales))
    records(workdir)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--scales", type=int, nargs="*", default=[1, 4, 16])
    p.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.memory_child:
        _memory_child(a.memory_child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), a.runs, tuple(a.scales))


if __name__ == "__main__":
    main()
