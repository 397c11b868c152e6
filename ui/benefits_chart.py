"""The chart of who invests against who benefits (matplotlib, imported only when it is first
shown: it costs about a second, which start-up must not pay)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.document import PlanDocument


class BenefitsChart(QWidget):
    def __init__(self, doc: PlanDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.canvas = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        doc.changed.connect(lambda _change: self.redraw() if self.isVisible() else None)

    def showEvent(self, event) -> None:
        if self.canvas is None:
            from ui.busy import busy

            with busy():  # matplotlib: half a second or more, the first time
                from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
                from matplotlib.figure import Figure

                self.figure = Figure(figsize=(6, 3.5), layout="constrained")
                self.canvas = FigureCanvasQTAgg(self.figure)
                self._layout.addWidget(self.canvas)
        self.redraw()
        super().showEvent(event)

    def redraw(self) -> None:
        if self.canvas is None:
            return
        plan = self.doc.plan
        a = self.doc.analysis.benefits
        rows = [
            (plan.bodies[b].name, x)
            for b, x in a.bodies.items()
            if x.pv_costs or x.pv_benefits or x.after.npv != x.before.npv
        ]
        self.figure.clear()
        ax = self.figure.add_subplot()
        if not rows:
            ax.text(
                0.5,
                0.5,
                "No costs or benefits recorded yet",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_axis_off()
            self.canvas.draw_idle()
            return
        names = [n if len(n) <= 34 else n[:33] + "\u2026" for n, _ in rows][::-1]
        costs = [-x.pv_costs / 100 / 1e6 for _, x in rows][::-1]
        benefits = [x.pv_benefits / 100 / 1e6 for _, x in rows][::-1]
        after = [(x.pv_benefits + x.after.npv - x.before.npv) / 100 / 1e6 for _, x in rows][::-1]
        y = range(len(rows))
        ax.barh(y, costs, color="#c0392b", hatch="//", edgecolor="#7b241c", label="Invests (costs)")
        ax.barh(y, benefits, color="#1f5fa6", edgecolor="#103a6b", label="Benefits")
        if plan.appraisal.gain_share.value != "none":
            ax.scatter(
                after,
                y,
                marker="D",
                color="#f2a53a",
                edgecolor="black",
                zorder=3,
                label="Benefits after gain-share",
            )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(list(y), names)
        ax.set_xlabel("£m at today's value (Green Book discounting)")
        self.figure.suptitle("Who invests, who benefits", fontsize="medium")
        # Below the plot, where it cannot be cut off or cover a bar or the title.
        self.figure.legend(loc="outside lower center", ncol=3, fontsize="small", frameon=False)
        ax.grid(axis="x", alpha=0.3)
        self.canvas.draw_idle()
