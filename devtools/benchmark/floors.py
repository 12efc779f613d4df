"""The floors of the pages: per page, one hand-written SQL statement that fetches the rows
the page shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

CASELOAD_FLOOR = """
SELECT e.id, c.id, c.first_name, c.last_name, c.record_number, p.name, e.continuum_stage,
       e.application_date, last_contact.occurred_at, last_assessment.completed_on,
       COALESCE(latest_screen.positive, false), count(*) OVER ()
FROM clients_enrollment e
JOIN clients_client c ON c.id = e.client_id
JOIN clients_program p ON p.id = e.program_id
LEFT JOIN LATERAL (
    SELECT k.occurred_at FROM clients_contact k
    WHERE k.enrollment_id = e.id AND k.contact_type <> 'attempted'
    ORDER BY k.occurred_at DESC LIMIT 1) last_contact ON true
LEFT JOIN LATERAL (
    SELECT a.completed_on FROM serviceplans_assessment a
    WHERE a.enrollment_id = e.id AND a.status = 'completed'
    ORDER BY a.completed_on DESC LIMIT 1) last_assessment ON true
LEFT JOIN LATERAL (
    SELECT s.positive FROM serviceplans_riskscreen s
    WHERE s.enrollment_id = e.id ORDER BY s.screened_on DESC, s.id DESC LIMIT 1
) latest_screen ON true
WHERE e.case_manager_id = %(user)s AND e.status = 'open' AND e.team_id = ANY(%(teams)s)
ORDER BY last_contact.occurred_at ASC NULLS FIRST, c.last_name, c.first_name, e.id
LIMIT %(limit)s
"""

CLIENT_PAGE_FLOOR = """
SELECT c.id, c.record_number, c.first_name, c.last_name, c.date_of_birth, k.id, k.occurred_at,
       k.contact_type, k.duration_minutes, k.travel_minutes, k.note, u.first_name, u.last_name,
       p.name, count(*) OVER ()
FROM clients_client c
JOIN clients_contact k ON k.client_id = c.id
JOIN clients_enrollment e ON e.id = k.enrollment_id
JOIN clients_program p ON p.id = e.program_id
JOIN accounts_user u ON u.id = k.author_id
WHERE c.id = %(client)s AND e.team_id = ANY(%(teams)s)
ORDER BY k.occurred_at DESC, k.id DESC
LIMIT %(limit)s
"""

# The dashboard shows every team the supervisor supervises: a line per team and case manager
# (with the team's name), the open flags of each rule.
DASHBOARD_FLOOR = """
SELECT e.team_id, t.name, e.case_manager_id, f.rule, count(DISTINCT e.id), count(f.id)
FROM clients_enrollment e
JOIN accounts_team t ON t.id = e.team_id
LEFT JOIN supervision_flag f ON f.enrollment_id = e.id AND f.resolved_on IS NULL
WHERE e.team_id = ANY(%(teams)s) AND e.status = 'open'
GROUP BY GROUPING SETS ((e.team_id, t.name, e.case_manager_id),
                        (e.team_id, t.name, e.case_manager_id, f.rule))
"""

VARIANCE_QUEUE_FLOOR = """
SELECT v.id, v.rule, v.reason, v.proposed_due_on, v.requested_at, c.first_name, c.last_name,
       p.name, t.name, r.name, u.first_name, u.last_name, f.due_on, count(*) OVER ()
FROM supervision_variance v
JOIN clients_enrollment e ON e.id = v.enrollment_id
JOIN clients_client c ON c.id = e.client_id
JOIN clients_program p ON p.id = e.program_id
JOIN accounts_team t ON t.id = e.team_id
JOIN accounts_region r ON r.id = t.region_id
JOIN accounts_user u ON u.id = v.requested_by_id
LEFT JOIN supervision_flag f ON f.id = v.flag_id
WHERE v.status = 'pending'
ORDER BY v.requested_at, v.id
LIMIT %(limit)s
"""

REFERRAL_LIST_FLOOR = """
SELECT r.id, r.status, r.follow_up_due_on, r.urgency, pr.name, s.name, c.id, c.first_name,
       c.last_name, p.name, u.first_name, u.last_name, count(*) OVER ()
