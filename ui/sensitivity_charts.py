"""The Sensitivity tab's two charts: the tornado of switching values and the optimism-bias
sweep. matplotlib is imported when a chart is first shown, as ``ui.benefits_chart`` does: it
costs about a second, which start-up must not pay.

Both are drawn to read in greyscale (a board paper is often printed so, and a projector washes
colour out): falls are dark and hatched, rises light and plain, and every bar carries its value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from planner.fields import BASIS_POINTS
from planner.sensitivity import InputKind, Sweep
from ui.models.sensitivity import SwitchingValuesModel, percent_text, rate_text

CLIP = 200  # percent: a rise beyond this is drawn to here, marked, and its value written
FALL_COLOUR, FALL_EDGE = "#7b241c", "#3d120e"  # dark in greyscale, and hatched
RISE_COLOUR, RISE_EDGE = "#9cc3e6", "#2c5d8f"  # light in greyscale
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.5}  # the zero line behind
MARGIN_PX = (50, 56)  # beyond -100% and CLIP, for the values written there


def short(label: str, size: int) -> str:
    """A label cut in the middle to ``size`` characters: a line's scheme starts it and its body
    ends it, and both say which line it is."""
    if len(label) <= size:
        return label
    head = (size - 1) * 3 // 5
    return label[:head].rstrip() + "\u2026" + label[len(label) - (size - 1 - head) :].lstrip()


def pounds_m(pence: float) -> str:
    m = pence / 100 / 1e6
    text = f"£{abs(m):,.0f}m" if abs(m) >= 10 or m == 0 else f"£{abs(m):,.1f}m"
    return f"({text})" if m < 0 else text


class _Chart(QWidget):
    """A figure made the first time the widget is shown; ``draw`` fills it. Its title is a
    Qt caption above it, which wraps to the width it is given where a figure's title would be
    cut off, and leaves the figure's height to the plot."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.canvas = None
        self.figure = None
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # it names bodies
        self.caption.setWordWrap(True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.caption)

    def showEvent(self, event) -> None:
        if self.canvas is None:
            from ui.busy import busy

            with busy():  # matplotlib: half a second or more, the first time
                from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
                from matplotlib.figure import Figure

                self.figure = Figure(figsize=(5, 3), layout="constrained")
                self.canvas = FigureCanvasQTAgg(self.figure)
                self._layout.addWidget(self.canvas, 1)
                self.canvas.mpl_connect("resize_event", lambda _event: self.resized())
            self.redraw()
        super().showEvent(event)

    def redraw(self) -> None:
        if self.canvas is None:
            return
        self.figure.clear()
        self.draw(self.figure.add_subplot())
        self.canvas.draw_idle()

    def draw(self, ax) -> None:
        raise NotImplementedError

    def resized(self) -> None:
        """The figure has a new size (matplotlib scales it to fit by itself)."""

    @staticmethod
    def say(ax, text: str) -> None:
        """Words in place of a chart."""
        ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, transform=ax.transAxes)
        ax.set_axis_off()


