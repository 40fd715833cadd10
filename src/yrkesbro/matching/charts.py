"""The gap chart, drawn on the server with pygal as SVG without script."""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _

from yrkesbro.matching.selectors import GapRow
from yrkesbro.needs.charts import STYLE


def gap_chart(rows: list[GapRow]) -> str:
    """People needed and unmet per competence area, as a data: URI for an <img>."""
    chart = pygal.HorizontalBar(
        js=[],  # a picture; the table beside it carries the same numbers
        style=STYLE,
        width=800,
        height=max(220, 60 + 36 * len(rows)),
        show_legend=True,
        legend_at_bottom=True,
        title=_("People needing each competence area, and how many have nothing in reach"),
    )
    chart.x_labels = [r.name for r in rows]
    chart.add(_("People needed"), [r.people_needed for r in rows])
    chart.add(_("People unmet"), [r.people_unmet for r in rows])
    return chart.render_data_uri()
