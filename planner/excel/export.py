"""Export a plan to the sign-off workbook.

Every total is a live formula over the input tables, stored with the result the app computed;
tests/test_excel_export.py reads the stored results without recalculating, has LibreOffice
recompute every formula, and compares both with ``poolplanner summary --json`` to the penny.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from planner import clock
from planner import years as fy
from planner.benefits import appraise
from planner.errors import PlannerError
from planner.excel import benefits_sheet, sensitivity_sheet, sheets
from planner.excel.fingerprint import fingerprint, fingerprint_of_json, short
from planner.figures import compute
from planner.files import temp_beside
from planner.findings import find
from planner.model import Plan
from planner.text import quoted

Progress = Callable[[int, int, str], None]  # step, of steps, what is being written


class ExportError(PlannerError):
    """The workbook could not be written (the message says why; nothing was left half-written)."""


def export_workbook(
    plan: Plan,
    path: str | os.PathLike,
    *,
    password: str | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    sign_off_status: dict[int, str] | None = None,
    plan_fingerprint: str | None = None,
) -> str:
    """Write the sign-off workbook for ``plan`` to ``path``; returns the plan's fingerprint.

    The file appears whole or not at all: it is written beside ``path`` and renamed."""
    from planner.excel.book import Book

    path = Path(path)
    if not path.resolve().parent.is_dir():
        raise ExportError(
            f"{quoted(path)} could not be written: the folder "
            f"{path.resolve().parent} does not exist."
        )
    fp = plan_fingerprint or fingerprint(plan)
    ctx = context(plan, fp, today=today, password=password, sign_off_status=sign_off_status)

    properties = {
        "title": f"{plan.name}: sign-off workbook",
        "author": "Pool Planner",
        "subject": (
            f"Version {plan.version}, {fy.label(plan.first_year)} to {fy.label(plan.last_year)}"
        ),
        "keywords": f"poolplanner-fingerprint:{fp}",
        "comments": f"Plan fingerprint {fp}",
    }
    steps = STEPS
    tmp = _temp(path)
    # The rows wait in a scratch folder of our own until the file is assembled, so an export
    # that fails or is cancelled leaves nothing behind.
    with tempfile.TemporaryDirectory(prefix="poolplanner-export-") as scratch:
        try:
            book = Book(tmp, properties, scratch)
            for i, (title, build) in enumerate(steps, start=1):
                if progress:
                    progress(i - 1, len(steps), title)
                build(book, ctx)
            _save(book, tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    if progress:
        progress(len(steps), len(steps), "Saved")
    return fp


STEPS = [
    ("Cover", sheets.cover),
    ("Summary", sheets.summary),
    ("Commitments", sheets.commitments),
    ("Contributions", sheets.contributions),
    ("Timeline", sheets.timeline),
    ("Benefits", benefits_sheet.build),
    ("Sensitivity", sensitivity_sheet.build),
    ("Schemes", sheets.schemes),
    ("Findings", sheets.findings),
    ("Sign-off", sheets.sign_off),
]


def context(
    plan: Plan,
    fp: str,
    *,
    today: dt.date | None = None,
    password: str | None = None,
    sign_off_status: dict[int, str] | None = None,
) -> sheets.Context:
    """Everything the sheets are built from: the plan's figures, appraisal and findings."""
    figures = compute(plan)
    benefits = appraise(plan)
    return sheets.Context(
        plan,
        figures,
        find(plan, figures, benefits),
        fp,
        short(fp),
        today or clock.today(),
        password,
        benefits,
        sign_off_status or {},
    )


def _temp(path: Path) -> Path:
    try:
        return temp_beside(path)
    except OSError as e:
        raise ExportError(
            f"The workbook could not be written to {path.resolve().parent}: {e.strerror or e}."
        ) from None


def _save(book, tmp: Path, path: Path) -> None:
    """Close the workbook (which writes the file, beside ``path``) and move it into place."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        book.close()
        os.replace(tmp, path)
    except FileCreateError as e:
        raise ExportError(f"{quoted(path)} could not be written: {_why(e)}.") from None
    except PermissionError:
        raise ExportError(f"{quoted(path)} could not be written: is it open in Excel?") from None
    except OSError as e:
        raise ExportError(f"{quoted(path)} could not be written: {e.strerror or e}.") from None


def _why(e: Exception) -> str:
    # XlsxWriter wraps the OSError that stopped it.
    cause = e.args[0] if e.args else e
    return getattr(cause, "strerror", None) or str(cause)


# What an export from a plan open read-only (open elsewhere) must say, wherever it is made.
NOT_RECORDED = (
    "The plan is open elsewhere, so no record of this export was kept: a return of it can be "
    "matched only while the plan stays as it is."
)


def export_plan_file(plan_file, path: str | os.PathLike, **options) -> tuple[str, bool]:
    """Export an open plan with its partners' sign-off status on the cover, and keep a record
    of the version sent so a return can be matched to it. Returns the fingerprint and whether
    the record was kept (not when the plan is open read-only)."""
    from planner import jsonio
    from planner.signoff import status

    plan = plan_file.plan
    dumped = jsonio.dumps_content(plan)  # once: the fingerprint and the record both need it
    fp = fingerprint_of_json(dumped)
    statuses = {b: status(s, fp) for b, s in plan_file.sign_offs().items()}
    written = export_workbook(plan, path, sign_off_status=statuses, plan_fingerprint=fp, **options)
    if plan_file.read_only:
        return written, False
    plan_file.record_export(written, plan.version, dumped)
    return written, True
