"""Where everything on the timeline goes. Pure geometry over the plan, shared by the on-screen
view (which paints only the lanes in sight) and the PNG/SVG/PDF export (which paints them all)."""

from __future__ import annotations

from dataclasses import dataclass

from planner.model import Plan


@dataclass(frozen=True)
class Row:
    kind: str  # "body" or "settlement"
    body_id: int
    settlement_id: int | None
    top: float
    height: float


@dataclass
class Metrics:
    """Sizes in pixels for a given text height; presentation mode scales them all."""

    text: float = 13.0
    names: float = 0.0  # width of the longest body name, set by the painter
    # The totals strip's lines: the pool, its confirmed share, the money at risk, the pool less
    # its indicative and results money (when asked for), and, while a year is monitored, its
    # forecast outturn, always last (set by the painter).
    totals_lines: int = 3

    @property
    def gutter(self) -> float:
        """The column of names: wide enough for them, within reason."""
        return max(self.text * 19, min(self.names + self.text * 2.5, self.text * 30))

    # Heights are whole pixels: a lane repainted alone after an edit then meets its neighbours
    # exactly as it does when the whole timeline is painted.

    @property
    def header(self) -> float:
        return round(self.text * 4.6)

    @property
    def hatch(self) -> float:
        """How far apart a bar's hatch lines are: about Qt's own pattern on the screen, and the
        same to the eye on paper (a pattern brush there is a fine grey dust)."""
        return self.text * 0.45

    @property
    def lane(self) -> float:
        return round(self.text * 3.1)

    @property
    def least_lane(self) -> float:
        """As low as a lane goes to keep every partner in sight: its name and one line under."""
        return round(self.text * 2.45)

    @property
    def sub_lane(self) -> float:
        return round(self.text * 1.9)

    @property
    def totals(self) -> float:
        return round(self.text * 2.0 * self.totals_lines)

    @property
    def min_year_width(self) -> float:
        return self.text * 6.5


class TimelineLayout:
    def __init__(
        self,
        plan: Plan,
        metrics: Metrics,
        width: float,
        expanded: set[int],
        lanes_room: float | None = None,
    ):
        """``lanes_room``: the height the lanes have on screen, if they are to fit it. A board
        sees every partner at once where the lanes can close up that far (on a 1280x720
        projector, thirteen partners); beyond that the lanes scroll."""
        self.plan = plan
        self.m = metrics
        self.width = width
        self.lanes_room = lanes_room
        # The plan's years, and one more when a settlement runs past the plan, to show it does.
        last = plan.last_year
        beyond = any(s.years and max(s.years) > last for s in plan.settlements.values())
        self.years = list(range(plan.first_year, plan.last_year + (2 if beyond else 1)))
        self.year_width = max(metrics.min_year_width, (width - metrics.gutter) / len(self.years))
        self.header = metrics.header  # the painter adds a row when the key needs one
        self.legend_below = False
        self.rows: list[Row] = []
        lane = metrics.lane
        subs = sum(len(plan.settlements_of(b)) for b in expanded if b in plan.bodies)
        if lanes_room is not None and plan.bodies:
            fit = (lanes_room - subs * metrics.sub_lane) // len(plan.bodies)
            lane = max(metrics.least_lane, min(lane, fit))
        self.lane = lane
        top = 0.0
        for body_id in plan.bodies:
            self.rows.append(Row("body", body_id, None, top, lane))
            top += lane
            if body_id in expanded:
                for s in plan.settlements_of(body_id):
                    self.rows.append(Row("settlement", body_id, s.id, top, metrics.sub_lane))
                    top += metrics.sub_lane
        self.lanes_height = top

    @property
    def content_width(self) -> float:
        return self.m.gutter + self.year_width * len(self.years)

    def x_of(self, year: int) -> float:
        return self.m.gutter + (year - self.years[0]) * self.year_width

    def years_in_view(self, x_offset: float, view_width: float | None) -> list[int]:
        """The years at least partly visible when scrolled by ``x_offset`` in a view
        ``view_width`` wide (None: all of them, as for an export)."""
        if view_width is None:
            return self.years
        left, right = x_offset + self.m.gutter, x_offset + view_width
        return [
            y for y in self.years if self.x_of(y) + self.year_width > left and self.x_of(y) < right
        ]

    def year_at(self, x: float) -> int | None:
        if x < self.m.gutter:
            return None
        i = int((x - self.m.gutter) // self.year_width)
        return self.years[i] if 0 <= i < len(self.years) else None

    def row_at(self, y: float) -> Row | None:
        """The lane at ``y`` (in lane coordinates, 0 at the first lane), by bisection."""
        i = self._index_at(y)
        return self.rows[i] if i is not None else None

    def _index_at(self, y: float) -> int | None:
        lo, hi = 0, len(self.rows) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            r = self.rows[mid]
            if y < r.top:
                hi = mid - 1
            elif y >= r.top + r.height:
                lo = mid + 1
            else:
                return mid
        return None

    def rows_between(self, y0: float, y1: float) -> list[Row]:
        """The lanes that overlap [y0, y1): what is on screen."""
        start = self._index_at(max(0.0, y0))
        if start is None:
            return []
        out = []
        for i in range(start, len(self.rows)):  # not a slice: that copies every lane below
            r = self.rows[i]
            if r.top >= y1:
                break
            out.append(r)
        return out
