"""Tables for who invests and who benefits: cost lines, benefit lines, and each body's position
before and after gain-share (read-only)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from planner import fields as F
from planner import money
from planner import years as fy
from planner.errors import EditError
from planner.optimism_bias import SOURCE, project_types
from ui.models.base import (
    CHOICES_ROLE,
    PENCE_ROLE,
    RIGHT,
    PlanTableModel,
    YearsTableModel,
    money_cell,
    money_edit_text,
    percent_bp,
)


class _YearsTable(YearsTableModel):
    shaped_by = frozenset({"cost_line", "benefit_line", "body", "scheme"})

    def _money(self, years: dict[int, int], year: int | None, role):
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        if year is None:
            if role == PENCE_ROLE:
                return sum(years.values())
            return money_cell(sum(years.values())) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return money_cell(years.get(year))
        if role == Qt.ItemDataRole.EditRole:
            return money_edit_text(years.get(year))
        if role == PENCE_ROLE:
            return years.get(year)
        return None


class CostsModel(_YearsTable):
    """One row per scheme and paying body: what the body puts into the scheme, by year, and
    the Green Book's optimism-bias uplift on it (a project type's upper bound, or a percentage
    typed in, less the share mitigated)."""

    fixed = [
        ("scheme", "Scheme"),
        ("body", "Paying body"),
        ("project_type", "Project type"),
        ("uplift", "Uplift"),
        ("mitigation", "Mitigated"),
    ]

    def row_keys(self) -> list:
        self._lines = {(c.scheme_id, c.body_id): c for c in self.doc.plan.costs.values()}
        return sorted(self._lines)

    def _years(self, key) -> dict[int, int]:
        line = self._lines.get(key)
        return line.years if line else {}

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        editable = self.year_of(index.column()) is not None or index.column() >= 2
        if editable and not self.doc.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        scheme_id, body_id = self.rows[index.row()]
        plan = self.doc.plan
        c = index.column()
        if c >= len(self.fixed):
            year = self.year_of(c)
            line = self._lines.get((scheme_id, body_id))
            if (
                role == Qt.ItemDataRole.ToolTipRole
                and line
                and (line.uplifted or plan.appraisal.nominal)
                and year in line.years
            ):
                return _uplift_steps(plan, line, year)
            return self._money(self._years((scheme_id, body_id)), year, role)
        field = self.fixed[c][0]
        line = self._lines[(scheme_id, body_id)]
        if field == "project_type" and role == CHOICES_ROLE:
            return [("", "Typed in"), *((k, t.title) for k, t in project_types().items())]
        if role == Qt.ItemDataRole.ToolTipRole and field in ("project_type", "uplift"):
            return (
                "The Green Book's optimism-bias uplift on costs: a project type's upper bound "
                f"({SOURCE}), or a percentage typed in, less the share the project has mitigated."
            )
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if field == "scheme":
            return plan.schemes[scheme_id].name
        if field == "body":
            return plan.bodies[body_id].name
        if field == "project_type":
            if role == Qt.ItemDataRole.EditRole:
                return line.project_type
            known = project_types().get(line.project_type)
            return known.title if known else ("" if not line.uplift_bp else "Typed in")
        bp = line.uplift_bp if field == "uplift" else line.mitigation_bp
        return f"{bp / 100:g}%"

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        c = index.column()
        if c >= len(self.fixed):
            return self.type_into(index, value)
        scheme_id, body_id = self.rows[index.row()]
        line = self._lines[(scheme_id, body_id)]
        field = self.fixed[c][0]
        try:
            if field == "project_type":
                if value == line.project_type:
                    return True
                if not value:  # "Typed in": the bound stays, as a percentage of its own
                    updates = {"uplift_bp": line.uplift_bp}
                else:
                    updates = {"project_type": value}
            elif field == "uplift":
                updates = {"uplift_bp": percent_bp(value, "uplift", F.COST_UPLIFT.high)}
                if updates["uplift_bp"] == line.uplift_bp:
                    return True
            else:
                updates = {"mitigation_bp": percent_bp(value, "share mitigated")}
                if updates["mitigation_bp"] == line.mitigation_bp:
                    return True
        except EditError as e:
            self.refused.emit(str(e))
            return False
        return self.run(lambda f: f.set_cost_uplift(scheme_id, body_id, **updates))

    def write_for(self, index, value):
        scheme_id, body_id = self.rows[index.row()]
        year = self.year_of(index.column())
        if year is None:
            raise LookupError(index)
        return self.money_write(
            value,
            self._years((scheme_id, body_id)).get(year),
            lambda f, pence: f.set_cost(scheme_id, body_id, year, pence),
        )


class BenefitLinesModel(_YearsTable):
    fixed = [
        ("scheme", "Scheme"),
        ("body", "Receiving body"),
        ("cashable", "Cash?"),
        ("deadweight", "Deadweight"),
        ("displacement", "Displacement"),
        ("leakage", "Leakage"),
        ("substitution", "Substitution"),
        ("bias", "Optimism bias"),
        ("confidence", "Evidence"),
    ]

    def row_keys(self) -> list:
        return list(self.doc.plan.benefits)

    def benefit_id(self, row: int) -> int:
        return self.rows[row]

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        editable = index.column() > 0 and (
            index.column() < len(self.fixed) or self.year_of(index.column()) is not None
        )
        if editable and not self.doc.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        plan = self.doc.plan
        line = plan.benefits[self.rows[index.row()]]
        c = index.column()
        if c >= len(self.fixed):
            year = self.year_of(c)
            if role == Qt.ItemDataRole.ToolTipRole and year in line.years:
                return _gross_to_net(plan, line, year)
            return self._money(line.years, year, role)
        field = self.fixed[c][0]
        if field == "body" and role == CHOICES_ROLE:
            return [(b.id, b.name) for b in plan.bodies.values()]
        if field == "cashable" and role == CHOICES_ROLE:
            return [(True, "Cash"), (False, "Not cash")]
        if role == Qt.ItemDataRole.ToolTipRole and field == "bias":
            return (
                "The share taken off for uncertain evidence: 0% for locally evaluated data, "
                "up to about 40% for an expert's guess (Green Book)."
            )
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        edit = role == Qt.ItemDataRole.EditRole
        if field == "scheme":
            return plan.schemes[line.scheme_id].name
        if field == "body":
            return line.body_id if edit else plan.bodies[line.body_id].name
        if field == "cashable":
            return line.cashable if edit else ("Cash" if line.cashable else "Not cash")
        if field in _SHARES:
            return f"{getattr(line, _SHARES[field]) / 100:g}%"
        return line.confidence

    def write_for(self, index, value):
        benefit_id, year = self.rows[index.row()], self.year_of(index.column())
        if year is None:
            raise LookupError(index)
        years = self.doc.plan.benefits[benefit_id].years
        return self.money_write(
            value, years.get(year), lambda f, pence: f.set_benefit_year(benefit_id, year, pence)
        )

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        benefit_id = self.rows[index.row()]
        line = self.doc.plan.benefits[benefit_id]
        c = index.column()
        if c >= len(self.fixed):
            return self.type_into(index, value)
        field = self.fixed[c][0]
        if field in _SHARES:
            try:
                bp = percent_bp(value, self.fixed[c][1].lower())
            except EditError as e:
                self.refused.emit(str(e))
                return False
            updates = {_SHARES[field]: bp}
        else:
            updates = {
                {"body": "body_id", "cashable": "cashable", "confidence": "confidence"}[
                    field
                ]: value
            }
        key, new = next(iter(updates.items()))
        if getattr(line, key) == new:
            return True
        return self.run(lambda f: f.update_benefit(benefit_id, **updates))


# The share columns of a benefit line: the four additionality adjustments and optimism bias.
_SHARES = {
    "deadweight": "deadweight_bp",
    "displacement": "displacement_bp",
    "leakage": "leakage_bp",
    "substitution": "substitution_bp",
    "bias": "optimism_bias_bp",
}


def _in_real_terms(plan, year: int):
    """For figures entered in cash: the year's multiplier into the base year's prices and a
    line saying it; (None, None) for figures in real terms."""
    from planner.deflator import deflator, multipliers

    a = plan.appraisal
    if not a.nominal:
        return None, None
    base, this = (deflator(y, a.inflation_bp) for y in (a.price_base_year, year))
    words = (
        f"into {fy.label(a.price_base_year)} prices: x {float(base):.4f} / {float(this):.4f} "
        f"(the GDP deflators of {fy.label(a.price_base_year)} and {fy.label(year)})"
    )
    return multipliers(a, [year])[year], words


def _uplift_steps(plan, line, year: int) -> str:
    """A year's cost with its uplift (the bound, less what was mitigated) and, for figures
    entered in cash, into the base year's prices: what the appraisal counts."""
    from planner.benefits import uplifted_cost

    pence = line.years[year]
    real, words = _in_real_terms(plan, year)
    steps = [f"Cost {money_cell(pence)}" + (" in cash" if real is not None else "")]
    if line.uplifted:
        kept = (10_000 - line.mitigation_bp) / 100
        steps.append(f"uplift {line.uplift_bp / 100:g}% x {kept:g}% not mitigated")
    if words:
        steps.append(words)
    counted = uplifted_cost(pence, line, real)
    steps.append(f"In the appraisal {money.format(counted, show_pence=True)}")
    return "\n".join(steps)


