"""The referrals' export (exports.tables): the referral list, built for a viewer and the page's
query through the same parameters and the same selector as the page (every row, not one page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from accounts.models import User
from accounts.selectors import WorklistChoice
from casemgmt import dates
from exports.tables import Table, holds_part2, in_chunks, register, worklist_from_query
from referrals import selectors
from referrals.models import Referral, ReferralStatus

SHOW_ALL = "all"


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
