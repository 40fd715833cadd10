"""Charts for the regional view, drawn with the shared helper (inline SVG, no script)."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yrkesbro.core.charts import bar_chart
from yrkesbro.needs.selectors import Aggregate


def urgency_chart(aggregate: Aggregate) -> SafeString:
    """Needs per competence area, high, medium and low urgency end to end, in table order."""
    rows = [r for r in aggregate.rows if r.needs]
    return bar_chart(
        _("Published needs by competence area and urgency"),
        [r.name for r in rows],
        [
            (_("High"), [r.high for r in rows]),
            (_("Medium"), [r.medium for r in rows]),
            (_("Low"), [r.low for r in rows]),
        ],
        stacked=True,
    )


def people_chart(aggregate: Aggregate) -> SafeString:
    """People needed per competence area, in table order."""
    rows = [r for r in aggregate.rows if r.people]
    return bar_chart(
        _("People needed by competence area"),
        [r.name for r in rows],
        [(_("People"), [r.people for r in rows])],
    )
