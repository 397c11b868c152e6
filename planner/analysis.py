"""An open plan's figures and findings, kept up to date edit by edit, at the cost of what the
edit touched rather than of the whole plan.

``compute`` and ``find`` recompute everything; on a large plan that is too slow to run on every
keystroke. Most edits touch one body (a contribution, a settlement year, a name), so
``Analysis.refresh`` recomputes that body's figures and findings, re-adds the pool's totals and
re-ranks only the findings that changed. The result is always what ``compute`` and ``find``
would give (tests/test_analysis.py and the edit state machine check).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable

from planner.benefits import Benefits, appraise
from planner.figures import Figures, compute, refresh
from planner.findings import (
    Finding,
    _benefit_mismatches,
    _pool_deficits,
    body_findings,
    cliff_parts,
    is_cliff,
    monitoring_findings,
    renewal_cliff,
)
from planner.model import Contribution, Plan, Settlement
from planner.monitoring import YearReport, year_report

# One move of the findings list: ("remove", row, None), ("insert", row, finding) or
# ("change", row, finding), the row counted in the list as it stands at that step.
Step = tuple[str, int, Finding | None]

# A body's settlements and contributions, in id order, looked up by the store's indexes.
RowsOf = Callable[[int], tuple[list[Settlement], list[Contribution]]]


class Analysis:
    def __init__(self, plan: Plan, rows_of: RowsOf | None = None):
        self.plan = plan
        self._rows_of = rows_of
        self.recompute()

    def recompute(self) -> None:
        """Everything from scratch: after an edit that changed the plan's shape."""
        plan = self.plan
        self.figures: Figures = compute(plan)
        self.benefits: Benefits = appraise(plan)
        self._body_findings = {b: body_findings(plan, self.figures, b) for b in plan.bodies}
        self._cliffs = _Cliffs(plan, {b: cliff_parts(plan, self.figures, b) for b in plan.bodies})
        self._names = {b: body.name for b, body in plan.bodies.items()}
        self._mismatches = list(_benefit_mismatches(plan, self.benefits))
        self._deficits = list(_pool_deficits(plan, self.figures))
        self.report: YearReport | None = year_report(plan)
        self._kept: dict = {}  # each scheme line's and body's findings, for the next edit
        self._monitoring = monitoring_findings(plan, self.report, self._kept)
        groups = [*self._body_findings.values(), self._cliffs.findings(self.figures)]
        self._ordered = _Ordered([*groups, self._deficits, self._mismatches, self._monitoring])
        self._ops: list[Step] | None = None  # None: every finding may have moved

    def refresh(
        self,
        body_ids: Iterable[int] = (),
        spending: bool = False,
        appraisal: bool = False,
        monitoring_only: bool = False,
        change=None,
    ) -> None:
        """After edits to the contributions, settlements or details of ``body_ids`` only (and,
        with ``spending``, to the schemes' spending; with ``appraisal``, to costs, benefits or
        the agreement, which are valued afresh). With ``monitoring_only``, the edit touched
        only in-year monitoring or the risk-share agreement (``change``, the store's record of
        it, says which): the plan's figures stand."""
        plan = self.plan
        body_ids = set(body_ids)
        if not body_ids <= plan.bodies.keys() or len(self._body_findings) != len(plan.bodies):
            self.recompute()  # a body came or went
            return
        if monitoring_only:
            self._ops = _more(self._ops, self._refresh_monitoring(*_monitoring_touched(change)))
            return
        self.figures = refresh(self.figures, body_ids, spending, self._rows_of)
        ops = self._ops
        for b in sorted(body_ids):
            new = body_findings(plan, self.figures, b)
            ops = _more(ops, self._ordered.replace(self._body_findings[b], new))
            self._body_findings[b] = new
            self._cliffs.put(b, cliff_parts(plan, self.figures, b))
        cliffs_before = self._cliffs.shown
        ops = _more(ops, self._ordered.replace(cliffs_before, self._cliffs.findings(self.figures)))
        deficits = _same_or_new(self._deficits, list(_pool_deficits(plan, self.figures)))
        ops = _more(ops, self._ordered.replace(self._deficits, deficits))
        self._deficits = deficits
        renamed = any(self._names[b] != plan.bodies[b].name for b in body_ids)
        if appraisal:
            self.benefits = appraise(plan)
        if appraisal or renamed:
            for b in body_ids:
                self._names[b] = plan.bodies[b].name
            mismatches = list(_benefit_mismatches(plan, self.benefits))
            ops = _more(ops, self._ordered.replace(self._mismatches, mismatches))
            self._mismatches = mismatches
        # The year monitored: its budgets move with spending (every line worked again); the
        # pool and money due with contributions (its lines kept, their money worked again).
        changed = None if spending else frozenset()
        self._ops = _more(ops, self._refresh_monitoring(changed, money=True))

    def _refresh_monitoring(
        self, changed: frozenset[int] | None = None, money: bool = False
    ) -> list[Step]:
        self.report = year_report(self.plan, previous=self.report, changed=changed, money=money)
        found = _same_or_new(
            self._monitoring, monitoring_findings(self.plan, self.report, self._kept)
        )
        ops = self._ordered.replace(self._monitoring, found)
        self._monitoring = found
        return ops

    @property
    def findings(self) -> list[Finding]:
        """Every finding, most severe first: what ``find`` gives."""
        return self._ordered.items

    def take_ops(self) -> list[Step] | None:
        """How the findings list moved since last asked, as steps to replay in order (napari's
        evented list: each maps onto one of Qt's row signals); None: anything may have moved,
        so reset the list."""
        ops, self._ops = self._ops, []
        return ops


