"""Draws the app's icon: resources/icons/poolplanner.svg (the master), PNGs at 16..256 px rendered
from it with Qt, and poolplanner.ico (for the Windows build: the PNGs in one ICO file).

A stacked bar chart in the app's certainty colours: the blue of committed money (#1f5fa6) under
the amber of what is at risk (#f2a53a), three years rising. Run from the repository root with the
app's venv: ``python resources/make_icons.py``. The outputs are committed, so a build needs no
display and never runs this."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
HERE = Path(__file__).resolve().parent / "icons"

BLUE, AMBER, PAPER, INK = "#1f5fa6", "#f2a53a", "#f7f9fc", "#c9d3e0"

# (x, blue height, amber height) on a 256 grid; the bars stand on y = 212.
BARS = ((40, 44, 28), (104, 76, 40), (168, 112, 48))
WIDTH, BASE = 48, 212


def svg() -> str:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
        f'<rect x="8" y="8" width="240" height="240" rx="40" fill="{PAPER}" stroke="{INK}" '
        'stroke-width="6"/>',
    ]
    for x, blue, amber in BARS:
        parts.append(
            f'<rect x="{x}" y="{BASE - blue}" width="{WIDTH}" height="{blue}" fill="{BLUE}"/>'
        )
        parts.append(
            f'<rect x="{x}" y="{BASE - blue - amber}" width="{WIDTH}" height="{amber}" '
            f'fill="{AMBER}"/>'
        )
    parts.append(f'<rect x="28" y="{BASE}" width="200" height="8" rx="3" fill="{BLUE}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def ico(pngs: list[tuple[int, bytes]]) -> bytes:
    """An ICO holding PNG images (read by Windows Vista on, and by PyInstaller's --icon)."""
    head = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in pngs:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return head + entries + blobs


def main() -> int:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    HERE.mkdir(parents=True, exist_ok=True)
    text = svg()
    (HERE / "poolplanner.svg").write_text(text, "utf-8")
    renderer = QSvgRenderer(QByteArray(text.encode()))
    pngs = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(HERE / f"poolplanner-{size}.png"))
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        pngs.append((size, bytes(buffer.data())))
    (HERE / "poolplanner.ico").write_bytes(ico(pngs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
