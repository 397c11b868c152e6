"""The .poolplan file: recognising it, migrating it, and writing every edit safely."""

from planner.store.plan_file import SUFFIX, PlanFile

__all__ = ["SUFFIX", "PlanFile"]
