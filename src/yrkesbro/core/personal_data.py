"""The personal-data registry: every model that holds personal data says so here, once.

Each app declares its models in its own ``personal_data.py`` module, which
``discover()`` imports once when the project starts (``CoreConfig.ready``)::

    from yrkesbro.core.personal_data import declare
    declare(
        "vet.Placement",
        fields=["pupil_first_name", "pupil_name"],
        purpose="Book a pupil's workplace practice",
        retention="Names removed 12 months after the school year ends",
        subject="pupil (a minor), not a platform user",
    )

The registry is the platform's record of processing (GDPR art. 30): what is
kept, why, and for how long, in English like the rest of the documentation;
``docs/personal-data.md`` is generated from it (``yrkesbro personal_data_doc``)
and a test keeps the two equal. It also drives
what the person controls:

- ``person`` is the lookup from a row to the user it is about; ``export_person``
  collects every such row for "My page", ``erase_person`` removes the person
  (``erase="delete"`` drops the rows, ``"anonymise"`` blanks the declared
  fields and keeps the row, because others' records depend on it: meeting
  attendance, audit entries, enrolment counts), or calls the declaration's own
  ``eraser``;
- ``retention_days`` + ``retention_field`` make the worker's
  ``retention_sweep`` task (``core.tasks``) delete or anonymise rows older than the period.

The rule for what counts as a person field (``person_fields``): a relation to
the user model, or a field whose name says it holds a person's name, e-mail,
phone, address, birth date, national id, salary or a comment by or about a
person (``PERSON_FIELD_PATTERN``). A test walks every installed model and fails
when one with a person field is neither declared nor exempted with a reason
(``not_personal``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise

#: Field names that hold a person's data, whatever model they sit on.
PERSON_FIELD_PATTERN = re.compile(
    r"(^|_)("
    r"full_name|first_name|last_name|surname|given_name|"
    r"(actor|author|by|contact|employee|person|pupil|student|signatory|owner)_name|"
    r"email|e_mail|phone|mobile|address|birth_date|date_of_birth|birthday|"
    r"national_id|personal_number|fodselsnummer|salary\w*|employee_comment"
    r")$"
)

ANONYMISE = "anonymise"
DELETE = "delete"
KEEP = "keep"
#: What an anonymised required text field reads afterwards.
ERASED_TEXT = "–"


@dataclass(frozen=True)
class Declaration:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    purpose: str | Promise
    retention: str | Promise
    subject: str | Promise = "user"
    notes: tuple[str, ...] = field(default_factory=tuple)
    person: str | None = None  # lookup from the row to the user it is about ("" = the user)
    erase: str = ANONYMISE  # what a deletion request does to the person's rows
    eraser: Callable[[Any], int] | None = None  # custom erasure, given the user
    retention_days: int | None = None
    retention_field: str = ""
    retention_action: str = DELETE
    retention_filter: dict[str, Any] = field(default_factory=dict)

    @property
    def model_class(self) -> type[models.Model]:
        return django_apps.get_model(self.model)


REGISTRY: dict[str, Declaration] = {}
EXEMPT: dict[str, str] = {}


def declare(
    model: str,
    *,
    fields: list[str] | tuple[str, ...],
    purpose: str | Promise,
    retention: str | Promise,
    subject: str | Promise = "user",
    person: str | None = None,
    erase: str = ANONYMISE,
    eraser: Callable[[Any], int] | None = None,
    retention_days: int | None = None,
    retention_field: str = "",
    retention_action: str = DELETE,
    retention_filter: dict[str, Any] | None = None,
    notes: Iterable[str] = (),
) -> Declaration:
    """Declare that ``model`` holds personal data in ``fields``; idempotent per model."""
    if erase not in (ANONYMISE, DELETE, KEEP):
        raise ValueError(f"erase must be anonymise, delete or keep, not {erase!r}")
    declaration = Declaration(
        model=model,
        fields=tuple(fields),
        purpose=purpose,
        retention=retention,
        subject=subject,
        notes=tuple(notes),
        person=person,
        erase=erase,
        eraser=eraser,
        retention_days=retention_days,
        retention_field=retention_field,
        retention_action=retention_action,
        retention_filter=dict(retention_filter or {}),
    )
    REGISTRY[model.lower()] = declaration
    return declaration


def not_personal(model: str, *, reason: str) -> None:
    """Exempt a model whose field names look personal but are not (say why)."""
    EXEMPT[model.lower()] = reason


def declared(model: str) -> Declaration | None:
    return REGISTRY.get(model.lower())


def discover() -> None:
    """Import ``<app>.personal_data`` of every installed app (once, at start-up)."""
    for config in django_apps.get_app_configs():
        module = f"{config.name}.personal_data"
        if config.name.startswith("yrkesbro.") and config.label != "core":
            try:
                import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
    import_module("yrkesbro.core.personal_data_core")


# The rule -------------------------------------------------------------------------


def person_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that hold personal data by the platform's rule."""
    user_label = settings.AUTH_USER_MODEL.lower()
    found = []
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:
            continue  # reverse relations belong to the other model
        related = getattr(f, "related_model", None)
        if isinstance(related, str):  # not resolved yet (a model in an isolated registry)
            is_user = related.lower() == user_label
        else:
            is_user = related is not None and related._meta.label_lower == user_label
        if is_user or PERSON_FIELD_PATTERN.search(f.name):
            found.append(f.name)
    return found


