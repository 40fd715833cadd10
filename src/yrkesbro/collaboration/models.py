"""Collaboration structures: partnerships, agreements, forums, meetings and action items.

Visibility (documented choice): that a partnership exists, its name, parties,
structure type, bindingness, competence areas and trades are public when
``is_public`` is set (the default), because knowing who works with whom helps
others find partners and is no secret for public bodies. Everything else
(purpose, representatives, liaisons, agreements, forums, meetings, minutes,
actions) is seen only by members of the party organisations; everyone else gets
404. A county's own staff see health signals (dates, counts, statuses) of the
structures in their county, never minutes or agreement texts.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
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
)
from yrkesbro.organisations.models import Organisation


class Bindingness(models.TextChoices):
    INFORMAL = "informal", _("Informal")
    CADENCE = "cadence", _("Agreed meeting cadence")
    WRITTEN = "written", _("Written agreement")


class Level(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic (decides)")
    OPERATIONAL = "operational", _("Operational (runs the services)")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


CADENCE_MONTHS = {
    Cadence.MONTHLY: 1,
    Cadence.QUARTERLY: 3,
    Cadence.HALF_YEARLY: 6,
    Cadence.YEARLY: 12,
}


def _partnership_ids(actor: Actor, capability: Capability) -> models.QuerySet:
    # Only a party that has accepted its invitation sees inside the partnership.
    return (
        PartnershipParty.objects.accepted()
        .filter(organisation_id__in=organisation_ids_with(actor, capability))
        .values("partnership_id")
    )


class PartyScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a partnership: its parties' members see and edit them."""

    partnership_field = "partnership"

    def with_capability(self, actor: Actor, capability: Capability) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        return self.filter(**{f"{self.partnership_field}__in": _partnership_ids(actor, capability)})


class StructureTypeQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor) -> models.QuerySet:
        # The kinds of structures a county uses are public, like its organisation;
        # a partnership's own types are seen where the partnership is.
        return self.filter(
            Q(partnership__isnull=True) | Q(partnership__in=Partnership.objects.visible_to(actor))
        )

    def editable_by(self, actor: Actor) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        return self.filter(
            Q(owner_id__in=organisation_ids_with(actor, Capability.EDIT_CONTENT))
            | Q(partnership_id__in=_partnership_ids(actor, Capability.EDIT_CONTENT))
        )


