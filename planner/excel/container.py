"""What is checked of a returned workbook before any of its XML is parsed: that it is a zip
holding a workbook, of a sensible size, that cannot expand enormously, declares no XML entities,
names each part once, and has no sheet longer than the plan's workbook could be.

These are the checks that must come before openpyxl, because openpyxl's cost is in the parsing:
it walks every row of a sheet that does not declare its size just to learn the size, so a sheet
of a million empty rows would take a minute before a single cell was read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from planner.errors import ReturnError
from planner.text import quoted

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # a real workbook's XML compresses about 5-20 times
# The export's widest row (thirty years of amounts, certainties and excesses) is about 4 KB of
# XML: a workbook that expands to more than this per row the plan's workbook could have is not
# one the export wrote, and parsing it (its shared strings, say) would take minutes.
BYTES_PER_ROW = 4_096
_CHUNK = 1 << 20
# A row element, prefixed or not (<row r=, <x:row\nr=): what openpyxl reads as a row.
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_LONGEST_TAG = 64
# What a damaged or unusual zip raises as it is read: never a traceback.
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error)


def check_container(path: Path, most_rows: int) -> None:
    """Refuse ``path`` unless it is a workbook openpyxl can be trusted to read quickly: no
    worksheet may hold more than ``most_rows`` rows."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReturnError(f"There is no file called {quoted(path)}.") from None
    except OSError as e:
        raise ReturnError(f"{quoted(path)} could not be read: {e.strerror or e}.") from None
    if size > MAX_FILE_BYTES:
        raise ReturnError(
            f"{quoted(path)} is {size / 1e6:.0f} MB: far larger than a sign-off "
            f"workbook, so it is not read."
        )
    if not zipfile.is_zipfile(path):
        raise ReturnError(f"{quoted(path)} {_what_else(path)}")
    try:
        with zipfile.ZipFile(path) as z:
            _check_parts(z, path, most_rows * BYTES_PER_ROW)
            for m in z.infolist():
                if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
                    rows = _rows_in(z, m)
                    if rows > most_rows:
                        raise ReturnError(
                            f"{quoted(path)} has a sheet of {rows:,} rows, far more than this "
                            f"plan's workbook has (rows cannot be added in a return), so it is "
                            f"not read."
                        )
    except _BROKEN:
        raise ReturnError(f"{quoted(path)} is a damaged workbook.") from None


def _check_parts(z: zipfile.ZipFile, path: Path, most_bytes: int) -> None:
    members = z.infolist()
    for m in members:
        if m.flag_bits & 0x1:
            raise ReturnError(
                f"{quoted(path)} is protected with a password, so it cannot be read; ask for "
                f"it without one (the sheets may stay protected)."
            )
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReturnError(
                f"{quoted(path)} is compressed in a way Excel does not write; save it from "
                f"Excel or LibreOffice as an .xlsx workbook and send it again."
            )
    names = {m.filename for m in members}
    if len(names) != len(members):
        # Readers disagree on which of two parts of one name is the workbook.
        raise ReturnError(
            f"{quoted(path)} holds two parts of the same name, which no Excel workbook "
            f"does; it is not read."
        )
    for m in members:
        if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise _bomb(path)
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise ReturnError(
            f"{quoted(path)} would expand to {expanded / 1e6:.0f} MB when opened "
            f"(a 'zip bomb'), so it is not read."
        )
    if expanded > max(most_bytes, MAX_FILE_BYTES):
        raise ReturnError(
            f"{quoted(path)} expands to {expanded / 1e6:.0f} MB when opened, far more than "
            f"this plan's workbook could, so it is not read."
        )
    for m in members:
        if m.filename.endswith(".xml") and m.file_size < 5_000_000:
            head = z.read(m.filename)[:4096]
            if b"<!ENTITY" in head or b"<!DOCTYPE" in head:
                raise ReturnError(
                    f"{quoted(path)} contains XML entity declarations, which are refused:"
                    f" they are a way to attack spreadsheet readers."
                )
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and z.read("mimetype").startswith(_ODS[len(b"mimetype") :]):
            raise ReturnError(
                f"{quoted(path)} is a LibreOffice spreadsheet (.ods), which Pool Planner does "
                f"not read: {_SAVE_AS}."
            )
        raise ReturnError(f"{quoted(path)} is a zip archive but not an Excel workbook.")


# What a returned file is when it is not an .xlsx, by its first bytes.
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # Excel 97-2003 (.xls), and other Office files
_ODS = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
_SAVE_AS = (
    "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx), then import that"
)


def _what_else(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError:
        head = b""
    if head.startswith(_OLE2):
        return f"is an older Excel file (.xls), which Pool Planner does not read: {_SAVE_AS}."
    return "is not an Excel workbook (.xlsx)."


def _bomb(path: Path) -> ReturnError:
    return ReturnError(
        f"{quoted(path)} would expand enormously when opened (a 'zip bomb'), so it is not read."
    )


def _rows_in(z: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """How many row elements a worksheet part holds, counted in its bytes (a scan at the speed
    of decompression, where parsing would take a hundred times as long). A prefixed tag
    (``<x:row``) counts too; ``<rowBreaks`` is counted as one row, which is harmless."""
    count, tail = 0, b""
    with z.open(member) as part:
        while chunk := part.read(_CHUNK):
            data = tail + chunk
            # A tag that may run on into the next chunk is counted there, with this tail.
            edge = len(data) - _LONGEST_TAG
            count += sum(1 for m in _ROW.finditer(data) if m.start() < edge)
            tail = data[max(edge, 0) :]
    return count + len(_ROW.findall(tail))


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def validations_of(path: Path, title: str) -> set[tuple[str, str, str, str]]:
    """The data validations of sheet ``title``: (type, cells, formula1, formula2), formula2
    '' for a list. openpyxl's read-only mode, which reads returns, does not load them. The
    parts were bounded by ``check_container``; defusedxml refuses entity tricks."""
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rid = next(
                s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet") if s.get("name") == title
            )
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target") for r in rels if r.get("Id") == rid)
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            sheet = ElementTree.fromstring(z.read(part))
    except (KeyError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        raise ReturnError(f"its {title!r} sheet could not be read for its checks.") from None
    found = set()
    for dv in sheet.iter(f"{_MAIN}dataValidation"):
        kind = dv.get("type") or ""
        first = (dv.findtext(f"{_MAIN}formula1") or "").strip()
        second = "" if kind == "list" else (dv.findtext(f"{_MAIN}formula2") or "").strip()
        found.add((kind, dv.get("sqref") or "", first, second))
    return found
