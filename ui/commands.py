"""Every user edit as an undoable command with a human name ("Change NHS contribution 2026-27").

Each command remembers what it replaced, so undo writes the old value back through the same
plan-file call.
"""

from __future__ import annotations

import copy

from planner import years as fy
from planner.model import SettlementYear
from ui.document import Change, EditCommand, PlanDocument


def _name(doc: PlanDocument, body_id: int) -> str:
    return doc.plan.bodies[body_id].name


class SetContribution(EditCommand):
    """Set (or clear, with None) one body's contribution for a year from one settlement."""

    def __init__(
        self,
        doc: PlanDocument,
        body_id: int,
        year: int,
        settlement_id: int | None,
        amount_pence: int | None,
    ):
        super().__init__(doc, f"Change {_name(doc, body_id)} contribution {fy.label(year)}")
        self.key = (body_id, year, settlement_id)
        old = doc.file.find_contribution(body_id, year, settlement_id)
        self.old = old.amount_pence if old else None
        self.new = amount_pence

    def apply(self) -> None:
        self.doc.file.set_contribution(*self.key[:2], self.new, settlement_id=self.key[2])

    def revert(self) -> None:
        self.doc.file.set_contribution(*self.key[:2], self.old, settlement_id=self.key[2])

    def change(self) -> Change:
        return Change.of("contributions", bodies=[self.key[0]], years=[self.key[1]])


class MoveStream(EditCommand):
    """Fund a body's row of contributions from another of its settlements (or none), year by
    year: where the target already has money that year, the two are added. One transaction."""

    def __init__(self, doc: PlanDocument, body_id: int, from_sid: int | None, to_sid: int | None):
        plan = doc.plan
        target = plan.settlements[to_sid].name if to_sid is not None else "no settlement"
        super().__init__(doc, f"Fund {_name(doc, body_id)} contributions from {target}")
        self.body_id = body_id
        self.before: list[tuple] = []
        self.after: list[tuple] = []
        for year in plan.year_range:
            moving = doc.file.find_contribution(body_id, year, from_sid)
            if moving is None:
                continue
            there = doc.file.find_contribution(body_id, year, to_sid)
            self.before += [
                (body_id, year, from_sid, moving.amount_pence),
                (body_id, year, to_sid, there.amount_pence if there else None),
            ]
            total = moving.amount_pence + (there.amount_pence if there else 0)
            self.after += [(body_id, year, from_sid, None), (body_id, year, to_sid, total)]

    def apply(self) -> None:
        self.doc.file.set_contributions(self.after)

    def revert(self) -> None:
        self.doc.file.set_contributions(self.before)

    def change(self) -> Change:
        return Change.of("contributions", bodies=[self.body_id])


class SetSettlementYear(EditCommand):
    def __init__(
        self, doc: PlanDocument, settlement_id: int, year: int, entry: SettlementYear | None
    ):
        s = doc.plan.settlements[settlement_id]
        super().__init__(doc, f"Change {s.name} for {fy.label(year)}")
        self.sid, self.year, self.body_id = settlement_id, year, s.body_id
        self.old = copy.copy(s.years.get(year))
        self.new = entry

    def apply(self) -> None:
        self.doc.file.set_settlement_year(self.sid, self.year, self.new)

    def revert(self) -> None:
        self.doc.file.set_settlement_year(self.sid, self.year, self.old)

    def change(self) -> Change:
        return Change.of("settlements", bodies=[self.body_id], years=[self.year])


class SetSchemeSpend(EditCommand):
    def __init__(self, doc: PlanDocument, scheme_id: int, year: int, amount_pence: int | None):
        s = doc.plan.schemes[scheme_id]
        super().__init__(doc, f"Change {s.name} spending for {fy.label(year)}")
        self.sid, self.year = scheme_id, year
        self.old = s.spend.get(year)
        self.new = amount_pence

    def apply(self) -> None:
        self.doc.file.set_scheme_spend(self.sid, self.year, self.new)

    def revert(self) -> None:
        self.doc.file.set_scheme_spend(self.sid, self.year, self.old)

    def change(self) -> Change:
        return Change.of("schemes", years=[self.year])


class _UpdateFields(EditCommand):
    """Change named fields of one row; undo writes the previous values back."""

    table = ""
    what = ""

    def __init__(self, doc: PlanDocument, row_id: int, **fields):
        self.row_id = row_id
        row = self._row(doc)
        label = getattr(row, "name", "")
        field_words = ", ".join(f.replace("_", " ") for f in fields)
        super().__init__(doc, f"Change {label} {field_words}".strip())
        self.old = {f: getattr(row, f) for f in fields}
        self.new = fields

    def _row(self, doc: PlanDocument):
        raise NotImplementedError

    def _update(self, values: dict) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        self._update(self.new)

    def revert(self) -> None:
        self._update(self.old)

    def change(self) -> Change:
        return Change.of(self.table)


