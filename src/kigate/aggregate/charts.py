"""SVG line charts for the dashboard's trends: geometry only, the template draws them.

Time runs along the x axis by date (not by run number, so a quiet month looks quiet), the
y axis is 0-100 with labelled ticks; every point carries its date and value for the hover
label. All numbers are rounded, so the same history gives byte-identical charts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 230
SMALL = (360, 200)  # one aspect's chart: drawn smaller, so its labels stay readable
LEFT, RIGHT, TOP, BOTTOM = 52, 20, 14, 46
Y_TICKS = (0, 25, 50, 75, 100)
MAX_X_TICKS = 5


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    date: str
    value: int
    label: str  # "2026-05-01: 68 %" as the hover shows it


@dataclass(frozen=True)
class Series:
    key: str  # css class and test hook: "coverage", "score", or an aspect id
    name: str
    dots: tuple[Dot, ...]

    @property
    def points(self) -> str:
        return " ".join(f"{d.x},{d.y}" for d in self.dots)


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    x_title: str
    y_title: str
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _moment(at: str) -> float:
    try:
        return dt.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def x_positions(dates: list[str], width: int = WIDTH) -> list[float]:
    moments = [_moment(d) for d in dates]
    first, last = min(moments, default=0.0), max(moments, default=0.0)
    span = width - RIGHT - LEFT
    if last <= first:  # one run, or runs within one second: spread them evenly
        if len(dates) == 1:
            return [LEFT + span / 2]
        return [round(LEFT + span * i / (len(dates) - 1), 1) for i in range(len(dates))]
    return [round(LEFT + span * (m - first) / (last - first), 1) for m in moments]


def y_position(value: int, height: int = HEIGHT) -> float:
    return round(height - BOTTOM - (height - BOTTOM - TOP) * value / 100, 1)


def _x_ticks(dates: list[str], xs: list[float]) -> tuple[Tick, ...]:
    if len(dates) <= MAX_X_TICKS:
        chosen = list(range(len(dates)))
    else:
        step = (len(dates) - 1) / (MAX_X_TICKS - 1)
        chosen = sorted({round(i * step) for i in range(MAX_X_TICKS)})
    ticks: list[Tick] = []
    for index in chosen:
        label = dates[index][:10]
        if ticks and (ticks[-1].label == label or xs[index] - ticks[-1].at < 70):
            continue  # two runs on one day, or too close to read: one label
        ticks.append(Tick(xs[index], label))
    return tuple(ticks)


def chart(
    chart_id: str,
    title: str,
    axes: tuple[str, str],
    dates: list[str],
    lines: list[tuple[str, str, list[int | None]]],
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> Chart:
    """``lines``: (key, name, one value per date or None where the series has none); the
    coverage series are percentages, the score is a number of points."""
    width, height = size
    xs = x_positions(dates, width)
    series = []
    for key, name, values in lines:
        unit = "" if key == "score" else " %"
        dots = tuple(
            Dot(x, y_position(v, height), d[:10], v, f"{name} {d[:10]}: {v}{unit}")
            for x, d, v in zip(xs, dates, values, strict=True)
            if v is not None
        )
        series.append(Series(key, name, dots))
    y_ticks = tuple(Tick(y_position(v, height), str(v)) for v in Y_TICKS)
    return Chart(
        chart_id, title, axes[0], axes[1], tuple(series), _x_ticks(dates, xs), y_ticks,
        width=width, height=height, right=width - RIGHT, bottom=height - BOTTOM,
    )  # fmt: skip
