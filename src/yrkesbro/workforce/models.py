"""Workforce development: which employees study what, how it ended, what followed, and the
employer's incentive policy; the public "what it led to" figures per programme; and
requests from people to delete their personal data.

Visibility: an employer's editors and administrators see its employees, enrolments and
outcomes; an employee sees only the rows about themselves (``employee__user``); schools,
counties and everyone else see none of them (404), only the counts in ``ProgrammeOutcome``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yrkesbro.core.policies import Actor, Capability, ScopedQuerySet, is_platform_admin
from yrkesbro.needs.models import ServiceArea

#: A salary step above this (NOK a year) is refused as absurd.
MAX_SALARY_STEP = 300_000
#: Public figures are shown only where at least this many completions lie behind them.
THRESHOLD = 5


class JobGroup(models.TextChoices):
    """Position groups of the municipal collective agreement (HTA chapter 4)."""

    NO_REQUIREMENT = "no_requirement", _("Position without training requirement")
    FAGBREV = "fagbrev", _("Position requiring a trade certificate (fagbrev)")
    FAGBREV_FAGSKOLE = "fagbrev_fagskole", _("Fagbrev plus one year of fagskole")
    BACHELOR = "bachelor", _("Position requiring a bachelor's degree")
    OTHER = "other", _("Other position")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    INTERRUPTED = "interrupted", _("Interrupted")


class InterruptionReason(models.TextChoices):
    WORKLOAD = "workload", _("Workload at work")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family situation")
    FINANCE = "finance", _("Finances")
    CHANGED_JOB = "changed_job", _("Changed job")
    CONTENT = "content", _("The programme did not fit")
    OTHER = "other", _("Other")


class NewTask(models.TextChoices):
    NEW_TASKS = "new_tasks", _("New tasks")
    RESPONSIBILITY = "responsibility", _("More responsibility")
    RESOURCE_PERSON = "resource_person", _("Resource person for colleagues")
    GUIDANCE = "guidance", _("Guides students or apprentices")
    QUALITY = "quality", _("Quality and development work")


class CostsCovered(models.TextChoices):
    ALL = "all", _("All costs (tuition, travel, material)")
    TUITION = "tuition", _("Tuition only")
    NONE = "none", _("None")


class PersonScopedQuerySet(ScopedQuerySet):
    """Employer's editors see all rows; the employee sees rows about themselves."""

    person_field = "employee__user"

    def about(self, actor: Actor) -> Q:
        """The rows about the actor. Through the actor's employee records as a sub-query
        (``employee IN (...)``), not a join to every row's employee, so the database can
        read both halves of ``visible_to`` from indexes."""
        path, _, user_field = self.person_field.rpartition("__")
        if not path:  # the employee records themselves
            return Q(**{self.person_field: actor})
        # ``path`` leads to an Employee (``employee``, ``enrolment__employee``).
        own = Employee.objects.filter(**{user_field: actor}).values("pk")
        return Q(**{f"{path}__in": own})

    def visible_to(self, actor: Actor) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        if not (actor and actor.is_authenticated and actor.is_active):
            return self.none()
        return self.editable_by(actor) | self.filter(self.about(actor))


class EmployeeQuerySet(PersonScopedQuerySet):
    person_field = "user"


