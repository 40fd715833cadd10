"""Stored values in the reader's words: one place that turns codes, ids and ISO text into labels.

Used by the change log (``describe_entries``) and by the template filters in
``templatetags/display.py``. Nothing here imports an app: models are found through the
app registry by the label the audit entry stored.

A model can name the choices of a list-valued JSON field (which Django cannot know) with
a class attribute ``DISPLAY_CHOICES = {"drivers": Driver.choices}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Book-keeping fields a reader never needs to see in a change.
HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at", "is_demo", "search_text"})

# The last word of an action code ("needs.need_publish" -> "publish") in the reader's words.
VERBS = {
    "create": gettext_lazy("Created"),
    "add": gettext_lazy("Added"),
    "update": gettext_lazy("Changed"),
    "edit": gettext_lazy("Changed"),
    "change": gettext_lazy("Changed"),
    "delete": gettext_lazy("Deleted"),
    "remove": gettext_lazy("Removed"),
    "publish": gettext_lazy("Published"),
    "withdraw": gettext_lazy("Withdrawn"),
    "archive": gettext_lazy("Archived"),
    "approve": gettext_lazy("Approved"),
    "submit": gettext_lazy("Submitted for approval"),
    "sign": gettext_lazy("Signed"),
    "status": gettext_lazy("Status changed"),
    "accept": gettext_lazy("Accepted"),
    "decline": gettext_lazy("Declined"),
    "refuse": gettext_lazy("Refused"),
    "offer": gettext_lazy("Offered"),
    "invite": gettext_lazy("Invited"),
    "revoke": gettext_lazy("Revoked"),
    "import": gettext_lazy("Imported"),
    "map": gettext_lazy("Mapping changed"),
    "decision": gettext_lazy("Decision recorded"),
    "role": gettext_lazy("Role changed"),
    "join": gettext_lazy("Joined"),
    "leave": gettext_lazy("Left"),
    "close": gettext_lazy("Closed"),
    "cancel": gettext_lazy("Cancelled"),
    "version": gettext_lazy("New version"),
}


def show_date(value: dt.date | dt.datetime) -> str:
    """A date or moment as this language writes it (core/formats)."""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "DATETIME_FORMAT")
    return date_format(value, "DATE_FORMAT")


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def action_label(action: str, object_type: str) -> str:
    """ "needs.need_publish" on "needs.need" -> "Published: Need"."""
    word = action.rsplit(".", 1)[-1].rsplit("_", 1)[-1]
    verb = VERBS.get(word, _("Changed"))
    model = _model(object_type)
    if model is None:
        return str(verb)
    return f"{verb}: {capfirst(model._meta.verbose_name)}"


@dataclass
class _Names:
    """Names for ids, looked up once per related model for a whole page of entries."""

    wanted: dict[type[models.Model], set[Any]] = field(default_factory=dict)
    found: dict[tuple[type[models.Model], str], str] = field(default_factory=dict)

    def want(self, model: type[models.Model], values: list[Any]) -> None:
        self.wanted.setdefault(model, set()).update(v for v in values if v not in (None, ""))

    def load(self) -> None:
        for model, keys in self.wanted.items():
            ids = [k for k in keys if isinstance(k, int)]
            codes = [k for k in keys if isinstance(k, str)]
            if ids:
                for obj in model._base_manager.filter(pk__in=ids):
                    self.found[(model, str(obj.pk))] = str(obj)
            if codes and any(f.name == "code" for f in model._meta.concrete_fields):
                for obj in model._base_manager.filter(code__in=codes):
                    self.found[(model, str(obj.code))] = str(obj)  # type: ignore[attr-defined]

    def name(self, model: type[models.Model], key: Any) -> str:
        return self.found.get((model, str(key)), _("(deleted)"))


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model: type[models.Model] | None, key: str) -> str:
    """A field's label; for a reverse relation the related model's plural name."""
    f = _field(model, key)
    if f is not None and getattr(f, "verbose_name", None):
        return capfirst(str(f.verbose_name))
    if f is not None and f.related_model is not None:
        return capfirst(str(f.related_model._meta.verbose_name_plural))
    return key.replace("_", " ").capitalize()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def show_value(model: type[models.Model] | None, name: str, value: Any, names: _Names) -> str:
    """One stored value as the reader should see it."""
    if value is None or value == "" or value == []:
        return "–"
    f = _field(model, name)
    extra = dict(getattr(model, "DISPLAY_CHOICES", {}).get(name, ())) if model else {}
    if extra:
        return ", ".join(str(extra.get(v, v)) for v in _as_list(value))
    if f is None:
        return ", ".join(str(v) for v in _as_list(value))
    if f.is_relation and f.related_model is not None:
        return ", ".join(names.name(f.related_model, v) for v in _as_list(value))
    if getattr(f, "choices", None):
        labels = dict(f.flatchoices)
        return ", ".join(str(labels.get(v, v)) for v in _as_list(value))
    if isinstance(f, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        try:
            return show_date(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    if isinstance(f, models.DateField) and isinstance(value, str):
        try:
            return show_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return ", ".join(str(v) for v in _as_list(value))


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class EntryView:
    """An audit entry ready to show: who, when, what in words, and each change by label."""

    entry: Any
    when: str
    who: str
    what: str
    changes: list[Change]


def describe_entries(entries: list[Any]) -> list[EntryView]:
    """The change log in the reader's words: field labels, choice labels, names for ids,
    localized dates; book-keeping fields left out. Two queries per related model per page."""
    names = _Names()
    raw = []
    for e in entries:
        model = _model(e.object_type)
        changed = [(k, b, a) for k, b, a in e.changes() if k not in HIDDEN_FIELDS]
        for key, before, after in changed:
            f = _field(model, key)
            if f is not None and f.is_relation and f.related_model is not None:
                names.want(f.related_model, _as_list(before) + _as_list(after))
        raw.append((e, model, changed))
    names.load()
    views = []
    for e, model, changed in raw:
        changes = []
        for key, before, after in changed:
            before_text = show_value(model, key, before, names)
            after_text = show_value(model, key, after, names)
            if before_text == after_text:
                continue  # "" and None read the same: nothing a person would call a change
            changes.append(Change(label=_label(model, key), before=before_text, after=after_text))
        who = (getattr(e.actor, "display_name", "") or e.actor_name) if e.actor else e.actor_name
        views.append(
            EntryView(
                entry=e,
                when=show_date(e.created_at),
                who=who if who != "system" else str(_("The system")),
                what=action_label(e.action, e.object_type),
                changes=changes,
            )
        )
    return views
