"""The real main window, driven offscreen as a finance officer would use it."""

import hashlib

import pytest
from badfiles import BAD_FILES
from gm_window import POLICE, police_cell, summary
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QAbstractItemView, QApplication

from planner.store import PlanFile
from ui.models.base import CHOICES_ROLE


def type_into_cell(qtbot, view, index, text):
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index) or view.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits through a queued call
    return editor


def test_edit_a_contribution_through_the_grid_then_undo_redo_and_reopen(qtbot, window, plan_path):
    view = window.editors.contributions_view
    cell = police_cell(window, 2014)
    assert cell.data() == "£5,000,000"
    assert summary(window, "total", 2014) == "£118,500,000"
    assert summary(window, "at_risk", 2014) == "£42,900,000"

    type_into_cell(qtbot, view, cell, "£7.5m")

    assert police_cell(window, 2014).data() == "£7,500,000"
    assert summary(window, "total", 2014) == "£121,000,000"
    assert summary(window, "at_risk", 2014) == "£45,400,000"  # indicative money is at risk
    assert window.doc.figures.years[2014].at_risk == 45_400_000_00  # what the timeline draws
    assert window.undo_action.text().startswith(f"&Undo Change {POLICE} 2014-15 contribution (")

    window.undo_action.trigger()
    assert police_cell(window, 2014).data() == "£5,000,000"
    assert summary(window, "total", 2014) == "£118,500,000"
    window.redo_action.trigger()
    assert summary(window, "at_risk", 2014) == "£45,400,000"

    window.close()  # nothing to save: the edit was written when it was made
    with PlanFile.open(plan_path, read_only=True) as pf:
        body = pf.plan.body_named(POLICE)
        amounts = {c.year: c.amount_pence for c in pf.plan.contributions_of(body.id)}
        assert amounts[2014] == 7_500_000_00


def test_a_bad_amount_is_refused_in_place_with_the_reason(qtbot, window):
    view = window.editors.contributions_view
    cell = police_cell(window, 2014)
    editor = type_into_cell(qtbot, view, cell, "five million")
    assert view.state() == QAbstractItemView.State.EditingState  # still open for correction
    assert "not an amount" in editor.toolTip()
    assert police_cell(window, 2014).data() == "£5,000,000"
    assert not window.doc.undo_stack.canUndo()


def test_an_absurd_amount_is_refused(qtbot, window):
    assert not window.editors.contributions.setData(police_cell(window, 2014), "900bn")
    assert "number of zeros" in window.statusBar().currentMessage()
    assert police_cell(window, 2014).data() == "£5,000,000"


def test_emptying_a_cell_removes_the_contribution_and_undo_brings_it_back(qtbot, window):
    model = window.editors.contributions
    assert model.setData(police_cell(window, 2014), "")
    assert police_cell(window, 2014).data() == ""
    assert summary(window, "total", 2014) == "£113,500,000"
    window.undo_action.trigger()
    assert police_cell(window, 2014).data() == "£5,000,000"


def test_edits_to_other_tables_are_undoable(qtbot, window):
    bodies = window.editors.bodies
    assert bodies.setData(bodies.index(0, 3), "J. Smith")
    assert window.doc.plan.bodies[bodies.body_id(0)].signatory_name == "J. Smith"
    s = window.editors.settlements
    row = next(
        r
        for r, sid in enumerate(s.rows)
        if window.doc.plan.settlements[sid].name.startswith("Police grant")
    )
    body_id = window.doc.plan.settlements[s.rows[row]].body_id
    assert window.doc.figures.bodies[body_id].confirmed_until == 2013
    assert s.setData(s.index(row, 5), "confirmed 250m")  # 2014-15
    assert window.doc.figures.bodies[body_id].confirmed_until == 2014
    assert not s.setData(s.index(row, 5), "maybe")
    window.undo_action.trigger()
    assert window.doc.figures.bodies[body_id].confirmed_until == 2013
    window.undo_action.trigger()
    assert window.doc.plan.bodies[bodies.body_id(0)].signatory_name != "J. Smith"


@pytest.mark.parametrize("kind", BAD_FILES)
def test_opening_a_bad_file_shows_a_message_and_keeps_the_open_plan(qtbot, window, tmp_path, kind):
    make, _, phrase = BAD_FILES[kind]
    bad = tmp_path / "bad.poolplan"
    make(bad)
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    assert not window.open_path(bad)
    box = window.last_message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "This file cannot be opened"
    assert phrase.lower() in box.text().lower()
    assert "Traceback" not in box.text()
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before
    assert window.doc.plan.name.startswith("Greater Manchester")  # still open


def test_title_names_the_plan_and_file(window, plan_path):
    assert window.windowTitle().startswith("Greater Manchester Whole Place Community Budget")
    assert plan_path.name in window.windowTitle()


