"""The Green Book's optimism-bias uplift on costs, worked by hand in pence: a project type's
upper bound less the share mitigated, or a percentage typed in, on each cost line and year,
exact and rounded once; stored, undone, read from JSON and refused in words when it breaks a
rule; the same in the workbook as LibreOffice recomputes it; and the cost-uplift sweep reading
each line's own bound, as the greenbook R package's gb_sensitivity_ob sweeps its one bound."""

import json
import os
import sqlite3
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from builders import POUND, appraisal_example
from libreoffice import convert, soffice

from planner import jsonio
from planner import sensitivity as S
from planner.benefits import appraise, uplift, uplifted_cost
from planner.errors import EditError, PlanFileError, PlanFormatError
from planner.excel.export import export_workbook
from planner.excel.fingerprint import fingerprint
from planner.model import CostLine
from planner.optimism_bias import project_types
from planner.store import PlanFile


def test_the_published_bounds_are_read_as_the_guidance_gives_them():
    types = project_types()
    assert types["standard_buildings"].capex_upper_bp == 2400
    assert types["equipment_development"].capex_upper_bp == 20_000  # 200%
    assert types["outsourcing"].capex_lower_bp == 0
    assert len(types) == 6


def test_an_uplift_by_hand():
    # Standard buildings, 24%, a quarter mitigated: 18%. £333.33 x 1.18 = £393.3294 -> £393.33.
    line = CostLine(1, 1, 1, {2025: 33_333}, 2400, 2500, "standard_buildings")
    assert uplifted_cost(33_333, line) == 39_333
    # Half a penny rounds away from zero: 25p x 1.1 = 27.5p -> 28p.
    assert uplift(25, 2000, Fraction(1, 2)) == 28
    # Wholly mitigated, or no bound: the cost as it is.
    assert uplifted_cost(33_333, CostLine(1, 1, 1, {}, 2400, 10_000)) == 33_333
    assert uplifted_cost(33_333, CostLine(1, 1, 1, {})) == 33_333


def test_the_appraisal_counts_the_uplifted_costs():
    plan = appraisal_example()
    before = appraise(plan)
    # The council's £100,000 (2025-26) and £50,000 (2026-27): equipment and development,
    # 200% upper bound, half mitigated: a 100% uplift, so £200,000 and £100,000.
    plan.costs[1].uplift_bp, plan.costs[1].mitigation_bp = 20_000, 5_000
    after = appraise(plan)
    council = after.bodies[1]
    assert council.costs == {2025: 200_000 * POUND, 2026: 100_000 * POUND, 2027: 0}
    # PV of the council's costs: £200,000 + £100,000 / 1.035 = £296,618.36 (to the penny).
    assert council.pv_costs == 29_661_836
    assert after.npv == before.npv - (29_661_836 - before.bodies[1].pv_costs)


@pytest.fixture
def pf(tmp_path):
    f = PlanFile.create(tmp_path / "uplift.poolplan", appraisal_example())
    yield f
    f.close()


def test_a_project_type_copies_its_bound_and_a_typed_percentage_is_no_types(pf):
    before, print_before = jsonio.dumps(pf.plan), fingerprint(pf.plan)
    pf.set_cost_uplift(1, 1, project_type="non_standard_buildings", mitigation_bp=2_000)
    first = pf.last_edit
    line = pf.plan.costs[1]
    assert (line.uplift_bp, line.mitigation_bp, line.project_type) == (
        5_100,
        2_000,
        "non_standard_buildings",
    )
    assert pf.history()[-1].what.startswith("Change the optimism-bias uplift on Anytown Council")
    assert fingerprint(pf.plan) != print_before  # the uplift is part of the plan
    pf.set_cost_uplift(1, 1, uplift_bp=3_000)
    second = pf.last_edit
    assert (line.uplift_bp, line.mitigation_bp, line.project_type) == (3_000, 2_000, "")
    with PlanFile.open(pf.path, read_only=True) as again:
        assert again.plan == pf.plan
    data = json.loads(jsonio.dumps(pf.plan))
    assert data["format_version"] == 6
    assert data["costs"][0]["uplift"] == {
        "uplift_bp": 3_000,
        "mitigation_bp": 2_000,
        "project_type": "",
    }
    assert jsonio.loads(jsonio.dumps(pf.plan)) == pf.plan
    pf.undo(second)
    pf.undo(first)
    assert jsonio.dumps(pf.plan) == before


@pytest.mark.parametrize(
    "fields, phrase",
    [
        ({"project_type": "castles"}, "must be one of"),
        ({"uplift_bp": 100_001}, "between 0% and 1000%"),
        ({"mitigation_bp": -1}, "between 0% and 100%"),
        ({"uplift_bp": "lots"}, "whole number"),
    ],
)
def test_an_uplift_that_breaks_a_rule_is_refused_and_nothing_changes(pf, fields, phrase):
    before = jsonio.dumps(pf.plan)
    with pytest.raises(EditError, match=phrase):
        pf.set_cost_uplift(1, 1, **fields)
    assert jsonio.dumps(pf.plan) == before


def test_an_uplift_needs_a_cost_line(pf):
    with pytest.raises(EditError, match="Enter the costs first"):
        pf.set_cost_uplift(1, 3, uplift_bp=1_000)


