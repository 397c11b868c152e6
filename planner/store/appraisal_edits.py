"""Edits to who invests and who benefits: cost lines, benefit lines, the discount schedule and
the gain-share agreement. Like every edit: validate, one transaction, then memory."""

from __future__ import annotations

import contextlib
import sqlite3

from planner import fields as F
from planner import years as fy
from planner.deflator import check_prices
from planner.discounting import check_bands
from planner.errors import EditError
from planner.model import Appraisal, BenefitLine, CostLine, GainShareRule, Plan, Prices
from planner.optimism_bias import project_types
from planner.store import rows
from planner.store.edits import field_words


class AppraisalEdits:
    """Mixed into ``PlanFile``, which provides ``plan``, ``_transaction`` and the checks."""

    plan: Plan

    def _transaction(
        self, name: str | None = None
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
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
        scheme = self._scheme(scheme_id)
        body = self._body(body_id)
        year = self._check_year(fy.parse(year))
        if amount_pence is not None:
            F.COST.check(amount_pence)
        line = self.cost_line(scheme_id, body_id)
        if line is None and amount_pence is None:
            return
        with self._transaction(f"Change {body.name} cost of {scheme.name} {fy.label(year)}") as c:
            if line is None:
                line_id = c.execute(
                    "INSERT INTO cost_line (scheme_id, body_id) VALUES (?, ?)", (scheme_id, body_id)
                ).lastrowid
            else:
                line_id = line.id
            if amount_pence is None:
                c.execute("DELETE FROM cost_year WHERE cost_id = ? AND year = ?", (line_id, year))
                if not c.execute(
                    "SELECT 1 FROM cost_year WHERE cost_id = ?", (line_id,)
                ).fetchone():
                    c.execute("DELETE FROM cost_line WHERE id = ?", (line_id,))
            else:
                rows.put_row(
                    c, "cost_year", {"cost_id": line_id, "year": year}, rows.amount(amount_pence)
                )

    def set_cost_uplift(
        self,
        scheme_id: int,
        body_id: int,
        *,
        uplift_bp: int | None = None,
        mitigation_bp: int | None = None,
        project_type: str | None = None,
    ) -> None:
        """The optimism-bias uplift on a body's costs of a scheme: a project type (its upper
        bound copied onto the line), or a percentage typed in (which is no project type's), and
        the share of it mitigated. Only what is given changes."""
        line = self.cost_line(scheme_id, body_id)
        if line is None:
            raise EditError("Enter the costs first: an uplift is on a cost line.")
        bound, mitigation, kind = line.uplift_bp, line.mitigation_bp, line.project_type
        if project_type is not None:
            kind = F.PROJECT_TYPE.check(project_type)
            if kind:
                known = project_types()
                if kind not in known:
                    raise EditError(f"The project type must be one of: {', '.join(known)}.")
                bound = known[kind].capex_upper_bp
        if uplift_bp is not None:
            bound = F.COST_UPLIFT.check(uplift_bp)
            kind = ""  # a percentage typed in is no project type's bound
        if mitigation_bp is not None:
            mitigation = F.MITIGATION.check(mitigation_bp)
        name = f"Change the optimism-bias uplift on {self.plan.bodies[body_id].name}'s costs"
        with self._transaction(f"{name} of {self.plan.schemes[scheme_id].name}") as c:
            c.execute(
                "UPDATE cost_line SET uplift_bp = ?, mitigation_bp = ?, project_type = ? "
                "WHERE id = ? AND NOT (uplift_bp = ? AND mitigation_bp = ? AND project_type = ?)",
                (bound, mitigation, kind, line.id, bound, mitigation, kind),
            )

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
        **adjustments,
    ) -> BenefitLine:
        """A benefit line; ``adjustments`` any of deadweight_bp, displacement_bp, leakage_bp,
        substitution_bp."""
        self._scheme(scheme_id)
        body = self._body(body_id)
        values = (
            scheme_id,
            body_id,
            int(bool(cashable)),
            F.OPTIMISM_BIAS.check(optimism_bias_bp),
            F.CONFIDENCE.check(confidence),
            *_adjustments(adjustments, None),
        )
        if adjustments:
            raise EditError(f"A benefit line has no field called {sorted(adjustments)[0]!r}.")
        with self._transaction(f"Add benefit to {body.name}") as c:
            line_id = c.execute(
                "INSERT INTO benefit_line (scheme_id, body_id, cashable, optimism_bias_bp, "
                "confidence, deadweight_bp, displacement_bp, leakage_bp, substitution_bp) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            ).lastrowid
        return self.plan.benefits[line_id]

    def update_benefit(self, benefit_id: int, **fields) -> BenefitLine:
        old = self._benefit(benefit_id)
        words = field_words(fields)
        body_id = fields.pop("body_id", old.body_id)
        self._body(body_id)
        values = (
            body_id,
            int(bool(fields.pop("cashable", old.cashable))),
            F.OPTIMISM_BIAS.check(fields.pop("optimism_bias_bp", old.optimism_bias_bp)),
            F.CONFIDENCE.check(fields.pop("confidence", old.confidence)),
            *_adjustments(fields, old),
            benefit_id,
        )
        if fields:
            raise EditError(f"A benefit line has no field called {sorted(fields)[0]!r}.")
        with self._transaction(f"Change benefit {words}") as c:
            c.execute(
                "UPDATE benefit_line SET body_id=?, cashable=?, optimism_bias_bp=?, confidence=?, "
                "deadweight_bp=?, displacement_bp=?, leakage_bp=?, substitution_bp=? WHERE id=?",
                values,
            )
        return old

    def set_benefit_year(self, benefit_id: int, year: int, amount_pence: int | None) -> None:
        line = self._benefit(benefit_id)
        year = self._check_year(fy.parse(year))
        if amount_pence is not None:
            F.BENEFIT.check(amount_pence)
        body, scheme = self.plan.bodies[line.body_id], self.plan.schemes[line.scheme_id]
        name = f"Change {body.name} benefit from {scheme.name} {fy.label(year)}"
        with self._transaction(name) as c:
            key = {"benefit_id": benefit_id, "year": year}
            rows.put_row(c, "benefit_year", key, rows.amount(amount_pence))

    def delete_benefit(self, benefit_id: int) -> None:
        line = self._benefit(benefit_id)
        with self._transaction(f"Delete benefit to {self.plan.bodies[line.body_id].name}") as c:
            c.execute("DELETE FROM benefit_line WHERE id = ?", (benefit_id,))

    # -- the discount schedule and the agreement ------------------------------------------------

    def set_appraisal(self, **fields) -> Appraisal:
        """Change any of: discount_bands, payback_discounted, gain_share, gain_share_percent_bp,
        prices, price_base_year (a financial year), inflation_bp. Figures put back into real
        terms keep no base year or inflation; put into cash with no base year, they take the
        plan's first year as it."""
        old = self.plan.appraisal
        percents = dict(fields.pop("gain_share_percent_bp", old.gain_share_percent_bp))
        for body_id, share in percents.items():
            self._body(body_id)
            F.GAIN_SHARE_PERCENT.check(share)
        prices = F.choice(Prices, fields.pop("prices", old.prices), "prices figures are entered in")
        if prices is Prices.REAL:  # the settings of cash figures go with them
            base = fields.pop("price_base_year", None)
            inflation = fields.pop("inflation_bp", 0)
        else:
            base = fields.pop("price_base_year", old.price_base_year)
            base = self.plan.first_year if base is None else fy.parse(base)
            inflation = fields.pop("inflation_bp", old.inflation_bp)
        new = Appraisal(
            check_bands(fields.pop("discount_bands", old.discount_bands)),
            bool(fields.pop("payback_discounted", old.payback_discounted)),
            F.choice(GainShareRule, fields.pop("gain_share", old.gain_share), "gain-share rule"),
            {b: int(p) for b, p in sorted(percents.items())},
            *check_prices(prices, base, inflation, self.plan.year_range),
        )
        if fields:
            raise EditError(f"The appraisal has no setting called {sorted(fields)[0]!r}.")
        with self._transaction("Change the appraisal settings") as c:
            rows.write_appraisal_settings(c, old, new)
        return self.plan.appraisal


def _adjustments(fields: dict, old: BenefitLine | None) -> tuple[int, ...]:
    """The four additionality adjustments, each checked, taken out of ``fields`` (the rest as
    ``old`` has them, or none)."""
    return tuple(
        field.check(fields.pop(f"{name}_bp", getattr(old, f"{name}_bp") if old else 0))
        for name, field in F.ADJUSTMENTS.items()
    )
