"""Template helpers: Designsystemet form widgets and query-string links."""

from __future__ import annotations

from django import forms, template
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ds_widget(field: forms.BoundField) -> SafeString:
    """Render a field's widget with Designsystemet classes and ARIA links to its texts."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {"class": "ds-input"}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    html: str = field.as_widget(attrs=attrs)
    # Django's empty choice is "---------"; say what choosing nothing means instead.
    if ">---------</option>" in html:
        empty = _("Choose …") if field.field.required else _("(none chosen)")
        html = html.replace(">---------</option>", f">{escape(empty)}</option>")
    return mark_safe(html)  # as_widget's HTML with one escaped, translated label swapped in


@register.simple_tag(takes_context=True)
def query(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_set(context: template.Context, key: str, value: object) -> str:
    """``query`` with the parameter's name in a variable (a second paginated list on a page)."""
    return query(context, **{key: value})
