"""Today's date, from one place: every "today" in Pool Planner comes from ``today()``, so a
test, a benchmark or a demonstration can set the day (``set_today``, or the environment's
``POOLPLANNER_TODAY=2026-09-30``) and read the same figures on any day.

Monitoring itself never asks the calendar: the year monitored and the date its figures are as
at are the plan's settings. The clock says only what a fresh setting starts from and which
dates are still to come (a decision cannot be signed tomorrow).
"""

from __future__ import annotations

import datetime as dt
import os

_fixed: dt.date | None = None


def today() -> dt.date:
    if _fixed is not None:
        return _fixed
    told = os.environ.get("POOLPLANNER_TODAY", "")
    if told:
        try:
            return dt.date.fromisoformat(told)
        except ValueError:
            pass  # a mistyped setting is not worth refusing to start over; the calendar rules
    return dt.date.today()


def set_today(day: dt.date | None) -> None:
    """Fix today's date (None: the calendar's again)."""
    global _fixed
    _fixed = day
