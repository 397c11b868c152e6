"""Pool Planner's domain: plans, their storage, every figure and finding, import and export.

Nothing here imports Qt, so the command line, the tests and the GUI share one source of truth.
"""

__version__ = "0.1.0"
