"""SVG charts for collaboration health, drawn on the server with pygal (``js=[]``).

Every chart sits beside a table with the same numbers. Kept in one module so the
drawing can move to the shared chart helper in ``core`` without touching the pages.
"""

from __future__ import annotations

import pygal
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1e2b3c",
    foreground_strong="#1e2b3c",
    foreground_subtle="#5d6b7a",
    colors=("#0062ba", "#c05600", "#1a7f37", "#6f42c1", "#c01b1b"),
    font_family="Inter, Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    range_: tuple[float, float] | None = None,
    percent: bool = False,
) -> str:
    """Lines over time (rounds or quarters), as a data: URI for an <img>."""
    chart = pygal.Line(
        js=[],  # no script: the chart is a picture; the table beside it carries the data
        style=STYLE,
        width=640,
        height=300,
        legend_at_bottom=True,
        allow_interruptions=True,
        show_dots=True,
        title=title,
        range=range_,
        value_formatter=(lambda v: f"{v * 100:.0f} %") if percent else (lambda v: f"{v:.1f}"),
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return chart.render_data_uri()


def bar_chart(*, title: str, labels: list[str], values: list[float | None], percent: bool) -> str:
    """One value per county, horizontal bars, as a data: URI for an <img>."""
    chart = pygal.HorizontalBar(
        js=[],
        style=STYLE,
        width=640,
        height=max(220, 40 + 26 * len(labels)),
        show_legend=False,
        title=title,
        value_formatter=(lambda v: f"{v * 100:.0f} %") if percent else (lambda v: f"{v:.1f}"),
    )
    # pygal draws the first label at the bottom: reverse, so the chart reads like the table.
    chart.x_labels = labels[::-1]
    chart.add(title, values[::-1])
    return chart.render_data_uri()