class StructureType(models.Model):
    """A kind of collaboration structure (council, network, forum ...) and how binding it is.

    Defined by a school owner (a county) or by a partnership for its own use; the
    owner decides the bindingness, which partnerships of this type inherit.
    """

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    bindingness = models.CharField(
        _("bindingness"), max_length=20, choices=Bindingness.choices, default=Bindingness.INFORMAL
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="structure_types",
        verbose_name=_("defined by"),
    )
    partnership = models.ForeignKey(
        "Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_structure_types",
        verbose_name=_("defined by partnership"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureTypeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("structure type")
        verbose_name_plural = _("structure types")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(partnership__isnull=False),
                name="structure_type_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartnershipQuerySet(PartyScopedQuerySet):
    partnership_field = "id"

    def public(self) -> models.QuerySet:
        return self.filter(is_public=True)

    def private_to(self, actor: Actor) -> models.QuerySet:
        """Partnerships whose private parts (minutes, agreements) the actor may read."""
        return self.with_capability(actor, Capability.VIEW_INTERNAL)


class Partnership(models.Model):
    """Two or more organisations that have agreed to work together on something."""

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    structure_type = models.ForeignKey(
        StructureType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("structure type"),
    )
    bindingness = models.CharField(
        _("bindingness"), max_length=20, choices=Bindingness.choices, default=Bindingness.INFORMAL
    )
    competence_areas = models.ManyToManyField(
        "taxonomy.CompetenceArea",
        blank=True,
        related_name="partnerships",
        verbose_name=_("competence areas"),
    )
    trades = models.CharField(
        _("trades"), max_length=500, blank=True, help_text=_("Trades covered, comma-separated.")
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Anyone may see that the partnership exists and who its parties are."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    organisations: models.ManyToManyField[Organisation, PartnershipParty] = models.ManyToManyField(
        "organisations.Organisation",
        through="PartnershipParty",
        related_name="partnerships",
        verbose_name=_("parties"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        indexes = [
            # The public list: a page in name order, and its count, from this index. Partial:
            # SQLite compares boolean columns bare ("is_public AND is_active"), which an index
            # on them cannot be searched by, but a partial index with that condition can.
            models.Index(
                fields=["name", "id"],
                condition=Q(is_public=True, is_active=True),
                name="partnership_public_name",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaboration:partnership", args=[self.pk])


class PartyStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class PartnershipPartyQuerySet(models.QuerySet):
    def accepted(self) -> models.QuerySet:
        """Parties that have agreed to take part: the only ones whose members see the
        partnership's inside, are listed in its people pickers and receive its e-mail."""
        return self.filter(status=PartyStatus.ACCEPTED)

    def invited(self) -> models.QuerySet:
        return self.filter(status=PartyStatus.INVITED)


class PartnershipParty(models.Model):
    """One organisation's place in a partnership.

    Adding an organisation makes an invitation (``invited``) that an admin of that
    organisation accepts or declines; only accepted parties take part. Rows written
    by trusted code (migrations, fixtures) default to accepted; the services always
    set the status themselves.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="partnership_parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the partnership"), max_length=200, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PartyStatus.choices, default=PartyStatus.ACCEPTED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipPartyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="one_party_row")
        ]
        indexes = [
            # "The partnerships my organisations take part in" (every private_to and
            # visible_to in collaboration) from the index alone: an organisation in 7,070
            # structures at factor 10 read as many party rows for their status.
            models.Index(
                fields=["organisation", "status", "partnership"],
                name="party_org_status_partnership",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Representative(models.Model):
    """A person who represents one party, on the strategic or the operational level."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="representatives"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    title = models.CharField(_("title or task"), max_length=200, blank=True)

    objects = PartyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "level", "user__full_name"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "user", "level"], name="one_rep_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_level_display()})"


class Liaison(models.Model):
    """A person who belongs to two of the parties and links them (e.g. a teacher who
    also works in the municipality)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="liaisons")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    note = models.CharField(_("what the person links"), max_length=300, blank=True)

    objects = PartyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison person")
        verbose_name_plural = _("liaison persons")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="one_liaison_row")
        ]

    def __str__(self) -> str:
        return str(self.user)


class ContactKind(models.TextChoices):
    CALL = "call", _("Phone call")
    MESSAGE = "message", _("Message or e-mail")
    VISIT = "visit", _("Visit")
    REQUEST = "request", _("Request")
    OTHER = "other", _("Other contact")


class ContactEntry(models.Model):
    """A logged contact between the parties (a call, a message, a visit), for the timeline
    that replaces partner-contact spreadsheets."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    happened_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("logged contact")
        verbose_name_plural = _("logged contacts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for signature")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    RENEWAL = "renewal", _("Up for renewal")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Agreement(models.Model):
    """A written collaboration agreement; its content lives in numbered versions."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collaboration:agreement", args=[self.pk])

    @property
    def current(self) -> AgreementVersion:
        """The newest version (read from prefetched versions when a list prefetched them)."""
        return max(self.versions.all(), key=lambda v: v.number)


class AgreementVersion(models.Model):
    """One version of an agreement's text. Once sent for signature it never changes;
    an edit after that makes a new version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    purpose = models.TextField(_("purpose"))
    meeting_cadence = models.CharField(
        _("meeting cadence"), max_length=20, choices=Cadence.choices, blank=True
    )
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid until"))
    contacts = models.TextField(_("contacts"), blank=True)
    signatories = models.TextField(
        _("signatories"), blank=True, help_text=_("Who signs for each party (name and title).")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_version_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="agreement_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class Commitment(models.Model):
    """What one party undertakes in one version of an agreement."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="commitments"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("commitments"), blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="one_commitment")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"


class Signature(models.Model):
    """A party's signature on one version, given in the platform by an admin of that party."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="one_signature")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.user}"


class ForumQuerySet(PartyScopedQuerySet):
    pass


class Forum(models.Model):
    """A council, network or forum where a partnership's parties meet at a cadence."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="forums")
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"))
    cadence = models.CharField(
        _("cadence"), max_length=20, choices=Cadence.choices, default=Cadence.QUARTERLY
    )
    started_on = models.DateField(_("meets since"), default=date.today)
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("member organisations"),
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="forums", verbose_name=_("members")
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaboration:forum", args=[self.pk])


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(PartyScopedQuerySet):
    partnership_field = "forum__partnership"


class Meeting(models.Model):
    """One meeting of a forum: planned from the cadence, or added by hand."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    generated = models.BooleanField(default=False, editable=False)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("present")
    )
    other_attendees = models.CharField(_("others present"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collaboration:meeting", args=[self.pk])


class Decision(models.Model):
    """A decision recorded at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionQuerySet(PartyScopedQuerySet):
    partnership_field = "meeting__forum__partnership"

    def open(self) -> models.QuerySet:
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: date) -> models.QuerySet:
        return self.open().filter(due_on__lt=today)


class ActionItem(models.Model):
    """Something a person has undertaken at a meeting, with a due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="collaboration_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """A message to one person (also e-mailed); ``key`` makes each reminder happen once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    key = models.CharField(max_length=120)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key")
        ]

    def __str__(self) -> str:
        return self.subject


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A secret iCalendar URL: a person's meetings, or one forum's. Only a hash is stored;
    revoking it (or making a new one) makes the old URL stop working."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, null=True, blank=True, related_name="feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.forum or ''}".strip()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)
