"""Forms of the supervision note pages. They shape the input; supervision.services decides
(who may write, the client's team, dates, a risk screen of another client, a family member
of another client, an inactive provider) and its ValidationErrors come back onto the form.

A note's ``cleaned_data`` is the keyword arguments of ``note_write``; its follow-up tasks and
a case conference's participants are formsets, handed to the same call as lists of rows
(:func:`task_rows`, supervision.forms.conferences.participant_rows), so the note and its rows
are saved together or not at all.
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.text import Truncator

from accounts.models import User
from casemgmt.dates import today
from clients.forms.widgets import DATE_INPUT
from clients.models import Enrollment
from serviceplans.models import Goal, PlanAction, RiskAlert
from supervision.models import ConcernCategory, SupervisionNote

NOTE_INPUT = forms.Textarea(attrs={"rows": 4})
SHORT_INPUT = forms.Textarea(attrs={"rows": 2})


def enrollment_label(enrollment: Enrollment) -> str:
    """The client, the program and the case manager: how a supervisor picks the case.
    ``client``, ``program`` and ``case_manager`` should be selected with it."""
    return (
        f"{enrollment.client.display_name} · {enrollment.program.name} ({enrollment.case_manager})"
    )


class NoteForm(forms.Form):
    """A supervision note (supervision.services.note_write), or with ``conference`` a case
    conference, which adds the goals and objectives agreed.

    ``enrollment`` fixes the client (the page was opened for it, or for its risk screen) and
    hides the choice; otherwise the supervisor picks among the open enrollments of the teams
    they supervise. The staff member defaults to the enrollment's case manager."""

    kind = forms.ChoiceField(label="Kind of supervision")
    enrollment = forms.ModelChoiceField(
        queryset=Enrollment.objects.none(),
        required=False,
        label="Client",
        empty_label="— no client (clinical supervision session) —",
    )
    staff_supervised = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Case manager supervised",
        empty_label="— the client's case manager —",
    )
    held_on = forms.DateField(label="Held on", widget=DATE_INPUT, initial=today)
    concerns = forms.MultipleChoiceField(
        choices=ConcernCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Concerns",
        help_text="The crisis situations discussed (the risk screen's categories).",
    )
    discussion = forms.CharField(widget=NOTE_INPUT, label="Discussion")
    recommendations = forms.CharField(widget=NOTE_INPUT, required=False, label="Recommendations")
    agreed_goals = forms.CharField(
        widget=NOTE_INPUT,
        required=False,
        label="Goals and objectives agreed",
        help_text="What the conference agreed for the client and family; who does each task "
        "is below.",
    )
    risk_alert = forms.ModelChoiceField(
        queryset=RiskAlert.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        viewer: User,
        team_ids: frozenset[int],
        enrollment: Enrollment | None,
        conference: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        Kind = SupervisionNote.Kind
        # The fields declared above (``self.fields`` holds them as plain Field).
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        enrollment_field = cast(forms.ModelChoiceField, self.fields["enrollment"])
        staff_field = cast(forms.ModelChoiceField, self.fields["staff_supervised"])
        alert_field = cast(forms.ModelChoiceField, self.fields["risk_alert"])
        if conference:
            # A case conference is about one client: the page is opened for it.
            del self.fields["kind"]
            self.fields["enrollment"].required = True
        else:
            del self.fields["agreed_goals"]
            kind_field.choices = [
                (value, label) for value, label in Kind.choices if value != Kind.CASE_CONFERENCE
            ]
            kind_field.initial = Kind.CASE_SPECIFIC
        if enrollment is not None:
            enrollment_field.queryset = Enrollment.objects.filter(pk=enrollment.pk)
            enrollment_field.widget = forms.HiddenInput()
            # Fixed by the page's address: whatever a POST says, this is the client.
            enrollment_field.disabled = True
            self.initial["enrollment"] = enrollment.pk
            alert_field.queryset = RiskAlert.objects.visible_to(viewer).filter(
                risk_screen__enrollment=enrollment
            )
        else:
            offered = list(
                Enrollment.objects.open()
                .filter(team_id__in=team_ids)
                .select_related("client", "program", "case_manager")
                .order_by("client__last_name", "client__first_name", "pk")
            )
            enrollment_field.queryset = Enrollment.objects.open().filter(team_id__in=team_ids)
            enrollment_field.widget.choices = [
                ("", enrollment_field.empty_label),
                *((e.pk, enrollment_label(e)) for e in offered),
            ]
        staff = list(
            User.objects.filter(role="case_manager", is_active=True, team_id__in=team_ids)
            .select_related("team")
            .order_by("last_name", "first_name", "username")
        )
        staff_field.queryset = User.objects.filter(pk__in=[u.pk for u in staff])
        several_teams = len({u.team_id for u in staff}) > 1
        staff_field.widget.choices = [
            ("", staff_field.empty_label),
            *((u.pk, f"{u} ({u.team})" if several_teams else str(u)) for u in staff),
        ]

    def clean_concerns(self) -> list[str]:
        return list(self.cleaned_data["concerns"])


class TaskForm(forms.Form):
    """One follow-up task: what, by when, and who does it (named when not the case manager
    or the client)."""

    description = forms.CharField(widget=SHORT_INPUT, required=False, label="Follow-up task")
    due_on = forms.DateField(widget=DATE_INPUT, required=False, label="Due by")
    responsible = forms.ChoiceField(
        choices=PlanAction.Responsible.choices,
        initial=PlanAction.Responsible.CASE_MANAGER,
        label="Who does it",
    )
    responsible_name = forms.CharField(
        max_length=150,
        required=False,
        label="Name",
        help_text="The family member, provider or person.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("description", "").strip() and not data.get("due_on"):
            self.add_error("due_on", "Give the date it is due.")
        if data.get("due_on") and not data.get("description", "").strip():
            self.add_error("description", "Say what is to be done.")
        return data


TaskFormSet = forms.formset_factory(TaskForm, extra=3)


def task_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The tasks typed into a valid formset; rows left blank are left out."""
    return [
        row
        for row in formset.cleaned_data
        if row and (row.get("description", "").strip() or row.get("due_on"))
    ]


class TaskToPlanForm(forms.Form):
    """The goal of the client's service plan a follow-up task is added under
    (supervision.services.task_add_to_plan)."""

    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        label="Under the goal",
        error_messages={
            "required": "Choose the goal of the service plan it serves.",
            "invalid_choice": "Choose a goal of this client's service plan.",
        },
    )

    def __init__(self, *args: Any, enrollment_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The fields declared above (``self.fields`` holds them as plain Field).
        goal_field = cast(forms.ModelChoiceField, self.fields["goal"])
        # A clinical supervision session names no client: no plan to add to.
        goal_field.queryset = (
            Goal.objects.none()
            if enrollment_id is None
            else Goal.objects.filter(plan__enrollment_id=enrollment_id)
        )


def goal_choice_label(goal: Goal) -> str:
    return f"“{Truncator(goal.client_words).chars(70)}”"


class NoteFilter(django_filters.FilterSet):
    """The note list's filters: kind, acknowledged or not, one client."""

    kind = django_filters.ChoiceFilter(
        label="Kind", choices=SupervisionNote.Kind.choices, empty_label="Every kind"
    )
    acknowledged = django_filters.ChoiceFilter(
        label="Acknowledgement",
        choices=[("no", "Awaiting acknowledgement"), ("yes", "Acknowledged")],
        empty_label="Any",
        method="filter_acknowledged",
    )
    client = django_filters.NumberFilter(field_name="enrollment__client", widget=forms.HiddenInput)

    class Meta:
        model = SupervisionNote
        fields: list[str] = []

    def filter_acknowledged(
        self, queryset: QuerySet[SupervisionNote], name: str, value: str
    ) -> QuerySet[SupervisionNote]:
        if value not in ("yes", "no"):
            return queryset
        return queryset.filter(acknowledged_on__isnull=value == "no")
