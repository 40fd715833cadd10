"""Open datasets of needs: published competence needs by region and area."""

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.opendata import Dataset, Distribution, register

register(
    Dataset(
        key="regional-needs",
        title=_("Competence needs by region"),
        description=_(
            "Published competence needs of municipalities and companies, counted by competence "
            "area, people and urgency, for the nation and per county."
        ),
        keywords=[_("competence needs"), _("municipalities"), _("competence plan")],
        themes=["EDUC", "GOVE"],
        landing_page="needs:regional",
        distributions=[
            Distribution("needs:regional_csv", "CSV"),
            Distribution("needs:regional_json", "JSON"),
        ],
    )
)
