"""Partner returns: a workbook sent out, edited as a partner would (with openpyxl), read back."""

import datetime as dt
import hashlib
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
        "holds text",
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
    r = run("--apply")
    assert "Recorded 2 sign-offs." in r.stdout
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
        f"Approved on {TODAY:%d/%m/%Y} (version 1)"
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
    again keeps nothing new, and each new version is kept compressed."""
    from planner import jsonio
    from planner.samples import load

    pf = PlanFile.create(tmp_path / "gm.poolplan", load("greater-manchester"))
    plan_size = len(jsonio.dumps(pf.plan).encode())
    pf.close()

    def size_after(exports: int, edit: bool) -> int:
        with PlanFile.open(tmp_path / "gm.poolplan") as f:
            for i in range(exports):
                if edit:
                    first = next(iter(f.plan.contributions.values()))
                    f.set_contribution(first.body_id, first.year, first.amount_pence + i + 1)
                export_plan_file(f, tmp_path / "out.xlsx")
        return (tmp_path / "gm.poolplan").stat().st_size

    before = (tmp_path / "gm.poolplan").stat().st_size
    once = size_after(1, edit=False)
    again = size_after(10, edit=False)
    assert again == once  # the same fingerprint: only its date moves
    versions = size_after(10, edit=True)
    assert (versions - again) / 10 < plan_size / 4, (before, once, again, versions, plan_size)
    with PlanFile.open(tmp_path / "gm.poolplan") as f:
        (n,) = f._conn.execute("SELECT count(*) FROM export_plan").fetchone()
        assert n == 11


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
