"""Writing files whole or not at all: write a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
