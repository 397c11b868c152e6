"""The timeline for a screen reader. It is painted, not made of widgets, so without this an
assistive tool sees one blank box: here each bar (a body's money in a year) and each renewal
cliff is an item with a name that says what the picture shows, e.g. "NHS Salford CCG, 2015-16,
£16.5m indicative, after its confirmed horizon".

Qt asks for the items through ``QAccessible``'s factory (installed once, by ``install``); their
names are read from the plan when asked, so they are never stale. The same words serve the
keyboard's focus on a bar (see ``TimelineView.keyPressEvent``).
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget

from planner import years as fy
from ui import style


def bar_name(doc, body_id: int, year: int) -> str:
    """What a body's bar in ``year`` says, in words."""
    from ui.timeline.painter import short_money

    plan = doc.plan
    bf = doc.figures.bodies[body_id]
    name = f"{plan.bodies[body_id].name}, {fy.label(year)}"
    split = bf.by_year.get(year)
    if split is None or not split.total:
        return f"{name}, no contribution"
    parts = [
        f"{short_money(getattr(split, c.value))} {style.WORD[c].lower()}"
        for c in style.WORD
        if getattr(split, c.value)
    ]
    horizon = bf.confirmed_until
    where = ""
    if horizon is None or year > horizon:
        where = ", after its confirmed horizon"
    return f"{name}, {' and '.join(parts)}{where}"


class _Item(QAccessibleInterface):
    """One bar, or one renewal cliff, of the timeline."""

    def __init__(self, timeline: TimelineAccessible, key: tuple):
        super().__init__()
        self._timeline, self.key = timeline, key

    def isValid(self) -> bool:
        return self._timeline.index_of(self.key) >= 0

    def object(self):
        return None

    def window(self):
        return self._timeline.window()

    def parent(self):
        return self._timeline

    def child(self, index: int):
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child) -> int:
        return -1

    def childAt(self, x: int, y: int):
        return None

    def text(self, kind) -> str:
        if kind != QAccessible.Text.Name or not self.isValid():
            return ""
        return self._timeline.name_of(self.key)

    def setText(self, kind, text: str) -> None:
        pass  # read-only: a bar's money is changed in the editors

    def rect(self) -> QRect:
        return self._timeline.rect_of(self.key)

    def role(self):
        return QAccessible.Role.Cell if self.key[0] == "bar" else QAccessible.Role.StaticText

    def state(self):
        state = QAccessible.State()
        state.focusable = self.key[0] == "bar"
        state.focused = self._timeline.view.focused_bar() == self.key[1:]
        return state


class TimelineAccessible(QAccessibleWidget):
    def __init__(self, view):
        super().__init__(view, QAccessible.Role.Table, "Funding timeline")
        self.view = view
        self._items: dict[tuple, _Item] = {}  # one per key, as Qt expects of its children

    # The children: every body's bar in every year, body by body, then the renewal cliffs. By
    # arithmetic, not a list: a screen reader walks them all, and a large plan has 96,000 bars.

    def childCount(self) -> int:
        plan = self.view.doc.plan
        return len(plan.bodies) * plan.years + len(self.view.painter.cliffs())

    def key_at(self, index: int) -> tuple | None:
        plan = self.view.doc.plan
        bars = len(plan.bodies) * plan.years
        if 0 <= index < bars:
            body = list(plan.bodies)[index // plan.years]
            return ("bar", body, plan.first_year + index % plan.years)
        cliffs = self.view.painter.cliffs()
        return ("cliff", cliffs[index - bars][0]) if 0 <= index - bars < len(cliffs) else None

    def index_of(self, key: tuple) -> int:
        """Where ``key`` is among the children; -1 if it is no longer (its body deleted)."""
        plan = self.view.doc.plan
        if key[0] == "bar":
            _, body, year = key
            if body not in plan.bodies or year not in plan.year_range:
                return -1
            return list(plan.bodies).index(body) * plan.years + (year - plan.first_year)
        years = [year for year, _label in self.view.painter.cliffs()]
        return len(plan.bodies) * plan.years + years.index(key[1]) if key[1] in years else -1

    def child(self, index: int):
        key = self.key_at(index)
        if key is None:
            return None
        if key not in self._items:
            self._items[key] = _Item(self, key)
        return self._items[key]

    def indexOfChild(self, child) -> int:
        return self.index_of(child.key) if isinstance(child, _Item) else -1

    def name_of(self, key: tuple) -> str:
        if key[0] == "bar":
            return bar_name(self.view.doc, key[1], key[2])
        label = dict(self.view.painter.cliffs()).get(key[1], "")
        return f"Renewal cliff after {fy.label(key[1])}: {label}"

    def rect_of(self, key: tuple) -> QRect:
        local = self.view.bar_rect(*key[1:]) if key[0] == "bar" else self.view.cliff_rect(key[1])
        if local is None:
            return QRect()
        return QRect(self.view.viewport().mapToGlobal(local.topLeft()), local.size())


def _factory(key: str, obj):
    from ui.timeline.view import TimelineView

    return TimelineAccessible(obj) if isinstance(obj, TimelineView) else None


_installed = False


def install() -> None:
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
