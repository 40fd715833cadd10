"""The gap chart, drawn with the shared helper (inline SVG, no script)."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yrkesbro.core.charts import bar_chart
from yrkesbro.matching.selectors import GapRow


def gap_chart(rows: list[GapRow]) -> SafeString:
    """People needed and unmet per competence area, in the table's order."""
    return bar_chart(
        _("People needing each competence area, and how many have nothing in reach"),
        [r.name for r in rows],
        [
            (_("People needed"), [r.people_needed for r in rows]),
            (_("People unmet"), [r.people_unmet for r in rows]),
        ],
    )
