"""UK financial years (1 April to 31 March), held as the calendar year they start in.

2025 stands for the year labelled ``2025-26``. Parsing accepts ``2025-26``, ``2025/26`` and
``2025-2026``; labels are always written the first way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from planner.errors import PlannerError

EARLIEST = 1900
LATEST = 2200

_PATTERN = re.compile(r"^\s*([0-9]{4})\s*[-/\u2013]\s*([0-9]{2}|[0-9]{4})\s*$")


class YearError(PlannerError, ValueError):
    """A financial year could not be understood."""


def day(d: dt.date) -> str:
    """A date in words, as a UK board paper writes it: ``1 April 2025`` (no leading nought)."""
    return f"{d.day} {d:%B %Y}"


def label(year: int) -> str:
    """The label of the financial year starting in ``year``: 2025 -> ``2025-26``."""
    return f"{year}-{(year + 1) % 100:02d}"


def parse(text: str | int) -> int:
    """The start year of a financial-year label, refusing labels whose halves disagree."""
    if isinstance(text, int) and not isinstance(text, bool):
        start = text
    else:
        m = _PATTERN.match(str(text))
        if not m:
            raise YearError(
                f"'{text}' is not a financial year; write it like 2025-26 (April 2025 to March 2026)."
            )
        start = int(m.group(1))
        end = m.group(2)
        expected = (start + 1) % 100 if len(end) == 2 else start + 1
        if int(end) != expected:
            raise YearError(
                f"'{text}' is not a financial year: a year starting April {start} is "
                f"{label(start)}."
            )
    if not EARLIEST <= start <= LATEST:
        raise YearError(f"{label(start)} is outside the years a plan can cover.")
    return start


def span(first: int, count: int) -> range:
    """The financial years of a plan starting in ``first`` and running ``count`` years."""
    return range(first, first + count)


def labels(years: Iterable[int]) -> list[str]:
    return [label(y) for y in years]


def describe_range(years: Iterable[int]) -> str:
    """Readable list of years, collapsing runs: ``2026-27 to 2028-29, 2030-31``."""
    parts = []
    for run in _runs(sorted(set(years))):
        if len(run) == 1:
            parts.append(label(run[0]))
        elif len(run) == 2:
            parts.append(f"{label(run[0])} and {label(run[1])}")
        else:
            parts.append(f"{label(run[0])} to {label(run[-1])}")
    return ", ".join(parts)


def _runs(years: list[int]) -> Iterator[list[int]]:
    run: list[int] = []
    for y in years:
        if run and y != run[-1] + 1:
            yield run
            run = []
        run.append(y)
    if run:
        yield run
