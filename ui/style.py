"""Colours and patterns for certainty, chosen to survive a black-and-white printout and the common
colour-vision deficiencies: each class differs in lightness *and* pattern, not only in hue."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor

from planner.model import Certainty

# Okabe-Ito inspired: blue (confirmed), bluish green (conditional: paid on results), orange
# (indicative), vermilion (unfunded).
FILL = {
    Certainty.CONFIRMED: QColor("#1f5fa6"),
    Certainty.CONDITIONAL: QColor("#8fd3bf"),
    Certainty.INDICATIVE: QColor("#f2a53a"),
    Certainty.UNFUNDED: QColor("#ffffff"),
}
EDGE = {
    Certainty.CONFIRMED: QColor("#103a6b"),
    Certainty.CONDITIONAL: QColor("#00664a"),
    Certainty.INDICATIVE: QColor("#9a5a00"),
    Certainty.UNFUNDED: QColor("#c0392b"),
}
TEXT_ON = {
    Certainty.CONFIRMED: QColor("#ffffff"),
    Certainty.CONDITIONAL: QColor("#00291e"),
    Certainty.INDICATIVE: QColor("#2b1a00"),
    Certainty.UNFUNDED: QColor("#8e1b10"),
}
PATTERN = {
    Certainty.CONFIRMED: Qt.BrushStyle.SolidPattern,
    # Level lines: in grey they differ from the solid, the diagonal and the cross.
    Certainty.CONDITIONAL: Qt.BrushStyle.HorPattern,
    Certainty.INDICATIVE: Qt.BrushStyle.BDiagPattern,
    Certainty.UNFUNDED: Qt.BrushStyle.DiagCrossPattern,
}
# Pale tints for table cells, where text must stay readable.
TINT = {
    Certainty.CONFIRMED: QColor("#dce8f6"),
    Certainty.CONDITIONAL: QColor("#d6f0e8"),
    Certainty.INDICATIVE: QColor("#fdebd0"),
    Certainty.UNFUNDED: QColor("#f9d6d2"),
}
WORD = {
    Certainty.CONFIRMED: "Confirmed",
    Certainty.CONDITIONAL: "Conditional",
    Certainty.INDICATIVE: "Indicative",
    Certainty.UNFUNDED: "Unfunded",
}
HORIZON = QColor("#111111")
# A renewal cliff: a dashed rule and a tag, dark enough to read in greyscale beside the
# solid black horizon, and not one of the certainty colours.
CLIFF = QColor("#5b2a86")
AT_RISK = QColor("#c0392b")
HIGHLIGHT = QColor("#ffd400")
OUTSIDE_PLAN = QColor("#eeeeee")


# Each pattern as the directions of its lines: level (0), rising to the right (1), falling (-1).
_HATCH_SLOPES = {
    Qt.BrushStyle.SolidPattern: (),
    Qt.BrushStyle.HorPattern: (0,),
    Qt.BrushStyle.BDiagPattern: (1,),
    Qt.BrushStyle.DiagCrossPattern: (1, -1),
}


def pattern_brush(certainty: Certainty) -> QBrush:
    """The hatch of a table cell's strip: none for confirmed. Qt draws a pattern brush in device
    pixels, so it suits the screen only; a bar that may be printed is hatched with hatch_lines."""
    colour = EDGE[certainty]
    return QBrush(colour, PATTERN[certainty])


def hatch_lines(rect: QRectF, certainty: Certainty, spacing: float) -> list[QLineF]:
    """The lines of ``certainty``'s pattern across ``rect``, ``spacing`` apart (measured
    across them), ending at its edges. Lines, not a pattern brush, so that a PDF at 1200 dpi
    shows the hatch at the size the screen does, rather than as a fine grey dust."""
    left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
    lines: list[QLineF] = []
    for slope in _HATCH_SLOPES[PATTERN[certainty]]:
        if slope == 0:
            y = top + spacing / 2
            while y < bottom:
                lines.append(QLineF(left, y, right, y))
                y += spacing
            continue
        # Rising lines are x + y = k, falling ones x - y = k; k steps by spacing * sqrt(2) so
        # that the lines are ``spacing`` apart. Each is cut where it leaves the rectangle.
        step = spacing * 2**0.5
        k = (left + top) if slope == 1 else (left - bottom)
        end = (right + bottom) if slope == 1 else (right - top)
        k += step / 2
        while k < end:
            if slope == 1:
                x0, x1 = max(left, k - bottom), min(right, k - top)
                if x1 > x0:
                    lines.append(QLineF(x0, k - x0, x1, k - x1))
            else:
                x0, x1 = max(left, top + k), min(right, bottom + k)
                if x1 > x0:
                    lines.append(QLineF(x0, x0 - k, x1, x1 - k))
            k += step
    return lines


def cell_hatch(certainty: Certainty) -> QBrush:
    """A light hatch over a table cell's tint, where the digits must stay readable."""
    colour = QColor(EDGE[certainty])
    colour.setAlpha(70)
    return QBrush(colour, PATTERN[certainty])


def problem_label():
    """Where a dialog says why a value was refused: dark red, wrapped, plain text (what was
    typed is never read as markup), hidden until there is something to say."""
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #8E1B10;")
    label.hide()
    return label
