"""Records kept beside the plan but not part of it: what was exported, and who signed what.
They do not change the plan's fingerprint."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import zlib

from planner import clock
from planner import fields as F
from planner.errors import EditError, PlanFileError
from planner.model import Plan
from planner.signoff import Decision, ExportRecord, SignOff

# A plan's JSON compresses about tenfold; a record that claims to inflate much further was not
# written by Pool Planner, and is not inflated past this (a "zip bomb" in a received plan).
MOST_INFLATION = 100
MOST_INFLATED = 1 << 30  # bytes, whatever the ratio


def _inflated(blob: bytes) -> str:
    limit = min(MOST_INFLATED, MOST_INFLATION * max(len(blob), 1_000))
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(blob, limit)
        if inflater.unconsumed_tail or not inflater.eof:
            raise PlanFileError(
                "The plan's record of an export is damaged or far larger than any plan; "
                "a return of that version cannot be compared with it."
            )
        return data.decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        raise PlanFileError(
            "The plan's record of an export is damaged; a return of that version cannot be "
            "compared with it."
        ) from None


class RecordEdits:
    """Mixed into ``PlanFile``, which provides ``plan``, ``_conn`` and ``_transaction``."""

    plan: Plan
    _conn: sqlite3.Connection

    def _transaction(
        self, name: str | None = None
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def record_export(
        self, fingerprint: str, version: int, plan_json: str, on: dt.date | None = None
    ) -> None:
        """Keep what was sent, so a return can be compared with it: the plan once per
        fingerprint, compressed. The date is the first time it was sent: a decision signed
        from it is dated no earlier (exporting the same plan again keeps that date)."""
        with self._transaction("Record the export") as c:
            c.execute(
                "INSERT INTO export_record (fingerprint, version, exported_on, plan_json) "
                "VALUES (?, ?, ?, '') ON CONFLICT (fingerprint) DO UPDATE SET "
                "exported_on = min(exported_on, excluded.exported_on)",
                (fingerprint, version, (on or clock.today()).isoformat()),
            )
            known = c.execute(
                "SELECT 1 FROM export_plan WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
            if not known:
                c.execute(
                    "INSERT INTO export_plan (fingerprint, plan) VALUES (?, ?)",
                    (fingerprint, zlib.compress(plan_json.encode("utf-8"), 6)),
                )

    def keep_sent(self, key: str, plan_json: str) -> None:
        """Keep the plan a quarterly return was made from (monitoring and all) under ``key``,
        the return's own key, so the return can be compared with exactly what was sent. Not an
        edit of the plan: no history entry, nothing to undo, the version unchanged."""
        if self.read_only:
            raise EditError("This plan is open read-only; the return's record was not kept.")
        self._check_still_there()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "INSERT OR IGNORE INTO export_plan (fingerprint, plan) VALUES (?, ?)",
                (key, zlib.compress(plan_json.encode("utf-8"), 6)),
            )
            self._conn.execute("COMMIT")
        except sqlite3.Error as e:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise EditError(f"The plan file could not be written ({e}).") from None

    def kept_plan(self, key: str) -> str | None:
        """The plan kept under ``key`` by ``keep_sent`` or an export (None: none)."""
        row = self._conn.execute(
            "SELECT plan FROM export_plan WHERE fingerprint = ?", (key,)
        ).fetchone()
        return _inflated(row[0]) if row else None

    def exported(self, fingerprint: str) -> tuple[int, dt.date] | None:
        """The version and first date of an export, without inflating the plan it kept."""
        row = self._conn.execute(
            "SELECT version, exported_on FROM export_record WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        return (row[0], dt.date.fromisoformat(row[1])) if row else None

    def export_record(self, fingerprint: str) -> ExportRecord | None:
        row = self._conn.execute(
            "SELECT r.fingerprint, r.version, r.exported_on, r.plan_json, p.plan "
            "FROM export_record r LEFT JOIN export_plan p USING (fingerprint) "
            "WHERE r.fingerprint = ?",
            (fingerprint,),
        ).fetchone()
        if row is None:
            return None
        plan_json = row[3] if row[4] is None else _inflated(row[4])
        return ExportRecord(row[0], row[1], dt.date.fromisoformat(row[2]), plan_json)

    def record_sign_off(self, s: SignOff) -> None:
        if s.body_id not in self.plan.bodies:
            raise EditError(f"There is no body with id {s.body_id}.")
        values = (
            s.body_id,
            s.fingerprint,
            s.version,
            F.SIGNATORY.check(s.signatory),
            F.SIGNATORY_ROLE.check(s.title),
            Decision(s.decision).value,
            s.signed_on.isoformat() if s.signed_on else None,
            F.SIGN_OFF_COMMENTS.check(s.comments),
            (s.recorded_on or clock.today()).isoformat(),
        )
        name = self.plan.bodies[s.body_id].name
        with self._transaction(f"Record {name}'s sign-off") as c:
            c.execute(
                "INSERT INTO sign_off (body_id, fingerprint, version, signatory, title, decision, "
                "signed_on, comments, recorded_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (body_id, fingerprint) DO UPDATE SET signatory = excluded.signatory, "
                "title = excluded.title, decision = excluded.decision, "
                "signed_on = excluded.signed_on, comments = excluded.comments, "
                "recorded_on = excluded.recorded_on",
                values,
            )

    def sign_offs(self) -> dict[int, SignOff]:
        """Each body's latest sign-off (by date recorded, then version)."""
        latest: dict[int, SignOff] = {}
        for row in self._conn.execute(
            "SELECT body_id, fingerprint, version, decision, signatory, title, signed_on, "
            "comments, recorded_on FROM sign_off ORDER BY recorded_on, version, rowid"
        ):
            latest[row[0]] = SignOff(
                row[0],
                row[1],
                row[2],
                Decision(row[3]),
                row[4],
                row[5],
                dt.date.fromisoformat(row[6]) if row[6] else None,
                row[7],
                dt.date.fromisoformat(row[8]),
            )
        return latest
