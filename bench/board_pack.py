"""The board pack's PDF, against a floor that writes the same text: every piece of text the pack
draws (recorded as it draws it: font, box, words) written again by QPdfWriter on as many pages,
with none of the pack's layout, bars or rules. The ratio is what the pack's drawing costs over
putting its words on paper.

``python -m bench.board_pack [--runs N]``; ``bench/run`` runs it with the rest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_AT = dt.date(2026, 3, 31)


def _recorded(doc, workdir: Path) -> tuple[list[tuple], int]:
    """Each drawText of the pack of ``doc``: (font, box, text, how), and its page count."""
    from PySide6.QtGui import QFont, QPainter

    import ui.board_pack as board_pack

    texts: list[tuple] = []

    class Recording(QPainter):
        def drawText(self, *args):
            box = self.worldTransform().mapRect(args[0])
            texts.append((QFont(self.font()), box, *args[1:]))
            return super().drawText(*args)

    plain = board_pack.QPainter
    board_pack.QPainter = Recording
    try:
        pages = board_pack.write_board_pack(doc, workdir / "recorded.pdf", AS_AT)
    finally:
        board_pack.QPainter = plain
    return texts, pages


def _floor(texts: list[tuple], pages: int, out: Path) -> None:
    from PySide6.QtGui import QPainter, QPdfWriter

    from ui.board_pack import set_up_page

    writer = QPdfWriter(str(out))
    writer.setResolution(600)
    set_up_page(writer)
    p = QPainter(writer)
    per_page = -(-len(texts) // pages)
    for i, (font, box, *rest) in enumerate(texts):
        if i and i % per_page == 0:
            writer.newPage()
        p.setFont(font)
        p.drawText(box, *rest)
    p.end()


def run(workdir: Path, runs: int = 3) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.generate import stress
    from planner.store import PlanFile
    from ui.board_pack import _ensure_app, write_board_pack
    from ui.document import PlanDocument

    _ensure_app()
    stress_path = workdir / "stress-pack.poolplan"
    PlanFile.create(stress_path, stress()).close()
    plans = {
        "Greater Manchester sample": ROOT / "sample_plans" / "greater-manchester.poolplan",
        "stress plan": stress_path,
    }
    for name, path in plans.items():
        with PlanFile.open(path, read_only=True) as pf:
            doc = PlanDocument(pf)
            texts, pages = _recorded(doc, workdir)
            times: dict[str, list[float]] = {"floor": [], "ours": []}
            jobs = {
                "floor": lambda t=texts, n=pages: _floor(t, n, workdir / "floor.pdf"),
                "ours": lambda d=doc: write_board_pack(d, workdir / "pack.pdf", AS_AT),
            }
            for _ in range(runs):  # interleaved, so both see the same machine
                for job_name, job in jobs.items():
                    t = time.perf_counter()
                    job()
                    times[job_name].append(time.perf_counter() - t)
            doc.deleteLater()
        m = {k: statistics.median(v) for k, v in times.items()}
        print(f"Board pack of the {name} ({pages} pages, {len(texts):,} texts, median of {runs})")
        print(f"  QPdfWriter, the same texts on as many pages   {m['floor']:6.2f} s")
        print(
            f"  Pool Planner board pack                       {m['ours']:6.2f} s   "
            f"ratio {m['ours'] / m['floor']:.2f}"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), a.runs)


if __name__ == "__main__":
    main()
