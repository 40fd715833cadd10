"""Upper-secondary VET: trades, places offered by working life, school demand,
placements with two-sided assessment, hospitering, and the precomputed supply/demand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yrkesbro.core.policies import (
    Actor,
    Capability,
    ScopedQuerySet,
    is_platform_admin,
    organisation_ids_with,
)
from yrkesbro.core.queries import any_of
from yrkesbro.organisations.models import Organisation

# Total hours of workplace practice (YFF) per pupil, by level (Udir's framework).
YFF_HOURS = {"vg1": 168, "vg2": 253}
MIN_HOSPITERING_DAYS = 5


class Trade(models.Model):
    """An apprenticeship trade (lærefag) with Udir's programme-area code, e.g. ``HSHEA3----``.

    The programme (utdanningsprogram) is kept as its two-letter code and name on the trade.
    """

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    programme_code = models.CharField(_("programme"), max_length=2, db_index=True)
    programme_name = models.CharField(_("programme name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["programme_code", "name"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class OfferKind(models.TextChoices):
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship places")
    YFF = "yff", _("Workplace practice (YFF)")


class Level(models.TextChoices):
    VG1 = "vg1", _("Vg1")
    VG2 = "vg2", _("Vg2")


class Approval(models.TextChoices):
    APPROVED = "approved", _("Approved training company")
    PENDING = "pending", _("Approval applied for")
    NONE = "none", _("Not approved")


def _county_ids(actor: Actor) -> models.QuerySet:
    """Counties where the actor may read internal data (a county sees its schools' figures)."""
    return organisation_ids_with(actor, Capability.VIEW_INTERNAL)


def _with_county(ids: models.QuerySet, county_ids: models.QuerySet) -> models.QuerySet:
    """``ids`` and the organisations that lie in the counties of ``county_ids``."""
    return any_of(ids, Organisation.objects.filter(county_id__in=county_ids).values("pk"))


class OfferQuerySet(ScopedQuerySet):
    """Offers: the offering organisation's members, the schools the offer is shared with,
    and the county the offering organisation lies in."""

    def visible_to(self, actor: Actor) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        ids = organisation_ids_with(actor, Capability.VIEW_INTERNAL)
        offering = _with_county(ids, _county_ids(actor))
        shared = Offer.shared_with.through.objects.filter(organisation_id__in=ids)
        return self.filter(
            pk__in=any_of(
                Offer.objects.filter(organisation_id__in=offering).values("pk"),
                shared.values("offer_id"),
            )
        )


class Offer(models.Model):
    """Places a company, training office or municipality offers in one trade and school year:
    apprenticeship places or YFF workplace practice, with a named instructor."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="vet_offers",
        verbose_name=_("offered by"),
    )
    trade = models.ForeignKey(
        Trade, on_delete=models.PROTECT, related_name="offers", verbose_name=_("trade")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    school_year = models.PositiveSmallIntegerField(_("school year (autumn)"))
    places = models.PositiveIntegerField(_("places"))
    starts_on = models.DateField(_("from"), null=True, blank=True)
    approval = models.CharField(
        _("approval as training company"), max_length=20, choices=Approval.choices, blank=True
    )
    level = models.CharField(_("level"), max_length=3, choices=Level.choices, blank=True)
    weeks = models.CharField(_("weeks"), max_length=100, blank=True)
    hours = models.PositiveIntegerField(_("hours per pupil"), null=True, blank=True)
    instructor_name = models.CharField(_("instructor"), max_length=200)
    instructor_email = models.EmailField(_("instructor's e-mail"), blank=True)
    instructor_phone = models.CharField(_("instructor's phone"), max_length=30, blank=True)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instructor's user account"),
    )
    internal_note = models.TextField(_("internal note"), blank=True)
    shared_with = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="vet_offers_shared",
        verbose_name=_("shared with schools"),
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "trade__name", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["school_year", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.trade.name} {self.school_year}"

    def get_absolute_url(self) -> str:
        return reverse("vet:offer_detail", args=[self.pk])


class DemandQuerySet(ScopedQuerySet):
    """A school's figures: its members, and its county."""

    organisation_field = "school"

    def visible_to(self, actor: Actor) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        ids = organisation_ids_with(actor, Capability.VIEW_INTERNAL)
        return self.filter(school_id__in=_with_county(ids, ids))


class Demand(models.Model):
    """How many of a school's pupils need a YFF placement, and how many Vg2 pupils will seek
    an apprenticeship, in one trade and school year."""

    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="vet_demand"
    )
    trade = models.ForeignKey(Trade, on_delete=models.PROTECT, related_name="demand")
    school_year = models.PositiveSmallIntegerField(_("school year (autumn)"))
    yff_pupils = models.PositiveIntegerField(_("pupils needing YFF placement"), default=0)
    apprenticeship_seekers = models.PositiveIntegerField(
        _("Vg2 pupils seeking an apprenticeship"), default=0
    )
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "trade__name"]
        verbose_name = _("school demand")
        verbose_name_plural = _("school demand")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "trade", "school_year"], name="vet_demand_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trade.name} {self.school_year}"