class TornadoChart(_Chart):
    """Each input's bar runs from the fall that switches the result to the rise that does, so
    a short bar is a sensitive input. The Green Book reads switching values smallest first, so
    the most sensitive input is at the top, as it is in the table: the reverse of an outcome
    tornado, whose widest bar is on top, because here width is robustness, not risk."""

    def __init__(self, model: SwitchingValuesModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.empty_text = ""
        self._drawn_rows: int | None = None
        model.modelReset.connect(self.redraw)

    def rows_that_fit(self) -> int:
        """As many bars as the figure's height gives about 30 pixels each (a label over a
        bar), 2 to 12."""
        height = self.canvas.height() if self.canvas is not None else self.height()
        return max(2, min(12, (height - 40) // 30))  # less the axis and its labels

    def resized(self) -> None:
        # Squeezed, a dozen bars are a smudge: as many as fit are drawn, the rest left to the
        # table, so a taller figure shows more of them.
        if self.rows_that_fit() != self._drawn_rows:
            self.redraw()

    def draw(self, ax) -> None:
        m = self.model
        ranked = [(i, m.labels[i], v) for i, v in enumerate(m.values) if _has(v.down) or _has(v.up)]
        self._drawn_rows = fit = self.rows_that_fit()
        rows = ranked[:fit]
        left_out = len(m.values) - len(rows)
        some = (
            f"The {len(rows)} most sensitive inputs of {len(m.values)}"
            if left_out
            else "Each input"
        )
        self.caption.setText(
            f"{some}: how far it can move before {m.result} {m.verb} "
            "(hatched: a fall; plain: a rise)."
            if m.values
            else ""
        )
        if not m.values:
            self.say(ax, self.empty_text or "Nothing to test.")
            return
        if not rows:
            self.say(ax, "No single input, however far it moves, switches this result.")
            return
        y = list(range(len(rows)))
        downs = [max(-100.0, float(v.down.ratio * 100)) if _has(v.down) else 0 for *_, v in rows]
        ups = [min(CLIP, float(v.up.ratio * 100)) if _has(v.up) else 0 for *_, v in rows]
        bar = {"height": 0.46, "linewidth": 0.8}
        ax.barh(y, downs, color=FALL_COLOUR, edgecolor=FALL_EDGE, hatch="///", **bar)
        ax.barh(y, ups, color=RISE_COLOUR, edgecolor=RISE_EDGE, **bar)
        # Words inside the axes, kept out of the layout: the axes keep the figure's width.
        small = {"fontsize": "small", "va": "center", "in_layout": False}
        grey = {**small, "color": "#444", "style": "italic", "fontsize": "x-small"}
        chars = max(20, self.canvas.width() // 8)  # what fits of a label across the chart
        # Room for the values written beyond the bars, in pixels whatever the chart's width.
        bars = max(100, self.canvas.width() - 30 - MARGIN_PX[0] - MARGIN_PX[1])
        per_px = (100 + CLIP) / bars
        xlim = (-100 - MARGIN_PX[0] * per_px, CLIP + MARGIN_PX[1] * per_px)
        for row, (rank, label, v) in enumerate(rows):
            # The label over its bar, not beside it: the whole width is the chart's, and the
            # label can be long enough to name the line.
            if v.input_kind is InputKind.DISCOUNT_RATE:
                # Its bar is a share of the rate (3.5% to 7% is +100%): the rate says it plainly.
                rates = [rate_text(c.rate_bp) for c in (v.down, v.up) if c is not None]
                label = f"Discount rate: switches at a flat {' or '.join(rates)}"
            ax.text(xlim[0], row - 0.45, f"{rank + 1}  {short(label, chars)}", ha="left",
                    va="center", fontsize="small", fontweight="bold", in_layout=False,
                    bbox=LABEL_BOX)  # fmt: skip
            if _has(v.down):
                ax.text(downs[row] - 3, row, percent_text(v.down.ratio), ha="right", **small)
            else:
                ax.text(-3, row, "no fall does", ha="right", **grey)
            if not _has(v.up):
                ax.text(3, row, "no rise does", ha="left", **grey)
                continue
            clipped = v.up.ratio * 100 > CLIP
            if clipped:  # cut short: a triangle at the cut, and the real value beyond it
                ax.plot([CLIP], [row], marker=">", color="black", markersize=6)
            at = CLIP + 7 if clipped else ups[row] + 3
            ax.text(at, row, percent_text(v.up.ratio), ha="left", **small)
        ax.axvline(0, color="black", linewidth=1)
        ax.set_yticks([])
        ax.set_ylim(len(rows) - 0.6, -0.8)  # rank 1, the most sensitive, at the top
        ax.set_xlim(*xlim)
        ticks = [-100, 0, 100, CLIP]
        ax.set_xticks(ticks, [f"{t:+d}%" if t else "0" for t in ticks], fontsize="small")
        ax.grid(axis="x", alpha=0.3)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)


def _has(change) -> bool:
    """A switching value the chart can place: a fraction of the input (not a 0% rate's)."""
    return change is not None and change.ratio is not None


class SweepChart(_Chart):
    """The plan's NPV with every benefit line's optimism bias set to one share, 0% to 100%,
    and where it reaches zero."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sweep: Sweep | None = None
        self.empty_text = ""

    def show_sweep(self, sweep: Sweep | None, empty_text: str = "") -> None:
        self.sweep, self.empty_text = sweep, empty_text
        self.caption.setText(
            "The plan's NPV with optimism bias on every benefit, from 0% to 100%." if sweep else ""
        )
        self.redraw()

    def draw(self, ax) -> None:
        from matplotlib.ticker import FuncFormatter

        s = self.sweep
        if s is None:
            self.say(ax, self.empty_text or "Nothing to test.")
            return
        xs = [float(p.at) * 100 / BASIS_POINTS for p in s.points]
        ys = [p.npv for p in s.points]
        low, high = min(0, *ys), max(0, *ys)
        pad = (high - low) * 0.08 or 100_00
        ax.set_ylim(low - pad, high + pad)
        # Below zero the plan stops paying: shaded, so it reads without colour.
        ax.axhspan(low - pad, 0, color="#e3e3e3", zorder=0)
        ax.axhline(0, color="black", linewidth=1)
        ax.plot(xs, ys, color="#1f3a5f", linewidth=2, marker="o", markersize=3)
        if s.crossing is not None:
            at = float(s.crossing) * 100 / BASIS_POINTS
            ax.axvline(at, color="black", linestyle="--", linewidth=1)
            ax.plot([at], [0], marker="o", markersize=8, markerfacecolor="white",
                    markeredgecolor="black", zorder=3)  # fmt: skip
            # The line leaves two quarters about the crossing empty: the label goes in one.
            falling = ys[0] > ys[-1]
            left = at >= 40
            below = falling == left
            ax.annotate(
                f"NPV zero at\n{at:.1f}% bias",
                (at, 0),
                xytext=(-8 if left else 8, -10 if below else 10),
                textcoords="offset points",
                ha="right" if left else "left",
                va="top" if below else "bottom",
                fontsize="small",
                fontweight="bold",
                bbox=LABEL_BOX,
            )
        else:
            ax.text(0.5, 0.92, s.reason, ha="center", va="top", fontsize="small", wrap=True,
                    transform=ax.transAxes)  # fmt: skip
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0f}%"))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: pounds_m(v)))
        ax.tick_params(labelsize="small")
        ax.set_xlabel("Optimism bias on benefits", fontsize="small")
        ax.grid(alpha=0.3)