FROM referrals_referral r
JOIN clients_enrollment e ON e.id = r.enrollment_id
JOIN clients_client c ON c.id = e.client_id
JOIN clients_program p ON p.id = e.program_id
JOIN accounts_user u ON u.id = e.case_manager_id
JOIN referrals_provider pr ON pr.id = r.provider_id
LEFT JOIN referrals_providerservice s ON s.id = r.service_id
WHERE e.team_id = %(team)s AND r.status NOT IN ('engaged', 'closed')
ORDER BY r.follow_up_due_on ASC NULLS LAST, c.last_name, c.first_name, r.id
LIMIT %(limit)s
"""

# The page shows the ten best matches among the viewer's clients and counts the others.
DUPLICATE_SEARCH_FLOOR = """
WITH candidates AS (
    SELECT c.id, c.record_number, c.first_name, c.last_name, c.date_of_birth, c.search_name,
           EXISTS (SELECT 1 FROM clients_enrollment e WHERE e.client_id = c.id
                   AND e.team_id = ANY(%(teams)s)) AS visible
    FROM clients_client c
    WHERE c.search_name %% %(name)s
       OR (c.date_of_birth = %(born)s AND similarity(c.search_name, %(name)s) >= 0.15)
)
SELECT id, record_number, first_name, last_name, date_of_birth,
       similarity(search_name, %(name)s) AS score,
       (SELECT count(*) FROM candidates WHERE NOT visible) AS hidden
FROM candidates
WHERE visible
ORDER BY date_of_birth = %(born)s DESC, score DESC, last_name
LIMIT 10
"""

API_CLIENTS_FLOOR = """
SELECT c.id, c.record_number, c.first_name, c.middle_name, c.last_name, c.preferred_name,
       c.date_of_birth, c.sex, c.primary_language, c.phone, c.city, c.registered_team_id,
       c.created_at, c.updated_at, count(*) OVER ()
FROM clients_client c
WHERE EXISTS (SELECT 1 FROM clients_enrollment e WHERE e.client_id = c.id
              AND e.team_id = ANY(%(teams)s))
ORDER BY c.last_name, c.first_name, c.id
LIMIT %(limit)s
"""


# The client directory (/clients/): a case manager's clients (the team's enrolled clients and
# its registered clients never enrolled), a page in name order, each with its status (the
# team's open enrollments with program and case manager, the latest closing date), and the
# viewer's ten recent clients.
_DIRECTORY_VISIBLE = """
WITH visible AS (
    SELECT e.client_id AS id FROM clients_enrollment e WHERE e.team_id = ANY(%(teams)s)
    UNION
    SELECT c.id FROM clients_client c WHERE c.registered_team_id = ANY(%(teams)s)
      AND NOT EXISTS (SELECT 1 FROM clients_enrollment e WHERE e.client_id = c.id)
)"""

# The page's rows with their statuses; ``-- more columns`` is where a floor adds its own.
_DIRECTORY_ROWS = """
SELECT page.*, -- more columns
       (SELECT json_agg(json_build_object(
                   'program', p.name, 'case_manager', u.first_name || ' ' || u.last_name)
                ORDER BY p.name, e.id)
        FROM clients_enrollment e
        JOIN clients_program p ON p.id = e.program_id
        JOIN accounts_user u ON u.id = e.case_manager_id
        WHERE e.client_id = page.id AND e.status = 'open' AND e.team_id = ANY(%(teams)s)),
       (SELECT max(e.closed_on) FROM clients_enrollment e
        WHERE e.client_id = page.id AND e.status = 'closed' AND e.team_id = ANY(%(teams)s))
FROM page
"""

CLIENT_DIRECTORY_FLOOR = (
    _DIRECTORY_VISIBLE
    + """,
page AS (
    SELECT c.id, c.record_number, c.first_name, c.last_name, c.preferred_name,
           c.date_of_birth, c.phone, count(*) OVER () AS total
    FROM clients_client c
    WHERE c.id IN (SELECT id FROM visible)
    ORDER BY c.last_name, c.first_name, c.id
    LIMIT %(limit)s
)"""  # nosec B608  # the benchmark's own SQL; values as parameters
    + """,
recent AS (
    SELECT c.id, c.record_number, c.first_name, c.last_name, c.preferred_name, r.viewed_at
    FROM (SELECT l.client_id, max(l.occurred_at) AS viewed_at
          FROM clients_accesslog l
          WHERE l.user_id = %(user)s AND l.action = 'viewed'
            AND l.client_id IN (SELECT id FROM visible)
          GROUP BY l.client_id ORDER BY viewed_at DESC LIMIT 10) r
    JOIN clients_client c ON c.id = r.client_id
)"""  # nosec B608  # the benchmark's own SQL; values as parameters
    + _DIRECTORY_ROWS.replace(
        "-- more columns", "(SELECT json_agg(recent ORDER BY viewed_at DESC) FROM recent),"
    )
    + """
