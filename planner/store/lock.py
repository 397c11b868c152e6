"""One editor per plan file: a second process opening a plan gets it read-only, and is told
who has it.

On POSIX the lock is ``flock`` on the plan file itself. It is independent of SQLite's own
``fcntl`` byte-range locks, is dropped by the OS when the holder exits (even by a crash, so it
never goes stale). Windows uses a sidecar ``.lock`` file, kept rather than deleted: deleting a
lock file while others may be opening it lets two processes both "hold" it.

Who holds the lock is written beside the plan in a small owner record (``NAME.poolplan.owner``,
JSON: user, name, computer, process, since), never into the plan. The lock is the truth and the
record only says who: a record is believed only while its lock is held, a holder overwrites
any record it finds (left by a crash), and a record naming a process on this computer that no
longer runs is not believed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
from dataclasses import asdict, dataclass
from pathlib import Path

from planner import years as fy

OWNER_SUFFIX = ".owner"
_OWNER_LIMIT = 4_096  # bytes: a record is a few fields; anything larger is not one of ours


@dataclass(frozen=True)
class Owner:
    """Who has a plan open for editing, as their copy of Pool Planner recorded it."""

    user: str
    name: str  # the name they gave in the history, if any
    machine: str
    pid: int
    since: str  # ISO 8601, to the second

    @classmethod
    def me(cls, name: str = "") -> Owner:
        return cls(
            _user(),
            name,
            socket.gethostname(),
            os.getpid(),
            dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        )

    def describe(self) -> str:
        """``Jane Smith (jsmith) on FIN-LT042 since 09:14 today``."""
        who = f"{self.name} ({self.user})" if self.name and self.name != self.user else self.user
        try:
            when = dt.datetime.fromisoformat(self.since)
            today = dt.datetime.now(when.tzinfo).date() == when.date()
            since = f"{when:%H:%M} today" if today else f"{fy.day(when)}, {when:%H:%M}"
        except ValueError:
            since = "a time it did not record"
        return f"{who} on {self.machine} since {since}"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a service account)
        return "an unnamed user"


def owner_path(plan_path: Path) -> Path:
    return plan_path.with_name(plan_path.name + OWNER_SUFFIX)


def read_owner(plan_path: Path) -> Owner | None:
    """The owner record beside ``plan_path``, if there is one to believe."""
    try:
        raw = owner_path(plan_path).read_bytes()[: _OWNER_LIMIT + 1]
        if len(raw) > _OWNER_LIMIT:
            return None
        d = json.loads(raw.decode("utf-8"))
        owner = Owner(
            *(str(d[k])[:200] for k in ("user", "name", "machine")),
            int(d["pid"]),
            str(d["since"])[:40],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if owner.machine == socket.gethostname() and not _running(owner.pid):
        return None  # its process is gone: whoever holds the lock now did not write it
    return owner


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, as someone else's
    return True


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

    def __init__(self, plan_path: Path, name: str = ""):
        self._plan = plan_path
        self._target = _lock_target(plan_path)
        self._fd: int | None = None
        self._name = name
        self._record: Owner | None = None  # the owner record this lock wrote

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
        self._write_record()
        return True

    def _write_record(self) -> None:
        """Best effort: a folder that takes the plan's journal takes this; one that does not
        leaves the plan read-only anyway."""
        owner = Owner.me(self._name)
        target = owner_path(self._plan)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        try:
            temporary.write_text(json.dumps(asdict(owner)), encoding="utf-8")
            os.replace(temporary, target)
            self._record = owner
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def release(self) -> None:
        if self._fd is not None:
            if self._record is not None and read_owner(self._plan) == self._record:
                owner_path(self._plan).unlink(missing_ok=True)
            self._record = None
            os.close(self._fd)
            self._fd = None
