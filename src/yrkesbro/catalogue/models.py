"""The programme catalogue: national plans (shared reference), programmes and offerings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    HEALTH = "health", _("Health")
    UPBRINGING = "upbringing", _("Upbringing")


class NationalPlan(models.Model):
    """A national curriculum plan that fagskole programmes follow (e.g. dementia care).

    Codes are Yrkesbro's own and stable (``DEMENS``); reference data from
    ``data/national_plans.csv``.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    credits = models.PositiveSmallIntegerField(_("credits"))
    title_nb = models.CharField(_("title (bokmål)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_nb = models.TextField(_("description"), blank=True)
    outcomes_knowledge_nb = models.TextField(_("knowledge"), blank=True)
    outcomes_skills_nb = models.TextField(_("skills"), blank=True)
    outcomes_general_competence_nb = models.TextField(_("general competence"), blank=True)
    seen_in = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("national plan")
        verbose_name_plural = _("national plans")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The title in the active language (bokmål also for nynorsk, until nn titles exist)."""
        return self.title_en if (get_language() or "nb").startswith("en") else self.title_nb
