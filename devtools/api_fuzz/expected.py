"""The write operations each role of the run may perform (casemgmt.roles, DESIGN.md "Who uses
it"): every one must answer 2xx at least once, and no other write may. A new write operation
belongs in one list or in ``NOBODY_HERE`` (``tests/devtools/test_api_fuzz.py`` holds the lists
to the schema), so an API that refuses everything, or lets a role do more, fails the run."""

from __future__ import annotations

API = "/api/v1"

# Division administration: the directory and the decisions, never clinical records.
ADMINISTRATOR = frozenset(
    {
        f"POST {API}/providers/",
        f"PATCH {API}/providers/{{id}}/",
        f"POST {API}/agreements/",
        f"PATCH {API}/agreements/{{id}}/",
        f"POST {API}/variances/{{id}}/approve/",
        f"POST {API}/variances/{{id}}/deny/",
        f"POST {API}/regional-plans/{{id}}/decide/",
    }
)

# A case manager: the clinical record of their own caseload, asking for variances, and the
# supervision notes written to them.
CASE_MANAGER = frozenset(
    {
        f"POST {API}/clients/",
        f"PUT {API}/clients/{{id}}/",
        f"PATCH {API}/clients/{{id}}/",
        f"POST {API}/enrollments/",
        f"PATCH {API}/enrollments/{{id}}/",
        f"POST {API}/enrollments/{{id}}/close/",
        f"POST {API}/enrollments/{{id}}/transfer/",
        f"POST {API}/contacts/",
        f"PATCH {API}/contacts/{{id}}/",
        f"POST {API}/contacts/{{id}}/addendum/",
        f"POST {API}/assessments/",
        f"PATCH {API}/assessments/{{id}}/",
        f"POST {API}/assessments/{{id}}/complete/",
        f"POST {API}/assessments/{{id}}/addendum/",
        f"POST {API}/risk-screens/",
        f"POST {API}/plans/",
        f"PATCH {API}/plans/{{id}}/",
        f"POST {API}/plans/{{id}}/reviews/",
        f"POST {API}/goals/",
        f"PATCH {API}/goals/{{id}}/",
        f"POST {API}/plan-actions/",
        f"PATCH {API}/plan-actions/{{id}}/",
        f"POST {API}/barriers/",
        f"PATCH {API}/barriers/{{id}}/",
        f"POST {API}/consents/",
        f"POST {API}/consents/{{id}}/revoke/",
        f"POST {API}/referrals/",
        f"POST {API}/referrals/{{id}}/transition/",
        f"POST {API}/referrals/{{id}}/follow-up/",
        f"POST {API}/referrals/{{id}}/packet/",
        f"POST {API}/variances/",
        f"POST {API}/supervision-notes/{{id}}/acknowledge/",
        f"POST {API}/follow-up-tasks/{{id}}/done/",
        f"POST {API}/follow-up-tasks/{{id}}/add-to-plan/",
    }
)

# Writes of the supervisors alone (approving a plan, writing supervision notes, the regional
# plans): neither role of the run may perform them.
NOBODY_HERE = frozenset(
    {
        f"POST {API}/plans/{{id}}/approve/",
        f"POST {API}/supervision-notes/",
        f"POST {API}/regional-plans/",
        f"PATCH {API}/regional-plans/{{id}}/",
        f"POST {API}/regional-plans/{{id}}/submit/",
    }
)

WRITES: dict[str, frozenset[str]] = {
    "case_manager": CASE_MANAGER,
    "administrator": ADMINISTRATOR,
}
