from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesbro.accounts.models import User
from yrkesbro.core.inputs import IdModelChoiceField, IdModelMultipleChoiceField
from yrkesbro.core.pickers import SearchPicker
from yrkesbro.needs.models import (
    MAX_PEOPLE,
    CompetencePlan,
    Driver,
    Need,
    ServiceArea,
    Status,
    Urgency,
    Visibility,
)
from yrkesbro.organisations.models import Organisation
from yrkesbro.taxonomy.models import CompetenceArea

DRAFT_VISIBILITY = [
    (Visibility.PRIVATE.value, Visibility.PRIVATE.label),
    (Visibility.INTERNAL.value, Visibility.INTERNAL.label),
]


class _Fields:
    """Typed access to form fields whose querysets and choices are set per request."""

    fields: dict[str, Any]

    @property
    def _f(self) -> dict[str, Any]:
        return self.fields


class DateInput(forms.DateInput):
    input_type = "date"


class OrganisationChoice(IdModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class NeedForm(_Fields, forms.Form):
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    service_area = forms.ChoiceField(label=_("Service area"), choices=ServiceArea.choices)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=200,
        help_text=_("For example home care, a nursing home or a kindergarten."),
    )
    areas = IdModelMultipleChoiceField(
        label=_("Competence areas"),
        queryset=CompetenceArea.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea({"rows": 4})
    )
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=MAX_PEOPLE)
    deadline = forms.DateField(label=_("By when"), widget=DateInput)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.MEDIUM)
    drivers = forms.MultipleChoiceField(
        label=_("Drivers"),
        choices=Driver.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    driver_other = forms.CharField(label=_("Other driver"), max_length=200, required=False)
    online_ok = forms.BooleanField(label=_("Staff can attend online teaching"), required=False)
    part_time_ok = forms.BooleanField(label=_("Staff can study part-time"), required=False)
    evenings_ok = forms.BooleanField(label=_("Staff can attend in the evenings"), required=False)
    max_travel_minutes = forms.IntegerField(
        label=_("Maximum travel time (minutes)"), required=False, min_value=0, max_value=600
    )
    max_travel_km = forms.IntegerField(
        label=_("Maximum travel distance (km)"), required=False, min_value=0, max_value=2000
    )
    funding = forms.CharField(
        label=_("Funding expectations"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("For example: the municipality pays tuition, staff keep their pay."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the draft"), choices=DRAFT_VISIBILITY, initial=Visibility.PRIVATE
    )
    plan = IdModelChoiceField(
        label=_("Competence plan"), queryset=CompetencePlan.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        organisations: Any = None,
        need: Need | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if need is not None:
            del self._f["organisation"]
            self._f["plan"].queryset = CompetencePlan.objects.filter(organisation=need.organisation)
            if need.visibility == Visibility.SHARED:
                del self._f["visibility"]
        else:
            self._f["organisation"].queryset = organisations
            self._f["plan"].queryset = CompetencePlan.objects.filter(organisation__in=organisations)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org = data.get("organisation")
        plan = data.get("plan")
        if org is not None and plan is not None and plan.organisation_id != org.pk:
            self.add_error("plan", _("Choose one of your organisation's plans."))
        return data

    def service_data(self) -> tuple[dict[str, Any], list[str]]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        codes = [a.code for a in data.pop("areas")]
        return data, codes


def need_initial(need: Need) -> dict[str, Any]:
    initial = {f: getattr(need, f) for f in NeedForm.base_fields if hasattr(need, f)}
    initial["areas"] = list(need.areas.all())
    return initial


class PlanForm(_Fields, forms.Form):
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    start_year = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=5000, widget=forms.Textarea({"rows": 4})
    )
    owner = IdModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        # A search, not a list of every member: a big municipality has hundreds.
        widget=SearchPicker(search=("full_name", "username")),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(
        self,
        *args: Any,
        organisations: Any = None,
        plan: CompetencePlan | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if plan is not None:
            del self._f["organisation"]
            self._f["owner"].queryset = User.objects.filter(
                memberships__organisation=plan.organisation
            ).order_by("full_name", "username")
        else:
            self._f["organisation"].queryset = organisations
            del self._f["owner"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The period must end after it starts."))
        return data


class PlanNeedSearchForm(forms.Form):
    """The search box of the page that adds needs to a plan."""

    q = forms.CharField(label=_("Search by unit or description"), required=False, max_length=200)


class NeedFilterForm(_Fields, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    area = forms.ChoiceField(label=_("Competence area"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *list(Status.choices)]
    )
    mine = forms.BooleanField(label=_("Only my organisation's needs"), required=False)

    def __init__(self, *args: Any, counties: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._f["area"].choices = [("", _("All"))] + [
            (a.code, a.name) for a in CompetenceArea.objects.filter(is_active=True)
        ]
        self._f["county"].choices = [("", _("All"))] + [(c.number, c.name) for c in counties]


class RegionForm(_Fields, forms.Form):
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args: Any, counties: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._f["county"].choices = [("", _("The whole country"))] + [
            (c.number, c.name) for c in counties
        ]


class AssessmentForm(_Fields, forms.Form):
    """One unit: staff, and per competence area how many hold it today and the target."""

    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    unit = forms.CharField(label=_("Unit"), max_length=200)
    service_area = forms.ChoiceField(label=_("Service area"), choices=ServiceArea.choices)
    staff = forms.IntegerField(label=_("Number of staff"), min_value=1, max_value=MAX_PEOPLE)
    deadline = forms.DateField(label=_("Target reached by"), widget=DateInput)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.MEDIUM)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._f["organisation"].queryset = organisations
        self.areas = list(CompetenceArea.objects.filter(is_active=True))
        for area in self.areas:
            self.fields[f"qualified_{area.code}"] = forms.IntegerField(
                label=_("%(area)s: hold it today") % {"area": area.name},
                required=False,
                min_value=0,
                max_value=MAX_PEOPLE,
            )
            self.fields[f"target_{area.code}"] = forms.IntegerField(
                label=_("%(area)s: target") % {"area": area.name},
                required=False,
                min_value=0,
                max_value=MAX_PEOPLE,
            )

    def base_fields_bound(self) -> list[forms.BoundField]:
        names = ("organisation", "unit", "service_area", "staff", "deadline", "urgency")
        return [self[name] for name in names]

    def area_rows(self) -> list[tuple[CompetenceArea, forms.BoundField, forms.BoundField]]:
        return [(a, self[f"qualified_{a.code}"], self[f"target_{a.code}"]) for a in self.areas]


class ImportForm(_Fields, forms.Form):
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "Columns: unit, service_area, staff, area, qualified, target, deadline, urgency."
        ),
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._f["organisation"].queryset = organisations


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(required=False, max_length=300)
