"""The programme catalogue: national plans (shared reference), programmes and offerings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yrkesbro.core.display import show_date
from yrkesbro.core.policies import Actor, ScopedQuerySet
from yrkesbro.organisations.models import Kind


class Field(models.TextChoices):
    HEALTH = "health", _("Health")
    UPBRINGING = "upbringing", _("Upbringing")


class NationalPlanQuerySet(models.QuerySet):
    """National plans are public reference data."""

    def visible_to(self, actor: Actor) -> models.QuerySet:
        return self.all()


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

    objects = NationalPlanQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("national plan")
        verbose_name_plural = _("national plans")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:plan", args=[self.code])

    @property
    def title(self) -> str:
        """The title in the active language (bokmål also for nynorsk, until nn titles exist)."""
        return self.title_en if (get_language() or "nb").startswith("en") else self.title_nb


SCHOOL_KINDS = (Kind.FAGSKOLE, Kind.UPPER_SECONDARY_SCHOOL)


class NkrLevel(models.TextChoices):
    L4 = "4", _("NKR level 4 (upper secondary)")
    L51 = "5.1", _("NKR level 5.1")
    L52 = "5.2", _("NKR level 5.2")


class ProgrammeQuerySet(ScopedQuerySet):
    organisation_field = "school"

    def public(self) -> models.QuerySet:
        # The catalogue is public: anyone may read every programme.
        return self.all()

    def visible_to(self, actor: Actor) -> models.QuerySet:
        return self.all()


class Programme(models.Model):
    """A programme a school offers, usually following a national plan.

    The competence areas it covers are those its national plan is mapped to, together
    with its ``competence_areas`` (its own, for a programme without a plan or one that
    covers more than its plan). ``code`` is the stable import key (``FINN-DEMENS`` in the
    reference data).
    The search index (``SearchPosting`` rows and ``search_length``) is rebuilt by
    ``catalogue.search.index_programme`` whenever a service saves the programme.
    """

    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"kind__in": SCHOOL_KINDS},
        verbose_name=_("school"),
    )
    national_plan = models.ForeignKey(
        NationalPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("national plan"),
    )
    competence_areas = models.ManyToManyField(
        "taxonomy.CompetenceArea",
        blank=True,
        related_name="own_programmes",
        verbose_name=_("own competence areas"),
        help_text=_(
            "Competence areas the programme covers beyond its national plan, or without one."
        ),
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    credits = models.PositiveSmallIntegerField(
        _("credits (studiepoeng)"), validators=[MinValueValidator(30), MaxValueValidator(120)]
    )
    nkr_level = models.CharField(
        _("NKR level"), max_length=3, choices=NkrLevel.choices, default=NkrLevel.L51
    )
    description = models.TextField(_("description"), blank=True)
    outcomes_knowledge = models.TextField(_("learning outcomes: knowledge"), blank=True)
    outcomes_skills = models.TextField(_("learning outcomes: skills"), blank=True)
    outcomes_general_competence = models.TextField(
        _("learning outcomes: general competence"), blank=True
    )
    admission_requirements = models.TextField(_("admission requirements"), blank=True)
    nokut_accredited_on = models.DateField(_("NOKUT accreditation date"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    search_length = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        # The search's document count and average length are read from this index alone.
        indexes = [
            models.Index(fields=["search_length"], name="programme_search_length"),
            # The catalogue without a query: a page in title order, and its count.
            models.Index(fields=["title", "id"], name="programme_title"),
            # The national plans list counts programmes and schools per plan from this
            # index alone, without reading the programmes' rows.
            models.Index(fields=["national_plan", "school"], name="programme_plan_school"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="unique_programme_code"
            ),
            models.CheckConstraint(
                condition=Q(credits__gte=30) & Q(credits__lte=120),
                name="programme_credits_range",
                violation_error_message=_("Credits must be between 30 and 120."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:programme", args=[self.pk])


class Delivery(models.TextChoices):
    CAMPUS = "campus", _("Campus")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended (online with gatherings)")


class Pace(models.TextChoices):
    PART_TIME = "part-time", _("Part-time")
    FULL_TIME = "full-time", _("Full-time")


class Funding(models.TextChoices):
    STATE_FUNDED = "state-funded", _("State-funded place")
    TUITION = "tuition", _("Tuition fee")
    EMPLOYER = "employer-funded", _("Paid by the employer")


class OfferingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for applications")
    FULL = "full", _("Full")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended")


class OfferingQuerySet(ScopedQuerySet):
    organisation_field = "programme__school"

    def public(self) -> models.QuerySet:
        return self.all()

    def visible_to(self, actor: Actor) -> models.QuerySet:
        return self.all()


class Offering(models.Model):
    """One run of a programme: where (a municipality, or online), how, when and for whom.

    ``municipality`` is empty for purely online offerings, which are within
    reach from everywhere.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    municipality = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Kind.MUNICIPALITY},
        verbose_name=_("municipality"),
    )
    place = models.CharField(_("place or address"), max_length=200, blank=True)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)
    pace = models.CharField(_("pace"), max_length=20, choices=Pace.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    semesters = models.PositiveSmallIntegerField(
        _("length (semesters)"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    price_nok = models.PositiveIntegerField(_("price (NOK)"), default=0)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OfferingStatus.choices, default=OfferingStatus.PLANNED
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="unique_offering_code"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="offering_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]

    def __str__(self) -> str:
        where = self.municipality.name if self.municipality else str(_("online"))
        return f"{self.programme.title}, {where}, {show_date(self.start_date)}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:programme", args=[self.programme_id]) + f"#offering-{self.pk}"


class SearchPosting(models.Model):
    """One analysed term of one programme's search document.

    ``tenths`` is the term's field-weighted frequency (a title match counts three
    times, in tenths so that it stays an integer); ``impact`` is BM25's
    term-frequency part for it, computed with the average document length in
    ``SearchStatistics`` when the row was written. Reading a term's postings in
    impact order lets a search stop once no further programme can reach the page
    (``catalogue.search.top_k``); the score itself is always computed exactly.
    An inverted index kept in plain tables, so that retrieval and ranking are the
    same code on SQLite and PostgreSQL.
    """

    # The (programme, term) index below serves the foreign key's look-ups.
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    term = models.CharField(max_length=60)
    tenths = models.PositiveIntegerField()
    impact = models.FloatField()

    class Meta:
        indexes = [
            # A term's postings, best first: the search's top-k reads.
            models.Index(fields=["term", "-impact", "programme"], name="search_posting_impact"),
            # One programme's postings of the query's terms: exact scores, deletes.
            models.Index(fields=["programme", "term", "tenths"], name="search_posting_programme"),
        ]

    def __str__(self) -> str:
        return self.term


class SearchStatistics(models.Model):
    """The average document length the stored impacts were computed with (one row).

    Restamped, and every impact recomputed, when the catalogue's real average has
    drifted far from it (``catalogue.search.refresh_impacts``); in between, a search
    bounds the drift instead (a score can exceed its impact by at most the ratio of
    the two averages).
    """

    impact_length = models.FloatField()

    def __str__(self) -> str:
        return f"{self.impact_length:.1f}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    INVALID = "invalid", _("Has errors; nothing imported")
    CHECKED = "checked", _("Checked; ready to import")
    IMPORTING = "importing", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class CatalogueImport(models.Model):
    """A catalogue file a school's editor uploaded: checked, then (on confirmation) imported.

    The worker does both steps (``catalogue.tasks``) and stores its progress here, which
    the upload page polls. Uploads are deleted after seven days by the retention sweep
    (``catalogue/personal_data.py``).
    """

    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("school"),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    kind = models.CharField(_("what the file holds"), max_length=20)
    filename = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file"))
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    errors = models.JSONField(_("errors"), default=list)
    read_as = models.CharField(_("read as"), max_length=100, blank=True)
    report = models.JSONField(_("result"), default=dict)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("catalogue:import_status", args=[self.pk])

    @property
    def busy(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class SearchVocabulary(models.Model):
    """Every term the search index has held, with how many programmes hold it now.

    ``df`` (document frequency) is kept as postings are written and removed, so a
    search reads its terms' frequencies here instead of counting postings (the term
    dictionary of an inverted index); the worker's daily sweep recounts it.
    Whole-word terms are also the word list typo look-ups use: by range on ``term``
    and ``reversed_term`` (SQLite) or through a ``pg_trgm`` trigram index on
    ``term`` (PostgreSQL, made by the migration), so a query never reads the whole
    list; compound parts (``+part``) are left out of those look-ups. Terms are never
    removed (a term no programme holds has ``df`` 0 and costs nothing).
    """

    term = models.CharField(max_length=60, unique=True)
    reversed_term = models.CharField(max_length=60, db_index=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.term
