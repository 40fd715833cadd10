"""Matching: precomputed matches of needs to offerings, and requests from municipalities to
schools with the schools' offers, their history and the notifications they sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue.models import Delivery
from yrkesbro.core.policies import (
    Actor,
    Capability,
    ScopedQuerySet,
    is_platform_admin,
    organisation_ids_with,
)
from yrkesbro.core.queries import any_of


class MatchResult(models.Model):
    """One offering's precomputed score for one need, with the per-factor explanation.

    Written by ``matching.tasks.refresh_need`` in the background; pages compute on the
    fly only when a need has no rows yet or was edited after they were computed. A
    catalogue change marks the rows of the needs it can affect ``stale`` (shown until the
    worker has recomputed them), never every need's.
    """

    need = models.ForeignKey(
        "needs.Need", on_delete=models.CASCADE, related_name="match_results", verbose_name=_("need")
    )
    offering = models.ForeignKey(
        "catalogue.Offering", on_delete=models.CASCADE, related_name="+", verbose_name=_("offering")
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    factors = models.JSONField(_("factors"), default=list)
    computed_at = models.DateTimeField(_("computed"), auto_now_add=True)
    # Set when a catalogue change may move this need's ranking (an offering or programme of
    # a plan covering its areas, or one of its ranked offerings); the worker recomputes it.
    stale = models.BooleanField(_("stale"), default=False, db_index=True)

    class Meta:
        ordering = ["need", "rank"]
        verbose_name = _("match result")
        verbose_name_plural = _("match results")
        constraints = [
            models.UniqueConstraint(fields=["need", "offering"], name="one_result_per_offering")
        ]

    def __str__(self) -> str:
        return f"{self.need_id} → {self.offering_id}: {self.score:.2f}"


class NeedMatching(models.Model):
    """When a need's matches were last computed, also when none were found, so that the
    worker computes a need without matches once, not on every run; ``stale`` as on
    ``MatchResult`` (a catalogue change that can give the need matches it lacked)."""

    need = models.OneToOneField(
        "needs.Need",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="matching",
        verbose_name=_("need"),
    )
    computed_at = models.DateTimeField(_("computed"))
    stale = models.BooleanField(_("stale"), default=False, db_index=True)

    class Meta:
        verbose_name = _("matching of a need")
        verbose_name_plural = _("matching of needs")

    def __str__(self) -> str:
        return f"{self.need_id}: {self.computed_at:%Y-%m-%d %H:%M}"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OFFERED = "offered", _("Offered")
    REFUSED = "refused", _("Refused")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (RequestStatus.REQUESTED, RequestStatus.OFFERED)


class RequestKind(models.TextChoices):
    PLACE = "place", _("Places on an offering")
    COHORT = "cohort", _("A tailored cohort")


class RequestQuerySet(ScopedQuerySet):
    """Seen by the members of the asking organisation and of the school asked; no one else."""

    organisation_field = "need__organisation"

    def visible_to(self, actor: Actor) -> models.QuerySet:
        """The requests of the actor's organisations' needs and those to its schools.

        One UNION ALL of the two arms (a request between two of the actor's organisations
        is in both; ``IN`` does not mind), each served by an index (the needs by
        organisation, the requests by need; the requests by school), so the database
        reads the actor's requests only. The single OR it replaces joined every request
        in the country to its need first."""
        if is_platform_admin(actor):
            return self.all()
        orgs = organisation_ids_with(actor, Capability.VIEW_INTERNAL)
        rows = self.model._default_manager.order_by()
        needs = self.model._meta.get_field("need").related_model._default_manager.order_by()
        asked = rows.filter(need__in=needs.filter(organisation__in=orgs).values("pk"))
        received = rows.filter(school__in=orgs)
        return self.filter(pk__in=any_of(asked.values("pk"), received.values("pk")))


class Request(models.Model):
    """A municipality asks a school for places or a tailored cohort for one of its needs.

    The school answers with an offer (the ``offer_*`` fields) or a refusal with a reason;
    the municipality accepts or declines an offer. Every step is a ``RequestEvent``.
    """

    need = models.ForeignKey(
        "needs.Need", on_delete=models.CASCADE, related_name="requests", verbose_name=_("need")
    )
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="incoming_requests",
        verbose_name=_("school"),
    )
    offering = models.ForeignKey(
        "catalogue.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offering"),
    )
    kind = models.CharField(
        _("what is asked for"),
        max_length=10,
        choices=RequestKind.choices,
        default=RequestKind.PLACE,
    )
    people = models.PositiveIntegerField(_("number of people"))
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.REQUESTED,
        db_index=True,
    )
    offer_programme = models.ForeignKey(
        "catalogue.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered programme"),
    )
    offer_offering = models.ForeignKey(
        "catalogue.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered offering"),
    )
    offer_seats = models.PositiveIntegerField(_("seats offered"), null=True, blank=True)
    offer_price_nok = models.PositiveIntegerField(_("price (NOK)"), null=True, blank=True)
    offer_delivery = models.CharField(_("delivery"), max_length=20, blank=True)
    offer_start = models.DateField(_("start date"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return f"{self.need} → {self.school}"

    def get_absolute_url(self) -> str:
        return reverse("matching:request", args=[self.pk])

    # The change log shows the stored delivery code by its label (core/display.py).
    DISPLAY_CHOICES = {"offer_delivery": Delivery.choices}

    def get_offer_delivery_display(self) -> str:
        """The offered delivery by its label (stored as a catalogue Delivery code)."""
        return str(dict(Delivery.choices).get(self.offer_delivery, self.offer_delivery))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestEvent(models.Model):
    """One step of a request: who did what, when, from which status to which."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="history", verbose_name=_("request")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=RequestStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


class MatchNotification(models.Model):
    """A notice sent to a person on the other side of a request (also e-mailed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("request")
    )
    event = models.ForeignKey(
        RequestEvent, on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject


class GapCell(models.Model):
    """Precomputed gaps of one organisation's published needs in one competence area.

    Written by the worker (``matching.gap_tables.refresh``), never by a request. ``offerings``
    holds the ids of the offerings in reach of at least one of these needs, so that a
    region's distinct count is the size of a union. Public aggregates: no need is named.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey("taxonomy.CompetenceArea", on_delete=models.CASCADE, related_name="+")
    needs = models.PositiveIntegerField(default=0)
    people_needed = models.PositiveIntegerField(default=0)
    people_unmet = models.PositiveIntegerField(default=0)
    offerings = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area"], name="one_gap_cell")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.area_id}"


class GapSummary(models.Model):
    """Precomputed gap row of the nation (``county`` empty) or of one county, per area:
    what the gaps page and API read for those regions."""

    county = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    area = models.ForeignKey("taxonomy.CompetenceArea", on_delete=models.CASCADE, related_name="+")
    needs = models.PositiveIntegerField(default=0)
    people_needed = models.PositiveIntegerField(default=0)
    offerings_in_reach = models.PositiveIntegerField(default=0)
    people_unmet = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["county", "area"])]

    def __str__(self) -> str:
        return f"{self.county_id or 'nation'}/{self.area_id}"


class GapRefresh(models.Model):
    """When the gap tables were last refreshed (one row), shown beside the figures."""

    finished_at = models.DateTimeField()
    valid_on = models.DateField(help_text="The day whose upcoming offerings were counted.")
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M:%S}"
