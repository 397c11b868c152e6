"""The Monitoring and Risk share tabs on the real main window, over the Anyshire Better Care
Fund sample: actuals typed into the grid, refunds asked about, undo giving back exactly what
was there, a what-if that moves the split and records nothing, and the timeline's outturn."""

import shutil

import pytest
from gm_window import SAMPLES
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_gui import type_into_cell

from planner import jsonio
from planner.store import PlanFile
from ui.models.monitoring import FIELDS

YEAR = 2025


@pytest.fixture
def bcf_path(tmp_path):
    path = tmp_path / "bcf.poolplan"
    shutil.copy(SAMPLES / "anyshire-bcf.poolplan", path)
    return path


@pytest.fixture
def bcf(make_window, bcf_path):
    w = make_window()
    assert w.open_path(bcf_path)
    w.editors.show_monitoring()
    return w


def cell(window, scheme_name, field):
    tab = window.editors.monitoring[0]
    plan = window.doc.plan
    sid = next(i for i, s in plan.schemes.items() if s.name == scheme_name)
    return tab.model.index(tab.model.rows.index(sid), FIELDS.index(field))


def total(window, field):
    tab = window.editors.monitoring[0]
    return tab.model.index(len(tab.model.rows) - 1, FIELDS.index(field)).data()


def test_an_actual_typed_into_a_reported_quarter_moves_the_outturn_and_undo_gives_it_back(
    qtbot, bcf, bcf_path
):
    tab = bcf.editors.monitoring[0]
    before = jsonio.dumps(bcf.doc.plan)
    assert cell(bcf, "Carers' support", "q2").data() == "not reported"
    # The unreported quarter is forecast by the profile (£550,000), not counted as nothing.
    assert total(bcf, "outturn") == "£52,280,000"
    assert "projected-overspend" in {f.code.value for f in bcf.doc.findings}
    missing = [f for f in bcf.doc.findings if f.code.value == "missing-actuals"]
    assert missing

    type_into_cell(qtbot, tab.view, cell(bcf, "Carers' support", "q2"), "560,000")

    assert cell(bcf, "Carers' support", "q2").data() == "£560,000"
    # £550k + £560k reported, and the profile's £550k for each quarter left.
    assert cell(bcf, "Carers' support", "outturn").data() == "£2,210,000"
    assert total(bcf, "outturn") == "£52,290,000"
    assert not [f for f in bcf.doc.findings if f.code.value == "missing-actuals"]
    assert "£52,290,000" in tab.summary.text()
    assert bcf.undo_action.text().startswith("&Undo Enter Carers' support Q2 2025-26 actual")

    bcf.undo_action.trigger()
    assert jsonio.dumps(bcf.doc.plan) == before
    assert cell(bcf, "Carers' support", "q2").data() == "not reported"
    bcf.redo_action.trigger()
    bcf.close()
    with PlanFile.open(bcf_path, read_only=True) as pf:
        carers = next(s for s in pf.plan.schemes.values() if s.name == "Carers' support")
        assert carers.monitored[YEAR].actuals[2].amount_pence == 560_000_00


def test_a_quarter_still_to_come_shows_its_forecast_and_takes_no_typing(bcf):
    q3 = cell(bcf, "Residential and nursing placements", "q3")
    assert q3.data() == "£4,200,000"  # the run rate: £8.4m over two quarters
    assert not (q3.flags() & Qt.ItemFlag.ItemIsEditable)
    assert q3.data(Qt.ItemDataRole.FontRole).italic()


def test_a_negative_actual_is_recorded_only_as_a_refund_when_the_user_says_so(qtbot, bcf):
    tab = bcf.editors.monitoring[0]
    before = jsonio.dumps(bcf.doc.plan)
    type_into_cell(qtbot, tab.view, cell(bcf, "Community equipment", "q2"), "-20,000")
    assert jsonio.dumps(bcf.doc.plan) == before  # the window's question answered No
    assert any("refund" in text for text in bcf.asked)
    bcf.editors.confirm_refund = lambda text: True
    type_into_cell(qtbot, tab.view, cell(bcf, "Community equipment", "q2"), "-20,000")
    assert cell(bcf, "Community equipment", "q2").data() == "(£20,000) refund"
    equipment = next(s for s in bcf.doc.plan.schemes.values() if s.name == "Community equipment")
    actual = equipment.monitored[YEAR].actuals[2]
    assert (actual.amount_pence, actual.refund) == (-20_000_00, True)


def test_a_fixed_line_made_shared_in_the_grid_changes_the_agreement_and_the_split(qtbot, bcf):
    plan = bcf.doc.plan
    dfg = next(i for i, s in plan.schemes.items() if s.name.startswith("Disabled"))
    assert dfg not in plan.risk_share.shared
    signed = bcf.doc.fingerprint
    assert bcf.editors.monitoring[0].model.setData(
        cell(bcf, "Disabled Facilities Grant adaptations", "line"), True
    )
    assert dfg in plan.risk_share.shared
    assert bcf.doc.fingerprint != signed  # the agreement is what partners sign
    statement = bcf.editors.monitoring[1].model
    assert not any("fixed line" in str(r[2].why) for r in statement.rows if r[0] == "step"
                   and r[1] == plan.host_id)  # fmt: skip
    bcf.undo_action.trigger()
    assert dfg not in plan.risk_share.shared and bcf.doc.fingerprint == signed


