"""The offline overview of offerings by county: a hand-built SVG, no tiles, no script.

Each county is a circle at the mean position of its municipalities (an
equirectangular projection of WGS84, squeezed by cos 65° so Norway keeps its
shape), its area proportional to the number of offerings. The page shows the
same numbers in a table beside it.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Avg
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from yrkesbro.organisations.models import Kind, Organisation

WIDTH, HEIGHT, PAD = 420, 560, 30
LON_SCALE = math.cos(math.radians(65))


def county_map(rows: list[dict[str, Any]]) -> SafeString:
    centres = {
        c["county"]: (c["lat"], c["lon"])
        for c in Organisation.objects.filter(kind=Kind.MUNICIPALITY, latitude__isnull=False)
        .values("county")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    }
    points = [(r, centres.get(r["county"].pk)) for r in rows]
    placed = [(r, c) for r, c in points if c is not None]
    title = _("Offerings by county")
    description = _(
        "Circles sized by the number of offerings in each county; "
        "the table beside the map has the same numbers."
    )
    if not placed:
        return mark_safe(
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="60" '
            f'viewBox="0 0 {WIDTH} 60"><title>{escape(title)}</title></svg>'
        )
    lats = [c[0] for _r, c in placed]
    lons = [c[1] * LON_SCALE for _r, c in placed]
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    scale = min(
        (WIDTH - 2 * PAD) / max(lon1 - lon0, 0.1), (HEIGHT - 2 * PAD) / max(lat1 - lat0, 0.1)
    )
    biggest = max([r["count"] for r, _c in placed] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="map-title map-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" style="max-width:{WIDTH}px" class="yb-map yb-svg-chart">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(description)}</desc>',
    ]
    for row, (lat, lon) in placed:
        x = PAD + (lon * LON_SCALE - lon0) * scale
        y = HEIGHT - PAD - (lat - lat0) * scale
        r = 4 + 22 * math.sqrt(row["count"] / biggest)
        name = escape(row["county"].name)
        label = escape(f"{row['county'].name}: {row['count']}")
        parts.append(
            f"<g><title>{label}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#1e6fb0" fill-opacity="0.55" '
            f'stroke="#0b3d66" stroke-width="1"/>'
            # 18 user units stay >= 12 CSS px down to a 288 px wide column; labels point
            # inwards so the eastern counties' names are not cut at the edge.
            f'<text x="{x + r + 3 if x < WIDTH / 2 else x - r - 3:.1f}" y="{y + 6:.1f}" '
            f'font-size="18" fill="#1a1a1a" '
            f'text-anchor="{"start" if x < WIDTH / 2 else "end"}">'
            f"{name} ({row['count']})</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
