"""Chart geometry for the comparison page, computed here and drawn as inline SVG by the
templates (no chart library, no inline script or style: colours come from static/style.css)."""
from __future__ import annotations

from typing import Any

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 16, 40
SERIES_CLASSES = 8


def heat_class(value: float, top: float) -> str:
    """A CSS class h0…h9 for a heat-map cell (h0: nothing; h9: the maximum)."""
    if not value or not top:
        return "h0"
    return f"h{max(1, min(9, round(9 * value / top)))}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return step * 5
    return value


def trend_chart(periods: list[str], series: dict[str, dict[str, float]], label: str) -> dict[str, Any]:
    """Axes, ticks and one polyline per group (x: periods, y: the metric)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max((v for s in series.values() for v in s.values()), default=0.0))
    n = len(periods)

    def x(index: int) -> float:
        return LEFT + (plot_w / 2 if n == 1 else plot_w * index / (n - 1))

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    x_ticks = [{"x": round(x(i), 1), "label": p} for i, p in enumerate(periods)]
    if n > 12:  # thin the labels out
        every = -(-n // 12)
        x_ticks = [t for i, t in enumerate(x_ticks) if i % every == 0]
    y_ticks = [{"y": round(y(top * k / 5), 1), "label": f"{top * k / 5:g}"} for k in range(6)]
    lines = []
    for k, (group, values) in enumerate(series.items()):
        # only the periods where the group has documents: no invented zeros
        dots = [{"x": round(x(i), 1), "y": round(y(values[p]), 1), "value": values[p], "period": p}
                for i, p in enumerate(periods) if p in values]
        lines.append({"name": group, "css": f"s{k % SERIES_CLASSES}", "dots": dots,
                      "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
                      "legend_y": TOP + 8 + 18 * k})
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "top": TOP, "right": WIDTH - RIGHT,
            "bottom": HEIGHT - BOTTOM, "legend_x": WIDTH - RIGHT + 14, "x_ticks": x_ticks, "y_ticks": y_ticks,
            "lines": lines, "label": label, "empty": not lines or not periods}
