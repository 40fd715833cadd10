"""Competence needs and competence plans of municipalities and companies."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yrkesbro.core.policies import (
    Actor,
    Capability,
    ScopedQuerySet,
    is_platform_admin,
    organisation_ids_with,
    organisation_ids_with_any,
)

MAX_PEOPLE = 10_000


class ServiceArea(models.TextChoices):
    HEALTH = "health", _("Health and care")
    UPBRINGING = "upbringing", _("Upbringing")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Driver(models.TextChoices):
    COORDINATION_REFORM = "coordination_reform", _("Coordination reform")
    HOME_BASED = "home_based", _("Home-based services")
    AGEING = "ageing", _("Ageing population")
    TECHNOLOGY = "technology", _("New technology")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    BEING_MET = "being_met", _("Being met")
    MET = "met", _("Met")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private draft (editors only)")
    INTERNAL = "internal", _("Internal (whole organisation)")
    SHARED = "shared", _("Shared with schools (published)")


# Statuses a need can be moved to by hand from each status; publish and withdraw
# have their own services because they also change who can see the need.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED, Status.WITHDRAWN},
    Status.PUBLISHED: {Status.BEING_MET, Status.MET, Status.WITHDRAWN},
    Status.BEING_MET: {Status.MET, Status.PUBLISHED, Status.WITHDRAWN},
    Status.MET: {Status.BEING_MET},
    Status.WITHDRAWN: {Status.DRAFT},
}


class VisibilityQuerySet(ScopedQuerySet):
    """Three levels: editors see private drafts, members see internal rows, anyone signed in
    sees shared ones. Decided in SQL, so lists, counts and aggregates all agree."""

    def public(self) -> models.QuerySet:
        return self.filter(visibility=Visibility.SHARED)

    def visible_to(self, actor: Actor) -> models.QuerySet:
        """The shared rows united with the actor's own: its organisations' internal rows and
        (where the actor edits) their private drafts.

        The own rows are one UNION ALL of two arms that never overlap (one level each), each
        served by the ``(organisation, visibility)`` index, so they cost a few index reads
        whatever the size of the country; the shared rows are a plain column test. The
        database can then walk the ``(deadline, id)`` index for a page and stop after it,
        and count without a sort. The single OR it replaces (with two membership
        sub-queries) made PostgreSQL read, sort and count every need for every page.
        """
        if is_platform_admin(actor):
            return self.all()
        if not (actor and actor.is_authenticated and actor.is_active):
            return self.none()
        rows = self.model._default_manager.order_by()
        members = organisation_ids_with_any(
            actor, (Capability.VIEW_INTERNAL, Capability.EDIT_CONTENT)
        )
        editors = organisation_ids_with(actor, Capability.EDIT_CONTENT)
        internal = rows.filter(visibility=Visibility.INTERNAL, organisation__in=members)
        private = rows.filter(visibility=Visibility.PRIVATE, organisation__in=editors)
        own = internal.values("pk").union(private.values("pk"), all=True)
        return self.filter(Q(visibility=Visibility.SHARED) | Q(pk__in=own))


class CompetencePlan(models.Model):
    """A municipality's (or company's) competence plan for a period, grouping its needs.

    A strategic leader (an administrator of the organisation) approves it; the
    approval is recorded with who and when.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="competence_plans",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    summary = models.TextField(_("summary"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_by_name = models.CharField(_("approved by (name)"), max_length=200, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisibilityQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "title", "id"]
        verbose_name = _("competence plan")
        verbose_name_plural = _("competence plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"

    def get_absolute_url(self) -> str:
        return reverse("needs:plan_detail", args=[self.pk])

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def full_title(self) -> str:
        """The title with its period, without repeating a period the title already names."""
        title = self.title.strip()
        years = (str(self.start_year), str(self.end_year))
        if all(y in title for y in years):
            return title
        return f"{title} {self.period}"


class Need(models.Model):
    """A stated competence need: which areas, how many people, by when, how urgent, and what
    the staff can attend. Owned by a municipality or company; its status history is kept."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name=_("organisation"),
    )
    plan = models.ForeignKey(
        CompetencePlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("competence plan"),
    )
    service_area = models.CharField(
        _("service area"), max_length=20, choices=ServiceArea.choices, default=ServiceArea.HEALTH
    )
    unit = models.CharField(
        _("unit"),
        max_length=200,
        help_text=_("For example home care, a nursing home or a kindergarten."),
    )
    areas = models.ManyToManyField(
        "taxonomy.CompetenceArea", related_name="needs", verbose_name=_("competence areas")
    )
    description = models.TextField(_("description"), blank=True)
    people = models.PositiveIntegerField(
        _("number of people"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE)]
    )
    deadline = models.DateField(_("by when"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM
    )
    drivers = models.JSONField(_("drivers"), default=list, blank=True)
    # The change log shows the stored driver codes by their labels (core/display.py).
    DISPLAY_CHOICES = {"drivers": Driver.choices}
    driver_other = models.CharField(_("other driver"), max_length=200, blank=True)
    online_ok = models.BooleanField(_("online teaching works"), default=True)
    part_time_ok = models.BooleanField(_("part-time study works"), default=True)
    evenings_ok = models.BooleanField(_("evenings work"), default=False)
    max_travel_minutes = models.PositiveSmallIntegerField(
        _("maximum travel time (minutes)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(600)],
    )
    max_travel_km = models.PositiveSmallIntegerField(
        _("maximum travel distance (km)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(2000)],
    )
    funding = models.TextField(
        _("funding expectations"),
        blank=True,
        help_text=_("For example: the municipality pays tuition, staff keep their pay."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisibilityQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("competence need")
        verbose_name_plural = _("competence needs")
        indexes = [
            # Shared, published needs and their last change: the count and the MAX(updated_at)
            # that version every school's cached demand are read from this index alone.
            models.Index(
                fields=["visibility", "status", "updated_at"], name="need_published_updated"
            ),
            # The arms of ``visible_to``: own rows by organisation and level, with status and
            # plan so that counts of an organisation's needs (those a plan can take: 25,654
            # of Oslo's at factor 10, 42 -> 3 ms) read this index alone; and the lists'
            # order, so a page of 25 reads 25 rows instead of sorting every visible need.
            models.Index(
                fields=["organisation", "visibility", "status", "plan"],
                name="need_org_visibility_status",
            ),
            models.Index(fields=["deadline", "id"], name="need_deadline_id"),
            # One organisation's needs by deadline (the matching start page): a page walks it.
            models.Index(fields=["organisation", "deadline", "id"], name="need_org_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(people__gte=1) & Q(people__lte=MAX_PEOPLE), name="need_people_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.people})"

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", args=[self.pk])

    def driver_labels(self) -> list[str]:
        labels = dict(Driver.choices)
        return [str(labels.get(d, d)) for d in self.drivers]


class NeedStatusChange(models.Model):
    """One change of a need's status: who, when, from and to."""

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="history", verbose_name=_("need")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.need_id}: {self.from_status} → {self.to_status}"


class RegionalNeedCount(models.Model):
    """The regional view precomputed by the worker (``needs.regional_tables``): published
    needs of the nation (``county`` empty) or of one county, per competence area, or in total
    (``area`` empty). The same for every reader, so pages and open data read these rows."""

    county = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    area = models.ForeignKey(
        "taxonomy.CompetenceArea", on_delete=models.CASCADE, null=True, related_name="+"
    )
    needs = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    organisations = models.PositiveIntegerField(default=0)  # totals rows only
    low = models.PositiveIntegerField(default=0)
    medium = models.PositiveIntegerField(default=0)
    high = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("regional need count")
        verbose_name_plural = _("regional need counts")
        indexes = [models.Index(fields=["county", "area"], name="regional_county_area")]

    def __str__(self) -> str:
        return f"{self.county_id or 'NO'} {self.area_id or 'total'}: {self.needs}"


class RegionalRefresh(models.Model):
    """When the regional counts were last refreshed (one row)."""

    finished_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("regional refresh")
        verbose_name_plural = _("regional refreshes")

    def __str__(self) -> str:
        return str(self.finished_at)
