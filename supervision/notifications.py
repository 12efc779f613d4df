"""The daily flag digest: one email a day per person with what is overdue in their work.

A case manager gets the open flags of their own caseload, a supervisor those of the teams
whose clients they read on every page, their own team and those they supervise
(accounts.selectors.team_ids_readable_by; CFP bulletin 18B-08: the clinical case
manager/supervisor reviews the team's caseloads; DESIGN.md: "every morning each case manager
and supervisor knows what is overdue and why"). Each digest lists the flags raised since the
person's last digest (or in the last day, before their first) and those still open, grouped by
rule: how many, how many overdue and by how long, and (for a supervisor) how many each case
manager has. It names no client: an email leaves the agency's systems, so it says what kind and
how many, and links to the app, where the clients are named (HIPAA 45 CFR 164.312(e),
transmission security; issue 13, "No health information in email").

Set-based: a fixed number of queries whatever the number of case managers and flags (the
people, the last digests, every open flag with its enrollment's case manager and team, and the
latest resolution per case manager and team), grouped in Python, and one per supervisor for
the teams they read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.selectors import team_ids_readable_by
from clients.models import Enrollment
from supervision.models import DigestSent, Flag
from supervision.rules import rule_for_code
from supervision.selectors import rule_codes

# Before a person's first digest, "new" means raised within this long.
FIRST_DIGEST_WINDOW = dt.timedelta(days=1)


@dataclass(frozen=True)
class DigestFlag:
    """One open flag as the digest counts it."""

    rule: str
    due_on: dt.date
    raised_at: dt.datetime
    case_manager_id: int
    team_id: int
    case_manager_name: str

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due_on).days


@dataclass(frozen=True)
class DigestGroup:
    """The flags of one rule: how many, how many overdue and the longest overdue, and how many
    each case manager has (shown to supervisors)."""

    rule: str
    standard: str
    satisfied_by: str
    count: int
    overdue: int
    most_days_overdue: int
    by_case_manager: list[tuple[str, int]]


@dataclass
class DigestReport:
    """What a run did: digests sent, people skipped because nothing changed in their work
    since their last digest, and people who had already had today's."""

    sent: list[int] = field(default_factory=list)
    unchanged: int = 0
    already_sent: int = 0


def _open_flags() -> list[DigestFlag]:
    rows = (
        Flag.objects.open()
        .filter(enrollment__status=Enrollment.Status.OPEN)
        .order_by("due_on", "id")
        .values_list(
            "rule",
            "due_on",
            "raised_at",
            "enrollment__case_manager_id",
            "enrollment__team_id",
            "enrollment__case_manager__first_name",
            "enrollment__case_manager__last_name",
            "enrollment__case_manager__username",
        )
    )
    return [
        DigestFlag(
            rule=rule,
            due_on=due_on,
            raised_at=raised_at,
            case_manager_id=case_manager_id,
            team_id=team_id,
            case_manager_name=f"{cm_first} {cm_last}".strip() or cm_username,
        )
        for (
            rule,
            due_on,
            raised_at,
            case_manager_id,
            team_id,
            cm_first,
            cm_last,
            cm_username,
        ) in rows
    ]


def _groups(flags: Iterable[DigestFlag], *, today: dt.date) -> list[DigestGroup]:
    by_rule: dict[str, list[DigestFlag]] = defaultdict(list)
    for flag in flags:
        by_rule[flag.rule].append(flag)
    groups = []
    for code in (code for code in rule_codes() if code in by_rule):
        rule = rule_for_code(code)
        days_overdue = [flag.days_overdue(today) for flag in by_rule[code]]
        per_case_manager = Counter(flag.case_manager_name for flag in by_rule[code])
        groups.append(
            DigestGroup(
                rule=rule.name,
                standard=rule.standard,
                satisfied_by=rule.satisfied_by,
                count=len(by_rule[code]),
                overdue=sum(1 for days in days_overdue if days > 0),
                most_days_overdue=max(days_overdue),
                by_case_manager=sorted(per_case_manager.items()),
            )
        )
    return groups


def _message(
    user: User,
    *,
    new: list[DigestFlag],
    still_open: list[DigestFlag],
    resolved: bool,
    today: dt.date,
    connection: BaseEmailBackend,
) -> EmailMessage:
    total = len(new) + len(still_open)
    subject = f"Casework: {len(new)} new, {total} open compliance flag{'s' if total != 1 else ''}"
    body = render_to_string(
        "supervision/digest_email.txt",
        {
            "user": user,
            "today": today,
            "new_groups": _groups(new, today=today),
            "open_groups": _groups(still_open, today=today),
            "new_count": len(new),
            "open_count": len(still_open),
            "resolved": resolved,
            "show_case_manager": not user.is_case_manager,
            "flag_list_url": settings.SITE_URL.rstrip("/") + reverse("supervision:flag_list"),
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
    )


def send_flag_digests(*, today: dt.date) -> DigestReport:
    """Email each active case manager and supervisor (with an address) their digest for
    ``today``: the open flags of their work, new ones (raised since their last digest) apart
    from those still open, grouped by rule. Nobody gets one when no flag of their work was
    raised or resolved since their last digest, nor a second one the same day.

    Safe to run twice, or in two workers at once: each digest is first claimed by inserting
    its DigestSent row (one per person and day, a unique constraint; ON CONFLICT DO NOTHING)
    and only the rows this run inserted are sent. Claim and sending are one transaction, so a
    mail server that fails leaves no claim behind and the next run sends them.
    """
    now = timezone.now()
    report = DigestReport()
    people = _people()
    last_digest = _last_digests(people)
    since = {
        person.pk: last_digest[person.pk][1]
        if person.pk in last_digest
        else now - FIRST_DIGEST_WINDOW
        for person in people
    }
    if not people:
        return report
    work = _Work.gather(resolved_since=min(since.values()))
    digests: list[_Digest] = []
    for person in people:
        if person.pk in last_digest and last_digest[person.pk][0] >= today:
            report.already_sent += 1
            continue
        digest = work.digest_for(person, since=since[person.pk])
        if digest is None:
            report.unchanged += 1
            continue
        digests.append(digest)
    if digests:
        _claim_and_send(digests, today=today, now=now, report=report)
    return report


def _people() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role__in=[Role.CASE_MANAGER, Role.SUPERVISOR])
        .exclude(email="")
        .prefetch_related("supervised_teams")  # each supervisor's team scope, in one query
        .order_by("pk")
    )