ORDER BY page.last_name, page.first_name, page.id
"""
)

# The directory searched by name: trigram similarity on the whole name or a word of it, or the
# record number, best match first.
CLIENT_SEARCH_FLOOR = (
    _DIRECTORY_VISIBLE
    + """,
page AS (
    SELECT c.id, c.record_number, c.first_name, c.last_name, c.preferred_name,
           c.date_of_birth, c.phone,
           upper(c.record_number) = upper(%(name)s) AS exact,
           greatest(similarity(c.search_name, %(name)s),
                    word_similarity(%(name)s, c.search_name)) AS score,
           count(*) OVER () AS total
    FROM clients_client c
    WHERE (c.search_name %% %(name)s OR %(name)s <%% c.search_name
           OR upper(c.record_number) = upper(%(name)s))
      AND c.id IN (SELECT id FROM visible)
    ORDER BY exact DESC, score DESC, c.last_name, c.first_name, c.id
    LIMIT %(limit)s
)"""  # nosec B608  # the benchmark's own SQL; values as parameters
    + _DIRECTORY_ROWS
    + """
ORDER BY page.exact DESC, page.score DESC, page.last_name, page.first_name, page.id
"""
)

# The schedule (/schedule/): the case manager's visits of this week (agency time), each with
# its client and program, in time order.
MY_WEEK_FLOOR = """
SELECT v.id, v.scheduled_start, v.expected_minutes, v.place, v.location, v.contact_type,
       v.with_whom, v.purpose, v.status, c.id, c.first_name, c.last_name, c.preferred_name,
       p.name
FROM scheduling_plannedvisit v
JOIN clients_enrollment e ON e.id = v.enrollment_id
JOIN clients_client c ON c.id = e.client_id
JOIN clients_program p ON p.id = e.program_id
WHERE v.case_manager_id = %(user)s AND e.team_id = ANY(%(teams)s)
  AND v.scheduled_start >= %(start)s AND v.scheduled_start < %(end)s
