from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue.models import (
    Delivery,
    Field,
    Funding,
    NationalPlan,
    Offering,
    Pace,
    Programme,
)
from yrkesbro.catalogue.search import MAX_QUERY_CHARS
from yrkesbro.core.forms import FixedChoices
from yrkesbro.core.inputs import IdModelMultipleChoiceField
from yrkesbro.core.widgets import CachedSelect
from yrkesbro.organisations import selectors as organisation_selectors
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

RADIUS_CHOICES = [
    ("", _("Any distance")),
    ("25", "25 km"),
    ("50", "50 km"),
    ("100", "100 km"),
    ("200", "200 km"),
]
MONTH_CHOICES = [
    ("", _("Any time")),
    ("3", _("Within 3 months")),
    ("6", _("Within 6 months")),
    ("12", _("Within 12 months")),
    ("24", _("Within 24 months")),
]


class TruncatingCharField(forms.CharField):
    """Long input is cut, not refused: a pasted paragraph still searches."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value))[:MAX_QUERY_CHARS]


class SearchForm(forms.Form):
    q = TruncatingCharField(label=_("Search"), required=False)
    field = forms.ChoiceField(
        label=_("Field"),
        choices=[("", _("All fields")), *Field.choices],
        required=False,
        widget=CachedSelect,
    )
    plan = forms.ChoiceField(label=_("National plan"), required=False, widget=CachedSelect)
    county = forms.ChoiceField(label=_("County"), required=False, widget=CachedSelect)
    near = forms.ChoiceField(label=_("Near municipality"), required=False, widget=CachedSelect)
    radius_km = forms.TypedChoiceField(
        label=_("Distance"),
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=CachedSelect,
    )
    delivery = forms.ChoiceField(
        label=_("Delivery"),
        choices=[("", _("Any delivery")), *Delivery.choices],
        required=False,
        widget=CachedSelect,
    )
    pace = forms.ChoiceField(
        label=_("Pace"),
        choices=[("", _("Part- or full-time")), *Pace.choices],
        required=False,
        widget=CachedSelect,
    )
    funding = forms.ChoiceField(
        label=_("Funding"),
        choices=[("", _("Any funding")), *Funding.choices],
        required=False,
        widget=CachedSelect,
    )
    within_months = forms.TypedChoiceField(
        label=_("Starts"),
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=CachedSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        cast(forms.ChoiceField, self.fields["plan"]).choices = FixedChoices(
            [("", _("All national plans"))]
            + [(p.code, p.title) for p in NationalPlan.objects.all()]
        )
        # Three columns, not 372 model objects, kept a minute, and taken without Django
        # normalising every pair again: this form is on every catalogue page.
        places = organisation_selectors.places()
        cast(forms.ChoiceField, self.fields["county"]).choices = FixedChoices(
            [("", _("All counties"))]
            + [(number, name) for kind, number, name in places if kind == Kind.COUNTY]
        )
        cast(forms.ChoiceField, self.fields["near"]).choices = FixedChoices(
            [("", _("Anywhere"))]
            + [(number, name) for kind, number, name in places if kind == Kind.MUNICIPALITY]
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "title",
            "code",
            "national_plan",
            "competence_areas",
            "field",
            "credits",
            "nkr_level",
            "description",
            "outcomes_knowledge",
            "outcomes_skills",
            "outcomes_general_competence",
            "admission_requirements",
            "nokut_accredited_on",
        ]
        widgets = {
            "nokut_accredited_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "outcomes_knowledge": forms.Textarea(attrs={"rows": 3}),
            "outcomes_skills": forms.Textarea(attrs={"rows": 3}),
            "outcomes_general_competence": forms.Textarea(attrs={"rows": 3}),
            "admission_requirements": forms.Textarea(attrs={"rows": 3}),
            "competence_areas": forms.CheckboxSelectMultiple,
        }
        field_classes = {"competence_areas": IdModelMultipleChoiceField}
        help_texts = {
            "code": _("Your own short code, used in imports and exports (e.g. FINN-DEMENS)."),
            "credits": _("Studiepoeng, 30–120 (60 is a full-time year)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competence_areas"].queryset = CompetenceArea.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        )


class OfferingForm(forms.ModelForm):
    class Meta:
        model = Offering
        fields = [
            "delivery",
            "municipality",
            "place",
            "pace",
            "start_date",
            "end_date",
            "semesters",
            "seats",
            "price_nok",
            "funding",
            "application_deadline",
            "status",
            "code",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "application_deadline": DateInput(),
            # 357 options: rendered once per selection and language, not per request.
            "municipality": CachedSelect,
        }
        help_texts = {"municipality": _("Leave empty for online offerings.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True)
            .only("pk", "name")
            .order_by("name")
        )


class UploadForm(forms.Form):
    """A catalogue file for the web import (checked first, imported on confirmation)."""

    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=[("programmes", _("Programmes")), ("offerings", _("Offerings"))],
        help_text=_("Import the programmes before their offerings."),
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("In the columns of the catalogue export, e.g. the programmes download."),
    )