def _monitoring_touched(change) -> tuple[frozenset[int] | None, bool]:
    """What a monitoring edit touched, as ``year_report`` reuses a report: (the schemes whose
    lines are worked again, None for every line; whether money due or received moved). Some
    schemes' actuals or forecasts touch those lines alone; a payment, money alone."""
    if change is None or change.tables != {"monitoring"}:
        return None, True  # the settings or the agreement: everything
    if change.scheme_ids and not change.body_ids:
        return change.scheme_ids, False
    if change.body_ids and not change.scheme_ids:
        return frozenset(), True
    return None, True


def _more(ops: list | None, more: list) -> list | None:
    # Unread steps pile up only while nothing shows the list: past a point, a reset is cheaper.
    if ops is None or len(ops) + len(more) > 5_000:
        return None
    ops.extend(more)
    return ops


def _same_or_new(old: list[Finding], new: list[Finding]) -> list[Finding]:
    """``new``, keeping the old object where a finding is unchanged (nothing to repaint)."""
    if len(old) != len(new):
        return new
    return [o if o is n or o == n else n for o, n in zip(old, new, strict=True)]


class _Ordered:
    """The findings in ``find``'s order, kept sorted as groups of them are replaced. A
    finding's place is its sort key and then its place within its group, which ``sorted``
    over the groups in order would give it too."""

    def __init__(self, groups: list[list[Finding]]):
        entries = sorted((_place(f, i), f) for group in groups for i, f in enumerate(group))
        self.keys = [k for k, _ in entries]
        self.items = [f for _, f in entries]

    def replace(self, old: list[Finding], new: list[Finding]) -> list[Step]:
        if old is new:
            return []
        before = {_place(f, i): f for i, f in enumerate(old)}
        after = {_place(f, i): f for i, f in enumerate(new)}
        ops = []
        for key in before.keys() - after.keys():
            at = bisect_left(self.keys, key)
            del self.keys[at], self.items[at]
            ops.append(("remove", at, None))
        for key in sorted(after.keys() - before.keys()):
            at = bisect_left(self.keys, key)
            self.keys.insert(at, key)
            self.items.insert(at, after[key])
            ops.append(("insert", at, after[key]))
        for key in after.keys() & before.keys():
            if after[key] is not before[key]:
                at = bisect_left(self.keys, key)
                self.items[at] = after[key]
                ops.append(("change", at, after[key]))
        return ops


def _place(f: Finding, i: int) -> tuple:
    """Where ``f``, the ``i``-th of its group, sorts: ``Finding.sort_key`` (years as a tuple,
    to be a key), then its place in the group."""
    rank, code, body, years = f.sort_key()
    return (rank, code, body, tuple(years), i)


class _Cliffs:
    """The money up for renewal after each year, kept body by body, so that an edit takes out
    one body's part and puts it back (see ``planner.findings.cliff_parts``)."""

    def __init__(self, plan: Plan, parts_by_body: dict[int, dict[int, list[tuple[int, int]]]]):
        self.plan = plan
        self.position = {b: i for i, b in enumerate(plan.bodies)}
        self.by_year: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(dict)
        self.sums: dict[int, int] = defaultdict(int)
        self.parts: dict[int, dict[int, list[tuple[int, int]]]] = {}
        self.shown: list[Finding] = []
        for b, parts in parts_by_body.items():
            self.put(b, parts)

    def put(self, body_id: int, parts: dict[int, list[tuple[int, int]]]) -> None:
        for year, items in self.parts.get(body_id, {}).items():
            self.sums[year] -= sum(p for _, p in items)
            del self.by_year[year][body_id]
        for year, items in parts.items():
            self.by_year[year][body_id] = items
            self.sums[year] += sum(p for _, p in items)
        self.parts[body_id] = parts

    def findings(self, figures: Figures) -> list[Finding]:
        found = []
        for year in sorted(y for y, amount in self.sums.items() if amount):
            amount = self.sums[year]
            if is_cliff(self.plan, figures, year, amount):
                # The settlements in the bodies' order, as ``find`` lists them.
                row = sorted(self.by_year[year].items(), key=lambda kv: self.position[kv[0]])
                items = [item for _, body_items in row for item in body_items]
                found.append(renewal_cliff(self.plan, year, items, amount, figures))
        self.shown = _same_or_new(self.shown, found)
        return self.shown
