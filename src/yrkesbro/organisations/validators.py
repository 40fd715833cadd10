"""Norwegian organisation numbers (organisasjonsnummer) from Brønnøysundregistrene."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise_org_number(value: str) -> str:
    """Spaces and dots are common in typed numbers ("974 760 673"); drop them."""
    return "".join(ch for ch in str(value) if ch not in " .\u00a0")


def org_number_is_valid(value: str) -> bool:
    """Nine digits whose last is the mod-11 check digit of the first eight."""
    number = normalise_org_number(value)
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(number[:8], WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(number[8])


def validate_org_number(value: str) -> None:
    if not org_number_is_valid(value):
        raise ValidationError(
            _(
                "%(value)s is not a valid organisation number: it must be nine digits with a "
                "correct check digit."
            ),
            code="invalid_org_number",
            params={"value": value},
        )
