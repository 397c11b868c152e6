"""One window per plan across every Pool Planner of this user on this computer. A window editing
a plan answers on a local socket named for that plan; opening the plan again, by a double-click
that starts a second Pool Planner or from File > Open in another one, asks that window to come
forward instead of opening a read-only copy of yourself.

Only the holder of a plan's lock serves its channel, so a socket left by a window that crashed
can be taken over. What is sent is one word: the channel's name says which plan, and the socket
is open only to this user.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ui.logs import log

CONNECT_MS = 300
ANSWER_MS = 1500
_ASK, _ANSWER = b"show\n", b"shown\n"


def channel_name(plan_path: Path) -> str:
    user = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    key = hashlib.sha256(os.path.realpath(plan_path).encode("utf-8", "surrogateescape"))
    return f"poolplanner-{user}-{key.hexdigest()[:24]}"


class PlanChannel(QObject):
    """The channel of one plan, served while its window edits it."""

    show_requested = Signal()

    def __init__(self, plan_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = channel_name(plan_path)
        QLocalServer.removeServer(name)  # left by a crash: this window holds the plan's lock now
        if not self.server.listen(name):
            log.info("no channel for %s: %s", plan_path, self.server.errorString())
        self.server.newConnection.connect(self._connected)

    def _connected(self) -> None:
        while (sock := self.server.nextPendingConnection()) is not None:
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)

    def _read(self, sock: QLocalSocket) -> None:
        if bytes(sock.readAll()).startswith(_ASK):
            sock.write(_ANSWER)
            sock.flush()
            self.show_requested.emit()
        sock.disconnectFromServer()

    def close(self) -> None:
        self.server.close()


def hand_over(plan_path: Path) -> bool:
    """Whether a window editing ``plan_path`` answered and came forward. Never to be asked of a
    channel this process serves: it waits for the answer, which this process would then give
    only after the wait."""
    sock = QLocalSocket()
    sock.connectToServer(channel_name(plan_path))
    if not sock.waitForConnected(CONNECT_MS):
        return False
    sock.write(_ASK)
    sock.flush()
    answered = b""
    while len(answered) < len(_ANSWER) and sock.waitForReadyRead(ANSWER_MS):
        answered += bytes(sock.readAll())
    sock.abort()
    return answered.startswith(_ANSWER)
