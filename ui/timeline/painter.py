"""Drawing the timeline with QPainter: the same code paints the screen and the PNG/SVG/PDF export.

What a board member must read at a glance: for each partner, which years' money is confirmed
(solid blue), conditional on results (green, lined), indicative (orange, hatched) or unfunded
(white, red cross-hatch), where each
partner's confirmed funding ends (a black bar with a flag), and, in the strip at the bottom, how
much of each year's pool is confirmed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap

from planner import money
from planner import years as fy
from planner.figures import Split
from planner.findings import Code
from planner.model import Certainty
from ui import style
from ui.document import PlanDocument
from ui.timeline.layout import Metrics, Row, TimelineLayout


@dataclass
class Highlight:
    body_id: int | None = None
    years: frozenset[int] = field(default_factory=frozenset)
    settlement_id: int | None = None


# A segment never narrower than this (pixels): £1.4m of results money in a £37.5m bar is four
# pixels wide, which no one on a projector sees. The other segments give up the width.
LEAST_SEGMENT = 7.0


def segment_widths(width: float, parts: list[tuple[object, int]]) -> list[float]:
    """Each part's width in a bar ``width`` wide, in proportion to its money, but none below
    ``LEAST_SEGMENT`` (where the bar has room for them all); they add up to ``width``."""
    total = sum(p for _, p in parts)
    widths = [width * p / total for _, p in parts]
    least = min(LEAST_SEGMENT, width / max(len(parts), 1))
    small = [i for i, w in enumerate(widths) if w < least]
    if small and len(small) < len(parts):
        rest = sum(widths[i] for i in range(len(parts)) if i not in small)
        room = width - least * len(small)
        widths = [least if i in small else w * room / rest for i, w in enumerate(widths)]
    return widths


def short_money(pence: int) -> str:
    """Bar labels: £12.3m, £850k, £900."""
    pounds = pence / 100  # display only: rounding for a label, never for a figure
    if abs(pounds) >= 1_000_000_000:
        return f"£{pounds / 1_000_000_000:,.1f}bn"
    if abs(pounds) >= 1_000_000:
        return money.format_millions(pence)
    if abs(pounds) >= 10_000:
        return f"£{round(pounds / 1000):,}k"
    return money.format(pence)


def distinct_elided(names: list[str], fm: QFontMetricsF, width: float) -> list[str]:
    """``names`` shortened to ``width``, in the middle where that tells them apart; where it
    does not ("University Hospit… Foundation Trust" three times over), at the end or the
    start instead, and failing both, around what differs: a board must tell its partners
    apart. Names alike in full stay alike."""
    modes = (Qt.TextElideMode.ElideMiddle, Qt.TextElideMode.ElideRight, Qt.TextElideMode.ElideLeft)
    shown = [fm.elidedText(n, modes[0], width) for n in names]
    groups: dict[str, list[int]] = {}
    for i, text in enumerate(shown):
        groups.setdefault(text, []).append(i)
    for members in groups.values():
        full = {names[i] for i in members}
        if len(full) < 2:
            continue
        for mode in modes[1:]:
            tried = {i: fm.elidedText(names[i], mode, width) for i in members}
            if len(set(tried.values())) == len(full):
                break
        else:  # the same start and the same end: keep what lies between, and the start
            common = len(os.path.commonprefix([names[i][::-1] for i in members]))
            tried = {
                i: fm.elidedText(names[i][: len(names[i]) - common] + "\u2026", modes[2], width)
                for i in members
            }
        for i, text in tried.items():
            shown[i] = text
    return shown


class TimelinePainter:
    def __init__(self, doc: PlanDocument, font: QFont):
        self.doc = doc
        self.expanded: set[int] = set()
        self.highlight = Highlight()
        # The funding sensitivity: a line of the pool less its indicative and results money.
        self.less_unsure = False
        # Pictures of bars by look, for the screen only (see _paint_split_bar); None: no cache.
        self.bar_cache: dict[tuple, QPixmap] | None = None
        self.lane_cache: dict[tuple, tuple[object, QPixmap]] | None = None
        self.device_pixel_ratio = 1.0
        # (cliffs, short cycles, cliffs' tags by year), as update_marks last read them
        self._marks: tuple = ([], {}, {})
        self._names: tuple = (None, {})  # (what they were worked out for, the names shown)
        self._shown: tuple = (None, [])  # (the analysis they were read with, the certainties)
        # Fonts and their metrics by (scale, bold): a repaint asks for them thousands of times.
        self._fonts: dict[tuple[float, bool], tuple[QFont, QFontMetricsF]] = {}
        self.set_font(font)

    def set_font(self, font: QFont) -> None:
        self.font = QFont(font)
        points = font.pointSizeF()
        self._base_pixels = points * 96 / 72 if points > 0 else float(font.pixelSize())
        self._fonts.clear()
        self.metrics = Metrics(self._fm().height())
        for cache in (self.bar_cache, self.lane_cache):
            if cache is not None:
                cache.clear()

    def layout(self, width: float, height: float | None = None) -> TimelineLayout:
        """Where everything goes at ``width``; with the ``height`` of a view, its lanes close up
        to fit it where they can (an export is of every lane at full height)."""
        fm = self._fm(1.0, bold=True)
        names = (fm.horizontalAdvance(b.name) for b in self.doc.plan.bodies.values())
        # The names may take up to a third of the width; beyond that they are elided.
        self.metrics.names = min(max(names, default=0.0), width / 3 - self.metrics.text * 2.5)
        self.metrics.totals_lines = 3 + self.less_unsure + (self.doc.analysis.report is not None)
        m = self.metrics
        # The key sits beside the title only if it fits right of the names column; otherwise its own row.
        legend_below = self._paint_legend(None, None) + max(m.gutter, m.text * 16) > width
        header = m.header + (round(m.text * 1.7) if legend_below else 0)
        room = None if height is None else height - header - m.totals
        lay = TimelineLayout(self.doc.plan, self.metrics, width, self.expanded, room)
        lay.legend_below, lay.header = legend_below, header
        return lay

    # -- fonts ----------------------------------------------------------------------------

    def _font(self, scale: float = 1.0, bold: bool = False) -> QFont:
        return self._font_and_metrics(scale, bold)[0]

    def _fm(self, scale: float = 1.0, bold: bool = False) -> QFontMetricsF:
        return self._font_and_metrics(scale, bold)[1]

    def _font_and_metrics(self, scale: float, bold: bool) -> tuple[QFont, QFontMetricsF]:
        key = (scale, bold)
        found = self._fonts.get(key)
        if found is None:
            f = QFont(self.font)
            # Pixel sizes, not points: the layout is in pixels, and a PDF or a 2x PNG has a
            # different resolution from the screen, which would otherwise resize the text alone.
            f.setPixelSize(max(5, round(self._base_pixels * scale)))
            f.setBold(bold)
            found = self._fonts[key] = (f, QFontMetricsF(f))
        return found

    # -- the header: title, legend and year labels ---------------------------------------------

    def paint_header(self, p: QPainter, lay: TimelineLayout, x_offset: float = 0.0) -> None:
        m = self.metrics
        plan = self.doc.plan
        p.fillRect(QRectF(0, 0, lay.content_width + m.gutter, lay.header), QColor("#ffffff"))
        legend_width = self._paint_legend(None, None)
        if lay.legend_below:
            legend_at = QPointF(m.text * 0.5, m.text * 2.05)
            title_width = lay.width - m.text
        else:
            legend_at = QPointF(max(m.gutter, lay.width - legend_width - m.text), m.text * 0.35)
            title_width = legend_at.x() - m.text * 1.5
        p.setPen(QColor("#111111"))
        p.setFont(self._font(1.15, bold=True))
        p.drawText(
            QRectF(m.text * 0.5, 0, title_width, m.text * 1.8),
            Qt.AlignmentFlag.AlignVCenter,
            QFontMetricsF(p.font()).elidedText(plan.name, Qt.TextElideMode.ElideRight, title_width),
        )
        self._paint_legend(p, legend_at)
        top = lay.header - (m.header - m.text * 2.1)
        h = lay.header - top
        cliffs = self.cliffs()
        # With a cliff to mark, the years' labels rise to make room for its tag beneath.
        align = Qt.AlignmentFlag.AlignHCenter | (
            Qt.AlignmentFlag.AlignTop if cliffs else Qt.AlignmentFlag.AlignVCenter
        )
        p.save()
        p.translate(-x_offset, 0)
        p.setFont(self._font(1.0, bold=True))
        report = self.doc.analysis.report
        for year in lay.years:
            x = lay.x_of(year)
            r = QRectF(x, top, lay.year_width, h)
            inside = year <= plan.last_year
            p.fillRect(r, QColor("#f4f6f8") if inside else style.OUTSIDE_PLAN)
            p.setPen(QColor("#111111") if inside else QColor("#777777"))
            label = fy.label(year) if inside else f"{fy.label(year)}\nafter the plan"
            if report is not None and year == report.year:
                # The year monitored: framed, and said in words (not by colour alone).
                label = f"{label} \u00b7 Q{report.quarters_reported}"
                p.save()
                p.setPen(QPen(QColor("#111111"), max(2.0, m.text * 0.16)))
                p.drawRect(r.adjusted(1, 1, -1, -1))
                p.restore()
            small = not inside or (report is not None and year == report.year)
            p.setFont(self._font(0.85 if small else 1.0, bold=inside))
            p.drawText(r.adjusted(0, 2, 0, 0) if cliffs else r, align, label)
        fm = self._fm(0.8, bold=True)
        last_right = float("-inf")
        for year, label in cliffs:
            x = lay.x_of(year + 1)
            # Cliffs a year apart: their tags shortened ("cliff 50%", then "50%") before
            # they overlap and read as one.
            for text in self._marks[2][year]:
                w = fm.horizontalAdvance(text) + m.text * 0.8
                if x - w / 2 >= last_right + m.text * 0.3:
                    break
            label = text
            tag = QRectF(x - w / 2, lay.header - m.text * 1.25, w, m.text * 1.15)
            last_right = tag.right()
            p.fillRect(tag, style.CLIFF)
            p.setPen(QColor("#ffffff"))
            p.setFont(self._font(0.8, bold=True))
            p.drawText(tag, Qt.AlignmentFlag.AlignCenter, label)
        p.restore()
        p.setPen(QPen(QColor("#888888"), 1))
        p.drawLine(QPointF(0, lay.header - 0.5), QPointF(lay.content_width, lay.header - 0.5))

    def _paint_legend(self, p: QPainter | None, at: QPointF | None) -> float:
        """Draw the key at ``at``; with None, only measure it. Returns its width."""
        m = self.metrics
        font = self._font(0.9)
        fm = QFontMetricsF(font)
        if p is not None:
            p.setFont(font)
        x0 = at.x() if at else 0.0
        y = at.y() if at else 0.0
        x = x0
        sw = m.text * 1.8
        # Conditional money is in the key only where the plan has some: most have none.
        for c in self._certainties():
            if at:
                self._paint_bar(p, QRectF(x, y, sw, m.text * 1.1), c)
            x += sw + m.text * 0.4
            word = style.WORD[c]
            if at:
                p.setPen(QColor("#111111"))
                p.drawText(
                    QRectF(x, y - 2, fm.horizontalAdvance(word) + 4, m.text * 1.4),
                    Qt.AlignmentFlag.AlignVCenter,
                    word,
                )
            x += fm.horizontalAdvance(word) + m.text * 1.2
        # The horizon marker and the at-risk rule, as they appear in the lanes.
        text = "Confirmed funding ends"
        if at:
            p.setPen(QPen(style.HORIZON, max(2.5, m.text * 0.3)))
            p.drawLine(QPointF(x, y - 1), QPointF(x, y + m.text * 1.2))
            p.setPen(QColor("#111111"))
            p.drawText(
                QRectF(x + m.text * 0.6, y - 2, fm.horizontalAdvance(text) + 4, m.text * 1.4),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        x += m.text * 0.6 + fm.horizontalAdvance(text) + m.text * 1.2
        text = "Money at risk"
        if at:
            p.fillRect(QRectF(x, y + m.text * 0.5, sw, max(2.0, m.text * 0.2)), style.AT_RISK)
            p.setPen(style.AT_RISK)
            p.drawText(
                QRectF(x + sw + m.text * 0.4, y - 2, fm.horizontalAdvance(text) + 4, m.text * 1.4),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        x += sw + m.text * 0.4 + fm.horizontalAdvance(text)
        return x - x0

    # -- lanes ----------------------------------------------------------------------------

    def paint_lanes(
        self,
        p: QPainter,
        lay: TimelineLayout,
        rows: list[Row],
        y_offset: float,
        x_offset: float = 0.0,
        view_width: float | None = None,
    ) -> None:
        """Paint ``rows``; ``y_offset`` is the lane coordinate drawn at painter y = 0 and
        ``x_offset`` how far the years are scrolled left (the gutter of names stays put). Only
        the years inside ``view_width`` are drawn (None: all)."""
        years = lay.years_in_view(x_offset, view_width)
        for row in rows:
            top = row.top - y_offset
            if self.lane_cache is None or row.kind != "body" or view_width is None:
                self._paint_row(p, lay, row, top, x_offset, years)
                continue
            # A body's lane depends only on its figures (a new object after any edit to the
            # body), its name, the highlight and the geometry, the names column's width among
            # it (another body's rename moves it): an edit repaints one lane, the rest are
            # copied. The figures object is kept in the entry, so a match is never a stale one.
            bf = self.doc.figures.bodies[row.body_id]
            lit = self.highlight.body_id == row.body_id
            key = (
                row.body_id,
                self.shown_names()[row.body_id],  # which another body's rename can change
                round(self.metrics.gutter, 2),
                lay.years[0],
                len(lay.years),
                round(x_offset),
                round(view_width),
                round(lay.year_width),
                round(row.height),
                row.body_id in self.expanded,
                self.highlight.years if lit else None,
            )
            entry = self.lane_cache.get(key)
            if entry is None or entry[0] is not bf:
                if len(self.lane_cache) > 4000:
                    self.lane_cache.clear()
                ratio = self.device_pixel_ratio
                pixmap = QPixmap(int(view_width * ratio) + 1, int(row.height * ratio) + 1)
                pixmap.setDevicePixelRatio(ratio)
                pixmap.fill(Qt.GlobalColor.white)
                q = QPainter(pixmap)
                q.setRenderHints(p.renderHints())
                self._paint_row(q, lay, row, 0.0, x_offset, years)
                q.end()
                entry = self.lane_cache[key] = (bf, pixmap)
            p.drawPixmap(QPointF(0, top), entry[1])

    def _paint_row(
        self,
        p: QPainter,
        lay: TimelineLayout,
        row: Row,
        top: float,
        x_offset: float,
        years: list[int],
    ) -> None:
        m = self.metrics
        p.save()
        # Within whatever clip the caller set (a board pack page's years), not instead of it.
        clip = QRectF(m.gutter, top, lay.content_width, row.height)
        p.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        p.translate(-x_offset, 0)
        if row.kind == "body":
            self._paint_body(p, lay, row, top, years)
        else:
            self._paint_settlement(p, lay, row, top, years)
        p.restore()
        p.fillRect(QRectF(0, top, m.gutter, row.height), QColor("#ffffff"))
        if row.kind == "body":
            self._paint_body_gutter(p, row, top)
        else:
            self._paint_settlement_gutter(p, row, top)
        p.setPen(QPen(QColor("#dddddd"), 1))
        # Across the whole width: the caller's clip (a view, a board pack page) ends it.
        p.drawLine(
            QPointF(0, top + row.height - 0.5),
            QPointF(lay.content_width, top + row.height - 0.5),
        )
        p.setPen(QPen(QColor("#999999"), 1))
        p.drawLine(QPointF(m.gutter - 0.5, top), QPointF(m.gutter - 0.5, top + row.height))

    def _paint_body(
        self, p: QPainter, lay: TimelineLayout, row: Row, top: float, years: list[int]
    ) -> None:
        m = self.metrics
        doc = self.doc
        plan = doc.plan
        bf = doc.figures.bodies[row.body_id]
        lit = self.highlight.body_id == row.body_id
        band = QRectF(0, top, lay.content_width, row.height)
        p.fillRect(band, QColor("#fffbe0") if lit else QColor("#ffffff"))
        # A year after the plan, if shown: shaded so the plan's end reads as an edge.
        if lay.years[-1] > plan.last_year:
            p.fillRect(
                QRectF(lay.x_of(lay.years[-1]), top, lay.year_width, row.height), style.OUTSIDE_PLAN
            )

        # One bar per plan year, split by certainty in proportion to the money.
        bar_h = row.height * 0.62
        y = top + (row.height - bar_h) / 2
        for year in years:
            split = bf.by_year.get(year)
            if split is None:
                continue  # the year after the plan
            x = lay.x_of(year)
            r = QRectF(x + 3, y, lay.year_width - 6, bar_h)
            if split.total:
                self._paint_split_bar(p, r, split)
                if split.at_risk:
                    # At-risk money: a red rule under the bar, so it reads without colour.
                    p.fillRect(
                        QRectF(r.left(), r.bottom() + 2, r.width(), max(2.0, m.text * 0.2)),
                        style.AT_RISK,
                    )
            if lit and year in self.highlight.years:
                p.setPen(QPen(QColor("#000000"), max(2.0, m.text * 0.22)))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(r.adjusted(-2, -2, 2, 2))

        # Where confirmed funding ends: a heavy black rule.
        if bf.total:
            end_year = bf.confirmed_until
            x = lay.x_of(end_year + 1) if end_year is not None else lay.x_of(plan.first_year)
            if end_year is None or end_year < plan.last_year:
                p.setPen(QPen(style.HORIZON, max(2.5, m.text * 0.3)))
                p.drawLine(QPointF(x, top + 2), QPointF(x, top + row.height - 2))

    def _paint_body_gutter(self, p: QPainter, row: Row, top: float) -> None:
        """The body's name, where its confirmed funding ends, and what is at risk."""
        m = self.metrics
        bf = self.doc.figures.bodies[row.body_id]
        if self.highlight.body_id == row.body_id:
            p.fillRect(QRectF(0, top, m.gutter, row.height), QColor("#fffbe0"))
        pad = m.text * 0.5
        arrow = ""
        if self.bar_cache is not None:  # on screen only: the arrow is a control, not data
            arrow = "\u25be " if row.body_id in self.expanded else "\u25b8 "
        p.setPen(QColor("#111111"))
        p.setFont(self._font(1.0, bold=True))
        p.drawText(
            QRectF(pad, top + m.text * 0.15, m.gutter - 2 * pad, m.text * 1.4),
            Qt.AlignmentFlag.AlignVCenter,
            arrow + self.shown_names()[row.body_id],
        )
        p.setFont(self._font(0.85))
        if not bf.total:
            sub, colour = "Contributes nothing", QColor("#666666")
        elif bf.confirmed_until is None:
            sub, colour = "Nothing confirmed", style.AT_RISK
        else:
            sub, colour = f"Confirmed to {fy.label(bf.confirmed_until)}", QColor("#333333")
        if bf.at_risk:
            sub += f" \u00b7 {short_money(bf.at_risk)} at risk"
            colour = style.AT_RISK
        p.setPen(colour)
        p.drawText(
            QRectF(pad + m.text, top + m.text * 1.45, m.gutter - 2 * pad - m.text, m.text * 1.3),
            Qt.AlignmentFlag.AlignVCenter,
            QFontMetricsF(p.font()).elidedText(
                sub, Qt.TextElideMode.ElideRight, m.gutter - 2 * pad - m.text
            ),
        )

    def _certainties(self) -> list:
        """The plan's certainties shown (``Plan.certainties_shown``), asked once after each
        edit rather than at each paint of the key: asking reads every settlement year, and a
        board pack of a large plan paints the key on each of its pages."""
        analysis = self.doc.analysis  # made anew after every edit, as shown_names says
        if self._shown[0] is not analysis:
            self._shown = (analysis, self.doc.plan.certainties_shown())
        return self._shown[1]

    def shown_names(self) -> dict[int, str]:
        """Each body's name as the names column has room for it, told apart from the others'
        (distinct_elided); worked out again only when a name or the column's width changes."""
        m = self.metrics
        fm = self._fm(1.0, bold=True)
        # Room for the on-screen arrow (drawn before the name) whether or not it is drawn.
        width = m.gutter - m.text - fm.horizontalAdvance("\u25b8 ")
        # The document's analysis is made anew after every edit (a rename among them): held
        # here, it cannot be another's that happens to share its id.
        analysis = self.doc.analysis
        seen = self._names[0]
        if seen is None or seen[0] != round(width, 2) or seen[1] is not analysis:
            bodies = self.doc.plan.bodies
            shown = distinct_elided([b.name for b in bodies.values()], fm, width)
            self._names = ((round(width, 2), analysis), dict(zip(bodies, shown, strict=True)))
        return self._names[1]

    def _paint_settlement(
        self, p: QPainter, lay: TimelineLayout, row: Row, top: float, years: list[int]
    ) -> None:
        s = self.doc.plan.settlements[row.settlement_id]
        p.fillRect(QRectF(0, top, lay.content_width, row.height), QColor("#f7f7f7"))
        bar_h = row.height * 0.6
        y = top + (row.height - bar_h) / 2
        for year in years:
            entry = s.years.get(year)
            if entry is None:
                continue
            x = lay.x_of(year)
            r = QRectF(x + 1, y, lay.year_width - 2, bar_h)
            sure = entry.sure_pence
            label = style.WORD[entry.status]
            if sure is not None:
                label += f" {short_money(sure)}"
            stake = entry.at_stake_pence
            if stake:  # the year's sure part, then what it may yet pay on results
                parts = [(entry.status, sure), (Certainty.CONDITIONAL, stake)]
                x0 = r.left()
                for c, w in zip((entry.status, Certainty.CONDITIONAL),
                                segment_widths(r.width(), parts), strict=True):  # fmt: skip
                    self._paint_bar(p, QRectF(x0, r.top(), w, r.height()), c)
                    x0 += w
                fm = self._fm(0.8, bold=True)
                for words in (
                    f"{label} + {short_money(stake)} on results",
                    f"{short_money(sure)} + {short_money(stake)} on results",
                    f"{short_money(sure)} + {short_money(stake)}",
                ):
                    if fm.horizontalAdvance(words) + 8 <= r.width():
                        label = words
                        break
                # On a white plate, dark: legible over both segments, in grey too.
                self._bar_text(p, r, label, Certainty.INDICATIVE, scale=0.8)
            else:
                self._paint_bar(p, r, entry.status)
                self._bar_text(p, r, label, entry.status, scale=0.8)
            if self.highlight.settlement_id == s.id:
                p.setPen(QPen(QColor("#000000"), 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(r)

    def _paint_settlement_gutter(self, p: QPainter, row: Row, top: float) -> None:
        m = self.metrics
        s = self.doc.plan.settlements[row.settlement_id]
        p.fillRect(QRectF(0, top, m.gutter, row.height), QColor("#f7f7f7"))
        p.setPen(QColor("#333333"))
        p.setFont(self._font(0.85))
        fm = QFontMetricsF(p.font())
        indent = m.text * 1.6
        width = m.gutter - indent - m.text * 0.5
        p.drawText(
            QRectF(indent, top, width, row.height),
            Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(s.name, Qt.TextElideMode.ElideMiddle, width),
        )

    def _paint_segments(self, p: QPainter, r: QRectF, split: Split) -> tuple[Certainty, QRectF]:
        """Fill ``r`` with one segment per certainty class, wide as its share of the money;
        returns the class holding the most, and its segment."""
        x = r.left()
        parts = [(c, getattr(split, c.value)) for c in Certainty if getattr(split, c.value)]
        main = max(parts, key=lambda cp: cp[1])[0]
        main_rect = r
        for c, w in zip((c for c, _ in parts), segment_widths(r.width(), parts), strict=True):
            segment = QRectF(x, r.top(), w, r.height())
            self._paint_bar(p, segment, c)
            if c is main:
                main_rect = segment
            x += w
        return main, main_rect

    def _split_text(self, p: QPainter, r: QRectF, label: str, split: Split) -> None:
        """A bar's figure, on its largest segment where it fits there: centred on the whole
        bar, its plate would hide a thin segment (the results money beside the rest)."""
        main, segment = self._paint_segments(p, r, split)
        fm = self._fm(1.0, bold=True)
        fits = fm.horizontalAdvance(label) + 8 <= segment.width()
        self._bar_text(p, segment if fits else r, label, main)

    def _paint_split_bar(self, p: QPainter, r: QRectF, split: Split) -> None:
        if self.bar_cache is None:  # exports: vectors, not pictures of bars
            self._split_text(p, r, short_money(split.total), split)
            return
        # On screen, most bars look like others (same size, classes and label): draw each look
        # once and reuse it. It takes a repaint of a 200-body plan from ~17 to a few ms.
        label = short_money(split.total)
        w = round(r.width())
        key = (
            w,
            round(r.height()),
            label,
            *(round(w * getattr(split, c.value) / split.total) for c in Certainty),
        )
        pixmap = self.bar_cache.get(key)
        if pixmap is None:
            if len(self.bar_cache) > 5000:
                self.bar_cache.clear()
            ratio = self.device_pixel_ratio
            pixmap = QPixmap(int(key[0] * ratio) + 1, int(key[1] * ratio) + 1)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.white)  # opaque: the segments cover it, and it blits faster
            q = QPainter(pixmap)
            local = QRectF(0, 0, key[0], key[1])
            self._split_text(q, local, label, split)
            q.end()
            self.bar_cache[key] = pixmap
        p.drawPixmap(r.topLeft(), pixmap)

    def _paint_bar(self, p: QPainter, r: QRectF, c: Certainty) -> None:
        edge = QPen(style.EDGE[c], 2.0 if c is Certainty.UNFUNDED else 1.0)
        if c is Certainty.UNFUNDED:
            edge.setStyle(Qt.PenStyle.DashLine)
        p.setPen(Qt.PenStyle.NoPen)
        p.fillRect(r, style.FILL[c])
        lines = style.hatch_lines(r, c, self.metrics.hatch)
        if lines:
            p.setPen(QPen(style.EDGE[c], self.metrics.hatch / 6))
            p.drawLines(lines)
        p.setPen(edge)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5))

    def _bar_text(
        self, p: QPainter, r: QRectF, text: str, c: Certainty, scale: float = 1.0
    ) -> None:
        p.setFont(self._font(scale, bold=True))
        fm = QFontMetricsF(p.font())
        w = fm.horizontalAdvance(text) + 8
        if w > r.width():
            return
        p.setFont(self._font(scale, bold=True))
        # A plate behind the figure keeps it legible over a hatch pattern.
        plate = QRectF(r.center().x() - w / 2, r.center().y() - fm.height() / 2, w, fm.height())
        if c is not Certainty.CONFIRMED:
            p.fillRect(plate, QColor(255, 255, 255, 225))
            p.setPen(style.TEXT_ON[c] if c is Certainty.UNFUNDED else QColor("#111111"))
        else:
            p.setPen(style.TEXT_ON[c])
        p.drawText(plate, Qt.AlignmentFlag.AlignCenter, text)

    # -- the totals strip -------------------------------------------------------------------

    # -- the marks of misalignment: drawn over the lanes, never cached with one ----------------

    def update_marks(self) -> tuple:
        """Read the marks from the findings, once after each edit (a large plan has thousands
        of findings, and a paint asks for the marks several times); returns them."""
        figures = self.doc.figures
        cliffs, cycles, tags = [], {}, {}
        for f in self.doc.findings:
            if f.code is Code.RENEWAL_CLIFF:
                year = f.years[0]
                total = figures.years[year].contributions.total
                share = round(Fraction(f.amount_pence, total) * 100)
                # The tag, then shorter ones for when cliffs a year apart leave less room.
                tags[year] = (f"cliff: {share}% to renew", f"cliff {share}%", f"{share}%")
                cliffs.append((year, tags[year][0]))
            elif f.code is Code.SHORT_SETTLEMENT_CYCLE and f.cycle:
                cycles[f.body_id] = f.cycle
        self._marks = (cliffs, cycles, tags)
        return self._marks

    def cliffs(self) -> list[tuple[int, str]]:
        """Each renewal cliff: the year its settlements' confirmed terms end with, and its tag,
        the share of that year's pool up for renewal at once, as the finding says it."""
        return self._marks[0]

    def short_cycles(self) -> dict[int, int]:
        """Body -> the shortest settlement cycle its money at risk depends on, in years."""
        return self._marks[1]

    def paint_marks(
        self,
        p: QPainter,
        lay: TimelineLayout,
        rows: list[Row],
        y_offset: float,
        x_offset: float,
        height: float,
    ) -> None:
        """Over the lanes (in the lanes' coordinates, as ``paint_lanes``): each renewal cliff as
        a dashed rule at the boundary after its year, across every lane; each short settlement
        cycle as a tag at its body's confirmed horizon."""
        m = self.metrics
        p.save()
        p.setClipRect(
            QRectF(m.gutter, 0, lay.content_width, height), Qt.ClipOperation.IntersectClip
        )
        for year, _label in self.cliffs():
            x = lay.x_of(year + 1) - x_offset
            pen = QPen(style.CLIFF, max(2.0, m.text * 0.22), Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x, 0), QPointF(x, height))
        cycles = self.short_cycles()
        figures = self.doc.figures
        p.setFont(self._font(0.72, bold=True))
        fm = self._fm(0.72, bold=True)
        for row in rows:
            n = cycles.get(row.body_id) if row.kind == "body" else None
            if not n:
                continue
            bf = figures.bodies[row.body_id]
            end = bf.confirmed_until
            x = lay.x_of(end + 1 if end is not None else self.doc.plan.first_year) - x_offset
            text = f"{n}-yr"
            w = fm.horizontalAdvance(text) + m.text * 0.5
            tag = QRectF(x + 3, row.top - y_offset + 1, w, m.text * 0.95)
            p.fillRect(tag, QColor("#ffffff"))
            p.setPen(QPen(style.HORIZON, 1))
            p.drawRect(tag)
            p.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)
        p.restore()

    def paint_totals(
        self,
        p: QPainter,
        lay: TimelineLayout,
        top: float,
        x_offset: float = 0.0,
        view_width: float | None = None,
    ) -> None:
        m = self.metrics
        figures = self.doc.figures
        h = m.totals
        p.fillRect(QRectF(0, top, lay.content_width + m.gutter, h), QColor("#eef2f6"))
        p.setPen(QPen(QColor("#555555"), 1.5))
        p.drawLine(QPointF(0, top + 0.75), QPointF(lay.content_width + m.gutter, top + 0.75))
        pad = m.text * 0.5
        report = self.doc.analysis.report
        line = h / m.totals_lines
        p.setFont(self._font(0.95, bold=True))
        p.setPen(QColor("#111111"))
        labels = ["Pool", "Confirmed share", "At risk"]
        if self.less_unsure:
            labels.append("Less indicative & results")
        if report is not None:
            labels.append(f"Outturn, as at {report.as_at:%d/%m/%Y}" if report.as_at else "Outturn")
        for i, text in enumerate(labels):
            p.drawText(
                QRectF(pad, top + i * line, m.gutter - 2 * pad, line),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        p.save()
        p.setClipRect(QRectF(m.gutter, top, lay.content_width, h), Qt.ClipOperation.IntersectClip)
        p.translate(-x_offset, 0)
        for year in lay.years_in_view(x_offset, view_width):
            yf = figures.years.get(year)
            if yf is None:
                continue  # the year after the plan
            x = lay.x_of(year)
            cell = QRectF(x + 3, top, lay.year_width - 6, line)
            # A deficit: spending beyond the year's pool, said as a word.
            self._paint_pool(p, cell, yf.contributions.total, yf.expenditure)
            share = yf.confirmed_share
            bar = QRectF(x + 3, top + line + line * 0.15, lay.year_width - 6, line * 0.7)
            if share is not None:
                self._paint_split_bar_share(p, bar, yf.contributions, f"{float(share):.0%}")
            p.setFont(self._font(0.95, bold=True))
            p.setPen(style.AT_RISK if yf.at_risk else QColor("#333333"))
            p.drawText(
                QRectF(x + 3, top + 2 * line, lay.year_width - 6, line),
                Qt.AlignmentFlag.AlignCenter,
                short_money(yf.at_risk) if yf.at_risk else "\u2014",
            )
            if self.less_unsure:
                self._paint_less_unsure(p, QRectF(x + 3, top + 3 * line, lay.year_width - 6, line),
                                        yf)  # fmt: skip
            if report is not None and year == report.year:
                last = top + (m.totals_lines - 1) * line
                self._paint_outturn(p, QRectF(x + 3, last, lay.year_width - 6, line), report)
            if self.highlight.body_id is None and year in self.highlight.years:
                # A finding about the whole pool (a deficit, a renewal cliff) marks its years here.
                p.setPen(QPen(QColor("#000000"), max(2.0, m.text * 0.22)))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(x + 1, top + 2, lay.year_width - 2, h - 4))
        p.restore()

    def _paint_less_unsure(self, p: QPainter, cell: QRectF, yf) -> None:
        """The funding sensitivity: the year's pool with its indicative and results money gone,
        and, where that leaves it short of the year's spending, by how much (drawn as a deficit
        is, so it reads without colour)."""
        unfunded = yf.contributions.unfunded
        if yf.less_unsure < yf.expenditure or not unfunded:
            self._paint_pool(p, cell, yf.less_unsure, yf.expenditure)
            return
        # Enough on paper, but some of it has nothing behind it: said, in the at-risk colour,
        # so a year all unfunded does not read as safe.
        p.setFont(self._font(0.95, bold=True))
        p.setPen(style.AT_RISK)
        fm = self._fm(0.95, bold=True)
        whole = unfunded == yf.less_unsure
        words = [
            f"{short_money(yf.less_unsure)}, {short_money(unfunded)} unfunded",
            f"{short_money(unfunded)} unfunded",
            "all unfunded" if whole else "part unfunded",
        ]
        text = next((w for w in words if fm.horizontalAdvance(w) <= cell.width() - 4), words[-1])
        p.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_pool(self, p: QPainter, cell: QRectF, pool: int, spending: int) -> None:
        """A pool's figure; short of the spending, a dashed box and by how much, in words."""
        p.setFont(self._font(0.95, bold=True))
        if pool >= spending:
            p.setPen(QColor("#111111"))
            p.drawText(cell, Qt.AlignmentFlag.AlignCenter, short_money(pool))
            return
        p.setPen(QPen(style.AT_RISK, 1.5, Qt.PenStyle.DashLine))
        p.drawRect(cell.adjusted(0, 2, 0, -1))
        p.setPen(style.AT_RISK)
        text = f"{short_money(pool)} short {short_money(spending - pool)}"
        if self._fm(0.95, bold=True).horizontalAdvance(text) > cell.width() - 4:
            text = f"short {short_money(spending - pool)}"
        p.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_outturn(self, p: QPainter, cell: QRectF, report) -> None:
        """The year monitored: its forecast outturn against the pool, over or under in words."""
        v = report.outturn - report.pool
        over = v > 0
        words = f"{short_money(report.outturn)}, {against_pool(report)}"
        if self._fm(0.95, bold=True).horizontalAdvance(words) > cell.width() - 4:
            words = against_pool(report)
        p.setFont(self._font(0.95, bold=True))
        if over:  # beyond the pool: a dashed box and the word, as a deficit is drawn
            p.setPen(QPen(style.AT_RISK, 1.5, Qt.PenStyle.DashLine))
            p.drawRect(cell.adjusted(0, 2, 0, -1))
        p.setPen(style.AT_RISK if over else QColor("#111111"))
        p.drawText(cell, Qt.AlignmentFlag.AlignCenter, words)

    def _paint_split_bar_share(self, p: QPainter, r: QRectF, split: Split, label: str) -> None:
        self._paint_segments(p, r, split)
        # The share reads on a white plate whatever the segments underneath.
        self._bar_text(p, r, label, Certainty.INDICATIVE, scale=0.9)

    # -- the whole picture, for export ----------------------------------------------------------

    def full_size(self, width: float) -> tuple[float, float]:
        lay = self.layout(width)
        return lay.content_width, lay.header + lay.lanes_height + self.metrics.totals

    def paint_all(self, p: QPainter, width: float) -> None:
        self.update_marks()
        lay = self.layout(width)
        p.fillRect(QRectF(0, 0, lay.content_width, self.full_size(width)[1]), QColor("#ffffff"))
        self.paint_header(p, lay)
        p.save()
        p.translate(0, lay.header)
        self.paint_lanes(p, lay, lay.rows, 0.0)
        self.paint_marks(p, lay, lay.rows, 0.0, 0.0, lay.lanes_height)
        p.restore()
        self.paint_totals(p, lay, lay.header + lay.lanes_height)


def against_pool(report) -> str:
    """The year monitored's forecast outturn against its pool, in words: "£1.7m over"."""
    v = report.outturn - report.pool
    if v == 0:
        return "on the pool"
    return f"{short_money(abs(v))} {'over' if v > 0 else 'under'}"


def outturn_words(report) -> str:
    """What the timeline's outturn line says, for a screen reader."""
    as_at = f" as at {report.as_at:%d/%m/%Y}" if report.as_at else ""
    return (
        f"{fy.label(report.year)} monitored{as_at}: forecast outturn "
        f"{short_money(report.outturn)} against a pool of {short_money(report.pool)}, "
        f"{against_pool(report)}"
    )
