"""The daily flag digest: one email a day per person with what is overdue in their work.

A case manager gets the open flags of their own caseload, a supervisor those of the teams
they supervise (CFP bulletin 18B-08: the clinical case manager/supervisor reviews the team's
caseloads; DESIGN.md: "every morning each case manager and supervisor knows what is overdue
and why"). Each digest lists the flags raised since the person's last digest (or in the last
day, before their first) and those still open, grouped by rule, with the client, the due date
and how late it is.

Set-based: a fixed number of queries whatever the number of people and flags (the people,
the supervisors' teams, the last digests, every open flag with its enrollment's case manager
and team, and the latest resolution per case manager and team), grouped in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team, User
from clients.models import Enrollment
from supervision.compliance import RULES, RULES_BY_CODE
from supervision.models import DigestSent, Flag

# Before a person's first digest, "new" means raised within this long.
FIRST_DIGEST_WINDOW = dt.timedelta(days=1)
RULE_ORDER = {rule.code: rank for rank, rule in enumerate(RULES)}


@dataclass(frozen=True)
class DigestFlag:
    """One open flag as the digest shows it."""

    rule: str
    due_on: dt.date
    raised_at: dt.datetime
    case_manager_id: int
    team_id: int
    client_name: str
    record_number: str
    case_manager_name: str

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due_on).days


@dataclass(frozen=True)
class DigestGroup:
    rule: str
    standard: str
    satisfied_by: str
    lines: list[dict[str, object]]


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
            "enrollment__client__first_name",
            "enrollment__client__preferred_name",
            "enrollment__client__last_name",
            "enrollment__client__record_number",
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
            client_name=f"{preferred or first} {last}",
            record_number=record_number,
            case_manager_name=f"{cm_first} {cm_last}".strip() or cm_username,
        )
        for (
            rule,
            due_on,
            raised_at,
            case_manager_id,
            team_id,
            first,
            preferred,
            last,
            record_number,
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
    for code in sorted(by_rule, key=lambda c: RULE_ORDER.get(c, len(RULE_ORDER))):
        rule = RULES_BY_CODE[code]
        lines: list[dict[str, object]] = [
            {
                "client": flag.client_name,
                "record_number": flag.record_number,
                "case_manager": flag.case_manager_name,
                "due_on": flag.due_on,
                "days_overdue": flag.days_overdue(today),
                "days_left": -flag.days_overdue(today),
            }
            for flag in sorted(by_rule[code], key=lambda f: (f.due_on, f.client_name))
        ]
        groups.append(
            DigestGroup(
                rule=rule.name, standard=rule.standard, satisfied_by=rule.satisfied_by, lines=lines
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
    connection: object,
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
        connection=connection,  # type: ignore[arg-type]
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
    people = list(
        User.objects.filter(is_active=True, role__in=[Role.CASE_MANAGER, Role.SUPERVISOR])
        .exclude(email="")
        .order_by("pk")
    )
    supervised: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in Team.supervisors.through.objects.filter(
        user__in=[p.pk for p in people if p.is_supervisor]
    ).values_list("user_id", "team_id"):
        supervised[user_id].add(team_id)
    last_digest: dict[int, tuple[dt.date, dt.datetime]] = {
        user_id: (sent_on, sent_at)
        for user_id, sent_on, sent_at in DigestSent.objects.filter(user__in=people)
        .order_by("user_id", "-sent_on")
        .distinct("user_id")
        .values_list("user_id", "sent_on", "sent_at")
    }
    default_since = now - FIRST_DIGEST_WINDOW
    since = {p.pk: last_digest[p.pk][1] if p.pk in last_digest else default_since for p in people}
    flags_by_case_manager: dict[int, list[DigestFlag]] = defaultdict(list)
    flags_by_team: dict[int, list[DigestFlag]] = defaultdict(list)
    for flag in _open_flags():
        flags_by_case_manager[flag.case_manager_id].append(flag)
        flags_by_team[flag.team_id].append(flag)
    # The latest resolution per case manager and per team since the earliest "since": enough
    # to know whether anything was resolved in each person's work since their last digest.
    resolved_by_case_manager: dict[int, dt.datetime] = {}
    resolved_by_team: dict[int, dt.datetime] = {}
    if people:
        for case_manager_id, team_id, resolved_at in (
            Flag.objects.filter(resolved_at__gt=min(since.values()))
            .values_list("enrollment__case_manager_id", "enrollment__team_id")
            .annotate(last=Max("resolved_at"))
            .order_by()
        ):
            for latest, key in (
                (resolved_by_case_manager, case_manager_id),
                (resolved_by_team, team_id),
            ):
                latest[key] = max(resolved_at, latest.get(key, resolved_at))

    digests: dict[int, tuple[User, list[DigestFlag], list[DigestFlag], bool]] = {}
    for person in people:
        if person.pk in last_digest and last_digest[person.pk][0] >= today:
            report.already_sent += 1
            continue
        if person.is_case_manager:
            own = flags_by_case_manager.get(person.pk, [])
            last_resolved = [resolved_by_case_manager.get(person.pk)]
        else:
            teams = sorted(supervised.get(person.pk, ()))
            own = [flag for team_id in teams for flag in flags_by_team.get(team_id, [])]
            last_resolved = [resolved_by_team.get(team_id) for team_id in teams]
        new = [flag for flag in own if flag.raised_at > since[person.pk]]
        resolved = any(at is not None and at > since[person.pk] for at in last_resolved)
        if not new and not resolved:
            report.unchanged += 1
            continue
        still_open = [flag for flag in own if flag.raised_at <= since[person.pk]]
        digests[person.pk] = (person, new, still_open, resolved)

    if not digests:
        return report
    with transaction.atomic():
        DigestSent.objects.bulk_create(
            [
                DigestSent(
                    user=person,
                    sent_on=today,
                    sent_at=now,
                    new_flags=len(new),
                    open_flags=len(new) + len(still_open),
                )
                for person, new, still_open, _ in digests.values()
            ],
            ignore_conflicts=True,
        )
        # ON CONFLICT DO NOTHING returns no ids: a concurrent run that claimed a person first
        # stamped its own sent_at.
        claimed = set(
            DigestSent.objects.filter(
                sent_on=today, sent_at=now, user_id__in=list(digests)
            ).values_list("user_id", flat=True)
        )
        report.already_sent += len(digests) - len(claimed)
        connection = get_connection()
        messages = [
            _message(
                person,
                new=new,
                still_open=still_open,
                resolved=resolved,
                today=today,
                connection=connection,
            )
            for user_id, (person, new, still_open, resolved) in digests.items()
            if user_id in claimed
        ]
        connection.send_messages(messages)
        report.sent = sorted(claimed)
    return report
