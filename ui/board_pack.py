"""The board pack: one PDF for a partnership board's papers (A4 landscape), drawn with Qt so its
text is real text (searchable, copyable) and its timeline the same vectors as the screen's.

Pages: a cover with a contents list; the timeline, its years split over pages rather than
shrunk; the findings, highest first; who invests and who benefits; each body's commitment and
sign-off; and, while a year is monitored, its position and the risk-share statement. Every
page has the plan's name, "Page n of N", the short fingerprint and, until every body has
signed this version, "Draft: not signed" across it. Nothing is smaller than 9 pt.

``poolplanner board-pack PLAN -o OUT.pdf`` (``main`` below) writes it without a display."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextOption,
)

from planner import clock, money
from planner import years as fy
from planner.errors import PlannerError
from planner.excel.fingerprint import short
from planner.files import check_target
from planner.text import quoted, shown

# Layout units per point: text sizes are whole units (a font's pixel size is an integer), so a
# tenth of a point lets 9.5 pt be 9.5 pt.
U = 10
MARGIN = 36 * U  # half an inch
HEADER = 22 * U  # the band at the top of each page: the plan's name, the as-at date
FOOTER = 20 * U
TITLE = 30 * U  # a page's heading, with the space under it
NOTE = 16 * U  # a line of 9 pt under a figure
SMALLEST_PT = 9.0
BODY_PT = 10.0
WATERMARK = "Draft: not signed"
INK = QColor("#000000")
GREY = QColor("#505050")
RULE = QColor("#9a9a9a")
SHADE = QColor("#ececec")
WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

# The timeline's smallest type is 0.72 of its base (its short-cycle tags): a base of 12.5 pt
# keeps that at 9 pt.
TIMELINE_BASE_PT = SMALLEST_PT / 0.72


def plain_letters(f: QFont) -> QFont:
    """No ligatures: with them "confirmed" is copied, and searched for, as "con\ufb01rmed"."""
    for tag in ("liga", "clig", "dlig"):
        f.setFeature(QFont.Tag(tag), 0)
    return f


def font(pt: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(round(max(pt, SMALLEST_PT) * U))
    f.setBold(bold)
    return plain_letters(f)


Draw = Callable[[QPainter, float, float], None]  # (painter, left, top)


@dataclass
class Page:
    section: str
    continued: bool = False
    items: list[tuple[float, Draw]] = field(default_factory=list)


class Pager:
    """Lays blocks down the pages of a section, starting a new page (its heading marked
    continued, a table's header repeated) when the next block does not fit."""

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height  # the page in units
        self.left = MARGIN
        self.top = MARGIN + HEADER
        self.bottom = height - MARGIN - FOOTER
        self.content_width = width - 2 * MARGIN
        self.pages: list[Page] = []
        self.contents: list[tuple[str, int]] = []
        self.y = self.top
        self.repeat: tuple[float, Draw] | None = None  # a table's header, for its next pages

    def section(self, title: str, contents: bool = True, heading: str = "") -> None:
        self.repeat = None
        self._page(title, continued=False, heading=heading)
        if contents:
            self.contents.append((title, len(self.pages)))

    def _page(self, title: str, continued: bool, heading: str = "") -> None:
        self.pages.append(Page(title, continued))
        self.y = self.top
        heading = (
            title + (f": {heading}" if heading else "") + (" (continued)" if continued else "")
        )
        self.add(TITLE, lambda p, x, y: _text(p, QRectF(x, y, 1e6, 24 * U), heading, 16, True))
        if continued and self.repeat:
            self.add(*self.repeat)

    @property
    def room(self) -> float:
        """The height a page has under its heading."""
        return self.bottom - self.top - TITLE

    def add(self, height: float, draw: Draw, keep: float = 0) -> None:
        """Place a block ``height`` high; start a new page first if it (and ``keep`` more
        after it) would not fit and the page already has more than its heading."""
        if self.y + height + keep > self.bottom and len(self.pages[-1].items) > 1:
            self._page(self.pages[-1].section, continued=True)
        self.pages[-1].items.append((self.y, draw))
        self.y += height

    def space(self, units: float) -> None:
        self.y += units

    def whole_page(self, title: str, draw: Draw, contents: bool, part: str = "") -> None:
        """A page drawn by ``draw`` alone, under its section's heading and ``part``, which
        says what of the section the page holds (its years, say)."""
        if contents:
            self.section(title, heading=part)
        else:
            self._page(title, continued=True, heading=part)
        self.pages[-1].items.append((self.y, draw))


def _wrapping(flags) -> QTextOption:
    """Wrapped text breaks between words, and within one only where a word (a name of 150
    letters, a long reference) is wider than the line: Qt's word wrap alone lets it run on
    past the margin."""
    option = QTextOption(Qt.AlignmentFlag(int(flags) & int(Qt.AlignmentFlag.AlignHorizontal_Mask)))
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    return option


def _text(p: QPainter, rect: QRectF, text: str, pt: float, bold=False, flags=LEFT, colour=INK):
    p.setFont(font(pt, bold))
    p.setPen(colour)
    if flags & Qt.TextFlag.TextWordWrap:
        p.drawText(rect, text, _wrapping(flags))
    else:
        p.drawText(rect, flags, text)


def _height(p: QPainter, text: str, width: float, pt: float, bold=False) -> float:
    p.setFont(font(pt, bold))
    return p.boundingRect(QRectF(0, 0, width, 1e7), text, _wrapping(WRAP)).height()


def _width(p: QPainter, text: str, pt: float, bold=False) -> float:
    """How wide ``text`` is on one line."""
    p.setFont(font(pt, bold))
    return p.boundingRect(QRectF(0, 0, 1e7, 1e7), LEFT, text).width()


def _money_for(amounts) -> Callable[[int], str]:
    """How a table writes its ``amounts``: in pounds, or to the penny where any of them has
    pence, so that its columns add up as printed (two £100.50s and their total of £201 do not)."""
    pence = any(a % 100 for a in amounts)
    return lambda a: money.format(a, brackets=True, show_pence=pence)


def _money(pence: int) -> str:
    return money.format(pence, brackets=True)


@dataclass
class Column:
    title: str
    width: float  # a share of the table's width
    right: bool = False  # figures, right-aligned


def _table(
    pager: Pager, p: QPainter, columns: list[Column], rows: list[list[str]], bold_last=False
):
    """A table of wrapped text: a shaded header row, repeated on each page it runs onto, and
    rules between rows."""
    total = sum(c.width for c in columns)
    widths = [pager.content_width * c.width / total for c in columns]
    pad = 4 * U
    # A figure is never wrapped or cut: each column of figures is at least as wide as its
    # widest (a plan of billions), and the columns of words give up the room, wrapping more.
    for i, c in enumerate(columns):
        if c.right:
            cells = [(c.title, 9.5, True)] + [
                (r[i], BODY_PT, bold_last and n == len(rows) - 1) for n, r in enumerate(rows)
            ]
            widths[i] = max(widths[i], max(_width(p, *cell) for cell in cells) + 2 * pad)
    words = [i for i, c in enumerate(columns) if not c.right]
    over = sum(widths) - pager.content_width
    if over > 0 and words:
        share = sum(widths[i] for i in words)
        for i in words:
            widths[i] -= over * widths[i] / share

    def row_block(cells: list[str], header: bool, bold: bool) -> tuple[float, Draw]:
        pt = 9.5 if header else BODY_PT
        h = max(
            _height(p, t, w - 2 * pad, pt, header or bold)
            for t, w in zip(cells, widths, strict=True)
        )
        h += 2 * pad

        def draw(p: QPainter, x: float, y: float) -> None:
            if header:
                p.fillRect(QRectF(x, y, pager.content_width, h), SHADE)
            for text, w, c in zip(cells, widths, columns, strict=True):
                flags = WRAP
                if c.right:
                    flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignRight
                    flags |= Qt.AlignmentFlag.AlignTop
                rect = QRectF(x + pad, y + pad, w - 2 * pad, h - 2 * pad)
                _text(p, rect, text, pt, header or bold, flags)
                x += w
            p.setPen(QPen(RULE, 0.5 * U))
            p.drawLine(QPointF(pager.left, y + h), QPointF(pager.left + pager.content_width, y + h))

        return h, draw

    header = row_block([c.title for c in columns], True, False)
    pager.add(*header, keep=header[0] * 2)
    pager.repeat = header
    for i, cells in enumerate(rows):
        pager.add(*row_block(cells, False, bold_last and i == len(rows) - 1))
    pager.repeat = None


def _paragraph(pager: Pager, p: QPainter, text: str, pt=BODY_PT, bold=False, colour=INK):
    h = _height(p, text, pager.content_width, pt, bold) + 3 * U
    w = pager.content_width
    pager.add(h, lambda p, x, y: _text(p, QRectF(x, y, w, h), text, pt, bold, WRAP, colour))


# -- the pack's contents -------------------------------------------------------------------------


@dataclass
class Facts:
    """What the pages say, read once from the plan."""

    doc: object  # ui.document.PlanDocument
    as_at: dt.date
    fingerprint: str
    statuses: dict[int, str]
    standing: object  # planner.signoff.Standing: where this version's sign-off stands


def _facts(doc, as_at: dt.date) -> Facts:
    from planner.signoff import Standing, status

    fp = doc.fingerprint
    sign_offs = doc.sign_offs
    statuses = {b: status(sign_offs.get(b), fp) for b in doc.plan.bodies}
    return Facts(doc, as_at, fp, statuses, Standing.of(list(doc.plan.bodies), sign_offs, fp))


def _even_split(items: list, most: int) -> list[list]:
    """``items`` over as few pages as hold ``most`` each, as evenly as can be: eleven at most
    eight a page are six and five, not eight and three; seven at most three, three, two, two."""
    count = max(1, -(-len(items) // max(1, most)))
    size, more = divmod(len(items), count)
    pages, start = [], 0
    for i in range(count):
        end = start + size + (i < more)
        pages.append(items[start:end])
        start = end
    return pages


def _timeline_pages(pager: Pager, p: QPainter, facts: Facts) -> None:
    """The timeline at full page width, its type never below 9 pt: the years that do not fit
    go on to a further page (the names column repeated), as do the lanes that do not fit."""
    from ui.timeline.painter import Highlight, TimelinePainter

    if not facts.doc.plan.bodies:
        pager.section("Funding timeline")
        _paragraph(pager, p, "The plan has no partners yet, so it has no funding to show.")
        return
    base = plain_letters(QFont())
    base.setPixelSize(round(TIMELINE_BASE_PT * U))
    painter = TimelinePainter(facts.doc, base)
    painter.highlight = Highlight()
    painter.update_marks()
    width = pager.content_width
    lay = painter.layout(width)
    m = painter.metrics
    # The partners over as few pages as their lanes allow, at full height: closed up as the
    # screen's are to keep a board's partners in sight, a lane's second line was cramped
    # against the next and its descenders cut at print resolution. (The pack opens no
    # partner's settlements, so each row is a partner's lane.) A page of some of them has a
    # line under the totals to say the totals are of them all.
    room = pager.room - 6 * U - lay.header - m.totals - NOTE
    chunks = _even_split(lay.rows, int(room // m.lane))
    # The years likewise, each page's as wide as the page allows, not its left part only.
    most = len(lay.years)
    if lay.content_width > width + 0.5:
        most = max(1, int((width - m.gutter) // lay.year_width))
    windows = _even_split(lay.years, most)
    if len(windows) > 1:
        lay.year_width = (width - m.gutter) / len(windows[0])
    year_row = lay.header - (m.header - m.text * 2.1)  # where paint_header puts the years
    first = True
    bodies = len(facts.doc.plan.bodies)
    seen = 0
    note = (
        f"The totals are of all {bodies} partners, not only those on this page."
        if len(chunks) > 1
        else ""
    )
    for rows in chunks:
        first_body, seen = seen + 1, seen + len(rows)
        for years in windows:
            # A page of some of the years or partners says which.
            parts = [fy.describe_range(years)] if len(windows) > 1 else []
            if len(chunks) > 1 and first_body == seen:
                parts.append(f"partner {seen} of {bodies}")
            elif len(chunks) > 1:
                parts.append(f"partners {first_body} to {seen} of {bodies}")
            part = ", ".join(parts)
            x_off = (years[0] - lay.years[0]) * lay.year_width
            view = m.gutter + len(years) * lay.year_width
            top = rows[0].top if rows else 0.0
            lanes = rows[-1].top + rows[-1].height - top if rows else 0.0

            def draw(p, x, y, rows=rows, x_off=x_off, view=view, top=top, lanes=lanes):
                p.save()
                p.translate(x, y)
                p.setClipRect(QRectF(0, 0, width, lay.header))
                painter.paint_header(p, lay, x_off)
                # The title and key span the page; the years' row shows this page's years only
                # (scrolled, the others would run into the names column and past the last).
                p.fillRect(QRectF(0, year_row, m.gutter, lay.header - year_row - 1), Qt.white)
                p.fillRect(QRectF(view, year_row, width - view + 1, lay.header + 1), Qt.white)
                p.setClipRect(QRectF(0, 0, view, lay.header + lanes + m.totals))
                p.save()
                p.translate(0, lay.header)
                p.setClipRect(QRectF(0, 0, view, lanes))
                painter.paint_lanes(p, lay, rows, top, x_off, view)
                painter.paint_marks(p, lay, rows, top, x_off, lanes)
                p.restore()
                painter.paint_totals(p, lay, lay.header + lanes, x_off, view)
                p.restore()
                if note:
                    below = y + lay.header + lanes + m.totals + 4 * U
                    _text(p, QRectF(x, below, width, NOTE), note, 9, False, LEFT, GREY)

            pager.whole_page("Funding timeline", draw, contents=first, part=part)
            first = False


def _findings_pages(pager: Pager, p: QPainter, facts: Facts) -> None:
    pager.section("Findings")
    found = facts.doc.findings  # most severe first (planner.findings.find)
    if not found:
        _paragraph(pager, p, "Pool Planner found nothing to draw to the board's attention.")
        return
    counts = {}
    for f in found:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    _paragraph(pager, p, f"{len(found)} findings, highest first ({summary}).", colour=GREY)
    pager.space(4 * U)
    w = pager.content_width
    tag_w = 62 * U
    for f in found:
        title, message = f.title, f.message
        th = _height(p, title, w - tag_w, 11, True)
        mh = _height(p, message, w - tag_w, BODY_PT)
        h = th + 2 * U + mh + 8 * U
        severity = f.severity.value.capitalize()

        def draw(p, x, y, title=title, message=message, th=th, mh=mh, severity=severity):
            _text(p, QRectF(x, y, tag_w, 14 * U), severity, 9.5, True, WRAP, GREY)
            _text(p, QRectF(x + tag_w, y, w - tag_w, th), title, 11, True, WRAP)
            _text(
                p, QRectF(x + tag_w, y + th + 2 * U, w - tag_w, mh), message, BODY_PT, False, WRAP
            )

        pager.add(h, draw)


def _positions_pages(pager: Pager, p: QPainter, facts: Facts) -> None:
    plan = facts.doc.plan
    a = facts.doc.analysis.benefits
    pager.section("Who invests and who benefits")
    if not (a.pv_costs or a.pv_benefits):  # a table of noughts would read as a finding
        _paragraph(
            pager,
            p,
            "No costs or benefits have been entered for appraisal yet, so the plan shows no "
            "partner's investment or return.",
        )
        return
    _paragraph(
        pager,
        p,
        "Each body's costs and benefits over the plan in today's money (discounted), its net "
        "present value, and its net present value after the gain-share agreement moves "
        "cashable benefits between partners. Negative amounts are in brackets. Each figure "
        "is rounded to the pound, so a column may differ from its total by a pound or two.",
        colour=GREY,
    )
    pager.space(4 * U)
    rows = [
        [
            plan.bodies[b].name,
            _money(x.pv_costs),
            _money(x.pv_benefits),
            _money(x.before.npv),
            _money(x.after.npv),
        ]
        for b, x in a.bodies.items()
    ]
    rows.append(
        [
            "All bodies",
            _money(a.pv_costs),
            _money(a.pv_benefits),
            _money(a.npv),
            _money(sum(x.after.npv for x in a.bodies.values())),
        ]
    )
    columns = [
        Column("Body", 4),
        Column("Costs today", 1.5, True),
        Column("Benefits today", 1.5, True),
        Column("Net present value", 1.5, True),
        Column("After gain-share", 1.5, True),
    ]
    _table(pager, p, columns, rows, bold_last=True)
    _chart(pager, p, facts)


def _chart(pager: Pager, p: QPainter, facts: Facts) -> None:
    """Who invests against who benefits: each body's costs today as a bar to the left, its
    benefits today to the right (grey and black, so a greyscale copy reads the same)."""
    plan = facts.doc.plan
    a = facts.doc.analysis.benefits
    rows = [(plan.bodies[b].name, x) for b, x in a.bodies.items() if x.pv_costs or x.pv_benefits]
    if not rows:
        return
    biggest = max(max(x.pv_costs, x.pv_benefits) for _, x in rows) or 1
    w = pager.content_width
    names = w * 0.34
    half = (w - names) / 2 - 60 * U
    bar = 13 * U
    pager.space(10 * U)
    key = "Costs today (grey, to the left) and benefits today (black, to the right)"
    heading = (18 * U, lambda p, x, y: _text(p, QRectF(x, y, w, 14 * U), key, 9.5, True))
    # The chart kept whole where a page holds it (a few bars alone overleaf read as nothing);
    # a longer one runs on, its key repeated.
    height = len(rows) * (bar + 3 * U)
    whole = height <= pager.room - heading[0]
    pager.add(*heading, keep=height if whole else bar)
    pager.repeat = heading
    from ui.timeline.painter import distinct_elided

    fm = QFontMetricsF(font(9), p.device())
    shown = distinct_elided([name for name, _ in rows], fm, names - 6 * U)
    for name, (_, b) in zip(shown, rows, strict=True):

        def draw(p, x, y, name=name, b=b):
            _text(p, QRectF(x, y, names - 6 * U, bar), name, 9, False, LEFT)
            mid = x + names + half + 60 * U
            cw = half * b.pv_costs / biggest
            bw = half * b.pv_benefits / biggest
            p.fillRect(QRectF(mid - cw, y + U, cw, bar - 2 * U), QColor("#a8a8a8"))
            p.fillRect(QRectF(mid, y + U, bw, bar - 2 * U), QColor("#202020"))
            p.setPen(QPen(INK, 0.5 * U))
            p.drawLine(QPointF(mid, y), QPointF(mid, y + bar))
            if b.pv_costs:
                rect = QRectF(mid - cw - 64 * U, y, 60 * U, bar)
                _text(p, rect, money.format_millions(b.pv_costs), 9, False, RIGHT)
            if b.pv_benefits:
                rect = QRectF(mid + bw + 4 * U, y, 60 * U, bar)
                _text(p, rect, money.format_millions(b.pv_benefits), 9, False, LEFT)

        pager.add(bar + 3 * U, draw)
    pager.repeat = None


def _commitment_pages(pager: Pager, p: QPainter, facts: Facts) -> None:
    plan = facts.doc.plan
    figures = facts.doc.figures
    pager.section("Commitments and sign-off")
    _paragraph(
        pager,
        p,
        f"Each body's contributions over {fy.label(plan.first_year)} to "
        f"{fy.label(plan.last_year)}, by how sure they are, and its sign-off of version "
        f"{plan.version} (fingerprint {short(facts.fingerprint)}). {facts.standing.words()}",
        colour=GREY,
    )
    pager.space(4 * U)
    from ui.style import WORD  # the timeline's key's words, so the two read alike

    certainties = plan.certainties_shown()
    totals = figures.contribution_totals
    amounts = {
        b: [sum(getattr(s, c.value) for s in bf.by_year.values()) for c in certainties] + [bf.total]
        for b, bf in figures.bodies.items()
    }
    amounts[None] = [getattr(totals, c.value) for c in certainties] + [totals.total]
    shown = _money_for(a for row in amounts.values() for a in row)
    rows = [
        [body.name, *map(shown, amounts[b]), facts.statuses[b]] for b, body in plan.bodies.items()
    ]
    rows.append(["All bodies", *map(shown, amounts[None]), ""])
    columns = [
        Column("Body", 3),
        *(Column(WORD[c], 1.45, True) for c in certainties),
        Column("Total", 1.55, True),
        Column("Sign-off", 2.6),
    ]
    _table(pager, p, columns, rows, bold_last=True)


def _variance(pence: int) -> str:
    """``overspend of £70,000``, ``underspend of £70,000``, in words rather than a sign."""
    if not pence:
        return "variance of nothing"
    return f"{'overspend' if pence > 0 else 'underspend'} of {money.format(abs(pence))}"


def _monitoring_pages(pager: Pager, p: QPainter, facts: Facts) -> None:
    report = facts.doc.analysis.report
    if report is None:
        return
    plan = facts.doc.plan
    pager.section("Monitoring")
    as_at = f" as at {fy.day(report.as_at)}" if report.as_at else ""
    quarters = report.quarters_reported
    amounts = [
        (o.budget, o.actual_to_date, o.outturn, o.variance)
        for o in [line.outturn for line in report.schemes] + [report]
    ]
    # The sentence's figures written as the table's are, to the penny where it has pence.
    shown = _money_for([report.pool, *(a for row in amounts for a in row)])
    _paragraph(
        pager,
        p,
        f"{fy.label(report.year)}{as_at}: {quarters} quarter{'s' if quarters != 1 else ''} "
        f"reported. Pool {shown(report.pool)}; budget {shown(report.budget)}; spent to date "
        f"{shown(report.actual_to_date)}; forecast outturn {shown(report.outturn)}, a "
        f"forecast {_variance(report.variance)}.",
    )
    pager.space(4 * U)
    rows = [
        [
            plan.schemes[line.scheme_id].name,
            "Shared" if line.shared else "Fixed",
            *map(shown, row),
        ]
        for line, row in zip(report.schemes, amounts, strict=False)
    ]
    rows.append(["All schemes", "", *map(shown, amounts[-1])])
    columns = [
        Column("Scheme", 4),
        Column("Line", 1),
        Column("Budget", 1.4, True),
        Column("Spent to date", 1.4, True),
        Column("Forecast outturn", 1.4, True),
        Column("Variance", 1.4, True),
    ]
    _table(pager, p, columns, rows, bold_last=True)
    pager.space(12 * U)
    title = "Risk-share statement: who bears the shared lines' variance"
    pager.add(20 * U, lambda p, x, y: _text(p, QRectF(x, y, 1e6, 16 * U), title, 12, True))
    risk = report.risk
    if not risk.steps:
        _paragraph(pager, p, "The shared lines have no variance to share.")
        return
    # The steps add up to every line's variance: the fixed lines' stay with their owners, and
    # only the shared lines' net goes through the order of cover. Said so, the table's column
    # adds up to the figure above it.
    total = sum(s.pence for s in risk.steps)
    fixed = total - risk.net
    _paragraph(
        pager,
        p,
        f"Of the forecast {_variance(total)}, "
        + (f"the fixed lines' {_variance(fixed)} stays with their owners, and " if fixed else "")
        + f"the shared lines' net {_variance(risk.net)} is taken step by step through the "
        "agreed order of cover.",
        colour=GREY,
    )

    def who(body_id):
        return plan.bodies[body_id].name if body_id is not None else "The pool / outside it"

    shown = _money_for(s.pence for s in risk.steps)
    steps = [[str(i), who(s.body_id), shown(s.pence), s.why] for i, s in enumerate(risk.steps, 1)]
    columns = [Column("Step", 0.6), Column("Who", 3), Column("Amount", 1.4, True), Column("Why", 5)]
    _table(pager, p, columns, steps)


# -- the cover and the furniture of every page --------------------------------------------------


def _cover(p: QPainter, pager: Pager, facts: Facts, total: int) -> None:
    plan = facts.doc.plan
    x, y, w = pager.left, pager.top + 40 * U, pager.content_width
    _text(p, QRectF(x, y, w, 30 * U), "Board pack", 14, True, LEFT, GREY)
    y += 34 * U
    h = _height(p, plan.name, w, 26, True)
    _text(p, QRectF(x, y, w, h), plan.name, 26, True, WRAP)
    y += h + 16 * U
    lines = [
        ("Version", str(plan.version)),
        ("Sign-off", facts.standing.words()),
        ("Years", f"{fy.label(plan.first_year)} to {fy.label(plan.last_year)}"),
        ("Fingerprint", short(facts.fingerprint)),
        ("As at", fy.day(facts.as_at)),
    ]
    for label, value in lines:
        h = max(18 * U, _height(p, value, w - 110 * U, 12))
        _text(p, QRectF(x, y, 110 * U, 18 * U), label, 12, True, LEFT, GREY)
        _text(p, QRectF(x + 110 * U, y, w - 110 * U, h), value, 12, False, WRAP)
        y += h + 2 * U
    y += 20 * U
    _text(p, QRectF(x, y, w, 20 * U), "Contents", 14, True)
    y += 24 * U
    for title, page in pager.contents:
        _text(p, QRectF(x, y, 300 * U, 16 * U), title, 11)
        _text(p, QRectF(x + 300 * U, y, 60 * U, 16 * U), f"page {page}", 11, False, RIGHT)
        y += 18 * U


def _furniture(p: QPainter, pager: Pager, facts: Facts, n: int, total: int) -> None:
    x, w = pager.left, pager.content_width
    top = MARGIN
    right = f"Board pack as at {fy.day(facts.as_at)}"
    if not facts.standing.all_approved:
        right = f"{WATERMARK} · {right}"
    _text(p, QRectF(x, top, w, 14 * U), right, 9, False, RIGHT, GREY)
    # The plan's name in what the right leaves, shortened at its end rather than run into it.
    room = w - _width(p, right, 9) - 24 * U
    p.setFont(font(9, True))
    fm = QFontMetricsF(p.font(), p.device())
    name = fm.elidedText(facts.doc.plan.name, Qt.TextElideMode.ElideRight, room)
    _text(p, QRectF(x, top, room, 14 * U), name, 9, True, LEFT, GREY)
    p.setPen(QPen(RULE, 0.5 * U))
    p.drawLine(QPointF(x, top + 16 * U), QPointF(x + w, top + 16 * U))
    bottom = pager.height - MARGIN - 14 * U
    p.drawLine(QPointF(x, bottom - 4 * U), QPointF(x + w, bottom - 4 * U))
    _text(
        p,
        QRectF(x, bottom, w / 2, 14 * U),
        f"Fingerprint {short(facts.fingerprint)}",
        9,
        False,
        LEFT,
        GREY,
    )
    _text(
        p, QRectF(x + w / 2, bottom, w / 2, 14 * U), f"Page {n} of {total}", 9, False, RIGHT, GREY
    )


def _watermark(p: QPainter, pager: Pager) -> None:
    """ "Draft: not signed" across the page, over everything (a timeline paints its own white)
    but light enough to read through. Drawn as outlines, not text, so copying a page's text
    does not pick its letters up; the header says the same in text, for searching."""
    from PySide6.QtGui import QPainterPath

    path = QPainterPath()
    f = font(64, bold=True)
    path.addText(0, 0, f, WATERMARK)
    box = path.boundingRect()
    p.save()
    p.translate(pager.width / 2, pager.height / 2)
    p.rotate(-28)
    p.translate(-box.center())
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(0, 0, 0, 34))
    p.drawPath(path)
    p.restore()


# -- writing it ---------------------------------------------------------------------------------


def _document(source):
    """A PlanDocument for ``source`` (one, or an open PlanFile); and whether it was made here."""
    from ui.document import PlanDocument

    if isinstance(source, PlanDocument):
        return source, False
    return PlanDocument(source), True


def _ensure_app() -> None:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        QApplication.setApplicationName("Pool Planner")
        _ensure_app.app = QApplication(sys.argv[:1])  # kept: the pack's fonts need it alive


def write_board_pack(doc_or_plan_file, path, as_at: dt.date | None = None) -> int:
    """Write the board pack of ``doc_or_plan_file`` (a ui.document.PlanDocument or an open
    PlanFile) to ``path`` as a PDF; returns the number of pages."""
    _ensure_app()
    path = Path(path)
    doc, made = _document(doc_or_plan_file)
    try:
        return _write(doc, path, as_at or clock.today())
    finally:
        if made:
            doc.deleteLater()


def _target(path: Path) -> Path:
    """``path``, if a board pack may be written there; otherwise why not, in words. A PDF's
    name only: a slip of the name (the plan's own, a workbook) must not write over the file."""
    if not path.name or path.name in (".", ".."):
        raise PlannerError("Give the board pack a file name ending in .pdf.")
    if path.suffix.lower() != ".pdf":
        raise PlannerError(f"The board pack must end in .pdf; {quoted(path.name)} does not.")
    check_target(path, "the board pack")
    return path


def _write(doc, path: Path, as_at: dt.date) -> int:
    path = _target(path)
    partial = path.with_name(path.name + ".partial")
    try:  # opened here first, so a folder that cannot be written to says why
        partial.open("wb").close()
    except OSError as e:
        raise PlannerError(
            f"The board pack could not be written in '{shown(str(path.resolve().parent))}': "
            f"{e.strerror or e}."
        ) from None
    writer = QPdfWriter(str(partial))
    writer.setTitle(f"{doc.plan.name}: board pack")
    writer.setCreator("Pool Planner")
    writer.setResolution(600)
    try:
        total = paint_board_pack(doc, writer, as_at)
        ok = True
    except _NotBegun:
        ok, total = False, 0
    if not ok or not partial.exists() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        raise PlannerError(f"The board pack could not be written to {quoted(path)}.")
    try:
        os.replace(partial, path)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise PlannerError(
            f"The board pack could not be written to {quoted(path)}: {e.strerror}."
        ) from None
    return total


class _NotBegun(Exception):
    pass


def set_up_page(device) -> None:
    """A4 landscape with no printer's margins: the pack keeps its own."""
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(0, 0, 0, 0),
        )
    )
    if hasattr(device, "setFullPage"):  # a QPrinter: draw from the paper's corner
        device.setFullPage(True)


def paint_board_pack(doc, device, as_at: dt.date | None = None) -> int:
    """Paint the pack of ``doc`` (a PlanDocument) on ``device``, a QPdfWriter or a QPrinter
    (Print Preview's); returns the number of pages."""
    facts = _facts(doc, as_at or clock.today())
    set_up_page(device)
    p = QPainter()
    if not p.begin(device):
        raise _NotBegun
    try:
        scale = device.resolution() / (72 * U)
        p.scale(scale, scale)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        full = device.pageLayout().fullRectPixels(device.resolution())
        pager = Pager(full.width() / scale, full.height() / scale)
        pager.section("Cover", contents=False)
        _timeline_pages(pager, p, facts)
        _findings_pages(pager, p, facts)
        _positions_pages(pager, p, facts)
        _commitment_pages(pager, p, facts)
        _monitoring_pages(pager, p, facts)
        total = len(pager.pages)
        for n, page in enumerate(pager.pages, 1):
            if n > 1:
                device.newPage()
            p.fillRect(QRectF(0, 0, pager.width, pager.height), QColor("#ffffff"))
            if n == 1:
                _cover(p, pager, facts, total)
            else:
                for y, draw in page.items:
                    draw(p, pager.left, y)
            _furniture(p, pager, facts, n, total)
            if not facts.standing.all_approved:
                _watermark(p, pager)
    finally:
        ended = p.end()
    if not ended:
        raise _NotBegun
    return total


# -- the command ----------------------------------------------------------------------------------


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-03-31") from None
    if not fy.EARLIEST <= day.year <= fy.LATEST:  # the years a plan may hold
        raise argparse.ArgumentTypeError(
            f"{text} is outside {fy.EARLIEST} to {fy.LATEST}, the years a plan can hold"
        )
    return day


def main(argv: list[str]) -> int:
    """``poolplanner board-pack PLAN -o OUT.pdf [--as-at DATE]``: no display needed."""
    from planner.cli import EXIT_ERROR, EXIT_OK
    from planner.store import PlanFile
    from planner.text import MESSAGE, clip, shown

    parser = argparse.ArgumentParser(
        prog="poolplanner board-pack",
        description="Write the board pack (an A4 landscape PDF): cover, timeline, findings, "
        "who invests and who benefits, commitments and sign-off, and the monitoring position.",
    )
    parser.add_argument("plan", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    parser.add_argument("--as-at", type=_date, help="the date on the cover (default: today)")
    args = parser.parse_args(argv)
    from ui.app import _have_display

    if not _have_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        with PlanFile.open(args.plan, read_only=True) as pf:
            pages = write_board_pack(pf, args.output, args.as_at)
    except PlannerError as e:
        print(f"poolplanner: {shown(clip(str(e), MESSAGE))}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:  # a fault of ours: said in a line, as planner.cli does
        if os.environ.get("POOLPLANNER_DEBUG"):
            raise
        print(
            f"poolplanner: the board pack could not be made: something went wrong that Pool "
            f"Planner did not expect ({shown(type(e).__name__)}: {shown(str(e))[:300]}). "
            f"Set POOLPLANNER_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    print(f"Wrote {shown(str(args.output))} ({pages} pages)")
    return EXIT_OK
