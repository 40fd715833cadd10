"""Validation details of the API in the caller's language.

pydantic writes its messages in English ("Field required", "Input should be ...").
The API answers each refused input with one of these instead, chosen by the
error's stable ``type`` and filled from its ``ctx``; a message our own field types
raise (``core.api_types``) is already translated and passes through.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_DATE = ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact")
_DATETIME = ("datetime_parsing", "datetime_type", "datetime_from_date_parsing", "timezone_aware")
_INT = ("int_parsing", "int_type", "int_from_float", "int_parsing_size")
_FLOAT = ("float_parsing", "float_type", "decimal_parsing", "decimal_type")
_BOOL = ("bool_parsing", "bool_type")
_LIST = ("list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type")
_OBJECT = ("dict_type", "model_type", "model_attributes_type", "dataclass_type")
_TEXT = ("string_type", "string_unicode", "string_sub_type", "bytes_type")
_URL = ("url_parsing", "url_type", "url_scheme", "url_syntax_violation", "url_too_long")


def _choices(expected: str) -> str:
    """``"'a', 'b' or 'c'"`` (pydantic's English list) as ``a, b, c``."""
    values = re.findall(r"'([^']*)'", expected)
    return ", ".join(values) if values else expected


def _number(ctx: dict[str, Any], key: str) -> Any:
    return ctx.get(key, "")


def translate(error: dict[str, Any]) -> str:
    """One pydantic error entry as a message in the active language."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        # Raised by our own validators with a translated message; strip pydantic's prefix.
        return str(ctx["error"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in ("missing", "missing_argument", "missing_keyword_only_argument"):
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not allowed here.")
    if kind == "string_too_short":
        n = _number(ctx, "min_length")
        return ngettext(
            "Write at least %(n)s character.", "Write at least %(n)s characters.", int(n or 0)
        ) % {"n": n}
    if kind == "string_too_long":
        n = _number(ctx, "max_length")
        return ngettext(
            "Write at most %(n)s character.", "Write at most %(n)s characters.", int(n or 0)
        ) % {"n": n}
    if kind == "too_short":
        n = _number(ctx, "min_length")
        return ngettext("Give at least %(n)s item.", "Give at least %(n)s items.", int(n or 0)) % {
            "n": n
        }
    if kind == "too_long":
        n = _number(ctx, "max_length")
        return ngettext("Give at most %(n)s item.", "Give at most %(n)s items.", int(n or 0)) % {
            "n": n
        }
    if kind == "greater_than_equal":
        return _("Must be %(n)s or more.") % {"n": _number(ctx, "ge")}
    if kind == "greater_than":
        return _("Must be more than %(n)s.") % {"n": _number(ctx, "gt")}
    if kind == "less_than_equal":
        return _("Must be %(n)s or less.") % {"n": _number(ctx, "le")}
    if kind == "less_than":
        return _("Must be less than %(n)s.") % {"n": _number(ctx, "lt")}
    if kind in ("enum", "literal_error"):
        return _("Must be one of: %(choices)s.") % {"choices": _choices(str(ctx.get("expected")))}
    if kind == "string_pattern_mismatch":
        return _("Contains characters that are not allowed here.")
    if kind in _INT:
        return _("Must be a whole number.")
    if kind in _FLOAT:
        return _("Must be a number.")
    if kind in _BOOL:
        return _("Must be true or false.")
    if kind in _DATE:
        return _("Must be a date (YYYY-MM-DD).")
    if kind in _DATETIME:
        return _("Must be a date and time with its UTC offset, e.g. 2026-03-01T09:00:00+01:00.")
    if kind in _LIST:
        return _("Must be a list.")
    if kind in _OBJECT:
        return _("Must be a JSON object.")
    if kind in _TEXT:
        return _("Must be text.")
    if kind in _URL:
        return _("Must be a web address.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")
