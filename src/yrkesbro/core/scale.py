"""National-scale synthetic data for benchmarks and load tests (``yrkesbro seed-scale``).

Every row made here is clearly fictional: organisations are ``is_demo`` and named
"Syntetisk skole 0042", "Syntetisk bedrift 0117"; users are ``syntetisk-00042`` with
an unusable password. At factor F the generator makes round(100·F) schools,
round(400·F) companies and training offices, and round(1000·F) users with
memberships, plus the audit entries those writes would have left.

The generator is a list of steps (``STEPS``). Each step is deterministic (its own
seeded random stream, drawn per row index, so a row looks the same whatever the
factor), creates only the rows that are missing, and reports how many it made:
running twice with the same factor adds nothing, and a larger factor adds only the
difference.

Every capability adds its own data through a small module of its own,
``yrkesbro/<app>/scale.py``, which exposes ``STEPS: list[Step]``; the modules are
registered, in order, in ``APP_SCALE_MODULES`` below and run after the
organisation and user steps here. A step receives the shared ``Scale`` (the factor,
``scale.rng(step, index)`` for per-row random streams, ``scale.today`` for dates,
``scale.progress(step, done, total)`` for the progress bar) and returns the number of
rows it made. See docs/architecture.md, "Seeding at national scale".

Rows are written with ``bulk_create`` and bypass the services on purpose: going
through them would take minutes at national scale. The audit entries the services
would have written are therefore written here too.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from yrkesbro.accounts.models import Membership, User
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Kind, Organisation, fold
from yrkesbro.organisations.reference import load_all

SEED = 20241
BATCH = 1000
SYSTEM = "system"

# Rows per factor 1.0.
SCHOOLS = 100
COMPANIES = 400
USERS = 1000
PROFILE_EDITS = 2000  # audit history beyond the creation entries

NAME_PREFIX = "Syntetisk"
USERNAME_PREFIX = "syntetisk-"
SCHOOL_KINDS = ((Kind.UPPER_SECONDARY_SCHOOL, "skole", 3), (Kind.FAGSKOLE, "fagskole", 1))
COMPANY_KINDS = ((Kind.COMPANY, "bedrift", 6), (Kind.TRAINING_OFFICE, "opplæringskontor", 1))
ROLE_WEIGHTS = ((Role.ADMIN, 1), (Role.EDITOR, 2), (Role.VIEWER, 7))
TITLES = ("", "Kompetanseleder", "Rådgiver", "Studieleder", "Faglig leder", "Analytiker")

T = TypeVar("T", bound=models.Model)


@dataclass
class Scale:
    """What the steps share: the factor and a way to get per-row random streams."""

    factor: float
    seed: int = SEED
    # Dates are drawn as offsets from the day of seeding, so pages show past and coming
    # meetings and offerings whatever the day; the offsets are deterministic.
    today: dt.date = field(default_factory=timezone.localdate)
    on_progress: Callable[[str, int, int], Any] | None = None
    changed: bool = False  # whether an earlier step of this run created rows
    _cache: dict[str, Any] = field(default_factory=dict)

    def progress(self, step: str, done: int, total: int) -> None:
        """Report progress within a step (the command draws a bar from it)."""
        if self.on_progress is not None and total:
            self.on_progress(step, done, total)

    def count(self, per_factor: int) -> int:
        return round(per_factor * self.factor)

    def rng(self, step: str, index: int) -> random.Random:
        """The random stream for one row: the same row gets the same values at any factor."""
        return random.Random(f"{self.seed}:{step}:{index}")  # noqa: S311 - test data, not secrets

    def municipalities(self) -> list[Organisation]:
        if "municipalities" not in self._cache:
            self._cache["municipalities"] = list(
                Organisation.objects.filter(kind=Kind.MUNICIPALITY).order_by("number")
            )
        return self._cache["municipalities"]


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Scale], int]  # returns the number of rows it created


@dataclass(frozen=True)
class StepResult:
    name: str
    created: int
    seconds: float


def skewed_index(rng: random.Random, size: int) -> int:
    """An index in [0, size) that favours the start, so a few rows get most of the load."""
    return min(size - 1, int(size * rng.random() ** 3))


def weighted(rng: random.Random, choices: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(choices, weights=[c[-1] for c in choices])[0]


def bulk(model: type[T], rows: Iterable[T]) -> list[T]:
    return model._default_manager.bulk_create(list(rows), batch_size=BATCH)


def indexed_rows(
    scale: Scale, step: str, start: int, total: int
) -> Iterator[tuple[int, random.Random]]:
    """(index, random stream) for rows start+1 … total, reporting progress as it goes."""
    for i in range(start + 1, total + 1):
        if i % BATCH == 0:
            scale.progress(step, i, total)
        yield i, scale.rng(step, i)
    scale.progress(step, total, total)


def audit_rows(action: str, objects: Iterable[tuple[models.Model, Organisation]]) -> int:
    """The creation entries the services would have recorded (actor: the system)."""
    from yrkesbro.core.audit import snapshot

    entries = [
        AuditEntry(
            actor=None,
            actor_name=SYSTEM,
            organisation=org,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            after=snapshot(obj),
        )
        for obj, org in objects
    ]
    return len(bulk(AuditEntry, entries))


# --- Steps ----------------------------------------------------------------------------------


def step_register(scale: Scale) -> int:
    """The real register (15 counties, 357 municipalities) and the fagskoler list."""
    before = Organisation.objects.count()
    load_all()
    scale._cache.pop("municipalities", None)
    return Organisation.objects.count() - before


def _organisations(
    scale: Scale, step: str, total: int, kinds: Sequence[tuple[str, str, int]]
) -> int:
    """``total`` synthetic organisations of the given kinds, spread over the municipalities."""
    municipalities = scale.municipalities()
    existing = set(
        Organisation.objects.filter(
            is_demo=True, name__startswith=f"{NAME_PREFIX} ", kind__in=[k[0] for k in kinds]
        ).values_list("name", flat=True)
    )
    new = []
    for i in range(1, total + 1):
        rng = scale.rng(step, i)
        kind, word, _weight = weighted(rng, kinds)
        name = f"{NAME_PREFIX} {word} {i:04d}"
        if name in existing:
            continue
        place = municipalities[rng.randrange(len(municipalities))]
        new.append(
            Organisation(
                kind=kind,
                name=name,
                search_name=fold(name),  # bulk_create skips save(), which sets this
                municipality=place,
                county_id=place.county_id,
                latitude=round((place.latitude or 60.0) + rng.uniform(-0.05, 0.05), 5),
                longitude=round((place.longitude or 10.0) + rng.uniform(-0.05, 0.05), 5),
                description="Syntetisk organisasjon for ytelsestester.",
                is_demo=True,
            )
        )
    created = bulk(Organisation, new)
    audit_rows("organisation.create", ((org, org) for org in created))
    return len(created)


def step_schools(scale: Scale) -> int:
    return _organisations(scale, "schools", scale.count(SCHOOLS), SCHOOL_KINDS)


def step_companies(scale: Scale) -> int:
    return _organisations(scale, "companies", scale.count(COMPANIES), COMPANY_KINDS)


def step_users(scale: Scale) -> int:
    existing = set(
        User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", flat=True)
    )
    password = make_password(None)  # unusable: nobody signs in as a synthetic user
    new = [
        User(
            username=f"{USERNAME_PREFIX}{i:05d}",
            full_name=f"Syntetisk person {i:05d}",
            email=f"{USERNAME_PREFIX}{i:05d}@yrkesbro.invalid",
            password=password,
        )
        for i in range(1, scale.count(USERS) + 1)
        if f"{USERNAME_PREFIX}{i:05d}" not in existing
    ]
    return len(bulk(User, new))


def step_memberships(scale: Scale) -> int:
    """One or two memberships per synthetic user that has none, in municipalities and schools.

    The choice is skewed so that a few organisations (Oslo first) get many members,
    as the members and audit pages must cope with.
    """
    municipalities = scale.municipalities()
    schools = list(
        Organisation.objects.filter(
            is_demo=True,
            name__startswith=f"{NAME_PREFIX} ",
            kind__in=[Kind.UPPER_SECONDARY_SCHOOL, Kind.FAGSKOLE],
        ).order_by("name")
    )
    users = (
        User.objects.filter(username__startswith=USERNAME_PREFIX, memberships__isnull=True)
        .order_by("username")
        .only("id", "username", "full_name")
    )
    new = []
    for user in users:
        rng = scale.rng("memberships", int(user.username.removeprefix(USERNAME_PREFIX)))
        chosen: dict[int, Organisation] = {}
        for _n in range(2 if rng.random() < 0.25 else 1):
            pool = schools if schools and rng.random() < 0.3 else municipalities
            org = pool[skewed_index(rng, len(pool))]
            chosen[org.pk] = org
        for org in chosen.values():
            role = weighted(rng, ROLE_WEIGHTS)[0]
            new.append(Membership(user=user, organisation=org, role=role, title=rng.choice(TITLES)))
    created = bulk(Membership, new)
    audit_rows("membership.create", ((m, m.organisation) for m in created))
    return len(created)


def step_profile_edits(scale: Scale) -> int:
    """Audit history: synthetic admins editing their organisations' websites.

    Entry n is drawn from its own random stream; the step counts the synthetic edits
    that exist and adds the rest.
    """
    action = "organisation.update"
    edits = AuditEntry.objects.filter(action=action, actor_name__startswith=USERNAME_PREFIX)
    done = edits.count()
    total = scale.count(PROFILE_EDITS)
    if done >= total:
        return 0
    members = list(
        Membership.objects.filter(user__username__startswith=USERNAME_PREFIX, role=Role.ADMIN)
        .select_related("user", "organisation")
        .order_by("organisation__kind", "organisation__number", "organisation__name", "user_id")
    )
    if not members:
        return 0
    new = []
    for i in range(done + 1, total + 1):
        rng = scale.rng("profile_edits", i)
        membership = members[skewed_index(rng, len(members))]
        org = membership.organisation
        slug = f"{org.pk}-{i}"
        new.append(
            AuditEntry(
                actor=membership.user,
                actor_name=membership.user.username,
                organisation=org,
                action=action,
                object_type=org._meta.label_lower,
                object_id=str(org.pk),
                object_repr=str(org)[:300],
                before={"website": f"https://{slug}.eksempel.invalid/"},
                after={"website": f"https://{slug}-ny.eksempel.invalid/"},
            )
        )
    return len(bulk(AuditEntry, new))


STEPS: list[Step] = [
    Step("register", step_register),
    Step("schools", step_schools),
    Step("companies", step_companies),
    Step("users", step_users),
    Step("memberships", step_memberships),
    Step("profile_edits", step_profile_edits),
]


# The capabilities' own steps, run after the ones above in this order. A new app appends
# its module here; the module exposes ``STEPS: list[Step]``.
APP_SCALE_MODULES = (
    "yrkesbro.catalogue.scale",
    "yrkesbro.needs.scale",
    "yrkesbro.collaboration.scale",
    "yrkesbro.matching.scale",
    "yrkesbro.workforce.scale",
    "yrkesbro.vet.scale",
    "yrkesbro.health.scale",  # last: its indicators read every other capability's rows
)


def all_steps() -> list[Step]:
    """The organisation and user steps, then every registered app's steps."""
    from importlib import import_module

    steps = list(STEPS)
    for path in APP_SCALE_MODULES:
        steps.extend(import_module(path).STEPS)
    return steps


