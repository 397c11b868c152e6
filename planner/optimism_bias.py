"""HM Treasury's published optimism-bias bounds for costs, by project type: the Supplementary
Green Book Guidance on Optimism Bias (Mott MacDonald, 2002, Table 2; unchanged since 2003), as
the ``greenbook`` R package's ``inst/extdata/optimism_bias.csv`` holds its upper bounds (its
outsourcing duration figure, 15%, is not in the guidance, which gives none, so none is kept
here). A cost line's uplift is a project type's upper bound x (1 - mitigation), or a percentage
typed in; the bound is copied onto the line when chosen, so a later edition of this file never
changes a plan's figures (nor its fingerprint) unasked."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

SOURCE = (
    "HM Treasury, Supplementary Green Book Guidance: Optimism Bias (Mott MacDonald, 2002), "
    "Table 2: capital expenditure upper and lower bounds"
)


@dataclass(frozen=True)
class ProjectType:
    key: str
    title: str
    capex_upper_bp: int
    capex_lower_bp: int


@functools.cache
def project_types() -> dict[str, ProjectType]:
    """The project types by key, in the guidance's order."""
    with open(Path(__file__).parent / "data" / "optimism_bias.csv", newline="") as f:
        return {
            row["project_type"]: ProjectType(
                row["project_type"],
                row["title"],
                int(row["capex_upper_bp"]),
                int(row["capex_lower_bp"]),
            )
            for row in csv.DictReader(f)
        }
