"""The board pack: the command writes a PDF of real text (pdftotext reads every finding's title
in it), a page per section at least, "Draft: not signed" until every body has signed; the
window's File menu writes the same."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from planner.store import PlanFile

SAMPLES = Path(__file__).parent.parent / "sample_plans"


def _pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing on CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page>")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def sample(tmp_path):
    def copy(name: str) -> Path:
        path = tmp_path / f"{name}.poolplan"
        shutil.copy(SAMPLES / f"{name}.poolplan", path)
        return path

    return copy


@pytest.mark.parametrize("name", ["greater-manchester", "essex"])
def test_the_command_writes_a_board_pack(sample, tmp_path, capsys, name):
    from ui.app import main

    plan = sample(name)
    out = tmp_path / "pack.pdf"
    assert main(["board-pack", str(plan), "-o", str(out), "--as-at", "2026-03-31"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "Wrote" in capsys.readouterr().out
    text = _flat(_pdftotext(out))
    with PlanFile.open(plan, read_only=True) as pf:
        from planner.analysis import Analysis
        from planner.excel.fingerprint import fingerprint, short

        plan_obj = pf.plan
        findings = Analysis(plan_obj).findings
        fp = short(fingerprint(plan_obj))
    assert plan_obj.name in text
    assert "Draft: not signed" in text
    assert f"Fingerprint {fp}" in text
    assert "31 March 2026" in text
    assert findings, "the sample has findings to show"
    for f in findings:
        assert _flat(f.title) in text, f.title
        assert _flat(f.message) in text, f.message
    # A cover, the timeline, the findings, the positions and the commitments: five at least;
    # a board paper, not a book.
    pages = _pages(out)
    assert 5 <= pages <= 30
    assert f"Page {pages} of {pages}" in text
    for body in plan_obj.bodies.values():
        assert _flat(body.name) in text


def test_findings_come_highest_first(sample, tmp_path):
    from ui.board_pack import main

    out = tmp_path / "pack.pdf"
    assert main([str(sample("greater-manchester")), "-o", str(out)]) == 0
    text = _flat(_pdftotext(out))
    with PlanFile.open(sample("greater-manchester"), read_only=True) as pf:
        from planner.findings import find

        found = find(pf.plan)
    places = [text.index(_flat(f.title)) for f in found]
    assert places == sorted(places)
    assert found[0].severity.rank <= found[-1].severity.rank


def test_a_monitored_year_adds_the_monitoring_page(sample, tmp_path):
    from ui.board_pack import main

    out = tmp_path / "pack.pdf"
    assert main([str(sample("anyshire-bcf")), "-o", str(out)]) == 0
    text = _flat(_pdftotext(out))
    assert "Risk-share statement" in text
    assert "2025-26 as at 30 September 2025" in text


def test_no_monitoring_page_without_a_monitored_year(sample, tmp_path):
    from ui.board_pack import main

    out = tmp_path / "pack.pdf"
    assert main([str(sample("essex")), "-o", str(out)]) == 0
    assert "Risk-share statement" not in _flat(_pdftotext(out))


def test_signed_by_every_body_is_no_longer_a_draft(sample, tmp_path):
    from planner.excel.fingerprint import fingerprint
    from planner.signoff import Decision, SignOff
    from ui.board_pack import write_board_pack

    with PlanFile.open(sample("essex")) as pf:
        fp = fingerprint(pf.plan)
        signed = {
            b: SignOff(b, fp, pf.plan.version, Decision.APPROVED, "A. Signatory")
            for b in pf.plan.bodies
        }
        pf.sign_offs = lambda: signed  # as the file would say once every return is in
        write_board_pack(pf, tmp_path / "signed.pdf", dt.date(2026, 3, 31))
        text = _flat(_pdftotext(tmp_path / "signed.pdf"))
        assert "Draft: not signed" not in text
        assert "Approved (version 1)" in text
        del signed[next(iter(signed))]
        write_board_pack(pf, tmp_path / "one short.pdf", dt.date(2026, 3, 31))
        assert "Draft: not signed" in _flat(_pdftotext(tmp_path / "one short.pdf"))


def test_the_command_says_what_is_wrong_in_words(tmp_path, capsys):
    from ui.app import main

    missing = tmp_path / "nowhere.poolplan"
    assert main(["board-pack", str(missing), "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("poolplanner: ") and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_runs_without_a_display(sample, tmp_path):
    """In a fresh process with no DISPLAY and no QT_QPA_PLATFORM: the command sets offscreen."""
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    out = tmp_path / "pack.pdf"
    code = "import sys; from ui.app import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, "board-pack", str(sample("essex")), "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_help_lists_the_command(capsys):
    from ui.app import main

    with pytest.raises(SystemExit):
        main(["--help"])
    assert "board-pack" in capsys.readouterr().out


def test_file_menu_exports_the_board_pack(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "board"  # no suffix: .pdf is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    action = window.export_board_pack_action
    assert action in window.menuBar().actions()[0].menu().actions()
    assert action.isEnabled()
    action.trigger()
    pdf = target.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert window.doc.plan.name in _flat(_pdftotext(pdf))
    assert "Board pack" in window.statusBar().currentMessage()


def test_file_menu_says_in_words_when_it_cannot_write(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "no such folder" / "pack.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    shown = []
    monkeypatch.setattr(window, "show_message", lambda title, text, *a: shown.append(text))
    window.export_board_pack_action.trigger()
    assert shown and "could not be written" in shown[0]
    assert not target.exists()


def test_print_preview_draws_the_board_pack(qtbot, window, tmp_path, monkeypatch):
    """The preview asks for its pages on a printer: here one printing to a PDF file."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    out = tmp_path / "printed.pdf"

    def exec_(dialog):
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    assert window.print_preview_action in window.menuBar().actions()[0].menu().actions()
    window.print_preview_action.trigger()
    text = _flat(_pdftotext(out))
    assert window.doc.plan.name in text and "Page 1 of " in text
    assert _pages(out) >= 5
