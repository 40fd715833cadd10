"""Django's form renderer, with its most used widget templates written in Python.

Django renders every widget through templates: an input is three templates, a select
one template per option, each with an include of ``attrs.html``. On a list page with a
filter bar or a form page that was 2–6 ms of a 15–30 ms request (issue 16). ``FormRenderer``
answers the templates of the inputs, selects, text areas and checkbox and radio lists
in Python, byte for byte as Django's templates would (``core/tests/test_renderers.py``
compares both on every widget with hostile values), and hands every other template
(and any widget it does not know, such as the search picker) to Django's renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
SELECT_OPTION = f"{WIDGETS}select_option.html"
INPUT_OPTIONS = {f"{WIDGETS}checkbox_option.html", f"{WIDGETS}radio_option.html"}

# ``render_value_in_context`` reads only autoescape, use_l10n and use_tz from it.
_CONTEXT = Context(autoescape=True)


def _out(value: Any) -> str:
    """``{{ value }}``"""
    return str(render_value_in_context(value, _CONTEXT))


def _out_s(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter keeps a safe value safe)."""
    formatted = stringformat(value, "s")
    if isinstance(value, SafeData):
        formatted = mark_safe(formatted)  # stringformat is_safe: Django keeps it safe too
    return _out(formatted)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``"""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_out(name)}" if value is True else f' {_out(name)}="{_out_s(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    """``django/forms/widgets/input.html``, without the file's final newline."""
    value = widget["value"]
    shown = f' value="{_out_s(value)}"' if value is not None else ""
    return (
        f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _input_option(option: Mapping[str, Any]) -> str:
    """``input_option.html`` (a checkbox or radio with its label), without the final newline."""
    if not option.get("wrap_label"):
        return f"{_input(option)}\n"
    ident = option["attrs"].get("id")
    target = f' for="{_out(ident)}"' if ident else ""
    return f"<label{target}>{_input(option)}\n {_out(option['label'])}</label>"


def render_input(widget: Mapping[str, Any]) -> str | None:
    """Every ``<type>.html`` that is only an include of ``input.html``."""
    return f"{_input(widget)}\n\n"


def render_select(widget: Mapping[str, Any]) -> str | None:
    """``django/forms/widgets/select.html`` with its options."""
    out = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION:
                return None
            out.append(
                f'\n  <option value="{_out_s(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_out(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def render_multiple_input(widget: Mapping[str, Any]) -> str | None:
    """``multiple_input.html``: checkboxes or radio buttons, each in a ``<div>``."""
    attrs = widget["attrs"]
    ident, css = attrs.get("id"), attrs.get("class")
    out = [
        "<div",
        f' id="{_out(ident)}"' if ident else "",
        f' class="{_out(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_out(group)}</label>")
        for option in options:
            if option["template_name"] not in INPUT_OPTIONS:
                return None
            out.append(f"<div>\n    {_input_option(option)}\n\n</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n\n")
    return "".join(out)


def render_textarea(widget: Mapping[str, Any]) -> str | None:
    """``django/forms/widgets/textarea.html``"""
    value = widget["value"]
    body = _out(value) if value else ""
    return f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>\n'


PYTHON: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    f"{WIDGETS}{name}.html": render_input
    for name in (
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
} | {
    f"{WIDGETS}select.html": render_select,
    f"{WIDGETS}checkbox_select.html": render_multiple_input,
    f"{WIDGETS}radio.html": render_multiple_input,
    f"{WIDGETS}textarea.html": render_textarea,
}


class FormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: the widget templates above in Python, the rest through Django."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        python = PYTHON.get(template_name)
        if python is not None and "widget" in context:
            html = python(context["widget"])
            if html is not None:
                return html.strip()  # as BaseRenderer.render strips the template's output
        return super().render(template_name, context, request)
