"""The API's input types: the strict checks of ``core.inputs`` as pydantic types.

Every text, date and date-time an API client sends goes through one of these,
so SQLite and PostgreSQL see only what both can store, and a refusal is a 422
in the documented error shape (never a 500 from the database). Each type also
states its rule in the OpenAPI document (a ``pattern`` or a year range), so the
contract a client reads is the one the server keeps.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import AfterValidator, AwareDatetime, Field

from yrkesbro.core import inputs
from yrkesbro.core.errors import DomainError

#: No control characters at all (C0, DEL, C1) and no Unicode line separators.
LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
#: Newline, carriage return and tab are fine; other control characters are not.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
#: ASCII digits only (``"²"`` and ``"٣"`` pass ``str.isdigit()`` but are no numbers).
DIGITS_PATTERN = r"^[0-9]*$"


def _as_value_error(check, value, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return check(value, **kwargs)
    except DomainError as exc:
        # pydantic turns a ValueError into a 422 entry; the message stays translated.
        raise ValueError(str(exc.message)) from exc


def _line(value: str) -> str:
    return _as_value_error(inputs.check_single_line, value)  # type: ignore[no-any-return]


def _text(value: str) -> str:
    return _as_value_error(inputs.check_text, value)  # type: ignore[no-any-return]


def _digits(value: str) -> str:
    if value and not (value.isascii() and value.isdigit()):
        raise ValueError(_("Use the digits 0-9 only."))
    return value


def _email(value: str) -> str:
    # Django's own rule, as the forms use: it accepts what e-mail-validator calls
    # special-use domains (.test, .example), which staging and tests rely on.
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from exc  # Django's own, translated message
    return value


def _day(value: dt.date) -> dt.date:
    return _as_value_error(inputs.check_date, value)  # type: ignore[no-any-return]


def _moment(value: dt.datetime) -> dt.datetime:
    return _as_value_error(inputs.check_datetime, value)  # type: ignore[no-any-return]


def _year_bounds() -> tuple[str, str]:
    low, high = inputs.year_range()
    return f"{low:04d}", f"{high:04d}"


_LOW, _HIGH = _year_bounds()
#: Years strictly inside the default range (1901-2199), so that no offset can carry a
#: documented value out of range in UTC. With another YRKESBRO_YEAR_RANGE the
#: services still refuse; only the pattern is left out of the document.
_YEARS = r"(190[1-9]|19[1-9][0-9]|2[01][0-9]{2})"
_DEFAULT_RANGE = (_LOW, _HIGH) == ("1900", "2200")
DAY_PATTERN = rf"^{_YEARS}-[0-9]{{2}}-[0-9]{{2}}$"
MOMENT_PATTERN = (
    rf"^{_YEARS}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?"
    r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)$"
)

#: One line of text: a title, a name, a code, a filter value.
Line = Annotated[
    str,
    AfterValidator(_line),
    Field(json_schema_extra={"pattern": LINE_PATTERN}),
]
#: Free text over several lines: a description, minutes, a message.
Text = Annotated[
    str,
    AfterValidator(_text),
    Field(json_schema_extra={"pattern": TEXT_PATTERN}),
]
#: A number written as ASCII digits, kept as text (county numbers, ids in filters).
Digits = Annotated[
    str,
    AfterValidator(_digits),
    Field(json_schema_extra={"pattern": DIGITS_PATTERN}),
]
#: An e-mail address, by the same rule as the web forms.
Email = Annotated[
    str,
    AfterValidator(_email),
    Field(max_length=254, json_schema_extra={"format": "email"}),
]
#: A calendar date within the platform's year range.
Day = Annotated[
    dt.date,
    AfterValidator(_day),
    Field(
        json_schema_extra={
            "description": f"A date (YYYY-MM-DD) from {_LOW}-01-01 to {_HIGH}-12-31",
            **({"pattern": DAY_PATTERN} if _DEFAULT_RANGE else {}),
        }
    ),
]
#: A date-time with its UTC offset (within ±14:00), within the platform's year range.
Moment = Annotated[
    AwareDatetime,
    AfterValidator(_moment),
    Field(
        json_schema_extra={
            "description": (
                f"A date-time with its UTC offset (±14:00 at most), years {_LOW}-{_HIGH}, "
                "e.g. 2026-03-01T09:00:00+01:00"
            ),
            **({"pattern": MOMENT_PATTERN} if _DEFAULT_RANGE else {}),
        }
    ),
]
