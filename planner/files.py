"""Writing files whole or not at all: write a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from planner.errors import PlannerError
from planner.text import quoted, shown


def temp_beside(path: Path) -> Path:
    """An empty temporary file in ``path``'s folder, with the permissions a new file gets
    there (mkstemp's are owner-only), so the plan renamed from it is readable as usual."""
    folder = path.resolve().parent
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    if hasattr(os, "fchmod"):  # not on Windows, where mkstemp's file is already usable
        os.fchmod(fd, 0o666 & ~umask)
    os.close(fd)
    return Path(name)


def check_target(path: Path, what: str, error: type[PlannerError] = PlannerError) -> None:
    """Refuse, in words, a ``path`` that ``what`` (a file: "the copy", "the board pack") cannot
    be written to: a folder, or a name in a folder that is not there. Said before any
    temporary file is tried, whose own error would name the temporary file."""
    if path.is_dir():
        raise error(f"{quoted(path)} is a folder; give {what} a file name.")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise error(f"The folder '{shown(str(folder))}' does not exist.")
