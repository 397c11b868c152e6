"""What is checked of a returned workbook before any of its XML is parsed: that it is a zip
holding a workbook, of a sensible size, that cannot expand enormously, declares no XML entities,
names each part once, and has no sheet longer than the plan's workbook could be.

These are the checks that must come before openpyxl, because openpyxl's cost is in the parsing:
it walks every row of a sheet that does not declare its size just to learn the size, so a sheet
of a million empty rows would take a minute before a single cell was read.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
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
# A row, cell, column or merge element, prefixed or not (<row r=, <x:c\nr=), with its
# attributes: what openpyxl reads, and what a spreadsheet program shows.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|col|mergeCell)(?=[\s/>])([^>]{0,600})>")
_R = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{0,3})(\d+)["']""")
_REF = re.compile(rb"""\bref\s*=\s*["']([^"']{1,40})["']""")
_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](1|true)["']""")
_WIDTH = re.compile(rb"""\bwidth\s*=\s*["']([0-9.eE+-]{1,30})["']""")
_HEIGHT = re.compile(rb"""\bht\s*=\s*["']([0-9.eE+-]{1,30})["']""")
_LONGEST_TAG = 700
# A row, cell, column or merge whose attributes run past what _TAG reads: padded, it would
# pass unseen (a hidden row, say), so it is refused.
_OVERLONG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:row|c|col|mergeCell)(?=[\s/>])[^>]{601}")
# Rows of no height (the sheet's default, or each row's) are hidden as surely as hidden ones.
_ZERO_HEIGHT = re.compile(rb"""\bzeroHeight\s*=\s*["'](1|true)["']""")
_VALIDATION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dataValidation[\s>/]")
# Narrower or lower than this, a column or a row shows nothing of what it holds.
LEAST_WIDTH, LEAST_HEIGHT = 1.0, 3.0
# What a damaged or unusual zip raises as it is read: never a traceback.
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error)


@dataclass
class Census:
    """What a worksheet part holds, counted in its bytes before it is parsed."""

    rows: int = 0
    merges: set[str] = field(default_factory=set)  # merged ranges, A2:J2
    hidden: str = ""  # its first hidden row or column, as a person names it
    validations: int = 0  # its data validations: compared with the export's when there are any


def check_container(path: Path, most_rows: int, most_columns: int = 16_384) -> dict:
    """Refuse ``path`` unless it is a workbook openpyxl can be trusted to read quickly and
    whole: no worksheet may hold a row past ``most_rows`` or a cell past ``most_columns``, and
    its rows and cells must come in order, each once (openpyxl's read-only mode silently skips
    a row out of order, and stops where the sheet says it ends; a spreadsheet program shows
    them). Returns each worksheet part's ``Census``."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReturnError(f"There is no file called {quoted(path)}.") from None
    except OSError as e:
        raise ReturnError(f"{quoted(path)} could not be read: {e.strerror or e}.") from None
    if not stat.S_ISREG(info.st_mode):  # a device or a pipe would be read for ever
        raise ReturnError(f"{quoted(path)} is not a file, so it is not read.")
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise ReturnError(
            f"{quoted(path)} is {size / 1e6:.0f} MB: far larger than a sign-off "
            f"workbook, so it is not read."
        )
    if not zipfile.is_zipfile(path):
        raise ReturnError(f"{quoted(path)} {_what_else(path)}")
    parts = {}
    try:
        with zipfile.ZipFile(path) as z:
            _check_parts(z, path, most_rows * BYTES_PER_ROW)
            for m in z.infolist():
                if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
                    parts[m.filename] = _census(z, m, path, most_rows, most_columns)
    except _BROKEN:
        raise ReturnError(f"{quoted(path)} is a damaged workbook.") from None
    return parts


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
        if m.filename.endswith(".xml") and _declares(z, m):
            raise ReturnError(
                f"{quoted(path)} contains XML entity declarations, which are refused:"
                f" they are a way to attack spreadsheet readers."
            )
    _check_number_formats(z, path, names)
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and z.read("mimetype").startswith(_ODS[len(b"mimetype") :]):
            raise ReturnError(
                f"{quoted(path)} is a LibreOffice spreadsheet (.ods), which Pool Planner does "
                f"not read: {_SAVE_AS}."
            )
        raise ReturnError(f"{quoted(path)} is a zip archive but not an Excel workbook.")


def _declares(z: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether a part holds a DOCTYPE or an entity declaration anywhere: markup, since text
    cannot hold a bare "<" (a DOCTYPE may follow any length of comments)."""
    tail = b""
    with z.open(member) as part:
        while chunk := part.read(_CHUNK):
            data = tail + chunk
            if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
                return True
            tail = data[-16:]
    return False


