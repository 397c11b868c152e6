"""Partner returns: a workbook sent out, edited as a partner would (with openpyxl), read back."""

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from planner.excel.export import export_plan_file
from planner.excel.returns import OlderVersionError, ReturnError, apply_return, read_return
from planner.signoff import Decision, status
from planner.store import PlanFile

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (CI installs it and runs these)",
)


@pytest.fixture
def sent(example_file, tmp_path):
    """The worked example exported (and recorded), and a helper to make a return from it."""
    out = tmp_path / "sent.xlsx"
    export_plan_file(example_file, out)

    def returned(edit, name="return.xlsx"):
        wb = openpyxl.load_workbook(out)
        edit(wb)
        path = tmp_path / name
        wb.save(path)
        return path

    return example_file, returned


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


TODAY = dt.datetime.combine(dt.date.today(), dt.time())


def sign(wb, row=5, decision="Approved", comments=None, when=TODAY, signatory="A. Signer"):
    """The body on Sign-off ``row`` decides, as its signatory would: name, decision, date."""
    ws = wb["Sign-off"]
    ws[f"C{row}"], ws[f"E{row}"], ws[f"F{row}"], ws[f"G{row}"] = (
        signatory,
        decision,
        when,
        comments,
    )


def test_an_unchanged_return_has_no_changes(sent):
    pf, returned = sent
    report = read_return(pf, returned(lambda wb: None))
    assert report.current and report.changes == [] and report.sign_offs == []


def test_a_changed_figure_is_listed(sent):
    pf, returned = sent

    # Row 5 is Anytown Council / LGFS; column D is 2026-27 (1,100,000 in the plan). A partner
    # proposes a figure of its own as it signs.
    def edit(wb):
        wb["Contributions"]["D5"] = 1_250_000
        sign(wb)

    report = read_return(pf, returned(edit))
    (change,) = report.changes
    assert (change.body_id, change.year, change.settlement_id) == (1, 2026, 1)
    assert (change.old_pence, change.new_pence) == (110_000_000, 125_000_000)
    assert change.cell == "Contributions!D5"
    assert "Anytown Council" in change.describe() and "2026-27" in change.describe()


def test_formatting_only_changes_are_ignored(sent):
    pf, returned = sent

    def reformat(wb):
        ws = wb["Contributions"]
        ws["D5"].fill = PatternFill("solid", fgColor="FF0000")
        ws["D5"].number_format = "0.00"
        ws.column_dimensions["A"].width = 60

    assert read_return(pf, returned(reformat)).changes == []


def test_a_scheme_change_and_a_removed_amount(sent):
    pf, returned = sent

    def edit(wb):
        wb["Schemes"]["D5"] = 2_500_000  # Reablement 2025-26: was 3,000,000; the council leads
        wb["Contributions"]["C5"] = None  # the council's 2025-26 contribution removed
        sign(wb)

    changes = {(c.sheet, c.year): c for c in read_return(pf, returned(edit)).changes}
    assert changes[("Schemes", 2025)].new_pence == 250_000_000
    assert changes[("Contributions", 2025)].new_pence is None


def test_sign_off_and_a_rejection_are_recorded(sent):
    pf, returned = sent

    def decide(wb):
        sign(wb, 5, signatory="A. Finance")
        sign(wb, 6, "Not approved", "2027-28 relies on an allocation we do not have.")

    report = read_return(pf, returned(decide))
    assert [(s.body_id, s.decision) for s in report.sign_offs] == [
        (1, Decision.APPROVED),
        (2, Decision.NOT_APPROVED),
    ]
    apply_return(pf, report, [])
    recorded = pf.sign_offs()
    assert recorded[1].signed_on == TODAY.date()
    assert recorded[2].comments.startswith("2027-28 relies")
    assert status(recorded[1], report.fingerprint).startswith(f"Approved on {TODAY:%d/%m/%Y}")
    pf.set_contribution(1, 2025, 1, settlement_id=1)  # the plan changes after signing
    from planner.excel.fingerprint import fingerprint

    assert "different version" in status(pf.sign_offs()[1], fingerprint(pf.plan))


def test_accepted_changes_are_made(sent):
    pf, returned = sent

    def edit(wb):
        wb["Contributions"]["D5"] = 5
        sign(wb)

    report = read_return(pf, returned(edit))
    apply_return(pf, report, report.changes)
    assert pf.find_contribution(1, 2026, 1).amount_pence == 500