class UpdateBody(_UpdateFields):
    table = "bodies"

    def change(self) -> Change:
        return Change.of("bodies", bodies=[self.row_id])

    def _row(self, doc):
        return doc.plan.bodies[self.row_id]

    def _update(self, values):
        self.doc.file.update_body(self.row_id, **values)


class UpdateSettlement(_UpdateFields):
    table = "settlements"

    def change(self) -> Change:
        return Change.of("settlements", bodies=[self.doc.plan.settlements[self.row_id].body_id])

    def _row(self, doc):
        return doc.plan.settlements[self.row_id]

    def _update(self, values):
        self.doc.file.update_settlement(self.row_id, **values)


class UpdateScheme(_UpdateFields):
    table = "schemes"

    def _row(self, doc):
        return doc.plan.schemes[self.row_id]

    def _update(self, values):
        self.doc.file.update_scheme(self.row_id, **values)


class UpdatePlan(EditCommand):
    def __init__(self, doc: PlanDocument, **fields):
        super().__init__(doc, "Change plan " + ", ".join(f.replace("_", " ") for f in fields))
        p = doc.plan
        current = {
            "name": p.name,
            "description": p.description,
            "first_year": p.first_year,
            "years": p.years,
            "status": p.status,
            "version": p.version,
            "renewal_cliff_share_bp": p.thresholds.renewal_cliff_share_bp,
        }
        self.old = {f: current[f] for f in fields}
        self.new = fields

    def apply(self) -> None:
        self.doc.file.update_plan(**self.new)

    def revert(self) -> None:
        self.doc.file.update_plan(**self.old)


class AddBody(EditCommand):
    def __init__(self, doc: PlanDocument, name: str, kind: str):
        super().__init__(doc, f"Add {name}")
        self.args = (name, kind)
        self.snapshot = None

    def apply(self) -> None:
        if self.snapshot is None:
            body = self.doc.file.add_body(*self.args)
            self.snapshot = self.doc.file.snapshot_body(body.id)
        else:  # redo: put back the same body, same id, so later commands still find it
            self.doc.file.restore_body(self.snapshot)

    def revert(self) -> None:
        self.doc.file.delete_body(self.snapshot.body.id)


class DeleteBody(EditCommand):
    def __init__(self, doc: PlanDocument, body_id: int):
        super().__init__(doc, f"Delete {_name(doc, body_id)}")
        self.snapshot = doc.file.snapshot_body(body_id)

    def apply(self) -> None:
        self.doc.file.delete_body(self.snapshot.body.id)

    def revert(self) -> None:
        self.doc.file.restore_body(self.snapshot)


class AddSettlement(EditCommand):
    def __init__(self, doc: PlanDocument, body_id: int, name: str):
        super().__init__(doc, f"Add settlement {name} for {_name(doc, body_id)}")
        self.args = (body_id, name)
        self.created = None

    def apply(self) -> None:
        if self.created is None:
            self.created = copy.deepcopy(self.doc.file.add_settlement(*self.args))
        else:
            self.doc.file.restore_settlement(self.created)

    def revert(self) -> None:
        self.doc.file.delete_settlement(self.created.id)


class DeleteSettlement(EditCommand):
    def __init__(self, doc: PlanDocument, settlement_id: int):
        s = doc.plan.settlements[settlement_id]
        super().__init__(doc, f"Delete settlement {s.name}")
        self.saved = copy.deepcopy(s)

    def apply(self) -> None:
        self.doc.file.delete_settlement(self.saved.id)

    def revert(self) -> None:
        self.doc.file.restore_settlement(self.saved)


class AddScheme(EditCommand):
    def __init__(self, doc: PlanDocument, name: str):
        super().__init__(doc, f"Add scheme {name}")
        self.name = name
        self.created = None

    def apply(self) -> None:
        if self.created is None:
            scheme = self.doc.file.add_scheme(self.name)
            self.created = self.doc.file.snapshot_scheme(scheme.id)
        else:
            self.doc.file.restore_scheme(self.created)

    def revert(self) -> None:
        self.doc.file.delete_scheme(self.created.scheme.id)


class DeleteScheme(EditCommand):
    def __init__(self, doc: PlanDocument, scheme_id: int):
        super().__init__(doc, f"Delete scheme {doc.plan.schemes[scheme_id].name}")
        self.saved = doc.file.snapshot_scheme(scheme_id)

    def apply(self) -> None:
        self.doc.file.delete_scheme(self.saved.scheme.id)

    def revert(self) -> None:
        self.doc.file.restore_scheme(self.saved)


# -- costs, benefits and the agreement ---------------------------------------------------------


def _appraisal_change() -> Change:
    return Change.of("appraisal")


