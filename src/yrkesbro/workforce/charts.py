"""The effect chart, drawn by the shared chart helper (``core.charts``)."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yrkesbro.core.charts import bar_chart
from yrkesbro.workforce.selectors import Effect


def effect_chart(effect: Effect) -> SafeString:
    """Enrolled, completed, interrupted and new tasks per year (rows are years)."""
    by_year = {y: [0, 0, 0, 0] for y in effect.years}
    for row in effect.by_service_area:
        values = by_year[row.year]
        values[0] += row.enrolled
        values[1] += row.completed
        values[2] += row.interrupted
        values[3] += row.new_tasks
    names = [_("Enrolled"), _("Completed"), _("Interrupted"), _("New tasks after completion")]
    return bar_chart(
        _("Enrolments and completions per year"),
        labels=[str(y) for y in effect.years],
        series=[(name, [by_year[y][i] for y in effect.years]) for i, name in enumerate(names)],
        description=_(
            "Bar chart of enrolments, completions, interruptions and new tasks per year. "
            "The same numbers are in the tables."
        ),
    )
