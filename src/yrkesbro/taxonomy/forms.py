from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue.models import NationalPlan
from yrkesbro.core.inputs import IdModelMultipleChoiceField
from yrkesbro.taxonomy.models import AreaField


class AreaForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    field = forms.ChoiceField(label=_("Field"), choices=AreaField.choices)
    name_nb = forms.CharField(label=_("Name (bokmål)"), max_length=200)
    name_nn = forms.CharField(label=_("Name (nynorsk)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    synonyms = forms.CharField(
        label=_("Synonyms"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Other words people use, comma-separated."),
    )
    national_plans = IdModelMultipleChoiceField(
        label=_("National plans that cover this area"),
        queryset=NationalPlan.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    is_active = forms.BooleanField(label=_("Active (can be chosen for new needs)"), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
