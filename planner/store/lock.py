"""One editor per plan file: a second process opening a plan gets it read-only.

On POSIX the lock is ``flock`` on the plan file itself. It is independent of SQLite's own
``fcntl`` byte-range locks, is dropped by the OS when the holder exits (even by a crash, so it
never goes stale), and leaves no sidecar file. Windows uses a sidecar ``.lock`` file, kept rather
than deleted: deleting a lock file while others may be opening it lets two processes both "hold" it.
"""

from __future__ import annotations

import os
from pathlib import Path

if os.name == "nt":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _lock_target(plan_path: Path) -> Path:
        return plan_path.with_name(plan_path.name + ".lock")

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
else:
    import fcntl

    def _lock_target(plan_path: Path) -> Path:
        return plan_path

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False


class PlanLock:
    """Held while a plan is open for editing."""

    def __init__(self, plan_path: Path):
        self._target = _lock_target(plan_path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """True if this process now holds the lock; False if another process does."""
        flags = os.O_RDWR | (os.O_CREAT if self._target.suffix == ".lock" else 0)
        try:
            fd = os.open(self._target, flags, 0o644)
        except OSError:
            # Not writable here: the plan cannot be edited anyway, and opening it says so.
            return True
        if not _try_lock(fd):
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
