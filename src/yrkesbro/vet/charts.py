"""The supply/demand chart, drawn by the shared chart helper (``core.charts``)."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yrkesbro.core.charts import bar_chart
from yrkesbro.vet.selectors import SupplyDemandView

MAX_BARS = 20


def supply_demand_chart(view: SupplyDemandView) -> SafeString | str:
    """Places offered against pupils seeking for the trades with the largest shortfall,
    in the table's order (the table beside it has every trade)."""
    rows = [r for r in view.rows if r.places_offered or r.pupils_seeking][:MAX_BARS]
    if not rows:
        return ""
    return bar_chart(
        _("Apprenticeship places offered and pupils seeking, by trade"),
        labels=[r.name for r in rows],
        series=[
            (_("Places offered"), [r.places_offered for r in rows]),
            (_("Pupils seeking"), [r.pupils_seeking for r in rows]),
        ],
        description=_(
            "Bar chart of apprenticeship places offered and pupils seeking per trade. "
            "The same numbers are in the table."
        ),
    )
