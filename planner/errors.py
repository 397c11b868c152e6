"""One exception type per kind of failure, each carrying a message a finance officer understands.

The UI shows ``str(error)``; the CLI prints it to stderr. Neither shows a traceback.
"""

from __future__ import annotations


class PlannerError(Exception):
    """Base for every failure the app explains to the user."""


class PlanFileError(PlannerError):
    """A .poolplan file cannot be opened."""


class NotAPlanError(PlanFileError):
    """The file is something else: text, another app's database, a spreadsheet."""


class NewerPlanError(PlanFileError):
    """The plan was written by a newer Pool Planner whose file format this one cannot read."""


class DamagedPlanError(PlanFileError):
    """The file is a plan, but truncated or corrupt."""


class PlanExistsError(PlanFileError):
    """Creating a plan would overwrite an existing file."""


class PlanFormatError(PlannerError):
    """A plan in JSON (``poolplanner load``) is malformed; the message names the field."""


class EditError(PlannerError):
    """An edit was refused because it would make the plan invalid (the plan is unchanged)."""


class RevertConflict(EditError):
    """Reverting history entries was refused because later entries wrote the same rows;
    ``later`` names them, so the user can be offered to revert them together."""

    def __init__(self, message: str, later: list):
        super().__init__(message)
        self.later = later


class ReturnError(PlannerError):
    """A returned workbook cannot be read or matched; the message says why. Nothing was
    changed."""
