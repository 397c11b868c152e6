"""The edits a plan file accepts. Each validates first, then writes one transaction, then
updates the in-memory plan, so memory and disk never disagree. Refused edits raise ``EditError``
and change nothing.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from planner import money
from planner import years as fy
from planner.errors import EditError
from planner.model import (
    BenefitLine,
    Body,
    BodyKind,
    Certainty,
    Contribution,
    CostLine,
    Plan,
    PlanStatus,
    Role,
    Scheme,
    Settlement,
    SettlementYear,
)
from planner.store import rows
from planner.text import clean


class PlanEdits:
    """Mixed into ``PlanFile``, which provides ``plan`` and ``_transaction``."""

    plan: Plan

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _check_year(self, year: int) -> int:
        if year not in self.plan.year_range:
            raise EditError(
                f"{fy.label(year)} is outside the plan ({fy.label(self.plan.first_year)} to "
                f"{fy.label(self.plan.last_year)})."
            )
        return year

    def _body(self, body_id: int) -> Body:
        try:
            return self.plan.bodies[body_id]
        except KeyError:
            raise EditError(f"There is no body with id {body_id}.") from None

    def _settlement(self, settlement_id: int) -> Settlement:
        try:
            return self.plan.settlements[settlement_id]
        except KeyError:
            raise EditError(f"There is no settlement with id {settlement_id}.") from None

    def _scheme(self, scheme_id: int) -> Scheme:
        try:
            return self.plan.schemes[scheme_id]
        except KeyError:
            raise EditError(f"There is no scheme with id {scheme_id}.") from None

    # -- the plan ---------------------------------------------------------------------------

    def update_plan(self, **fields) -> None:
        """Change any of: name, description, first_year, years, status, version,
        renewal_cliff_share_bp."""
        p = self.plan
        new = {
            "name": clean(fields.get("name", p.name), "plan name", required=True),
            "description": clean(
                fields.get("description", p.description),
                "description",
                limit=20_000,
                multiline=True,
            ),
            "first_year": fy.parse(fields.get("first_year", p.first_year)),
            "years": int(fields.get("years", p.years)),
            "status": PlanStatus(fields.get("status", p.status)),
            "version": int(fields.get("version", p.version)),
            "renewal_cliff_share_bp": int(
                fields.get("renewal_cliff_share_bp", p.thresholds.renewal_cliff_share_bp)
            ),
        }
        unknown = set(fields) - set(new)
        if unknown:
            raise EditError(f"A plan has no field called {sorted(unknown)[0]!r}.")
        if not 1 <= new["years"] <= 60:
            raise EditError("A plan runs for between 1 and 60 years.")
        with self._transaction() as c:
            c.execute(
                "UPDATE plan SET name=:name, description=:description, first_year=:first_year, "
                "years=:years, status=:status, version=:version, "
                "renewal_cliff_share_bp=:renewal_cliff_share_bp WHERE id = 1",
                {**new, "status": new["status"].value},
            )
        p.name, p.description, p.first_year, p.years = (
            new["name"],
            new["description"],
            new["first_year"],
            new["years"],
        )
        p.status, p.version = new["status"], new["version"]
        p.thresholds.renewal_cliff_share_bp = new["renewal_cliff_share_bp"]

    # -- bodies -----------------------------------------------------------------------------

    def add_body(
        self,
        name: str,
        kind: BodyKind | str,
        role: Role | str = Role.CONTRIBUTOR,
        signatory_name: str = "",
        signatory_title: str = "",
    ) -> Body:
        body = Body(
            0,
            clean(name, "body name", required=True),
            BodyKind(kind),
            Role(role),
            clean(signatory_name, "signatory name"),
            clean(signatory_title, "signatory title"),
        )
        self._check_unique_body_name(body.name, None)
        with self._transaction() as c:
            body.id = c.execute(
                "INSERT INTO body (name, kind, role, signatory_name, signatory_title) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    body.name,
                    body.kind.value,
                    body.role.value,
                    body.signatory_name,
                    body.signatory_title,
                ),
            ).lastrowid
        self.plan.bodies[body.id] = body
        return body

    def _check_unique_body_name(self, name: str, body_id: int | None) -> None:
        for other in self.plan.bodies.values():
            if other.id != body_id and other.name.casefold() == name.casefold():
                raise EditError(f"There is already a body called '{other.name}'.")

    def update_body(self, body_id: int, **fields) -> Body:
        old = self._body(body_id)
        name = clean(fields.pop("name", old.name), "body name", required=True)
        new = Body(
            body_id,
            name,
            BodyKind(fields.pop("kind", old.kind)),
            Role(fields.pop("role", old.role)),
            clean(fields.pop("signatory_name", old.signatory_name), "signatory name"),
            clean(fields.pop("signatory_title", old.signatory_title), "signatory title"),
        )
        if fields:
            raise EditError(f"A body has no field called {sorted(fields)[0]!r}.")
        self._check_unique_body_name(name, body_id)
        with self._transaction() as c:
            c.execute(
                "UPDATE body SET name=?, kind=?, role=?, signatory_name=?, signatory_title=? "
                "WHERE id=?",
                (
                    new.name,
                    new.kind.value,
                    new.role.value,
                    new.signatory_name,
                    new.signatory_title,
                    body_id,
                ),
            )
        self.plan.bodies[body_id] = new
        return new

    def delete_body(self, body_id: int) -> None:
        """Remove a body with its settlements and contributions; schemes it led lose their lead."""
        self._body(body_id)
        with self._transaction() as c:
            c.execute("DELETE FROM contribution WHERE body_id = ?", (body_id,))
            c.execute("DELETE FROM body WHERE id = ?", (body_id,))
        p = self.plan
        del p.bodies[body_id]
        for sid in [s.id for s in p.settlements.values() if s.body_id == body_id]:
            del p.settlements[sid]
        for cid in [c.id for c in p.contributions.values() if c.body_id == body_id]:
            del p.contributions[cid]
        for scheme in p.schemes.values():
            if scheme.lead_body_id == body_id:
                scheme.lead_body_id = None
        # The database cascades these; memory follows.
        p.costs = {i: c for i, c in p.costs.items() if c.body_id != body_id}
        p.benefits = {i: b for i, b in p.benefits.items() if b.body_id != body_id}
        p.appraisal.gain_share_percent_bp.pop(body_id, None)

    # -- settlements ------------------------------------------------------------------------

    def add_settlement(
        self,
        body_id: int,
        name: str,
        years: dict[int, SettlementYear] | None = None,
        announced: dt.date | None = None,
        source_note: str = "",
    ) -> Settlement:
        self._body(body_id)
        s = Settlement(
            0,
            body_id,
            clean(name, "settlement name", required=True),
            {},
            announced,
            clean(source_note, "source note", limit=2000, multiline=True),
        )
        years = {fy.parse(y): _check_settlement_year(sy) for y, sy in (years or {}).items()}
        with self._transaction() as c:
            s.id = c.execute(
                "INSERT INTO settlement (body_id, name, announced, source_note) VALUES (?, ?, ?, ?)",
                (body_id, s.name, announced.isoformat() if announced else None, s.source_note),
            ).lastrowid
            c.executemany(
                "INSERT INTO settlement_year (settlement_id, year, status, amount_pence) "
                "VALUES (?, ?, ?, ?)",
                [(s.id, y, sy.status.value, sy.amount_pence) for y, sy in sorted(years.items())],
            )
        s.years = dict(sorted(years.items()))
        self.plan.settlements[s.id] = s
        return s

    def update_settlement(self, settlement_id: int, **fields) -> Settlement:
        s = self._settlement(settlement_id)
        name = clean(fields.pop("name", s.name), "settlement name", required=True)
        announced = fields.pop("announced", s.announced)
        note = clean(
            fields.pop("source_note", s.source_note), "source note", limit=2000, multiline=True
        )
        if fields:
            raise EditError(f"A settlement has no field called {sorted(fields)[0]!r}.")
        if announced is not None and not isinstance(announced, dt.date):
            raise EditError("The announcement date must be a date.")
        with self._transaction() as c:
            c.execute(
                "UPDATE settlement SET name=?, announced=?, source_note=? WHERE id=?",
                (name, announced.isoformat() if announced else None, note, settlement_id),
            )
        s.name, s.announced, s.source_note = name, announced, note
        return s

    def set_settlement_year(
        self, settlement_id: int, year: int, entry: SettlementYear | None
    ) -> None:
        """Mark ``year`` of a settlement confirmed or indicative (with its amount), or remove it."""
        s = self._settlement(settlement_id)
        year = fy.parse(year)
        with self._transaction() as c:
            if entry is None:
                c.execute(
                    "DELETE FROM settlement_year WHERE settlement_id=? AND year=?",
                    (settlement_id, year),
                )
            else:
                _check_settlement_year(entry)
                c.execute(
                    "INSERT INTO settlement_year (settlement_id, year, status, amount_pence) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (settlement_id, year) DO UPDATE SET "
                    "status = excluded.status, amount_pence = excluded.amount_pence",
                    (settlement_id, year, entry.status.value, entry.amount_pence),
                )
        if entry is None:
            s.years.pop(year, None)
        else:
            s.years[year] = entry
            s.years = dict(sorted(s.years.items()))

    def delete_settlement(self, settlement_id: int) -> None:
        s = self._settlement(settlement_id)
        linked = [c for c in self.plan.contributions.values() if c.settlement_id == settlement_id]
        if linked:
            raise EditError(
                f"{len(linked)} contribution{'s' if len(linked) != 1 else ''} are funded by "
                f"'{s.name}'; link them to another settlement or remove them first."
            )
        with self._transaction() as c:
            c.execute("DELETE FROM settlement WHERE id = ?", (settlement_id,))
        del self.plan.settlements[settlement_id]

    # -- contributions ----------------------------------------------------------------------

    def find_contribution(
        self, body_id: int, year: int, settlement_id: int | None
    ) -> Contribution | None:
        if self.read_only:
            # A snapshot: the file may be moving on under another window's edits.
            key = (body_id, year, settlement_id)
            return next(
                (
                    c
                    for c in self.plan.contributions.values()
                    if (c.body_id, c.year, c.settlement_id) == key
                ),
                None,
            )
        # By the file's unique index on the cell, not a scan of the plan: on a large plan the
        # scan was a fifth of every edit.
        try:
            row = self._conn.execute(
                "SELECT id FROM contribution "
                "WHERE body_id = ? AND year = ? AND coalesce(settlement_id, 0) = ?",
                (body_id, year, settlement_id or 0),
            ).fetchone()
        except sqlite3.Error as e:
            raise EditError(f"The plan file could not be read ({e}).") from None
        return self.plan.contributions.get(row[0]) if row else None

    def set_contribution(
        self,
        body_id: int,
        year: int,
        amount_pence: int | None,
        settlement_id: int | None = None,
        note: str | None = None,
    ) -> Contribution | None:
        """Set a body's contribution for a year from one settlement (None: unfunded).

        ``amount_pence`` None removes the contribution.
        """
        done = self.set_contributions([(body_id, year, settlement_id, amount_pence)], note=note)
        return done[0]

    def set_contributions(
        self,
        changes: Iterable[tuple[int, int, int | None, int | None]],
        note: str | None = None,
    ) -> list[Contribution | None]:
        """Set several contributions, each ``(body, year, settlement or None, pence or None)``,
        in one transaction: all of them or, if any is refused, none."""
        planned = []
        for body_id, year, settlement_id, amount_pence in changes:
            self._body(body_id)
            year = self._check_year(fy.parse(year))
            if settlement_id is not None and self._settlement(settlement_id).body_id != body_id:
                raise EditError("A contribution can only be funded by its own body's settlement.")
            if amount_pence is not None:
                _check_money(amount_pence)
            planned.append((body_id, year, settlement_id, amount_pence))
        if note is not None:
            note = clean(note, "note", limit=2000, multiline=True)
        # Work on a copy of the rows touched, so a batch may touch one row twice.
        rows: dict[tuple, Contribution | None] = {}
        before: dict[tuple, Contribution | None] = {}  # each cell as it was
        results: list[Contribution | None] = []
        with self._transaction() as c:
            for body_id, year, sid, amount in planned:
                key = (body_id, year, sid)
                if key not in rows:
                    before[key] = self.find_contribution(*key)
                existing = rows[key] if key in rows else before[key]
                if amount is None:
                    if existing is not None:
                        c.execute("DELETE FROM contribution WHERE id = ?", (existing.id,))
                    rows[key] = None
                elif existing is not None:
                    text = existing.note if note is None else note
                    c.execute(
                        "UPDATE contribution SET amount_pence=?, note=? WHERE id=?",
                        (amount, text, existing.id),
                    )
                    rows[key] = Contribution(existing.id, body_id, year, amount, sid, text)
                else:
                    text = note or ""
                    cid = c.execute(
                        "INSERT INTO contribution (body_id, year, settlement_id, amount_pence, "
                        "note) VALUES (?, ?, ?, ?, ?)",
                        (body_id, year, sid, amount, text),
                    ).lastrowid
                    rows[key] = Contribution(cid, body_id, year, amount, sid, text)
                results.append(rows[key])
        # SQLite may give a new row the id a deleted one had: drop only ids no row now holds.
        kept = {row.id for row in rows.values() if row is not None}
        for old in before.values():
            if old is not None and old.id not in kept:
                del self.plan.contributions[old.id]
        for row in rows.values():
            if row is not None:
                self.plan.contributions[row.id] = row
        return results

    # -- schemes ----------------------------------------------------------------------------

    def add_scheme(
        self,
        name: str,
        lead_body_id: int | None = None,
        provider: str = "",
        description: str = "",
        spend: dict[int, int] | None = None,
    ) -> Scheme:
        if lead_body_id is not None:
            self._body(lead_body_id)
        scheme = Scheme(
            0,
            clean(name, "scheme name", required=True),
            lead_body_id,
            clean(provider, "provider"),
            clean(description, "description", limit=20_000, multiline=True),
        )
        spend = {self._check_year(fy.parse(y)): _check_money(p) for y, p in (spend or {}).items()}
        with self._transaction() as c:
            scheme.id = c.execute(
                "INSERT INTO scheme (name, lead_body_id, provider, description) VALUES (?, ?, ?, ?)",
                (scheme.name, lead_body_id, scheme.provider, scheme.description),
            ).lastrowid
            c.executemany(
                "INSERT INTO scheme_spend (scheme_id, year, amount_pence) VALUES (?, ?, ?)",
                [(scheme.id, y, p) for y, p in sorted(spend.items())],
            )
        scheme.spend = dict(sorted(spend.items()))
        self.plan.schemes[scheme.id] = scheme
        return scheme

    def update_scheme(self, scheme_id: int, **fields) -> Scheme:
        s = self._scheme(scheme_id)
        name = clean(fields.pop("name", s.name), "scheme name", required=True)
        lead = fields.pop("lead_body_id", s.lead_body_id)
        provider = clean(fields.pop("provider", s.provider), "provider")
        description = clean(
            fields.pop("description", s.description), "description", limit=20_000, multiline=True
        )
        if fields:
            raise EditError(f"A scheme has no field called {sorted(fields)[0]!r}.")
        if lead is not None:
            self._body(lead)
        with self._transaction() as c:
            c.execute(
                "UPDATE scheme SET name=?, lead_body_id=?, provider=?, description=? WHERE id=?",
                (name, lead, provider, description, scheme_id),
            )
        s.name, s.lead_body_id, s.provider, s.description = name, lead, provider, description
        return s

    def set_scheme_spend(self, scheme_id: int, year: int, amount_pence: int | None) -> None:
        s = self._scheme(scheme_id)
        year = self._check_year(fy.parse(year))
        with self._transaction() as c:
            if amount_pence is None:
                c.execute(
                    "DELETE FROM scheme_spend WHERE scheme_id=? AND year=?", (scheme_id, year)
                )
            else:
                c.execute(
                    "INSERT INTO scheme_spend (scheme_id, year, amount_pence) VALUES (?, ?, ?) "
                    "ON CONFLICT (scheme_id, year) DO UPDATE SET amount_pence = excluded.amount_pence",
                    (scheme_id, year, _check_money(amount_pence)),
                )
        if amount_pence is None:
            s.spend.pop(year, None)
        else:
            s.spend[year] = amount_pence
            s.spend = dict(sorted(s.spend.items()))

    def delete_scheme(self, scheme_id: int) -> None:
        self._scheme(scheme_id)
        with self._transaction() as c:
            c.execute("DELETE FROM scheme WHERE id = ?", (scheme_id,))
        p = self.plan
        del p.schemes[scheme_id]
        p.costs = {i: c for i, c in p.costs.items() if c.scheme_id != scheme_id}
        p.benefits = {i: b for i, b in p.benefits.items() if b.scheme_id != scheme_id}

    # -- undoing deletions ------------------------------------------------------------------

    def snapshot_body(self, body_id: int) -> BodySnapshot:
        """Everything ``delete_body`` removes, so ``restore`` can put it back with the same ids."""
        p = self.plan
        return BodySnapshot(
            copy.deepcopy(self._body(body_id)),
            [copy.deepcopy(s) for s in p.settlements_of(body_id)],
            [copy.deepcopy(c) for c in p.contributions_of(body_id)],
            [s.id for s in p.schemes.values() if s.lead_body_id == body_id],
            [copy.deepcopy(c) for c in p.costs.values() if c.body_id == body_id],
            [copy.deepcopy(b) for b in p.benefits.values() if b.body_id == body_id],
            p.appraisal.gain_share_percent_bp.get(body_id),
        )

    def restore_body(self, snap: BodySnapshot) -> None:
        with self._transaction() as c:
            rows.insert_bodies(c, [snap.body])
            rows.insert_settlements(c, snap.settlements)
            rows.insert_contributions(c, snap.contributions)
            c.executemany(
                "UPDATE scheme SET lead_body_id = ? WHERE id = ?",
                [(snap.body.id, sid) for sid in snap.led_schemes],
            )
            rows.insert_costs(c, snap.costs)
            rows.insert_benefits(c, snap.benefits)
            if snap.gain_share_percent_bp is not None:
                c.execute(
                    "INSERT INTO gain_share_percent (body_id, percent_bp) VALUES (?, ?)",
                    (snap.body.id, snap.gain_share_percent_bp),
                )
        p = self.plan
        _put_back(p.costs, snap.costs)
        _put_back(p.benefits, snap.benefits)
        if snap.gain_share_percent_bp is not None:
            p.appraisal.gain_share_percent_bp[snap.body.id] = snap.gain_share_percent_bp
        p.bodies[snap.body.id] = copy.deepcopy(snap.body)
        p.bodies = dict(sorted(p.bodies.items()))
        for s in snap.settlements:
            p.settlements[s.id] = copy.deepcopy(s)
        p.settlements = dict(sorted(p.settlements.items()))
        for c in snap.contributions:
            p.contributions[c.id] = copy.deepcopy(c)
        p.contributions = dict(sorted(p.contributions.items()))
        for sid in snap.led_schemes:
            p.schemes[sid].lead_body_id = snap.body.id

    def restore_settlement(self, settlement: Settlement) -> None:
        with self._transaction() as c:
            rows.insert_settlements(c, [settlement])
        self.plan.settlements[settlement.id] = copy.deepcopy(settlement)
        self.plan.settlements = dict(sorted(self.plan.settlements.items()))

    def snapshot_scheme(self, scheme_id: int) -> SchemeSnapshot:
        """Everything ``delete_scheme`` removes: the scheme, its costs and benefits."""
        p = self.plan
        return SchemeSnapshot(
            copy.deepcopy(self._scheme(scheme_id)),
            [copy.deepcopy(c) for c in p.costs.values() if c.scheme_id == scheme_id],
            [copy.deepcopy(b) for b in p.benefits.values() if b.scheme_id == scheme_id],
        )

    def restore_scheme(self, snap: SchemeSnapshot) -> None:
        with self._transaction() as c:
            rows.insert_schemes(c, [snap.scheme])
            rows.insert_costs(c, snap.costs)
            rows.insert_benefits(c, snap.benefits)
        p = self.plan
        _put_back(p.schemes, [snap.scheme])
        _put_back(p.costs, snap.costs)
        _put_back(p.benefits, snap.benefits)


@dataclass
class BodySnapshot:
    body: Body
    settlements: list[Settlement]
    contributions: list[Contribution]
    led_schemes: list[int]
    costs: list[CostLine]
    benefits: list[BenefitLine]
    gain_share_percent_bp: int | None


@dataclass
class SchemeSnapshot:
    scheme: Scheme
    costs: list[CostLine]
    benefits: list[BenefitLine]


def _put_back(table: dict, items) -> None:
    """Rows restored with their ids, the table kept in id order (as it is read from disk)."""
    for item in items:
        table[item.id] = copy.deepcopy(item)
    ordered = dict(sorted(table.items()))
    table.clear()
    table.update(ordered)


def _check_money(pence: int) -> int:
    try:
        return money.check(pence)
    except money.MoneyError as e:
        raise EditError(str(e)) from None


def _check_settlement_year(entry: SettlementYear) -> SettlementYear:
    if entry.status not in (Certainty.CONFIRMED, Certainty.INDICATIVE):
        raise EditError("A settlement year is either confirmed or indicative.")
    if entry.amount_pence is not None:
        _check_money(entry.amount_pence)
    return entry
