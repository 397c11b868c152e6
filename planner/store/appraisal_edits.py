"""Edits to who invests and who benefits: cost lines, benefit lines, the discount schedule and
the gain-share agreement. Like every edit: validate, one transaction, then memory."""

from __future__ import annotations

import contextlib
import sqlite3

from planner import money
from planner import years as fy
from planner.discounting import check_bands
from planner.errors import EditError
from planner.model import Appraisal, BenefitLine, CostLine, GainShareRule, Plan
from planner.store import rows
from planner.text import clean


class AppraisalEdits:
    """Mixed into ``PlanFile``, which provides ``plan``, ``_transaction`` and the checks."""

    plan: Plan

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    # -- costs --------------------------------------------------------------------------------

    def cost_line(self, scheme_id: int, body_id: int) -> CostLine | None:
        for c in self.plan.costs.values():
            if (c.scheme_id, c.body_id) == (scheme_id, body_id):
                return c
        return None

    def set_cost(self, scheme_id: int, body_id: int, year: int, amount_pence: int | None) -> None:
        """What ``body_id`` pays towards a scheme in ``year`` (None: nothing). A cost line with
        no years left is removed."""
        self._scheme(scheme_id)
        self._body(body_id)
        year = self._check_year(fy.parse(year))
        if amount_pence is not None:
            _pence(amount_pence)
        line = self.cost_line(scheme_id, body_id)
        with self._transaction() as c:
            if line is None:
                if amount_pence is None:
                    return
                line_id = c.execute(
                    "INSERT INTO cost_line (scheme_id, body_id) VALUES (?, ?)", (scheme_id, body_id)
                ).lastrowid
                line = CostLine(line_id, scheme_id, body_id, {})
            if amount_pence is None:
                c.execute("DELETE FROM cost_year WHERE cost_id = ? AND year = ?", (line.id, year))
            else:
                c.execute(
                    "INSERT INTO cost_year (cost_id, year, amount_pence) VALUES (?, ?, ?) "
                    "ON CONFLICT (cost_id, year) DO UPDATE SET amount_pence = excluded.amount_pence",
                    (line.id, year, amount_pence),
                )
            years = dict(line.years)
            if amount_pence is None:
                years.pop(year, None)
            else:
                years[year] = amount_pence
            if not years:
                c.execute("DELETE FROM cost_line WHERE id = ?", (line.id,))
        if years:
            self.plan.costs[line.id] = CostLine(
                line.id, scheme_id, body_id, dict(sorted(years.items()))
            )
        else:
            self.plan.costs.pop(line.id, None)

    # -- benefits -----------------------------------------------------------------------------

    def _benefit(self, benefit_id: int) -> BenefitLine:
        try:
            return self.plan.benefits[benefit_id]
        except KeyError:
            raise EditError(f"There is no benefit line with id {benefit_id}.") from None

    def add_benefit(
        self,
        scheme_id: int,
        body_id: int,
        cashable: bool = True,
        optimism_bias_bp: int = 0,
        confidence: str = "",
    ) -> BenefitLine:
        self._scheme(scheme_id)
        self._body(body_id)
        line = BenefitLine(
            0,
            scheme_id,
            body_id,
            bool(cashable),
            _bias(optimism_bias_bp),
            clean(confidence, "confidence note", limit=2000, multiline=True),
        )
        with self._transaction() as c:
            line.id = c.execute(
                "INSERT INTO benefit_line (scheme_id, body_id, cashable, optimism_bias_bp, "
                "confidence) VALUES (?, ?, ?, ?, ?)",
                (scheme_id, body_id, int(line.cashable), line.optimism_bias_bp, line.confidence),
            ).lastrowid
        self.plan.benefits[line.id] = line
        return line

    def update_benefit(self, benefit_id: int, **fields) -> BenefitLine:
        old = self._benefit(benefit_id)
        body_id = fields.pop("body_id", old.body_id)
        self._body(body_id)
        new = BenefitLine(
            benefit_id,
            old.scheme_id,
            body_id,
            bool(fields.pop("cashable", old.cashable)),
            _bias(fields.pop("optimism_bias_bp", old.optimism_bias_bp)),
            clean(
                fields.pop("confidence", old.confidence),
                "confidence note",
                limit=2000,
                multiline=True,
            ),
            dict(old.years),
        )
        if fields:
            raise EditError(f"A benefit line has no field called {sorted(fields)[0]!r}.")
        with self._transaction() as c:
            c.execute(
                "UPDATE benefit_line SET body_id=?, cashable=?, optimism_bias_bp=?, confidence=? "
                "WHERE id=?",
                (new.body_id, int(new.cashable), new.optimism_bias_bp, new.confidence, benefit_id),
            )
        self.plan.benefits[benefit_id] = new
        return new

    def set_benefit_year(self, benefit_id: int, year: int, amount_pence: int | None) -> None:
        line = self._benefit(benefit_id)
        year = self._check_year(fy.parse(year))
        with self._transaction() as c:
            if amount_pence is None:
                c.execute(
                    "DELETE FROM benefit_year WHERE benefit_id = ? AND year = ?", (benefit_id, year)
                )
            else:
                c.execute(
                    "INSERT INTO benefit_year (benefit_id, year, amount_pence) VALUES (?, ?, ?) "
                    "ON CONFLICT (benefit_id, year) DO UPDATE SET "
                    "amount_pence = excluded.amount_pence",
                    (benefit_id, year, _pence(amount_pence)),
                )
        years = dict(line.years)
        if amount_pence is None:
            years.pop(year, None)
        else:
            years[year] = amount_pence
        line.years = dict(sorted(years.items()))

    def delete_benefit(self, benefit_id: int) -> BenefitLine:
        line = self._benefit(benefit_id)
        with self._transaction() as c:
            c.execute("DELETE FROM benefit_line WHERE id = ?", (benefit_id,))
        return self.plan.benefits.pop(line.id)

    def restore_benefit(self, line: BenefitLine) -> None:
        with self._transaction() as c:
            rows.insert_benefits(c, [line])
        self.plan.benefits[line.id] = line
        self.plan.benefits = dict(sorted(self.plan.benefits.items()))

    # -- the discount schedule and the agreement ------------------------------------------------

    def set_appraisal(self, **fields) -> Appraisal:
        """Change any of: discount_bands, payback_discounted, gain_share, gain_share_percent_bp."""
        old = self.plan.appraisal
        percents = dict(fields.pop("gain_share_percent_bp", old.gain_share_percent_bp))
        for body_id, share in percents.items():
            self._body(body_id)
            if not 0 <= int(share) <= 10_000:
                raise EditError("A gain-share percentage must be between 0% and 100%.")
        new = Appraisal(
            check_bands(fields.pop("discount_bands", old.discount_bands)),
            bool(fields.pop("payback_discounted", old.payback_discounted)),
            GainShareRule(fields.pop("gain_share", old.gain_share)),
            {b: int(p) for b, p in sorted(percents.items())},
        )
        if fields:
            raise EditError(f"The appraisal has no setting called {sorted(fields)[0]!r}.")
        with self._transaction() as c:
            rows.write_appraisal_settings(c, new)
        self.plan.appraisal = new
        return new


def _pence(amount: int) -> int:
    try:
        return money.check(amount)
    except money.MoneyError as e:
        raise EditError(str(e)) from None


def _bias(bp: int) -> int:
    if isinstance(bp, bool) or not isinstance(bp, int) or not 0 <= bp <= 10_000:
        raise EditError("Optimism bias is a percentage between 0% and 100%.")
    return bp
