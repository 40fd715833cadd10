"""Forms of the matching pages; the services decide what is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue.models import Delivery, Offering, Programme
from yrkesbro.core.forms import FixedChoices
from yrkesbro.core.inputs import IdModelChoiceField
from yrkesbro.core.pickers import ORGANISATION_SEARCH, SearchPicker
from yrkesbro.core.widgets import CachedSelect, CachedSelectMultiple
from yrkesbro.matching.models import RequestKind
from yrkesbro.needs.models import MAX_PEOPLE
from yrkesbro.organisations import selectors as organisation_selectors
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea


class RequestForm(forms.Form):
    school = IdModelChoiceField(
        queryset=Organisation.objects.none(),
        widget=SearchPicker(search=ORGANISATION_SEARCH),
        label=_("School"),
    )
    offering = IdModelChoiceField(
        queryset=Offering.objects.none(), required=False, label=_("Offering (optional)")
    )
    kind = forms.ChoiceField(choices=RequestKind.choices, label=_("What you ask for"))
    people = forms.IntegerField(min_value=1, max_value=MAX_PEOPLE, label=_("Number of people"))
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        label=_("Message"),
    )

    def __init__(self, *args: Any, schools: Any, offerings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(IdModelChoiceField, self.fields["school"]).queryset = schools
        cast(IdModelChoiceField, self.fields["offering"]).queryset = offerings


class OfferForm(forms.Form):
    # A school's programmes and offerings: dozens of options at national scale, rendered
    # once per school, selection and language (core.widgets).
    programme = IdModelChoiceField(
        queryset=Programme.objects.none(), label=_("Programme"), widget=CachedSelect
    )
    offering = IdModelChoiceField(
        queryset=Offering.objects.none(),
        required=False,
        label=_("Offering (optional)"),
        widget=CachedSelect,
    )
    seats = forms.IntegerField(min_value=1, max_value=MAX_PEOPLE, label=_("Seats"))
    price_nok = forms.IntegerField(
        min_value=0, max_value=10_000_000, label=_("Price per person (NOK)")
    )
    delivery = forms.ChoiceField(choices=Delivery.choices, label=_("Delivery"))
    start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Start date")
    )
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        label=_("Message"),
    )

    def __init__(self, *args: Any, school: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the labels and the service's checks read: the choices are built from
        # every row on each view (the cache key), not the programmes' texts.
        cast(IdModelChoiceField, self.fields["programme"]).queryset = (
            Programme.objects.filter(school=school).only("pk", "title", "school").order_by("title")
        )
        cast(IdModelChoiceField, self.fields["offering"]).queryset = (
            Offering.objects.filter(programme__school=school)
            .select_related("programme", "municipality")
            .only("pk", "start_date", "programme__title", "municipality__name")
        )


class RefuseForm(forms.Form):
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label=_("Reason")
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000, label=_("Note")
    )


class GapForm(forms.Form):
    county = forms.ChoiceField(required=False, label=_("County"), widget=CachedSelect)
    municipality = forms.MultipleChoiceField(
        required=False,
        widget=CachedSelectMultiple,
        label=_("Or municipalities of your choice"),
        help_text=_("Leave both empty for the whole country."),
    )
    area = forms.ChoiceField(required=False, label=_("Competence area"))

    def __init__(self, *args: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["county"]).choices = FixedChoices(
            [("", _("The whole country"))] + [(c.number, c.name) for c in counties]
        )
        # The register's municipalities (kept a minute per process), taken as they are.
        cast(forms.ChoiceField, self.fields["municipality"]).choices = FixedChoices(
            (number, name)
            for kind, number, name in organisation_selectors.places()
            if kind == Kind.MUNICIPALITY and number
        )
        self.fields["municipality"].widget.attrs["size"] = 6
        cast(forms.ChoiceField, self.fields["area"]).choices = FixedChoices(
            [("", _("All areas"))]
            + [(a.code, a.name) for a in CompetenceArea.objects.filter(is_active=True)]
        )
