"""The Qt binding must not corrupt Python's reference counts (PySide6 6.12.0 on Python 3.11
decrements None on every void call, and the app aborts after a few hundred repaints)."""

import sys

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter


def test_void_qt_calls_keep_none_alive():
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    p = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(500):
        p.fillRect(QRectF(0, 0, 5, 5), QColor("#123456"))
        p.save()
        p.restore()
    after = sys.getrefcount(None)
    p.end()
    # Immortal None (3.12+) reports a constant huge count; a mortal one must not fall by ~1,500.
    assert before - after < 100
