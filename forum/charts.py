"""Bar charts as geometry for server-drawn SVG: pure, no Flask, no chart library, nothing fetched.

The template draws what this computes (templates/moderation/_chart.html); every chart also gets a table
with the same numbers, which is what a screen reader reads.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
#: Room for the value axis on the left and the labels underneath.
LEFT, BOTTOM, TOP, RIGHT = 44, 28, 10, 8
MAX_LABELS = 6
#: Counts get an axis of at least 0..4 in whole steps, never "0.25 posts".
MIN_COUNT_AXIS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str
    value: float


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    value_ticks: list[Tick]
    label_ticks: list[Tick]
    baseline: float
    left: float


def nice_ceiling(value: float) -> float:
    """A round number at or above `value` for the top of the axis: 1, 2, 5, 10, 20, 50…"""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _number(value: float) -> str:
    return f"{value:g}" if value < 10_000 else f"{value / 1000:g}k"


def bar_chart(labels: list[str], series: list[list[float | None]], width: int = WIDTH,
              height: int = HEIGHT, counts: bool = True) -> BarChart:
    """Vertical bars, one group per label and one bar per series in each group; a missing value draws nothing.

    `counts`: the values are whole numbers (posts, flags), so the axis steps in whole numbers too.
    """
    top_value = nice_ceiling(max((v for values in series for v in values if v is not None), default=0))
    if counts:
        top_value = max(MIN_COUNT_AXIS, math.ceil(top_value / 4) * 4)
    plot_width, plot_height = width - LEFT - RIGHT, height - TOP - BOTTOM
    group = plot_width / max(1, len(labels))
    bar_width = max(1.0, group * 0.8 / max(1, len(series)))
    baseline = TOP + plot_height
    bars = []
    for index, label in enumerate(labels):
        for number, values in enumerate(series):
            value = values[index]
            if value is None:
                continue
            tall = plot_height * value / top_value
            bars.append(Bar(x=round(LEFT + index * group + group * 0.1 + number * bar_width, 2),
                            y=round(baseline - tall, 2), width=round(bar_width, 2), height=round(tall, 2),
                            series=number, label=label, value=value))
    value_ticks = [Tick(round(baseline - plot_height * step / 4, 2), _number(top_value * step / 4))
                   for step in range(5)]
    every = max(1, math.ceil(len(labels) / MAX_LABELS))
    label_ticks = [Tick(round(LEFT + index * group + group / 2, 2), label)
                   for index, label in enumerate(labels) if index % every == 0]
    return BarChart(width=width, height=height, bars=bars, value_ticks=value_ticks, label_ticks=label_ticks,
                    baseline=baseline, left=LEFT)