class PlacementQuerySet(ScopedQuerySet):
    """Placements: the booking school and the offering workplace see them (the workplace
    without the pupil's full name, see ``Placement.name_for``)."""

    def visible_to(self, actor: Actor) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        ids = organisation_ids_with(actor, Capability.VIEW_INTERNAL)
        hosted = Offer.objects.filter(organisation_id__in=ids).values("pk")
        return self.filter(
            pk__in=any_of(
                Placement.objects.filter(school_id__in=ids).values("pk"),
                Placement.objects.filter(offer_id__in=hosted).values("pk"),
            )
        )


class Placement(models.Model):
    """A pupil's YFF workplace practice on an offer, with a local curriculum agreed by both.

    The pupil is a minor and no platform user: the full name stays inside the school, the
    workplace sees only the first name and the period; the worker blanks both names a set
    time after the school year ends (``names_removed_at``).
    """

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="placements")
    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="vet_placements"
    )
    pupil_name = models.CharField(_("pupil's full name"), max_length=200, blank=True)
    pupil_first_name = models.CharField(_("first name shared"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    hours = models.PositiveIntegerField(_("hours"))
    goals = models.TextField(_("goals"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    school_agreed_at = models.DateTimeField(null=True, blank=True)
    workplace_agreed_at = models.DateTimeField(null=True, blank=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("teacher"),
    )
    assessment_requested_at = models.DateTimeField(null=True, blank=True)
    names_removed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        # Never the pupil's name: this text reaches the audit log.
        return f"{self.offer.trade.name} {self.starts_on}–{self.ends_on}"

    def get_absolute_url(self) -> str:
        return reverse("vet:placement_detail", args=[self.pk])


class Side(models.TextChoices):
    SCHOOL = "school", _("School")
    WORKPLACE = "workplace", _("Workplace")


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    PARTLY = "partly", _("Partly completed")
    NO_SHOW = "no_show", _("Did not show")


class Assessment(models.Model):
    """One side's short assessment of a placement: the teacher's or the instructor's."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="assessments")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    comment = models.TextField(_("how it went"), blank=True)
    would_take_apprentice = models.BooleanField(
        _("would take the pupil as an apprentice"), null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["side"]
        verbose_name = _("placement assessment")
        verbose_name_plural = _("placement assessments")
        constraints = [
            models.UniqueConstraint(fields=["placement", "side"], name="vet_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.get_outcome_display()}"


class HospiteringStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REPORTED = "reported", _("Reported")


class HospiteringQuerySet(ScopedQuerySet):
    def visible_to(self, actor: Actor) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        ids = organisation_ids_with(actor, Capability.VIEW_INTERNAL)
        return self.filter(
            pk__in=any_of(
                Hospitering.objects.filter(school_id__in=ids).values("pk"),
                Hospitering.objects.filter(workplace_id__in=ids).values("pk"),
            )
        )


class Hospitering(models.Model):
    """A teacher's days in a workplace (or a trainer's in a school), asked by one side and
    accepted by the other, planned with goals and reported afterwards by both."""

    partnership = models.ForeignKey(
        "collaboration.Partnership", on_delete=models.CASCADE, related_name="hospiterings"
    )
    agreement = models.ForeignKey(
        "collaboration.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    workplace = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    asked_by_side = models.CharField(_("asked by"), max_length=10, choices=Side.choices)
    participant = models.CharField(_("participant"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HospiteringStatus.choices,
        default=HospiteringStatus.REQUESTED,
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    days = models.PositiveSmallIntegerField(_("days"))
    goals = models.TextField(_("goals"))
    school_report = models.TextField(_("the school's report"), blank=True)
    workplace_report = models.TextField(_("the workplace's report"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HospiteringQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("hospitering")
        verbose_name_plural = _("hospiterings")

    def __str__(self) -> str:
        return f"{self.school} – {self.workplace} {self.starts_on}"

    def get_absolute_url(self) -> str:
        return reverse("vet:hospitering_detail", args=[self.pk])


class SupplyDemand(models.Model):
    """Precomputed per county, trade and school year (same for every reader, public).

    ``places_offered``: apprenticeship places offered by organisations in the county;
    ``pupils_seeking``: Vg2 pupils of the county's schools seeking an apprenticeship;
    ``yff_places``/``yff_pupils`` the same for YFF placements. Refreshed by the worker.
    """

    county = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    places_offered = models.PositiveIntegerField(default=0)
    pupils_seeking = models.PositiveIntegerField(default=0)
    yff_places = models.PositiveIntegerField(default=0)
    yff_pupils = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["school_year", "county"])]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "trade", "school_year"], name="vet_supply_demand_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.trade_id} {self.school_year}"


class PlacementRate(models.Model):
    """Precomputed assessment counts per county, school year and trade or workplace.

    The county view turns them into rates (only with at least five assessed placements);
    refreshed by the worker with the supply/demand table.
    """

    county = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school_year = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=10)  # "trade" or "workplace"
    key = models.BigIntegerField()  # the trade's or the workplace's id
    label = models.CharField(max_length=200)
    placements = models.PositiveIntegerField(default=0)
    school_assessed = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    workplace_assessed = models.PositiveIntegerField(default=0)
    would_take = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["county", "school_year", "group"])]

    def __str__(self) -> str:
        return f"{self.group} {self.label} {self.school_year}"