def _last_digests(people: list[User]) -> dict[int, tuple[dt.date, dt.datetime]]:
    """Per person, the day and time of their last digest."""
    return {
        user_id: (sent_on, sent_at)
        for user_id, sent_on, sent_at in DigestSent.objects.filter(user__in=people)
        .order_by("user_id", "-sent_on")
        .distinct("user_id")
        .values_list("user_id", "sent_on", "sent_at")
    }


@dataclass(frozen=True)
class _Digest:
    person: User
    new: list[DigestFlag]
    still_open: list[DigestFlag]
    resolved: bool


@dataclass
class _Work:
    """Every open flag and the latest resolution, by case manager and by team: what each
    person's digest is cut from."""

    flags_by_case_manager: defaultdict[int, list[DigestFlag]]
    flags_by_team: defaultdict[int, list[DigestFlag]]
    resolved_by_case_manager: dict[int, dt.datetime]
    resolved_by_team: dict[int, dt.datetime]

    @classmethod
    def gather(cls, *, resolved_since: dt.datetime) -> _Work:
        work = cls(defaultdict(list), defaultdict(list), {}, {})
        for flag in _open_flags():
            work.flags_by_case_manager[flag.case_manager_id].append(flag)
            work.flags_by_team[flag.team_id].append(flag)
        # The latest resolution per case manager and team since the earliest "since": enough
        # to know whether anything was resolved in each person's work since their last digest.
        for case_manager_id, team_id, resolved_at in (
            Flag.objects.filter(resolved_at__gt=resolved_since)
            .values_list("enrollment__case_manager_id", "enrollment__team_id")
            .annotate(last=Max("resolved_at"))
            .order_by()
        ):
            _keep_latest(work.resolved_by_case_manager, case_manager_id, resolved_at)
            _keep_latest(work.resolved_by_team, team_id, resolved_at)
        return work

    def digest_for(self, person: User, *, since: dt.datetime) -> _Digest | None:
        """The person's digest, or None when nothing in their work changed since ``since``:
        a case manager's own caseload, a supervisor's teams."""
        own, last_resolved = self._of(person)
        new = [flag for flag in own if flag.raised_at > since]
        resolved = any(at is not None and at > since for at in last_resolved)
        if not new and not resolved:
            return None
        still_open = [flag for flag in own if flag.raised_at <= since]
        return _Digest(person=person, new=new, still_open=still_open, resolved=resolved)

    def _of(self, person: User) -> tuple[list[DigestFlag], list[dt.datetime | None]]:
        """The open flags of the person's work, and when a flag of it was last resolved."""
        if person.is_case_manager:
            return (
                self.flags_by_case_manager[person.pk],
                [self.resolved_by_case_manager.get(person.pk)],
            )
        teams = sorted(team_ids_readable_by(person) or ())
        return (
            [flag for team_id in teams for flag in self.flags_by_team[team_id]],
            [self.resolved_by_team.get(team_id) for team_id in teams],
        )


def _keep_latest(latest: dict[int, dt.datetime], key: int, at: dt.datetime) -> None:
    latest[key] = max(at, latest.get(key, at))


def _claim_and_send(
    digests: list[_Digest], *, today: dt.date, now: dt.datetime, report: DigestReport
) -> None:
    with transaction.atomic():
        DigestSent.objects.bulk_create(
            [
                DigestSent(
                    user=digest.person,
                    sent_on=today,
                    sent_at=now,
                    new_flags=len(digest.new),
                    open_flags=len(digest.new) + len(digest.still_open),
                )
                for digest in digests
            ],
            ignore_conflicts=True,
        )
        # ON CONFLICT DO NOTHING returns no ids: a concurrent run that claimed a person first
        # stamped its own sent_at.
        claimed = set(
            DigestSent.objects.filter(
                sent_on=today, sent_at=now, user_id__in=[digest.person.pk for digest in digests]
            ).values_list("user_id", flat=True)
        )
        report.already_sent += len(digests) - len(claimed)
        connection = get_connection()
        connection.send_messages(
            [
                _message(
                    digest.person,
                    new=digest.new,
                    still_open=digest.still_open,
                    resolved=digest.resolved,
                    today=today,
                    connection=connection,
                )
                for digest in digests
                if digest.person.pk in claimed
            ]
        )
        report.sent = sorted(claimed)
