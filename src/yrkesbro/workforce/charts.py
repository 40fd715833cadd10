"""The effect chart, in one function so it can move to the shared chart helper."""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _

from yrkesbro.needs.charts import STYLE
from yrkesbro.workforce.selectors import Effect


def effect_chart(effect: Effect) -> str:
    """Enrolled, completed, interrupted and new tasks per year, as a data: URI for an <img>."""
    chart = pygal.Bar(
        js=[],  # a picture; the table beside it carries the same numbers
        style=STYLE,
        width=800,
        height=320,
        legend_at_bottom=True,
        title=_("Enrolments and completions per year"),
    )
    chart.x_labels = [str(y) for y in effect.years]
    by_year = {y: [0, 0, 0, 0] for y in effect.years}
    for row in effect.by_service_area:
        values = by_year[row.year]
        values[0] += row.enrolled
        values[1] += row.completed
        values[2] += row.interrupted
        values[3] += row.new_tasks
    labels = [_("Enrolled"), _("Completed"), _("Interrupted"), _("New tasks after completion")]
    for i, label in enumerate(labels):
        chart.add(label, [by_year[y][i] for y in effect.years])
    return str(chart.render_data_uri())
