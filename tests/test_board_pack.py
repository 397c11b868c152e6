"""The board pack: the command writes a PDF of real text (pdftotext reads every finding's title
in it), a page per section at least, "Draft: not signed" until every body has signed; the
window's File menu writes the same."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from planner import years as fy
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
    # Its appraisal is empty: said so, not shown as a table of noughts.
    assert "No costs or benefits have been entered for appraisal yet" in text
    assert "Costs today" not in text


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
    assert shown == [f"The folder '{tmp_path / 'no such folder'}' does not exist."]
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


def test_hatches_are_drawn_as_lines_at_the_screens_size(sample, tmp_path):
    """A Qt pattern brush is drawn in device pixels: in a 600 dpi PDF its hatch is a grey dust
    no printer or eye tells apart. The bars' hatches are lines, so the PDF has no patterns."""
    from ui.board_pack import main

    out = tmp_path / "pack.pdf"
    assert main([str(sample("essex")), "-o", str(out)]) == 0
    assert b"/PatternType" not in out.read_bytes()


def test_no_text_below_nine_points(sample, tmp_path, qapp, monkeypatch):
    """Every piece of text the pack draws, the timeline's included, as the page has it: its
    font's size through the painter's transform (a page's scale, the timeline's own)."""
    import math

    from PySide6.QtGui import QPainter

    import ui.board_pack as board_pack

    sizes: list[tuple[float, str]] = []

    class Measuring(QPainter):
        def drawText(self, *args):
            f = self.font()
            units = f.pixelSize() if f.pixelSize() > 0 else f.pointSizeF() * 96 / 72
            t = self.worldTransform()
            points = units * math.hypot(t.m21(), t.m22()) * 72 / self.device().logicalDpiY()
            sizes.append((points, next(a for a in args if isinstance(a, str))))
            return super().drawText(*args)

    monkeypatch.setattr(board_pack, "QPainter", Measuring)
    with PlanFile.open(sample("essex"), read_only=True) as pf:
        board_pack.write_board_pack(pf, tmp_path / "pack.pdf", dt.date(2026, 3, 31))
    assert len(sizes) > 500, "the pack's text was not measured"
    small = sorted(s for s in sizes if s[0] < 9.0 - 0.05)
    assert not small, small[:5]
    assert max(s[0] for s in sizes) >= 16  # the headings: the measure is of points


def test_a_long_plans_timeline_pages_name_their_years_and_partners(sample, tmp_path):
    from ui.board_pack import main

    out = tmp_path / "pack.pdf"
    assert main([str(sample("essex")), "-o", str(out)]) == 0
    headings = [
        line for line in _pdftotext(out).splitlines() if line.startswith("Funding timeline:")
    ]
    with PlanFile.open(sample("essex"), read_only=True) as pf:
        plan = pf.plan
    # Essex's years do not fit one page at 9 pt: two pages of years, each saying which.
    first, last = plan.first_year, plan.last_year
    assert any(h.startswith(f"Funding timeline: {fy.label(first)} to") for h in headings)
    assert any(f"to {fy.label(last)}" in h for h in headings)
    n = len(plan.bodies)
    assert any(f"of {n}" in h and f"to {n} of" in h for h in headings)


def test_hatch_lines_are_the_patterns_lines_inside_the_bar():
    from PySide6.QtCore import QRectF

    from planner.model import Certainty
    from ui.style import hatch_lines

    r = QRectF(10, 20, 100, 30)
    assert hatch_lines(r, Certainty.CONFIRMED, 5) == []
    level = hatch_lines(r, Certainty.CONDITIONAL, 5)
    assert [ln.y1() for ln in level] == [22.5 + 5 * i for i in range(6)]
    assert all(ln.dy() == 0 and ln.x1() == 10 and ln.x2() == 110 for ln in level)
    rising = hatch_lines(r, Certainty.INDICATIVE, 5)
    cross = hatch_lines(r, Certainty.UNFUNDED, 5)
    for lines in (rising, cross):
        for ln in lines:
            for x, y in ((ln.x1(), ln.y1()), (ln.x2(), ln.y2())):
                assert 10 - 1e-9 <= x <= 110 + 1e-9 and 20 - 1e-9 <= y <= 50 + 1e-9
            assert abs(abs(ln.dx()) - abs(ln.dy())) < 1e-9  # at 45 degrees
    assert all(ln.dy() * ln.dx() < 0 for ln in rising)  # up to the right (y grows downwards)
    # Lines of x + y = k, 5 apart across them: k steps by 5 * sqrt(2).
    ks = sorted(ln.x1() + ln.y1() for ln in rising)
    assert all(abs((b - a) - 5 * 2**0.5) < 1e-9 for a, b in zip(ks, ks[1:], strict=False))
    assert len(ks) == int(130 / (5 * 2**0.5) + 0.5)
    falling = [ln for ln in cross if ln.dy() * ln.dx() > 0]
    assert len(falling) and len(falling) + len(rising) == len(cross)