def _check_number_formats(z: zipfile.ZipFile, path: Path, names: set[str]) -> None:
    """Refuse a number format that shows nothing (";;;"): a figure under it is recorded
    without the signer seeing it. The export writes none."""
    if "xl/styles.xml" not in names:
        return
    from defusedxml import ElementTree

    try:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
    except ElementTree.ParseError:
        raise ReturnError(f"{quoted(path)} has styles that could not be read.") from None
    for fmt in styles.iter(f"{_MAIN}numFmt"):
        code = re.sub(r'"[^"]*"', "x", fmt.get("formatCode") or "")
        if ";" in code and not code.replace(";", "").strip():
            raise ReturnError(
                f"{quoted(path)} has a cell format that shows nothing ({fmt.get('formatCode')}): "
                f"what a cell under it holds is hidden from whoever signs, so it is not read."
            )


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


def _census(
    z: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, most_rows: int, most_columns: int
) -> Census:
    """A worksheet part's rows, merges and hidden rows or columns, scanned in its bytes (at
    the speed of decompression, where parsing would take a hundred times as long), refusing
    rows or cells out of order, repeated, or beyond what the plan's workbook could hold. A
    prefixed tag (``<x:row``) counts too."""
    found = Census()
    at = {"row": 0, "column": 0}

    def refuse(why: str) -> ReturnError:
        return ReturnError(f"{quoted(path)} has a sheet {why}, so it is not read.")

    def take(kind: bytes, attributes: bytes) -> None:
        r = _R.search(attributes)
        if kind == b"row":
            found.rows += 1
            n = int(r.group(2)) if r else at["row"] + 1
            if n <= at["row"]:
                raise refuse(f"whose rows are out of order or repeated (row {n})")
            if n > most_rows:
                raise refuse(
                    f"with a row {n:,}, far beyond this plan's workbook (rows cannot be added "
                    f"in a return)"
                )
            at["row"], at["column"] = n, 0
            height = _HEIGHT.search(attributes)
            low = height is not None and _number(height.group(1)) < LEAST_HEIGHT
            if not found.hidden and (_HIDDEN.search(attributes) or low):
                found.hidden = f"row {n}"
        elif kind == b"c":
            column = _column(r.group(1)) if r and r.group(1) else at["column"] + 1
            if r and int(r.group(2)) != at["row"] or column <= at["column"]:
                raise refuse("whose cells are out of order or repeated, as no program writes")
            if column > most_columns:
                raise refuse("with a cell far to the right of anything the export wrote")
            at["column"] = column
        elif kind == b"col":
            width = _WIDTH.search(attributes)
            narrow = width is not None and _number(width.group(1)) < LEAST_WIDTH
            if not found.hidden and (_HIDDEN.search(attributes) or narrow):
                first = re.search(rb"""\bmin\s*=\s*["'](\d+)["']""", attributes)
                found.hidden = f"column {_letters(int(first.group(1)) if first else 1)}"
        else:
            ref = _REF.search(attributes)
            if ref:
                found.merges.add(ref.group(1).decode("ascii", "replace").upper())

    tail = b""
    with z.open(member) as part:
        while chunk := part.read(_CHUNK):
            data = tail + chunk
            # A tag that may run on into the next chunk is taken there, with this tail.
            edge = len(data) - _LONGEST_TAG
            if _OVERLONG.search(data):
                raise refuse("with a tag longer than any spreadsheet program writes")
            if not found.hidden and _ZERO_HEIGHT.search(data):
                found.hidden = "its rows (of no height)"
            found.validations += len(_VALIDATION.findall(data, 0, max(edge, 0)))
            for m in _TAG.finditer(data):
                if m.start() >= edge:
                    break
                take(m.group(1), m.group(2))
            tail = data[max(edge, 0) :]
    for m in _TAG.finditer(tail):
        take(m.group(1), m.group(2))
    found.validations += len(_VALIDATION.findall(tail))
    if found.rows > most_rows:
        raise refuse(
            f"of {found.rows:,} rows, far more than this plan's workbook has (rows cannot be "
            f"added in a return)"
        )
    return found


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _letters(n: int) -> str:
    from planner.excel.layout import col

    return col(n)


def _number(text: bytes) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def sheet_parts(path: Path) -> dict[str, str]:
    """Each sheet's name and the part that holds it (xl/worksheets/sheet3.xml)."""
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        raise ReturnError("its list of sheets could not be read.") from None
    targets = {r.get("Id"): r.get("Target") or "" for r in rels}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def validations_of(path: Path, parts: dict[str, str], title: str) -> set[tuple[str, str, str, str]]:
    """The data validations of sheet ``title`` (``parts``: ``sheet_parts``): (type, cells,
    formula1, formula2), formula2 '' for a list. openpyxl's read-only mode, which reads
    returns, does not load them. The parts were bounded by ``check_container``; defusedxml
    refuses entity tricks."""
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            sheet = ElementTree.fromstring(z.read(parts[title]))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        raise ReturnError(f"its {title!r} sheet could not be read for its checks.") from None
    found = set()
    for dv in sheet.iter(f"{_MAIN}dataValidation"):
        kind = dv.get("type") or ""
        first = (dv.findtext(f"{_MAIN}formula1") or "").strip()
        second = "" if kind == "list" else (dv.findtext(f"{_MAIN}formula2") or "").strip()
        found.add((kind, dv.get("sqref") or "", first, second))
    return found
