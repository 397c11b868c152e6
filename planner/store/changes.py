"""What an edit did, as the store records it: the image of every row it touched, before and
after, and the change record derived from those images (Anki's ``OpChanges``: the store says what
changed, no view declares it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.store.schema import JOURNALED

Row = tuple  # a row's values, in the table's column order


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row as it was and as it became: ``before`` None for a row the edit inserted,
    ``after`` None for one it deleted."""

    table: str
    before: Row | None
    after: Row | None

    def inverse(self) -> RowChange:
        return RowChange(self.table, self.after, self.before)


@dataclass(frozen=True)
class Change:
    """Which parts of the plan an edit touched, derived from its rows. ``tables`` names the
    parts: plan, bodies, settlements, contributions, schemes, appraisal (costs, benefits and the
    gain-share agreement), risk_share, monitoring (actuals, forecasts, money received and the
    settings), sign_offs, exports. Views use it to skip work, never to decide what is true."""

    tables: frozenset[str] = frozenset()
    body_ids: frozenset[int] = frozenset()
    years: frozenset[int] = frozenset()
    # The tables (of the file: body, settlement_year ...) in which a row came or went, not
    # only changed: lists over them change shape.
    reshaped: frozenset[str] = frozenset()
    # The schemes whose monitoring, spending or risk-share line the rows touched (not kept in
    # the history): the monitored year is worked again for those alone.
    scheme_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, *tables: str, bodies=(), years=(), reshaped=()) -> Change:
        return cls(frozenset(tables), frozenset(bodies), frozenset(years), frozenset(reshaped))

    def __or__(self, other: Change) -> Change:
        return Change(
            self.tables | other.tables,
            self.body_ids | other.body_ids,
            self.years | other.years,
            self.reshaped | other.reshaped,
            self.scheme_ids | other.scheme_ids,
        )


EVERYTHING = Change.of(
    "plan",
    "bodies",
    "settlements",
    "contributions",
    "schemes",
    "appraisal",
    "risk_share",
    "monitoring",
    "sign_offs",
    reshaped=JOURNALED,
)


@dataclass(frozen=True)
class Edit:
    """One committed transaction: its human name, its rows in the order they were written, and
    what they changed. Undo replays the rows' ``before`` images, newest first."""

    name: str
    rows: tuple[RowChange, ...]
    change: Change = field(default_factory=Change)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def inverse_rows(self) -> tuple[RowChange, ...]:
        return tuple(r.inverse() for r in reversed(self.rows))
