"""Web forms for collaboration structures. Rules live in the services; forms parse input."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import (
    ActionStatus,
    Bindingness,
    Cadence,
    ContactKind,
    Forum,
    Level,
    MeetingStatus,
    Partnership,
    StructureType,
)
from yrkesbro.collaboration.selectors import accepted_party_organisations, pickable_people
from yrkesbro.core.inputs import IdField, IdModelChoiceField, IdModelMultipleChoiceField
from yrkesbro.core.pickers import ORGANISATION_SEARCH, SearchPicker, SearchPickerMultiple
from yrkesbro.core.policies import Actor, Capability, organisation_ids_with
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

#: What an organisation picker searches: the name, other official names and numbers.


def _queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class UserChoice(IdModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class UserMultipleChoice(IdModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def party_members(partnership: Partnership) -> Any:
    return pickable_people(partnership)


def party_orgs(partnership: Partnership) -> Any:
    return accepted_party_organisations(partnership)


class PartnershipForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 4}))
    structure_type = IdModelChoiceField(
        label=_("Structure type"), queryset=StructureType.objects.all(), required=False
    )
    bindingness = forms.ChoiceField(
        label=_("Bindingness"),
        choices=[("", _("As the structure type says")), *Bindingness.choices],
        required=False,
        help_text=_("How binding the collaboration is. Leave empty to follow the structure type."),
    )
    competence_areas = IdModelMultipleChoiceField(
        label=_("Competence areas"),
        queryset=CompetenceArea.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    trades = forms.CharField(
        label=_("Trades"), max_length=500, required=False, help_text=_("Comma-separated.")
    )
    is_public = forms.BooleanField(
        label=_("Anyone may see that this partnership exists and who its parties are"),
        required=False,
        initial=True,
    )

    def data_for_service(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in ("name", "purpose", "trades", "is_public")}
        data["structure_type"] = self.cleaned_data["structure_type"]
        if self.cleaned_data["bindingness"]:
            data["bindingness"] = self.cleaned_data["bindingness"]
        elif not data["structure_type"]:
            data["bindingness"] = Bindingness.INFORMAL
        return data


class PartnershipCreateForm(PartnershipForm):
    own = IdModelChoiceField(label=_("Your organisation"), queryset=Organisation.objects.none())
    partners = IdModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        widget=SearchPickerMultiple(search=ORGANISATION_SEARCH),
        help_text=_("One or more."),
    )

    field_order = ["own", "partners", "name", "purpose"]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(
            self,
            "own",
            Organisation.objects.filter(
                id__in=organisation_ids_with(actor, Capability.EDIT_CONTENT)
            ).order_by("name"),
        )


class StructureTypeForm(forms.Form):
    owner = IdModelChoiceField(label=_("County"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    bindingness = forms.ChoiceField(label=_("Bindingness"), choices=Bindingness.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(
            self,
            "owner",
            Organisation.objects.filter(
                kind=Kind.COUNTY, id__in=organisation_ids_with(actor, Capability.EDIT_CONTENT)
            ),
        )


class PartyForm(forms.Form):
    organisation = IdModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        widget=SearchPicker(search=ORGANISATION_SEARCH),
    )
    role = forms.CharField(label=_("Role in the partnership"), max_length=200, required=False)


class RepresentativeForm(forms.Form):
    organisation = IdModelChoiceField(label=_("Party"), queryset=Organisation.objects.none())
    user = UserChoice(label=_("Person"), queryset=User.objects.none())
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    title = forms.CharField(label=_("Title or task"), max_length=200, required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "organisation", party_orgs(partnership))
        _queryset(self, "user", party_members(partnership))


class LiaisonForm(forms.Form):
    user = UserChoice(label=_("Person"), queryset=User.objects.none())
    note = forms.CharField(label=_("What the person links"), max_length=300, required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "user", party_members(partnership))


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 4}))
    meeting_cadence = forms.ChoiceField(
        label=_("Meeting cadence"),
        choices=[("", _("None agreed")), *Cadence.choices],
        required=False,
    )
    starts_on = forms.DateField(label=_("Valid from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Valid until"), widget=DateInput())
    contacts = forms.CharField(
        label=_("Contacts"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signatories = forms.CharField(
        label=_("Signatories"),
        required=False,
        help_text=_("Who signs for each party (name and title)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = list(party_orgs(partnership))
        for org in self.parties:
            self.fields[f"commitment_{org.pk}"] = forms.CharField(
                label=_("Commitments of %(org)s") % {"org": org.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def version_data(self) -> dict[str, Any]:
        keys = ("purpose", "meeting_cadence", "starts_on", "ends_on", "contacts", "signatories")
        return {k: self.cleaned_data[k] for k in keys}

    def commitments(self) -> dict[int, str]:
        return {org.pk: self.cleaned_data[f"commitment_{org.pk}"] for org in self.parties}


class SignForm(forms.Form):
    organisation = IdModelChoiceField(
        label=_("Sign on behalf of"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "organisation", organisations)


class ForumForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mandate = forms.CharField(label=_("Mandate"), widget=forms.Textarea(attrs={"rows": 4}))
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices)
    started_on = forms.DateField(label=_("Meets since"), widget=DateInput())
    organisations = IdModelMultipleChoiceField(
        label=_("Member organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = UserMultipleChoice(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "organisations", party_orgs(partnership))
        _queryset(self, "people", party_members(partnership))

    def forum_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("name", "mandate", "cadence", "started_on")}


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(
        label=_("Video link"), max_length=200, required=False, assume_scheme="https"
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    attendees = UserMultipleChoice(
        label=_("Present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    other_attendees = forms.CharField(label=_("Others present"), max_length=500, required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "attendees", party_members(partnership))

    def meeting_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "attendees"}


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = UserChoice(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "owner", party_members(partnership))


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(
        label=_("What it was about"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OverviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=200, required=False)
    structure_type = IdModelChoiceField(
        label=_("Structure type"), queryset=StructureType.objects.none(), required=False
    )
    bindingness = forms.ChoiceField(
        label=_("Bindingness"), choices=[("", _("All")), *Bindingness.choices], required=False
    )
    cadence = forms.ChoiceField(
        label=_("Cadence"),
        choices=[("", _("All")), ("kept", _("Keeps its cadence")), ("missed", _("Misses it"))],
        required=False,
    )

    def __init__(self, *args: Any, county: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "structure_type", StructureType.objects.filter(owner=county))


class RemoveForm(forms.Form):
    """Which representative, liaison or party to remove: strict ids, 400 on anything else."""

    representative = IdField(required=False)
    liaison = IdField(required=False)
    party = IdField(required=False)


class LeaveForm(forms.Form):
    organisation = IdField()


class CalendarFeedForm(forms.Form):
    """Which meetings a new calendar link carries: all of the person's, or one forum's. The
    forum is a searchable picker: an organisation in many partnerships sees hundreds."""

    forum = IdModelChoiceField(
        label=_("Feed"),
        queryset=Forum.objects.none(),
        required=False,
        widget=SearchPicker(
            search=("name",),
            order_by=("name", "pk"),
            none_label=_("All my meetings and actions"),
        ),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["forum"]).queryset = Forum.objects.visible_to(
            actor
        ).order_by("name", "pk")
