"""Recognising a plan file from its first 100 bytes, before SQLite touches it.

Reading the header ourselves means a text file, a spreadsheet, a foreign database or a plan from a
newer app is refused without the file being opened for writing, so it stays byte-for-byte as it was.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from planner.errors import DamagedPlanError, NewerPlanError, NotAPlanError, PlanFileError
from planner.store.schema import APPLICATION_ID, VERSION
from planner.text import quoted

_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Header:
    page_size: int
    page_count: int
    user_version: int
    application_id: int


def inspect(path: Path) -> Header:
    """The plan's header, or the reason this file cannot be opened as a plan."""
    name = quoted(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(st.st_mode):
            # A pipe or a device would make the read below wait for ever.
            raise NotAPlanError(
                f"{name} is not a file that can hold a plan (it is a pipe or a device)."
            )
        size = st.st_size
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        raise PlanFileError(f"There is no file called {name} in {path.resolve().parent}.") from None
    except IsADirectoryError:
        raise NotAPlanError(f"{name} is a folder, not a plan file.") from None
    except PermissionError:
        raise PlanFileError(f"You do not have permission to read {name}.") from None
    except OSError as e:
        raise PlanFileError(f"{name} could not be read: {e.strerror or e}.") from None
    if size == 0:
        raise NotAPlanError(f"{name} is empty; it is not a Pool Planner plan.")
    if not head.startswith(_MAGIC):
        if _MAGIC.startswith(head[: len(_MAGIC)]):
            raise DamagedPlanError(f"{name} is cut short: only {size} bytes survive.")
        raise NotAPlanError(f"{name} is not a Pool Planner plan{_what_it_looks_like(head)}.")
    if len(head) < 100:
        raise DamagedPlanError(f"{name} is cut short: only {size} bytes survive.")
    (raw_page_size,) = struct.unpack(">H", head[16:18])
    page_size = 65536 if raw_page_size == 1 else raw_page_size
    (page_count,) = struct.unpack(">I", head[28:32])
    (user_version,) = struct.unpack(">I", head[60:64])
    (application_id,) = struct.unpack(">I", head[68:72])
    if application_id != APPLICATION_ID:
        raise NotAPlanError(
            f"{name} is a database made by another program, not a Pool Planner plan."
        )
    if user_version > VERSION:
        raise NewerPlanError(
            f"{name} was saved by a newer version of Pool Planner (file format {user_version}; "
            f"this version reads up to {VERSION}). Install the latest Pool Planner to open it. "
            f"The file has not been changed."
        )
    if page_size < 512 or page_size & (page_size - 1) or size < page_size * max(page_count, 1):
        raise DamagedPlanError(
            f"{name} is damaged: it is shorter than its own header says "
            f"({size:,} of {page_size * page_count:,} bytes), so part of the plan is missing. "
            f"Restore it from a backup; the file has not been changed."
        )
    return Header(page_size, page_count, user_version, application_id)


def _what_it_looks_like(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return " (it looks like a zip archive or an Excel workbook)"
    if head.startswith(b"%PDF"):
        return " (it is a PDF document)"
    if head.lstrip().startswith((b"{", b"[")):
        return " (it looks like JSON: use 'poolplanner load' to make a plan from it)"
    try:
        head.decode("utf-8")
        return " (it is a text file)"
    except UnicodeDecodeError:
        return ""
