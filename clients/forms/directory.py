"""The client directory's search and filters (/clients/, clients.views.directory)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from accounts.models import User
from accounts.selectors import case_managers_of_teams, team_ids_readable_by, teams_visible_to
from clients import selectors
from clients.models import Client, Program


class ClientDirectoryFilter(django_filters.FilterSet):
    """Search by name, record number, date of birth or phone; narrow by program, status, team
    and case manager. The teams and case managers offered are the viewer's own scope, so an
    id from elsewhere (or not a number) is a form error, never a 500.

    The filters are not applied one by one: program, team, case manager and status describe
    the same enrollment, so :meth:`filter_queryset` hands them all to
    ``clients.selectors.client_directory``, which starts from ``Client.objects.visible_to``
    like the queryset given here."""

    # CharField refuses a NUL character ("Null characters are not allowed.") by itself.
    q = django_filters.CharFilter(
        label="Search",
        max_length=selectors.DIRECTORY_SEARCH_MAX_LENGTH,
        help_text="A name, a record number, a date of birth (1980-03-07 or 03/07/1980) or a "
        "phone number.",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Name, record, birth date, phone"}
        ),
    )
    program = django_filters.ModelChoiceFilter(
        label="Program", queryset=Program.objects.order_by("name"), empty_label="Every program"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=selectors.DirectoryStatus.choices, empty_label="Any status"
    )
    team = django_filters.ModelChoiceFilter(label="Team", queryset=None, empty_label="Every team")
    case_manager = django_filters.ModelChoiceFilter(
        label="Case manager", queryset=None, empty_label="Any case manager"
    )

    class Meta:
        model = Client
        fields: list[str] = []

    def __init__(self, data: QueryDict | None, *, viewer: User) -> None:
        self.viewer = viewer
        # Always bound, so that a first visit (no query string) lists every client too.
        super().__init__(
            data if data is not None else QueryDict(),
            queryset=Client.objects.visible_to(viewer),
        )
        self.filters["team"].queryset = teams_visible_to(viewer).order_by("name")
        self.filters["case_manager"].queryset = case_managers_of_teams(
            team_ids=team_ids_readable_by(viewer)
        ).order_by("last_name", "first_name")
        case_manager = self.form.fields["case_manager"]
        case_manager.label_from_instance = lambda user: f"{user} · {user.team.name}"

    @property
    def searching(self) -> bool:
        """Whether any search or filter was asked for (the page then leaves out the recent
        clients)."""
        return any(self.data.get(name) for name in self.filters)

    def filter_queryset(self, queryset: QuerySet[Client]) -> QuerySet[Client]:
        data: dict[str, Any] = self.form.cleaned_data
        program, team, case_manager = (
            data.get("program"),
            data.get("team"),
            data.get("case_manager"),
        )
        return selectors.client_directory(
            viewer=self.viewer,
            search=data.get("q") or "",
            program_id=program.pk if program else None,
            status=data.get("status") or "",
            team_id=team.pk if team else None,
            case_manager_id=case_manager.pk if case_manager else None,
        )
