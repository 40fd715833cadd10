"""Open datasets of matching: the gaps between published demand and supply."""

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.opendata import Dataset, Distribution, register

register(
    Dataset(
        key="gaps",
        title=_("Gaps between competence needs and programmes"),
        description=_(
            "Published competence needs per county and competence area, and how many of them "
            "have a programme offering in reach. Updated continuously."
        ),
        keywords=[_("competence needs"), _("vocational college"), _("supply and demand")],
        themes=["EDUC", "REGI"],
        landing_page="matching:gaps",
        distributions=[
            Distribution("matching:gaps_csv", "CSV"),
            Distribution("matching:gaps_json", "JSON"),
        ],
    )
)
