"""Where the app writes what went wrong: a log file under the user's data folder. Tracebacks go
there, never on screen."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from PySide6.QtCore import QStandardPaths

log = logging.getLogger("poolplanner")


def data_dir() -> Path:
    """``Pool Planner`` in the user's data folder. Not Qt's AppDataLocation, which names the
    organisation and then the app: the same name twice, "Pool Planner/Pool Planner"."""
    from PySide6.QtCore import QCoreApplication

    generic = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    path = Path(generic) / (QCoreApplication.applicationName() or "Pool Planner")
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "poolplanner.log"


def start_logging() -> Path:
    path = log_file()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in log.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path
