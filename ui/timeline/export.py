"""The timeline as a picture for board papers: PNG, SVG or PDF (A4 landscape), painted by the
same code as the screen so the paper shows what the board saw."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from planner.errors import PlannerError
from planner.files import check_target, temp_beside
from planner.text import quoted, shown
from ui.timeline.painter import Highlight, TimelinePainter

# Wide enough for ten years with readable bars; the picture is scaled to the page anyway.
EXPORT_WIDTH = 1600
FORMATS = {".png": "PNG image", ".svg": "SVG drawing", ".pdf": "PDF document"}


def export(painter: TimelinePainter, path: Path) -> None:
    """Write the whole timeline (every lane, not just what is on screen) to ``path``."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise PlannerError(f"Export as .png, .svg or .pdf; '{path.suffix}' is not one of them.")
    check_target(path, "the timeline")
    try:  # written beside, then put in place: whole or not at all, and a reason if not
        tmp = temp_beside(path)
    except OSError as e:
        raise PlannerError(
            f"The timeline could not be written in '{shown(str(path.resolve().parent))}': "
            f"{e.strerror or e}."
        ) from None
    # The paper shows the plan, not the on-screen selection.
    saved, painter.highlight = painter.highlight, Highlight()
    try:
        _export(painter, tmp, suffix)
        os.replace(tmp, path)
    except OSError as e:
        raise PlannerError(f"{quoted(path)} could not be written: {e.strerror or e}.") from None
    finally:
        painter.highlight = saved
        tmp.unlink(missing_ok=True)


def _export(painter: TimelinePainter, path: Path, suffix: str) -> None:
    width, height = painter.full_size(EXPORT_WIDTH)
    if suffix == ".png":
        image = QImage(QSize(int(width * 2), int(height * 2)), QImage.Format.Format_ARGB32)
        image.setDotsPerMeterX(2 * 3780)
        image.setDotsPerMeterY(2 * 3780)
        image.fill(0xFFFFFFFF)
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(2, 2)
        painter.paint_all(p, EXPORT_WIDTH)
        p.end()
        ok = image.save(str(path), "PNG")
    elif suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator

        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(QSize(int(width), int(height)))
        gen.setViewBox(QRectF(0, 0, width, height))
        gen.setTitle(painter.doc.plan.name)
        gen.setDescription("Funding timeline exported from Pool Planner")
        p = QPainter(gen)
        painter.paint_all(p, EXPORT_WIDTH)
        ok = p.end()
    else:
        writer = QPdfWriter(str(path))
        writer.setTitle(f"{painter.doc.plan.name}: funding timeline")
        writer.setCreator("Pool Planner")
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape,
                QMarginsF(10, 10, 10, 10),
            )
        )
        writer.setResolution(150)
        p = QPainter(writer)
        page = writer.pageLayout().paintRectPixels(writer.resolution())
        scale = min(page.width() / width, page.height() / height)
        p.scale(scale, scale)
        painter.paint_all(p, EXPORT_WIDTH)
        ok = p.end()
    if not ok or not path.exists() or path.stat().st_size == 0:
        raise PlannerError("The timeline could not be drawn into its file.")
