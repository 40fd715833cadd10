"""One chart helper for every app: horizontal bar charts as inline, script-free SVG.

Use it like this (the table beside the chart carries the same numbers)::

    from yrkesbro.core.charts import bar_chart

    svg = bar_chart(
        _("People needed by competence area"),
        labels=[row.name for row in rows],                 # top to bottom, as in the table
        series=[(_("People"), [row.people for row in rows])],
        stacked=False,                                     # True: one bar per row, parts side by side
    )
    # template: <figure class="yb-chart">{{ svg }}<figcaption>…</figcaption></figure>

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
# Blue, orange-brown, purple, green, dark red: each >= 3:1 against white and
# distinguishable for the common colour-vision deficiencies by lightness too.
PALETTE = ("#0062ba", "#a35200", "#6b3fa0", "#1a7f37", "#b3261e")

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
