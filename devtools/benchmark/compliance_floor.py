"""The compliance evaluation in hand-written SQL: per rule one statement that raises the
missing flags and resolves the met ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection

from outcomes.due_dates import DEFAULT_FOLLOW_UP_INTERVAL_DAYS, DEFAULT_INTAKE_WITHIN_DAYS
from supervision.rules import rule_for_code

# The open enrollments of the evaluation (compliance._open_on and the real run's scope).
_SCOPE = """
    FROM clients_enrollment e
    JOIN clients_program p ON p.id = e.program_id
    WHERE e.status = 'open' AND e.application_date <= %(as_of)s
      AND (e.closed_on IS NULL OR e.closed_on > %(as_of)s)
      AND (%(ids)s::bigint[] IS NULL OR e.id = ANY(%(ids)s::bigint[]))
"""
# The first day after as_of began, in the agency's time zone: "on or before as_of" for a
# timestamp, written so that an index on the timestamp serves it.
_DAY_AFTER = "((%(as_of)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"

# The next outcome measurement's due date (outcomes.due_dates.measurement_due_on).
_OUTCOMES_DUE = (
    "COALESCE(measured.measured_on"
    f" + COALESCE(os.follow_up_interval_days, {DEFAULT_FOLLOW_UP_INTERVAL_DAYS}),"
    f" e.application_date + COALESCE(os.intake_within_days, {DEFAULT_INTAKE_WITHIN_DAYS}))"
)

# Per rule: SELECT enrollment_id, due_on, subject_id of the enrollments due and unmet.
FLOOR_RULES: dict[str, str] = {
    "initial_assessment_overdue": f"""
        SELECT e.id, e.application_date + p.initial_assessment_days, NULL::bigint {_SCOPE}
          AND e.application_date + p.initial_assessment_days < %(as_of)s
          AND NOT EXISTS (SELECT 1 FROM serviceplans_assessment a WHERE a.enrollment_id = e.id
                          AND a.status = 'completed' AND a.completed_on <= %(as_of)s)""",  # nosec B608  # the benchmark's own SQL; values as parameters
    "assessment_update_overdue": f"""
        SELECT e.id, (last.completed_on + p.reassessment_interval_months * interval '1 month')
                     ::date, NULL::bigint {_SCOPE}
          AND (last.completed_on + p.reassessment_interval_months * interval '1 month')::date
              < %(as_of)s""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN clients_program p ON p.id = e.program_id"
        " JOIN LATERAL (SELECT a.completed_on FROM serviceplans_assessment a"
        " WHERE a.enrollment_id = e.id AND a.status = 'completed'"
        " AND a.completed_on <= %(as_of)s ORDER BY a.completed_on DESC LIMIT 1) last ON true",
    ),
    "no_service_plan": f"""
        SELECT e.id, first.completed_on + 30, NULL::bigint {_SCOPE}
          AND first.completed_on + 30 < %(as_of)s
          AND NOT EXISTS (SELECT 1 FROM serviceplans_serviceplan sp WHERE sp.enrollment_id = e.id
                          AND sp.status IN ('active', 'superseded')
                          AND sp.approved_on <= %(as_of)s)""".replace(  # nosec B608  # the benchmark's own SQL; values as parameters
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN clients_program p ON p.id = e.program_id"
        " JOIN LATERAL (SELECT a.completed_on FROM serviceplans_assessment a"
        " WHERE a.enrollment_id = e.id AND a.status = 'completed'"
        " AND a.completed_on <= %(as_of)s ORDER BY a.completed_on LIMIT 1) first ON true",
    ),
    "plan_review_overdue": f"""
        SELECT e.id, GREATEST(sp.approved_on, reviewed.last) + p.plan_review_interval_days, sp.id
        {_SCOPE}
          AND GREATEST(sp.approved_on, reviewed.last) + p.plan_review_interval_days
              < %(as_of)s""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN clients_program p ON p.id = e.program_id"
        " JOIN serviceplans_serviceplan sp ON sp.enrollment_id = e.id AND sp.status = 'active'"
        " AND sp.approved_on <= %(as_of)s"
        " CROSS JOIN LATERAL (SELECT max(r.reviewed_on) AS last FROM serviceplans_planreview r"
        " WHERE r.plan_id = sp.id AND r.reviewed_on <= %(as_of)s) reviewed",
    ),
    "monitoring_gap": f"""
        SELECT e.id, COALESCE((last.occurred_at AT TIME ZONE %(tz)s)::date, e.application_date)
                     + p.max_days_between_contacts, NULL::bigint {_SCOPE}
          AND COALESCE((last.occurred_at AT TIME ZONE %(tz)s)::date, e.application_date)
              + p.max_days_between_contacts < %(as_of)s""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN clients_program p ON p.id = e.program_id"  # nosec B608  # the benchmark's own SQL; values as parameters
        " LEFT JOIN LATERAL (SELECT k.occurred_at FROM clients_contact k"
        " WHERE k.enrollment_id = e.id AND k.contact_type <> 'attempted'"
        f" AND k.occurred_at < {_DAY_AFTER} ORDER BY k.occurred_at DESC LIMIT 1) last ON true",
    ),
    "referral_follow_up_overdue": f"""
        SELECT DISTINCT ON (e.id) e.id, r.follow_up_due_on, r.id {_SCOPE}
          AND r.follow_up_due_on < %(as_of)s
          AND r.status NOT IN ('engaged', 'closed', 'draft')
        ORDER BY e.id, r.follow_up_due_on, r.id""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN referrals_referral r ON r.enrollment_id = e.id",
    ),
    "consent_expiring": f"""
        SELECT DISTINCT ON (e.id) e.id, c.expires_on, c.id {_SCOPE}
          AND c.expires_on BETWEEN %(as_of)s AND %(as_of)s::date + 30
          AND (c.revoked_on IS NULL OR c.revoked_on > %(as_of)s)
          AND r.status NOT IN ('engaged', 'closed', 'draft')
        ORDER BY e.id, c.expires_on, c.id""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN referrals_referral r ON r.enrollment_id = e.id"
        " JOIN referrals_consent c ON c.id = r.consent_id",
    ),
    "risk_screen_unreviewed": f"""
        SELECT DISTINCT ON (e.id) e.id, (ra.raised_at AT TIME ZONE %(tz)s)::date, ra.id {_SCOPE}
          AND ra.raised_at < {_DAY_AFTER}
          AND (ra.reviewed_at IS NULL OR ra.reviewed_at >= {_DAY_AFTER})
        ORDER BY e.id, ra.raised_at, ra.id""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN serviceplans_riskscreen rs ON rs.enrollment_id = e.id"
        " JOIN serviceplans_riskalert ra ON ra.risk_screen_id = rs.id",
    ),
    # outcomes.compliance: the intake's days from the application, or the follow-up's from the
    # last current measurement (the program's schedule, else outcomes.due_dates' defaults).
    "outcome_measures_due": f"""
        SELECT e.id, {_OUTCOMES_DUE}, NULL::bigint {_SCOPE}
          AND {_OUTCOMES_DUE} < %(as_of)s""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "LEFT JOIN outcomes_programoutcomeschedule os ON os.program_id = e.program_id"
        " LEFT JOIN LATERAL (SELECT m.measured_on FROM outcomes_outcomemeasurement m"
        " WHERE m.enrollment_id = e.id AND m.is_current AND m.measured_on <= %(as_of)s"
        " ORDER BY m.measured_on DESC LIMIT 1) measured ON true",
    ),
}


