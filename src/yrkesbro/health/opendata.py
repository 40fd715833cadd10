"""Open datasets of collaboration health, for the shared DCAT-AP-NO catalogue in core.

Discovered by ``yrkesbro.core.opendata`` and listed at ``/open-data/``.
"""

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.opendata import Dataset, Distribution, register

register(
    Dataset(
        key="collaboration-indicators",
        title=_("Collaboration indicators by county"),
        description=_(
            "Shares of municipalities that meet fagskoler regularly, have written agreements, "
            "share competence plans and publish needs; needs met; collaboration structures "
            "and pulse survey averages, for the nation and every county. Updated continuously."
        ),
        keywords=[_("collaboration"), _("vocational college"), _("municipalities")],
        themes=["EDUC", "REGI"],
        landing_page="health:indicators",
        distributions=[
            Distribution("health:indicators_csv", "CSV"),
            Distribution("health:indicators_json", "JSON"),
            Distribution("health:indicators_xlsx", "XLSX"),
        ],
    )
)