def _gross_to_net(plan, line, year: int) -> str:
    """A year's benefit from gross to net, one adjustment at a time (the Green Book's order),
    and for figures entered in cash into the base year's prices."""
    from planner.benefits import adjustment_steps, net_benefit

    pence = line.years[year]
    real, words = _in_real_terms(plan, year)
    lines = [f"Gross {money_cell(pence)}" + (" in cash" if real is not None else "")]
    for what, bp, left in adjustment_steps(pence, line):
        lines.append(f"less {bp / 100:g}% {what}: {money.format(round(left), show_pence=True)}")
    if words:
        lines.append(words)
    lines.append(f"Net {money.format(net_benefit(pence, line, real), show_pence=True)}")
    return "\n".join(lines)


POSITION_COLUMNS = [
    "Body",
    "Costs today",
    "Benefits today",
    "NPV",
    "Share of costs",
    "Share of benefits",
    "Transfers today",
    "NPV after gain-share",
    "Payback",
    "Payback after",
]


class PositionsModel(PlanTableModel):
    """Each body's investment against its benefits, before and after gain-share."""

    shaped_by = frozenset({"body"})

    def row_keys(self) -> list:
        return [*self.doc.plan.bodies, "total"]

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(POSITION_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return POSITION_COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        c = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and c > 0:
            return RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        a = self.doc.analysis.benefits
        key = self.rows[index.row()]
        if key == "total":
            payback = a.payback_year
            values = [
                "Whole plan",
                a.pv_costs,
                a.pv_benefits,
                a.npv,
                None,
                None,
                0,
                sum(b.after.npv for b in a.bodies.values()),
                fy.label(payback) if payback else "—",
                "",
            ]
        else:
            b = a.bodies[key]
            moved = b.after.npv - b.before.npv
            values = [
                self.doc.plan.bodies[key].name,
                b.pv_costs,
                b.pv_benefits,
                b.before.npv,
                a.cost_share(key),
                a.benefit_share(key),
                moved,
                b.after.npv,
                fy.label(b.before.payback_year) if b.before.payback_year else "—",
                fy.label(b.after.payback_year) if b.after.payback_year else "—",
            ]
        v = values[c]
        if c in (4, 5):
            return "" if v is None else f"{float(v):.0%}"
        if isinstance(v, int):
            return money.format(v, brackets=True)
        return v
