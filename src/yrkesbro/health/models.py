"""Collaboration health: a two-sided pulse survey per partnership, and live indicators.

Anonymity lives in the data model (documented choice, see docs/decisions):

- ``Response`` holds one person's answers but no link to that person: no user, no
  time, and a random (UUID) key, so neither ids nor timestamps can be lined up with
  the ``Participation`` rows. Its only anchors are the round and the party (side).
- ``Participation`` says that a person of a party answered a round, and exists only
  to stop double answers. It carries no answer and no time either.
- Side figures are read only for closed rounds and only when at least
  ``settings.YRKESBRO_PULSE_THRESHOLD`` (never below three) people of that side
  answered, so nobody can watch a figure move when one person answers.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yrkesbro.collaboration.models import PartyScopedQuerySet

MIN_THRESHOLD = 3


def threshold() -> int:
    """How many people of one side must have answered before its figures are shown (>= 3)."""
    return max(MIN_THRESHOLD, int(getattr(settings, "YRKESBRO_PULSE_THRESHOLD", MIN_THRESHOLD)))


class ItemSet(models.Model):
    """One version of the questionnaire. Rounds point at the version they asked, so old
    answers stay tied to the texts people actually answered."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    is_current = models.BooleanField(_("current"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("item set")
        verbose_name_plural = _("item sets")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_item_set"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class ItemKind(models.TextChoices):
    SCALE = "scale", _("1–5, or don't know")
    TEXT = "text", _("Free text")


class Item(models.Model):
    """One question in an item set, in bokmål, nynorsk and English.

    ``code`` stays the same across versions when the meaning stays the same, so an
    item's history can be followed over rounds asked with different versions.
    """

    item_set = models.ForeignKey(ItemSet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    text_nb = models.CharField(_("text (bokmål)"), max_length=300)
    text_nn = models.CharField(_("text (nynorsk)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)

    class Meta:
        ordering = ["item_set", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["item_set", "code"], name="one_item_code_per_set")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        lang = (get_language() or "nb")[:2]
        return {"nn": self.text_nn, "en": self.text_en}.get(lang, self.text_nb)


class PulseSettings(models.Model):
    """How often a partnership is asked, and for how long a round stays open."""

    partnership = models.OneToOneField(
        "collaboration.Partnership", on_delete=models.CASCADE, related_name="pulse_settings"
    )
    cadence_months = models.PositiveSmallIntegerField(_("ask every (months)"), default=6)
    open_days = models.PositiveSmallIntegerField(_("round open for (days)"), default=21)

    class Meta:
        verbose_name = _("pulse settings")
        verbose_name_plural = _("pulse settings")

    def __str__(self) -> str:
        return str(self.partnership_id)


class Trigger(models.TextChoices):
    MANUAL = "manual", _("Started by a partnership admin")
    CADENCE = "cadence", _("On the partnership's cadence")
    AGREEMENT = "agreement", _("After an agreement was signed")


class RoundQuerySet(PartyScopedQuerySet):
    def open(self) -> models.QuerySet:
        return self.filter(closed_at__isnull=True)

    def closed(self) -> models.QuerySet:
        return self.filter(closed_at__isnull=False)


class Round(models.Model):
    """One asking of a partnership's representatives and liaisons."""

    partnership = models.ForeignKey(
        "collaboration.Partnership", on_delete=models.CASCADE, related_name="pulse_rounds"
    )
    item_set = models.ForeignKey(ItemSet, on_delete=models.PROTECT, related_name="rounds")
    trigger = models.CharField(_("started"), max_length=20, choices=Trigger.choices)
    opened_at = models.DateTimeField(_("opened"))
    closes_on = models.DateField(_("closes"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        indexes = [models.Index(fields=["partnership", "opened_at"])]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Participation(models.Model):
    """That ``user`` of party ``organisation`` answered ``round``: nothing about what, or when."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_answer_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.organisation_id}"


class Response(models.Model):
    """One anonymous set of answers: the round and the side, never the person, never a time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    free_text = models.TextField(_("free text"), blank=True)

    class Meta:
        # Random keys: ordering by id is no ordering by time.
        ordering = ["id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    """One item's value in a response; ``value`` is empty for "don't know"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_value_per_item"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="answer_value_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class Indicator(models.TextChoices):
    MET_FAGSKOLE = "met_fagskole", _("Met a fagskole at least twice")
    WRITTEN_AGREEMENT = "written_agreement", _("Active written agreement with a school")
    PLAN_SHARED = "plan_shared", _("Competence plan shared with schools")
    NEEDS_PUBLISHED = "needs_published", _("Needs published")
    NEEDS_MET = "needs_met", _("Published needs met")
    CADENCE_KEPT = "cadence_kept", _("Structures that keep their cadence")
    STRUCTURES_INFORMAL = "structures_informal", _("Structures: informal")
    STRUCTURES_CADENCE = "structures_cadence", _("Structures: agreed meeting cadence")
    STRUCTURES_WRITTEN = "structures_written", _("Structures: written agreement")


class IndicatorValue(models.Model):
    """A precomputed public figure for one region and quarter, written by the worker.

    ``county`` empty means the nation; ``code`` is an ``Indicator`` or ``pulse:<item code>``.
    The current quarter is recomputed on every refresh; earlier quarters stay as they were
    when the quarter ended, which is the trend.
    """

    code = models.CharField(max_length=60)
    county = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    period = models.CharField(max_length=7)  # "2026-Q4"
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(default=0)
    denominator = models.FloatField(default=0)
    computed_at = models.DateTimeField()
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["period", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "county", "period"], name="one_indicator_value"
            ),
            models.UniqueConstraint(
                fields=["code", "period"],
                condition=Q(county__isnull=True),
                name="one_national_indicator_value",
            ),
        ]
        indexes = [models.Index(fields=["county", "period"])]

    def __str__(self) -> str:
        return f"{self.code} {self.county_id or 'NO'} {self.period}: {self.value}"