class SetCost(EditCommand):
    def __init__(
        self, doc: PlanDocument, scheme_id: int, body_id: int, year: int, amount_pence: int | None
    ):
        super().__init__(
            doc,
            f"Change {_name(doc, body_id)} cost of "
            f"{doc.plan.schemes[scheme_id].name} {fy.label(year)}",
        )
        self.key = (scheme_id, body_id, year)
        line = doc.file.cost_line(scheme_id, body_id)
        self.old = line.years.get(year) if line else None
        self.new = amount_pence

    def apply(self) -> None:
        self.doc.file.set_cost(*self.key, self.new)

    def revert(self) -> None:
        self.doc.file.set_cost(*self.key, self.old)

    def change(self) -> Change:
        return _appraisal_change()


class SetBenefitYear(EditCommand):
    def __init__(self, doc: PlanDocument, benefit_id: int, year: int, amount_pence: int | None):
        line = doc.plan.benefits[benefit_id]
        super().__init__(
            doc,
            f"Change {_name(doc, line.body_id)} benefit from "
            f"{doc.plan.schemes[line.scheme_id].name} {fy.label(year)}",
        )
        self.benefit_id, self.year = benefit_id, year
        self.old = line.years.get(year)
        self.new = amount_pence

    def apply(self) -> None:
        self.doc.file.set_benefit_year(self.benefit_id, self.year, self.new)

    def revert(self) -> None:
        self.doc.file.set_benefit_year(self.benefit_id, self.year, self.old)

    def change(self) -> Change:
        return _appraisal_change()


class UpdateBenefit(EditCommand):
    def __init__(self, doc: PlanDocument, benefit_id: int, **fields):
        line = doc.plan.benefits[benefit_id]
        words = ", ".join(f.replace("_bp", "").replace("_", " ") for f in fields)
        super().__init__(doc, f"Change benefit {words}")
        self.benefit_id = benefit_id
        self.old = {f: getattr(line, f) for f in fields}
        self.new = fields

    def apply(self) -> None:
        self.doc.file.update_benefit(self.benefit_id, **self.new)

    def revert(self) -> None:
        self.doc.file.update_benefit(self.benefit_id, **self.old)

    def change(self) -> Change:
        return _appraisal_change()


class AddBenefit(EditCommand):
    def __init__(self, doc: PlanDocument, scheme_id: int, body_id: int):
        super().__init__(doc, f"Add benefit to {_name(doc, body_id)}")
        self.args = (scheme_id, body_id)
        self.created = None

    def apply(self) -> None:
        if self.created is None:
            self.created = copy.deepcopy(self.doc.file.add_benefit(*self.args))
        else:
            self.doc.file.restore_benefit(copy.deepcopy(self.created))

    def revert(self) -> None:
        self.doc.file.delete_benefit(self.created.id)

    def change(self) -> Change:
        return _appraisal_change()


class DeleteBenefit(EditCommand):
    def __init__(self, doc: PlanDocument, benefit_id: int):
        line = doc.plan.benefits[benefit_id]
        super().__init__(doc, f"Delete benefit to {_name(doc, line.body_id)}")
        self.saved = copy.deepcopy(line)

    def apply(self) -> None:
        self.doc.file.delete_benefit(self.saved.id)

    def revert(self) -> None:
        self.doc.file.restore_benefit(copy.deepcopy(self.saved))

    def change(self) -> Change:
        return _appraisal_change()


class SetAppraisal(EditCommand):
    """Change the gain-share agreement or the discount schedule."""

    def __init__(self, doc: PlanDocument, text: str, **fields):
        super().__init__(doc, text)
        a = doc.plan.appraisal
        self.old = {f: copy.deepcopy(getattr(a, f)) for f in fields}
        self.new = fields

    def apply(self) -> None:
        self.doc.file.set_appraisal(**self.new)

    def revert(self) -> None:
        self.doc.file.set_appraisal(**self.old)

    def change(self) -> Change:
        return _appraisal_change()


class AcceptReturnChanges(EditCommand):
    """The figures a partner changed in a returned workbook, accepted as one step."""

    def __init__(self, doc: PlanDocument, changes, source: str):
        n = len(changes)
        super().__init__(doc, f"Accept {n} change{'s' if n != 1 else ''} from {source}")
        plan = doc.plan
        self.before, self.after = [], []
        for c in changes:
            if c.sheet == "Contributions":
                old = doc.file.find_contribution(c.body_id, c.year, c.settlement_id)
                key = ("c", c.body_id, c.year, c.settlement_id)
                self.before.append((key, old.amount_pence if old else None))
            else:
                key = ("s", c.scheme_id, c.year)
                self.before.append((key, plan.schemes[c.scheme_id].spend.get(c.year)))
            self.after.append((key, c.new_pence))

    def _write(self, values) -> None:
        contributions = [(*key[1:], pence) for key, pence in values if key[0] == "c"]
        if contributions:
            self.doc.file.set_contributions(contributions)
        for key, pence in values:
            if key[0] == "s":
                self.doc.file.set_scheme_spend(key[1], key[2], pence)

    def apply(self) -> None:
        self._write(self.after)

    def revert(self) -> None:
        self._write(self.before)

    def change(self) -> Change:
        return Change.of("contributions", "schemes")
