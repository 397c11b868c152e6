"""Where a file the user names is written: the save dialog's answer with the file type's ending
added (not put in place of what follows the name's last dot: "Board pack v1.2" is
"Board pack v1.2.pdf", not "Board pack v1.pdf"), and a second question when that added ending
names a file that exists, which the dialog, asked about the name as typed, did not ask."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from planner.text import quoted


def with_ending(path: Path, endings: list[str], default: str) -> Path:
    """``path`` if it ends in one of ``endings`` (any case), else with ``default`` added."""
    if path.suffix.lower() in endings:
        return path
    return path.with_name(path.name + default)


def ask_save_path(
    parent: QWidget,
    title: str,
    suggested: Path,
    filters: dict[str, str],
    chosen: str | None = None,
) -> Path | None:
    """Ask where to save. ``filters``: ending (".pdf") -> what the dialog calls it; ``chosen``,
    the ending selected at first. None if the user cancels, here or at the second question."""
    names = {ending: f"{label} (*{ending})" for ending, label in filters.items()}
    answer, picked = QFileDialog.getSaveFileName(
        parent, title, str(suggested), ";;".join(names.values()), names.get(chosen or "", "")
    )
    if not answer:
        return None
    typed = Path(answer)
    # The ending of the filter the user picked, where a dialog says which; else the first.
    default = next((e for e, n in names.items() if n == picked), next(iter(filters)))
    target = with_ending(typed, list(filters), default)
    if target != typed and target.exists():
        ask = QMessageBox.question(
            parent,
            title,
            f"{quoted(target)} already exists in {quoted(target.parent)}. Replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if ask != QMessageBox.StandardButton.Yes:
            return None
    return target
