"""The shared taxonomy of competence areas, mapped to the national plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AreaField(models.TextChoices):
    HEALTH = "health", _("Health and care")
    UPBRINGING = "upbringing", _("Upbringing")
    BOTH = "both", _("Health and upbringing")


class CompetenceArea(models.Model):
    """A competence area municipalities name (e.g. dementia), with names in three languages.

    Codes (``demens``) come from the reference file and never change; needs,
    partnerships and matching refer to areas by code. ``national_plans`` are the
    plans whose programmes cover the area; an area may have none yet.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    field = models.CharField(_("field"), max_length=20, choices=AreaField.choices)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    synonyms = models.TextField(
        _("synonyms"), blank=True, help_text=_("Other words people use, comma-separated.")
    )
    national_plans = models.ManyToManyField(
        "catalogue.NationalPlan",
        blank=True,
        related_name="competence_areas",
        verbose_name=_("national plans"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["field", "code"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")

    def __str__(self) -> str:
        return self.name

    def synonym_list(self) -> list[str]:
        return [word.strip() for word in self.synonyms.split(",") if word.strip()]

    @property
    def name(self) -> str:
        language = get_language() or "nb"
        if language.startswith("en"):
            return self.name_en
        if language.startswith("nn") and self.name_nn:
            return self.name_nn
        return self.name_nb


class TaxonomyVersion(models.Model):
    """One numbered change to the taxonomy, so exports and mappings can say which version they use.

    Every service that changes an area or its plan mapping adds one; the audit
    entry of the same change holds the before and after.
    """

    number = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    area = models.ForeignKey(
        CompetenceArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("competence area"),
    )
    summary = models.CharField(_("summary"), max_length=300)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("taxonomy version")
        verbose_name_plural = _("taxonomy versions")

    def __str__(self) -> str:
        return f"v{self.number}: {self.summary}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.aggregate(n=models.Max("number"))["n"] or 0
