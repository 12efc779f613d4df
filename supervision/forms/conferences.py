"""A case conference's participant rows: staff, the client's family, providers of the
directory, the client, or anyone else by name (supervision.services.note_write checks who)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from accounts.models import User
from clients.models import FamilyMember
from referrals.models import Provider
from supervision.models import ConferenceParticipant


class ParticipantForm(forms.Form):
    """One participant of a case conference: a member of staff, one of the client's family, a
    provider from the directory, the client, or anyone else by name, with their role."""

    kind = forms.ChoiceField(
        choices=[("", "—"), *ConferenceParticipant.Kind.choices], required=False, label="Who"
    )
    staff = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True), required=False, label="Staff"
    )
    family_member = forms.ModelChoiceField(
        queryset=FamilyMember.objects.none(), required=False, label="Family member"
    )
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.all(), required=False, label="Provider"
    )
    name = forms.CharField(max_length=150, required=False, label="Name")
    role = forms.CharField(max_length=150, required=False, label="Role")

    def __init__(
        self,
        *args: Any,
        staff: Sequence[User],
        family: Sequence[FamilyMember],
        providers: Sequence[Provider],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Offered: the region's staff, the client's family, active providers; the choices are
        # built once for every row (no query per row), and the service judges what is sent.
        # The fields declared above (``self.fields`` holds them as plain Field).
        family_field = cast(forms.ModelChoiceField, self.fields["family_member"])
        family_field.queryset = FamilyMember.objects.filter(pk__in=[m.pk for m in family])
        family_field.widget.choices = [
            ("", "—"),
            *(
                (m.pk, f"{m.first_name} {m.last_name} ({m.get_relationship_display().lower()})")
                for m in family
            ),
        ]
        self.fields["staff"].widget.choices = [
            ("", "—"),
            *((u.pk, f"{u} ({u.get_role_display()})") for u in staff),
        ]
        self.fields["provider"].widget.choices = [("", "—"), *((p.pk, p.name) for p in providers)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        Kind = ConferenceParticipant.Kind
        needs = {
            Kind.STAFF: ("staff", "Choose the member of staff."),
            Kind.FAMILY: ("family_member", "Choose the family member."),
            Kind.PROVIDER: ("provider", "Choose the provider."),
            Kind.OTHER: ("name", "Give the person's name."),
        }
        kind = data.get("kind")
        if kind in needs:
            field, message = needs[kind]
            if not data.get(field):
                self.add_error(field, message)
        elif not kind and any(data.get(f) for f in ("staff", "family_member", "provider", "name")):
            self.add_error("kind", "Say who this is.")
        return data


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=4)


def participant_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The participants chosen in a valid formset; rows left blank are left out."""
    return [row for row in formset.cleaned_data if row and row.get("kind")]