def test_clicking_a_bar_selects_it_in_the_grid(qtbot, window):
    timeline = window.timeline
    lay = timeline.layout_now()
    plan = window.doc.plan
    police = plan.body_named(POLICE)
    row = next(r for r in lay.rows if r.body_id == police.id)
    x = lay.x_of(2015) + lay.year_width / 2
    y = lay.header + row.top + row.height / 2
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=QPointF(x, y).toPoint())
    current = window.editors.contributions_view.currentIndex()
    assert window.editors.currentIndex() == 0
    assert current.siblingAtColumn(0).data() == POLICE
    assert window.editors.contributions.year_of(current.column()) == 2015


def test_selecting_a_finding_highlights_it_on_the_timeline(qtbot, window):
    panel = window.findings_panel
    assert window.timeline.painter.highlight.body_id is None
    panel.view.selectRow(0)
    finding = panel.model.finding(0)
    assert window.timeline.painter.highlight.body_id == finding.body_id
    assert set(window.timeline.painter.highlight.years) == set(finding.years)
    assert finding.title in panel.detail.text()


def test_findings_update_when_an_edit_changes_them(qtbot, window):
    def over_commitments():
        model = window.findings_panel.model
        return [
            model.finding(r)
            for r in range(model.rowCount())
            if model.finding(r).code.value == "over-commitment"
        ]

    assert over_commitments() == []
    # More than the whole police grant for the year: the panel must say so at once.
    window.editors.contributions.setData(police_cell(window, 2014), "5bn")
    (found,) = over_commitments()
    assert found.body_id == window.doc.plan.body_named(POLICE).id
    window.undo_action.trigger()
    assert over_commitments() == []


def test_presentation_mode(qtbot, window):
    small = window.timeline.painter.metrics.text
    window.present_action.trigger()
    assert window.presenting and window.isFullScreen()
    assert not window.editors_dock.isVisible() and window.findings_dock.isVisible()
    assert not window.menuBar().isVisible()
    lay = window.timeline.layout_now()
    assert window.timeline.painter.metrics.text > small  # larger type...
    assert lay.content_width <= window.timeline.viewport().width()  # ...and every year in view
    window.exit_present_action.trigger()
    assert not window.presenting and window.editors_dock.isVisible()
    assert window.timeline.painter.metrics.text == small


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_export_timeline(qtbot, window, tmp_path, suffix):
    target = tmp_path / f"timeline{suffix}"
    window.export_timeline(target)
    data = target.read_bytes()
    assert len(data) > 2000
    if suffix == ".png":
        image = QImage(str(target))
        assert image.width() >= 3000 and image.height() > 800
    elif suffix == ".svg":
        assert b"<svg" in data and b"Greater Manchester" in data
    else:
        assert data.startswith(b"%PDF")


def test_export_timeline_to_a_wrong_place_says_why_and_leaves_nothing(
    qtbot, window, tmp_path, monkeypatch
):
    said = []
    monkeypatch.setattr(window, "show_message", lambda title, text, *a: said.append(text))
    out = tmp_path / "out"
    (out / "a folder.pdf").mkdir(parents=True)
    window.export_timeline(out / "a folder.pdf")
    window.export_timeline(out / "nowhere" / "t.pdf")
    assert said == [
        "'a folder.pdf' is a folder; give the timeline a file name.",
        f"The folder '{out / 'nowhere'}' does not exist.",
    ]
    # Written whole or not at all: no temporary file is left beside it.
    window.export_timeline(out / "t.png")
    assert sorted(p.name for p in out.iterdir()) == ["a folder.pdf", "t.png"]


