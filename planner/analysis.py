"""An open plan's figures and findings, kept up to date edit by edit.

``compute`` and ``find`` recompute everything; on a 200-body, 30-year plan that is too slow to
run on every keystroke. Most edits touch one body (a contribution, a settlement year, a name), so
``Analysis.refresh`` recomputes that body's figures and findings and re-adds the pool's totals.
The result is always what ``compute`` and ``find`` would give (tests/test_analysis.py checks).
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.benefits import Benefits, appraise
from planner.figures import Figures, compute, refresh
from planner.findings import Finding, body_findings, cliff_parts, ordered, pool_findings
from planner.model import Plan


class Analysis:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.recompute()

    def recompute(self) -> None:
        """Everything from scratch: after an edit that changed the plan's shape."""
        self.figures: Figures = compute(self.plan)
        self.benefits: Benefits = appraise(self.plan)
        self._body_findings = {
            b: body_findings(self.plan, self.figures, b) for b in self.plan.bodies
        }
        self._cliff_parts = {b: cliff_parts(self.plan, self.figures, b) for b in self.plan.bodies}
        self._pool()

    def refresh(
        self, body_ids: Iterable[int] = (), spending: bool = False, appraisal: bool = False
    ) -> None:
        """After edits to the contributions, settlements or details of ``body_ids`` only (and,
        with ``spending``, to the schemes' spending; with ``appraisal``, to costs, benefits or
        the agreement, which are valued afresh)."""
        body_ids = set(body_ids)
        if not body_ids <= set(self.plan.bodies) or set(self._body_findings) != set(
            self.plan.bodies
        ):
            self.recompute()  # a body came or went
            return
        self.figures = refresh(self.figures, body_ids, spending)
        if appraisal:
            self.benefits = appraise(self.plan)
        for b in body_ids:
            self._body_findings[b] = body_findings(self.plan, self.figures, b)
            self._cliff_parts[b] = cliff_parts(self.plan, self.figures, b)
        self._pool()

    def _pool(self) -> None:
        self._findings: list[Finding] | None = None
        self._pool_findings = pool_findings(
            self.plan, self.figures, self._cliff_parts, self.benefits
        )

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            every = [f for found in self._body_findings.values() for f in found]
            self._findings = ordered(every + self._pool_findings)
        return self._findings
