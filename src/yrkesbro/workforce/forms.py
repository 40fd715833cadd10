"""Forms of the workforce pages; the services decide what is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue.models import Programme
from yrkesbro.core.inputs import IdField, IdModelChoiceField, IdModelMultipleChoiceField
from yrkesbro.core.pickers import SearchPicker, SearchPickerMultiple
from yrkesbro.needs.models import ServiceArea
from yrkesbro.workforce.models import (
    MAX_SALARY_STEP,
    CostsCovered,
    Employee,
    InterruptionReason,
    JobGroup,
    NewTask,
)

BLANK = [("", "–")]


class DateInput(forms.DateInput):
    input_type = "date"


class EmployeeForm(forms.Form):
    full_name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.CharField(max_length=254, required=False, label=_("E-mail address"))
    service_area = forms.ChoiceField(choices=ServiceArea.choices, label=_("Service area"))
    unit = forms.CharField(max_length=200, required=False, label=_("Unit"))
    job_group = forms.ChoiceField(
        choices=BLANK + list(JobGroup.choices), required=False, label=_("Job group")
    )
    user: IdModelChoiceField = IdModelChoiceField(
        queryset=Employee.objects.none(),  # replaced by the organisation's members
        # A search, not a list of every member: a big employer has hundreds.
        widget=SearchPicker(search=("full_name", "username")),
        required=False,
        label=_("The employee's own user account (lets them read their record)"),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = members


class ProgrammeChoice(IdModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.school.name})"


class EnrolForm(forms.Form):
    """Enrol one or more of the organisation's employees on the same programme."""

    employees: IdModelMultipleChoiceField = IdModelMultipleChoiceField(
        queryset=Employee.objects.none(),
        widget=SearchPickerMultiple(search=("full_name", "unit")),
        label=_("Employees"),
    )
    programme = ProgrammeChoice(
        queryset=Programme.objects.none(),
        widget=SearchPicker(search=("title", "code", "school__name")),
        required=False,
        label=_("Programme (when not from an accepted offer)"),
    )
    request = IdField(required=False, widget=forms.HiddenInput)
    enrolled_on = forms.DateField(widget=DateInput, label=_("Enrolled on"))
    over_seats_reason = forms.CharField(
        max_length=300,
        required=False,
        label=_("Reason for enrolling beyond the agreed seats"),
    )

    def __init__(self, *args: Any, employees: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["employees"]).queryset = employees
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes


class EndForm(forms.Form):
    ended_on = forms.DateField(widget=DateInput, label=_("Date"))
    interruption_reason = forms.ChoiceField(
        choices=BLANK + list(InterruptionReason.choices),
        required=False,
        label=_("Reason for interruption"),
    )


class OutcomeForm(forms.Form):
    tasks = forms.MultipleChoiceField(
        choices=NewTask.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("New tasks or responsibility"),
    )
    tasks_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        label=_("About the new tasks"),
    )
    new_title = forms.CharField(max_length=200, required=False, label=_("New title"))
    job_group_before = forms.ChoiceField(
        choices=BLANK + list(JobGroup.choices), required=False, label=_("Job group before")
    )
    job_group_after = forms.ChoiceField(
        choices=BLANK + list(JobGroup.choices), required=False, label=_("Job group after")
    )
    salary_step_nok = forms.IntegerField(
        min_value=0,
        max_value=MAX_SALARY_STEP,
        required=False,
        label=_("Salary increase (NOK a year, leave empty if none)"),
    )


class CommentForm(forms.Form):
    employee_comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        label=_("Your comment"),
    )


class PolicyForm(forms.Form):
    paid_leave_days = forms.IntegerField(
        min_value=0, max_value=365, initial=0, label=_("Paid study leave (days a year)")
    )
    costs_covered = forms.ChoiceField(choices=CostsCovered.choices, label=_("Costs covered"))
    study_material = forms.BooleanField(required=False, label=_("Study material paid"))
    binding_months = forms.IntegerField(
        min_value=0, max_value=60, initial=0, label=_("Binding period after completion (months)")
    )
    decided_by = forms.CharField(max_length=200, required=False, label=_("Who decides"))
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
        label=_("More about the policy"),
    )
    is_published = forms.BooleanField(required=False, label=_("Published to staff"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
