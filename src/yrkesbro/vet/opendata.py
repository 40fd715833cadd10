"""Open datasets of upper-secondary VET, for the shared DCAT-AP-NO catalogue in core."""

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.opendata import Dataset, Distribution, register

register(
    Dataset(
        key="vet-supply-demand",
        title=_("Apprenticeship places and pupils seeking, by trade"),
        description=_(
            "Apprenticeship and workplace-practice places offered by working life against "
            "pupils seeking them, per trade and programme, for the nation and every county. "
            "Aggregates only, never pupils. Updated continuously."
        ),
        keywords=[_("apprenticeship"), _("vocational training"), _("supply and demand")],
        themes=["EDUC", "REGI"],
        landing_page="vet:supply_demand",
        distributions=[
            Distribution("vet:supply_demand_csv", "CSV"),
            Distribution("vet:supply_demand_json", "JSON"),
            Distribution("vet:supply_demand_xlsx", "XLSX"),
        ],
    )
)
