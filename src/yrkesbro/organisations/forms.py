from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesbro.core.inputs import IdModelChoiceField
from yrkesbro.core.widgets import CachedSelect
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.organisations.validators import normalise_org_number, validate_org_number

REGISTERED_KINDS = [
    (k, label) for k, label in Kind.choices if k not in (Kind.COUNTY, Kind.MUNICIPALITY)
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or number"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args, counties=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        county_field = cast(forms.ChoiceField, self.fields["county"])
        county_field.choices = [("", _("All counties"))] + [(c.number, c.name) for c in counties]


class OrgNumberField(forms.CharField):
    def to_python(self, value):  # type: ignore[no-untyped-def]
        return normalise_org_number(super().to_python(value) or "")


class OrganisationProfileForm(forms.Form):
    org_number = OrgNumberField(
        label=_("Organisation number"),
        max_length=20,
        required=False,
        validators=[validate_org_number],
        help_text=_("Nine digits, as in the Brønnøysund Register Centre."),
    )
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class OrganisationCreateForm(OrganisationProfileForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=REGISTERED_KINDS)
    name = forms.CharField(label=_("Name"), max_length=200)
    municipality = IdModelChoiceField(
        label=_("Municipality"),
        queryset=Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True)
        .only("pk", "name")
        .order_by("name"),
        required=False,
        help_text=_("Where the organisation is located."),
        widget=CachedSelect,  # 357 options, rendered once per selection and language
    )

    field_order = ["kind", "name", "org_number", "municipality", "website", "description"]


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV or XLSX)"),
        help_text=_(
            "Columns: municipality_number, name, other_official_names, county_number, "
            "county_name, organisation_number, latitude, longitude."
        ),
    )
    apply = forms.BooleanField(
        label=_("Import now (leave unticked to check the file first)"), required=False
    )
    allow_shrink = forms.BooleanField(
        label=_("Allow the register to shrink (deactivate more than a tenth of it)"),
        required=False,
    )
