"""Geometry of the server-drawn bar chart: plain numbers the SVG template places, no JS, no inline styles."""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import OccupancyRow

LABEL_WIDTH = 180
TRACK_WIDTH = 260
VALUE_WIDTH = 64
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 34  # room for the scale labels above the first bar
MAX_BARS = 40
LABEL_CHARS = 24


@dataclass(frozen=True)
class Bar:
    y: int
    text_y: int
    label: str
    full_label: str
    booked_width: int
    checked_in_width: int
    checked_in_y: int
    booked_percent: float
    checked_in_percent: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    track_width: int
    value_x: int
    ticks: list[tuple[int, int]]  # (x, percent) for 0, 25, 50, 75 and 100 %
    truncated: bool

    @property
    def track_end(self) -> int:
        return self.label_width + self.track_width


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(rows: list[OccupancyRow]) -> Chart:
    """Horizontal bars, 0-100 %: booked share of bookable time, checked-in share drawn inside it."""
    shown = rows[:MAX_BARS]
    bars = []
    for i, row in enumerate(shown):
        y = TOP + i * ROW_HEIGHT
        bars.append(
            Bar(
                y=y,
                text_y=y + BAR_HEIGHT // 2 + 5,
                label=_short(row.label),
                full_label=row.label,
                booked_width=round(TRACK_WIDTH * min(row.booked_percent, 100) / 100),
                checked_in_width=round(TRACK_WIDTH * min(row.checked_in_percent, 100) / 100),
                checked_in_y=y + BAR_HEIGHT // 4,
                booked_percent=row.booked_percent,
                checked_in_percent=row.checked_in_percent,
            )
        )
    return Chart(
        bars=bars,
        width=LABEL_WIDTH + TRACK_WIDTH + VALUE_WIDTH,
        height=TOP + max(len(shown), 1) * ROW_HEIGHT + 6,
        label_width=LABEL_WIDTH,
        track_width=TRACK_WIDTH,
        value_x=LABEL_WIDTH + TRACK_WIDTH + 8,
        ticks=[(LABEL_WIDTH + TRACK_WIDTH * p // 100, p) for p in (0, 25, 50, 75, 100)],
        truncated=len(rows) > MAX_BARS,
    )
