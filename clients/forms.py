"""Forms check the shape of the input; the rules live in clients.services, whose
ValidationErrors are put back on the form beside the field they name."""

from __future__ import annotations

import datetime as dt

from django import forms

from accounts.models import User
from clients.models import Client, Contact, Enrollment, FamilyMember
from serviceplans.models import Goal, ServicePlan

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DuplicateSearchForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(required=False, widget=DATE_INPUT)


class ClientForm(forms.ModelForm):
    record_number = forms.CharField(
        max_length=20,
        required=False,
        help_text="Leave blank to generate one; enter an existing number only for a record "
        "brought over from another system.",
    )

    class Meta:
        model = Client
        fields = [
            "record_number",
            "first_name",
            "middle_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "gender_identity",
            "primary_language",
            "interpreter_needed",
            "phone",
            "email",
            "address_line",
            "city",
            "state",
            "postal_code",
        ]
        widgets = {"date_of_birth": DATE_INPUT}

    def _post_clean(self) -> None:
        # The model's own checks (uniqueness among them) run in the service, which knows
        # whether the record number is generated; the forms here only shape the input.
        pass


class ClientEditForm(ClientForm):
    record_number = None  # fixed once registered

    class Meta(ClientForm.Meta):
        fields = [f for f in ClientForm.Meta.fields if f != "record_number"]


class FamilyMemberForm(forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = [
            "first_name",
            "last_name",
            "relationship",
            "date_of_birth",
            "is_guardian",
            "lives_in_household",
            "takes_part_in_planning",
            "phone",
        ]
        widgets = {"date_of_birth": DATE_INPUT}


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
        ]
        widgets = {"application_date": DATE_INPUT}

    def __init__(self, *args: object, case_managers: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["program"].queryset = self.fields["program"].queryset.filter(is_active=True)
        self.fields["case_manager"].queryset = User.objects.filter(
            pk__in=[u.pk for u in case_managers]
        )

    def _post_clean(self) -> None:
        pass


class EnrollmentEditForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = [
            "continuum_stage",
            "case_management_model",
            "presenting_issue",
            "eligibility_note",
        ]


class EnrollmentTransferForm(forms.Form):
    case_manager = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args: object, case_managers: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["case_manager"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in case_managers]
        )


class EnrollmentCloseForm(forms.Form):
    closed_on = forms.DateField(widget=DATE_INPUT, initial=dt.date.today)
    close_reason = forms.ChoiceField(choices=Enrollment.CloseReason.choices)
    close_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


MINUTES_INPUT = forms.NumberInput(attrs={"min": 0, "max": 1440})


class ContactCorrectForm(forms.ModelForm):
    """The fields of a contact that its author may correct within the 24-hour window."""

    # Plain integers: the service gives the message for negative or over-24-hour minutes.
    duration_minutes = forms.IntegerField(label="Duration (minutes)", widget=MINUTES_INPUT)
    travel_minutes = forms.IntegerField(label="Travel (minutes)", initial=0, widget=MINUTES_INPUT)

    class Meta:
        model = Contact
        fields = [
            "occurred_at",
            "contact_type",
            "duration_minutes",
            "travel_minutes",
            "participants",
            "location",
            "note",
        ]
        widgets = {"occurred_at": DATETIME_INPUT, "note": forms.Textarea(attrs={"rows": 5})}
        labels = {"occurred_at": "Date and time"}

    def _post_clean(self) -> None:
        pass


class ContactForm(ContactCorrectForm):
    """The contact modal: a new contact on one of the enrollments the user may write to, and
    the goals of its active service plan that the contact served.

    The goals of every offered enrollment's active plan are listed (labelled with the program
    when there are several enrollments); serviceplans.services.contact_goals_check decides
    which goals fit the chosen enrollment and when one is required.
    """

    goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Goals served",
        help_text="Goals of the active service plan; clinical contacts serve at least one.",
    )

    class Meta(ContactCorrectForm.Meta):
        fields = [
            "enrollment",
            "occurred_at",
            "contact_type",
            "goals",
            *(
                f
                for f in ContactCorrectForm.Meta.fields
                if f not in ("occurred_at", "contact_type")
            ),
        ]

    def __init__(self, *args: object, enrollments: list[Enrollment], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["enrollment"]
        field.queryset = Enrollment.objects.filter(  # type: ignore[attr-defined]
            pk__in=[e.pk for e in enrollments]
        ).select_related("program")
        field.label_from_instance = lambda e: str(e.program)  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]
        goals = self.fields["goals"]
        goals.queryset = (  # type: ignore[attr-defined]
            Goal.objects.filter(
                plan__enrollment__in=[e.pk for e in enrollments],
                plan__status=ServicePlan.Status.ACTIVE,
            )
            .select_related("plan__enrollment__program")
            .order_by("plan__enrollment__program__name", "plan__enrollment_id", "id")
        )
        goals.label_from_instance = (  # type: ignore[attr-defined]
            _goal_label_with_program if len(enrollments) > 1 else _goal_label
        )
        if not goals.queryset.exists():  # type: ignore[attr-defined]
            # No active plan yet: nothing to choose, and the service needs no goal.
            del self.fields["goals"]


def _goal_label(goal: Goal) -> str:
    """The goal in the client's own words, and its status unless it is still being worked on."""
    if goal.status == Goal.Status.ACTIVE:
        return goal.client_words
    return f"{goal.client_words} ({goal.get_status_display().lower()})"


def _goal_label_with_program(goal: Goal) -> str:
    return f"{goal.plan.enrollment.program.name}: {_goal_label(goal)}"


class AddendumForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
