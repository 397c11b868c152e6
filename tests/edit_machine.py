"""A Hypothesis state machine over every kind of edit the app offers, with undo and redo at
random, on a copy of a sample plan.

After every step the plan in memory is what a fresh read of the file gives (in the same order),
and the live figures and findings are what a full recompute gives; at the end, undoing
everything gives back the byte-identical dump and the same sign-off records.

``Driver`` makes the edits: ``DocumentDriver`` through the document and its undo stack (the
path every view uses), ``WindowDriver`` through the real main window's tables and Edit menu.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from planner import jsonio
from planner.errors import PlannerError
from planner.excel.returns import FigureChange, ReturnReport, apply_return
from planner.figures import compute
from planner.findings import find
from planner.model import (
    BodyKind,
    Cap,
    CapKind,
    Certainty,
    GainShareRule,
    Method,
    Prices,
    RiskRule,
    SettlementYear,
)
from planner.monitoring import year_report
from planner.signoff import Decision, SignOff
from planner.store import PlanFile
from planner.store.rows import read_plan

SAMPLES = Path(__file__).parent.parent / "sample_plans"

amounts = st.none() | st.integers(0, 5 * 10**10) | st.sampled_from([0, 1, 100, 10**12])
names = st.text(
    st.characters(codec="utf-8", categories=["L", "N", "Zs"]), min_size=1, max_size=10
) | st.sampled_from(["Essex Police", "A", "a"])


def read_fresh(path: Path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return read_plan(conn), conn.execute("SELECT * FROM sign_off ORDER BY 1, 2").fetchall()
    finally:
        conn.close()


class EditMachine(RuleBasedStateMachine):
    """Subclasses set ``make_driver(path) -> driver`` and ``sample``."""

    sample = "essex"
    make_driver = None
    workdir: Path = Path(".")
    counter = 0

    def __init__(self):
        super().__init__()
        EditMachine.counter += 1
        self.path = self.workdir / f"run{EditMachine.counter}.poolplan"
        shutil.copy(SAMPLES / f"{self.sample}.poolplan", self.path)
        self.driver = type(self).make_driver(self.path)
        plan, records = read_fresh(self.path)
        self.original = jsonio.dumps(plan)
        self.original_records = records
        self.done = 0  # edits the stack can undo

    @property
    def doc(self):
        return self.driver.doc

    @property
    def plan(self):
        return self.doc.plan

    def edit(self, action, name=None) -> None:
        before = jsonio.dumps(self.plan)
        try:
            self.driver.perform(action, name)
        except PlannerError:
            # Refused with a reason: nothing changed.
            assert jsonio.dumps(self.plan) == before

    # -- edits --------------------------------------------------------------------------------

    @precondition(lambda self: self.plan.bodies)
    @rule(data=st.data(), amount=amounts)
    def set_cell(self, data, amount):
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        year = data.draw(st.sampled_from(list(self.plan.year_range)))
        streams = [None] + [s.id for s in self.plan.settlements_of(body)]
        sid = data.draw(st.sampled_from(streams))
        self.driver.set_cell(body, year, sid, amount)

    @precondition(lambda self: self.plan.settlements)
    @rule(
        data=st.data(),
        status=st.sampled_from([None, Certainty.CONFIRMED, Certainty.INDICATIVE]),
        amount=amounts,
    )
    def set_settlement_year(self, data, status, amount):
        sid = data.draw(st.sampled_from(sorted(self.plan.settlements)))
        year = data.draw(st.sampled_from(list(self.plan.year_range)))
        entry = None if status is None else SettlementYear(status, amount)
        self.driver.set_settlement_year(sid, year, entry)

    @precondition(lambda self: self.plan.bodies)
    @rule(data=st.data(), name=names)
    def rename_body(self, data, name):
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        self.driver.rename_body(body, name)

    @rule(name=names, kind=st.sampled_from(list(BodyKind)))
    def add_body(self, name, kind):
        self.edit(lambda f: f.add_body(name, kind))

    @precondition(lambda self: self.plan.bodies)
    @rule(data=st.data())
    def delete_body(self, data):
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        self.edit(lambda f: f.delete_body(body))

    @precondition(lambda self: self.plan.bodies)
    @rule(data=st.data(), name=names)
    def add_settlement(self, data, name):
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        self.edit(lambda f: f.add_settlement(body, name))

    @precondition(lambda self: self.plan.settlements)
    @rule(data=st.data())
    def delete_settlement(self, data):
        sid = data.draw(st.sampled_from(sorted(self.plan.settlements)))
        self.edit(lambda f: f.delete_settlement(sid))

    @precondition(lambda self: self.plan.bodies)
    @rule(data=st.data())
    def move_stream(self, data):
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        streams = [None] + [s.id for s in self.plan.settlements_of(body)]
        a, b = data.draw(st.sampled_from(streams)), data.draw(st.sampled_from(streams))
        if a != b:
            self.edit(lambda f: f.move_stream(body, a, b))

    @rule(name=names)
    def add_scheme(self, name):
        self.edit(lambda f: f.add_scheme(name))

    @precondition(lambda self: self.plan.schemes)
    @rule(data=st.data())
    def delete_scheme(self, data):
        scheme = data.draw(st.sampled_from(sorted(self.plan.schemes)))
        self.edit(lambda f: f.delete_scheme(scheme))

    @precondition(lambda self: self.plan.schemes)
    @rule(data=st.data(), amount=amounts)
    def set_spend(self, data, amount):
        scheme = data.draw(st.sampled_from(sorted(self.plan.schemes)))
        year = data.draw(st.sampled_from(list(self.plan.year_range)))
        self.edit(lambda f: f.set_scheme_spend(scheme, year, amount))

    @precondition(lambda self: self.plan.schemes and self.plan.bodies)
    @rule(data=st.data(), amount=amounts)
    def set_cost(self, data, amount):
        scheme = data.draw(st.sampled_from(sorted(self.plan.schemes)))
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        year = data.draw(st.sampled_from(list(self.plan.year_range)))
        self.edit(lambda f: f.set_cost(scheme, body, year, amount))

    @precondition(lambda self: self.plan.schemes and self.plan.bodies)
    @rule(data=st.data(), bias=st.integers(0, 10_000))
    def add_benefit(self, data, bias):
        scheme = data.draw(st.sampled_from(sorted(self.plan.schemes)))
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        self.edit(lambda f: f.add_benefit(scheme, body, optimism_bias_bp=bias))

    @precondition(lambda self: self.plan.benefits)
    @rule(data=st.data(), amount=amounts)
    def set_benefit_year(self, data, amount):
        line = data.draw(st.sampled_from(sorted(self.plan.benefits)))
        year = data.draw(st.sampled_from(list(self.plan.year_range)))
        self.edit(lambda f: f.set_benefit_year(line, year, amount))

    @precondition(lambda self: self.plan.benefits)
    @rule(data=st.data())
    def delete_benefit(self, data):
        line = data.draw(st.sampled_from(sorted(self.plan.benefits)))
        self.edit(lambda f: f.delete_benefit(line))

    @rule(data=st.data(), rule_=st.sampled_from(list(GainShareRule)), share=st.integers(0, 10_000))
    def set_agreement(self, data, rule_, share):
        shares = dict(self.plan.appraisal.gain_share_percent_bp)
        if self.plan.bodies:
            shares[data.draw(st.sampled_from(sorted(self.plan.bodies)))] = share
        self.edit(
            lambda f: f.set_appraisal(gain_share=rule_, gain_share_percent_bp=shares),
            "Change the agreement",
        )

    @rule(
        prices=st.sampled_from(list(Prices)),
        base=st.none() | st.integers(1985, 2030),  # some before the deflator: refused
        inflation=st.integers(-1_100, 2_100),  # and some beyond the limits
    )
    def set_prices(self, prices, base, inflation):
        fields = {"prices": prices}
        if prices is Prices.NOMINAL:
            fields |= {"inflation_bp": inflation} | ({"price_base_year": base} if base else {})
        self.edit(lambda f: f.set_appraisal(**fields), "Change the prices")

    @rule(rate=st.integers(0, 1000), start=st.integers(1, 100))
    def set_bands(self, rate, start):
        self.edit(lambda f: f.set_appraisal(discount_bands=[(0, 350), (start, rate)]))

    @rule(name=names, share=st.integers(1, 10_000))
    def update_plan(self, name, share):
        self.edit(lambda f: f.update_plan(name=name, renewal_cliff_share_bp=share))

    @precondition(lambda self: self.plan.bodies)
    @rule(data=st.data(), amount=amounts, decision=st.sampled_from(list(Decision)))
    def accept_return(self, data, amount, decision):
        """A partner's return: its sign-off with some of its changed figures accepted."""
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        year = data.draw(st.sampled_from(list(self.plan.year_range)))
        streams = [None] + [s.id for s in self.plan.settlements_of(body)]
        sid = data.draw(st.sampled_from(streams))
        changes = [FigureChange("Contributions", "a row", year, None, amount, "C5", body, sid)]
        if self.plan.schemes:
            scheme = data.draw(st.sampled_from(sorted(self.plan.schemes)))
            changes.append(
                FigureChange("Schemes", "a scheme", year, None, amount, "C6", None, None, scheme)
            )
        fp = data.draw(st.sampled_from(["a" * 64, "b" * 64]))
        signed = SignOff(
            body, fp, 1, decision, "A Person", "CFO", dt.date(2025, 3, 1), "", dt.date(2025, 3, 2)
        )
        report = ReturnReport(Path("return.xlsx"), fp, 1, True, changes, [signed])
        accepted = data.draw(st.lists(st.sampled_from(changes), unique_by=id))
        self.edit(lambda f: apply_return(f, report, accepted))

    # -- the year after sign-off ------------------------------------------------------------

    @rule(data=st.data(), month=st.integers(0, 13))
    def set_monitoring(self, data, month):
        year = data.draw(st.sampled_from([None, *self.plan.year_range]))
        first = self.plan.first_year
        as_at = dt.date(first + month // 12, month % 12 + 1, 28) if month < 13 else None
        self.edit(lambda f: f.set_monitoring(year=year, as_at=as_at))

    @precondition(lambda self: self.plan.schemes)
    @rule(data=st.data(), quarter=st.integers(1, 4), amount=st.integers(-(10**6), 10**9))
    def set_actual(self, data, quarter, amount):
        scheme = data.draw(st.sampled_from(sorted(self.plan.schemes)))
        year = data.draw(st.sampled_from(list(self.plan.year_range)[:2]))
        pence = data.draw(st.sampled_from([None, amount]))
        refund = pence is not None and pence < 0
        self.edit(lambda f: f.set_actual(scheme, year, quarter, pence, refund=refund))

    @precondition(lambda self: self.plan.schemes)
    @rule(data=st.data(), method=st.sampled_from(list(Method)), text=st.sampled_from(["", "why"]))
    def update_scheme_year(self, data, method, text):
        scheme = data.draw(st.sampled_from(sorted(self.plan.schemes)))
        year = data.draw(st.sampled_from(list(self.plan.year_range)[:2]))
        self.edit(
            lambda f: f.update_scheme_year(
                scheme, year, method=method, reason=text, explanation=text, uncommitted_pence=7
            )
        )

    @precondition(lambda self: self.plan.bodies)
    @rule(data=st.data(), quarter=st.integers(1, 4), amount=st.none() | amounts)
    def set_received(self, data, quarter, amount):
        body = data.draw(st.sampled_from(sorted(self.plan.bodies)))
        self.edit(lambda f: f.set_received(body, self.plan.first_year, quarter, amount))

    @rule(data=st.data(), rule_=st.sampled_from(list(RiskRule)), cap=st.none() | amounts)
    def set_risk_share(self, data, rule_, cap):
        shared = data.draw(st.sets(st.sampled_from(sorted(self.plan.schemes) or [0])))
        caps = {}
        if self.plan.bodies and cap is not None:
            caps[data.draw(st.sampled_from(sorted(self.plan.bodies)))] = Cap(CapKind.AMOUNT, cap)
        self.edit(
            lambda f: f.set_risk_share(rule=rule_, shared=shared - {0}, caps=caps, reserve_pence=5)
        )

    @precondition(lambda self: self.doc.undo_stack.canUndo())
    @rule()
    def undo(self):
        self.driver.undo()

    @precondition(lambda self: self.doc.undo_stack.canRedo())
    @rule()
    def redo(self):
        self.driver.redo()

    # -- what must always hold ------------------------------------------------------------------

    @invariant()
    def memory_is_the_file(self):
        fresh, _ = read_fresh(self.path)
        assert jsonio.dumps(self.plan) == jsonio.dumps(fresh)
        assert self.plan == fresh

    @invariant()
    def live_figures_are_a_full_recompute(self):
        full = compute(self.plan)
        assert self.doc.figures.years == full.years
        assert self.doc.figures.bodies == full.bodies
        assert self.doc.findings == find(self.plan)
        kept, fresh = self.doc.analysis.report, year_report(self.plan)
        if fresh is None:
            assert kept is None
        else:
            assert (kept.schemes, kept.bodies, kept.risk) == (
                fresh.schemes,
                fresh.bodies,
                fresh.risk,
            )

    @invariant()
    def views_show_the_plan(self):
        self.driver.check()

    def teardown(self):
        try:
            # The history alone can take a copy back to where it started.
            copy = self.path.with_name(self.path.stem + "-copy.poolplan")
            self.doc.file.save_copy(copy)
            with PlanFile.open(copy) as pf:
                if pf.history():
                    pf.go_back_to(0)
                assert jsonio.dumps(pf.plan) == self.original
            while self.doc.undo_stack.canUndo():
                self.driver.undo()
            plan, records = read_fresh(self.path)
            assert jsonio.dumps(plan) == self.original
            assert records == self.original_records
        finally:
            self.driver.close()


class DocumentDriver:
    """Edits through ``PlanDocument``, undo and redo through its stack."""

    def __init__(self, path: Path):
        from ui.document import PlanDocument

        self.doc = PlanDocument(PlanFile.open(path))
        self.failures: list[str] = []
        self.doc.failed.connect(self.failures.append)

    def perform(self, action, name=None):
        self.doc.perform(action, name)

    def set_cell(self, body, year, sid, amount):
        self._try(lambda f: f.set_contribution(body, year, amount, settlement_id=sid))

    def set_settlement_year(self, sid, year, entry):
        self._try(lambda f: f.set_settlement_year(sid, year, entry))

    def rename_body(self, body, name):
        self._try(lambda f: f.update_body(body, name=name))

    def check(self):
        """What the views show is what they would show built afresh (the window's driver)."""

    def _try(self, action):
        try:
            self.doc.perform(action)
        except PlannerError:
            pass

    def undo(self):
        self.doc.undo_stack.undo()
        assert not self.failures, self.failures

    def redo(self):
        self.doc.undo_stack.redo()
        assert not self.failures, self.failures

    def close(self):
        self.doc.close()


class WindowDriver(DocumentDriver):
    """The real main window: cells typed into its tables, undo and redo from its Edit menu; the
    edits its buttons make after a dialog are made as those buttons make them."""

    def __init__(self, path: Path):
        from PySide6.QtCore import QSettings

        from ui.main_window import MainWindow

        self.window = MainWindow(
            QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
        )
        self.window.resize(1280, 720)
        self.window.confirm = lambda title, text: False  # a question: no one here to answer it
        self.window.show()
        assert self.window.open_path(path)
        self.doc = self.window.doc
        self.failures = []
        self.window.doc.failed.connect(self.failures.append)

    def set_cell(self, body, year, sid, amount):
        model = self.window.editors.contributions
        key = ("stream", body, sid)
        if key not in model.rows:  # no row for that stream yet: the grid cannot reach it
            return super().set_cell(body, year, sid, amount)
        index = model.index(model.rows.index(key), 2 + list(self.doc.plan.year_range).index(year))
        text = "" if amount is None else f"£{amount // 100:,}.{amount % 100:02d}"
        model.setData(index, text)

    def set_settlement_year(self, sid, year, entry):
        from ui.models.settlements import year_cell_text

        model = self.window.editors.settlements
        index = model.index(model.rows.index(sid), 4 + list(self.doc.plan.year_range).index(year))
        model.setData(index, year_cell_text(entry))

    def check(self):
        """Each table's rows, kept edit by edit (and re-derived only when rows came or went),
        are the rows it would derive now; the findings list is the analysis's."""
        editors = self.window.editors
        grid = editors.contributions
        for key in grid.rows:  # the cells the grid keeps are the plan's own rows
            if key[0] == "stream":
                for c in grid._per_body[key[1]][2].values():
                    assert self.doc.plan.contributions.get(c.id) is c
        findings = self.window.findings_model
        assert findings._items == self.doc.findings
        assert findings.rowCount() == len(self.doc.findings)
        # Last: deriving the rows afresh also renews what the grid keeps per body.
        for model in (grid, editors.settlements, editors.bodies, editors.schemes):
            assert model.rows == model.row_keys(), type(model).__name__

    def rename_body(self, body, name):
        model = self.window.editors.bodies
        model.setData(model.index(model.rows.index(body), 0), name)

    def undo(self):
        self.window.undo_action.trigger()
        assert not self.failures, self.failures

    def redo(self):
        self.window.redo_action.trigger()
        assert not self.failures, self.failures

    def close(self):
        self.window.close()
        self.window.deleteLater()
