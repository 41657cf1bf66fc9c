"""Horizontal bar charts in HTML, drawn in Python so the overview page fetches nothing.

A chart is a list of groups (one region × year each), each holding labelled bars; a bar is a
stack of coloured segments, or None when the figure was not published: it is then written
« non publié », never drawn as a zero.

Every text is HTML and keeps the page's font size at any width; the bars themselves are small SVG
drawings without a viewBox, their rectangles placed in percent of the width, so they reflow with
the page and nothing in them is scaled (the page's Content Security Policy forbids style
attributes, which rules out CSS widths). Each figure is written with its wording (« au moins »,
« somme calculée »…) in its label and in the tooltip of each segment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from pipelines.common.text import french_number
from pipelines.publish.wording import MISSING_BY_NAME, TOTAL_MISSING, worded

BAR_H = 18


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


def _percent(value: float) -> str:
    return f"{value:.2f}%"


def _axis(ticks: list[float], top: float) -> str:
    """Round ticks in euros; every other one is hidden on a phone, where they would overlap."""
    last = len(ticks) - 1
    texts = []
    for i, tick in enumerate(ticks):
        anchor = "start" if i == 0 else "end" if i == last else "middle"
        minor = ' class="secondaire"' if 0 < i < last and i % 2 else ""
        texts.append(
            f'<text x="{_percent(100 * tick / top)}" y="14" text-anchor="{anchor}"{minor}>'
            f"{number(tick)}</text>"
        )
    return (
        '<div class="barre barre-axe" aria-hidden="true"><span class="barre-nom"></span>'
        f'<svg class="axe" width="100%" height="20" focusable="false">{"".join(texts)}</svg>'
        '<span class="barre-valeur"></span></div>'
    )


def bar_chart(groups: list[Group], chart_id: str, title: str, description: str) -> Markup:
    totals = [b.total for g in groups for b in g.bars if b.total is not None]
    step = nice_step(max(totals, default=0))
    top = step * max(1, math.ceil(max(totals, default=0) / step))
    ticks = [i * step for i in range(round(top / step) + 1)]
    out = [
        f'<div id="{chart_id}" class="graphique" role="figure" '
        f'aria-labelledby="{chart_id}-titre" aria-describedby="{chart_id}-desc">',
        f'<p id="{chart_id}-titre" class="graphique-titre">{escape(title)}</p>',
        f'<p id="{chart_id}-desc" class="visuellement-cache">{escape(description)}</p>',
        _axis(ticks, top),
    ]
    for group in groups:
        out.append(f'<div class="groupe"><p class="groupe-titre">{escape(group.title)}</p>')
        out.extend(_bar(bar, ticks, top) for bar in group.bars)
        out.append("</div>")
    out.append("</div>")
    return Markup("\n".join(out))


def segment_label(segment: Segment) -> str:
    """A segment's tooltip: its name and its figure, worded as announced."""
    return f"{segment.label} : {worded(segment.value, segment.qualifier)}"


def _bar(bar: Bar, ticks: list[float], top: float) -> str:
    name = f'<span class="barre-nom">{escape(bar.label)}</span>'
    if bar.segments is None:
        return (
            f'<div class="barre">{name} <span class="barre-absente">'
            f"{MISSING_BY_NAME.get(bar.label, TOTAL_MISSING)}</span>"
            '<span class="barre-valeur"></span></div>'
        )
    grid = "".join(
        f'<line x1="{_percent(100 * t / top)}" y1="0" x2="{_percent(100 * t / top)}" '
        f'y2="{BAR_H}" class="grille"/>'
        for t in ticks
    )
    x = 0.0
    rects = []
    for seg in bar.segments:
        width = 100 * seg.value / top
        rects.append(
            f'<rect x="{_percent(x)}" y="0" width="{_percent(width)}" height="{BAR_H}" '
            f'fill="{seg.color}" data-libelle="{escape(segment_label(seg))}">'
            f"<title>{escape(segment_label(seg))}</title></rect>"
        )
        x += width
    # The split is drawn for the eye; written out for screen readers (the drawing is hidden).
    split = (
        Markup('<span class="visuellement-cache"> dont {}</span>').format(
            " ; ".join(segment_label(s) for s in bar.segments)
        )
        if len(bar.segments) > 1
        else ""
    )
    return (
        f'<div class="barre">{name} '
        f'<svg class="piste" width="100%" height="{BAR_H}" aria-hidden="true" focusable="false">'
        f"{grid}{''.join(rects)}</svg> "
        f'<span class="barre-valeur">{escape(worded(bar.total or 0, bar.qualifier))}{split}</span>'
        "</div>"
    )
