"""Reading a sign-off workbook a partner sent back: match it to the exact version of the plan
by its fingerprint, list every figure changed in it, and read each body's sign-off.

A return is hostile until proven otherwise: size, zip expansion and XML entities are checked
before openpyxl (which parses with defusedxml) reads it, and any surprise in a sheet is refused
with the cell named. Nothing is written here; ``apply_return`` records what the user accepts.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from planner import clock, jsonio, money
from planner import fields as F
from planner import years as fy
from planner.errors import EditError, PlannerError, ReturnError
from planner.excel.container import check_container
from planner.excel.fingerprint import fingerprint, short
from planner.excel.layout import (
    FIRST_ROW,
    HEADER_ROW,
    SignOffLayout,
    most_columns,
    most_rows,
    ref,
    streams_of,
)
from planner.model import Contribution, Plan
from planner.signoff import Decision, SignOff
from planner.text import clip, quoted, shown

SHEETS = ("Cover", "Contributions", "Schemes", "Sign-off")
# What reading a return reports as it goes, for a progress bar: (step, steps, what). The
# callback may raise to cancel; nothing has been changed by then.
Progress = Callable[[int, int, str], None]
STEPS = (
    "checking the file",
    "opening the workbook",
    "matching it to the plan",
    "contributions",
    "schemes",
    "sign-offs",
    "every other cell",
)


class OlderVersionError(ReturnError):
    """The return was made from an earlier version of this plan."""

    def __init__(self, message: str, version: int, exported_on: dt.date):
        super().__init__(message)
        self.version, self.exported_on = version, exported_on


@dataclass
class FigureChange:
    sheet: str  # "Contributions" or "Schemes"
    where: str  # the row, as a person names it: body and funding stream, or scheme
    year: int
    old_pence: int | None
    new_pence: int | None
    cell: str  # e.g. "Contributions!E7"
    body_id: int | None = None
    settlement_id: int | None = None
    scheme_id: int | None = None

    def describe(self) -> str:
        from planner import money

        def amount(p):
            return "nothing" if p is None else money.format(p, show_pence=p % 100 != 0)

        return (
            f"{self.where}, {fy.label(self.year)}: {amount(self.old_pence)} -> "
            f"{amount(self.new_pence)} ({self.cell})"
        )


@dataclass
class ReturnReport:
    path: Path
    fingerprint: str
    version: int
    current: bool  # made from the plan as it is now
    changes: list[FigureChange] = field(default_factory=list)
    sign_offs: list[SignOff] = field(default_factory=list)  # to be recorded
    warnings: list[str] = field(default_factory=list)
    # Sign-offs in the return that the plan's own record outranks: (returned, recorded).
    kept: list[tuple[SignOff, SignOff]] = field(default_factory=list)

    def summary(self, plan: Plan) -> str:
        lines = [
            f"Return {quoted(self.path)}: plan version {self.version} "
            f"(fingerprint {short(self.fingerprint)})"
            + ("" if self.current else ", an older version than the plan now")
        ]
        if self.changes:
            lines.append(
                f"{len(self.changes)} figure{'s' if len(self.changes) != 1 else ''} changed:"
            )
            lines += [f"  {c.describe()}" for c in self.changes]
        else:
            lines.append("No figures changed.")
        if self.sign_offs:
            lines.append("Sign-offs:")
            for s in self.sign_offs:
                who = ", ".join(x for x in (s.signatory, s.title) if x)
                when = f" on {s.signed_on:%d/%m/%Y}" if s.signed_on else ""
                note = f": {s.comments}" if s.comments else ""
                lines.append(
                    f"  {plan.bodies[s.body_id].name}: {s.decision.title}{when}"
                    f"{' by ' + who if who else ''}{note}"
                )
        elif not self.kept:
            lines.append("No body has recorded a decision.")
        for new, old in self.kept:
            lines.append(
                f"  {plan.bodies[new.body_id].name}: not recorded; its sign-off of "
                f"{_when(old)} (version {old.version}) stands, and this return's, of "
                f"{_when(new)} (version {new.version}), is not later."
            )
        lines += [f"Note: {w}" for w in self.warnings]
        return "\n".join(lines)


def read_return(
    plan_file,
    path: str | os.PathLike,
    *,
    compare_anyway: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ReturnReport:
    """What a returned workbook says, compared with the version of the plan it came from.
    Only what the export wrote is read: a sheet is read as far as the row after its table."""
    path = Path(path)

    def step(what: str) -> None:
        if progress is not None:
            progress(STEPS.index(what), len(STEPS), what)

    step("checking the file")
    census = check_container(path, most_rows(plan_file.plan), most_columns(plan_file.plan))
    step("opening the workbook")
    import openpyxl

    try:
        from defusedxml.common import DefusedXmlException
    except ImportError:  # pragma: no cover - a dependency; without it, refuse to read at all
        raise ReturnError(
            "defusedxml is not installed, so returns cannot be read safely."
        ) from None
    try:
        with warnings.catch_warnings():  # openpyxl's notes on odd files are not for the user
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
        # Read every row there is, not only as far as the sheet says it goes: the container's
        # census has bounded them, and a program shows them all.
        for ws in wb.worksheets:
            ws.reset_dimensions()
    except DefusedXmlException:
        raise ReturnError(
            f"{quoted(path)} contains XML entity declarations, which are refused: "
            f"they are a way to attack spreadsheet readers."
        ) from None
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise ReturnError(
            f"{quoted(path)} could not be read as a workbook ({e.__class__.__name__}"
            f"). It may be damaged, or saved in another format."
        ) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(plan_file, wb, path, compare_anyway, today or clock.today(), step, census)
    except OlderVersionError:
        raise
    except ReturnError as e:  # what is wrong inside the workbook, said with the file it is in
        raise ReturnError(f"{quoted(path)}: {e}") from None
    except PlannerError:
        raise
    except Exception as e:  # openpyxl reads a sheet's cells as they are asked for
        raise ReturnError(
            f"{quoted(path)} could not be read: a sheet holds what no spreadsheet writes "
            f"({e.__class__.__name__}). It may be damaged; ask for the workbook as exported."
        ) from None
    finally:
        wb.close()


def _read(
    plan_file, wb, path: Path, compare_anyway: bool, today: dt.date, step, census: dict
) -> ReturnReport:
    step("matching it to the plan")  # a reader that was cancelled stops before the plan is read
    missing = [s for s in SHEETS if s not in wb.sheetnames]
    if not missing:
        hidden = [s for s in SHEETS if wb[s].sheet_state != "visible"]
        if hidden:
            # What the signer saw is what is read: a hidden sheet of the same name is not it.
            raise ReturnError(
                f"its {hidden[0]!r} sheet is hidden, so what it holds is not "
                f"what the signer saw; it is not read. Ask for the workbook as it was exported."
            )
    if missing:
        raise ReturnError(
            f"it has no {', '.join(repr(m) for m in missing)} sheet: "
            f"it is not a Pool Planner sign-off workbook, or a sheet was renamed."
        )
    fp = _fingerprint_on_cover(wb["Cover"])
    plan = plan_file.plan
    sent = plan_file.exported(fp)  # the version and first date; the kept plan only if needed
    if fp == fingerprint(plan):
        base, version, current = plan, plan.version, True
    else:
        if sent is None:
            raise ReturnError(
                f"it does not come from this plan, or from a version of it this plan "
                f"has no record of exporting (fingerprint {short(fp)}). It was not read."
            )
        version, exported_on = sent
        if not compare_anyway:
            raise OlderVersionError(
                f"{quoted(path)} was made from version {version} of this plan, exported "
                f"on {fy.day(exported_on)}; the plan has changed since. Compare it with "
                f"that version anyway?",
                version,
                exported_on,
            )
        base, current = jsonio.loads(plan_file.export_record(fp).plan_json), False
    report = ReturnReport(path, fp, version, current)
    step("contributions")
    report.changes += _contribution_changes(wb["Contributions"], base)
    step("schemes")
    report.changes += _scheme_changes(wb["Schemes"], base)
    step("sign-offs")
    # A partner signs the plan as they return it: with their changes. The sign-off is for that
    # version, so it stays current only if the plan ends up holding their figures.
    signed = fingerprint(as_returned(base, report.changes)) if report.changes else fp
    report.sign_offs = _sign_offs(
        wb["Sign-off"],
        base,
        signed,
        version + 1 if report.changes else version,  # as_returned's version
        today,
        sent[1] if sent else None,
    )
    step("every other cell")
    from planner.excel.expected import expected_cells

    signing = {s.body_id for s in report.sign_offs}
    compare(
        wb,
        # A workbook exported before the Sensitivity sheet was added has none: it is read as
        # such an export wrote it (the sheet holds formulas only, nothing a partner fills in).
        expected_cells(base, fp, with_sensitivity="Sensitivity" in wb.sheetnames),
        _editable(base, signing),
        lambda title, r, c, why: _changed(title, r, c, why, base, signing),
        path,
        census,
    )
    report.sign_offs, report.kept = _later_only(report.sign_offs, plan_file.sign_offs())
    return report


def _when(s: SignOff) -> str:
    return f"{s.signed_on:%d/%m/%Y}" if s.signed_on else "no date"


def _later_only(returned: list[SignOff], recorded: dict[int, SignOff]):
    """The returned sign-offs that may replace what the plan holds: a body's recorded sign-off
    is replaced only by one signed later, for the same or a later version. The others are kept
    back, with the record that outranks them, for the preview to say so."""
    take, kept = [], []
    for s in returned:
        old = recorded.get(s.body_id)
        later = old is None or (
            s.version >= old.version
            and s.signed_on is not None
            and (old.signed_on is None or s.signed_on > old.signed_on)
        )
        if later:
            take.append(s)
        else:
            kept.append((s, old))
    return take, kept


def as_returned(base: Plan, changes: list[FigureChange]) -> Plan:
    """``base`` with every change of a return made: the plan as the partner signed it. Their
    changes to the version they were sent make the next version (the store's version rule:
    planner.store.write_path), which is what they sign."""
    plan = copy.deepcopy(base)
    if changes:
        plan.version = base.version + 1
    for c in changes:
        if c.sheet == "Schemes":
            if c.new_pence is None:
                plan.schemes[c.scheme_id].spend.pop(c.year, None)
            else:
                plan.schemes[c.scheme_id].spend[c.year] = c.new_pence
            plan.schemes[c.scheme_id].spend = dict(sorted(plan.schemes[c.scheme_id].spend.items()))
            continue
        key = (c.body_id, c.year, c.settlement_id)
        found = next(
            (x for x in plan.contributions.values() if (x.body_id, x.year, x.settlement_id) == key),
            None,
        )
        if c.new_pence is None:
            if found:
                del plan.contributions[found.id]
        elif found:
            found.amount_pence = c.new_pence
        else:
            # The id SQLite will give it: one more than the largest in use.
            new_id = max(plan.contributions, default=0) + 1
            plan.contributions[new_id] = Contribution(
                new_id, *key[:2], c.new_pence, c.settlement_id
            )
    return plan


def _fingerprint_on_cover(ws) -> str:
    for row in ws.iter_rows(min_row=1, max_row=30, max_col=2, values_only=True):
        if row and row[0] == "Fingerprint":
            value = str(row[1] or "").strip().lower()
            if len(value) == 64 and all(ch in "0123456789abcdef" for ch in value):
                return value
            break
    raise ReturnError(
        "it has no fingerprint on its Cover sheet, so it cannot be "
        "matched to a version of the plan."
    )


def _year_columns(ws, plan: Plan, first_col: int, sheet: str) -> list[int]:
    header = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
    found = [str(v) for v in header[first_col - 1 : first_col - 1 + plan.years]]
    if found != fy.labels(plan.year_range):
        raise ReturnError(
            f"The {sheet} sheet's years ({', '.join(found) or 'none'}) are not the "
            f"plan's ({fy.label(plan.first_year)} to {fy.label(plan.last_year)})."
        )
    return list(plan.year_range)


def _as_read(value):
    """A cell's value as the comparison sees it: an array or data-table formula (which
    openpyxl reads as an object) is its formula's text."""
    kind = type(value).__name__
    if kind == "ArrayFormula":
        return value.text if str(value.text).startswith("=") else f"={value.text}"
    if kind == "DataTableFormula":
        return "=TABLE()"  # a what-if table: never one the export wrote
    return value


