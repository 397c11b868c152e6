"""Opening a plan received from a partner, with every check it now passes (structure, foreign
keys, every row against the writer's rules and the file's own CHECK constraints), at 1x and 16x
the stress plan. The floor, in the same run and alternating with it: plain sqlite3 reading every
row of the same file. ``python -m bench.opening [--runs N] [--scales 1 16]``.

Runs against any release that has ``PlanFile.open(path, read_only=True)``: to compare before and
after a change, run it with ``PYTHONPATH`` set to each tree (each makes its own file)."""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def _floor(path: Path) -> float:
    t = time.perf_counter()
    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        conn.execute(f'SELECT * FROM "{table}"').fetchall()
    conn.close()
    return time.perf_counter() - t


def _open(path: Path) -> float:
    from planner.store import PlanFile

    t = time.perf_counter()
    PlanFile.open(path, read_only=True).close()
    return time.perf_counter() - t


def run(scales: list[int], runs: int, workdir: Path) -> None:
    from bench.generate import stress
    from planner.store import PlanFile

    for scale in scales:
        path = workdir / f"stress-{scale}x.poolplan"
        plan = stress(scale)
        PlanFile.create(path, plan, overwrite=True).close()
        _open(path)  # once unmeasured: the page cache warm for both
        floors, ours = [], []
        for _ in range(runs):
            floors.append(_floor(path))
            ours.append(_open(path))
        f, o = statistics.median(floors), statistics.median(ours)
        print(
            f"{scale:>3}x ({path.stat().st_size / 1e6:6.1f} MB)  plain sqlite3 {f * 1000:7.0f} ms"
            f"   opened and checked {o * 1000:7.0f} ms   ratio {o / f:.2f}   (median of {runs})"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--scales", type=int, nargs="+", default=[1, 16])
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(a.scales, a.runs, Path(tmp))


if __name__ == "__main__":
    main()