class Employee(models.Model):
    """A person employed by the organisation, as its competence lead records them.

    ``user`` links the record to the person's own account when they have one, so they
    can read their enrolments and comment on them.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="employees",
        verbose_name=_("employer"),
    )
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee_records",
        verbose_name=_("user account"),
    )
    service_area = models.CharField(
        _("service area"), max_length=20, choices=ServiceArea.choices, default=ServiceArea.HEALTH
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    job_group = models.CharField(
        _("job group"), max_length=30, choices=JobGroup.choices, blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return self.full_name


class EnrolmentQuerySet(PersonScopedQuerySet):
    pass


class Enrolment(models.Model):
    """One employee studying one programme (usually one offering of it), from enrolment
    to completion or interruption."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("employer"),
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("employee")
    )
    programme = models.ForeignKey(
        "catalogue.Programme",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("programme"),
    )
    offering = models.ForeignKey(
        "catalogue.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("offering"),
    )
    request = models.ForeignKey(
        "matching.Request",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("accepted offer"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
        db_index=True,
    )
    enrolled_on = models.DateField(_("enrolled on"))
    ended_on = models.DateField(_("completed or interrupted on"), null=True, blank=True)
    interruption_reason = models.CharField(
        _("reason for interruption"), max_length=20, choices=InterruptionReason.choices, blank=True
    )
    over_seats_reason = models.CharField(
        _("reason for enrolling beyond the agreed seats"), max_length=300, blank=True
    )
    employee_comment = models.TextField(_("the employee's comment"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_on", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [
            # The employer's list, its export and a page of the API walk this in order.
            models.Index(
                fields=["organisation", "-enrolled_on", "-id"],
                name="workforce_enrolment_org_date",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("enrolled_on")),
                name="enrolment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} – {self.programme}"


class OutcomeQuerySet(PersonScopedQuerySet):
    organisation_field = "enrolment__organisation"
    person_field = "enrolment__employee__user"


class Outcome(models.Model):
    """What followed a completion, each part optional: new tasks, title, job group, salary."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("enrolment")
    )
    tasks = models.JSONField(_("new tasks or responsibility"), default=list, blank=True)
    tasks_text = models.TextField(_("about the new tasks"), blank=True)
    new_title = models.CharField(_("new title"), max_length=200, blank=True)
    job_group_before = models.CharField(
        _("job group before"), max_length=30, choices=JobGroup.choices, blank=True
    )
    job_group_after = models.CharField(
        _("job group after"), max_length=30, choices=JobGroup.choices, blank=True
    )
    salary_step_nok = models.PositiveIntegerField(
        _("salary increase (NOK a year)"), null=True, blank=True
    )
    # Kept with the row (set on save) so the public figures are plain counts in SQL.
    gave_new_tasks = models.BooleanField(_("gave new tasks"), default=False, editable=False)
    gave_new_job_group = models.BooleanField(
        _("gave a new job group"), default=False, editable=False
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.enrolment}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.gave_new_tasks = self.has_new_tasks
        self.gave_new_job_group = self.has_new_job_group
        super().save(*args, **kwargs)

    @property
    def has_new_tasks(self) -> bool:
        return bool(self.tasks or self.tasks_text)

    @property
    def has_new_job_group(self) -> bool:
        return bool(self.job_group_after) and self.job_group_after != self.job_group_before

    def task_labels(self) -> list[str]:
        labels = dict(NewTask.choices)
        return [str(labels.get(t, t)) for t in self.tasks]


class PolicyQuerySet(ScopedQuerySet):
    def visible_to(self, actor: Actor) -> models.QuerySet:
        """Published to the organisation's own staff (any member); drafts to its editors."""
        if is_platform_admin(actor):
            return self.all()
        members = self.with_capability(actor, Capability.VIEW_INTERNAL)
        return members.filter(is_published=True) | self.editable_by(actor)


class IncentivePolicy(models.Model):
    """An employer's terms for staff who study: leave, costs, material, binding period."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="incentive_policy",
        verbose_name=_("organisation"),
    )
    paid_leave_days = models.PositiveSmallIntegerField(
        _("paid study leave (days a year)"), default=0
    )
    costs_covered = models.CharField(
        _("costs covered"), max_length=20, choices=CostsCovered.choices, default=CostsCovered.NONE
    )
    study_material = models.BooleanField(_("study material paid"), default=False)
    binding_months = models.PositiveSmallIntegerField(
        _("binding period after completion (months)"), default=0
    )
    decided_by = models.CharField(_("who decides"), max_length=200, blank=True)
    text = models.TextField(_("more about the policy"), blank=True)
    is_published = models.BooleanField(_("published to staff"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("incentive policy")
        verbose_name_plural = _("incentive policies")

    def __str__(self) -> str:
        return str(self.organisation)


class ProgrammeOutcome(models.Model):
    """Precomputed public figures per programme, across all employers (worker task
    ``refresh_programme_outcomes``). Counts only; no person is behind a row."""

    programme = models.OneToOneField(
        "catalogue.Programme",
        on_delete=models.CASCADE,
        related_name="outcome_figures",
        verbose_name=_("programme"),
    )
    enrolments = models.PositiveIntegerField(_("enrolments"), default=0)
    ended = models.PositiveIntegerField(_("completed or interrupted"), default=0)
    completions = models.PositiveIntegerField(_("completions"), default=0)
    new_tasks = models.PositiveIntegerField(_("completions with new tasks"), default=0)
    new_job_group = models.PositiveIntegerField(_("completions with a new job group"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed"))

    class Meta:
        verbose_name = _("programme outcome figures")
        verbose_name_plural = _("programme outcome figures")

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.completions}"

    @property
    def shown(self) -> bool:
        return self.completions >= THRESHOLD

    def figures(self) -> dict[str, float | int | None]:
        """The public answer: null figures under the threshold."""
        if not self.shown:
            return {
                "completions": None,
                "completion_rate": None,
                "share_new_tasks": None,
                "share_new_job_group": None,
            }
        return {
            "completions": self.completions,
            "completion_rate": round(self.completions / self.ended, 3) if self.ended else None,
            "share_new_tasks": round(self.new_tasks / self.completions, 3),
            "share_new_job_group": round(self.new_job_group / self.completions, 3),
        }


class DeletionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Carried out")


class DeletionRequestQuerySet(ScopedQuerySet):
    def visible_to(self, actor: Actor) -> models.QuerySet:
        """The person sees their own; the organisation's administrators see and carry out."""
        if is_platform_admin(actor):
            return self.all()
        if not (actor and actor.is_authenticated):
            return self.none()
        return self.with_capability(actor, Capability.MANAGE_MEMBERS) | self.filter(user=actor)

    def editable_by(self, actor: Actor) -> models.QuerySet:
        return self.with_capability(actor, Capability.MANAGE_MEMBERS)


class DeletionRequest(models.Model):
    """A person asks to have their personal data deleted; an administrator of their
    organisation carries it out (``personal_data.erase_person``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deletion_requests",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deletion_requests",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeletionStatus.choices, default=DeletionStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    handled_at = models.DateTimeField(_("carried out"), null=True, blank=True)

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")

    def __str__(self) -> str:
        return f"#{self.pk}"
