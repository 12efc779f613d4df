"""Opening, editing, transferring and closing an enrollment (an episode of care)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from accounts.models import User
from casemgmt.dates import today
from clients.forms.widgets import DATE_INPUT
from clients.models import Enrollment, Program
from clients.services import ENROLLMENT_EDITABLE


def _offer_case_managers(form: forms.BaseForm, case_managers: list[User]) -> None:
    field = cast(forms.ModelChoiceField, form.fields["case_manager"])
    field.queryset = User.objects.filter(pk__in=[u.pk for u in case_managers])


class EnrollmentOpenForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = [
            "program",
            "case_manager",
            "application_date",
            "continuum_stage",
            "case_management_model",
            "presenting_issue",
            "eligibility_note",
            "prior_discharge_on",
            "prior_discharge_from",
        ]
        widgets = {"application_date": DATE_INPUT, "prior_discharge_on": DATE_INPUT}

    def __init__(self, *args: Any, case_managers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A model form's foreign keys are ModelChoiceFields.
        program = cast(forms.ModelChoiceField, self.fields["program"])
        program.queryset = Program.objects.filter(is_active=True)
        _offer_case_managers(self, case_managers)

    def _post_clean(self) -> None:
        pass


class EnrollmentEditForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = list(ENROLLMENT_EDITABLE)
        widgets = {"prior_discharge_on": DATE_INPUT}

    def _post_clean(self) -> None:
        # enrollment_update decides (a discharge without its kind is a field error there), and
        # the view's instance stays as it was read.
        pass


class EnrollmentTransferForm(forms.Form):
    case_manager = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args: Any, case_managers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_case_managers(self, case_managers)


class EnrollmentCloseForm(forms.Form):
    closed_on = forms.DateField(widget=DATE_INPUT, initial=today)
    close_reason = forms.ChoiceField(choices=Enrollment.CloseReason.choices)
    close_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
