"""Rebuild sample_plans/*.poolplan from the sample JSON: ``python -m planner.samples [FOLDER]``."""

import sys
from pathlib import Path

from planner.samples import NAMES, load
from planner.store import PlanFile

folder = Path(sys.argv[1] if len(sys.argv) > 1 else "sample_plans")
for name in NAMES:
    PlanFile.create(folder / f"{name}.poolplan", load(name), overwrite=True).close()
    print(folder / f"{name}.poolplan")