ORDER BY v.scheduled_start, v.id
"""

# A team's week (/schedule/team/<id>/): per case manager of the team (and anyone else with a
# visit of its enrollments that week), each day's visits counted by status, cancelled ones left
# out.
TEAM_WEEK_FLOOR = """
SELECT u.id, u.first_name, u.last_name, k.day, k.status, k.n
FROM accounts_user u
LEFT JOIN (
    SELECT v.case_manager_id, CAST(v.scheduled_start AT TIME ZONE %(tz)s AS date) AS day,
           v.status, count(*) AS n
    FROM scheduling_plannedvisit v
    JOIN clients_enrollment e ON e.id = v.enrollment_id
    WHERE e.team_id = %(team)s AND v.status <> 'cancelled'
      AND v.scheduled_start >= %(start)s AND v.scheduled_start < %(end)s
    GROUP BY 1, 2, 3
) k ON k.case_manager_id = u.id
WHERE (u.team_id = %(team)s AND u.role = 'case_manager' AND u.is_active) OR k.n IS NOT NULL
ORDER BY u.last_name, u.first_name, u.id
"""

# My work (/my-work/): every item of the case manager's, overdue or due by %(until)s, soonest
# first, each with its client: the next assessment, the active plan's review, referral
# follow-ups, supervision tasks and notes to acknowledge, consents expiring under an active
# referral, open flags (but the rules listed as their own item) and planned visits.
MY_WORK_FLOOR = """
WITH caseload AS (
    SELECT e.id, e.client_id, e.application_date, p.name AS program,
           p.initial_assessment_days, p.reassessment_interval_months,
           p.plan_review_interval_days
    FROM clients_enrollment e JOIN clients_program p ON p.id = e.program_id
    WHERE e.case_manager_id = %(user)s AND e.status = 'open' AND e.team_id = ANY(%(teams)s)
), items AS (
    SELECT 'assessment' AS kind, k.id AS pk, k.client_id, due.on AS due_on,
           (SELECT max(a.id) FROM serviceplans_assessment a
            WHERE a.enrollment_id = k.id AND a.status = 'draft') AS detail
    FROM caseload k
    CROSS JOIN LATERAL (
        SELECT COALESCE(
            CAST((SELECT max(a.completed_on) FROM serviceplans_assessment a
                  WHERE a.enrollment_id = k.id AND a.status = 'completed')
                 + INTERVAL '1 month' * k.reassessment_interval_months AS date),
            k.application_date + k.initial_assessment_days) AS on) due
    WHERE due.on <= %(until)s
    UNION ALL
    SELECT 'plan_review', s.id, k.client_id,
           GREATEST(s.approved_on, (SELECT max(r.reviewed_on) FROM serviceplans_planreview r
                                    WHERE r.plan_id = s.id)) + k.plan_review_interval_days,
           s.version
    FROM serviceplans_serviceplan s JOIN caseload k ON k.id = s.enrollment_id
    WHERE s.status = 'active' AND s.approved_on IS NOT NULL
      AND GREATEST(s.approved_on, (SELECT max(r.reviewed_on) FROM serviceplans_planreview r
                                   WHERE r.plan_id = s.id)) + k.plan_review_interval_days
          <= %(until)s
    UNION ALL
    SELECT 'referral_follow_up', r.id, k.client_id, r.follow_up_due_on, r.provider_id
    FROM referrals_referral r JOIN caseload k ON k.id = r.enrollment_id
    WHERE r.follow_up_due_on <= %(until)s
      AND r.status NOT IN ('engaged', 'closed', 'draft')
    UNION ALL
    SELECT 'task', t.id, n.client_id, t.due_on, t.note_id
    FROM supervision_followuptask t
    JOIN supervision_supervisionnote sn ON sn.id = t.note_id
    LEFT JOIN LATERAL (SELECT e.client_id FROM clients_enrollment e
                       WHERE e.id = sn.enrollment_id) n ON true
    WHERE sn.staff_supervised_id = %(user)s AND t.responsible = 'case_manager'
      AND t.done_on IS NULL AND t.due_on <= %(until)s
    UNION ALL
    SELECT 'note', sn.id, n.client_id, sn.held_on, NULL
    FROM supervision_supervisionnote sn
    LEFT JOIN LATERAL (SELECT e.client_id FROM clients_enrollment e
                       WHERE e.id = sn.enrollment_id) n ON true
    WHERE sn.staff_supervised_id = %(user)s AND sn.acknowledged_on IS NULL
    UNION ALL
    SELECT 'consent', c.id, c.client_id, c.expires_on, c.recipient_provider_id
    FROM referrals_consent c
    WHERE c.expires_on BETWEEN %(today)s AND %(until)s
      AND (c.revoked_on IS NULL OR c.revoked_on > %(today)s)
      AND c.id IN (SELECT r.consent_id FROM referrals_referral r
                   JOIN caseload k ON k.id = r.enrollment_id
                   WHERE r.status NOT IN ('engaged', 'closed', 'draft'))
    UNION ALL
    SELECT 'flag', f.id, k.client_id, f.due_on, NULL
    FROM supervision_flag f JOIN caseload k ON k.id = f.enrollment_id
    WHERE f.resolved_on IS NULL AND f.due_on <= %(until)s
      AND f.rule NOT IN ('initial_assessment_overdue', 'assessment_update_overdue',
                         'plan_review_overdue', 'referral_follow_up_overdue',
                         'consent_expiring')
    UNION ALL
    SELECT 'visit', v.id, k.client_id, CAST(v.scheduled_start AT TIME ZONE %(tz)s AS date),
           NULL
    FROM scheduling_plannedvisit v JOIN caseload k ON k.id = v.enrollment_id
    WHERE v.case_manager_id = %(user)s AND v.status = 'planned'
      AND v.scheduled_start < %(until_end)s
)
SELECT i.kind, i.pk, i.due_on, i.detail, c.id, c.first_name, c.last_name, c.preferred_name,
       c.record_number
