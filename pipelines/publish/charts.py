"""Horizontal bar charts as inline SVG, drawn in Python so the overview page fetches nothing.

A chart is a list of groups (one region × year each), each holding labelled bars; a bar is a
stack of coloured segments, or None when the figure was not published: it is then written
« non publié », never drawn as a zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from pipelines.common.text import french_number
from pipelines.publish.wording import worded

WIDTH = 540
LABEL_W = 170  # bar names, right-aligned
VALUE_W = 175  # room for the value written after the longest bar, with its wording
AXIS_H = 26
GROUP_TITLE_H = 22
BAR_H = 16
BAR_GAP = 5
GROUP_GAP = 14
MUTED = "#5c6670"
GRID = "#dde2e6"
INK = "#1d2329"


@dataclass(frozen=True)
class Segment:
    value: float
    color: str
    label: str
    qualifier: str | None = None  # how the publisher worded it (pipelines.publish.wording)


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...] | None  # None: not published
    qualifier: str | None = None  # « au moins », « somme calculée »…: written with the value

    @property
    def total(self) -> float | None:
        return None if self.segments is None else sum(s.value for s in self.segments)


@dataclass(frozen=True)
class Group:
    title: str
    bars: tuple[Bar, ...]


def number(value: float) -> str:
    """French grouping with a narrow no-break space: 563200 → « 563 200 »."""
    return french_number(value, 0)


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 × 10^k) so that about `ticks` steps cover the maximum."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def bar_chart(groups: list[Group], chart_id: str, title: str, description: str) -> Markup:
    plot_w = WIDTH - LABEL_W - VALUE_W
    totals = [b.total for g in groups for b in g.bars if b.total is not None]
    step = nice_step(max(totals, default=0), ticks=max(2, plot_w // 90))  # room for each tick label
    top = step * max(1, math.ceil(max(totals, default=0) / step))
    scale = plot_w / top
    height = AXIS_H + sum(
        GROUP_TITLE_H + len(g.bars) * (BAR_H + BAR_GAP) + GROUP_GAP for g in groups
    )

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-titre {chart_id}-desc" class="graphique" font-size="12">',
        f'<title id="{chart_id}-titre">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    # Axis: round ticks in euros on top; grid lines run beside each group's bars, not its title.
    xs = [LABEL_W + i * step * scale for i in range(round(top / step) + 1)]
    out += [
        f'<text x="{x:.1f}" y="{AXIS_H - 11}" text-anchor="middle" fill="{MUTED}" font-size="11">'
        f"{number(i * step)}</text>"
        for i, x in enumerate(xs)
    ]
    y = AXIS_H
    for group in groups:
        out.append(
            f'<text x="0" y="{y + 15}" font-weight="700" fill="{INK}">{escape(group.title)}</text>'
        )
        y += GROUP_TITLE_H
        bottom = y + len(group.bars) * (BAR_H + BAR_GAP) - BAR_GAP
        out += [
            f'<line x1="{x:.1f}" y1="{y - 3}" x2="{x:.1f}" y2="{bottom + 3}" stroke="{GRID}" stroke-width="1"/>'
            for x in xs
        ]
        for bar in group.bars:
            out.extend(_bar(bar, y, scale))
            y += BAR_H + BAR_GAP
        y += GROUP_GAP
    out.append("</svg>")
    return Markup("\n".join(out))


def _bar(bar: Bar, y: float, scale: float) -> list[str]:
    mid = y + BAR_H / 2 + 4
    parts = [
        f'<text x="{LABEL_W - 8}" y="{mid:.1f}" text-anchor="end" fill="{INK}">{escape(bar.label)}</text>'
    ]
    if bar.segments is None:
        parts.append(
            f'<text x="{LABEL_W + 4}" y="{mid:.1f}" fill="{MUTED}" font-style="italic">non publié</text>'
        )
        return parts
    x = float(LABEL_W)
    for seg in bar.segments:
        w = seg.value * scale
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{seg.color}" stroke="#fff" stroke-width="1">'
            f"<title>{escape(seg.label)} : {escape(worded(seg.value, seg.qualifier))}</title></rect>"
        )
        x += w
    parts.append(
        f'<text x="{x + 6:.1f}" y="{mid:.1f}" fill="{INK}" font-weight="600">'
        f"{escape(worded(bar.total or 0, bar.qualifier))}</text>"
    )
    return parts
