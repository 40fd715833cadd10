"""Helpers shared by the web forms."""

from __future__ import annotations

from django import forms

from yrkesbro.core.errors import DomainError


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal beside the field it is about, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