def _pence(value, ref: str, signed: bool = False) -> int | None:
    """The amount a returned cell holds, in pence (None: empty); negative only if ``signed``
    (an actual's refund)."""
    value = _as_read(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.lstrip().startswith("="):
        raise ReturnError(
            f"{ref} holds a formula ({clip(value)}) where an amount belongs; the "
            f"return cannot be read until it holds a number."
        )
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ReturnError(f"{ref} holds '{clip(value)}' where an amount belongs.")
    try:
        exact = Decimal(str(value)) * 100
    except InvalidOperation:
        raise ReturnError(f"{ref} does not hold a usable number.") from None
    if not exact.is_finite():
        raise ReturnError(f"{ref} does not hold a usable number ({value}).")
    if abs(exact) > money.MAX_PENCE:  # the writer's limit: the preview refuses what --apply would
        raise ReturnError(f"{ref} holds {clip(value)}, more than a plan can hold; check the zeros.")
    pence = int(exact.to_integral_value())
    if abs(exact - pence) > Decimal("0.000001") or (exact and not pence):
        raise ReturnError(f"{ref} has a fraction of a penny ({value}).")
    if pence < 0 and not signed:
        raise ReturnError(f"{ref} is negative ({value}); amounts cannot be below zero.")
    return pence


def _check_total(value, ref: str) -> None:
    """A row's total is a formula; a figure typed over it would be silently lost."""
    value = _as_read(value)
    if not (isinstance(value, str) and value.startswith("=")):
        raise ReturnError(
            f"{ref} is a total, but its formula has been replaced by "
            f"'{clip(value)}'. Change the year's amounts instead; the total follows."
        )


def _as_many_rows(ws, width: int, count: int, sheet: str, skip=None):
    """The sheet's ``count`` data rows (leaving out any ``skip`` placeholder), read no further
    than the row after them, which must be empty: a return may change figures, never add or
    remove rows."""
    rows = ws.iter_rows(
        min_row=FIRST_ROW, max_row=FIRST_ROW + count + 1, max_col=width, values_only=True
    )
    found = [
        (r, row)
        for r, row in enumerate(rows, start=FIRST_ROW)
        if skip is None or not row or row[0] != skip
    ]
    filled = [bool(row) and _text(row[0]) != "" for _r, row in found]
    if filled[:count] != [True] * count:
        raise ReturnError(
            f"The {sheet} sheet has rows missing: rows cannot be added or removed in a return."
        )
    if any(filled[count : count + 1]):
        raise ReturnError(
            f"The {sheet} sheet has a row added (row {found[count][0]}): rows cannot be added "
            f"or removed in a return."
        )
    return found[:count]


def _changed_years(sheet: str, first_col: int, r: int, row, years: list[int], old: dict):
    """(year, old pence, new pence, cell) for each year of a returned row that differs from
    ``old`` (pence by year); the row's total, after the years, must still be its formula."""
    _check_total(row[first_col - 1 + len(years)], ref(sheet, first_col + len(years), r))
    for i, year in enumerate(years):
        where = ref(sheet, first_col + i, r)
        new = _pence(row[first_col - 1 + i], where)
        if new != old.get(year):
            yield year, old.get(year), new, where


def _contribution_changes(ws, base: Plan) -> list[FigureChange]:
    years = _year_columns(ws, base, 3, "Contributions")
    streams = streams_of(base)
    cells = {(c.body_id, c.year, c.settlement_id): c for c in base.contributions.values()}
    changes = []
    rows = _as_many_rows(ws, 3 + len(years), len(streams), "Contributions")
    for (r, row), (body_id, sid) in zip(rows, streams, strict=True):
        funded = base.settlements[sid].name if sid is not None else "No settlement"
        if (row[0], row[1]) != (base.bodies[body_id].name, funded):
            raise ReturnError(
                f"Row {r} of the Contributions sheet should be "
                f"{base.bodies[body_id].name} / {funded}; rows cannot be "
                f"changed, added or reordered in a return."
            )
        old = {y: c.amount_pence for y in years if (c := cells.get((body_id, y, sid)))}
        changes += [
            FigureChange("Contributions", f"{row[0]} / {funded}", *change, body_id, sid)
            for change in _changed_years("Contributions", 3, r, row, years, old)
        ]
    return changes


def _scheme_changes(ws, base: Plan) -> list[FigureChange]:
    years = _year_columns(ws, base, 4, "Schemes")
    schemes = list(base.schemes.values())
    changes = []
    rows = _as_many_rows(ws, 4 + len(years), len(schemes), "Schemes", skip="(no schemes yet)")
    for (r, row), scheme in zip(rows, schemes, strict=True):
        if row[0] != scheme.name:
            raise ReturnError(
                f"Row {r} of the Schemes sheet should be '{scheme.name}'; rows "
                f"cannot be changed, added or reordered in a return."
            )
        changes += [
            FigureChange("Schemes", scheme.name, *change, scheme_id=scheme.id)
            for change in _changed_years("Schemes", 4, r, row, years, scheme.spend)
        ]
    return changes


def _sign_offs(
    ws, base: Plan, fp: str, version: int, today: dt.date, exported_on: dt.date | None
) -> list[SignOff]:
    """Each body's decision, held to what a decision needs: a date between the export and
    today, a signatory for an approval, and the comments "Approved with comments" promises."""
    bodies = list(base.bodies.values())
    found = []
    at = SignOffLayout
    rows = _as_many_rows(ws, at.WIDTH, len(bodies), "Sign-off")
    for (r, row), body in zip(rows, bodies, strict=True):
        if row[0] != body.name:
            raise ReturnError(f"Row {r} of the Sign-off sheet should be {body.name}.")

        def cell(column: int, row=row):
            return row[column - 1]

        decision_text = cell(at.DECISION)
        if decision_text is None or str(decision_text).strip() == "":
            continue
        try:
            decision = Decision.from_title(str(decision_text))
        except ValueError:
            raise ReturnError(
                f"{ref('Sign-off', at.DECISION, r)} says '{clip(decision_text)}'; a decision is "
                f"Approved, Approved with comments or Not approved."
            ) from None
        s = SignOff(
            body.id,
            fp,
            version,
            decision,
            _checked(F.SIGNATORY, cell(at.SIGNATORY), ref("Sign-off", at.SIGNATORY, r)),
            _checked(F.SIGNATORY_ROLE, cell(at.TITLE), ref("Sign-off", at.TITLE, r)),
            _date(cell(at.DATE), ref("Sign-off", at.DATE, r)),
            _checked(F.SIGN_OFF_COMMENTS, cell(at.COMMENTS), ref("Sign-off", at.COMMENTS, r), True),
            today,
        )
        _decision_complete(s, body.name, r, today, exported_on)
        found.append(s)
    return found


def _decision_complete(
    s: SignOff, name: str, r: int, today: dt.date, exported_on: dt.date | None
) -> None:
    at = SignOffLayout
    said = f"{name} recorded '{s.decision.title}'"
    if s.signed_on is None:
        raise ReturnError(f"{said} without a date; {ref('Sign-off', at.DATE, r)} needs one.")
    if s.signed_on > today:
        raise ReturnError(
            f"{ref('Sign-off', at.DATE, r)} dates {name}'s decision {s.signed_on:%d/%m/%Y}, "
            f"which is after today; a decision is dated the day it was made."
        )
    if exported_on is not None and s.signed_on < exported_on:
        raise ReturnError(
            f"{ref('Sign-off', at.DATE, r)} dates {name}'s decision {s.signed_on:%d/%m/%Y}, "
            f"before this version was exported ({exported_on:%d/%m/%Y}): it cannot have been "
            f"signed from this workbook."
        )
    if s.decision is not Decision.NOT_APPROVED and not s.signatory:
        raise ReturnError(f"{said} with no signatory; {ref('Sign-off', at.SIGNATORY, r)} is empty.")
    if s.decision is Decision.APPROVED_WITH_COMMENTS and not s.comments:
        raise ReturnError(
            f"{said} but gave no comments; {ref('Sign-off', at.COMMENTS, r)} is empty."
        )


# -- every other cell ---------------------------------------------------------------------------


def _editable(base: Plan, signing: set[int]) -> set[tuple[str, int, int]]:
    """The cells a return may change: every body's sign-off inputs, and the contributions and
    scheme spending of the bodies that sign in it (sheet, row, column; from 1)."""
    at = SignOffLayout
    cells = {
        ("Sign-off", FIRST_ROW + i, c)
        for i in range(len(base.bodies))
        for c in range(at.SIGNATORY, at.COMMENTS + 1)
    }
    years = range(base.years)
    for i, (body_id, _sid) in enumerate(streams_of(base)):
        if body_id in signing:
            cells |= {("Contributions", FIRST_ROW + i, 3 + y) for y in years}
    for i, scheme in enumerate(base.schemes.values()):
        if scheme.lead_body_id in signing:
            cells |= {("Schemes", FIRST_ROW + i, 4 + y) for y in years}
    return cells


def compare(
    wb,
    expected: dict,
    editable: set,
    refusal,
    path: Path,
    census: dict,
) -> None:
    """Every cell of the returned sheets against the export (``planner.excel.expected``):
    a value to the penny, a formula once what spreadsheet programs rewrite is evened out, an
    empty cell empty; and the lists and limits its inputs are checked against. The first
    difference outside ``editable`` is refused, in the words ``refusal(sheet, row, column,
    why)`` gives (what the kind of return may change is for it to say)."""
    from planner.excel.cells import SAID
    from planner.excel.container import sheet_parts, validations_of

    extra = [t for t in wb.sheetnames if t not in expected]
    if extra:
        raise ReturnError(
            f"it has a sheet the export did not write ({clip(extra[0])!r}); a return is the "
            f"workbook as sent, with its sign-off filled in."
        )
    parts = sheet_parts(path)
    for title, sheet in expected.items():
        seen_part = census.get(parts.get(title, ""))
        if seen_part is not None:
            if seen_part.hidden:
                raise ReturnError(
                    f"its {title!r} sheet has {seen_part.hidden} hidden, so what it holds is "
                    f"not all the signer saw; ask for the workbook as it was exported."
                )
            if seen_part.merges != sheet.merges:
                changed = sorted(seen_part.merges ^ sheet.merges)[0]
                raise ReturnError(
                    f"its {title!r} sheet's merged cells are not as exported ({changed}); "
                    f"merging can hide what a cell holds."
                )
        added = seen_part is not None and seen_part.validations
        if (sheet.validations or added) and validations_of(path, parts, title) != sheet.validations:
            raise ReturnError(
                f"the checks on its {title!r} sheet's inputs (the decision's list, the dates "
                f"allowed) are not those exported; ask for the workbook as it was exported."
            )

    for title, sheet in expected.items():
        if title not in wb.sheetnames:
            raise ReturnError(f"it has no {title!r} sheet, which the export wrote.")
        ws = wb[title]
        if ws.sheet_state != "visible":
            raise ReturnError(
                f"its {title!r} sheet is hidden, so what it holds is not what the signer saw; "
                f"ask for the workbook as it was exported."
            )
        seen = set()
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cells.get((r, c))
                if cell is None:
                    if value is None:  # most of a sheet: nothing written, nothing there
                        continue
                else:
                    seen.add((r, c))
                    if cell.kind == SAID or value == cell.value:  # as written: the usual case
                        continue
                if (title, r, c) in editable:
                    continue
                why = _differs(cell, value)
                if why:
                    raise ReturnError(refusal(title, r, c, why))
        for (r, c), cell in sheet.cells.items():
            if (r, c) not in seen and (title, r, c) not in editable:
                why = _differs(cell, None)
                if why:
                    raise ReturnError(refusal(title, r, c, why))


def _changed(title: str, r: int, c: int, why: str, base: Plan, signing: set[int]) -> str:
    where = ref(title, c, r)
    if title in ("Contributions", "Schemes") and c >= (3 if title == "Contributions" else 4):
        in_years = c - (3 if title == "Contributions" else 4) < base.years
        count = len(streams_of(base)) if title == "Contributions" else len(base.schemes)
        if in_years and FIRST_ROW <= r < FIRST_ROW + count:  # a figure of the table's rows
            who = "no body signs in it" if not signing else "that row's body does not sign in it"
            return (
                f"{where} {why}, but {who}: a return may change only the figures of the bodies "
                f"that sign in it."
            )
    return (
        f"{where} {why}. A return may change only the yellow cells of the Sign-off sheet and "
        f"the figures of the bodies that sign in it; ask for the workbook as it was exported."
    )


def _differs(cell, value) -> str:
    """Why ``value`` (as openpyxl reads the returned cell) is not what the export wrote in
    ``cell`` (None: the export wrote nothing there); '' when it is the same."""
    from planner.excel.cells import BLANK, FORMULA, LINK, NUMBER

    value = _as_read(value)  # an array formula, as a program may save one
    empty = value is None or (isinstance(value, str) and value == "")
    if cell is None or cell.kind == BLANK:
        return "" if empty else f"holds '{clip(value)}' where the export left the cell empty"
    if cell.kind == FORMULA:
        if not (isinstance(value, str) and value.startswith("=")):
            return f"holds '{clip(value)}' where the export wrote a formula"
        if normal_formula(value) != normal_formula(cell.value):
            return "holds a formula other than the one the export wrote"
        return ""
    if cell.kind == NUMBER:
        return (
            ""
            if _same_number(cell.value, value)
            else (f"holds '{clip(value)}' where the export wrote {cell.value}")
        )
    expected = cell.result if cell.kind == LINK else cell.value
    if empty and expected in (None, ""):  # an empty header cell, read back as nothing
        return ""
    if value != expected:
        return f"holds '{clip(value)}' where the export wrote '{clip(expected)}'"
    return ""


def _same_number(expected, value) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    try:
        got = Decimal(str(value))
    except InvalidOperation:
        return False
    exact = Decimal(expected)
    # Money is compared to the penny; a rate or a count exactly (as a float holds it).
    tolerance = Decimal("0.005") if exact.as_tuple().exponent == -2 else Decimal("1e-9")
    return got.is_finite() and abs(got - exact) < tolerance


_QUOTED_SHEET = re.compile(r"'((?:[^']|'')+)'!")


def normal_formula(formula: str) -> str:
    """A formula as written, evened out for what spreadsheet programs rewrite when they save:
    absolute references ($), the _xlfn. and _xlws. prefixes, quotes around a sheet's name,
    spaces and the case of names outside string literals."""
    text = formula[1:] if formula.startswith("=") else formula
    parts = re.split(r'("(?:[^"]|"")*")', text)  # string literals stay as written
    out = []
    for k, part in enumerate(parts):
        if k % 2:
            out.append(part)
            continue
        part = _QUOTED_SHEET.sub(lambda m: m.group(1).replace("''", "'") + "!", part)
        part = part.replace("$", "").replace(" ", "").upper()
        out.append(part.replace("_XLFN._XLWS.", "").replace("_XLFN.", "").replace("_XLWS.", ""))
    return "".join(out)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


def _checked(field, value, ref: str, numbers: bool = False) -> str:
    """Text typed into a cell, within the limits the plan file will hold it to. A formula is
    refused (the signer saw its result, not what would be recorded), and so is anything that
    is not text: an error, a date, a number for a name (``numbers``: a comment may be one)."""
    value = _as_read(value)
    if isinstance(value, str) and value.lstrip().startswith("="):
        raise ReturnError(f"{ref} holds a formula ({clip(value)}); type the {field.what} itself.")
    if isinstance(value, str) and value.strip() in _ERRORS:
        raise ReturnError(f"{ref} holds the error {value.strip()}; type the {field.what} itself.")
    if value is not None and not isinstance(value, str):
        if not numbers or isinstance(value, (bool, dt.date, dt.datetime, dt.time)):
            raise ReturnError(
                f"{ref} holds {clip(value)}, which is not a {field.what}; type it as text."
            )
    try:
        return field.check(_text(value))
    except EditError as e:
        raise ReturnError(f"{ref}: {e}") from None


def _date(value, ref: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    raise ReturnError(f"{ref} holds '{clip(value)}', which is not a date.")


def apply_return(
    plan_file,
    report: ReturnReport,
    accept: list[FigureChange],
    sign_offs: list[SignOff] | None = None,
) -> None:
    """Record the report's sign-offs (or those of them in ``sign_offs``, when a return signs
    for several bodies and the user confirmed some) and make the accepted changes, in one
    transaction: if any change is refused, nothing is recorded."""
    n = len(accept)
    accepted = f", accepting {n} change{'s' if n != 1 else ''}" if n else ""
    chosen = report.sign_offs if sign_offs is None else sign_offs
    with plan_file.edit(f"Record the return {shown(report.path.name)}{accepted}"):
        _record(plan_file, chosen, accept)


def _record(plan_file, sign_offs: list[SignOff], accept: list[FigureChange]) -> None:
    for s in sign_offs:
        plan_file.record_sign_off(s)
    contributions = [
        (c.body_id, c.year, c.settlement_id, c.new_pence)
        for c in accept
        if c.sheet == "Contributions"
    ]
    if contributions:
        plan_file.set_contributions(contributions)
    for c in accept:
        if c.sheet == "Schemes":
            plan_file.set_scheme_spend(c.scheme_id, c.year, c.new_pence)