def test_a_return_of_an_older_version(sent):
    pf, returned = sent

    def edit(wb):
        wb["Contributions"]["D5"] = 7
        sign(wb)

    path = returned(edit)
    pf.set_contribution(4, 2025, 200_000_00)  # the plan moves on
    with pytest.raises(OlderVersionError, match="version 1 of this plan") as e:
        read_return(pf, path)
    assert e.value.version == 1
    report = read_return(pf, path, compare_anyway=True)
    assert not report.current
    assert [(c.old_pence, c.new_pence) for c in report.changes] == [(110_000_000, 700)]


CORPUS = Path(__file__).parent / "corpus" / "returns"


def _from_corpus(name):
    """Hostile containers are built once, by corpus/make_corpus.py; the container checks come
    before the fingerprint, so they serve any plan."""
    return lambda wb, p: shutil.copy(CORPUS / name, p)


def _too_large(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", b"<a/>")
        z.writestr("padding.bin", bytes(21_000_000))


def _add_row(ws, row):
    ws[f"A{row}"], ws[f"B{row}"], ws[f"D{row}"] = "Anytown Fire", "Fire grant", "Approved"


def _other_plan(path):
    from builders import appraisal_example

    from planner.excel.export import export_workbook

    export_workbook(appraisal_example(), path)


BAD = {
    "not an xlsx": (lambda wb, p: p.write_text("Dear colleague"), "not an Excel workbook"),
    "another plan": (lambda wb, p: _other_plan(p), "does not come from this plan"),
    "renamed sheet": (
        lambda wb, p: (setattr(wb["Sign-off"], "title", "Signed"), wb.save(p)),
        "no 'Sign-off' sheet",
    ),
    "formula typed over a value": (
        lambda wb, p: (wb["Contributions"].__setitem__("D5", "=1+1"), wb.save(p)),
        "formula",
    ),
    "text where a number belongs": (
        lambda wb, p: (wb["Contributions"].__setitem__("D5", "about a million"), wb.save(p)),
        "where an amount belongs",
    ),
    "fraction of a penny": (
        lambda wb, p: (wb["Contributions"].__setitem__("D5", 10.005), wb.save(p)),
        "fraction",
    ),
    "unknown decision": (
        lambda wb, p: (wb["Sign-off"].__setitem__("E5", "Maybe"), wb.save(p)),
        "a decision is",
    ),
    "bad date": (
        lambda wb, p: (
            wb["Sign-off"].__setitem__("E5", "Approved"),
            wb["Sign-off"].__setitem__("F5", "soon"),
            wb.save(p),
        ),
        "not a date",
    ),
    "reordered rows": (
        lambda wb, p: (wb["Contributions"].__setitem__("A5", "NHS Anytown CCG"), wb.save(p)),
        "cannot be changed",
    ),
    "a row added under the contributions": (
        lambda wb, p: (_add_row(wb["Contributions"], 9), wb.save(p)),
        "has a row added",
    ),
    "a body added to the sign-off": (
        lambda wb, p: (_add_row(wb["Sign-off"], 9), wb.save(p)),
        "has a row added",
    ),
    "a body's sign-off row cleared": (
        lambda wb, p: (wb["Sign-off"].__setitem__("A8", None), wb.save(p)),
        "rows missing",
    ),
    "xml entity expansion": (_from_corpus("entities.xlsx"), "entity"),
    "zip bomb": (_from_corpus("zip-bomb.xlsx"), "zip bomb"),
    "too large": (lambda wb, p: _too_large(p), "larger than a sign-off workbook"),
    "truncated": (
        lambda wb, p: (wb.save(p), p.write_bytes(p.read_bytes()[:2000])),
        "not an Excel workbook|damaged|could not be read",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_returns_are_refused_and_the_plan_is_untouched(sent, tmp_path, case):
    pf, _ = sent
    make, message = BAD[case]
    wb = openpyxl.load_workbook(tmp_path / "sent.xlsx")
    path = tmp_path / "bad.xlsx"
    make(wb, path)
    pf.close()
    before = digest(pf.path)
    with PlanFile.open(pf.path) as again:
        with pytest.raises(ReturnError, match=message):
            read_return(again, path)
    assert digest(pf.path) == before
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "import-return",
            str(pf.path),
            str(path),
            "--apply",
            "--accept-changes",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert digest(pf.path) == before


def test_cli_import_return(sent, tmp_path):
    pf, returned = sent

    def edit(wb):
        wb["Contributions"]["D5"] = 1_250_000
        sign(wb, 5)
        sign(wb, 6, "Approved with comments", "Subject to the 2026-27 allocation.")

    path = returned(edit)
    pf.close()

    def run(*extra):
        return subprocess.run(
            [sys.executable, "-m", "planner", "import-return", str(pf.path), str(path), *extra],
            capture_output=True,
            text=True,
            timeout=60,
        )

    r = run()
    assert r.returncode == 0, r.stderr
    assert "1 figure changed" in r.stdout and "£1,100,000 -> £1,250,000" in r.stdout
    assert "NHS Anytown CCG: Approved with comments" in r.stdout
    assert "Nothing recorded" in r.stdout
    r = run("--apply")  # two bodies sign: each must be named
    assert r.returncode == 2 and "signs for 2 bodies" in r.stderr and "--sign-for" in r.stderr
    r = run("--apply", "--sign-for", "NHS Anytown CCG")
    assert "Recorded 1 sign-off." in r.stdout
    import json

    summary = json.loads(
        subprocess.run(
            [sys.executable, "-m", "planner", "summary", str(pf.path), "--json"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    )
    ccg = next(s for s in summary["sign_offs"] if s["body"] == "NHS Anytown CCG")
    assert ccg["decision"] == "approved_with_comments" and not ccg["current"]
    with PlanFile.open(pf.path, read_only=True) as again:
        assert again.sign_offs()[2].decision is Decision.APPROVED_WITH_COMMENTS
        assert again.find_contribution(1, 2026, 1).amount_pence == 110_000_000  # not taken


def test_openpyxl_parses_with_defusedxml():
    # Belt and braces behind the importer's own check for entity declarations.
    from openpyxl.xml import DEFUSEDXML
    from openpyxl.xml.functions import fromstring

    assert DEFUSEDXML
    with pytest.raises(Exception, match="(?i)entit"):
        fromstring(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')


def test_the_cover_shows_each_bodys_sign_off(sent, tmp_path):
    pf, returned = sent

    apply_return(pf, read_return(pf, returned(sign)), [])
    again = tmp_path / "again.xlsx"
    export_plan_file(pf, again)
    cover = {
        r[0]: r[3]
        for r in openpyxl.load_workbook(again)["Cover"].iter_rows(values_only=True)
        if r and str(r[1]).startswith("Signatory, decision, date")
    }
    assert cover["Anytown Council"] == f"Approved on {TODAY:%d/%m/%Y} (version 1)"
    assert cover["NHS Anytown CCG"] == "Not signed"


def test_a_sign_off_is_for_the_figures_the_partner_returned(sent):
    from planner.excel.fingerprint import fingerprint

    pf, returned = sent

    def edit(wb):
        wb["Contributions"]["D5"] = 1_250_000
        sign(wb)

    report = read_return(pf, returned(edit))
    apply_return(pf, report, [])  # their figure rejected
    assert "different version" in status(pf.sign_offs()[1], fingerprint(pf.plan))
    apply_return(pf, report, report.changes)  # now taken
    assert status(pf.sign_offs()[1], fingerprint(pf.plan)) == (
        f"Approved on {TODAY:%d/%m/%Y} (version 2)"  # their figures made the next version
    )


def test_a_figure_typed_over_a_total_is_refused(sent):
    pf, returned = sent
    with pytest.raises(ReturnError, match="is a total"):
        read_return(pf, returned(lambda wb: wb["Contributions"].__setitem__("F5", 55_000_000)))


def test_cli_says_how_to_compare_an_older_version(sent):
    pf, returned = sent
    path = returned(lambda wb: None)
    pf.set_contribution(4, 2025, 1)
    pf.close()
    r = subprocess.run(
        [sys.executable, "-m", "planner", "import-return", str(pf.path), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "--anyway" in r.stderr


def test_a_cell_is_named_as_a_spreadsheet_would_take_it(sent):
    pf, returned = sent

    def sign_without_a_date_that_is_one(wb):
        wb["Sign-off"]["E5"] = "Approved"
        wb["Sign-off"]["F5"] = "soon"

    with pytest.raises(ReturnError, match=r"'Sign-off'!F5 holds 'soon'"):
        read_return(pf, returned(sign_without_a_date_that_is_one))


def test_a_refusal_names_the_file_once(sent, tmp_path):
    pf, returned = sent
    path = returned(lambda wb: setattr(wb["Sign-off"], "title", "Signed"), name="renamed.xlsx")
    with pytest.raises(ReturnError) as e:
        read_return(pf, path)
    assert str(e.value).count("renamed.xlsx") == 1, str(e.value)


# -- what an export keeps, to compare a return with ---------------------------------------------


def test_exports_keep_each_version_once_and_compressed(tmp_path):
    """The plan file does not grow by a copy of the plan per export: the same plan exported
    again keeps nothing new, and each new version is kept compressed (measured against the
    same edits made without exporting)."""
    from planner import jsonio
    from planner.samples import load

    plan = load("greater-manchester")
    plan_size = len(jsonio.dumps(plan).encode())

    def size_after(name: str, edits: int, exports_each: int) -> int:
        path = tmp_path / name
        PlanFile.create(path, plan).close()
        with PlanFile.open(path) as f:
            first = next(iter(f.plan.contributions.values()))
            for i in range(edits):
                f.set_contribution(first.body_id, first.year, first.amount_pence + i + 1)
                for _ in range(exports_each):
                    export_plan_file(f, tmp_path / "out.xlsx")
            if not edits:
                for _ in range(exports_each):
                    export_plan_file(f, tmp_path / "out.xlsx")
        with PlanFile.open(path) as f:
            kept = f._conn.execute("SELECT count(*), sum(length(plan)) FROM export_plan").fetchone()
        return path.stat().st_size, kept

    once, kept = size_after("once.poolplan", 0, 1)
    again, kept_again = size_after("again.poolplan", 0, 10)
    assert again == once and kept[0] == kept_again[0] == 1  # one fingerprint: only a date moves
    edited, _ = size_after("edited.poolplan", 10, 0)
    sent, (versions, stored) = size_after("sent.poolplan", 10, 1)
    assert versions == 10 and stored / 10 < plan_size / 4  # each version compressed
    # The file grows by that, the export's record, and the history noting each new version.
    assert (sent - edited) / 10 < plan_size / 2, (once, edited, sent, plan_size)


def test_an_export_recorded_before_compression_is_still_read(tmp_path):
    """A plan file of format 6 kept the plan as JSON in the export's record; after the
    upgrade a return of that version is still compared with it."""
    import sqlite3

    from planner import jsonio
    from planner.excel.fingerprint import fingerprint
    from planner.samples import load

    plan = load("essex")
    path = tmp_path / "old.poolplan"
    PlanFile.create(path, plan).close()
    fp = fingerprint(plan)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO export_record VALUES (?, 1, '2026-04-01', ?)", (fp, jsonio.dumps(plan))
    )
    conn.commit()
    conn.close()
    with PlanFile.open(path) as f:
        record = f.export_record(fp)
        assert jsonio.loads(record.plan_json) == plan


def test_a_record_that_inflates_beyond_any_plan_is_refused(tmp_path):
    """A received plan whose kept export is a zip bomb: comparing a return with it stops at
    the limit with a message, rather than filling the memory."""
    import sqlite3
    import zlib

    from planner.errors import PlanFileError
    from planner.samples import load

    path = tmp_path / "bomb.poolplan"
    PlanFile.create(path, load("essex")).close()
    fp = "ab" * 32
    bomb = zlib.compress(b" " * 200_000_000, 9)  # 200 MB of spaces in about 200 KB
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO export_record VALUES (?, 1, '2026-04-01', '')", (fp,))
    conn.execute("INSERT INTO export_plan VALUES (?, ?)", (fp, bomb))
    conn.commit()
    conn.close()
    with PlanFile.open(path) as f, pytest.raises(PlanFileError, match="far larger than any"):
        f.export_record(fp)


# -- what a return may change, and what it may not --------------------------------------------


def _benefits_cell(wb, label, column="F"):
    """The first row labelled ``label`` on the Benefits sheet, at ``column``."""
    ws = wb["Benefits"]
    row = next(r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == label)
    return ws, f"{column}{row}"


def _set_benefits(label, value, column="F"):
    def edit(wb):
        ws, where = _benefits_cell(wb, label, column)
        ws[where] = value

    return edit


def _summary_total_to_zero(wb):
    ws = wb["Summary"]
    row = next(r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == "Total")
    ws[f"B{row}"] = 0


def _certainty_words_to_confirmed(wb):
    ws = wb["Contributions"]
    for row in ws.iter_rows(min_row=5):
        for c in row:
            if c.value in ("Indicative", "Unfunded"):
                c.value = "Confirmed"


def _total_to_another_formula(wb):
    wb["Contributions"]["F5"] = "=SUM(C5:D5)"  # was =ROUND(SUM(C5:E5),2)


def _note_in_an_empty_cell(wb):
    wb["Findings"]["H2"] = "We have checked this."


TAMPERED = {
    "a cost in the appraisal": (_set_benefits("Anytown Council", 1), "Benefits!F"),
    "the discount rate": (_set_benefits("Discount rate", 0.01, "G"), "Benefits!G"),
    "zero typed over the Summary's total": (_summary_total_to_zero, "Summary!B"),
    "the certainty words set to Confirmed": (_certainty_words_to_confirmed, "Contributions!"),
    "a total replaced by another formula": (_total_to_another_formula, "Contributions!F5"),
    "a note typed into an empty cell": (_note_in_an_empty_cell, "Findings!H2"),
    "a figure of a body that does not sign": (
        lambda wb: wb["Contributions"].__setitem__("C6", 1),
        "Contributions!C6",
    ),
    "the statement a body approves": (
        lambda wb: wb["Sign-off"].__setitem__("B5", "I approve nothing in particular."),
        "'Sign-off'!B5",
    ),
}


@pytest.mark.parametrize("how", TAMPERED, ids=list(TAMPERED))
def test_a_return_changed_outside_what_it_may_change_is_refused(sent, how):
    """Every way the review found of gaming a return (sheets unprotected, as they are without a
    password), each while the first body signs: refused, the cell named, nothing recorded."""
    pf, returned = sent
    tamper, where = TAMPERED[how]

    def edit(wb):
        sign(wb)
        tamper(wb)

    before = digest(pf.path)
    with pytest.raises(ReturnError, match=re.escape(where)):
        read_return(pf, returned(edit))
    assert digest(pf.path) == before


@pytest.mark.parametrize(
    "decision, details, phrase",
    [
        ("Approved", {"when": dt.datetime(2001, 1, 1)}, "before this version was exported"),
        ("Approved", {"when": dt.datetime(2099, 1, 1)}, "after today"),
        ("Approved", {"when": None}, "without a date"),
        ("Approved", {"signatory": None}, "no signatory"),
        ("Approved with comments", {}, "gave no comments"),
    ],
    ids=["2001", "2099", "undated", "no signatory", "no comment"],
)
def test_a_decision_without_what_it_needs_is_refused(sent, decision, details, phrase):
    pf, returned = sent
    with pytest.raises(ReturnError, match=phrase):
        read_return(pf, returned(lambda wb: sign(wb, 5, decision, **details)))


def test_an_older_sign_off_does_not_replace_a_later_one(sent):
    """A body's recorded sign-off stands against a return signed earlier (an old copy found in
    an inbox); the preview says so. One signed later replaces it."""
    pf, returned = sent
    later = TODAY.date() + dt.timedelta(days=10)  # the day the returns are read
    day = [TODAY + dt.timedelta(days=n) for n in range(8)]
    signed = read_return(pf, returned(lambda wb: sign(wb, when=day[5])), today=later)
    apply_return(pf, signed, [])
    stale = read_return(
        pf, returned(lambda wb: sign(wb, decision="Not approved", when=day[2])), today=later
    )
    assert stale.sign_offs == [] and len(stale.kept) == 1
    assert "its sign-off of" in stale.summary(pf.plan) and "is not later" in stale.summary(pf.plan)
    apply_return(pf, stale, [])
    assert pf.sign_offs()[1].decision is Decision.APPROVED
    newer = read_return(
        pf, returned(lambda wb: sign(wb, decision="Not approved", when=day[7])), today=later
    )
    apply_return(pf, newer, [])
    assert pf.sign_offs()[1].decision is Decision.NOT_APPROVED


@needs_libreoffice
def test_a_return_saved_by_libreoffice_still_imports(sent, tmp_path):
    """A partner opens the workbook in LibreOffice, signs, proposes a figure and saves: every
    formula LibreOffice rewrote is still the export's, so the return imports."""
    from libreoffice import convert

    pf, returned = sent

    def edit(wb):
        wb["Contributions"]["D5"] = 1_250_000
        sign(wb)

    through = convert(returned(edit, name="signed.xlsx"), tmp_path)
    report = read_return(pf, through)
    assert [(c.cell, c.new_pence) for c in report.changes] == [("Contributions!D5", 125_000_000)]
    assert [(s.body_id, s.decision, s.signed_on) for s in report.sign_offs] == [
        (1, Decision.APPROVED, TODAY.date())
    ]


def test_the_version_rises_at_the_first_change_after_it_was_sent(sent, tmp_path):
    """Partners sign the version they were sent: the first change to the plan's content after
    its export starts the next version, in the same undoable edit, so a re-export never gives
    the changed plan the number of the one they saw. Moving the deadline is no change to it."""
    pf, returned = sent

    def edit(wb):
        wb["Contributions"]["D5"] = 1_250_000
        sign(wb)

    report = read_return(pf, returned(edit))
    pf.update_plan(return_by=dt.date.today() + dt.timedelta(days=30))
    assert pf.plan.version == 1  # a deadline is not the plan's content
    apply_return(pf, report, report.changes)  # their figure taken as they signed it
    assert pf.plan.version == 2
    taken = pf.last_edit
    from planner.excel.fingerprint import fingerprint

    # What they signed: their figures, which make version 2; it is the plan now.
    assert status(pf.sign_offs()[1], fingerprint(pf.plan)).endswith("(version 2)")
    pf.undo(taken)
    assert pf.plan.version == 1 and pf.find_contribution(1, 2026, 1).amount_pence == 110_000_000
    apply_return(pf, report, report.changes)
    assert pf.plan.version == 2
    pf.update_plan(return_to="Jo Bloggs")
    assert pf.plan.version == 2
    pf.set_contribution(4, 2025, 1)  # version 2 has not been sent: it stays 2
    assert pf.plan.version == 2
    again = tmp_path / "again.xlsx"
    export_plan_file(pf, again)
    cover = openpyxl.load_workbook(again)["Cover"]
    assert ("Version", "2") in [(r[0], r[1]) for r in cover.iter_rows(values_only=True)]


def test_an_export_is_dated_the_first_time_that_version_was_sent(example_file):
    pf = example_file
    fp, dumped = "cd" * 32, "{}"
    for day in (dt.date(2026, 5, 2), dt.date(2026, 4, 1), dt.date(2026, 6, 3)):
        pf.record_export(fp, 1, dumped, on=day)
    assert pf.export_record(fp).exported_on == dt.date(2026, 4, 1)


def test_a_gain_share_weight_changed_in_a_return_is_refused(tmp_path):
    """The agreed percentages of a fixed gain-share are inputs on the Benefits sheet; a partner
    who raises its own share in the workbook is refused, the cell named."""
    from builders import appraisal_example

    from planner.model import GainShareRule

    plan = appraisal_example()
    plan.appraisal.gain_share = GainShareRule.FIXED
    plan.appraisal.gain_share_percent_bp = {1: 3333, 2: 3333, 3: 3334}
    pf = PlanFile.create(tmp_path / "fixed.poolplan", plan)
    export_plan_file(pf, tmp_path / "sent.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "sent.xlsx")
    ws = wb["Benefits"]
    header = next(
        r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == "Weight: agreed percentage"
    )
    ws[f"E{header + 1}"] = 0.9  # the first body's 33.33%
    sign(wb)
    wb.save(tmp_path / "greedy.xlsx")
    with pytest.raises(ReturnError, match=rf"Benefits!E{header + 1} holds '0.9'"):
        read_return(pf, tmp_path / "greedy.xlsx")
    pf.close()


@pytest.mark.parametrize(
    "rewritten",
    [
        "=ROUND(SUM(C5:E5),2)",
        "=round(sum($C$5:$E$5), 2)",
        "=_xlfn.ROUND(SUM(C$5:E5),2)",
    ],
)
def test_a_formula_is_compared_as_programs_rewrite_it(rewritten):
    from planner.excel.returns import normal_formula

    assert normal_formula(rewritten) == normal_formula("=ROUND(SUM(C5:E5),2)")


def test_quoting_and_strings_survive_the_evening_out():
    from planner.excel.returns import normal_formula

    assert normal_formula("='Sign-off'!E5") == normal_formula("=Sign-off!E5")
    assert normal_formula('=IF(A1="Yes",1,0)') != normal_formula('=IF(A1="yes",1,0)')
    assert normal_formula("=SUM(C5:E5)") != normal_formula("=ROUND(SUM(C5:E5),2)")


def test_a_decision_list_widened_in_a_return_is_refused(sent, tmp_path):
    """The Sign-off sheet's inputs are checked against a list and a range of dates; a return
    whose checks were changed (a decision added to the list) is refused."""
    import zipfile

    from planner.excel.container import sheet_parts

    pf, returned = sent
    path = returned(sign, name="signed.xlsx")
    part = sheet_parts(path)["Sign-off"]
    widened = tmp_path / "widened.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(widened, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                data = data.replace(b"Not approved", b"Not approved,Approved by default")
            z.writestr(item, data)
    assert read_return(pf, path).sign_offs  # as signed, it reads
    with pytest.raises(ReturnError, match="checks on its 'Sign-off' sheet"):
        read_return(pf, widened)


def _edited_xml(src, dst, part_of, old: bytes, new: bytes):
    """``src`` with one replacement in the XML of the sheet named ``part_of``."""
    import zipfile

    from planner.excel.container import sheet_parts

    part = sheet_parts(src)[part_of]
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            data = zi.read(item.filename)
            if item.filename == part:
                assert old in data, old
                data = data.replace(old, new, 1)
            zo.writestr(item, data)
    return dst


@pytest.mark.parametrize(
    "old, new, phrase",
    [
        # What openpyxl's read-only mode skips, and a spreadsheet program shows.
        (b"</sheetData>", b'<row r="40"><c r="A40" t="inlineStr"><is><t>VOID</t></is></c></row>'
         b"</sheetData>", "Sign-off'!A40"),
        (b"</sheetData>", b'<row r="3"><c r="A3" t="inlineStr"><is><t>VOID</t></is></c></row>'
         b"</sheetData>", "rows are out of order or repeated"),
        (b"</sheetData>", b'<row r="5"><c r="B5" t="inlineStr"><is><t>I approve nothing</t></is>'
         b"</c></row></sheetData>", "rows are out of order or repeated"),
        (b"</sheetData>", b'<row r="1048576"/></sheetData>', "far beyond this plan's workbook"),
        (b"<sheetData>", b'<cols><col min="2" max="2" width="0.1" customWidth="1"/></cols>'
         b"<sheetData>", "column B hidden"),
        (b'<mergeCell ref="A2:F2" />', b'<mergeCell ref="A2:F2" /><mergeCell ref="A5:B5" />',
         "A5:B5"),
    ],
    ids=["row beyond its size", "row out of order", "row repeated", "last row of a sheet",
         "column hidden", "cells merged"],
)  # fmt: skip
def test_a_return_is_read_whole_as_a_program_shows_it(sent, tmp_path, old, new, phrase):
    """A sheet's size as it declares it, its rows' order, hidden columns and merges: what the
    signer sees is what is compared, and a sheet that says otherwise is refused."""
    pf, returned = sent
    path = returned(sign, name="signed.xlsx")
    bad = _edited_xml(path, tmp_path / "bad.xlsx", "Sign-off", old, new)
    with pytest.raises(ReturnError, match=re.escape(phrase)):
        read_return(pf, bad)


def test_a_device_or_a_pipe_is_not_read(sent, tmp_path):
    pf, _returned = sent
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.xlsx")
    for name in ("zero.xlsx", "pipe.xlsx"):
        with pytest.raises(ReturnError, match="is not a file"):
            read_return(pf, tmp_path / name)


@pytest.mark.parametrize(
    "value, phrase",
    [
        ('=HYPERLINK("http://x","A. Signer")', "holds a formula"),
        ("#REF!", "holds the error #REF!"),
        (12345, "which is not a signatory"),
    ],
)
def test_a_signatory_is_text_as_typed(sent, value, phrase):
    pf, returned = sent
    with pytest.raises(ReturnError, match=phrase):
        read_return(pf, returned(lambda wb: sign(wb, signatory=value)))


def test_an_extra_sheet_is_refused(sent):
    pf, returned = sent

    def edit(wb):
        sign(wb)
        wb.create_sheet("Our notes")["A1"] = "Approval is conditional."

    with pytest.raises(ReturnError, match="a sheet the export did not write"):
        read_return(pf, returned(edit))
