"""The contact modal's form: a new contact (clients) and the goals of the active service plan
it served (serviceplans), recorded together by serviceplans.services.contact_record_with_goals."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from clients import contact_rules
from clients.forms.contacts import ContactCorrectForm
from clients.models import Contact, Enrollment
from serviceplans.models import Goal, ServicePlan


class EnrollmentChoiceField(forms.ModelChoiceField):
    """An enrollment of the client, named by its program (the client is the page's)."""

    def label_from_instance(self, obj: Enrollment) -> str:
        return str(obj.program)


class GoalsChoiceField(forms.ModelMultipleChoiceField):
    """Goals in the client's own words, with their status unless still being worked on, and
    with their program when goals of several enrollments are offered."""

    with_program = False

    def label_from_instance(self, obj: Goal) -> str:
        label = obj.client_words
        if obj.status != Goal.Status.ACTIVE:
            label = f"{label} ({obj.get_status_display().lower()})"
        if self.with_program:
            return f"{obj.plan.enrollment.program.name}: {label}"
        return label


class ContactForm(ContactCorrectForm):
    """The contact modal: a new contact on one of the enrollments the user may write to, and
    the goals of its active service plan that the contact served.

    The goals of every offered enrollment's active plan are listed (labelled with the program
    when there are several enrollments); serviceplans.services.contact_goals_check decides
    which goals fit the chosen enrollment and when one is required.
    """

    enrollment = EnrollmentChoiceField(queryset=Enrollment.objects.none(), empty_label=None)
    # Empty rather than 0 (issue 11): a 0 nobody typed reads as "no travel" recorded on purpose.
    travel_minutes = forms.IntegerField(
        label="Travel (minutes)",
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": contact_rules.MAX_MINUTES}),
        help_text="Leave empty if you did not travel.",
    )
    goals = GoalsChoiceField(
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

    def __init__(self, *args: Any, enrollments: list[Enrollment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enrollment = cast(EnrollmentChoiceField, self.fields["enrollment"])
        enrollment.queryset = Enrollment.objects.filter(
            pk__in=[e.pk for e in enrollments]
        ).select_related("program")
        goals = cast(GoalsChoiceField, self.fields["goals"])
        goals.queryset = (
            Goal.objects.filter(
                plan__enrollment__in=[e.pk for e in enrollments],
                plan__status=ServicePlan.Status.ACTIVE,
            )
            .select_related("plan__enrollment__program")
            .order_by("plan__enrollment__program__name", "plan__enrollment_id", "id")
        )
        goals.with_program = len(enrollments) > 1
        self.plan_active = goals.queryset.exists()
        if not self.plan_active:
            # No active plan yet: nothing to choose, and the service needs no goal.
            del self.fields["goals"]
        self._mark_inputs()

    # Validation messages come from the server, in an announced summary with focus on the
    # first field in error (workspace/_contact_form.html, static/js/contact_modal.js), not
    # from the browser's bubbles; required fields say so with aria-required.
    use_required_attribute = False

    def _mark_inputs(self) -> None:
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"
        for name in ("duration_minutes", "travel_minutes"):
            # The phone's number pad for minutes.
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["contact_type"].widget.attrs["data-contact-type"] = ""
        self.fields["contact_type"].help_text = "What each type means is explained below."

    def clean_travel_minutes(self) -> int:
        return self.cleaned_data.get("travel_minutes") or 0

    def type_guide(self) -> list[dict[str, Any]]:
        """Each contact type with what it means and the rules it must meet before Save
        (clients.contact_rules, the same predicates the services check)."""
        chosen = self["contact_type"].value() or ""
        return [
            {
                "value": value,
                "label": label,
                "explanation": contact_rules.TYPE_EXPLANATIONS.get(str(value), ""),
                "rules": contact_rules.requirements(
                    contact_type=str(value), plan_active=self.plan_active
                ),
                "chosen": str(value) == str(chosen),
                "note_required": contact_rules.note_required(contact_type=str(value)),
            }
            for value, label in Contact.Type.choices
        ]