FROM items i LEFT JOIN clients_client c ON c.id = i.client_id
ORDER BY i.due_on, i.kind, c.last_name, c.first_name, i.pk
"""

# The staff activity log of a month over the agency, per case manager (reports.activity): the
# month's contacts counted by type and summed per author (billable units from the minutes,
# 15-minute units with the 8-minute remainder, nothing for attempts), and the enrollments open
# at the month's end per case manager, side by side; names joined once.
ACTIVITY_MONTH_FLOOR = """
WITH done AS (
    SELECT c.author_id AS staff_id,
           count(*) FILTER (WHERE c.contact_type IN ('face_to_face', 'crisis_intervention')),
           count(*) FILTER (WHERE c.contact_type = 'home_visit'),
           count(*) FILTER (WHERE c.contact_type IN ('phone', 'video')),
           count(*) FILTER (WHERE c.contact_type IN ('collateral', 'case_conference')),
           count(*) FILTER (WHERE c.contact_type = 'attempted'),
           count(*) AS contacts,
           sum(c.duration_minutes), sum(c.travel_minutes),
           sum(CASE WHEN c.contact_type = 'attempted' THEN 0
                    ELSE (c.duration_minutes + c.travel_minutes) / 15
                         + CASE WHEN (c.duration_minutes + c.travel_minutes) %% 15 >= 8
                                THEN 1 ELSE 0 END END),
           count(DISTINCT c.client_id) FILTER (WHERE c.contact_type <> 'attempted')
    FROM clients_contact c
    WHERE c.occurred_at >= %(since)s AND c.occurred_at < %(until)s
    GROUP BY c.author_id
), caseload AS (
    SELECT e.case_manager_id AS staff_id, count(*) AS open_caseload
    FROM clients_enrollment e
    WHERE e.application_date <= %(end)s AND (e.closed_on IS NULL OR e.closed_on > %(end)s)
    GROUP BY e.case_manager_id
)
SELECT u.first_name, u.last_name, done.*, caseload.open_caseload
FROM done FULL JOIN caseload ON caseload.staff_id = done.staff_id
JOIN accounts_user u ON u.id = coalesce(done.staff_id, caseload.staff_id)
"""

# The record-review queue (quality:queue): the page of records still to review, oldest sample
# first, with client, program, case manager and period, and their count; then the score per
# case manager over the reviews done (the page's other tables are short by construction: the
# reviews awaiting return and the last 20 samples).
RECORD_REVIEW_QUEUE_FLOOR = """
WITH pending AS (
    SELECT r.id, r.previous_id, c.first_name, c.last_name, c.record_number, p.name AS program,
           u.first_name AS cm_first, u.last_name AS cm_last, s.period_start, s.period_end,
           count(*) OVER () AS total
    FROM quality_recordreview r
    JOIN quality_sample s ON s.id = r.sample_id
    JOIN clients_enrollment e ON e.id = r.enrollment_id
    JOIN clients_client c ON c.id = e.client_id
    JOIN clients_program p ON p.id = e.program_id
    JOIN accounts_user u ON u.id = r.case_manager_id
    WHERE r.status = 'pending'
    ORDER BY s.drawn_at, r.id
    LIMIT %(limit)s
), scores AS (
    SELECT r.case_manager_id, sum(r.met_count) AS met, sum(r.applicable_count) AS applicable,
           count(*) AS reviews
    FROM quality_recordreview r
    WHERE r.status <> 'pending'
    GROUP BY r.case_manager_id
)
SELECT 'pending', pending.id, pending.total, NULL::bigint FROM pending
UNION ALL
SELECT 'score', scores.case_manager_id, scores.met, scores.applicable FROM scores
"""

# The outcomes report over the agency (outcomes.selectors.outcomes_report): per program and
# measure, each episode's intake value against its latest follow-up or discharge value in the
# period (DISTINCT ON), its place on the measure's scale (a category's place in the list) and
# the gain in the measure's direction, counted improved / worse by the smallest meaningful
# change.
OUTCOMES_REPORT_FLOOR = """
WITH placed AS (
    SELECT m.enrollment_id, m.occasion, m.measured_on, m.id AS measurement_id, v.measure_id,
           CASE WHEN v.category <> '' THEN array_position(ms.categories, v.category)
                ELSE v.number END AS pos
    FROM outcomes_outcomemeasurement m
    JOIN outcomes_measurevalue v ON v.measurement_id = m.id
    JOIN outcomes_measure ms ON ms.id = v.measure_id
    WHERE m.is_current AND m.measured_on <= %(end)s
), latest AS (
    SELECT DISTINCT ON (enrollment_id, measure_id) enrollment_id, measure_id, pos
    FROM placed
    WHERE occasion IN ('follow_up', 'discharge') AND measured_on >= %(start)s
      AND pos IS NOT NULL
    ORDER BY enrollment_id, measure_id, measured_on DESC, measurement_id DESC
), gains AS (
    SELECT i.enrollment_id, i.measure_id,
           CASE WHEN ms.direction = 'higher' THEN l.pos - i.pos ELSE i.pos - l.pos END AS gain,
           ms.meaningful_change
    FROM placed i
    JOIN latest l ON l.enrollment_id = i.enrollment_id AND l.measure_id = i.measure_id
    JOIN outcomes_measure ms ON ms.id = i.measure_id
    WHERE i.occasion = 'intake' AND i.pos IS NOT NULL
)
SELECT p.name, g.measure_id, count(*),
       count(*) FILTER (WHERE g.gain >= g.meaningful_change),
       count(*) FILTER (WHERE g.gain <= -g.meaningful_change)
