"""Open datasets of workforce development, for the shared DCAT-AP-NO catalogue in core."""

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.opendata import Dataset, Distribution, register

register(
    Dataset(
        key="programme-outcomes",
        title=_("What the programmes led to"),
        description=_(
            "Per further-education programme, across all employers on the platform: "
            "completions recorded, the completion rate, and the share of completions that "
            "led to new tasks or a new job group. Only programmes with at least five "
            "completions are published; counts only, never people. Refreshed by the worker."
        ),
        keywords=[_("competence development"), _("further education"), _("outcomes")],
        themes=["EDUC", "SOCI"],
        landing_page="workforce:outcomes",
        distributions=[
            Distribution("workforce:outcomes_csv", "CSV"),
            Distribution("workforce:outcomes_json", "JSON"),
        ],
    )
)
