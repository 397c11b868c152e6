"""The app's colours against WCAG AA: 4.5:1 for text, 3:1 for bars and marks (WCAG 2.1, 1.4.3
and 1.4.11), computed from the colours themselves."""

import pytest
from PySide6.QtGui import QColor

from planner.model import Certainty
from ui import style

WHITE = QColor("#ffffff")


def _luminance(c: QColor) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("certainty", list(Certainty))
def test_a_bar_s_label_reads_on_its_fill(certainty):
    assert contrast(style.TEXT_ON[certainty], style.FILL[certainty]) >= 4.5


@pytest.mark.parametrize("certainty", list(Certainty))
def test_a_bar_stands_out_from_the_white_lane(certainty):
    # Its fill, or for an unfunded (white) bar its edge, against the lane.
    shown = style.EDGE[certainty] if certainty is Certainty.UNFUNDED else style.FILL[certainty]
    edge_or_fill = max(contrast(shown, WHITE), contrast(style.EDGE[certainty], WHITE))
    assert edge_or_fill >= 3


@pytest.mark.parametrize(
    "colour", [style.HORIZON, style.AT_RISK, style.CLIFF], ids=["horizon", "at risk", "cliff"]
)
def test_the_marks_read_on_white_as_text_does(colour):
    assert contrast(colour, WHITE) >= 4.5


@pytest.mark.parametrize("certainty", list(Certainty))
def test_figures_in_the_tables_read_on_their_tint(certainty):
    assert contrast(QColor("#000000"), style.TINT[certainty]) >= 4.5
