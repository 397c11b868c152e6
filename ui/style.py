"""Colours and patterns for certainty, chosen to survive a black-and-white printout and the common
colour-vision deficiencies: each class differs in lightness *and* pattern, not only in hue."""

from __future__ import annotations

from PySide6.QtCore import Qt
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


def pattern_brush(certainty: Certainty) -> QBrush:
    """The hatch drawn over a bar's fill: none for confirmed."""
    colour = EDGE[certainty]
    return QBrush(colour, PATTERN[certainty])


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
