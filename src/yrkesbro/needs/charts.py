"""SVG charts for the regional view, drawn on the server with pygal (no JavaScript, no CDN)."""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from yrkesbro.needs.selectors import Aggregate

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1e2b3c",
    foreground_strong="#1e2b3c",
    foreground_subtle="#5d6b7a",
    colors=("#0062ba", "#e2a300", "#c01b1b"),
    font_family="Inter, Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)


def urgency_chart(aggregate: Aggregate) -> str:
    """Needs per competence area stacked by urgency, as a data: URI for an <img>."""
    # pygal draws the first label at the bottom: reverse, so the chart reads like the table.
    rows = [r for r in aggregate.rows if r.needs][::-1]
    chart = pygal.HorizontalStackedBar(
        js=[],  # no script: the chart is a picture; the table beside it carries the data
        style=STYLE,
        width=800,
        height=max(220, 40 + 28 * len(rows)),
        show_legend=True,
        legend_at_bottom=True,
        print_values=False,
        disable_xml_declaration=False,
        title=_("Published needs by competence area and urgency"),
    )
    chart.x_labels = [r.name for r in rows]
    chart.add(_("Low"), [r.low for r in rows])
    chart.add(_("Medium"), [r.medium for r in rows])
    chart.add(_("High"), [r.high for r in rows])
    return chart.render_data_uri()


def people_chart(aggregate: Aggregate) -> str:
    rows = [r for r in aggregate.rows if r.people][::-1]
    chart = pygal.HorizontalBar(
        js=[],
        style=STYLE,
        width=800,
        height=max(220, 40 + 28 * len(rows)),
        show_legend=False,
        title=_("People needed by competence area"),
    )
    chart.x_labels = [r.name for r in rows]
    chart.add(_("People"), [r.people for r in rows])
    return chart.render_data_uri()
