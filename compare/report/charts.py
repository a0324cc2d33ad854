"""Small inline-SVG charts, made here so the report needs no plotting library.

Two kinds: panels of horizontal bars (one panel per scenario, one bar per framework, a
whisker from the fastest to the slowest round) and a line chart with a logarithmic x axis
(cost versus number of routes). Output is deterministic text: same data, same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def colour(series: Sequence[str], name: str) -> str:
    """The series' colour: fixed by its position, so every chart agrees."""
    index = series.index(name) if name in series else len(series)
    return PALETTE[index % len(PALETTE)]


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


@dataclass(frozen=True)
class Bar:
    """One bar: a series' median, and the spread of its rounds when known."""

    series: str
    value: float | None  # None: no measurement (drawn as "n/a")
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Panel:
    """A titled group of bars sharing one scale."""

    title: str
    bars: Sequence[Bar]


def _panel(panel: Panel, series: Sequence[str], x: float, y: float, width: float) -> list[str]:
    label_w, row_h = 92.0, 16.0
    plot_w = width - label_w - 56
    top = max([b.high or b.value or 0.0 for b in panel.bars] + [1e-12])
    out = [f'<text x="{x:.1f}" y="{y + 11:.1f}" font-weight="bold">{escape(panel.title)}</text>']
    for i, bar in enumerate(panel.bars):
        row_y = y + 18 + i * row_h
        out.append(
            f'<text x="{x + label_w - 6:.1f}" y="{row_y + 11:.1f}" text-anchor="end">'
            f"{escape(bar.series)}</text>"
        )
        if bar.value is None:
            out.append(f'<text x="{x + label_w:.1f}" y="{row_y + 11:.1f}" fill="#888">n/a</text>')
            continue
        bar_w = plot_w * bar.value / top
        out.append(
            f'<rect x="{x + label_w:.1f}" y="{row_y + 2:.1f}" width="{bar_w:.1f}" height="11" '
            f'fill="{colour(series, bar.series)}"><title>{escape(bar.series)}: '
            f"{_num(bar.value)}</title></rect>"
        )
        end = bar_w
        if bar.low is not None and bar.high is not None:
            x1, x2 = x + label_w + plot_w * bar.low / top, x + label_w + plot_w * bar.high / top
            mid = row_y + 7.5
            out.append(
                f'<path d="M{x1:.1f} {mid:.1f}H{x2:.1f}M{x1:.1f} {mid - 3:.1f}V{mid + 3:.1f}'
                f'M{x2:.1f} {mid - 3:.1f}V{mid + 3:.1f}" stroke="#333" fill="none"/>'
            )
            end = max(end, x2 - x - label_w)
        out.append(
            f'<text x="{x + label_w + end + 4:.1f}" y="{row_y + 11:.1f}">{_num(bar.value)}</text>'
        )
    return out


def bar_panels(panels: Sequence[Panel], series: Sequence[str], unit: str, columns: int = 2) -> str:
    """Panels of horizontal bars laid out in a grid; ``unit`` is named in the caption."""
    if not panels:
        return ""
    width, gap = 360.0, 14.0
    rows = math.ceil(len(panels) / columns)
    tallest = max(len(p.bars) for p in panels)
    panel_h = 24 + tallest * 16.0
    total_w = columns * width + (columns - 1) * gap
    total_h = rows * (panel_h + gap) + 14
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w:.0f} {total_h:.0f}" '
        f'width="{total_w:.0f}" height="{total_h:.0f}" {FONT} role="img">'
    ]
    for n, panel in enumerate(panels):
        x = (n % columns) * (width + gap)
        y = (n // columns) * (panel_h + gap)
        out += _panel(panel, series, x, y, width)
    caption = f"{unit}, median of the rounds; whisker: fastest to slowest round; lower is better"
    out.append(f'<text x="0" y="{total_h - 3:.0f}" fill="#555">{escape(caption)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _ticks(low: float, high: float) -> list[float]:
    """About five round tick values covering [low, high]."""
    span = max(high - low, 1e-12)
    step = 10 ** math.floor(math.log10(span / 5))
    for factor in (1, 2, 5, 10):
        if span / (step * factor) <= 6:
            step *= factor
            break
    first = math.floor(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 2)]


@dataclass(frozen=True)
class Line:
    """One series of the line chart: (x, y) points, x > 0."""

    series: str
    points: Sequence[tuple[float, float]]


def line_chart(lines: Sequence[Line], series: Sequence[str], x_label: str, y_label: str) -> str:
    """A line per series; x on a log scale (route counts), y linear from 0."""
    drawn = [line for line in lines if line.points]
    if not drawn:
        return ""
    width, height, left, right, top, bottom = 720.0, 320.0, 56.0, 110.0, 12.0, 40.0
    xs = sorted({x for line in drawn for x, _ in line.points})
    y_max = max(y for line in drawn for _, y in line.points)
    y_ticks = [t for t in _ticks(0.0, y_max) if t >= 0]
    y_top = max(y_ticks[-1], y_max)
    lx0, lx1 = math.log10(xs[0]), math.log10(xs[-1]) if xs[-1] > xs[0] else math.log10(xs[0]) + 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + plot_w * (math.log10(x) - lx0) / (lx1 - lx0)

    def py(y: float) -> float:
        return top + plot_h * (1 - y / y_top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" {FONT} role="img">'
    ]
    for t in y_ticks:
        out.append(
            f'<path d="M{left:.1f} {py(t):.1f}H{left + plot_w:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4:.1f}" y="{py(t) + 4:.1f}" text-anchor="end">{t:g}</text>'
        )
    for x in xs:
        out.append(
            f'<text x="{px(x):.1f}" y="{top + plot_h + 14:.1f}" text-anchor="middle">{x:g}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6:.1f}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    for n, line in enumerate(drawn):
        c = colour(series, line.series)
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in sorted(line.points))
        out.append(f'<polyline points="{points}" fill="none" stroke="{c}" stroke-width="2"/>')
        for x, y in line.points:
            out.append(
                f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{c}">'
                f"<title>{escape(line.series)} at {x:g}: {_num(y)}</title></circle>"
            )
        ly = top + 8 + n * 16
        out.append(
            f'<rect x="{width - right + 10:.1f}" y="{ly - 8:.1f}" width="10" height="10" '
            f'fill="{c}"/><text x="{width - right + 24:.1f}" y="{ly + 1:.1f}">'
            f"{escape(line.series)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
