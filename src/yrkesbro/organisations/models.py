"""Organisations: counties, municipalities, schools, companies and agencies."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yrkesbro.core.policies import Actor, Capability, ScopedQuerySet
from yrkesbro.core.text import clean_query
from yrkesbro.organisations.validators import normalise_org_number, validate_org_number


class Kind(models.TextChoices):
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("Municipality")
    UPPER_SECONDARY_SCHOOL = "upper_secondary_school", _("Upper-secondary school")
    FAGSKOLE = "fagskole", _("Tertiary vocational college (fagskole)")
    COMPANY = "company", _("Company")
    TRAINING_OFFICE = "training_office", _("Training office")
    STATE_AGENCY = "state_agency", _("State agency")


def fold(text: str) -> str:
    """Lower-case form for matching; SQLite's LIKE only folds ASCII, so we fold in Python."""
    return " ".join(text.casefold().split())


class OrganisationQuerySet(ScopedQuerySet):
    organisation_field = "id"

    def public(self) -> models.QuerySet:
        # Who the organisations are is public information.
        return self.all()

    def visible_to(self, actor: Actor) -> models.QuerySet:
        return self.all()

    def editable_by(self, actor: Actor) -> models.QuerySet:
        return self.with_capability(actor, Capability.EDIT_PROFILE)

    def search(self, query: str) -> models.QuerySet:
        """By name (any word, case- and accent-exact), or by number or organisation number."""
        query = clean_query(query)
        if not query:
            return self
        digits = normalise_org_number(query)
        if digits.isdigit():
            return self.filter(Q(number__startswith=digits) | Q(org_number__startswith=digits))
        return self.filter(search_name__contains=fold(query))


class Organisation(models.Model):
    """An organisation that takes part: a county, municipality, school, company or agency.

    Counties and municipalities come from the national register file and carry
    their official numbers; the others are registered in Yrkesbro.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    other_names = models.CharField(_("other official names"), max_length=300, blank=True)
    # The municipality or county number (kommunenummer/fylkesnummer), e.g. "0301".
    number = models.CharField(_("number"), max_length=4, blank=True, db_index=True)
    # A short code used by reference data, e.g. "FINN" for Fagskolen Innlandet.
    code = models.CharField(_("code"), max_length=20, blank=True)
    org_number = models.CharField(
        _("organisation number"), max_length=9, blank=True, validators=[validate_org_number]
    )
    county = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Kind.COUNTY},
        verbose_name=_("county"),
    )
    municipality = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Kind.MUNICIPALITY},
        verbose_name=_("municipality"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    search_name = models.CharField(max_length=600, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"], condition=~Q(org_number=""), name="unique_org_number"
            ),
            models.UniqueConstraint(
                fields=["kind", "number"], condition=~Q(number=""), name="unique_number_per_kind"
            ),
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~Q(code=""), name="unique_code_per_kind"
            ),
        ]
        indexes = [models.Index(fields=["kind", "county"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.org_number = normalise_org_number(self.org_number)
        self.search_name = fold(f"{self.name} {self.other_names}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.pk])

    @property
    def is_public_body(self) -> bool:
        return self.kind in (Kind.COUNTY, Kind.MUNICIPALITY)


class MunicipalityDistance(models.Model):
    """The great-circle distance between two municipalities' points, computed once per
    register (357 × 357 rows, ``organisations.distances``), so that reach is a lookup or a
    join instead of a haversine per request or per recompute."""

    origin = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    target = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    km = models.FloatField()

    class Meta:
        verbose_name = _("distance between municipalities")
        verbose_name_plural = _("distances between municipalities")
        constraints = [
            models.UniqueConstraint(fields=["origin", "target"], name="municipality_distance_pair")
        ]

    def __str__(self) -> str:
        return f"{self.origin_id} → {self.target_id}: {self.km:.1f} km"