FROM gains g
JOIN clients_enrollment e ON e.id = g.enrollment_id
JOIN clients_program p ON p.id = e.program_id
GROUP BY p.name, g.measure_id
ORDER BY p.name, g.measure_id
"""


# The compliance-rate report as of a date (reports:compliance, per team, for the agency): per
# standard the enrollments open that day, those its rule finds due and unmet and those an
# approved variance excuses, counted per team; one row of its trend (reports:compliance_trend,
# which the page asks for at each of the twelve month ends before) the same for the whole
# agency on one day. Each rule's due set is compliance_floor's SQL for the rule, without the
# real run's "open now" (a day in the past counts the enrollments open then). It reads each
# program's current standards, where the rules for a past day also join the standards then
# in force (supervision.compliance.standard_on): the floor does a little less than the page.
def _compliance_rates_floor(*, per_team: bool) -> str:
    from devtools.benchmark.compliance_floor import FLOOR_RULES
    from reports.compliance_rates import STANDARDS

    as_of = "%(as_of)s"
    day_after = "((%(as_of)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"
    counts, joins = [], []
    for i, code in enumerate(STANDARDS):
        due = FLOOR_RULES[code].replace("e.status = 'open' AND ", "")
        joins.append(
            f"LEFT JOIN ({due}) d{i}(id, due_on, subject_id) ON d{i}.id = e.id"  # nosec B608  # the benchmark's own SQL; values as parameters
            f" LEFT JOIN (SELECT DISTINCT v.enrollment_id FROM supervision_variance v"
            f" WHERE v.rule = '{code}' AND v.status = 'approved'"
            f" AND v.decided_at < {day_after} AND v.approved_due_on >= {as_of}) v{i}"
            f" ON v{i}.enrollment_id = e.id"
        )
        counts.append(
            f"count(*) FILTER (WHERE d{i}.id IS NOT NULL AND v{i}.enrollment_id IS NULL),"
            f" count(*) FILTER (WHERE d{i}.id IS NOT NULL AND v{i}.enrollment_id IS NOT NULL)"
        )
    select = "t.name::text, t.id::bigint" if per_team else f"{as_of}::text, NULL::bigint"
    return (
        f"SELECT {select}, count(*), {', '.join(counts)} FROM clients_enrollment e"  # nosec B608  # the benchmark's own SQL; values as parameters
        " JOIN accounts_team t ON t.id = e.team_id "
        + " ".join(joins)
        + f" WHERE e.application_date <= {as_of}"
        f" AND (e.closed_on IS NULL OR e.closed_on > {as_of})"
        + (" GROUP BY t.name, t.id" if per_team else "")
    )


def compliance_rates_floor_params(as_of: dt.date) -> dict[str, Any]:
    """The day asked, as COMPLIANCE_RATES_FLOOR and COMPLIANCE_TREND_FLOOR read it."""
    return {"as_of": as_of, "ids": None, "tz": settings.TIME_ZONE}


# The figures per team on a day, and the whole agency's on one month end of the trend.
COMPLIANCE_RATES_FLOOR = _compliance_rates_floor(per_team=True)
COMPLIANCE_TREND_FLOOR = _compliance_rates_floor(per_team=False)


# Who read a client's record (clients:accesses, an administrator's page): the first page of the
# client's access-log rows, newest first, by their own client or among the clients an API read
# returned, with each reader's name, and how many there are in all.
CLIENT_ACCESSES_FLOOR = """
SELECT l.id, l.occurred_at, l.action, l.outcome, l.path, l.ip_address, l.row_count,
       u.username, u.first_name, u.last_name, count(*) OVER ()
FROM clients_accesslog l
JOIN accounts_user u ON u.id = l.user_id
WHERE l.client_id = %(client)s OR l.client_ids @> ARRAY[%(client)s]::bigint[]
ORDER BY l.occurred_at DESC, l.id DESC
LIMIT %(limit)s
"""
