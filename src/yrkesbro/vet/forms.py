"""Web forms for VET; the services decide, the forms only collect and type the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesbro.collaboration.models import Agreement, Partnership
from yrkesbro.core.inputs import IdModelChoiceField, IdModelMultipleChoiceField
from yrkesbro.core.pickers import ORGANISATION_SEARCH, SearchPicker
from yrkesbro.core.widgets import CachedSelect
from yrkesbro.organisations.models import Organisation
from yrkesbro.vet.models import Approval, Level, OfferKind, Outcome, Side


class DateInput(forms.DateInput):
    input_type = "date"


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput)


class OrganisationChoice(IdModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:  # type: ignore[override]
        return obj.name


def trade_choices(trades: Any) -> list[tuple[str, str]]:
    return [("", "–")] + [(t.code, f"{t.name} ({t.programme_code})") for t in trades]


class OfferForm(forms.Form):
    organisation = OrganisationChoice(label=_("Offered by"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    trade = forms.ChoiceField(label=_("Trade"))
    school_year = forms.IntegerField(
        label=_("School year (autumn)"), min_value=2000, max_value=2100
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    starts_on = _date(_("Apprenticeships from"), required=False)
    approval = forms.ChoiceField(
        label=_("Approval as training company"),
        choices=[("", "–"), *Approval.choices],
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Level (workplace practice)"), choices=[("", "–"), *Level.choices], required=False
    )
    weeks = forms.CharField(
        label=_("Weeks"), max_length=100, required=False, help_text=_("For example 38–41")
    )
    hours = forms.IntegerField(
        label=_("Hours per pupil"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_("At most 168 for Vg1 and 253 for Vg2."),
    )
    instructor_name = forms.CharField(label=_("Instructor"), max_length=200)
    instructor_email = forms.EmailField(label=_("Instructor's e-mail"), required=False)
    instructor_phone = forms.CharField(label=_("Instructor's phone"), max_length=30, required=False)
    instructor_is_me = forms.BooleanField(
        label=_("I am the instructor (I assess the placements)"), required=False
    )
    shared_with = IdModelMultipleChoiceField(
        label=_("Share with schools"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    internal_note = forms.CharField(
        label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisations: Any, trades: Any, schools: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["trade"].choices = trade_choices(trades)  # type: ignore[attr-defined]
        self.fields["shared_with"].queryset = schools  # type: ignore[attr-defined]


class DemandForm(forms.Form):
    school = OrganisationChoice(label=_("School"), queryset=Organisation.objects.none())
    trade = forms.ChoiceField(label=_("Trade"))
    school_year = forms.IntegerField(
        label=_("School year (autumn)"), min_value=2000, max_value=2100
    )
    yff_pupils = forms.IntegerField(
        label=_("Pupils needing a YFF placement"), min_value=0, max_value=10_000
    )
    apprenticeship_seekers = forms.IntegerField(
        label=_("Vg2 pupils seeking an apprenticeship"), min_value=0, max_value=10_000
    )

    def __init__(self, *args: Any, schools: Any, trades: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["trade"].choices = trade_choices(trades)  # type: ignore[attr-defined]


class PlacementForm(forms.Form):
    school = OrganisationChoice(label=_("School"), queryset=Organisation.objects.none())
    pupil_name = forms.CharField(
        label=_("Pupil's full name"),
        max_length=200,
        help_text=_("Kept inside the school. The workplace sees the first name and the period."),
    )
    starts_on = _date(_("From"))
    ends_on = _date(_("To"))
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=10_000)
    goals = forms.CharField(
        label=_("Goals (local curriculum)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tasks = forms.CharField(
        label=_("Tasks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, schools: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    comment = forms.CharField(
        label=_("How it went"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    would_take_apprentice = forms.TypedChoiceField(
        label=_("Would the workplace take the pupil as an apprentice?"),
        choices=[("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )


class AgreementChoice(IdModelChoiceField):
    def label_from_instance(self, obj: Agreement) -> str:  # type: ignore[override]
        return f"{obj.partnership.name}: {obj.title}"


class HospiteringForm(forms.Form):
    partnership: IdModelChoiceField = IdModelChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none(), widget=CachedSelect
    )
    asked_by_side = forms.ChoiceField(
        label=_("Who asks"),
        choices=[
            (Side.SCHOOL, _("A teacher asks for days in a workplace")),
            (Side.WORKPLACE, _("A workplace offers days to teachers")),
        ],
    )
    # Every accepted party of every partnership of the asker: hundreds for a busy school.
    school = OrganisationChoice(
        label=_("School"),
        queryset=Organisation.objects.none(),
        widget=SearchPicker(search=ORGANISATION_SEARCH),
    )
    workplace = OrganisationChoice(
        label=_("Workplace"),
        queryset=Organisation.objects.none(),
        widget=SearchPicker(search=ORGANISATION_SEARCH),
    )
    participant = forms.CharField(label=_("Participant"), max_length=200)
    starts_on = _date(_("From"))
    ends_on = _date(_("To"))
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=60)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}))
    agreement = AgreementChoice(
        label=_("Under the agreement"),
        queryset=Agreement.objects.none(),
        required=False,
        widget=CachedSelect,
    )

    def __init__(self, *args: Any, partnerships: Any, organisations: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]
        self.fields["agreement"].queryset = Agreement.objects.filter(  # type: ignore[attr-defined]
            partnership__in=partnerships
        ).select_related("partnership")
        self.fields["school"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["workplace"].queryset = organisations  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    side = forms.ChoiceField(label=_("Report for"), choices=Side.choices)
    report = forms.CharField(
        label=_("Report"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class TradesImportForm(forms.Form):
    file = forms.FileField(label=_("Trades file (CSV UTF-8 or XLSX)"))
    apply = forms.BooleanField(label=_("Import now if the file has no errors"), required=False)


class SupplyDemandForm(forms.Form):
    county = forms.ChoiceField(label=_("County"), required=False)
    year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False)

    def __init__(self, *args: Any, counties: Any, years: list[int], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["county"].choices = [("", _("The whole country"))] + [  # type: ignore[attr-defined]
            (c.number, c.name) for c in counties
        ]
        self.fields["year"].choices = [(y, f"{y}–{y + 1}") for y in years]  # type: ignore[attr-defined]
