"""The floors of the pages: per page, one hand-written SQL statement that fetches the rows
the page shows."""

from __future__ import annotations

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

DASHBOARD_FLOOR = """
SELECT e.case_manager_id, f.rule, count(DISTINCT e.id), count(f.id)
FROM clients_enrollment e
LEFT JOIN supervision_flag f ON f.enrollment_id = e.id AND f.resolved_on IS NULL
WHERE e.team_id = %(team)s AND e.status = 'open'
GROUP BY GROUPING SETS ((e.case_manager_id), (e.case_manager_id, f.rule))
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


# The caseload searched for a name no client has: the same session, user, navigation bar,
# layout and queries as the caseload, and no rows. Its time over the caseload's floor shows