def test_a_page_of_some_years_draws_nothing_past_them(sample, qapp):
    """A board pack page holds some of the years and clips the timeline to them: the lanes and
    the totals clip within that, never instead of it (each set its own, wider, clip once, and
    a rule ran on to the paper's edge)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    from ui.document import PlanDocument
    from ui.timeline.painter import TimelinePainter

    with PlanFile.open(sample("essex"), read_only=True) as pf:
        doc = PlanDocument(pf)
        painter = TimelinePainter(doc, QFont())
        lay = painter.layout(1600)
        view = round(painter.metrics.gutter + 2 * lay.year_width)
        height = round(lay.lanes_height + painter.metrics.totals)
        image = QImage(1600, height, QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        p = QPainter(image)
        p.setClipRect(QRectF(0, 0, view, height))
        painter.paint_lanes(p, lay, lay.rows, 0.0, 0.0, view)
        painter.paint_marks(p, lay, lay.rows, 0.0, 0.0, lay.lanes_height)
        painter.paint_totals(p, lay, lay.lanes_height, 0.0, view)
        p.end()
        doc.deleteLater()
    white = QColor("#ffffff").rgb()
    inside = sum(image.pixel(x, y) != white for x in range(0, view) for y in range(0, height, 3))
    past = [
        (x, y)
        for x in range(view + 1, 1600, 7)
        for y in range(height)
        if image.pixel(x, y) != white
    ]
    assert inside > 1000  # the lanes were drawn
    assert not past, past[:5]


@pytest.mark.parametrize(
    "output, words",
    [
        ("plan", "must end in .pdf; 'essex.poolplan' does not"),  # the plan itself
        ("", "Give the board pack a file name ending in .pdf"),
        (".", "Give the board pack a file name ending in .pdf"),
        ("folder.pdf", "'folder.pdf' is a folder"),
        ("missing/pack.pdf", "/missing' does not exist"),
    ],
)
def test_the_command_refuses_a_wrong_output_in_words(sample, tmp_path, capsys, output, words):
    from ui.app import main

    plan = sample("essex")
    before = plan.read_bytes()
    (tmp_path / "folder.pdf").mkdir()
    named = {"plan": str(plan), "": "", ".": "."}
    target = named[output] if output in named else str(tmp_path / output)
    assert main(["board-pack", str(plan), "-o", target]) == 2
    err = capsys.readouterr().err
    assert err.startswith("poolplanner: ") and words in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert plan.read_bytes() == before
    assert not list(tmp_path.rglob("*.partial"))


def test_a_folder_that_cannot_be_written_says_why(sample, tmp_path, capsys, monkeypatch):
    from ui.app import main

    real_open = Path.open

    def refuse(self, mode="r", *a, **k):
        if self.name.endswith(".partial"):
            raise PermissionError(13, "Permission denied")
        return real_open(self, mode, *a, **k)

    monkeypatch.setattr(Path, "open", refuse)
    assert main(["board-pack", str(sample("essex")), "-o", str(tmp_path / "p.pdf")]) == 2
    err = capsys.readouterr().err
    assert f"could not be written in '{tmp_path}': Permission denied." in err
    assert not (tmp_path / "p.pdf").exists()


@pytest.mark.parametrize("as_at", ["2026-02-30", "0001-01-01", "tomorrow"])
def test_a_bad_as_at_date_is_refused(sample, tmp_path, capsys, as_at):
    from ui.app import main

    out = tmp_path / "p.pdf"
    with pytest.raises(SystemExit) as stop:
        main(["board-pack", str(sample("essex")), "-o", str(out), "--as-at", as_at])
    assert stop.value.code == 2
    assert "--as-at" in capsys.readouterr().err
    assert not out.exists()


def _signed(pf, decisions):
    from planner.excel.fingerprint import fingerprint
    from planner.signoff import SignOff

    fp = fingerprint(pf.plan)
    made = {
        b: SignOff(b, fp, pf.plan.version, d, "A. Signatory")
        for b, d in zip(pf.plan.bodies, decisions, strict=False)
        if d is not None
    }
    pf.sign_offs = lambda: made


def test_the_sign_off_is_said_as_it_stands(sample, tmp_path):
    """Approved, not approved and not signed are counted apart, on the cover and beside the
    commitments: a plan partners refused does not read as one awaiting signatures."""
    from planner.signoff import Decision
    from ui.board_pack import write_board_pack

    with PlanFile.open(sample("essex")) as pf:
        n = len(pf.plan.bodies)
        _signed(pf, [Decision.APPROVED, Decision.APPROVED_WITH_COMMENTS, Decision.NOT_APPROVED])
        write_board_pack(pf, tmp_path / "mixed.pdf", dt.date(2026, 3, 31))
        text = _flat(_pdftotext(tmp_path / "mixed.pdf"))
        said = (
            f"Of {n} bodies, 2 approved this version, 1 did not approve it and {n - 3} have "
            "not signed. The plan is a draft until every body has approved it."
        )
        assert text.count(said) == 2  # the cover and the commitments page
        assert "Draft: not signed" in text
        _signed(pf, [Decision.NOT_APPROVED] * n)
        write_board_pack(pf, tmp_path / "refused.pdf", dt.date(2026, 3, 31))
        text = _flat(_pdftotext(tmp_path / "refused.pdf"))
        assert f"Of {n} bodies, {n} did not approve it." in text
        _signed(pf, [Decision.APPROVED] * n)
        write_board_pack(pf, tmp_path / "signed.pdf", dt.date(2026, 3, 31))
        text = _flat(_pdftotext(tmp_path / "signed.pdf"))
        assert f"Every body ({n}) has approved this version." in text
        assert "Draft" not in text


def _scaled(path: Path, factor: int) -> None:
    """Every amount of the plan at ``path`` times ``factor``: the sample at a real city's scale."""
    import dataclasses

    from planner.model import SettlementYear

    with PlanFile.open(path, read_only=True) as pf:
        plan = pf.plan
    for c in plan.contributions.values():
        c.amount_pence *= factor
    for s in plan.settlements.values():
        for y, sy in s.years.items():
            cond = sy.conditional and dataclasses.replace(
                sy.conditional,
                amount_pence=sy.conditional.amount_pence * factor,
                earned_pence=None
                if sy.conditional.earned_pence is None
                else sy.conditional.earned_pence * factor,
            )
            amount = None if sy.amount_pence is None else sy.amount_pence * factor
            s.years[y] = SettlementYear(sy.status, amount, cond)
    path.unlink()
    PlanFile.create(path, plan).close()