def test_what_if_moves_the_statement_live_and_records_nothing(qtbot, bcf):
    bcf.editors.setCurrentWidget(bcf.editors._monitoring_pages[2])
    risk = bcf.editors.monitoring[1]
    before = jsonio.dumps(bcf.doc.plan)
    history = len(bcf.doc.file.history())

    def borne(name):
        body = bcf.doc.plan.body_named(name).id
        return next(r[2] for r in risk.model.rows if r[0] == "total" and r[1] == body)

    assert borne("NHS Anyshire Integrated Care Board") == 600_000_00  # at its cap
    risk.amount.setText("600,000")
    risk._typed()
    # £600k over: the reserve's £500k, the equipment's uncommitted £100k of £200k; no partner.
    assert not any(r[1] == bcf.doc.plan.body_named("NHS Anyshire Integrated Care Board").id
                   for r in risk.model.rows)  # fmt: skip
    risk.slider.setValue(-10)
    assert risk.scenario() < 0 and "under" in risk.scenario_words.text()
    risk.what_if.setChecked(False)
    assert borne("NHS Anyshire Integrated Care Board") == 600_000_00
    assert jsonio.dumps(bcf.doc.plan) == before
    assert len(bcf.doc.file.history()) == history


def test_the_monitoring_settings_refuse_an_as_at_date_before_a_reported_quarter(qtbot, bcf):
    from PySide6.QtCore import QDate

    from ui.monitoring_panel import MonitoringSettings

    dialog = MonitoringSettings(bcf.doc, bcf)
    dialog.show()
    dialog.as_at.setDate(QDate(2025, 8, 1))  # Q2 has actuals: it must have ended
    before = jsonio.dumps(bcf.doc.plan)
    dialog.save()
    assert dialog.problem.isVisible() and "would not have ended" in dialog.problem.text()
    assert jsonio.dumps(bcf.doc.plan) == before
    dialog.as_at.setDate(QDate(2025, 10, 15))
    dialog.save()
    assert bcf.doc.plan.monitoring.as_at.isoformat() == "2025-10-15"
    bcf.undo_action.trigger()
    assert jsonio.dumps(bcf.doc.plan) == before


def test_the_timeline_shows_the_year_monitored_and_its_outturn(qtbot, bcf):
    painter = bcf.timeline.painter
    QApplication.processEvents()
    painter.layout(1200)
    assert painter.metrics.totals_lines == 4
    words = bcf.timeline.accessibleDescription()
    assert words == (
        "2025-26 monitored as at 30/09/2025: forecast outturn £52.3m against a pool of £50.0m, "
        "£2.3m over"
    )
    bcf.doc.perform(lambda f: f.set_monitoring(year=None))
    painter.layout(1200)
    assert painter.metrics.totals_lines == 3 and bcf.timeline.accessibleDescription() == ""


def test_a_quarterly_return_goes_out_and_comes_back_through_the_window(qtbot, bcf, tmp_path):
    import openpyxl

    out = tmp_path / "q2.xlsx"
    assert bcf.export_quarter(out, YEAR, 2)
    wb = openpyxl.load_workbook(out)
    ws = wb["Expenditure"]
    row = next(r for r in range(5, 15) if ws.cell(r, 1).value == "Carers' support")
    ws.cell(row, 6).value = 560_000
    wb.save(tmp_path / "back.xlsx")
    before = jsonio.dumps(bcf.doc.plan)
    assert not bcf.import_quarter(tmp_path / "back.xlsx")  # the window's question: No
    assert "Carers' support, Q2: not reported" in bcf.asked[-1]
    assert jsonio.dumps(bcf.doc.plan) == before
    bcf.confirm = lambda title, text: True
    assert bcf.import_quarter(tmp_path / "back.xlsx")
    assert cell(bcf, "Carers' support", "q2").data() == "£560,000"  # the view follows
    assert bcf.undo_action.text().startswith("&Undo Import the 2025-26 Q2 return")
    bcf.undo_action.trigger()
    assert jsonio.dumps(bcf.doc.plan) == before
    wb["Expenditure"]["D5"] = 1  # a grey cell
    wb.save(tmp_path / "tampered.xlsx")
    messages = []
    bcf.show_message = lambda title, text, *a: messages.append(text)
    assert not bcf.import_quarter(tmp_path / "tampered.xlsx")
    assert "Expenditure!D5" in messages[-1] and jsonio.dumps(bcf.doc.plan) == before


def test_money_received_is_typed_by_quarter_and_the_shortfall_follows(qtbot, bcf):
    tab = bcf.editors.monitoring[2]
    model = tab.model
    icb = bcf.doc.plan.body_named("NHS Anyshire Integrated Care Board").id
    row = model.rows.index(icb)
    unpaid = model.index(row, 8)
    assert unpaid.data() == "£500,000"  # the additional contribution's Q2 instalment
    assert any(f.code.value == "unpaid-contribution" for f in bcf.doc.findings)
    before = jsonio.dumps(bcf.doc.plan)
    type_into_cell(qtbot, tab.view, model.index(row, 3), "7,250,000")
    assert model.index(row, 8).data() == "£0"  # nothing short now
    assert not any(f.code.value == "unpaid-contribution" for f in bcf.doc.findings)
    bcf.undo_action.trigger()
    assert jsonio.dumps(bcf.doc.plan) == before and model.index(row, 8).data() == "£500,000"
