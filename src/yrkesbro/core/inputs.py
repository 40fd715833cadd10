"""Strict input: the one place that says which ids, texts and dates the platform accepts.

Services call these checks, so the web forms, the API, the importers and the
admin refuse the same values with the same translated message, before anything
reaches a database (SQLite and PostgreSQL disagree about NUL bytes, huge ids
and far-away years; neither may ever answer a 500).

- ids: positive 64-bit integers (``MAX_ID``);
- single-line text: no control characters at all (CR, LF, NUL, other C0/C1),
  which also keeps e-mail subjects built from titles valid;
- multi-line text: no control characters but newline, carriage return and tab;
- dates and date-times: years within ``settings.YRKESBRO_YEAR_RANGE``
  (1900–2200 by default); date-times must carry a UTC offset within ±14:00.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pydantic import Field

from yrkesbro.core.errors import DomainError

MAX_ID = 2**63 - 1
MAX_OFFSET = timedelta(hours=14)
MULTILINE_ALLOWED = frozenset("\n\r\t")

#: A path, query or body id in the API: a positive 64-bit integer (422 otherwise).
ApiId = Annotated[int, Field(ge=1, le=MAX_ID)]


def year_range() -> tuple[int, int]:
    low, high = getattr(settings, "YRKESBRO_YEAR_RANGE", (1900, 2200))
    return int(low), int(high)


def parse_id(value: Any) -> int | None:
    """An id from untrusted input, or None when it is not a positive 64-bit integer.

    Only ASCII digits count: ``"²"`` and ``"٣"`` pass ``str.isdigit()`` but are no ids.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True if ``text`` holds a control character (C0, DEL, C1) or a Unicode line separator.

    In multi-line text newline, carriage return and tab are allowed.
    """
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    for ch in text:
        if ch in allowed:
            continue
        if unicodedata.category(ch) == "Cc" or (not multiline and ch in "\u2028\u2029"):
            return True
    return False


def check_single_line(value: str, *, field: str | None = None) -> str:
    """A one-line text (a title, a name, a subject): refused if it holds any control character."""
    if value and has_control_characters(value):
        raise DomainError(
            _("Use one line of text, without line breaks or control characters."),
            field=field,
            code="control_characters",
        )
    return value


def check_text(value: str, *, field: str | None = None) -> str:
    """A multi-line text: line breaks and tabs are fine, NUL and other control characters are not."""
    if value and has_control_characters(value, multiline=True):
        raise DomainError(
            _(
                "The text holds control characters that cannot be stored. Remove them and try again."
            ),
            field=field,
            code="control_characters",
        )
    return value


def _year_error(field: str | None) -> DomainError:
    low, high = year_range()
    return DomainError(
        _("Give a date between the years %(low)s and %(high)s.") % {"low": low, "high": high},
        field=field,
        code="date_out_of_range",
    )


def check_date(value: date | None, *, field: str | None = None) -> date | None:
    """A calendar date within the sane year range (None passes)."""
    if value is None:
        return None
    low, high = year_range()
    if not low <= value.year <= high:
        raise _year_error(field)
    return value


def check_datetime(value: datetime | None, *, field: str | None = None) -> datetime | None:
    """An aware date-time with an offset within ±14:00, in the sane year range (None passes)."""
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is None:
        raise DomainError(
            _("Give a time with its time zone (for example +01:00)."),
            field=field,
            code="naive_datetime",
        )
    if abs(offset) > MAX_OFFSET:
        raise DomainError(
            _("The time zone offset must be between −14:00 and +14:00."),
            field=field,
            code="invalid_offset",
        )
    low, high = year_range()
    # Checked in the value's own zone and in UTC: both must be storable.
    if not low <= value.year <= high:
        raise _year_error(field)
    try:
        as_utc = value - offset
    except OverflowError as exc:
        raise _year_error(field) from exc
    if not low <= as_utc.year <= high:
        raise _year_error(field)
    return value


class IdField(forms.IntegerField):
    """A form field for an id: a positive 64-bit integer, never an OverflowError."""

    default_error_messages = {"invalid": _("Choose a valid option.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def _integer_key(field: forms.ModelChoiceField) -> bool:
    model = field.queryset.model  # type: ignore[union-attr]
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    return isinstance(key, models.IntegerField)


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose integer keys are checked with ``parse_id`` before any query
    (a 25-digit value would otherwise raise OverflowError in the database driver)."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if _integer_key(self) and not isinstance(value, models.Model) and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The multiple-choice version of ``IdModelChoiceField``."""

    def _check_values(self, value: Any) -> Any:
        if _integer_key(self):
            try:
                items = frozenset(value)
            except TypeError:
                items = frozenset()
            for item in items:
                if not isinstance(item, models.Model) and parse_id(item) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(item)[:40]},
                    )
        return super()._check_values(value)  # type: ignore[misc]