def test_no_figure_is_drawn_wider_than_its_cell(sample, tmp_path, qapp, monkeypatch):
    """A plan of billions (Greater Manchester at ten times the sample: £5.9bn): each column of
    figures widens to its widest, so no amount loses its first digits."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFontMetricsF, QPainter

    import ui.board_pack as board_pack

    plan = sample("greater-manchester")
    _scaled(plan, 10)
    cut: list[tuple[str, float, float]] = []
    figures = []

    class Measuring(QPainter):
        def drawText(self, *args):
            text = next((a for a in args if isinstance(a, str)), "")
            if isinstance(args[0], QRectF):
                rect = args[0]
                if text.lstrip("(").startswith("£"):
                    figures.append(text)
                    wide = QFontMetricsF(self.font()).horizontalAdvance(text)
                    if wide > rect.width() + 0.5:
                        cut.append((text, wide, rect.width()))
            return super().drawText(*args)

    monkeypatch.setattr(board_pack, "QPainter", Measuring)
    with PlanFile.open(plan, read_only=True) as pf:
        board_pack.write_board_pack(pf, tmp_path / "pack.pdf", dt.date(2026, 3, 31))
    assert "£5,930,000,000" in figures  # the commitments' total, at ten times
    assert not cut, cut[:5]


def test_names_shortened_alike_are_told_apart(qapp):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QFontMetricsF

    from ui.timeline.painter import distinct_elided

    fm = QFontMetricsF(QFont())
    width = fm.horizontalAdvance("University Hospitals of M")
    names = [
        "University Hospitals of Morecambe Bay NHS Foundation Trust",
        "University Hospitals of North Midlands NHS Foundation Trust",
        "University Hospitals of Derby and Burton NHS Foundation Trust",
        "Partner body number 1 of the pooled fund for the whole county",
        "Partner body number 2 of the pooled fund for the whole county",
        "Lancashire County Council",
        "Same name for two bodies that is very long indeed",
        "Same name for two bodies that is very long indeed",
    ]
    shown = distinct_elided(names, fm, width)
    assert all(fm.horizontalAdvance(s) <= width + 0.5 for s in shown)
    assert len(set(shown[:5])) == 5  # each told apart
    assert shown[5] == fm.elidedText(names[5], Qt.TextElideMode.ElideMiddle, width)
    assert shown[6] == shown[7]  # alike in full, alike shown
    # In the middle where that already tells them apart, as before.
    two = ["Essex County Council", "Thurrock Council"]
    assert distinct_elided(two, fm, width) == [
        fm.elidedText(n, Qt.TextElideMode.ElideMiddle, width) for n in two
    ]


def test_a_word_wider_than_its_line_wraps_inside_the_margin(sample, tmp_path, qapp, monkeypatch):
    """A name of 150 letters and no spaces: word wrap alone ran it past the page's edge."""
    from PySide6.QtGui import QPainter

    import ui.board_pack as board_pack
    from planner.store import PlanFile as PF

    path = sample("anyshire-bcf")
    with PF.open(path) as pf:
        body = next(iter(pf.plan.bodies))
        pf.update_body(body, name="Metropolitan" * 12 + "Council")
    right_edges: list[float] = []

    class Measuring(QPainter):
        def drawText(self, *args):
            rect, text = args[0], next(a for a in args if isinstance(a, str))
            if "Metropolitan" in text and hasattr(rect, "right"):
                lines = self.boundingRect(rect, text, board_pack._wrapping(board_pack.WRAP))
                right_edges.append(self.worldTransform().map(lines.topRight()).x())
            return super().drawText(*args)

    monkeypatch.setattr(board_pack, "QPainter", Measuring)
    with PF.open(path, read_only=True) as pf:
        board_pack.write_board_pack(pf, tmp_path / "pack.pdf", dt.date(2026, 3, 31))
    assert right_edges
    page_right = (842 - 36) * 600 / 72  # A4 landscape less the margin, in the PDF's dots
    assert max(right_edges) <= page_right + 1


