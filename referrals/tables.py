"""The referrals app's exports (exports.tables): the referral list, the provider directory, the
consents expiring soon and a client's accounting of disclosures, each built for a viewer and the
page's query through the same parameters and the same selector as the page (every row, not one
page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from accounts.selectors import WorklistChoice
from casemgmt import dates
from casemgmt.service_forms import query_int
from exports.tables import (
    InvalidQuery,
    Table,
    cleaned_data,
    holds_part2,
    in_chunks,
    register,
    worklist_from_query,
)
from referrals import selectors
from referrals.forms.providers import ProviderFilter
from referrals.models import Consent, Disclosure, Provider, Referral, ReferralStatus

SHOW_ALL = "all"

# --- The referral list (referrals:referral_list) -----------------------------------------------


@dataclass(frozen=True)
class ReferralsAsked:
    show_all: bool  # engaged and closed ones too
    referrals: QuerySet[Referral]


def referrals_asked(viewer: User, choice: WorklistChoice, query: QueryDict) -> ReferralsAsked:
    """The referrals of the worklist chosen; ``?show=all`` adds the finished ones."""
    show_all = query.get("show") == SHOW_ALL
    referrals = selectors.referrals_due(
        viewer=viewer,
        case_manager_id=choice.case_manager_id,
        team_id=None if choice.case_manager_id is not None else choice.team_id,
        include_finished=show_all,
    )
    return ReferralsAsked(show_all=show_all, referrals=referrals)


REFERRAL_HEADERS = [
    "Follow up by", "Follow-up", "Client", "Record number", "Provider", "Service", "Status",
    "Urgency", "Case manager", "Program",
]  # fmt: skip


def referral_row(row: selectors.ReferralRow) -> list[Any]:
    """A referral as the list shows it: the follow-up date and how it stands today, "not sent
    yet" for a draft."""
    referral, due = row.referral, row.follow_up
    if due is not None:
        follow_up = due.label
    elif referral.status == ReferralStatus.DRAFT:
        follow_up = "not sent yet"
    else:
        follow_up = ""
    enrollment = referral.enrollment
    return [
        due.due_on if due is not None else None,
        follow_up,
        enrollment.client.display_name,
        enrollment.client.record_number,
        referral.provider.name,
        referral.service.name if referral.service else "",
        referral.get_status_display(),
        referral.get_urgency_display(),
        str(enrollment.case_manager),
        enrollment.program.name,
    ]


def _referral_rows(referrals: QuerySet[Referral], today: dt.date) -> Iterator[list[Any]]:
    for referral in in_chunks(referrals):
        (row,) = selectors.referral_rows([referral], today=today)
        yield referral_row(row)


@register("referrals.referral_list", filename="referrals")
def referral_list_table(viewer: User, query: QueryDict) -> Table:
    asked = referrals_asked(viewer, worklist_from_query(viewer, query), query)
    return Table(
        headers=REFERRAL_HEADERS,
        rows=_referral_rows(asked.referrals, dates.today()),
        count=asked.referrals.count(),
        part2=holds_part2(asked.referrals, "enrollment__program"),
    )


# --- The provider directory (referrals:provider_list) ------------------------------------------


def provider_directory_filter(query: QueryDict) -> ProviderFilter:
    """The directory's search and filters over every provider (active ones unless asked): the
    page shows a page of ``.qs``, the export all of it."""
    return ProviderFilter(query, queryset=selectors.provider_directory())


def directory_row(provider: Provider, *, today: dt.date) -> dict[str, Any]:
    """A provider as the directory lists it (``provider.services`` prefetched)."""
    offered = list(provider.services.all())
    return {
        "provider": provider,
        "services": offered,
        "service_types": list(dict.fromkeys(s.get_service_type_display() for s in offered)),
        "waitlist_stale": selectors.waitlist_is_stale(
            checked_on=provider.waitlist_checked_on, today=today
        ),
    }


PROVIDER_HEADERS = [
    "Provider", "Active", "Phone", "Address", "Service types", "Services", "Languages",
    "Medicaid", "Waitlist", "Waitlist checked on", "Waitlist stale", "Eligibility notes",
]  # fmt: skip


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def provider_row(row: dict[str, Any]) -> list[Any]:
    """A provider as the directory's row (:func:`directory_row`) shows it, with its address
    and eligibility notes."""
    provider: Provider = row["provider"]
    weeks = provider.waitlist_weeks
    return [
        provider.name,
        _yes_no(provider.is_active),
        provider.phone,
        provider.address,
        "; ".join(row["service_types"]),
        "; ".join(service.name for service in row["services"]),
        ", ".join(provider.languages),
        _yes_no(provider.accepts_medicaid),
        "unknown" if weeks is None else f"{weeks} week{'' if weeks == 1 else 's'}",
        provider.waitlist_checked_on,
        _yes_no(row["waitlist_stale"]),
        provider.eligibility_notes,
    ]


