"""The edits a plan file accepts. Each validates first, then writes one named transaction;
the plan in memory follows the rows written (``planner.store.mirror``), so memory and disk never
disagree. Refused edits raise ``EditError`` and change nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import replace

from planner import fields as F
from planner import results
from planner import years as fy
from planner.errors import EditError
from planner.model import (
    Body,
    BodyKind,
    Certainty,
    Contribution,
    Plan,
    PlanStatus,
    Role,
    Schedule,
    Scheme,
    Settlement,
    SettlementYear,
)
from planner.results import mark_words
from planner.store.rows import amount, put_row, settlement_year_values


class PlanEdits:
    """Mixed into ``PlanFile``, which provides ``plan`` and ``_transaction``."""

    plan: Plan

    def _transaction(
        self, name: str | None = None
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def edit(self, name: str | None = None) -> contextlib.AbstractContextManager[None]:
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
        renewal_cliff_share_bp, sign_off_wording, return_to, return_by (a date or None)."""
        from planner.signoff import check_wording

        p = self.plan
        unknown = set(fields) - {
            "name",
            "description",
            "first_year",
            "years",
            "status",
            "version",
            "renewal_cliff_share_bp",
            "sign_off_wording",
            "return_to",
            "return_by",
        }
        if unknown:
            raise EditError(f"A plan has no field called {sorted(unknown)[0]!r}.")
        new = {
            "name": F.PLAN_NAME.check(fields.get("name", p.name)),
            "description": F.PLAN_DESCRIPTION.check(fields.get("description", p.description)),
            "first_year": fy.parse(fields.get("first_year", p.first_year)),
            "years": F.PLAN_YEARS.check(fields.get("years", p.years)),
            "status": F.choice(PlanStatus, fields.get("status", p.status), "plan's status"),
            "version": F.PLAN_VERSION.check(fields.get("version", p.version)),
            "renewal_cliff_share_bp": F.RENEWAL_CLIFF_SHARE.check(
                fields.get("renewal_cliff_share_bp", p.thresholds.renewal_cliff_share_bp)
            ),
            "sign_off_wording": check_wording(
                F.SIGN_OFF_WORDING.check(fields.get("sign_off_wording", p.sign_off_wording))
            ),
            "return_to": F.RETURN_TO.check(fields.get("return_to", p.return_to)),
            "return_by": _date_or_none(fields.get("return_by", p.return_by), "return-by date"),
        }
        with self._transaction(f"Change plan {field_words(fields)}") as c:
            c.execute(
                "UPDATE plan SET name=:name, description=:description, first_year=:first_year, "
                "years=:years, status=:status, version=:version, "
                "renewal_cliff_share_bp=:renewal_cliff_share_bp, "
                "sign_off_wording=:sign_off_wording, return_to=:return_to, "
                "return_by=:return_by WHERE id = 1",
                {
                    **new,
                    "status": new["status"].value,
                    "return_by": new["return_by"].isoformat() if new["return_by"] else None,
                },
            )

    # -- bodies -----------------------------------------------------------------------------

    def add_body(
        self,
        name: str,
        kind: BodyKind | str,
        role: Role | str = Role.CONTRIBUTOR,
        signatory_name: str = "",
        signatory_title: str = "",
    ) -> Body:
        name = F.BODY_NAME.check(name)
        values = (
            name,
            F.choice(BodyKind, kind, "kind of body").value,
            F.choice(Role, role, "body's role").value,
            F.SIGNATORY_NAME.check(signatory_name),
            F.SIGNATORY_TITLE.check(signatory_title),
        )
        self._check_unique_body_name(name, None)
        with self._transaction(f"Add {name}") as c:
            body_id = c.execute(
                "INSERT INTO body (name, kind, role, signatory_name, signatory_title) "
                "VALUES (?, ?, ?, ?, ?)",
                values,
            ).lastrowid
        return self.plan.bodies[body_id]

    def _check_unique_body_name(self, name: str, body_id: int | None) -> None:
        for other in self.plan.bodies.values():
            if other.id != body_id and F.name_key(other.name) == F.name_key(name):
                raise EditError(f"There is already a body called '{other.name}'.")

    def update_body(self, body_id: int, **fields) -> Body:
        old = self._body(body_id)
        words = field_words(fields)
        name = F.BODY_NAME.check(fields.pop("name", old.name))
        new = Body(
            body_id,
            name,
            F.choice(BodyKind, fields.pop("kind", old.kind), "kind of body"),
            F.choice(Role, fields.pop("role", old.role), "body's role"),
            F.SIGNATORY_NAME.check(fields.pop("signatory_name", old.signatory_name)),
            F.SIGNATORY_TITLE.check(fields.pop("signatory_title", old.signatory_title)),
        )
        if fields:
            raise EditError(f"A body has no field called {sorted(fields)[0]!r}.")
        self._check_unique_body_name(name, body_id)
        what = f"Rename {old.name} to {name}" if words == "name" else f"Change {old.name} {words}"
        with self._transaction(what) as c:
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
        return self.plan.bodies[body_id]

    def delete_body(self, body_id: int) -> None:
        """Remove a body with its settlements, contributions, costs, benefits and sign-offs;
        schemes it led lose their lead. One transaction, so one undo step puts it all back."""
        body = self._body(body_id)
        with self._transaction(f"Delete {body.name}") as c:
            # Contributions first: they refer to the settlements the body's deletion cascades to.
            c.execute("DELETE FROM contribution WHERE body_id = ?", (body_id,))
            c.execute("DELETE FROM body WHERE id = ?", (body_id,))

    # -- settlements ------------------------------------------------------------------------

    def add_settlement(
        self,
        body_id: int,
        name: str,
        years: dict[int, SettlementYear] | None = None,
        announced: dt.date | None = None,
        source_note: str = "",
    ) -> Settlement:
        body = self._body(body_id)
        name = F.SETTLEMENT_NAME.check(name)
        note = F.SOURCE_NOTE.check(source_note)
        _check_date(announced)
        years = {fy.parse(y): _check_settlement_year(sy) for y, sy in (years or {}).items()}
        with self._transaction(f"Add settlement {name} for {body.name}") as c:
            sid = c.execute(
                "INSERT INTO settlement (body_id, name, announced, source_note) VALUES (?, ?, ?, ?)",
                (body_id, name, announced.isoformat() if announced else None, note),
            ).lastrowid
            for y, sy in sorted(years.items()):
                put_row(
                    c,
                    "settlement_year",
                    {"settlement_id": sid, "year": y},
                    settlement_year_values(sy),
                )
        return self.plan.settlements[sid]

    def update_settlement(self, settlement_id: int, **fields) -> Settlement:
        s = self._settlement(settlement_id)
        words = field_words(fields)
        name = F.SETTLEMENT_NAME.check(fields.pop("name", s.name))
        announced = fields.pop("announced", s.announced)
        note = F.SOURCE_NOTE.check(fields.pop("source_note", s.source_note))
        schedule = F.choice(Schedule, fields.pop("schedule", s.schedule), "payment schedule")
        if fields:
            raise EditError(f"A settlement has no field called {sorted(fields)[0]!r}.")
        _check_date(announced)
        with self._transaction(f"Change {s.name} {words}") as c:
            c.execute(
                "UPDATE settlement SET name=?, announced=?, source_note=?, schedule=? WHERE id=?",
                (
                    name,
                    announced.isoformat() if announced else None,
                    note,
                    schedule.value,
                    settlement_id,
                ),
            )
        return s

    def set_settlement_year(
        self, settlement_id: int, year: int, entry: SettlementYear | None
    ) -> None:
        """Mark ``year`` of a settlement confirmed or indicative (with its amount and any part
        paid on results), or remove it."""
        s = self._settlement(settlement_id)
        year = fy.parse(year)
        if entry is not None:
            entry = _check_settlement_year(entry)
        values = None if entry is None else settlement_year_values(entry)
        with self._transaction(f"Change {s.name} for {fy.label(year)}") as c:
            put_row(c, "settlement_year", {"settlement_id": settlement_id, "year": year}, values)

    def mark_result(self, settlement_id: int, year: int, earned_pence: int | None) -> None:
        """Record what a year's money on results earned, once the result is known: all of it,
        a part (Troubled Families paid per family), or nothing (0: the money falls away and
        what it funded becomes unfunded). None: not known after all. One edit, in the history."""
        s = self._settlement(settlement_id)
        year = fy.parse(year)
        sy = s.years.get(year)
        part = sy.conditional if sy else None
        if part is None:
            raise EditError(f"{s.name} has no money paid on results in {fy.label(year)}.")
        entry = _check_settlement_year(
            SettlementYear(sy.status, sy.amount_pence, replace(part, earned_pence=earned_pence))
        )
        with self._transaction(
            f"Mark {s.name} {fy.label(year)} {mark_words(part, earned_pence)}"
        ) as c:
            put_row(
                c,
                "settlement_year",
                {"settlement_id": settlement_id, "year": year},
                settlement_year_values(entry),
            )

    def delete_settlement(self, settlement_id: int) -> None:
        s = self._settlement(settlement_id)
        linked = [c for c in self.plan.contributions.values() if c.settlement_id == settlement_id]
        if linked:
            raise EditError(
                f"{len(linked)} contribution{'s' if len(linked) != 1 else ''} are funded by "
                f"'{s.name}'; link them to another settlement or remove them first."
            )
        with self._transaction(f"Delete settlement {s.name}") as c:
            c.execute("DELETE FROM settlement WHERE id = ?", (settlement_id,))

    def rows_of_body(self, body_id: int) -> tuple[list[Settlement], list[Contribution]]:
        """A body's settlements and contributions in id order, by the file's indexes: the same
        lists a scan of the plan gives, at the cost of the body's own rows."""
        plan, conn = self.plan, self._conn
        sids = conn.execute("SELECT id FROM settlement WHERE body_id = ? ORDER BY id", (body_id,))
        cids = conn.execute("SELECT id FROM contribution WHERE body_id = ? ORDER BY id", (body_id,))
        return [plan.settlements[i] for (i,) in sids], [plan.contributions[i] for (i,) in cids]

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
        in one transaction: all of them or, if any is refused, none. A cell emptied and filled
        again within the batch keeps its row (and its note)."""
        planned = []
        for body_id, year, settlement_id, amount_pence in changes:
            self._body(body_id)
            year = self._check_year(fy.parse(year))
            if settlement_id is not None and self._settlement(settlement_id).body_id != body_id:
                raise EditError("A contribution can only be funded by its own body's settlement.")
            if amount_pence is not None:
                F.CONTRIBUTION.check(amount_pence)
            planned.append((body_id, year, settlement_id, amount_pence))
        if note is not None:
            note = F.CONTRIBUTION_NOTE.check(note)
        # Each cell once, as the batch leaves it: a cell emptied and filled again keeps its row
        # (its id and note), and one filled and emptied again is never written.
        final = {(b, y, sid): amount for b, y, sid, amount in planned}
        ids: dict[tuple, int | None] = {}
        with self._transaction(self._contributions_name(planned)) as c:
            for key, amount in final.items():
                ids[key] = self._write_contribution(c, *key, amount, note)
        return [
            None if ids[(b, y, sid)] is None else self.plan.contributions[ids[(b, y, sid)]]
            for b, y, sid, _ in planned
        ]

    def _write_contribution(
        self,
        c: sqlite3.Connection,
        body_id: int,
        year: int,
        sid: int | None,
        amount: int | None,
        note: str | None,
    ) -> int | None:
        """One cell, inside a transaction: the id of its row afterwards (None: empty)."""
        row = c.execute(
            "SELECT id FROM contribution "
            "WHERE body_id = ? AND year = ? AND coalesce(settlement_id, 0) = ?",
            (body_id, year, sid or 0),
        ).fetchone()
        if amount is None:
            if row is not None:
                c.execute("DELETE FROM contribution WHERE id = ?", row)
            return None
        if row is not None:
            if note is None:
                c.execute("UPDATE contribution SET amount_pence=? WHERE id=?", (amount, row[0]))
            else:
                c.execute(
                    "UPDATE contribution SET amount_pence=?, note=? WHERE id=?",
                    (amount, note, row[0]),
                )
            return row[0]
        return c.execute(
            "INSERT INTO contribution (body_id, year, settlement_id, amount_pence, note) "
            "VALUES (?, ?, ?, ?, ?)",
            (body_id, year, sid, amount, note or ""),
        ).lastrowid

    def _contributions_name(self, planned: list[tuple]) -> str:
        if len(planned) != 1:
            return f"Change {len(planned)} contributions"
        body_id, year, sid, amount = planned[0]
        body = self.plan.bodies[body_id].name
        stream = self.plan.settlements[sid].name if sid is not None else "No settlement"
        if amount is not None:
            return f"Change {body} {fy.label(year)} contribution ({stream})"
        return f"Empty {body} {fy.label(year)} ({stream})"

    def move_stream(self, body_id: int, from_sid: int | None, to_sid: int | None) -> None:
        """Fund a body's row of contributions from another of its settlements (or none), year by
        year: where the target already has money that year, the two are added. One edit."""
        body = self._body(body_id)
        for sid in (from_sid, to_sid):
            if sid is not None and self._settlement(sid).body_id != body_id:
                raise EditError("A contribution can only be funded by its own body's settlement.")
        if from_sid == to_sid:
            return  # already funded from there: nothing moves
        target = self.plan.settlements[to_sid].name if to_sid is not None else "no settlement"
        changes = []
        for year in self.plan.year_range:
            moving = self.find_contribution(body_id, year, from_sid)
            if moving is None:
                continue
            there = self.find_contribution(body_id, year, to_sid)
            total = moving.amount_pence + (there.amount_pence if there else 0)
            changes += [(body_id, year, from_sid, None), (body_id, year, to_sid, total)]
        with self.edit(f"Fund {body.name} contributions from {target}"):
            self.set_contributions(changes)

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
        name = F.SCHEME_NAME.check(name)
        values = (
            name,
            lead_body_id,
            F.PROVIDER.check(provider),
            F.SCHEME_DESCRIPTION.check(description),
        )
        spend = {self._check_year(fy.parse(y)): F.SPEND.check(p) for y, p in (spend or {}).items()}
        with self._transaction(f"Add scheme {name}") as c:
            scheme_id = c.execute(
                "INSERT INTO scheme (name, lead_body_id, provider, description) VALUES (?, ?, ?, ?)",
                values,
            ).lastrowid
            c.executemany(
                "INSERT INTO scheme_spend (scheme_id, year, amount_pence) VALUES (?, ?, ?)",
                [(scheme_id, y, p) for y, p in sorted(spend.items())],
            )
        return self.plan.schemes[scheme_id]

    def update_scheme(self, scheme_id: int, **fields) -> Scheme:
        s = self._scheme(scheme_id)
        words = field_words(fields)
        name = F.SCHEME_NAME.check(fields.pop("name", s.name))
        lead = fields.pop("lead_body_id", s.lead_body_id)
        provider = F.PROVIDER.check(fields.pop("provider", s.provider))
        description = F.SCHEME_DESCRIPTION.check(fields.pop("description", s.description))
        if fields:
            raise EditError(f"A scheme has no field called {sorted(fields)[0]!r}.")
        if lead is not None:
            self._body(lead)
        with self._transaction(f"Change {s.name} {words}") as c:
            c.execute(
                "UPDATE scheme SET name=?, lead_body_id=?, provider=?, description=? WHERE id=?",
                (name, lead, provider, description, scheme_id),
            )
        return s

    def set_scheme_spend(self, scheme_id: int, year: int, amount_pence: int | None) -> None:
        s = self._scheme(scheme_id)
        year = self._check_year(fy.parse(year))
        if amount_pence is not None:
            F.SPEND.check(amount_pence)
        with self._transaction(f"Change {s.name} spending for {fy.label(year)}") as c:
            put_row(c, "scheme_spend", {"scheme_id": scheme_id, "year": year}, amount(amount_pence))

    def delete_scheme(self, scheme_id: int) -> None:
        s = self._scheme(scheme_id)
        with self._transaction(f"Delete scheme {s.name}") as c:
            c.execute("DELETE FROM scheme WHERE id = ?", (scheme_id,))


def field_words(fields) -> str:
    """Field names as words, for an edit's name: ``signatory_name`` -> "signatory name"."""
    return ", ".join(f.replace("_bp", "").replace("_", " ") for f in fields)


def _check_settlement_year(entry: SettlementYear) -> SettlementYear:
    try:
        status = Certainty(entry.status)
    except (ValueError, TypeError):
        status = None
    if status not in (Certainty.CONFIRMED, Certainty.INDICATIVE):
        raise EditError("A settlement year is either confirmed or indicative.")
    amount = entry.amount_pence
    amount = None if amount is None else F.SETTLEMENT_AMOUNT.check(amount)
    part = entry.conditional
    if part is not None:
        part = results.check(part, amount)
    return SettlementYear(status, amount, part)


def _check_date(value, what: str = "announcement date") -> None:
    # A datetime is a date too, but would be stored with its time and fail the file's check.
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise EditError(f"The {what} must be a date.")


def _date_or_none(value, what: str) -> dt.date | None:
    _check_date(value, what)
    return value
