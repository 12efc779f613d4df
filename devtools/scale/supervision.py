"""Supervision notes with their follow-up tasks and conference participants."""

from __future__ import annotations

from devtools.scale.copy import copy_batch
from devtools.scale.loader import EnrollmentPlan, Loader, rng_for
from supervision.models import ConferenceParticipant, FollowUpTask, SupervisionNote


def load_supervision(loader: Loader) -> None:
    """Notes reviewing every reviewed positive risk screen, and about one case-specific or
    clinical note per 25 clients over the last two years, most acknowledged."""
    rng = rng_for(loader.seed, "supervision")
    days, staff = loader.days, loader.staff
    note_columns = [
        "id",
        "kind",
        "team_id",
        "enrollment_id",
        "staff_supervised_id",
        "author_id",
        "held_on",
        "concerns",
        "discussion",
        "recommendations",
        "agreed_goals",
        "risk_alert_id",
        "acknowledged_on",
        "acknowledged_at",
        "created_at",
    ]
    task_columns = [
        "id",
        "note_id",
        "description",
        "due_on",
        "responsible",
        "responsible_name",
        "done_on",
        "plan_action_id",
    ]
    participant_columns = [
        "id",
        "note_id",
        "kind",
        "staff_id",
        "family_member_id",
        "provider_id",
        "name",
        "role",
    ]
    kinds = (
        "case_specific",
        "clinical_session",
        "case_conference",
        "crisis_consultation",
        "record_review",
    )
    kind_weights = (45, 20, 10, 5, 20)
    with copy_batch() as batch:
        notes = batch.table(SupervisionNote, note_columns)
        tasks = batch.table(FollowUpTask, task_columns)
        participants = batch.table(ConferenceParticipant, participant_columns)

        def note(
            kind: str, e: EnrollmentPlan, held: int, concerns: list[str], alert: int | None
        ) -> None:
            note_id = loader.take(SupervisionNote)
            acknowledged = held + rng.randint(0, 5)
            if acknowledged > days.today or rng.random() < 0.07:
                acknowledged_on = None
            else:
                acknowledged_on = acknowledged
            notes.row(
                note_id,
                kind,
                staff.team_ids[e.team],
                None if kind == "clinical_session" else e.id,
                staff.case_managers[e.cm],
                staff.supervisors[e.team],
                days.date(held),
                concerns,
                "Reviewed the case with the case manager.",
                "Continue the plan; see the follow-up tasks." if rng.random() < 0.6 else "",
                "Family to attend the next review." if kind == "case_conference" else "",
                alert,
                days.date(acknowledged_on),
                None if acknowledged_on is None else days.ts(acknowledged_on, 800),
                days.ts(held, 720),
            )
            if rng.random() < 0.35:
                for _ in range(rng.choice((1, 1, 2))):
                    due = held + rng.randint(7, 30)
                    done = (
                        due - rng.randint(0, 6) if due < days.today and rng.random() < 0.8 else None
                    )
                    tasks.row(
                        loader.take(FollowUpTask),
                        note_id,
                        "Follow up with the client and document it.",
                        days.date(due),
                        "case_manager",
                        "",
                        days.date(done),
                        None,
                    )
            if kind == "case_conference":
                participants.row(
                    loader.take(ConferenceParticipant),
                    note_id,
                    "staff",
                    staff.case_managers[e.cm],
                    None,
                    None,
                    "",
                    "Case manager",
                )
                participants.row(
                    loader.take(ConferenceParticipant),
                    note_id,
                    "client",
                    None,
                    None,
                    None,
                    "",
                    "Client",
                )

        for alert_id, e, reviewed, concerns in loader.alerts:
            if reviewed is not None:
                note("case_specific", e, reviewed, concerns, alert_id)
        two_years = days.today - 730
        for _ in range(loader.size.clients // 25):
            e = loader.enrollments[rng.randrange(len(loader.enrollments))]
            first = max(e.app, two_years)
            if first > e.end:
                continue
            kind = rng.choices(kinds, kind_weights)[0]
            note(kind, e, rng.randint(first, e.end), [], None)
        loader.report.counts["supervision notes"] = notes.rows
        loader.report.counts["follow-up tasks"] = tasks.rows
