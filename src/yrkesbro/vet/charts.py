"""The supply/demand chart, drawn on the server with pygal (no JavaScript, no CDN).

One function, so it moves easily to the shared chart helper in core."""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _

from yrkesbro.needs.charts import STYLE
from yrkesbro.vet.selectors import SupplyDemandView

MAX_BARS = 20


def supply_demand_chart(view: SupplyDemandView) -> str:
    """Places offered against pupils seeking an apprenticeship for the trades with the
    largest shortfall (the table beside it has every trade), as a data: URI."""
    rows = [r for r in view.rows if r.places_offered or r.pupils_seeking][:MAX_BARS][::-1]
    if not rows:
        return ""
    chart = pygal.HorizontalBar(
        js=[],  # a picture; the table beside it carries the data
        style=STYLE,
        width=800,
        height=max(220, 60 + 36 * len(rows)),
        show_legend=True,
        legend_at_bottom=True,
        title=_("Apprenticeship places offered and pupils seeking, by trade"),
    )
    chart.x_labels = [r.name for r in rows]
    chart.add(_("Places offered"), [r.places_offered for r in rows])
    chart.add(_("Pupils seeking"), [r.pupils_seeking for r in rows])
    return chart.render_data_uri()