def _floor_statement(rule: str, due_sql: str, *, resolution: str, subject_key: str | None) -> str:
    """Raise what is due and has no open flag, resolve the open flags no longer due: one
    statement per rule."""
    detail = (
        f"jsonb_build_object('{subject_key}', due.subject_id)" if subject_key else "NULL::jsonb"
    )
    return f"""
        WITH due (enrollment_id, due_on, subject_id) AS ({due_sql}),
        resolved AS (
            UPDATE supervision_flag f
            SET resolved_on = %(as_of)s, resolved_at = now(),
                resolution = CASE WHEN e.status = 'closed' THEN 'Enrollment closed.'
                                  ELSE %(resolution_{rule})s END
            FROM clients_enrollment e
            WHERE e.id = f.enrollment_id AND f.rule = '{rule}' AND f.resolved_on IS NULL
              AND (%(ids)s::bigint[] IS NULL OR f.enrollment_id = ANY(%(ids)s::bigint[]))
              AND NOT EXISTS (SELECT 1 FROM due WHERE due.enrollment_id = f.enrollment_id)
            RETURNING 1)
        INSERT INTO supervision_flag (enrollment_id, rule, due_on, raised_on, raised_at,
                                      resolution, detail)
        SELECT due.enrollment_id, '{rule}', due.due_on, %(as_of)s, now(), '',
               COALESCE(CASE WHEN due.subject_id IS NOT NULL THEN {detail} END, '{{}}'::jsonb)
        FROM due
        ON CONFLICT DO NOTHING
    """  # nosec B608  # the benchmark's own SQL; values as parameters


def compliance_floor(*, as_of: dt.date, ids: list[int] | None) -> None:
    """The evaluation in hand-written SQL: every rule, one statement each."""

    params: dict[str, Any] = {"as_of": as_of, "ids": ids, "tz": settings.TIME_ZONE}
    with connection.cursor() as cursor:
        for rule, due_sql in FLOOR_RULES.items():
            definition = rule_for_code(rule)
            params[f"resolution_{rule}"] = definition.resolution
            cursor.execute(
                _floor_statement(
                    rule,
                    due_sql,
                    resolution=definition.resolution,
                    subject_key=definition.subject_key,
                ),
                params,
            )