def _drop(path, actions) -> QDropEvent:
    """A file dropped on the window, from a file manager offering ``actions``."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    event.mime = mime  # the event holds only a pointer to it: keep it alive as long as the event
    return event


def test_drop_a_plan_onto_the_window_opens_it(qtbot, make_window, plan_path):
    w = make_window()
    w.dropEvent(_drop(plan_path, Qt.DropAction.CopyAction))
    qtbot.waitUntil(lambda: w.doc is not None)
    assert w.doc.file.path == plan_path


def test_recent_files_and_close(qtbot, window, plan_path):
    assert window.recent_files()[0] == str(plan_path.resolve())
    window.close_action.trigger()
    assert window.doc is None and window.windowTitle() == "Pool Planner"
    assert not window.undo_action.isEnabled()
    window._fill_recent_menu()
    window.recent_menu.actions()[0].trigger()
    assert window.doc is not None


def test_unexpected_errors_are_logged_not_shown(qtbot, window):
    import sys

    from ui.app import install_excepthook
    from ui.logs import log_file, start_logging

    start_logging()
    install_excepthook()
    try:
        raise RuntimeError("deliberate test failure")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    boxes = [w for w in QApplication.topLevelWidgets() if w.windowTitle() == "Something went wrong"]
    assert boxes and "Traceback" not in boxes[-1].text()
    assert "deliberate test failure" in log_file().read_text()
    sys.excepthook = sys.__excepthook__


def test_first_run_opens_a_copy_of_the_greater_manchester_sample(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from ui import app

    # A fresh user: no settings, an empty data folder.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    monkeypatch.setattr("ui.logs.data_dir", lambda: tmp_path)
    QCoreApplication.setOrganizationName("PoolPlannerFirstRunTest")
    w = app.start(None)
    qtbot.addWidget(w)
    assert w.doc.plan.name == "Greater Manchester Whole Place Community Budget"
    assert w.doc.file.path.parent == tmp_path / "samples"
    assert not w.doc.read_only
    w.close()


def test_export_to_excel_from_the_window(qtbot, window, tmp_path):
    import openpyxl

    target = tmp_path / "signoff.xlsx"
    assert window.export_excel(target)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Cover"
    assert "fingerprint" in window.statusBar().currentMessage()
    assert not window.export_excel(tmp_path / "missing" / "x.xlsx")
    assert "does not exist" in window.last_message_box.text()


def test_clicking_a_bar_selects_the_row_that_holds_that_years_money(qtbot, window):
    # GMCA's 2016-17 money sits on its "No settlement" row, not its first row.
    model = window.editors.contributions
    gmca = window.doc.plan.body_named("Greater Manchester Combined Authority")
    window.editors.show_contribution(gmca.id, 2016)
    current = window.editors.contributions_view.currentIndex()
    assert current.data() == "£36,000,000"
    assert model.rows[current.row()] == ("stream", gmca.id, None)


def test_a_row_can_be_funded_from_a_new_settlement(qtbot, window):
    police = window.doc.plan.body_named(POLICE)
    window.doc.perform(lambda f: f.add_settlement(police.id, "Police grant 2015-18"))
    new = max(s.id for s in window.doc.plan.settlements_of(police.id))
    s_model = window.editors.settlements
    row = s_model.rows.index(new)
    for col in (6, 7, 8):  # 2015-16 to 2017-18
        assert s_model.setData(s_model.index(row, col), "confirmed 300m")
    model = window.editors.contributions
    unfunded_row = model.rows.index(("stream", police.id, None))
    funded_by = model.index(unfunded_row, 1)
    assert funded_by.flags() & Qt.ItemFlag.ItemIsEditable
    assert (new, "Police grant 2015-18") in funded_by.data(CHOICES_ROLE)
    assert model.setData(funded_by, new)
    bf = window.doc.figures.bodies[police.id]
    assert bf.by_year[2016].confirmed == 5_000_000_00
    assert window.undo_action.text() == (
        f"&Undo Fund {POLICE} contributions from Police grant 2015-18"
    )
    window.undo_action.trigger()
    assert window.doc.figures.bodies[police.id].by_year[2016].unfunded == 5_000_000_00


def test_delete_key_empties_the_selected_cells_in_one_undoable_step(qtbot, window):
    view = window.editors.contributions_view
    first, second = police_cell(window, 2013), police_cell(window, 2014)
    view.setFocus()
    view.selectionModel().select(first, view.selectionModel().SelectionFlag.Select)
    view.selectionModel().select(second, view.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    police = window.doc.plan.body_named(POLICE)
    by_year = window.doc.figures.bodies[police.id].by_year
    assert by_year[2013].total == by_year[2014].total == 0
    assert window.undo_action.text() == "&Undo Empty 2 cells"
    window.undo_action.trigger()
    assert police_cell(window, 2013).data() == police_cell(window, 2014).data() == "£5,000,000"


def test_a_refused_amount_is_explained_in_the_status_bar(qtbot, window):
    view = window.editors.contributions_view
    type_into_cell(qtbot, view, police_cell(window, 2014), "-5")
    assert "negative" in window.statusBar().currentMessage()


def test_settlement_dates_are_typed_the_uk_way(qtbot, window):
    s = window.editors.settlements
    assert s.setData(s.index(0, 2), "31/12/2012")
    assert window.doc.plan.settlements[s.rows[0]].announced.isoformat() == "2012-12-31"
    assert s.index(0, 2).data() == "31/12/2012"
    assert not s.setData(s.index(0, 2), "next Tuesday")
    assert "31/12/2025" in window.statusBar().currentMessage()


def test_gain_share_panel_changes_the_agreement_undoably(qtbot, window):
    panel = window.editors.appraisal.gain_share
    doc = window.doc
    assert doc.plan.appraisal.gain_share.value == "investors_first"  # the GM sample's
    before = {b: x.after.npv for b, x in doc.analysis.benefits.bodies.items()}
    panel.rule.setCurrentIndex(panel.rule.findData("pro_rata"))
    panel.rule.activated.emit(panel.rule.currentIndex())
    assert doc.plan.appraisal.gain_share.value == "pro_rata"
    after = {b: x.after.npv for b, x in doc.analysis.benefits.bodies.items()}
    assert after != before
    assert (
        sum(after.values()) == sum(before.values())
        or abs(sum(after.values()) - sum(before.values())) < 100
    )  # pennies of rounding at most
    assert window.undo_action.text() == "&Undo Change gain-share to pro rata to investment"
    window.undo_action.trigger()
    assert doc.plan.appraisal.gain_share.value == "investors_first"
    assert panel.rule.currentData() == "investors_first"


def test_benefit_lines_edit_through_the_table(qtbot, window):
    model = window.editors.appraisal.benefit_lines
    doc = window.doc
    line_id = model.benefit_id(0)
    body = doc.plan.benefits[line_id].body_id
    npv = doc.analysis.benefits.bodies[body].before.npv
    bias_col = [field for field, _ in model.fixed].index("bias")
    assert model.setData(model.index(0, bias_col), "90%")
    assert doc.plan.benefits[line_id].optimism_bias_bp == 9000
    assert doc.analysis.benefits.bodies[body].before.npv < npv
    assert not model.setData(model.index(0, bias_col), "lots")
    window.undo_action.trigger()
    assert doc.analysis.benefits.bodies[body].before.npv == npv


def test_costs_table_and_chart(qtbot, window):
    doc = window.doc
    scheme = next(iter(doc.plan.schemes))
    home_office = doc.plan.body_named("Home Office").id
    doc.perform(lambda f: f.set_cost(scheme, home_office, 2013, 1_000_000_00))
    model = window.editors.appraisal.costs
    row = model.rows.index((scheme, home_office))
    column = next(c for c in range(model.columnCount()) if model.year_of(c) == 2013)
    assert model.index(row, column).data() == "£1,000,000"
    assert doc.analysis.benefits.bodies[home_office].pv_costs == 1_000_000_00
    window.editors.show_gain_share()
    qtbot.waitUntil(lambda: window.editors.appraisal.gain_share.chart.canvas is not None)
    assert len(window.editors.appraisal.gain_share.chart.figure.axes[0].patches) > 0


def test_the_discount_schedule_can_be_changed(qtbot, window):
    bands = window.editors.appraisal.gain_share.bands
    doc = window.doc
    npv = doc.analysis.benefits.npv
    assert bands.index(0, 1).data() == "3.5%"
    assert not (bands.index(0, 0).flags() & Qt.ItemFlag.ItemIsEditable)  # year 0 stays
    assert bands.setData(bands.index(0, 1), "1.5%")  # health-outcome rate
    assert doc.plan.appraisal.discount_bands[0] == (0, 150)
    assert doc.analysis.benefits.npv != npv
    window.undo_action.trigger()
    assert doc.analysis.benefits.npv == npv


def _sign(wb, decision="Approved", comments=None, signatory="A. Signer"):
    """The first body signs the workbook today, as its signatory would."""
    import datetime as dt

    ws = wb["Sign-off"]
    ws["C5"], ws["E5"], ws["G5"] = signatory, decision, comments
    ws["F5"] = dt.datetime.combine(dt.date.today(), dt.time())


def test_review_a_partner_return_accept_one_reject_another_then_undo(qtbot, window, tmp_path):
    import openpyxl

    sent = tmp_path / "sent.xlsx"
    assert window.export_excel(sent)
    wb = openpyxl.load_workbook(sent)
    ws = wb["Contributions"]
    # Row 5: GMCA / LGFS 2013-15; C is 2013-14 (£27m), D 2014-15 (£28.5m).
    ws["C5"], ws["D5"] = 27_500_000, 29_000_000
    _sign(wb, "Approved with comments", "Subject to the 2014-15 settlement.")
    returned = tmp_path / "returned.xlsx"
    wb.save(returned)

    dialog = window.import_return(returned)
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    assert model.rowCount() == 2
    gmca = window.doc.plan.body_named("Greater Manchester Combined Authority").id
    first, second = model.report.changes
    assert (first.year, first.new_pence) == (2013, 27_500_000_00)
    # Reject the 2014-15 change, keep the 2013-14 one.
    assert model.setData(
        model.index(1, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    dialog.accept()

    doc = window.doc
    assert doc.file.find_contribution(gmca, 2013, first.settlement_id).amount_pence == 27_500_000_00
    assert (
        doc.file.find_contribution(gmca, 2014, second.settlement_id).amount_pence == 28_500_000_00
    )
    assert window.undo_action.text() == "&Undo Record the return returned.xlsx, accepting 1 change"
    bodies = window.editors.bodies
    sign_col = [
        bodies.headerData(c, Qt.Orientation.Horizontal) for c in range(bodies.columnCount())
    ].index("Sign-off")
    status = bodies.index(bodies.rows.index(gmca), sign_col).data()
    # The partner signed their figures; one was rejected, so the plan is not what they signed.
    assert status.startswith("Approved with comments") and "different version" in status
    window.undo_action.trigger()
    assert doc.file.find_contribution(gmca, 2013, first.settlement_id).amount_pence == 27_000_000_00
    window.redo_action.trigger()
    # Taking the other change too makes the plan exactly what they signed.
    doc.perform(
        lambda f: f.set_contribution(
            gmca, second.year, second.new_pence, settlement_id=second.settlement_id
        )
    )
    import datetime as dt

    assert bodies.index(bodies.rows.index(gmca), sign_col).data() == (
        f"Approved with comments on {dt.date.today():%d/%m/%Y} (version 2)"
    )


def test_a_bad_return_shows_a_message(qtbot, window, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    assert window.import_return(bad) is None
    assert "not an Excel workbook" in window.last_message_box.text()


def test_a_return_of_an_older_version_asks_first(qtbot, window, tmp_path, monkeypatch):
    import openpyxl

    sent = tmp_path / "sent.xlsx"
    window.export_excel(sent)
    wb = openpyxl.load_workbook(sent)
    wb["Contributions"]["C5"] = 1
    _sign(wb)
    wb.save(tmp_path / "old.xlsx")
    model = window.editors.contributions
    model.setData(police_cell(window, 2014), "6m")  # the plan moves on
    asked = []
    monkeypatch.setattr(window, "confirm", lambda title, text: asked.append(text) or False)
    assert window.import_return(tmp_path / "old.xlsx") is None
    assert "version 1 of this plan" in asked[0]
    monkeypatch.setattr(window, "confirm", lambda title, text: True)
    dialog = window.import_return(tmp_path / "old.xlsx")
    assert not dialog.report.current and len(dialog.report.changes) == 1
    dialog.reject()


def test_delete_buttons_remove_the_selected_row_and_undo_restores_it(qtbot, window):
    editors = window.editors
    view, model = editors.schemes_view, editors.schemes
    count = len(window.doc.plan.schemes)
    view.setCurrentIndex(model.index(0, 0))
    editors.delete_scheme()
    assert len(window.doc.plan.schemes) == count - 1
    view.setCurrentIndex(model.index(model.rowCount() - 1, 0))  # the totals row: kept
    editors.delete_scheme()
    assert len(window.doc.plan.schemes) == count - 1
    window.undo_action.trigger()
    assert len(window.doc.plan.schemes) == count


def test_plans_opened_one_after_another_do_not_stay_in_memory(window, plan_path):
    import gc
    import shutil
    import weakref

    from PySide6.QtCore import QEvent

    before = []
    for i in range(3):
        before.append(weakref.ref(window.doc))
        other = plan_path.with_name(f"other-{i}.poolplan")  # the same plan would stay open
        shutil.copy(plan_path, other)
        assert window.open_path(other)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.unfreeze()  # the collector never looks at frozen objects
    gc.collect()
    assert window.doc is not None
    assert [ref() for ref in before] == [None, None, None]


def test_closing_the_plan_while_the_workbook_is_written_waits_for_it(window, tmp_path):
    from PySide6.QtCore import QTimer

    # The export lets events through (for its progress dialog and Cancel): a close that
    # arrives then is refused, not carried out under the export's feet.
    arrived = []
    QTimer.singleShot(0, lambda: (window.close_action.trigger(), arrived.append(window.doc)))
    assert window.export_excel(tmp_path / "out.xlsx")
    assert arrived and arrived[0] is not None  # the close came during the export, and waited
    assert (tmp_path / "out.xlsx").stat().st_size > 0
    assert window.doc is not None


def test_a_slow_return_is_read_off_the_ui_thread_and_can_be_cancelled(
    qtbot, window, tmp_path, monkeypatch
):
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    import planner.excel.returns as returns

    sent = tmp_path / "sent.xlsx"
    window.export_excel(sent)
    release, reading_thread = threading.Event(), []
    real_check = returns.check_container

    def slow_check(path, *most):  # a workbook that takes as long as the user cares to wait
        reading_thread.append(threading.current_thread())
        release.wait(10)
        return real_check(path, *most)

    monkeypatch.setattr(returns, "check_container", slow_check)
    ticks = []
    ticker = QTimer(interval=20)
    ticker.timeout.connect(lambda: ticks.append(1))  # the window's event loop keeps running
    ticker.start()

    def cancel():
        dialog = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QProgressDialog) and w.isVisible()
            ),
            None,
        )
        if dialog is None or len(ticks) < 20:
            QTimer.singleShot(20, cancel)
            return
        dialog.cancel()

    QTimer.singleShot(0, cancel)
    before = window.doc.file.sign_offs()
    assert window.import_return(sent) is None
    ticker.stop()
    assert reading_thread[0] is not threading.main_thread() and len(ticks) >= 20
    assert "cancelled" in window.statusBar().currentMessage()
    release.set()
    reading_thread[0].join(5)
    assert not reading_thread[0].is_alive()  # it stopped at its next step
    assert window.doc.file.sign_offs() == before

    monkeypatch.setattr(returns, "check_container", real_check)
    dialog = window.import_return(sent)  # the same file, not cancelled, reads as ever
    assert dialog is not None and dialog.report.changes == []
    dialog.reject()


def test_a_return_s_sign_off_text_shows_as_typed_not_as_markup(qtbot, window, tmp_path):
    import openpyxl

    sent = tmp_path / "sent.xlsx"
    window.export_excel(sent)
    wb = openpyxl.load_workbook(sent)
    _sign(wb, comments="x" * 4000, signatory="<h1>All partners have signed</h1>")
    wb.save(tmp_path / "markup.xlsx")
    dialog = window.import_return(tmp_path / "markup.xlsx")
    text = dialog.sign_offs.text()
    assert "&lt;h1&gt;All partners" in text and "<h1>" not in text
    assert "x" * 300 not in text and "\u2026" in text  # a long comment is cut short on screen
    assert dialog.report.sign_offs[0].comments == "x" * 4000  # and recorded whole
    dialog.reject()


def test_a_drop_is_taken_as_a_copy_never_a_move(qtbot, make_window, plan_path):
    w = make_window()
    # A file manager proposing a move (as some do for a drag within one disk).
    event = _drop(plan_path, Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)
    w.dropEvent(event)
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction
    qtbot.waitUntil(lambda: w.doc is not None)
    assert plan_path.exists()


def test_after_close_the_findings_dock_counts_nothing(qtbot, window):
    assert window.findings_dock.windowTitle().startswith("Findings (")
    window.close_plan()
    assert window.findings_dock.windowTitle() == "Findings"


def test_the_log_folder_names_the_app_once(qapp):
    from ui.logs import log_file

    names = qapp.organizationName(), qapp.applicationName()
    qapp.setOrganizationName("Pool Planner")  # as the app names itself (ui.app.run_gui)
    qapp.setApplicationName("Pool Planner")
    try:
        assert log_file().parts.count("Pool Planner") == 1
    finally:
        qapp.setOrganizationName(names[0])
        qapp.setApplicationName(names[1])


@pytest.mark.parametrize("sample", ["greater-manchester", "essex", "tri-borough", "cheshire-west"])
def test_on_a_1280x720_screen_every_lane_is_in_sight(qtbot, tmp_path, sample):
    import shutil
    from pathlib import Path

    from PySide6.QtCore import QRect, QSettings

    from ui.main_window import MainWindow

    path = tmp_path / f"{sample}.poolplan"
    shutil.copy(Path(__file__).parent.parent / "sample_plans" / f"{sample}.poolplan", path)
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.fit_to(QRect(0, 0, 1280, 720 - 32))  # a laptop screen, less its panel
    w.show()
    assert w.open_path(path)
    qtbot.waitExposed(w)
    view = w.timeline
    lay = view.layout_now()
    lanes_bottom = view.viewport().height() - view.painter.metrics.totals
    for row in lay.rows:
        assert lay.header + row.top + row.height <= lanes_bottom, w.doc.plan.bodies[
            row.body_id
        ].name
    assert not w.editors_dock.isVisible()
    # A click on a bar is to edit it: the editors open.
    w._timeline_clicked(lay.rows[0].body_id, w.doc.plan.first_year)
    assert w.editors_dock.isVisible()


def test_findings_show_one_money_format_and_their_explanation_on_selection(qtbot, window):
    import re

    from planner import money

    model, panel = window.findings_model, window.findings_panel
    for r in range(model.rowCount()):
        pence, text = model.finding(r).amount_pence, model.index(r, 4).data()
        form = r"£[\d,]+\.\dm" if pence >= 1_000_000_00 else r"£\d{1,3}(,\d{3})?"
        assert re.fullmatch(form, text), text
        assert money.format(pence) in model.index(r, 4).data(Qt.ItemDataRole.ToolTipRole)
    panel.view.selectRow(0)
    first = model.finding(0)
    assert first.message.split(".")[0] in panel.detail.text().replace("&#x27;", "'")
    lines = panel.detail.height() // panel.detail.fontMetrics().height()
    assert lines >= 6  # the explanation is in sight without dragging the splitter


def test_leaving_presentation_mode_gives_the_findings_their_one_line_rows_back(qtbot, window):
    view = window.findings_panel.view
    before = view.rowHeight(0)
    window.set_presentation(True)
    assert view.rowHeight(0) > before
    window.set_presentation(False)
    assert view.rowHeight(0) == before


def test_a_cell_s_certainty_reads_without_colour_and_a_part_over_its_settlement_is_split(
    qtbot, tmp_path, make_window
):
    import shutil
    from pathlib import Path

    from PySide6.QtGui import QImage

    from planner.model import Certainty
    from ui.models.base import CERTAINTY_ROLE

    path = tmp_path / "essex.poolplan"
    shutil.copy(Path(__file__).parent.parent / "sample_plans" / "essex.poolplan", path)
    w = make_window()
    assert w.open_path(path)
    model, view = w.editors.contributions, w.editors.contributions_view
    plan = w.doc.plan
    county = plan.body_named("Essex County Council").id
    phase1 = next(s for s in plan.settlements_of(county) if "phase 1" in s.name)
    row = model.rows.index(("stream", county, phase1.id))
    cells = {y: model.index(row, 2 + list(plan.year_range).index(y)) for y in (2013, 2014)}
    assert cells[2013].data(CERTAINTY_ROLE) == (Certainty.CONFIRMED, 0.0)
    certainty, beyond = cells[2014].data(CERTAINTY_ROLE)
    assert certainty is Certainty.CONFIRMED and beyond == pytest.approx(0.3 / 2.4)

    def grey(index):
        view.scrollTo(index)
        rect = view.visualRect(index)
        image = view.viewport().grab(rect).toImage()
        return image.convertToFormat(QImage.Format.Format_Grayscale8)

    wholly, partly = grey(cells[2013]), grey(cells[2014])
    # Left strips alike (both confirmed); the right ends differ, in grey alone.
    x = wholly.width() - 3
    right = [(wholly.pixel(x, y), partly.pixel(x, y)) for y in range(2, wholly.height() - 2)]
    assert any(a != b for a, b in right)
    strip = [wholly.pixel(2, y) == partly.pixel(2, y) for y in range(2, wholly.height() - 2)]
    assert all(strip)


def test_save_as_writes_the_plan_elsewhere_and_edits_it_there(qtbot, window, plan_path):
    from planner import jsonio

    window.editors.contributions.setData(police_cell(window, 2014), "6,500,000")
    before = plan_path.read_bytes()
    target = plan_path.with_name("renamed.poolplan")
    assert window.save_as(target)
    assert window.doc.file.path == target and not window.doc.read_only
    assert plan_path.read_bytes() == before  # the file it came from is as it was
    window.editors.contributions.setData(police_cell(window, 2015), "7,000,000")
    with (
        PlanFile.open(plan_path, read_only=True) as old,
        PlanFile.open(target, read_only=True) as new,
    ):
        assert jsonio.dumps(old.plan) != jsonio.dumps(new.plan)
        assert len(new.history()) == len(old.history()) + 1


def test_the_first_visit_to_gain_share_shows_a_busy_cursor(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QApplication

    seen = []
    real = QApplication.setOverrideCursor
    monkeypatch.setattr(
        QApplication, "setOverrideCursor", staticmethod(lambda c: (seen.append(c), real(c)))
    )
    window.editors.show_gain_share()
    assert seen and QApplication.overrideCursor() is None  # shown, and taken away again


@pytest.mark.parametrize("sample", ["greater-manchester", "essex"])
def test_every_renewal_cliff_is_marked_at_the_boundary_its_finding_names(
    qtbot, tmp_path, make_window, sample
):
    import shutil
    from pathlib import Path

    from planner.findings import Code
    from ui import style

    path = tmp_path / f"{sample}.poolplan"
    shutil.copy(Path(__file__).parent.parent / "sample_plans" / f"{sample}.poolplan", path)
    w = make_window()
    assert w.open_path(path)
    cliffs = [f for f in w.doc.findings if f.code is Code.RENEWAL_CLIFF]
    assert cliffs  # both samples have one
    view = w.timeline
    marks = dict(view.painter.cliffs())
    image = view.viewport().grab().toImage()
    lay = view.layout_now()
    for f in cliffs:
        (year,) = f.years
        assert (
            f"{round(100 * f.amount_pence / w.doc.figures.years[year].contributions.total)}%"
            in marks[year]
        )
        assert (
            f"{marks[year].split()[1]} of the pool" in f.title
        )  # the tag says what the finding says
        x = round(lay.x_of(year + 1) - view.horizontalScrollBar().value())
        column = {
            image.pixelColor(dx, y).name()
            for dx in (x - 1, x, x + 1)
            for y in range(int(lay.header), int(lay.header + lay.lanes_height))
        }
        assert style.CLIFF.name() in column, (year, sorted(column)[:5])
    # The short settlement cycles, each tagged at its body's horizon.
    cycles = [f for f in w.doc.findings if f.code is Code.SHORT_SETTLEMENT_CYCLE]
    assert view.painter.short_cycles() == {f.body_id: f.cycle for f in cycles}


def test_a_name_cut_short_in_a_table_shows_whole_in_its_tooltip(qtbot, window):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    view = window.editors.contributions_view
    cell = police_cell(window, 2014).siblingAtColumn(0)  # the body's name
    view.setColumnWidth(0, 80)
    assert cell.data() == POLICE and cell.data(Qt.ItemDataRole.ToolTipRole) is None
    rect = view.visualRect(cell)
    event = QHelpEvent(
        QEvent.Type.ToolTip, rect.center(), view.viewport().mapToGlobal(rect.center())
    )
    QToolTip.hideText()
    assert view.viewportEvent(event)
    assert QToolTip.text() == POLICE


@pytest.mark.parametrize("answer", [True, False])
def test_adding_a_settlement_year_offers_to_move_the_unsettled_money_onto_it(
    qtbot, tmp_path, make_window, monkeypatch, answer
):
    import shutil
    from pathlib import Path

    from planner import jsonio

    path = tmp_path / "essex.poolplan"
    shutil.copy(Path(__file__).parent.parent / "sample_plans" / "essex.poolplan", path)
    w = make_window()
    assert w.open_path(path)
    plan, f = w.doc.plan, w.doc.file
    county = plan.body_named("Essex County Council").id
    lgf = next(s for s in plan.settlements_of(county) if s.name.startswith("Local government"))
    loose = f.find_contribution(county, 2015, None).amount_pence
    asked = []
    monkeypatch.setattr(w, "confirm", lambda title, text: asked.append(text) or answer)
    before = jsonio.dumps(plan)
    model = w.editors.settlements
    cell = model.index(
        model.rows.index(lgf.id), len(model.fixed) + list(plan.year_range).index(2015)
    )
    assert model.setData(cell, "confirmed 32m")
    assert asked and "No settlement" in asked[0] and "2015-16" in asked[0]
    assert lgf.years[2015].amount_pence == 32_000_000_00
    if answer:
        assert f.find_contribution(county, 2015, None) is None
        assert f.find_contribution(county, 2015, lgf.id).amount_pence == loose
    else:
        assert f.find_contribution(county, 2015, None).amount_pence == loose
    w.undo_action.trigger()  # one step takes back the year and the move together
    assert jsonio.dumps(w.doc.plan) == before


def test_every_finding_says_what_its_amount_is(qtbot, window):
    from planner.findings import AMOUNT_MEANS, Code

    assert set(AMOUNT_MEANS) == set(Code)
    panel = window.findings_panel
    panel.view.selectRow(0)
    shown = panel.detail.text().replace("&#x27;", "'")
    assert window.findings_model.finding(0).amount_means in shown


def test_sign_off_settings_are_one_undoable_edit_and_a_refusal_keeps_the_dialog(qtbot, window):
    """File > Sign-off Settings: the return-to contact and date, and the wording each body
    approves, saved as one edit that undo gives back exactly; a wording naming a figure there
    is not is refused in the dialog, which keeps what was typed."""
    import datetime as dt

    from planner.signoff import DEFAULT_WORDING
    from ui.sign_off_settings import SignOffSettings

    plan = window.doc.plan
    assert window.sign_off_settings_action.isEnabled()
    dialog = SignOffSettings(window.doc, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.wording.toPlainText() == DEFAULT_WORDING and not dialog.has_date.isChecked()
    dialog.return_to.setText("Jo Bloggs, GMCA finance, jo@example.gov.uk")
    dialog.has_date.setChecked(True)
    dialog.return_by.setDate(dialog.return_by.date().fromString("31/03/2014", "dd/MM/yyyy"))
    dialog.wording.setPlainText("{body} approves {amount}.")
    dialog.save()
    assert dialog.problem.isVisible() and "{amount}" in dialog.problem.text()
    assert dialog.wording.toPlainText() == "{body} approves {amount}."  # nothing lost
    assert plan.return_to == "" and plan.sign_off_wording == ""  # nothing half-applied
    dialog.wording.setPlainText("{body} approves {total} ({by_certainty}).")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert plan.return_to == "Jo Bloggs, GMCA finance, jo@example.gov.uk"
    assert plan.return_by == dt.date(2014, 3, 31)
    assert plan.sign_off_wording == "{body} approves {total} ({by_certainty})."
    window.undo_action.trigger()
    assert (plan.return_to, plan.return_by, plan.sign_off_wording) == ("", None, "")


def test_a_return_signing_for_several_bodies_asks_to_confirm_each(qtbot, window, tmp_path):
    """One workbook carries every body, so one return can sign for all of them: the review
    lists a tick for each, none ticked, and records only the ticked ones."""
    import datetime as dt

    import openpyxl

    sent = tmp_path / "sent.xlsx"
    assert window.export_excel(sent)
    wb = openpyxl.load_workbook(sent)
    ws = wb["Sign-off"]
    for r in range(5, 9):  # four bodies' decisions in one return
        ws[f"C{r}"], ws[f"E{r}"] = "A. Signer", "Approved"
        ws[f"F{r}"] = dt.datetime.combine(dt.date.today(), dt.time())
    wb.save(tmp_path / "four.xlsx")
    dialog = window.import_return(tmp_path / "four.xlsx")
    assert len(dialog.confirm) == 4 and not any(b.isChecked() for b in dialog.confirm.values())
    second = list(dialog.confirm)[1]
    dialog.confirm[second].setChecked(True)
    dialog.accept()
    assert set(window.doc.file.sign_offs()) == {second}
