"""Forms of the referral pages. They shape the input; referrals.services decides (an inactive
provider, a service of another provider, a goal outside the active plan, an illegal step, a
missing consent), and its ValidationErrors come back onto the form
(casemgmt.service_forms). Each form's ``cleaned_data`` is the keyword arguments of its
service."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.utils.text import Truncator

from casemgmt.dates import today
from clients.forms.widgets import DATE_INPUT
from clients.models import Enrollment
from referrals.models import (
    InformationCategory,
    Provider,
    ProviderService,
    Referral,
    ReferralStatus,
)
from serviceplans.models import Goal

NOTE_INPUT = forms.Textarea(attrs={"rows": 3})


def provider_label(provider: Provider) -> str:
    """What a case manager chooses a provider by: its services, languages, Medicaid and wait.
    ``provider.services`` should be prefetched."""
    services = sorted({s.get_service_type_display() for s in provider.services.all()})
    parts = [provider.name]
    if services:
        parts.append(", ".join(services))
    if provider.languages:
        parts.append(", ".join(provider.languages))
    if provider.waitlist_weeks is not None:
        weeks = provider.waitlist_weeks
        parts.append(f"wait {weeks} week{'s' if weeks != 1 else ''}")
    if provider.accepts_medicaid:
        parts.append("Medicaid")
    return " · ".join(parts)


def goal_label(goal: Goal, *, with_program: bool) -> str:
    words = f"“{Truncator(goal.client_words).chars(80)}”"
    return f"{goal.plan.enrollment.program.name}: {words}" if with_program else words


class EnrollmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enrollment) -> str:
        return f"{obj.program.name} (applied {obj.application_date:%Y-%m-%d})"


class ReferralForm(forms.Form):
    """A new referral (referrals.services.referral_create).

    The provider and service lists show the active providers (narrowed by the finder on the
    page); they accept any provider, so that the service, not the form, says why an inactive
    one is refused.
    """

    enrollment = EnrollmentChoiceField(queryset=Enrollment.objects.none(), label="Enrollment")
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label="Plan goal",
        empty_label="— not linked to a goal —",
        help_text="The goal of the active service plan this referral serves.",
    )
    provider = forms.ModelChoiceField(queryset=Provider.objects.all(), label="Provider")
    service = forms.ModelChoiceField(
        queryset=ProviderService.objects.all(),
        required=False,
        label="Service",
        help_text="One of the chosen provider's services.",
    )
    reason = forms.CharField(widget=NOTE_INPUT, label="Reason for referral")
    urgency = forms.ChoiceField(choices=Referral.Urgency.choices, initial=Referral.Urgency.ROUTINE)
    client_readiness = forms.CharField(
        max_length=200,
        required=False,
        label="The client's readiness",
        help_text="Stage of change, and what the client said about going.",
    )
    barriers = forms.CharField(
        widget=NOTE_INPUT,
        required=False,
        label="Barriers",
        help_text="What could keep the client from getting there, and the plan for it.",
    )
    shares_information = forms.BooleanField(
        required=False,
        initial=True,
        label="Shares the client's information with the provider",
        help_text="Untick when the client contacts the provider themself and nothing is sent; "
        "sharing needs a release of information that covers it.",
    )
    categories = forms.MultipleChoiceField(
        choices=InformationCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Information shared",
        initial=[InformationCategory.IDENTIFYING],
    )

    def __init__(
        self,
        *args: Any,
        enrollments: Sequence[Enrollment],
        goals: Sequence[Goal],
        providers: Sequence[Provider],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The fields declared above, as their own classes (``self.fields`` holds plain Fields).
        enrollment_field = cast(forms.ModelChoiceField, self.fields["enrollment"])
        enrollment_field.queryset = Enrollment.objects.filter(
            pk__in=[e.pk for e in enrollments]
        ).select_related("program")
        several = len(enrollments) > 1
        goal_field = cast(forms.ModelChoiceField, self.fields["goal"])
        goal_field.queryset = Goal.objects.filter(pk__in=[g.pk for g in goals])
        goal_field.widget.choices = [
            ("", goal_field.empty_label),
            *((g.pk, goal_label(g, with_program=several)) for g in goals),
        ]
        # Shown: the providers given (active ones); accepted: any, for the service to judge.
        self.fields["provider"].widget.choices = [
            ("", "— choose a provider —"),
            *((p.pk, provider_label(p)) for p in providers),
        ]
        self.fields["service"].widget.choices = [
            ("", "— not specified —"),
            *(
                (p.name, [(s.pk, str(s)) for s in p.services.all()])
                for p in providers
                if p.services.all()
            ),
        ]


def _in_lifecycle_order(statuses: Iterable[str]) -> list[tuple[str, str]]:
    wanted = set(statuses)
    return [(value, label) for value, label in ReferralStatus.choices if value in wanted]


class ReferralTransitionForm(forms.Form):
    """The next step of a referral (referrals.services.referral_transition), offering only
    the steps allowed from its state (referrals.transitions.allowed_next)."""

    to_status = forms.ChoiceField(label="Next step")
    occurred_on = forms.DateField(label="Date", widget=DATE_INPUT, initial=today)
    note = forms.CharField(
        widget=NOTE_INPUT,
        required=False,
        label="Note",
        help_text="When closing, the outcome.",
    )

    def __init__(self, *args: Any, allowed: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field declared above (``self.fields`` holds plain Fields).
        to_status = cast(forms.ChoiceField, self.fields["to_status"])
        to_status.choices = _in_lifecycle_order(allowed)


class ReferralFollowUpForm(forms.Form):
    follow_up_due_on = forms.DateField(label="Follow up by", widget=DATE_INPUT)
