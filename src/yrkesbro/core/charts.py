"""One chart helper for every app: bar, line and network charts as inline, script-free SVG.

Use it like this (the table beside the chart carries the same numbers)::

    from yrkesbro.core.charts import bar_chart

    svg = bar_chart(
        _("People needed by competence area"),
        labels=[row.name for row in rows],                 # top to bottom, as in the table
        series=[(_("People"), [row.people for row in rows])],
        stacked=False,                                     # True: one bar per row, parts side by side
    )
    # template: <figure class="yb-chart">{{ svg }}<figcaption>…</figcaption></figure>

``line_chart(title, labels, series, y_range=(1, 5))`` draws values over time the same
way (one point per label, left to right as the table's rows or columns; ``None`` leaves
a gap), and ``network_chart`` draws who works with whom.

What it guarantees, so a chart reads like its table at every width:

- Rows are drawn in the order given, top to bottom (the table's order).
- Each label sits on its own line above its bar, never truncated or rotated.
- The SVG scales with its ``viewBox`` and is never drawn wider than ``MAX_SHOWN``
  CSS pixels; with ``FONT`` user units on a ``WIDTH``-unit canvas the text stays at
  least 12 CSS px down to a 288 px wide column (a 320 px screen minus margins).
- Colours come from ``PALETTE``: each has at least 3:1 contrast against the white
  background (WCAG 1.4.11), and series are told apart by a legend as well.
- ``role="img"`` with a ``<title>`` and ``<desc>``; every bar has a ``<title>``
  with its label, series and value for pointer users.

Hand-built rather than pygal: pygal draws labels in a fixed-width gutter that
truncates long Norwegian area names and does not let the text size follow the
displayed width. The output is the same kind (static SVG, no JavaScript).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 360  # user units of the viewBox
FONT = 16  # user units; 16 * 288 / 360 = 12.8 CSS px at the narrowest column
MAX_SHOWN = 416  # CSS px: wider columns get more room around the chart, not larger text
BAR = 16
GAP = 10
BACKGROUND = "#ffffff"
TEXT = "#1e2b3c"
# Blue, orange-brown, purple, green, dark red, teal: each >= 3:1 against white and
# distinguishable for the common colour-vision deficiencies by lightness too (line
# charts add a marker shape and a dash pattern per series, so colour is never alone).
PALETTE = ("#0062ba", "#a35200", "#6b3fa0", "#1a7f37", "#b3261e", "#007c80")
GRID = "#d0d7de"  # gridlines only: decoration, the values are in the labels and the table

_ids = itertools.count(1)


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    description: str | None = None,
    stacked: bool = False,
) -> SafeString:
    """A horizontal bar chart as a safe inline SVG string.

    ``labels`` are the rows top to bottom; ``series`` is a list of ``(name, values)``
    with one value per label. ``stacked`` draws the series end to end in one bar per
    row (for parts of a whole); otherwise each series gets its own bar under the label.
    All text is escaped here, so callers pass plain strings.
    """
    if len(series) > len(PALETTE):
        raise ValueError(f"at most {len(PALETTE)} series")
    for _name, values in series:
        if len(values) != len(labels):
            raise ValueError("one value per label in every series")
    uid = f"ybc{next(_ids)}"
    description = description or _("Bar chart. The table beside it has the same numbers.")
    pad = 4
    y: float = pad
    parts: list[str] = []
    # Legend first, so it is read before the bars and never falls off the bottom.
    if len(series) > 1:
        x: float = pad
        for index, (name, _values) in enumerate(series):
            width = 18 + 0.6 * FONT * len(name) + 14
            if x + width > WIDTH and x > pad:
                x, y = pad, y + FONT + 8
            parts.append(
                f'<rect x="{x}" y="{y + 2}" width="{FONT - 2}" height="{FONT - 2}" '
                f'fill="{PALETTE[index]}"/>'
                f'<text x="{x + FONT + 4}" y="{y + FONT - 2}">{escape(name)}</text>'
            )
            x += width
        y += FONT + 14
    totals = [sum(values[i] for _n, values in series) for i in range(len(labels))]
    biggest = max([*totals] if stacked else [max(v, default=0) for _n, v in series] + [0])
    biggest = max(biggest, 1)
    value_room = 0.6 * FONT * (len(_number(biggest)) + 1)
    scale = (WIDTH - 2 * pad - value_room) / biggest
    for row, label in enumerate(labels):
        parts.append(f'<text x="{pad}" y="{y + FONT}">{escape(label)}</text>')
        y += FONT + 6
        x = float(pad)
        for index, (name, values) in enumerate(series):
            value = values[row]
            length = max(value * scale, 0)
            tip = escape(f"{label}, {name}: {_number(value)}")
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{BAR}" '
                f'fill="{PALETTE[index]}"><title>{tip}</title></rect>'
            )
            if stacked:
                x += length
            else:
                parts.append(
                    f'<text x="{x + length + 4:.1f}" y="{y + BAR - 2}">{_number(value)}</text>'
                )
                y += BAR + 4
        if stacked:
            parts.append(f'<text x="{x + 4:.1f}" y="{y + BAR - 2}">{_number(totals[row])}</text>')
            y += BAR + 4
        y += GAP
    height = y + pad
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="yb-svg-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'style="max-width:{MAX_SHOWN}px" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="Inter, system-ui, sans-serif" font-size="{FONT}" fill="{TEXT}">'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(description)}</desc>'
        f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>'
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # every text above is escaped


MARKERS = ("circle", "square", "diamond", "triangle", "circle-open", "square-open")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")


def _marker(shape: str, x: float, y: float, colour: str, tip: str) -> str:
    r = 4.5
    fill = "#ffffff" if shape.endswith("-open") else colour
    common = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    if shape.startswith("circle"):
        body = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {common}>'
        return f"{body}<title>{tip}</title></circle>"
    if shape.startswith("square"):
        body = f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" {common}>'
        return f"{body}<title>{tip}</title></rect>"
    if shape == "diamond":
        points = f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} {x - r - 1:.1f},{y:.1f}"
    else:
        points = f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y + r:.1f} {x - r - 1:.1f},{y + r:.1f}"
    return f'<polygon points="{points}" {common}><title>{tip}</title></polygon>'


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    y_range: tuple[float, float] | None = None,
    percent: bool = False,
    description: str | None = None,
) -> SafeString:
    """Lines over time (rounds, quarters) as a safe inline SVG string.

    ``labels`` are the points left to right (the table's order); ``series`` is a list of
    ``(name, values)`` with one value per label, ``None`` for a gap. The legend lists the
    series in the order given (the table's order), each with its colour, marker and dash.
    ``y_range`` fixes the axis (a 1–5 scale, 0–1 shares); ``percent`` shows 0–1 as %.
    Where the x labels would collide only every n-th is printed (always the last); the
    table beside the chart has every one. All text is escaped here.
    """
    if len(series) > len(PALETTE):
        raise ValueError(f"at most {len(PALETTE)} series")
    for _name, values in series:
        if len(values) != len(labels):
            raise ValueError("one value per label in every series")
    uid = f"ybc{next(_ids)}"
    description = description or _("Line chart. The table beside it has the same numbers.")
    pad = 4
    char = 0.6 * FONT  # a generous average glyph width for Inter at FONT
    y: float = pad
    parts: list[str] = []
    # Legend first, one series a line: read before the lines, never cut off at 288 px.
    for index, (name, _values) in enumerate(series):
        colour = PALETTE[index]
        dash = f' stroke-dasharray="{DASHES[index]}"' if DASHES[index] else ""
        parts.append(
            f'<line x1="{pad}" y1="{y + FONT / 2 + 1}" x2="{pad + 28}" y2="{y + FONT / 2 + 1}" '
            f'stroke="{colour}" stroke-width="2.5"{dash}/>'
            + _marker(MARKERS[index], pad + 14, y + FONT / 2 + 1, colour, escape(name))
            + f'<text x="{pad + 36}" y="{y + FONT - 2}">{escape(name)}</text>'
        )
        y += FONT + 8
    present = [v for _n, values in series for v in values if v is not None]
    low, high = y_range if y_range else (min([0.0, *present]), max([1.0, *present]))
    if high <= low:
        high = low + 1

    def shown(value: float) -> str:
        return f"{value * 100:.0f} %" if percent else f"{value:.1f}".rstrip("0").rstrip(".")

    ticks = [low + (high - low) * i / 4 for i in range(5)]
    axis_room = char * max(len(shown(t)) for t in ticks) + 6
    widest = char * max((len(label) for label in labels), default=1) + 8
    # Room for half an x label at either end, so every label is centred under its point.
    left = pad + max(axis_room, widest / 2)
    right = WIDTH - pad - widest / 2
    top = y + FONT / 2
    plot_height = 160.0
    bottom = top + plot_height

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * plot_height

    for tick in ticks:
        ty = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{right:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6:.1f}" y="{ty + FONT * 0.35:.1f}" text-anchor="end">'
            f"{escape(shown(tick))}</text>"
        )
    count = len(labels)
    step_x = (right - left) / (count - 1) if count > 1 else 0.0

    def x_of(i: int) -> float:
        return left + i * step_x if count > 1 else (left + right) / 2

    every = max(1, math.ceil(widest / step_x)) if count > 1 and step_x else 1
    for i, label in enumerate(labels):
        if (count - 1 - i) % every:
            continue
        parts.append(
            f'<text x="{x_of(i):.1f}" y="{bottom + FONT + 6:.1f}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for index, (name, values) in enumerate(series):
        colour = PALETTE[index]
        dash = f' stroke-dasharray="{DASHES[index]}"' if DASHES[index] else ""
        run: list[str] = []
        runs: list[list[str]] = [run]
        for i, value in enumerate(values):
            if value is None:
                run = []
                runs.append(run)
                continue
            run.append(f"{x_of(i):.1f},{y_of(value):.1f}")
        for points in runs:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash}/>'
                )
        for i, value in enumerate(values):
            if value is not None:
                tip = escape(f"{labels[i]}, {name}: {shown(value)}")
                parts.append(_marker(MARKERS[index], x_of(i), y_of(value), colour, tip))
    height = bottom + FONT + 6 + pad + 4
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="yb-svg-chart yb-line-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
        f'style="max-width:{MAX_SHOWN}px" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="Inter, system-ui, sans-serif" font-size="{FONT}" fill="{TEXT}">'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(description)}</desc>'
        f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>'
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # every text above is escaped


def network_chart(
    title: str,
    nodes: Sequence[str],
    edges: Sequence[tuple[int, int, float]],
    *,
    description: str | None = None,
) -> SafeString:
    """Who is coupled to whom, as a safe inline SVG string.

    ``nodes`` are names; each is drawn as a numbered circle on a ring (number = position
    in ``nodes`` + 1), so the figure stays legible at any width and the page shows the
    numbers and names in a table beside it. ``edges`` are ``(index_a, index_b, weight)``
    pairs of node indexes; a heavier edge is a thicker line.
    """
    uid = f"ybc{next(_ids)}"
    description = description or _(
        "Numbered circles are organisations, lines join organisations that work together. "
        "The tables beside the figure name the numbers and list every line."
    )
    size = WIDTH
    centre = size / 2
    node_radius = FONT - 1
    ring = centre - node_radius - 4
    heaviest = max([w for _a, _b, w in edges] + [1])
    pos = []
    for i in range(len(nodes)):
        angle = 2 * math.pi * i / max(1, len(nodes)) - math.pi / 2
        pos.append((centre + ring * math.cos(angle), centre + ring * math.sin(angle)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="yb-svg-chart yb-network" role="img" '
        f'viewBox="0 0 {size} {size}" width="100%" style="max-width:{MAX_SHOWN}px" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="Inter, system-ui, sans-serif" '
        f'font-size="{FONT}">'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(description)}</desc>'
        f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>'
    ]
    for a, b, weight in sorted(edges, key=lambda e: e[2]):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        width = 1.5 + 8 * weight / heaviest
        tip = escape(f"{a + 1} – {b + 1}: {nodes[a]}, {nodes[b]}")
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{PALETTE[0]}" '
            f'stroke-opacity="0.75" stroke-width="{width:.1f}"><title>{tip}</title></line>'
        )
    for i, (x, y) in enumerate(pos):
        parts.append(
            f"<g><title>{escape(f'{i + 1}: {nodes[i]}')}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node_radius}" fill="{TEXT}"/>'
            f'<text x="{x:.1f}" y="{y + FONT * 0.35:.1f}" text-anchor="middle" fill="#ffffff" '
            f'font-weight="600">{i + 1}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