def test_plan_json_with_an_unknown_project_type_is_refused_in_words():
    data = json.loads(jsonio.dumps(appraisal_example()))
    data["format_version"] = 6
    data["costs"][0]["uplift"] = {"uplift_bp": 100, "mitigation_bp": 0, "project_type": "moat"}
    with pytest.raises(PlanFormatError, match="is not one of"):
        jsonio.loads(json.dumps(data))


def test_a_received_file_with_an_unknown_project_type_is_refused_on_opening(tmp_path):
    path = tmp_path / "received.poolplan"
    PlanFile.create(path, appraisal_example()).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE cost_line SET project_type = 'moat' WHERE id = 1")
    conn.commit()
    conn.close()
    with pytest.raises(PlanFileError, match="project type is one of the Green Book's"):
        PlanFile.open(path)


def test_the_cost_uplift_sweep_reads_each_lines_own_bound():
    plan = appraisal_example()
    plan.costs[1].uplift_bp, plan.costs[1].mitigation_bp = 20_000, 5_000
    own = S.uplift_sweep(plan)
    bare = appraisal_example()
    given = S.uplift_sweep(bare, {1: 20_000})
    assert [p.npv for p in own.points] == [p.npv for p in given.points]
    # The line's own mitigation (50%) is the sweep's midpoint.
    assert own.points[2].npv == appraise(plan).npv


def test_the_workbook_uplifts_the_costs_as_the_app_does(tmp_path):
    plan = appraisal_example()
    plan.costs[1].uplift_bp, plan.costs[1].mitigation_bp = 2_400, 2_500  # 18%
    plan.costs[1].years[2026] = 33_333  # £333.33 -> £393.33
    out = tmp_path / "uplift.xlsx"
    export_workbook(plan, out)
    app = appraise(plan)

    def costs_by_body(wb) -> dict[int, int]:
        rows = list(wb["Benefits"].iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows) if r[0] == "Costs by paying body (after "
                     "optimism bias)")  # fmt: skip
        found = {}
        for r in rows[start + 1 :]:
            if r[2] is None:
                break
            found[int(r[2])] = [
                int(Decimal(str(v)) * 100) if isinstance(v, (int, float)) else 0 for v in r[5:8]
            ]
        return found

    expected = {b: [bb.costs[y] for y in app.years] for b, bb in app.bodies.items()}
    assert costs_by_body(openpyxl.load_workbook(out, data_only=True)) == expected
    assert expected[1] == [11_800_000, 39_333, 0]
    if soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it and runs these)")
    recomputed = openpyxl.load_workbook(convert(out, tmp_path), data_only=True)
    assert costs_by_body(recomputed) == expected


def test_the_uplift_is_set_in_the_costs_grid_shown_step_by_step_and_undone(qtbot, window):
    from PySide6.QtCore import Qt

    window.editors.show_gain_share()  # builds the appraisal tabs
    model = window.editors.appraisal.costs
    doc = window.doc
    before, npv = jsonio.dumps(doc.plan), doc.analysis.benefits.npv
    column = {f: k for k, (f, _) in enumerate(model.fixed)}
    row = 0
    line = model._lines[model.rows[row]]
    assert model.setData(model.index(row, column["project_type"]), "standard_buildings")
    assert model.index(row, column["project_type"]).data() == "Standard buildings"
    assert model.index(row, column["uplift"]).data() == "24%"
    assert not model.setData(model.index(row, column["mitigation"]), "lots")
    assert model.setData(model.index(row, column["mitigation"]), "50%")
    assert doc.analysis.benefits.npv < npv  # the costs rose by 12%
    year = next(y for y in sorted(line.years) if line.years[y])
    year_col = next(c for c in range(model.columnCount()) if model.year_of(c) == year)
    tip = model.index(row, year_col).data(Qt.ItemDataRole.ToolTipRole)
    assert "uplift 24% x 50% not mitigated" in tip and "In the appraisal" in tip
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert jsonio.dumps(doc.plan) == before and doc.analysis.benefits.npv == npv


def test_summary_json_gives_each_line_from_entered_to_appraised():
    from planner import report

    plan = appraisal_example()
    plan.costs[1].uplift_bp, plan.costs[1].mitigation_bp = 2_400, 2_500
    plan.benefits[1].deadweight_bp = 1_000
    out = report.summary(plan)["benefits"]
    cost = out["cost_lines"][0]
    assert cost["cost_pence"] == {"2025-26": 10_000_000, "2026-27": 5_000_000}
    assert cost["uplifted_pence"] == {"2025-26": 11_800_000, "2026-27": 5_900_000}
    benefit = out["benefit_lines"][0]
    assert benefit["adjustments_bp"]["deadweight"] == 1_000
    assert benefit["adjustments_bp"]["optimism_bias"] == 2_000
    # £100,000 less 10% deadweight less 20% bias: £72,000.
    assert benefit["net_pence"]["2026-27"] == 7_200_000
    assert (
        sum(sum(c["uplifted_pence"].values()) for c in out["cost_lines"])
        == out["totals"]["costs_pence"]
    )
