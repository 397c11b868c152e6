"""A table over the plan that copies, cuts, pastes and empties cells as a spreadsheet does, so
figures built in Excel come in by the block and go back out the same way.

Copy puts a rectangle of cells on the clipboard twice over: tab-separated plain numbers in
pounds (``5500000``), which any spreadsheet reads as numbers, and an HTML table of the figures as
the grid shows them. Paste fills the grid from the selection's top-left cell, or fills every
selected cell with one value; the whole paste is refused, with one message, if any value is not
one its cell takes or the block would land off the grid or on a total. A paste, a cut and an
emptying of several cells are each one edit: one undo step, one entry in the history.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QTableView, QToolTip

from planner import clipboard, money
from planner.errors import PlannerError
from ui.models.base import PENCE_ROLE


class Refused(Exception):
    """A paste, cut or emptying that is not made; the message says why."""


class PlanTable(QTableView):
    _KEYS = (
        QKeySequence.StandardKey.Copy,
        QKeySequence.StandardKey.Cut,
        QKeySequence.StandardKey.Paste,
        QKeySequence.StandardKey.Delete,
        QKeySequence.StandardKey.SelectAll,
    )

    def event(self, event) -> bool:
        # The window's Edit menu has these keys too; while a table has focus it takes them,
        # so they act on its cells whatever the menu's state.
        if event.type() == QEvent.Type.ShortcutOverride and (
            self.state() != QAbstractItemView.State.EditingState
            and (any(event.matches(k) for k in self._KEYS) or event.key() == Qt.Key.Key_Backspace)
        ):
            event.accept()
            return True
        return super().event(event)

    def viewportEvent(self, event) -> bool:
        # A name cut short to fit its column shows whole in a tooltip (unless the cell has one).
        if event.type() == QEvent.Type.ToolTip:
            index = self.indexAt(event.pos())
            text = str(index.data() or "") if index.isValid() else ""
            if text and index.data(Qt.ItemDataRole.ToolTipRole) is None:
                room = self.visualRect(index).width() - 8
                if self.fontMetrics().horizontalAdvance(text) > room:
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            for keys, act in (
                (QKeySequence.StandardKey.Copy, self.copy),
                (QKeySequence.StandardKey.Cut, self.cut),
                (QKeySequence.StandardKey.Paste, self.paste),
            ):
                if event.matches(keys):
                    act()
                    return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear()
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        menu = QMenu(self)
        for text, act, keys in (
            ("Cu&t", self.cut, QKeySequence.StandardKey.Cut),
            ("&Copy", self.copy, QKeySequence.StandardKey.Copy),
            ("&Paste", self.paste, QKeySequence.StandardKey.Paste),
            ("&Delete", self.clear, QKeySequence.StandardKey.Delete),
        ):
            menu.addAction(text, keys, act)
        menu.addSeparator()
        menu.addAction("Select &All", QKeySequence.StandardKey.SelectAll, self.selectAll)
        menu.exec(event.globalPos())

    # -- what the selection is ------------------------------------------------------------

    def _block(self) -> tuple[int, int, int, int]:
        """The selected rectangle (top, left, bottom, right), or the current cell."""
        cells = self.selectedIndexes() or (
            [self.currentIndex()] if self.currentIndex().isValid() else []
        )
        if not cells:
            raise Refused("Select the cells first.")
        rows = [i.row() for i in cells]
        cols = [i.column() for i in cells]
        top, left, bottom, right = min(rows), min(cols), max(rows), max(cols)
        if len({(i.row(), i.column()) for i in cells}) != (bottom - top + 1) * (right - left + 1):
            raise Refused("That works on one block of cells: select a rectangle.")
        return top, left, bottom, right

    def _selected(self) -> list[QModelIndex]:
        top, left, bottom, right = self._block()
        model = self.model()
        return [model.index(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)]

    # -- the clipboard --------------------------------------------------------------------

    def copy(self) -> bool:
        return self._attempt(lambda: self._copy() or True)

    def cut(self) -> bool:
        return self._attempt(lambda: self._copy() or self._empty("Cut"))

    def paste(self) -> bool:
        return self._attempt(self._paste)

    def clear(self) -> bool:
        """Empty the selected figures (Delete): names and choices are left as they are."""
        return self._attempt(lambda: self._empty("Empty"))

    def _attempt(self, act) -> bool:
        """Whether ``act`` made its change; if not, the model has said why."""
        try:
            return act()
        except Refused as e:
            self.model().refused.emit(str(e))  # in the status bar, and here, where the eye is
            at = self.visualRect(self.currentIndex()).bottomLeft()
            QToolTip.showText(self.viewport().mapToGlobal(at), str(e), self)
            return False

    def _copy(self) -> None:
        top, left, bottom, right = self._block()
        model = self.model()
        plain, shown, numeric = [], [], []
        for r in range(top, bottom + 1):
            plain.append([])
            shown.append([])
            numeric.append([])
            for c in range(left, right + 1):
                index = model.index(r, c)
                pence = index.data(PENCE_ROLE)
                text = index.data(Qt.ItemDataRole.DisplayRole)
                text = "" if text is None else str(text)
                is_money = isinstance(pence, int)
                plain[-1].append(money.plain(pence) if is_money else text)
                shown[-1].append(money.format(pence, brackets=True) if is_money else text)
                numeric[-1].append(is_money)
        data = QMimeData()
        data.setText(clipboard.tsv(plain))
        data.setHtml(clipboard.html(shown, numeric))
        QApplication.clipboard().setMimeData(data)

    def _empty(self, verb: str) -> bool:
        model = self.model()
        writes = []
        for index in self._selected():
            try:
                write = model.write_for(index, "")
            except LookupError:
                continue  # a name, a choice or a total: Delete empties figures only
            except (ValueError, PlannerError) as e:
                raise Refused(f"Nothing was emptied: {self._where(index)}: {e}") from None
            if write is not None:
                writes.append(write)
        return self._write(writes, verb)

    def _paste(self) -> bool:
        model = self.model()
        try:
            block = clipboard.parse_block(QApplication.clipboard().text())
        except clipboard.BlockError as e:
            raise Refused(str(e)) from None
        top, left, _bottom, _right = self._block()
        if len(block) == 1 and len(block[0]) == 1:
            # One value into a selected range fills it, as in Excel.
            targets = [(i.row(), i.column(), block[0][0]) for i in self._selected()]
        else:
            targets = [
                (top + dr, left + dc, value)
                for dr, row in enumerate(block)
                for dc, value in enumerate(row)
            ]
        writes = []
        if max(c for _r, c, _v in targets) >= model.columnCount():
            raise Refused("Nothing was pasted: the block runs past the grid's last column.")
        if max(r for r, _c, _v in targets) >= model.rowCount():
            raise Refused("Nothing was pasted: the block runs past the grid's last row.")
        for r, c, value in targets:  # in reading order: the first problem is the one named
            index = model.index(r, c)
            try:
                write = model.write_for(index, value)
            except LookupError:
                raise Refused(
                    f"Nothing was pasted: the block would land on {self._where(index)}, which "
                    f"is not a figure that can be typed (a name or a total)."
                ) from None
            except (ValueError, PlannerError) as e:
                raise Refused(f"Nothing was pasted: {self._where(index)}: {e}") from None
            if write is not None:
                writes.append(write)
        return self._write(writes, "Paste")

    def _write(self, writes: list, verb: str) -> bool:
        """Make ``writes`` as one edit (the model says why if it is refused)."""
        if not writes:
            return True  # every cell already held what it would be given
        n = len(writes)
        name = f"{verb} {n} cell{'s' if n != 1 else ''}"
        return self.model().run(lambda f: [write(f) for write in writes], name)

    def _where(self, index: QModelIndex) -> str:
        """A cell as a person names it: its column and its row's first cell."""
        model = self.model()
        column = model.headerData(index.column(), Qt.Orientation.Horizontal)
        row = model.index(index.row(), 0).data(Qt.ItemDataRole.DisplayRole)
        return f"{column}, {row}" if row else str(column)
