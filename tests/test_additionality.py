"""The Green Book's additionality adjustments per benefit line (deadweight, displacement,
leakage, substitution, then optimism bias), worked by hand to the penny: stored, dumped,
undone, shown step by step, and recomputed by LibreOffice in the workbook to the app's net."""

import os
from decimal import Decimal

import openpyxl
import pytest
from builders import POUND, appraisal_example
from libreoffice import convert, soffice

from planner import jsonio
from planner.benefits import adjustment_steps, appraise, net_benefit
from planner.errors import EditError, PlanFormatError
from planner.excel.export import export_workbook
from planner.excel.fingerprint import fingerprint
from planner.model import BenefitLine
from planner.store import PlanFile


def line(**shares) -> BenefitLine:
    return BenefitLine(1, 1, 1, True, shares.pop("bias", 0), "", {}, **shares)


def test_a_benefit_line_through_every_adjustment_by_hand():
    # £100,000 gross: 20% deadweight, 10% displacement, 5% leakage, 2.5% substitution, then
    # 15% optimism bias. 100,000 x 0.8 x 0.9 x 0.95 x 0.975 x 0.85 = £56,686.50 exactly.
    full = line(deadweight_bp=2000, displacement_bp=1000, leakage_bp=500, substitution_bp=250,
                bias=1500)  # fmt: skip
    assert net_benefit(100_000 * POUND, full) == 5_668_650
    assert [(what, float(left)) for what, _bp, left in adjustment_steps(100_000 * POUND, full)] == [
        ("deadweight", 8_000_000.0),
        ("displacement", 7_200_000.0),
        ("leakage", 6_840_000.0),
        ("substitution", 6_669_000.0),
        ("optimism bias", 5_668_650.0),
    ]


def test_the_net_is_rounded_once_half_away_from_zero():
    half = line(deadweight_bp=5000)
    assert [net_benefit(p, half) for p in (1, 3, -3, 0)] == [1, 2, -2, 0]
    # Rounded once: 1p less 10% three times is 0.729p, so 1p; step by step it would be 0.
    thrice = line(deadweight_bp=1000, displacement_bp=1000, leakage_bp=1000)
    assert net_benefit(1, thrice) == 1
    # No adjustments: as optimism bias alone always was.
    assert net_benefit(12_345, line(bias=2000)) == 9_876


def test_adjustments_are_stored_undone_and_part_of_the_fingerprint(tmp_path):
    with PlanFile.create(tmp_path / "a.poolplan", appraisal_example()) as pf:
        signed = fingerprint(pf.plan)
        before = jsonio.dumps(pf.plan)
        assert jsonio.to_dict(pf.plan)["format_version"] == 2  # nothing of format 4 used
        pf.update_benefit(1, deadweight_bp=2500, leakage_bp=1000)
        edit = pf.last_edit
        b = appraise(pf.plan).bodies[3]
        # 100,000 x 0.75 x 0.9 x 0.8 = 54,000 in 2026-27; 150,000 x ... = 81,000 in 2027-28.
        assert b.adjusted[2026] == 54_000 * POUND and b.adjusted[2027] == 81_000 * POUND
        assert fingerprint(pf.plan) != signed
        data = jsonio.to_dict(pf.plan)
        assert data["format_version"] == 4
        assert data["benefits"][0]["adjustments"] == {
            "deadweight_bp": 2500, "displacement_bp": 0, "leakage_bp": 1000,
            "substitution_bp": 0}  # fmt: skip
        assert jsonio.dumps(jsonio.loads(jsonio.dumps(pf.plan))) == jsonio.dumps(pf.plan)
        pf.undo(edit)
        assert jsonio.dumps(pf.plan) == before and fingerprint(pf.plan) == signed
        line_id = pf.add_benefit(1, 2, substitution_bp=300).id
        assert pf.plan.benefits[line_id].substitution_bp == 300


@pytest.mark.parametrize(
    "fields, phrase",
    [
        ({"deadweight_bp": 10_001}, "Deadweight is a percentage between 0% and 100%"),
        ({"leakage_bp": -1}, "Leakage is a percentage"),
        ({"leakage_bp": 1.5}, "whole number"),
        ({"spillover_bp": 5}, "no field called 'spillover_bp'"),
    ],
)
def test_an_adjustment_outside_its_range_is_refused(tmp_path, fields, phrase):
    with PlanFile.create(tmp_path / "a.poolplan", appraisal_example()) as pf:
        before = jsonio.dumps(pf.plan)
        with pytest.raises(EditError, match=phrase):
            pf.update_benefit(1, **fields)
        assert jsonio.dumps(pf.plan) == before


def test_a_hand_edited_adjustment_is_refused_naming_the_field():
    data = jsonio.to_dict(appraisal_example())
    data["benefits"][0]["adjustments"] = {"deadweight_bp": 20_000}
    with pytest.raises(PlanFormatError, match=r"benefits\[0\].adjustments.deadweight_bp"):
        jsonio.from_dict(data)
    data["benefits"][0]["adjustments"] = {"deadwieght_bp": 1}
    with pytest.raises(PlanFormatError, match="not a known field"):
        jsonio.from_dict(data)


def test_the_workbook_takes_the_adjustments_off_as_the_app_does(tmp_path):
    plan = appraisal_example()
    plan.benefits[1].deadweight_bp, plan.benefits[1].displacement_bp = 2500, 1000
    plan.benefits[3].leakage_bp, plan.benefits[3].substitution_bp = 333, 77  # odd pennies
    out = tmp_path / "adjusted.xlsx"
    export_workbook(plan, out)
    app = appraise(plan)
    expected = {b: sum(bb.adjusted.values()) for b, bb in app.bodies.items()}

    def net_by_body(wb) -> dict[int, int]:
        ws = wb["Benefits"]
        rows = list(ws.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith(
            "Benefit lines (net"))  # fmt: skip
        out: dict[int, int] = {}
        for r in rows[start + 1 :]:
            if r[2] is None:
                break
            out[int(r[2])] = out.get(int(r[2]), 0) + sum(
                int(Decimal(str(v)) * 100) for v in r[5:8] if isinstance(v, (int, float))
            )
        return out

    stored = net_by_body(openpyxl.load_workbook(out, data_only=True))
    assert stored == {b: p for b, p in expected.items() if p}
    if soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it and runs these)")
    recomputed = openpyxl.load_workbook(convert(out, tmp_path), data_only=True)
    assert net_by_body(recomputed) == stored


def test_deadweight_is_typed_in_the_benefit_lines_grid_and_shown_gross_to_net(qtbot, window):
    tabs = window.editors.appraisal
    model = tabs.benefit_lines
    column = [f for f, _ in model.fixed].index("deadweight")
    index = model.index(0, column)
    line_id = model.benefit_id(0)
    before = jsonio.dumps(window.doc.plan)
    assert model.setData(index, "25%")
    assert window.doc.plan.benefits[line_id].deadweight_bp == 2500
    assert index.data() == "25%"
    year_col = next(c for c in range(model.columnCount()) if model.year_of(c) in
                    window.doc.plan.benefits[line_id].years)  # fmt: skip
    from PySide6.QtCore import Qt

    tip = model.index(0, year_col).data(Qt.ItemDataRole.ToolTipRole)
    assert "less 25% deadweight" in tip and tip.splitlines()[-1].startswith("Net £")
    assert not model.setData(index, "lots")
    window.undo_action.trigger()
    assert jsonio.dumps(window.doc.plan) == before
