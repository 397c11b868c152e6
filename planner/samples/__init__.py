"""The bundled sample plans: the four Whole Place Community Budget pilots, and a Better Care
Fund in its first year of monitoring (Anyshire, illustrative).

Each is kept as plan JSON beside this file (reviewable, diffable); ``sample_plans/*.poolplan``
are built from them by ``python -m planner.samples``.
"""

from __future__ import annotations

from importlib import resources

from planner import jsonio
from planner.errors import PlannerError
from planner.model import Plan

PILOTS = ("greater-manchester", "cheshire-west", "essex", "tri-borough")
NAMES = (*PILOTS, "anyshire-bcf")


def load(name: str) -> Plan:
    if name not in NAMES:
        raise PlannerError(f"There is no sample called '{name}'. Samples: {', '.join(NAMES)}.")
    return jsonio.loads(resources.files(__package__).joinpath(f"{name}.json").read_text("utf-8"))
