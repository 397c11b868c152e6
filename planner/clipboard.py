"""Blocks of cells as spreadsheets put them on the clipboard and read them back: rows of
tab-separated text (a cell holding a tab, a newline or a quote is quoted, as Excel does), and
beside it an HTML table, which Excel and LibreOffice paste into cells with their formatting.
"""

from __future__ import annotations

import csv
import io
from html import escape

# A block larger than any plan's grid: more is a paste of something else (a document, a log).
MAX_CELLS = 200_000


class BlockError(ValueError):
    """What was pasted is not a block of cells."""


def parse_block(text: str) -> list[list[str]]:
    """The rows of cells of a tab-separated block; the line end after the last row, which
    spreadsheets write, is not a row."""
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith(("\n", "\r")):
        text = text[:-1]
    if len(text) > MAX_CELLS * 40:
        raise BlockError("What was pasted is far larger than any plan's grid.")
    try:
        rows = [row or [""] for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t")]
    except csv.Error as e:
        raise BlockError(f"What was pasted is not a block of cells ({e}).") from None
    if sum(len(r) for r in rows) > MAX_CELLS:
        raise BlockError("What was pasted is far larger than any plan's grid.")
    return rows or [[""]]


def tsv(rows: list[list[str]]) -> str:
    """``rows`` as a spreadsheet copies them: tab-separated, each row ended by CR LF."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()


def html(rows: list[list[str]], numeric: list[list[bool]]) -> str:
    """``rows`` as an HTML table; figures aligned right, as in the grid."""
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:right">{escape(cell)}</td>'
            if is_number
            else f"<td>{escape(cell)}</td>"
            for cell, is_number in zip(row, flags, strict=True)
        )
        + "</tr>"
        for row, flags in zip(rows, numeric, strict=True)
    )
    return f"<html><body><table>{body}</table></body></html>"
