"""Cell editors: money that refuses nonsense in place, with the reason, and drop-downs for
fixed choices."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QValidator
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from planner import money
from planner.model import Certainty
from ui import style
from ui.models.base import CERTAINTY_ROLE, CHOICES_ROLE, SIGNED_ROLE

STRIP = 6  # pixels: the certainty mark down a cell's left edge


class MoneyValidator(QValidator):
    """Accepts what ``planner.money.parse`` accepts; otherwise says why, and the cell stays open.

    Text that could still become valid while typing ("£1." ) is Intermediate, so typing is never
    blocked; the delegate will not commit it."""

    def __init__(self, parent=None, signed: bool = False):
        super().__init__(parent)
        self.reason = ""
        self.signed = signed  # a negative amount is taken (an actual's refund)

    def validate(self, text: str, pos: int):
        if not text.strip():
            self.reason = ""
            return QValidator.State.Acceptable, text, pos
        try:
            money.parse(text, allow_negative=self.signed)
        except money.MoneyError as e:
            self.reason = str(e)
            return QValidator.State.Intermediate, text, pos
        self.reason = ""
        return QValidator.State.Acceptable, text, pos


class MoneyEditor(QLineEdit):
    refused = Signal(str)  # Enter, or leaving the cell, with an amount that is not one

    def __init__(self, parent=None, signed: bool = False):
        super().__init__(parent)
        self.setValidator(MoneyValidator(self, signed))
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setPlaceholderText("e.g. 1,250,000 or £1.25m")
        self.textChanged.connect(self._show_state)
        self.inputRejected.connect(self._explain)

    def reason(self) -> str:
        return self.validator().reason

    def _show_state(self) -> None:
        bad = not self.hasAcceptableInput()
        self.setStyleSheet("QLineEdit { border: 2px solid #c0392b; }" if bad else "")
        self.setToolTip(self.reason() if bad else "")

    def _explain(self) -> None:
        if self.reason():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), self.reason(), self)

    def explain_refusal(self) -> None:
        """Enter on an amount that is not one: say why, and keep the cell open to correct it."""
        self._explain()
        self.refused.emit(self.reason())

    def focusOutEvent(self, event) -> None:
        if not self.hasAcceptableInput():
            self.refused.emit(f"{self.reason()} The cell keeps its old figure.")
        super().focusOutEvent(event)


class MoneyDelegate(QStyledItemDelegate):
    """For money cells; other cells of the same table get the default editor. A cell whose
    money has a certainty is marked so that it reads without colour (in greyscale, on a
    projector, for the colour-blind): a strip down its left edge in the timeline's pattern, and
    the part of it beyond its settlement shaded as unfunded, across that share of the cell."""

    def __init__(self, is_money, parent=None):
        super().__init__(parent)
        self._is_money = is_money

    def paint(self, painter, option, index):
        mark = index.data(CERTAINTY_ROLE)
        if mark is None:
            super().paint(painter, option, index)
            return
        certainty, beyond = mark
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        rect = opt.rect
        painter.save()
        painter.fillRect(rect, style.TINT[certainty])
        if beyond > 0:  # the unfunded part, from the right, as wide as its share
            part = QRect(rect)
            part.setLeft(rect.right() - max(round(rect.width() * beyond), 3))
            painter.fillRect(part, style.TINT[Certainty.UNFUNDED])
            painter.fillRect(part, style.cell_hatch(Certainty.UNFUNDED))
        strip = QRect(rect.left(), rect.top(), STRIP, rect.height())
        painter.fillRect(strip, style.TINT[certainty])
        painter.fillRect(strip, style.pattern_brush(certainty))
        painter.restore()
        opt.backgroundBrush = QBrush()
        opt.rect = rect.adjusted(STRIP, 0, 0, 0)
        widget = opt.widget
        (widget.style() if widget else QApplication.style()).drawControl(
            QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget
        )

    def createEditor(self, parent, option, index):
        if self._is_money(index):
            editor = MoneyEditor(parent, signed=bool(index.data(SIGNED_ROLE)))
            editor.refused.connect(index.model().refused)
            return editor
        choices = index.data(CHOICES_ROLE)
        if choices:
            combo = QComboBox(parent)
            for value, label in choices:
                combo.addItem(label, value)
            return combo
        return super().createEditor(parent, option, index)

    def eventFilter(self, editor, event):
        # The delegate swallows Enter on a bad amount before the editor sees it: say why here.
        if (
            isinstance(editor, MoneyEditor)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not editor.hasAcceptableInput()
        ):
            editor.explain_refusal()
            return True
        return super().eventFilter(editor, event)

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            value = index.data(Qt.ItemDataRole.EditRole)
            i = editor.findData(value)
            editor.setCurrentIndex(max(0, i))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, MoneyEditor) and not editor.hasAcceptableInput():
            return  # refused, and said why, by the editor itself
        super().setModelData(editor, model, index)