def test_pages_are_split_evenly():
    from ui.board_pack import _even_split

    assert [len(x) for x in _even_split(list(range(11)), 8)] == [6, 5]
    assert [len(x) for x in _even_split(list(range(7)), 3)] == [3, 2, 2]
    assert [len(x) for x in _even_split(list(range(45)), 7)] == [7, 7, 7, 6, 6, 6, 6]
    assert _even_split(list(range(4)), 10) == [[0, 1, 2, 3]]
    assert sum(_even_split(list(range(45)), 7), []) == list(range(45))  # all, in order


def test_a_page_of_some_partners_says_its_totals_are_of_all(sample, tmp_path):
    from ui.board_pack import main

    out = tmp_path / "pack.pdf"
    assert main([str(sample("essex")), "-o", str(out)]) == 0
    with PlanFile.open(sample("essex"), read_only=True) as pf:
        n = len(pf.plan.bodies)
    text = _flat(_pdftotext(out))
    # Essex's timeline is six pages: two of years for each of three sets of partners.
    assert text.count(f"The totals are of all {n} partners, not only those on this page.") == 6
    assert "partners 6 to 9 of 13" in text  # 13 as 5, 4 and 4


def _plan_of(bodies: int, years: int = 5, confirmed_for=lambda b: 1, pence=500_000_000):
    """Bodies each with a settlement confirmed for its first years, indicative after."""
    from planner.model import (
        Body,
        BodyKind,
        Certainty,
        Contribution,
        Plan,
        Settlement,
        SettlementYear,
    )

    plan = Plan(name="Made for a test", first_year=2025, years=years)
    for b in range(1, bodies + 1):
        plan.bodies[b] = Body(b, f"Body {b}", BodyKind.COUNCIL)
        plan.settlements[b] = Settlement(
            b,
            b,
            f"Settlement {b}",
            {
                y: SettlementYear(
                    Certainty.CONFIRMED if y < 2025 + confirmed_for(b) else Certainty.INDICATIVE,
                    pence,
                )
                for y in range(2025, 2025 + years)
            },
        )
        for y in range(2025, 2025 + years):
            cid = len(plan.contributions) + 1
            plan.contributions[cid] = Contribution(cid, b, y, pence, b)
    return plan


def test_a_plan_with_no_partners_says_so(tmp_path):
    from planner.model import Plan
    from ui.board_pack import main

    path = tmp_path / "empty.poolplan"
    PlanFile.create(path, Plan(name="Nobody yet", first_year=2025, years=5)).close()
    out = tmp_path / "pack.pdf"
    assert main([str(path), "-o", str(out)]) == 0
    text = _flat(_pdftotext(out))
    assert "The plan has no partners yet, so it has no funding to show." in text
    assert "The plan has no partners to sign it." in text


