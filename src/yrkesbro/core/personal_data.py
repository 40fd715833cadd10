"""The personal-data registry: every model that holds personal data says so here, once.

An app declares its models in its ``AppConfig.ready()``::

    from yrkesbro.core.personal_data import declare
    declare(
        "vet.Placement",
        fields=["pupil_first_name", "pupil_name"],
        purpose=_("Book a pupil's workplace practice"),
        retention=_("Names removed 12 months after the school year ends"),
        subject="pupil (a minor), not a platform user",
    )

The registry is the platform's record of processing (GDPR art. 30): what is
kept, why, and for how long. A test walks every installed model and fails
when one with a person field is not declared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Declaration:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    purpose: str | Promise
    retention: str | Promise
    subject: str = "user"
    notes: tuple[str, ...] = field(default_factory=tuple)


REGISTRY: dict[str, Declaration] = {}


def declare(
    model: str,
    *,
    fields: list[str] | tuple[str, ...],
    purpose: str | Promise,
    retention: str | Promise,
    subject: str = "user",
) -> Declaration:
    """Declare that ``model`` holds personal data in ``fields``; idempotent per model."""
    declaration = Declaration(
        model=model, fields=tuple(fields), purpose=purpose, retention=retention, subject=subject
    )
    REGISTRY[model.lower()] = declaration
    return declaration


def declared(model: str) -> Declaration | None:
    return REGISTRY.get(model.lower())