def undeclared(model_classes: Iterable[type[models.Model]] | None = None) -> dict[str, list[str]]:
    """Models with person fields that are neither declared nor exempt: label → fields.

    A declared model must also list every person field it has, so a new field on a
    declared model is caught too.
    """
    if model_classes is None:
        model_classes = django_apps.get_models()
    missing: dict[str, list[str]] = {}
    for model in model_classes:
        label = model._meta.label_lower
        if label in EXEMPT:
            continue
        fields = person_fields(model)
        if not fields:
            continue
        declaration = REGISTRY.get(label)
        left = fields if declaration is None else [f for f in fields if f not in declaration.fields]
        if left:
            missing[label] = left
    return missing


# What the person controls --------------------------------------------------------------


def _rows(declaration: Declaration, user: Any) -> models.QuerySet | None:
    if declaration.person is None:
        return None
    model = declaration.model_class
    if declaration.person == "":
        return model._default_manager.filter(pk=user.pk)
    return model._default_manager.filter(**{declaration.person: user}).distinct()


def export_person(user: Any, limit: int = 5000) -> dict[str, list[dict[str, Any]]]:
    """Every row about ``user`` in every declared model, as JSON-safe data."""
    from yrkesbro.core.audit import snapshot

    data: dict[str, list[dict[str, Any]]] = {}
    for label, declaration in sorted(REGISTRY.items()):
        rows = _rows(declaration, user)
        if rows is None:
            continue
        items = []
        for row in rows.order_by("pk")[:limit]:
            item = snapshot(row) or {}
            item.pop("password", None)
            items.append(item)
        if items:
            data[label] = items
    return data


def blank_values(model: type[models.Model], fields: Iterable[str]) -> dict[str, Any]:
    """What each field becomes when anonymised: NULL where allowed, else an empty value."""
    values: dict[str, Any] = {}
    for name in fields:
        f = model._meta.get_field(name)
        if not isinstance(f, models.Field) or f.many_to_many or not f.concrete:
            continue
        if f.null:
            values[f.attname] = None
        elif isinstance(f, models.JSONField):
            values[f.attname] = (
                {} if isinstance(f.default() if callable(f.default) else f.default, dict) else []
            )
        elif isinstance(f, models.CharField | models.TextField):
            values[f.attname] = "" if f.blank else ERASED_TEXT
        elif isinstance(f, models.BooleanField):
            values[f.attname] = False
    return values


def erase_person(user: Any) -> dict[str, int]:
    """Remove ``user`` from every declared model, in one transaction; returns rows touched.

    The user row itself is anonymised last (its declaration's ``eraser``), so the
    lookups of the other declarations still find the person's rows.
    """
    counts: dict[str, int] = {}
    with transaction.atomic():
        ordered = sorted(REGISTRY.items(), key=lambda item: item[1].person == "")
        for label, declaration in ordered:
            if declaration.eraser is not None:
                counts[label] = declaration.eraser(user)
                continue
            rows = _rows(declaration, user)
            if rows is None or declaration.erase == KEEP:
                continue
            if declaration.erase == DELETE:
                counts[label] = rows.delete()[0]
            else:
                values = blank_values(declaration.model_class, declaration.fields)
                ids = list(rows.values_list("pk", flat=True))
                counts[label] = declaration.model_class._default_manager.filter(pk__in=ids).update(
                    **values
                )
    return counts


def enforce_retention(now: Any = None) -> dict[str, int]:
    """Delete or anonymise rows past their retention period. Safe to run twice."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for label, declaration in sorted(REGISTRY.items()):
        if not declaration.retention_days or not declaration.retention_field:
            continue
        model = declaration.model_class
        cutoff = now - timedelta(days=declaration.retention_days)
        f = model._meta.get_field(declaration.retention_field.split("__")[0])
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            cutoff = cutoff.date()
        old = model._default_manager.filter(
            **{f"{declaration.retention_field}__lt": cutoff}, **declaration.retention_filter
        )
        with transaction.atomic():
            if declaration.retention_action == DELETE:
                counts[label] = old.delete()[0]
            else:
                values = blank_values(model, declaration.fields)
                # Only rows not yet anonymised, so a second run changes nothing.
                pending = old.exclude(**{k: v for k, v in values.items() if v is not None})
                counts[label] = pending.update(**values) if values else 0
    return counts