def test_cliffs_a_year_apart_have_tags_that_do_not_overlap(tmp_path, qapp):
    """Half the pool ends its confirmed term in each of two years running: two tags, one a
    year after the other, shortened rather than drawn over each other."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont, QImage, QPainter

    from planner.findings import Code
    from ui.document import PlanDocument
    from ui.timeline.painter import TimelinePainter

    path = tmp_path / "cliffs.poolplan"
    PlanFile.create(path, _plan_of(2, confirmed_for=lambda b: b)).close()
    tags: list[tuple[str, QRectF]] = []

    class Measuring(QPainter):
        def drawText(self, *args):
            text = next(a for a in args if isinstance(a, str))
            if "%" in text:
                tags.append((text, QRectF(args[0])))
            return super().drawText(*args)

    with PlanFile.open(path, read_only=True) as pf:
        doc = PlanDocument(pf)
        assert [f.years for f in doc.findings if f.code is Code.RENEWAL_CLIFF] == [[2025], [2026]]
        painter = TimelinePainter(doc, QFont())
        painter.update_marks()
        lay = painter.layout(700)
        image = QImage(700, round(lay.header), QImage.Format.Format_RGB32)
        p = Measuring(image)
        painter.paint_header(p, lay)
        p.end()
        doc.deleteLater()
    assert len(tags) == 2
    (first, a), (second, b) = tags
    assert first == "cliff: 50% to renew" and second in ("cliff 50%", "50%")
    assert a.right() < b.left()


def test_a_table_with_pence_shows_them_so_that_it_adds_up(tmp_path):
    """£100.50 from each of two bodies is £201 between them: in whole pounds the table would
    read £101 and £101 making £201."""
    from ui.board_pack import main

    path = tmp_path / "pence.poolplan"
    PlanFile.create(path, _plan_of(2, years=2, pence=10_050)).close()
    out = tmp_path / "pack.pdf"
    assert main([str(path), "-o", str(out)]) == 0
    text = _flat(_pdftotext(out))
    assert "Body 1 £100.50 £100.50 £0.00 £201.00" in text  # confirmed, indicative, unfunded
    assert "All bodies £201.00 £201.00 £0.00 £402.00" in text
    assert "None of the 2 bodies has signed this version yet." in text


def test_the_risk_share_statement_adds_up_to_the_figure_above_it(sample, tmp_path):
    """The steps carry every line's variance (a fixed line's own underspend among them): the
    words above them say so, so that the column adds up to the figure they give."""
    from planner.analysis import Analysis
    from planner.money import format as pounds
    from ui.board_pack import main

    plan = sample("anyshire-bcf")
    out = tmp_path / "pack.pdf"
    assert main([str(plan), "-o", str(out)]) == 0
    text = _flat(_pdftotext(out))
    with PlanFile.open(plan, read_only=True) as pf:
        risk = Analysis(pf.plan).report.risk
    total = sum(s.pence for s in risk.steps)
    fixed = total - risk.net
    assert fixed and total > 0 and risk.net > 0  # the sample has both
    kind = "overspend" if fixed > 0 else "underspend"
    assert (
        f"Of the forecast overspend of {pounds(total)}, the fixed lines' {kind} of "
        f"{pounds(abs(fixed))} stays with their owners, and the shared lines' net overspend of "
        f"{pounds(risk.net)} is taken step by step"
    ) in text


def test_a_versions_standing_counts_each_body_once_by_what_it_did():
    from planner.signoff import Decision, SignOff, Standing

    def signed(b, fp, decision=Decision.APPROVED):
        return SignOff(b, fp, 1, decision, "A. Signatory")

    offs = {
        1: signed(1, "now"),
        2: signed(2, "now", Decision.APPROVED_WITH_COMMENTS),
        3: signed(3, "now", Decision.NOT_APPROVED),
        4: signed(4, "before"),  # a version since changed, even if approved
    }
    s = Standing.of([1, 2, 3, 4, 5], offs, "now")
    assert (s.approved, s.refused, s.earlier, s.unsigned) == (2, 1, 1, 1)
    assert not s.all_approved
    assert s.words().startswith(
        "Of 5 bodies, 2 approved this version, 1 did not approve it, 1 signed an earlier "
        "version and 1 has not signed."
    )
    assert Standing.of([1, 2], offs, "now").all_approved
    assert not Standing.of([], offs, "now").all_approved  # nobody to sign: not signed off