def _provider_rows(providers: QuerySet[Provider], today: dt.date) -> Iterator[list[Any]]:
    for provider in in_chunks(providers):
        yield provider_row(directory_row(provider, today=today))


@register("referrals.provider_list", filename="providers")
def provider_list_table(viewer: User, query: QueryDict) -> Table:
    """The directory is agency-wide and about organisations, not clients: no 42 CFR 2.32
    notice. A search the filter refuses (a waitlist that is not a number) answers 400, where
    the page leaves that filter out."""
    directory = provider_directory_filter(query)
    cleaned_data(directory.form)
    providers = directory.qs
    return Table(
        headers=PROVIDER_HEADERS,
        rows=_provider_rows(providers, dates.today()),
        count=providers.count(),
        part2=False,
    )


# --- The consents expiring soon (referrals:consents_expiring) ----------------------------------

CONSENT_HEADERS = [
    "Expires", "Status", "Client", "Record number", "Recipient", "Information", "Signed",
    "Who may disclose", "Purpose",
]  # fmt: skip


def consent_recipient(consent: Consent) -> str:
    """The provider named on the release, or the class of provider it names."""
    if consent.recipient_provider is not None:
        return consent.recipient_provider.name
    return f"any {consent.get_recipient_class_display().lower()} provider"


def consent_row(row: selectors.ConsentRow) -> list[Any]:
    """A consent as the expiring-soon list shows it, with who may disclose and why."""
    consent = row.consent
    return [
        consent.expires_on,
        row.status.label,
        consent.client.display_name,
        consent.client.record_number,
        consent_recipient(consent),
        "; ".join(row.categories),
        consent.signed_on,
        consent.discloser,
        consent.purpose,
    ]


def _consent_rows(consents: QuerySet[Consent], today: dt.date) -> Iterator[list[Any]]:
    for consent in in_chunks(consents):
        yield consent_row(selectors.consent_row(consent, today=today))


@register("referrals.consents_expiring", filename="consents-expiring")
def consents_expiring_table(viewer: User, query: QueryDict) -> Table:
    """A consent is a client's record: the notice when one of its clients is enrolled in a
    Part 2 program (a release for such a client says that they are a patient there)."""
    consents = selectors.consents_expiring(viewer=viewer, today=dates.today())
    return Table(
        headers=CONSENT_HEADERS,
        rows=_consent_rows(consents, dates.today()),
        count=consents.count(),
        part2=holds_part2(consents, "client__enrollments__program"),
    )


# --- A client's accounting of disclosures (referrals:disclosure_export) ------------------------

# The client whose disclosures are exported: the view copies the client of its URL, found
# through the client gate, into the query, so that a job rebuilds the same table from it.
CLIENT_PARAM = "client"

DISCLOSURE_HEADERS = [
    "Date", "Time", "Client", "Record number", "Recipient", "Information disclosed", "Purpose",
    "Release signed on", "By", "Program",
]  # fmt: skip


def disclosure_row(row: selectors.DisclosureRow) -> list[Any]:
    """A disclosure as the client page's accounting shows it: when (local time), to whom, what,
    by whom and under which release, with the release's purpose and the referral's program."""
    disclosure = row.disclosure
    at = timezone.localtime(disclosure.disclosed_at)
    client = disclosure.client
    return [
        at.date(),
        f"{at:%H:%M}",
        client.display_name,
        client.record_number,
        disclosure.recipient.name,
        "; ".join(row.categories),
        disclosure.consent.purpose,
        disclosure.consent.signed_on,
        str(disclosure.by),
        disclosure.referral.enrollment.program.name,
    ]


def _disclosure_rows(disclosures: QuerySet[Disclosure]) -> Iterator[list[Any]]:
    for disclosure in in_chunks(disclosures):
        yield disclosure_row(selectors.disclosure_row(disclosure))


@register("referrals.disclosures", filename="disclosures")
def disclosures_table(viewer: User, query: QueryDict) -> Table:
    """The accounting of disclosures of the client ``?client=`` in the viewer's scope (as on
    the client page, whose card reads the same selector). Each disclosure is a referral packet,
    so it belongs to the referral's enrollment: the notice when that enrollment's program is
    under Part 2."""
    client_id = query_int(query, CLIENT_PARAM)
    if client_id is None:
        raise InvalidQuery({CLIENT_PARAM: ["Name the client by its number."]})
    disclosures = selectors.client_disclosures(viewer=viewer, client_id=client_id).select_related(
        "client", "referral__enrollment__program"
    )
    return Table(
        headers=DISCLOSURE_HEADERS,
        rows=_disclosure_rows(disclosures),
        count=disclosures.count(),
        part2=holds_part2(disclosures, "referral__enrollment__program"),
    )
