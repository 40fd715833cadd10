"""Searchable pickers for choice fields with hundreds or thousands of options.

A ``<select>`` or a checkbox list of every employee, programme or organisation costs CPU
and bytes in proportion to the data. ``SearchPicker`` (one choice, radio buttons) and
``SearchPickerMultiple`` (checkboxes) render only the chosen options plus at most
``limit`` options matching a search text, with a count line when there are more, in three
queries whatever the size of the queryset (the chosen, a COUNT, a LIMIT). The field's queryset
stays the full permitted queryset, so validation is unchanged: any permitted id is valid,
shown or not.

Declare the search fields where the field is declared::

    employees = IdModelMultipleChoiceField(
        queryset=..., widget=SearchPickerMultiple(search=("full_name", "unit")))

and let the view answer the picker's own requests with one line after building the form::

    if response := answer_pickers(request, form):
        return response

The search box fetches ``?picker=<name>&<name>_q=...`` from the same page with HTMX and
swaps in just the options; without JavaScript its "Search" button posts the form with
``picker=<name>``, and ``answer_pickers`` turns that post into an unbound form pre-filled
with what was posted, so the page is shown again with the filtered options and nothing
chosen or typed is lost (and nothing is saved).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString

from yrkesbro.core.inputs import _integer_key, has_control_characters, parse_id

LIMIT = 20
#: How organisations are searched in every organisation picker: name, other names, number
#: (municipality/county) and organisation number.
ORGANISATION_SEARCH = ("name", "other_names", "number", "org_number")
MAX_SEARCH = 100  # characters of search text taken into account
MAX_TERMS = 5  # words of search text, each matched against any search field
MAX_CHOSEN = 500  # chosen values shown again; more than this is no honest form post


def clean_search(text: Any) -> str:
    """Search text from untrusted input: one line, bounded; anything else searches nothing."""
    text = str(text or "")[:MAX_SEARCH].strip()
    return "" if has_control_characters(text) else text


class SearchPicker(forms.Widget):
    """One choice of a ModelChoiceField: radio buttons for the chosen and the matching options."""

    template_name = "core/partials/picker.html"
    options_template = "core/partials/picker_options.html"
    input_type = "picker"  # not "checkbox"/"radio": field templates show a fieldset for it
    multiple = False

    def __init__(
        self,
        *,
        search: Sequence[str],
        limit: int = LIMIT,
        order_by: Sequence[str] | None = None,
        none_label: Any = None,  # str or a lazy translation
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.none_label = none_label  # what choosing nothing means, if not "(none chosen)"
        self.search_fields = tuple(search)
        self.limit = limit
        self.order_by = tuple(order_by) if order_by else None
        self.search = ""  # set per request by answer_pickers
        self.url = ""  # the page's path, for the search box's requests
        self.choices: Any = ()  # the field's ModelChoiceIterator, set by ModelChoiceField

    @property
    def allow_multiple_selected(self) -> bool:  # type: ignore[override]
        return self.multiple

    def use_required_attribute(self, initial: Any) -> bool:
        return False

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_q" if id_ else id_

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            getter = getattr(data, "getlist", None)
            return getter(name) if getter else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False if self.multiple else name not in data

    # -- the options ---------------------------------------------------------------

    def _field(self) -> forms.ModelChoiceField:
        field = getattr(self.choices, "field", None)
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError("A search picker is the widget of a ModelChoiceField.")
        return field

    def _chosen(self, field: forms.ModelChoiceField, value: Any) -> list[str]:
        values = value if isinstance(value, (list, tuple)) else [value]
        integer = _integer_key(field)
        chosen: list[str] = []
        for item in values:
            if item in (None, ""):
                continue
            if isinstance(item, Model):
                item = field.prepare_value(item)
            if integer:
                if parse_id(item) is None:
                    continue
                item = str(parse_id(item))
            elif has_control_characters(str(item)) or len(str(item)) > 200:
                continue
            if str(item) not in chosen:
                chosen.append(str(item))
            if len(chosen) >= MAX_CHOSEN:
                break
        return chosen

    def _matching(self, queryset: QuerySet) -> QuerySet:
        for term in self.search.split()[:MAX_TERMS]:
            condition = Q()
            for name in self.search_fields:
                condition |= Q(**{f"{name}__icontains": term})
            queryset = queryset.filter(condition)
        return queryset

    def options(self, name: str, value: Any) -> dict[str, Any]:
        """The chosen options, at most ``limit`` matching ones, and how many match."""
        field = self._field()
        queryset = field.queryset
        assert queryset is not None
        key = field.to_field_name or "pk"
        chosen_values = self._chosen(field, value)
        chosen = list(queryset.filter(**{f"{key}__in": chosen_values})) if chosen_values else []
        rest = self._matching(queryset.exclude(**{f"{key}__in": chosen_values}))
        if self.order_by:
            rest = rest.order_by(*self.order_by)
        total = rest.count()  # always counted: the same queries however many there are
        shown = list(rest[: self.limit]) if total else []

        def option(obj: Any, selected: bool) -> dict[str, Any]:
            return {
                "value": str(field.prepare_value(obj)),
                "label": field.label_from_instance(obj),
                "selected": selected,
            }

        return {
            "chosen": [option(obj, True) for obj in chosen],
            "shown": [option(obj, False) for obj in shown],
            "total": total,
            "more": total > len(shown),
        }

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        attrs = dict(widget["attrs"])
        base_id = attrs.pop("id", "") or f"id_{name}"
        attrs.pop("aria-describedby", None)  # the field's fieldset carries it
        context.update(
            self.options(name, value),
            id=base_id,
            name=name,
            input_attrs=attrs,
            input_type="checkbox" if self.multiple else "radio",
            search=self.search,
            url=self.url,
            limit=self.limit,
            optional=not self._field().required,
            none_label=self.none_label,
            multiple=self.multiple,
        )
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def render_options(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> str:
        """Only the options and the count line (the HTMX answer to the search box)."""
        context = self.get_context(name, value, attrs)
        context["oob"] = True  # the count line is outside the swapped options
        return render_to_string(self.options_template, context)


class SearchPickerMultiple(SearchPicker):
    """Several choices of a ModelMultipleChoiceField: checkboxes."""

    multiple = True


def answer_pickers(request: HttpRequest, form: forms.Form) -> HttpResponse | None:
    """Give the form's pickers their search text; answer a picker's own request.

    - An HTMX GET with ``picker=<field>`` answers that field's options partial.
    - A post from a picker's "Search" button (no JavaScript) makes the form unbound and
      pre-filled with what was posted, so the view shows the page again without saving.
    - Anything else returns None and the view goes on as usual.
    """
    data = request.POST if request.method == "POST" else request.GET
    pickers: dict[str, forms.BoundField] = {}
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, SearchPicker):
            widget.search = clean_search(data.get(f"{bound.html_name}_q"))
            widget.url = request.path
            pickers[bound.html_name] = bound
    asked = pickers.get(str(data.get("picker", "")))
    if asked is None:
        return None
    widget = asked.field.widget
    assert isinstance(widget, SearchPicker)
    if request.method == "GET" and getattr(request, "htmx", False):
        value = widget.value_from_datadict(request.GET, {}, asked.html_name)
        html = widget.render_options(asked.html_name, value, {"id": asked.auto_id})
        return HttpResponse(html)
    if form.is_bound:
        _unbind(form)
    return None


def _unbind(form: forms.Form) -> None:
    """The form as if new, its fields pre-filled with the values it was bound to."""
    values = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        values[name] = field.widget.value_from_datadict(
            form.data, form.files, form.add_prefix(name)
        )
    form.initial = {**form.initial, **values}
    form.is_bound = False
    form.data = MultiValueDict()
    form.files = MultiValueDict()
    form._errors = None  # type: ignore[attr-defined]
    form._bound_fields_cache.clear()  # type: ignore[attr-defined]
