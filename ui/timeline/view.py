"""The timeline widget: scrolls through the lanes, keeps the header and totals in view, shows
figures on hover and reports clicks so the editors can select what was clicked."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip

from planner import money
from planner import years as fy
from planner.results import describe
from ui import style
from ui.document import Change, PlanDocument
from ui.timeline.layout import Row, TimelineLayout
from ui.timeline.painter import Highlight, TimelinePainter


class TimelineView(QAbstractScrollArea):
    bodyYearClicked = Signal(int, int)  # body id, year (year -1: the name was clicked)
    settlementClicked = Signal(int, int)  # settlement id, year

    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.painter = TimelinePainter(doc, self.font())
        self._presenting = False
        self._base_font = self.font()
        self.painter.bar_cache = {}
        self.painter.lane_cache = {}
        self._layout: TimelineLayout | None = None
        self._room: int | None = None  # the viewport height the layout fits its lanes to
        self._marks = self.painter.update_marks()  # as last shown
        self._focus: tuple[int, int] | None = None  # the bar the keyboard is on: body, year
        from ui.timeline.accessible import install

        install()  # a screen reader's view of the bars (ui/timeline/accessible.py)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setAccessibleName("Funding timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A year is monitored: the totals strip has its outturn line.
        self._monitored = self._describe()
        doc.changed.connect(self._on_changed)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)

    # -- state ------------------------------------------------------------------------------

    def _describe(self) -> bool:
        """Say the year monitored's outturn to a screen reader; whether a year is monitored."""
        from ui.timeline.painter import outturn_words

        report = self.doc.analysis.report
        self.setAccessibleDescription(outturn_words(report) if report else "")
        return report is not None

    def _on_changed(self, change: Change) -> None:
        monitored = self._describe()
        if (
            change.tables <= {"monitoring"}
            and change.scheme_ids | change.body_ids
            and self._monitored == monitored
            and self._layout
        ):
            # An actual, a forecast or money received: only the outturn line (the totals
            # strip's last) says so; no lane moves, nor the header (the quarters reported
            # move with the as-at date, a change of the settings row, which repaints all).
            strip = self._totals_rect()
            line = strip.height() // self.painter.metrics.totals_lines
            self.viewport().update(strip.adjusted(0, strip.height() - line - 2, 0, 0))
            return
        self._monitored = monitored
        # Lanes come and go with bodies and settlements; a settlement year past the plan's end
        # adds a year to the header.
        past_the_end = "settlement_year" in change.reshaped and any(
            y > self.doc.plan.last_year for y in change.years
        )
        lanes_stay = (
            "plan" not in change.tables
            and not change.reshaped & {"body", "settlement"}
            and not past_the_end
        )
        within = change.tables <= {"contributions", "settlements"} and change.body_ids
        # The marks of misalignment (cliffs across every lane, cycle tags) move with the
        # findings: if they changed, so has more than the edited lanes.
        marks = self.painter.update_marks()
        marks_stay, self._marks = marks == self._marks, marks
        if lanes_stay and within and marks_stay and self._layout is not None:
            # Money or certainty moved within some bodies: their lanes and the totals strip
            # change, nothing else on screen does.
            for row, rect in self._rows_on_screen():
                if row.body_id in change.body_ids:
                    self.viewport().update(rect)
            self.viewport().update(self._totals_rect())
            return
        if not lanes_stay or "bodies" in change.tables:
            self._layout = None  # lanes came or went, or a name changed the names' column
        self._sync_scrollbars()
        self.viewport().update()

    def _rows_on_screen(self) -> list[tuple[Row, QRect]]:
        """The lanes in view, each with where it is on screen (cut to the lanes' area)."""
        lay = self.layout_now()
        top = self.verticalScrollBar().value()
        visible = self._lanes_height()
        width = self.viewport().width()
        rows = []
        for row in lay.rows_between(top, top + visible):
            y = max(lay.header, lay.header + row.top - top)
            bottom = min(lay.header + visible, lay.header + row.top - top + row.height)
            rows.append((row, QRectF(0, y, width, bottom - y).toAlignedRect()))
        return rows

    def _totals_rect(self) -> QRect:
        m = self.painter.metrics
        height = self.viewport().height()
        return QRectF(0, height - m.totals, self.viewport().width(), m.totals).toAlignedRect()

    def layout_now(self) -> TimelineLayout:
        width = self.viewport().width()
        height = self.viewport().height()
        if self._layout is None or (self._layout.width, self._room) != (width, height):
            self._room = height
            if self._presenting:
                self._fit_presentation_font(width)
            self._layout = self.painter.layout(width, height)
        return self._layout

    def set_expanded(self, body_ids: set[int]) -> None:
        self.painter.expanded = set(body_ids)
        self._layout = None
        self._sync_scrollbars()
        self.viewport().update()

    def set_less_unsure(self, on: bool) -> None:
        """Show (or not) the pool as it would be if every indicative and results amount fell
        away, year by year, in the totals strip."""
        self.painter.less_unsure = on
        self._layout = None
        self._sync_scrollbars()
        self.viewport().update()

    def toggle_expanded(self, body_id: int) -> None:
        self.set_expanded(self.painter.expanded ^ {body_id})

    def expand_all(self, expand: bool) -> None:
        self.set_expanded(set(self.doc.plan.bodies) if expand else set())

    def set_highlight(self, body_id: int | None, years=(), settlement_id: int | None = None):
        self.painter.highlight = Highlight(body_id, frozenset(years), settlement_id)
        if body_id is not None:
            self.scroll_to_body(body_id)
        self.viewport().update()

    def scroll_to_body(self, body_id: int) -> None:
        lay = self.layout_now()
        for row in lay.rows:
            if row.kind == "body" and row.body_id == body_id:
                visible = self._lanes_height()
                bar = self.verticalScrollBar()
                if not bar.value() <= row.top <= bar.value() + visible - row.height:
                    bar.setValue(int(row.top - visible / 3))
                return

    def set_presentation(self, on: bool, base_font) -> None:
        self._presenting = on
        self._base_font = type(base_font)(base_font)
        self.painter.set_font(base_font)
        self._layout = None
        self._sync_scrollbars()
        self.viewport().update()

    def _fit_presentation_font(self, width: float) -> None:
        """The largest type, up to 1.5 times normal, at which every year fits across the
        screen: a projector audience cannot scroll."""
        for scale in (1.5, 1.4, 1.3, 1.2, 1.1, 1.0):
            font = type(self._base_font)(self._base_font)
            font.setPointSizeF(self._base_font.pointSizeF() * scale)
            self.painter.set_font(font)
            if self.painter.layout(width).content_width <= width:
                return

    # -- geometry ---------------------------------------------------------------------------

    def _lanes_height(self) -> float:
        m = self.painter.metrics
        return max(0.0, self.viewport().height() - self.layout_now().header - m.totals)

    def _sync_scrollbars(self) -> None:
        lay = self.layout_now()
        v = self.verticalScrollBar()
        v.setPageStep(int(self._lanes_height()))
        v.setSingleStep(int(self.painter.metrics.lane))
        v.setRange(0, max(0, int(lay.lanes_height - self._lanes_height())))
        h = self.horizontalScrollBar()
        visible_years = self.viewport().width() - self.painter.metrics.gutter
        h.setPageStep(int(max(1, visible_years)))
        h.setRange(0, max(0, int(lay.content_width - self.viewport().width())))

    def resizeEvent(self, event) -> None:
        self._layout = None
        self._sync_scrollbars()
        super().resizeEvent(event)

    def _hit(self, pos: QPointF) -> tuple[Row | None, int | None, str]:
        """What is under ``pos``: (row, year, area) with area 'lanes', 'gutter' or 'totals'."""
        m = self.painter.metrics
        lay = self.layout_now()
        x = pos.x() + (self.horizontalScrollBar().value() if pos.x() >= m.gutter else 0)
        year = lay.year_at(x)
        totals_top = self.viewport().height() - m.totals
        if pos.y() >= totals_top:
            return None, year, "totals"
        if pos.y() < lay.header:
            return None, year, "header"
        row = lay.row_at(pos.y() - lay.header + self.verticalScrollBar().value())
        return row, year, "gutter" if pos.x() < m.gutter else "lanes"

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        # Only what the event asks for: after an edit, one lane and the totals strip.
        lay = self.layout_now()
        self.painter.device_pixel_ratio = self.viewport().devicePixelRatioF()
        asked = event.region()
        width = self.viewport().width()
        totals = self._totals_rect()
        p = QPainter(self.viewport())
        try:
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            p.fillRect(event.rect(), Qt.GlobalColor.white)
            top = self.verticalScrollBar().value()
            x_off = self.horizontalScrollBar().value()
            visible = self._lanes_height()
            rows = [row for row, rect in self._rows_on_screen() if asked.intersects(rect)]
            p.save()
            p.setClipRect(QRectF(0, lay.header, width, visible))
            p.translate(0, lay.header)
            self.painter.paint_lanes(p, lay, rows, top, x_off, width)
            self.painter.paint_marks(p, lay, rows, top, x_off, visible)
            p.restore()
            focus = self.focused_bar() if self.hasFocus() else None
            rect = self.bar_rect(*focus) if focus else None
            if rect is not None:  # the keyboard's bar: a heavy dotted ring, in any colour scheme
                p.setPen(QPen(QColor("#000000"), 2, Qt.PenStyle.DotLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(1, 1, -2, -2))
            if asked.intersects(QRect(0, 0, width, int(lay.header))):
                self.painter.paint_header(p, lay, x_off)
            if asked.intersects(totals):
                self.painter.paint_totals(p, lay, totals.top(), x_off, width)
        finally:
            p.end()

    # -- interaction ------------------------------------------------------------------------

    def mouseMoveEvent(self, event) -> None:
        row, year, area = self._hit(event.position())
        text = self._tooltip(row, year, area)
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self.viewport())
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    # -- the keyboard: arrows move between bars, Enter edits the bar's money ----------------

    def focused_bar(self) -> tuple[int, int] | None:
        if self._focus is not None and self._focus[0] not in self.doc.plan.bodies:
            self._focus = None  # its body was deleted
        return self._focus

    def bar_rect(self, body_id: int, year: int) -> QRect | None:
        """Where a body's bar in ``year`` is in the viewport, if its lane is laid out."""
        lay = self.layout_now()
        row = next((r for r in lay.rows if r.kind == "body" and r.body_id == body_id), None)
        if row is None or year not in self.doc.plan.year_range:
            return None
        x = lay.x_of(year) - self.horizontalScrollBar().value()
        y = lay.header + row.top - self.verticalScrollBar().value()
        return QRectF(x, y, lay.year_width, row.height).toAlignedRect()

    def cliff_rect(self, year: int) -> QRect | None:
        lay = self.layout_now()
        x = lay.x_of(year + 1) - self.horizontalScrollBar().value()
        h = self.painter.metrics.text * 1.25
        return QRectF(x - lay.year_width / 2, lay.header - h, lay.year_width, h).toAlignedRect()

    def keyPressEvent(self, event) -> None:
        plan = self.doc.plan
        bodies, years = list(plan.bodies), list(plan.year_range)
        key = event.key()
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        if not bodies or key not in (*moves, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        focus = self.focused_bar()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if focus is not None:
                self.bodyYearClicked.emit(*focus)  # as a click on the bar: its cell, to edit
            return
        if focus is None:
            body, year = bodies[0], years[0]
        else:
            dr, dc = moves[key]
            b = min(max(bodies.index(focus[0]) + dr, 0), len(bodies) - 1)
            y = min(max(years.index(focus[1]) + dc, 0), len(years) - 1)
            body, year = bodies[b], years[y]
        self._move_focus((body, year))

    def _move_focus(self, bar: tuple[int, int]) -> None:
        old, self._focus = self._focus, bar
        self.scroll_to_body(bar[0])
        for b in (old, bar):
            rect = self.bar_rect(*b) if b else None
            if rect is not None:
                self.viewport().update(rect.adjusted(-3, -3, 3, 3))
        from PySide6.QtGui import QAccessible, QAccessibleEvent

        iface = QAccessible.queryAccessibleInterface(self)
        if iface is not None and QAccessible.isActive():
            event = QAccessibleEvent(self, QAccessible.Event.Focus)
            event.setChild(iface.index_of(("bar", *bar)))
            QAccessible.updateAccessibility(event)
        self.setToolTip("")  # the bar's words are for the screen reader, not a stale tooltip

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self._focus is not None:
            rect = self.bar_rect(*self._focus)
            if rect is not None:
                self.viewport().update(rect.adjusted(-3, -3, 3, 3))

    def mousePressEvent(self, event) -> None:
        row, year, area = self._hit(event.position())
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            if area == "gutter" and row.kind == "body":
                self.toggle_expanded(row.body_id)
                self.bodyYearClicked.emit(row.body_id, -1)
            elif row.kind == "body" and year is not None:
                self.bodyYearClicked.emit(row.body_id, year)
            elif row.kind == "settlement":
                self.settlementClicked.emit(row.settlement_id, year if year is not None else -1)
        super().mousePressEvent(event)

    def _tooltip(self, row: Row | None, year: int | None, area: str) -> str:
        doc = self.doc
        plan = doc.plan
        if area == "totals" and year in plan.year_range:
            yf = doc.figures.years[year]
            c = yf.contributions
            share = "n/a" if yf.confirmed_share is None else f"{float(yf.confirmed_share):.1%}"
            return (
                f"<b>The pool in {fy.label(year)}</b><br>"
                f"Contributions {money.format(c.total)}<br>"
                f"Confirmed {money.format(c.confirmed)} ({share})<br>"
                + (
                    f"Conditional on results {money.format(c.conditional)}<br>"
                    if c.conditional
                    else ""
                )
                + f"Indicative {money.format(c.indicative)}<br>"
                f"Unfunded {money.format(c.unfunded)}<br>"
                f"Spending {money.format(yf.expenditure)}<br>"
                f"Balance {money.format(yf.balance)}"
            )
        if row is None:
            return ""
        if row.kind == "settlement":
            s = plan.settlements[row.settlement_id]
            entry = s.years.get(year) if year is not None else None
            head = f"<b>{_esc(s.name)}</b> ({_esc(plan.bodies[s.body_id].name)})"
            if entry is None:
                detail = f"Does not cover {fy.label(year)}" if year is not None else ""
            else:
                amount = (
                    "amount not recorded"
                    if entry.amount_pence is None
                    else money.format(entry.amount_pence)
                )
                detail = f"{fy.label(year)}: {style.WORD[entry.status]}, {amount}"
                part = entry.conditional
                if part is not None:
                    detail += f"<br>{_esc(describe(part))}"
            announced = f"<br>Announced {fy.day(s.announced)}" if s.announced else ""
            return f"{head}<br>{detail}{announced}"
        body = plan.bodies[row.body_id]
        bf = doc.figures.bodies[row.body_id]
        horizon = fy.label(bf.confirmed_until) if bf.confirmed_until else "no year"
        if area == "gutter" or year not in plan.year_range:
            return (
                f"<b>{_esc(body.name)}</b> ({body.kind.title})<br>"
                f"Confirmed to: {horizon}<br>"
                f"Contributions: {money.format(bf.total)}<br>"
                f"At risk: {money.format(bf.at_risk)}<br>"
                f"<i>Click the name to show its settlements</i>"
            )
        split = bf.by_year[year]
        if not split.total:
            return f"<b>{_esc(body.name)}</b>, {fy.label(year)}: no contribution"
        lines = [
            f"<b>{_esc(body.name)}</b>, {fy.label(year)}",
            f"Contribution {money.format(split.total)}",
        ]
        for c, word in style.WORD.items():
            amount = getattr(split, c.value)
            if amount:
                lines.append(f"{word}: {money.format(amount)}")
        if bf.at_risk_by_year.get(year):
            lines.append(
                f"<span style='color:#c0392b'><b>At risk: "
                f"{money.format(bf.at_risk_by_year[year])}</b></span> "
                f"(confirmed to {horizon})"
            )
        lines.append("<i>Click to edit</i>")
        return "<br>".join(lines)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
