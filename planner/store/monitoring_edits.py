"""Edits to the year after sign-off: the risk-share agreement (part of the plan), and in-year
monitoring beside it (the year monitored and its as-at date, actuals, forecasts and
explanations, money received). Like every edit: validate, one transaction, then memory."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable

from planner import fields as F
from planner import monitoring as mon
from planner import risk_share
from planner import years as fy
from planner.errors import EditError
from planner.model import (
    Method,
    Monitoring,
    Plan,
    RiskShare,
    SchemeYearMonitoring,
)
from planner.store import rows
from planner.store.edits import field_words

# (scheme id, year, quarter, pence or None to clear, marked as a refund)
ActualChange = tuple[int, int, int, int | None, bool]


class MonitoringEdits:
    """Mixed into ``PlanFile``, which provides ``plan``, ``_transaction`` and the checks."""

    plan: Plan

    def _transaction(
        self, name: str | None = None
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    # -- the settings -------------------------------------------------------------------------

    def set_monitoring(self, **fields) -> Monitoring:
        """Change any of: year (a plan year, or None), as_at (a date, or None), threshold_bp."""
        old = self.plan.monitoring
        words = field_words(fields)
        year = fields.pop("year", old.year)
        as_at = fields.pop("as_at", old.as_at)
        threshold = F.MONITORING_THRESHOLD.check(fields.pop("threshold_bp", old.threshold_bp))
        if fields:
            raise EditError(f"Monitoring has no setting called {sorted(fields)[0]!r}.")
        if year is not None:
            year = self._check_year(fy.parse(year))
        if as_at is not None and (not isinstance(as_at, dt.date) or isinstance(as_at, dt.datetime)):
            raise EditError("The as-at date must be a date.")
        new = Monitoring(year, as_at, threshold)
        for scheme in self.plan.schemes.values():  # actuals stay in quarters that have ended
            for y, record in scheme.monitored.items():
                late = [q for q in record.actuals if not _ended(y, q, as_at)]
                if late:
                    raise EditError(
                        f"{scheme.name} has an actual for {mon.quarter_label(late[0])} "
                        f"{fy.label(y)}, which would not have ended by "
                        f"{fy.day(as_at) if as_at else 'an as-at date left empty'}; clear it "
                        f"first. Nothing was changed."
                    )
        with self._transaction(f"Change monitoring {words}") as c:
            c.execute(
                "UPDATE monitoring SET year = ?, as_at = ?, threshold_bp = ? WHERE id = 1",
                (new.year, new.as_at.isoformat() if new.as_at else None, new.threshold_bp),
            )
        return self.plan.monitoring

    # -- actuals ------------------------------------------------------------------------------

    def set_actual(
        self, scheme_id: int, year: int, quarter: int, amount_pence: int | None, refund=False
    ) -> None:
        """A scheme's spending in one quarter as reported (None: not reported). A negative
        amount is a refund and must be marked ``refund``."""
        self.set_actuals([(scheme_id, year, quarter, amount_pence, refund)])

    def set_actuals(self, changes: Iterable[ActualChange], name: str | None = None) -> None:
        """Several actuals in one transaction: all of them or, if any is refused, none."""
        planned = {}
        for scheme_id, year, quarter, amount, refund in changes:
            scheme = self._scheme(scheme_id)
            year = self._check_year(fy.parse(year))
            quarter = _quarter(quarter)
            if not _ended(year, quarter, self.plan.monitoring.as_at):
                raise EditError(
                    f"{mon.quarter_label(quarter)} {fy.label(year)} has not ended by the as-at "
                    f"date ({self._as_at_words()}), so it has no actual spending yet; enter a "
                    f"forecast instead."
                )
            if amount is not None:
                amount = F.ACTUAL.check(amount)
                if amount < 0 and not refund:
                    raise EditError(
                        f"{scheme.name} {mon.quarter_label(quarter)}: an actual is negative only "
                        f"as a refund; mark it as one, or enter the spending."
                    )
                if refund and amount >= 0:
                    raise EditError("A refund is entered as a negative amount, such as -5,000.")
            planned[(scheme_id, year, quarter)] = amount
        if not planned:
            return
        if name is None:
            if len(planned) == 1:
                (scheme_id, year, quarter), amount = next(iter(planned.items()))
                verb = "Enter" if amount is not None else "Clear"
                name = (
                    f"{verb} {self.plan.schemes[scheme_id].name} Q{quarter} {fy.label(year)} actual"
                )
            else:
                name = f"Change {len(planned)} actuals"
        with self._transaction(name) as c:
            for (scheme_id, year, quarter), amount in planned.items():
                key = {"scheme_id": scheme_id, "year": year, "quarter": quarter}
                values = None if amount is None else {"amount_pence": amount, "refund": amount < 0}
                rows.put_row(c, "scheme_actual", key, values)

    def _as_at_words(self) -> str:
        as_at = self.plan.monitoring.as_at
        return f"as at {fy.day(as_at)}" if as_at else "none is set"

    # -- a scheme's year: forecast, explanation, uncommitted money, profile ----------------------

    def update_scheme_year(self, scheme_id: int, year: int, **fields) -> SchemeYearMonitoring:
        """Change any of: method, forecast_pence, reason, explanation, uncommitted_pence,
        profile_bp (four basis-point shares adding up to 100%, or None for equal quarters)."""
        scheme = self._scheme(scheme_id)
        year = self._check_year(fy.parse(year))
        old = scheme.monitored.get(year) or SchemeYearMonitoring()
        words = field_words(fields)
        method = F.choice(Method, fields.pop("method", old.method), "forecast method")
        new = SchemeYearMonitoring(
            {},
            method,
            F.FORECAST.check(fields.pop("forecast_pence", old.forecast_pence)),
            F.FORECAST_REASON.check(fields.pop("reason", old.reason)),
            F.EXPLANATION.check(fields.pop("explanation", old.explanation)),
            F.UNCOMMITTED.check(fields.pop("uncommitted_pence", old.uncommitted_pence)),
            mon.check_profile(fields.pop("profile_bp", old.profile_bp)),
        )
        if fields:
            raise EditError(f"A scheme's year has no field called {sorted(fields)[0]!r}.")
        if new.method is Method.ENTERED and not new.reason:
            raise EditError(
                f"An entered forecast for {scheme.name} needs a reason: say why the rest of the "
                f"year will differ from its profile."
            )
        row = rows.scheme_monitoring_row(scheme_id, year, new)
        names = rows.SCHEME_MONITORING_COLUMNS.split(", ")
        # The defaults: no row, as a fresh plan has none.
        values = None if new.is_empty() else dict(zip(names[2:], row[2:], strict=True))
        with self._transaction(f"Change {scheme.name} {fy.label(year)} {words}") as c:
            rows.put_row(c, "scheme_monitoring", {"scheme_id": scheme_id, "year": year}, values)
        return scheme.monitored.get(year) or SchemeYearMonitoring()

    # -- money received -------------------------------------------------------------------------

    def set_received(self, body_id: int, year: int, quarter: int, amount_pence: int | None) -> None:
        """What ``body_id`` paid into the pool in a quarter (None: nothing recorded)."""
        body = self._body(body_id)
        year = self._check_year(fy.parse(year))
        quarter = _quarter(quarter)
        if amount_pence is not None:
            F.RECEIVED.check(amount_pence)
        key = {"body_id": body_id, "year": year, "quarter": quarter}
        with self._transaction(f"Record {body.name} Q{quarter} {fy.label(year)} received") as c:
            rows.put_row(c, "payment", key, rows.amount(amount_pence))

    # -- the risk-share agreement ---------------------------------------------------------------

    def set_risk_share(self, **fields) -> RiskShare:
        """Change any of: rule, shared (scheme ids), percent_bp (body -> share), caps (body ->
        ``Cap``), reserve_pence, underspend. The whole agreement is checked as it would be."""
        old = self.plan.risk_share
        new = risk_share.check_agreement(self.plan, old, fields)
        with self._transaction("Change the risk-share agreement") as c:
            rows.write_risk_share(c, old, new)
        return self.plan.risk_share


def _quarter(quarter) -> int:
    if isinstance(quarter, bool) or quarter not in mon.QUARTERS:
        raise EditError("A quarter is 1 to 4 (Q1 April to June ... Q4 January to March).")
    return quarter


def _ended(year: int, quarter: int, as_at: dt.date | None) -> bool:
    return as_at is not None and mon.quarter_end(year, quarter) <= as_at