def seed_scale(
    factor: float,
    *,
    steps: Sequence[Step] | None = None,
    report: Callable[[StepResult], Any] = print,
    progress: Callable[[str, int, int], Any] | None = None,
    seed: int = SEED,
) -> list[StepResult]:
    """Run every step (each in its own transaction) and report what each one made."""
    if factor < 0:
        raise ValueError("The factor must be zero or more.")
    scale = Scale(factor=factor, seed=seed, on_progress=progress)
    results = []
    for step in all_steps() if steps is None else steps:
        started = time.perf_counter()
        with transaction.atomic():
            created = step.run(scale)
        scale.changed = scale.changed or created > 0
        result = StepResult(step.name, created, time.perf_counter() - started)
        report(result)
        results.append(result)
    # Bulk rows change what the planner should choose; the worker's daily sweep does this
    # too, but a freshly seeded world is read at once (the bench).
    from yrkesbro.core.tasks import update_statistics

    update_statistics()
    return results


def synthetic_counts() -> dict[str, int]:
    """How many synthetic rows exist now, for the command's summary and the tests."""
    synthetic_orgs = Organisation.objects.filter(is_demo=True, name__startswith=f"{NAME_PREFIX} ")
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    return {
        "schools": synthetic_orgs.filter(
            kind__in=[Kind.UPPER_SECONDARY_SCHOOL, Kind.FAGSKOLE]
        ).count(),
        "companies": synthetic_orgs.filter(kind__in=[Kind.COMPANY, Kind.TRAINING_OFFICE]).count(),
        "users": users.count(),
        "memberships": Membership.objects.filter(user__in=users).count(),
        "audit_entries": AuditEntry.objects.count(),
        **app_counts(),
    }


def app_counts() -> dict[str, int]:
    """Each registered app's synthetic row counts (its module's optional ``counts()``)."""
    from importlib import import_module

    out: dict[str, int] = {}
    for path in APP_SCALE_MODULES:
        counts = getattr(import_module(path), "counts", None)
        if counts is not None:
            out.update(counts())
    return out
