"""Starting Pool Planner: ``poolplanner`` opens the desktop app (on the last plan, or the bundled
Greater Manchester sample the first time); ``poolplanner PLAN`` opens that plan; sub-commands
(``poolplanner check ...``) run the command line without loading Qt."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from planner.cli import COMMANDS
    from planner.cli import main as cli_main

    if argv and argv[0] == "board-pack":  # draws with Qt, so it lives in ui/, not planner/
        from ui.board_pack import main as board_pack

        return board_pack(argv[1:])
    if argv and argv[0] != "--sample" and (argv[0] in COMMANDS or argv[0].startswith("-")):
        return cli_main(argv)
    if argv and argv[0] != "--sample" and _looks_like_a_mistyped_command(argv[0]):
        print(
            f"poolplanner: '{argv[0]}' is neither a command nor a plan file. Commands: "
            f"{', '.join(sorted(COMMANDS))} (poolplanner --help).",
            file=sys.stderr,
        )
        return 2
    if not _have_display():
        print(
            "poolplanner: there is no display for the desktop app here. The command line "
            "works without one: poolplanner --help.",
            file=sys.stderr,
        )
        return 2
    if len(argv) == 2 and argv[0] == "--sample":
        return run_gui(None, sample=argv[1])
    return run_gui(argv[0] if argv else None)


def _looks_like_a_mistyped_command(arg: str) -> bool:
    import os

    return not os.path.exists(arg) and "." not in arg and os.sep not in arg and "/" not in arg


def _have_display() -> bool:
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(path: str | None, sample: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Pool Planner")
    app.setApplicationName("Pool Planner")
    window = start(path, sample)
    if window is None:  # the plan is open in another Pool Planner, which came forward
        return 0
    window.show()
    return app.exec()


def start(path: str | None, sample: str | None = None):
    """Build the main window and open the first plan: ``path``, else a copy of ``sample``, else
    the last plan, else the Greater Manchester sample; None, and no window, when ``path`` is
    open in another Pool Planner of this user, which is asked to come forward (a double-click
    on a plan already open). Kept apart from ``run_gui`` so tests can drive it without an
    event loop."""
    from pathlib import Path

    from planner.errors import PlannerError
    from ui.logs import log, start_logging
    from ui.main_window import MainWindow

    start_logging()
    install_excepthook()
    if path:
        from ui.single_instance import hand_over

        if hand_over(Path(path)):
            return None
    window = MainWindow()
    if path:
        window.open_path(path)
        return window
    if sample:
        try:
            window.open_path(sample_copy(sample))
        except PlannerError as e:
            window.show_message("No such sample", str(e))
        return window
    last = window.settings.value("last_plan", "")
    if last and Path(last).exists() and window.open_path(last):
        return window
    try:
        window.open_path(sample_copy("greater-manchester"))
    except Exception:  # the app must still start with no plan open
        log.exception("could not prepare the sample plan")
    return window


def sample_copy(name: str):
    """A bundled sample as a plan of the user's own, made on first use, so the bundled
    samples are never edited in place."""
    from planner.samples import load
    from planner.store import PlanFile
    from ui.logs import data_dir

    path = data_dir() / "samples" / f"{name}.poolplan"
    if not path.exists():
        plan = load(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        PlanFile.create(path, plan).close()
    return path


def install_excepthook() -> None:
    """Unexpected errors go to the log; the user gets a plain message and keeps working."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui.logs import log, log_file

    def hook(kind, value, tb):
        log.error("unexpected error", exc_info=(kind, value, tb))
        app = QApplication.instance()
        parent = app.activeWindow() if app else None
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Something went wrong",
            "Pool Planner met a problem it did not expect and stopped that action.\n\n"
            "Your plan is safe: every change is saved as you make it.\n\n"
            f"Details for support were written to {log_file()}.",
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.open()

    sys.excepthook = hook
