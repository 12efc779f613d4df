"""Every URL of the project, walked as every role and as an outsider.

The list of URLs comes from the URLconf itself, so a new URL without a row in ``EXPECTED``
fails ``test_every_url_has_a_row_in_the_matrix``: it cannot be forgotten.

Roles: alice owns the client (case manager), bob is her teammate, sam their supervisor,
charlie a case manager of another team, ada an administrator, quinn a QA reviewer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import ApiToken
from clients.models import AccessLog
from exports.models import ExportJob
from exports.tables import registered_sources
from scheduling.services import feed_enable
from tests import factories

ROLES = ("anonymous", "alice", "bob", "sam", "charlie", "ada", "quinn")


@dataclass(frozen=True)
class Row:
    method: str
    codes: dict[str, int]
    object: str | None = None  # which fixture object's pk fills <pk>


def _codes(anonymous, alice, bob, sam, charlie, ada, quinn) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, alice, bob, sam, charlie, ada, quinn), strict=True))


# Web pages: anonymous is sent to the login page (302).
READ_CLIENT = _codes(302, 200, 200, 200, 404, 200, 200)
WRITE_CLIENT = _codes(302, 200, 403, 200, 404, 403, 403)
# API: anonymous gets 403 (session authentication sends no challenge).
API_LIST = _codes(403, 200, 200, 200, 200, 200, 200)
API_READ = _codes(403, 200, 200, 200, 404, 200, 200)
# POST with an empty body: writers get to validation (400), readers 403, outsiders 404.
API_ACTION = _codes(403, 400, 403, 400, 404, 403, 403)
ADMIN_ONLY = _codes(302, 302, 302, 302, 302, 200, 302)
ADMIN_EXCEPTIONS = {
    # The admin's own login page shows a form to anyone not yet let in, and sends an
    # administrator on to the index.
    "admin:login": _codes(200, 200, 200, 200, 200, 302, 200),
    "admin:logout": _codes(302, 302, 302, 302, 302, 405, 302),
    # Autocomplete answers only with a model and field named in the query string.
    "admin:autocomplete": _codes(302, 302, 302, 302, 302, 403, 302),
    # Change history is read in the admin, never written there.
    "admin:pghistory_events_add": _codes(302, 302, 302, 302, 302, 403, 302),
    # Log-in records are made by django-axes, never typed in.
    "admin:axes_accessattempt_add": _codes(302, 302, 302, 302, 302, 403, 302),
    "admin:axes_accessfailurelog_add": _codes(302, 302, 302, 302, 302, 403, 302),
    "admin:axes_accesslog_add": _codes(302, 302, 302, 302, 302, 403, 302),
}

EXPECTED: dict[str, Row] = {
    # Case managers are sent on to My work, supervisors to their dashboard; administrators
    # get the caseload, QA reviewers the record-review queue.
    "home": Row("get", _codes(302, 302, 302, 302, 302, 200, 302)),
    "workspace:caseload": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    # The load balancer's check: anyone, signed in or not (casemgmt.health).
    "health": Row("get", _codes(200, 200, 200, 200, 200, 200, 200)),
    "accounts:login": Row("get", _codes(200, 302, 302, 302, 302, 302, 302)),
    "accounts:logout": Row("get", _codes(405, 405, 405, 405, 405, 405, 405)),
    # The idle warning's "Stay signed in": a session that has ended answers 401 (a fetch).
    "accounts:keep_alive": Row("post", _codes(401, 200, 200, 200, 200, 200, 200)),
    # The second factor's pages: a session past it (force_login's) is sent on from the code
    # and the enrolment pages; anyone signed in may renew their recovery codes; an
    # administrator resets a colleague's lost authenticator.
    "accounts:second_factor": Row("get", _codes(302, 302, 302, 302, 302, 302, 302)),
    "accounts:second_factor_enrol": Row("get", _codes(302, 302, 302, 302, 302, 302, 302)),
    "accounts:second_factor_recovery_codes": Row("post", _codes(302, 200, 200, 200, 200, 200, 200)),
    "accounts:second_factor_reset": Row(
        "get", _codes(302, 403, 403, 403, 403, 200, 403), "colleague"
    ),
    # One's own account (recovery codes, API tokens); revoking answers with the page again,
    # whoever's token it is (only one's own is revoked).
    "accounts:account": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "accounts:api_token_revoke": Row(
        "post", _codes(302, 302, 302, 302, 302, 302, 302), "api_token"
    ),
    # Passkeys (JSON for static/js/passkeys.js). The cast has none: a login with one is
    # refused (400); anyone signed in may start adding one, and an empty answer is refused
    # (400); removing answers with the account page, whoever's id (only one's own goes).
    "accounts:passkey_authentication_begin": Row("post", _codes(302, 400, 400, 400, 400, 400, 400)),
    "accounts:passkey_authentication_complete": Row(
        "post", _codes(302, 400, 400, 400, 400, 400, 400)
    ),
    "accounts:passkey_registration_begin": Row("post", _codes(302, 200, 200, 200, 200, 200, 200)),
    "accounts:passkey_registration_complete": Row(
        "post", _codes(302, 400, 400, 400, 400, 400, 400)
    ),
    "accounts:passkey_remove": Row("post", _codes(302, 302, 302, 302, 302, 302, 302), "colleague"),
    # The client directory: every role lists the clients it may read (charlie: his team's).
    "clients:client_list": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    # Its file (served by the workspace: clients sits below exports); a file only, so a
    # request without ``?format=`` answers 400.
    "workspace:client_list_export": Row("get", _codes(302, 400, 400, 400, 400, 400, 400)),
    "clients:register": Row("get", _codes(302, 200, 200, 200, 200, 403, 403)),
    # Who read a client's record: administrators only.
    "clients:accesses": Row("get", _codes(302, 403, 403, 403, 403, 200, 403), "client"),
    # Emergency access ("break the glass"): requested by those whose scope is their teams
    # (administrators and QA reviewers read every client already); the grants are reviewed
    # by supervisors (their teams' clients) and administrators.
    "clients:emergency_access_request": Row("get", _codes(302, 200, 200, 200, 200, 403, 403)),
    "clients:emergency_accesses": Row("get", _codes(302, 403, 403, 200, 403, 200, 403)),
    "workspace:client": Row("get", READ_CLIENT, "client"),
    # The client page's cards that arrive after it (htmx): the same gate as the page.
    "workspace:releases_card": Row("get", READ_CLIENT, "client"),
    "workspace:supervision_card": Row("get", READ_CLIENT, "client"),
    "clients:edit": Row("get", WRITE_CLIENT, "client"),
    "clients:family_add": Row("get", WRITE_CLIENT, "client"),
    "clients:family_edit": Row("get", WRITE_CLIENT, "family_member"),
    # bob may open an enrollment of a team client onto his own caseload.
    "clients:enrollment_open": Row("get", _codes(302, 200, 200, 200, 404, 403, 403), "client"),
    "workspace:contact_create": Row("get", WRITE_CLIENT, "client"),
    # The contact modal's draft: only for a client on the author's writable caseload (404
    # otherwise, even where the client may be read); an empty form is an empty draft.
    "workspace:contact_draft": Row("post", _codes(302, 200, 404, 200, 404, 404, 404), "client"),
    "clients:enrollment_edit": Row("get", WRITE_CLIENT, "enrollment"),
    "clients:enrollment_transfer": Row("get", WRITE_CLIENT, "enrollment"),
    # Deactivating a colleague who leaves (bob, with no caseload): administrators only.
    "clients:staff_departure": Row("get", _codes(302, 403, 403, 403, 403, 200, 403), "colleague"),
    "clients:enrollment_close": Row("get", WRITE_CLIENT, "enrollment"),
    # Only the author corrects; sam may write and is sent on to the addendum (302).
    "clients:contact_correct": Row("get", _codes(302, 200, 403, 302, 404, 403, 403), "contact"),
    "clients:contact_addendum": Row("get", WRITE_CLIENT, "contact"),
    "api-root": Row("get", API_LIST),
    "api-schema": Row("get", API_LIST),
    "api-docs": Row("get", API_LIST),
    "client-list": Row("get", API_LIST),
    "client-detail": Row("get", API_READ, "client"),
    "enrollment-list": Row("get", API_LIST),
    "enrollment-detail": Row("get", API_READ, "enrollment"),
    "enrollment-transfer": Row("post", API_ACTION, "enrollment"),
    "enrollment-close": Row("post", API_ACTION, "enrollment"),
    "contact-list": Row("get", API_LIST),
    "contact-detail": Row("get", API_READ, "contact"),
    "contact-addendum": Row("post", API_ACTION, "contact"),
    # serviceplans: assessment and screening pages
    # Started by a POST from the client page; the cast's enrollment already has alice's
    # draft, so writers are sent back to the client page with the reason (302).
    "serviceplans:assessment_start": Row(
        "post", _codes(302, 302, 403, 302, 404, 403, 403), "enrollment"
    ),
    "serviceplans:assessment_detail": Row("get", READ_CLIENT, "assessment"),
    # A draft is edited by its author only, even by the supervisor.
    "serviceplans:assessment_edit": Row(
        "get", _codes(302, 200, 403, 403, 404, 403, 403), "assessment"
    ),
    # POST with an empty body: writers get to validation (400).
    "serviceplans:assessment_addendum": Row(
        "post", _codes(302, 400, 403, 400, 404, 403, 403), "assessment"
    ),
    "serviceplans:risk_screen_create": Row("get", WRITE_CLIENT, "enrollment"),
    "serviceplans:risk_screen_detail": Row("get", READ_CLIENT, "risk_screen"),
    # serviceplans: service plan pages
    "serviceplans:plan_start": Row("get", WRITE_CLIENT, "enrollment"),
    "serviceplans:plan_detail": Row("get", READ_CLIENT, "plan"),
    "serviceplans:plan_pdf": Row("get", READ_CLIENT, "plan"),
    "serviceplans:plan_edit": Row("get", WRITE_CLIENT, "plan"),
    # Only a supervisor of the team who is not the plan's author approves.
    "serviceplans:plan_approve": Row("get", _codes(302, 403, 403, 200, 404, 403, 403), "plan"),
    # The cast's plan is a draft: only the active plan is reviewed, so writers are sent back
    # to the plan with the reason (302).
    "serviceplans:plan_review": Row("get", _codes(302, 302, 403, 302, 404, 403, 403), "plan"),
    "serviceplans:goal_add": Row("get", WRITE_CLIENT, "plan"),
    "serviceplans:goal_edit": Row("get", WRITE_CLIENT, "goal"),
    "serviceplans:action_add": Row("get", WRITE_CLIENT, "goal"),
    "serviceplans:action_edit": Row("get", WRITE_CLIENT, "action"),
    "serviceplans:barrier_add": Row("get", WRITE_CLIENT, "plan"),
    "serviceplans:barrier_edit": Row("get", WRITE_CLIENT, "barrier"),
    # serviceplans: API
    "assessment-list": Row("get", API_LIST),
    "assessment-detail": Row("get", API_READ, "assessment"),
    "assessment-complete": Row("post", API_ACTION, "assessment"),
    "assessment-addendum": Row("post", API_ACTION, "assessment"),
    "risk-screen-list": Row("get", API_LIST),
    "risk-screen-detail": Row("get", API_READ, "risk_screen"),
    "plan-list": Row("get", API_LIST),
    "plan-detail": Row("get", API_READ, "plan"),
    # The approval date may be left out, so an empty body is valid: alice may write to her
    # plan but only a supervisor approves (403); sam gets to the plan's readiness (400: no
    # rationale or signature date yet).
    "plan-approve": Row("post", _codes(403, 403, 403, 400, 404, 403, 403), "plan"),
    "plan-reviews": Row("post", API_ACTION, "plan"),
    "goal-list": Row("get", API_LIST),
    "goal-detail": Row("get", API_READ, "goal"),
    "plan-action-list": Row("get", API_LIST),
    "plan-action-detail": Row("get", API_READ, "action"),
    "barrier-list": Row("get", API_LIST),
    "barrier-detail": Row("get", API_READ, "barrier"),
    # referrals: provider directory and agreements
    "referrals:provider_list": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "referrals:provider_detail": Row("get", _codes(302, 200, 200, 200, 200, 200, 200), "provider"),
    # Administrators maintain the directory; everyone else is refused (403).
    "referrals:provider_create": Row("get", _codes(302, 403, 403, 403, 403, 200, 403)),
    "referrals:provider_edit": Row("get", _codes(302, 403, 403, 403, 403, 200, 403), "provider"),
    "referrals:agreement_create": Row("get", _codes(302, 403, 403, 403, 403, 200, 403), "provider"),
    # The cast has no agreement (the provider's id stands in for one): the role is checked
    # first (403), then ada is told there is no such agreement (404);
    # tests/referrals/test_views_providers.py edits and downloads real ones.
    "referrals:agreement_edit": Row("get", _codes(302, 403, 403, 403, 403, 404, 403), "provider"),
    "referrals:agreement_document": Row(
        "get", _codes(302, 404, 404, 404, 404, 404, 404), "provider"
    ),
    # referrals: consents and accounting of disclosures
    "referrals:consent_create": Row("get", WRITE_CLIENT, "client"),
    "referrals:consent_detail": Row("get", READ_CLIENT, "consent"),
    "referrals:consent_revoke": Row("get", WRITE_CLIENT, "consent"),
    # The cast's consent has no signed copy: readers are told so (404) like outsiders;
    # tests/referrals/test_views_consents.py downloads one.
    "referrals:consent_signed_copy": Row(
        "get", _codes(302, 404, 404, 404, 404, 404, 404), "consent"
    ),
    "referrals:consents_expiring": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    # A client's accounting of disclosures is a file only: without ?format= it answers 400.
    "referrals:disclosure_export": Row("get", _codes(302, 400, 400, 400, 404, 400, 400), "client"),
    # referrals: referrals
    "referrals:referral_list": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "referrals:referral_create": Row("get", WRITE_CLIENT, "client"),
    "referrals:referral_detail": Row("get", READ_CLIENT, "referral"),
    # POST with an empty body: writers get to validation (400).
    "referrals:referral_transition": Row(
        "post", _codes(302, 400, 403, 400, 404, 403, 403), "referral"
    ),
    "referrals:referral_follow_up": Row(
        "post", _codes(302, 400, 403, 400, 404, 403, 403), "referral"
    ),
    # The cast's consent covers the referral: writers get the PDF (and a disclosure).
    "referrals:referral_packet": Row("post", WRITE_CLIENT, "referral"),
    # referrals: API
    "provider-list": Row("get", API_LIST),
    "provider-detail": Row("get", API_LIST, "provider"),
    "agreement-list": Row("get", API_LIST),
    # The cast has no agreement (the provider's id stands in for one): everyone logged in
    # reads agreements, and there is none by that id (404);
    # tests/referrals/test_api_agreements.py reads real ones.
    "agreement-detail": Row("get", _codes(403, 404, 404, 404, 404, 404, 404), "provider"),
    "consent-list": Row("get", API_LIST),
    "consent-detail": Row("get", API_READ, "consent"),
    "consent-revoke": Row("post", API_ACTION, "consent"),
    "referral-list": Row("get", API_LIST),
    "referral-detail": Row("get", API_READ, "referral"),
    "referral-transition": Row("post", API_ACTION, "referral"),
    "referral-follow-up": Row("post", API_ACTION, "referral"),
    # A packet needs no body: the cast's consent covers the referral, so writers record the
    # disclosure (201).
    "referral-packet": Row("post", _codes(403, 201, 403, 201, 404, 403, 403), "referral"),
    "disclosure-list": Row("get", API_LIST),
    # supervision: dashboard, flags
    # The dashboard is for supervisors, administrators and QA: case managers are refused.
    "workspace:dashboard": Row("get", _codes(302, 403, 403, 200, 403, 200, 200)),
    # My work: a case manager's and a supervisor's own list; administrators and QA reviewers
    # hold no caseload and receive no supervision.
    "workspace:my_work": Row("get", _codes(302, 200, 200, 200, 200, 403, 403)),
    "supervision:flag_list": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "flag-list": Row("get", API_LIST),
    "flag-detail": Row("get", API_READ, "flag"),
    # supervision: notes, conferences
    # The cast's note is sam's to alice: bob, a teammate, does not read a colleague's
    # supervision (404). Only supervisors write notes; only alice acknowledges (sam, ada and
    # quinn read it and are refused, 403); alice or sam mark its task done (302 back to the
    # note). Adding the task to the plan needs the client's enrollment writable: an empty
    # POST gets writers to validation (400: no goal).
    "supervision:note_list": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "supervision:note_create": Row("get", _codes(302, 403, 403, 200, 403, 403, 403)),
    "supervision:conference_create": Row("get", _codes(302, 403, 403, 200, 403, 403, 403)),
    "supervision:note_detail": Row("get", _codes(302, 200, 404, 200, 404, 200, 200), "note"),
    "supervision:note_acknowledge": Row("post", _codes(302, 302, 404, 403, 404, 403, 403), "note"),
    "supervision:task_done": Row("post", _codes(302, 302, 404, 302, 404, 403, 403), "task"),
    "supervision:task_add_to_plan": Row("post", _codes(302, 400, 404, 400, 404, 403, 403), "task"),
    "supervision-note-list": Row("get", API_LIST),
    "supervision-note-detail": Row("get", _codes(403, 200, 404, 200, 404, 200, 200), "note"),
    "supervision-note-acknowledge": Row("post", _codes(403, 200, 404, 403, 404, 403, 403), "note"),
    "follow-up-task-list": Row("get", API_LIST),
    "follow-up-task-detail": Row("get", _codes(403, 200, 404, 200, 404, 200, 200), "task"),
    "follow-up-task-done": Row("post", _codes(403, 200, 404, 200, 404, 403, 403), "task"),
    "follow-up-task-add-to-plan": Row("post", _codes(403, 400, 404, 400, 404, 403, 403), "task"),
    # supervision: variances, regional plans
    # Asked by whoever may write the enrollment; read like the client; decided by division
    # administration alone (403 for everyone else, whatever the team).
    "supervision:variance_request": Row("get", WRITE_CLIENT, "enrollment"),
    "supervision:variance_detail": Row("get", READ_CLIENT, "variance"),
    "supervision:variance_list": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "supervision:variance_queue": Row("get", _codes(302, 403, 403, 403, 403, 200, 403)),
    "supervision:variance_decide": Row(
        "get", _codes(302, 403, 403, 403, 403, 200, 403), "variance"
    ),
    # Regional plans are agency business: everyone reads them; sam supervises a team of the
    # draft plan's region and writes it; administrators decide it.
    "supervision:regional_plan_list": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "supervision:regional_plan_create": Row("get", _codes(302, 403, 403, 200, 403, 403, 403)),
    "supervision:regional_plan_detail": Row(
        "get", _codes(302, 200, 200, 200, 200, 200, 200), "regional_plan"
    ),
    "supervision:regional_plan_edit": Row(
        "get", _codes(302, 403, 403, 200, 403, 403, 403), "regional_plan"
    ),
    # POST with an empty body: the draft has no goals yet (400 for its writer); ada must say
    # approve or return (400).
    "supervision:regional_plan_submit": Row(
        "post", _codes(302, 403, 403, 400, 403, 403, 403), "regional_plan"
    ),
    "supervision:regional_plan_decide": Row(
        "post", _codes(302, 403, 403, 403, 403, 400, 403), "regional_plan"
    ),
    # scheduling: the week of those who hold a schedule (case managers and supervisors); a
    # team's week for its supervisor only (404 for anyone else); a visit changed by whoever may
    # write its enrollment. The feed needs no login, only its token (any role: 200).
    "scheduling:schedule": Row("get", _codes(302, 200, 200, 200, 200, 403, 403)),
    "scheduling:team_schedule": Row("get", _codes(302, 404, 404, 200, 404, 404, 404), "team"),
    "scheduling:visit_plan": Row("get", _codes(302, 200, 200, 200, 200, 403, 403)),
    "scheduling:visit_edit": Row("get", WRITE_CLIENT, "visit"),
    "scheduling:visit_cancel": Row("get", WRITE_CLIENT, "visit"),
    "scheduling:visit_mark_missed": Row("get", WRITE_CLIENT, "visit"),
    "scheduling:feed_settings": Row("get", _codes(302, 200, 200, 200, 200, 403, 403)),
    "scheduling:feed": Row("get", _codes(200, 200, 200, 200, 200, 200, 200), "feed_token"),
    # reports: the staff activity log of each role's scope (a case manager's own, a
    # supervisor's teams, the agency for administrators and QA reviewers).
    "reports:activity": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    # The compliance rates and the enrollments behind a figure, each role its own scope (the
    # drill-down with nothing asked: today's enrollments not meeting the first standard).
    "reports:compliance": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "reports:compliance_trend": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "reports:compliance_enrollments": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    # The log's contacts one by one are a file only: asked without ?format=, 400.
    "reports:activity_contacts": Row("get", _codes(302, 400, 400, 400, 400, 400, 400)),
    # exports: an export job's page and file are its requester's (alice's) alone.
    "exports:job": Row("get", _codes(302, 200, 404, 404, 404, 404, 404), "export_job"),
    "exports:download": Row("get", _codes(302, 200, 404, 404, 404, 404, 404), "export_job"),
    # quality: QA reviewers (and administrators) draw samples and review; anyone else 404. Once
    # returned, a review is read by the case manager reviewed (alice) and her supervisor (sam);
    # alice acknowledges it and she or sam closes its corrective action. A POST that the
    # service refuses on the record's state comes back to the review (302) with a message.
    "quality:queue": Row("get", _codes(302, 404, 404, 404, 404, 200, 200)),
    "quality:sample_draw": Row("get", _codes(302, 404, 404, 404, 404, 200, 200)),
    "quality:sample_detail": Row("get", _codes(302, 404, 404, 404, 404, 200, 200), "sample"),
    "quality:findings": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "quality:trend": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "quality:review": Row("get", _codes(302, 200, 404, 200, 404, 200, 200), "record_review"),
    "quality:action_add": Row("get", _codes(302, 403, 404, 403, 404, 200, 200), "record_review"),
    "quality:review_return": Row(
        "post", _codes(302, 403, 404, 403, 404, 302, 302), "record_review"
    ),
    "quality:review_acknowledge": Row(
        "post", _codes(302, 302, 404, 403, 404, 403, 403), "record_review"
    ),
    "quality:rereview": Row("post", _codes(302, 403, 404, 403, 404, 302, 302), "record_review"),
    "quality:action_done": Row(
        "post", _codes(302, 302, 404, 302, 404, 403, 403), "corrective_action"
    ),
    # outcomes: an occasion's measures recorded (and corrected) by whoever may write the
    # enrollment; the client page's card read like the client; the reports open to every role,
    # each counting its own scope (a case manager's caseload, a supervisor's teams, the agency).
    "outcomes:measurement_create": Row("get", WRITE_CLIENT, "enrollment"),
    "outcomes:measurement_correct": Row("get", WRITE_CLIENT, "measurement"),
    "outcomes:client_card": Row("get", READ_CLIENT, "client"),
    "outcomes:report": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "outcomes:continuity": Row("get", _codes(302, 200, 200, 200, 200, 200, 200)),
    "variance-list": Row("get", API_LIST),
    "variance-detail": Row("get", API_READ, "variance"),
    # An empty body approves until the proposed date (200); a denial needs a note (400).
    "variance-approve": Row("post", _codes(403, 403, 403, 403, 403, 200, 403), "variance"),
    "variance-deny": Row("post", _codes(403, 403, 403, 403, 403, 400, 403), "variance"),
    "regional-plan-list": Row("get", API_LIST),
    "regional-plan-detail": Row("get", API_LIST, "regional_plan"),
    "regional-plan-submit": Row("post", _codes(403, 403, 403, 400, 403, 403, 403), "regional_plan"),
    "regional-plan-decide": Row("post", _codes(403, 403, 403, 403, 403, 400, 403), "regional_plan"),
}


def _walk(patterns, namespace: str = "", prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.pattern.converters


def _project_url_names() -> set[str]:
    """Named URLs, less the API's format-suffix duplicates and the admin's object pages
    (the admin is walked through its index and list pages, which need no ids)."""
    names = set()
    for name, route, converters in _walk(get_resolver().url_patterns):
        if "format" in converters or "<format>" in route or "\\.(?P<format>" in route:
            continue
        if name.startswith("admin:"):
            continue
        names.add(name)
    return names


def _admin_url_names() -> list[str]:
    names = []
    for name, route, converters in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") and not converters and "(?P<" not in route:
            names.append(name)
    return sorted(set(names))


def test_every_url_has_a_row_in_the_matrix() -> None:
    missing = _project_url_names() - set(EXPECTED)
    assert not missing, f"Add these URLs to tests/test_url_matrix.py EXPECTED: {sorted(missing)}"


def _record_review_objects(enrollment, quinn) -> dict[str, object]:
    review = factories.ReturnedRecordReviewFactory(
        enrollment=enrollment, sample__drawn_by=quinn, reviewer=quinn
    )
    return {
        "sample": review.sample,
        "record_review": review,
        "corrective_action": factories.CorrectiveActionFactory(review=review),
    }


def _export_job(owner) -> ExportJob:
    job = ExportJob(
        requested_by=owner, source="reports.activity_contacts", format="csv", page="/",
        total_rows=1, rows_written=1, status=ExportJob.Status.DONE,
        finished_at=timezone.now(), expires_at=timezone.now() + dt.timedelta(hours=1),
    )  # fmt: skip
    job.file.save("matrix.csv", ContentFile(b"Date\n2026-12-04\n"))
    return job


@pytest.fixture
def cast(alice, bob, sam, charlie, ada, quinn, enrollment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = factories.ServicePlanFactory(enrollment=enrollment)
    goal = factories.GoalFactory(plan=plan)
    provider = factories.ProviderFactory()
    note = factories.SupervisionNoteFactory(enrollment=enrollment, author=sam)
    objects = {
        "client": enrollment.client,
        "enrollment": enrollment,
        "family_member": factories.FamilyMemberFactory(client=enrollment.client),
        "contact": factories.ContactFactory(enrollment=enrollment),
        # alice's draft assessment, a screen, and her draft plan with a goal, an
        # intervention and a barrier.
        "assessment": factories.AssessmentFactory(enrollment=enrollment),
        "risk_screen": factories.RiskScreenFactory(enrollment=enrollment),
        "plan": plan,
        "goal": goal,
        "action": factories.PlanActionFactory(goal=goal),
        "barrier": factories.BarrierFactory(plan=plan),
        # A provider in the directory, a consent of alice's client to it, a draft referral.
        "provider": provider,
        "consent": factories.ConsentFactory(client=enrollment.client, recipient_provider=provider),
        "referral": factories.ReferralFactory(enrollment=enrollment, provider=provider),
        # An open flag on alice's enrollment, sam's note to alice about it with a follow-up
        # task, alice's pending variance, and a draft regional plan of sam's region.
        "flag": factories.FlagFactory(enrollment=enrollment),
        "note": note,
        "task": factories.FollowUpTaskFactory(note=note),
        "variance": factories.VarianceFactory(enrollment=enrollment),
        "regional_plan": factories.RegionalPlanFactory(region=sam.team.region, prepared_by=sam),
        # alice's visit tomorrow, sam's team, and alice's calendar feed (its token as the pk).
        "visit": factories.PlannedVisitFactory(enrollment=enrollment),
        "team": sam.team,
        "colleague": bob,
        "api_token": ApiToken.objects.create(
            user=alice, name="Script", key_sha256="0" * 64, expires_at=timezone.now()
        ),
        "feed_token": SimpleNamespace(pk=feed_enable(user=alice)),
        # alice's intake measurement of the enrollment.
        "measurement": factories.OutcomeMeasurementFactory(enrollment=enrollment),
        # alice's export job, written and within its hours.
        "export_job": _export_job(alice),
        # quinn's review of alice's record, returned with an open corrective action.
        **_record_review_objects(enrollment, quinn),
    }
    users = {"alice": alice, "bob": bob, "sam": sam, "charlie": charlie, "ada": ada, "quinn": quinn}
    return users, objects


# How a refusal of a record is written in the access log (clients.audit).
REFUSAL_OUTCOMES = {403: AccessLog.Outcome.REFUSED, 404: AccessLog.Outcome.NOT_FOUND}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_url_answers_each_role_as_expected(client, cast, name: str, role: str) -> None:
    """Each answer is the row's; and each refusal of a record (403 or 404 on a URL with its
    id) to a signed-in user leaves one access-log row for that user and path (HIPAA 45 CFR
    164.312(b), audit controls)."""
    users, objects = cast
    row = EXPECTED[name]
    args = [objects[row.object].pk] if row.object else []
    if role != "anonymous":
        client.force_login(users[role])
    url = reverse(name, args=args)
    response = getattr(client, row.method)(url)
    assert response.status_code == row.codes[role], f"{row.method.upper()} {name} as {role}"
    outcome = REFUSAL_OUTCOMES.get(response.status_code)
    if role != "anonymous" and row.object and outcome is not None:
        logged = AccessLog.objects.filter(
            user=users[role], path=url, action=AccessLog.Action.DENIED, outcome=outcome
        )
        assert logged.count() == 1, f"the refusal of {name} to {role} is not in the access log"


# Every page with an export (?format=csv|xlsx) and the table it registers (exports.tables).
EXPORTING_PAGES: dict[str, str] = {
    "workspace:caseload": "workspace.caseload",
    "workspace:client_list_export": "workspace.client_directory",
    "workspace:dashboard": "workspace.dashboard",
    "workspace:my_work": "workspace.my_work",
    "scheduling:schedule": "scheduling.schedule",
    "scheduling:team_schedule": "scheduling.team_schedule",
    "supervision:flag_list": "supervision.flags",
    "supervision:variance_queue": "supervision.variance_queue",
    "supervision:note_list": "supervision.notes",
    "supervision:variance_list": "supervision.variance_list",
    "supervision:regional_plan_list": "supervision.regional_plans",
    "referrals:referral_list": "referrals.referral_list",
    "referrals:provider_list": "referrals.provider_list",
    "referrals:consents_expiring": "referrals.consents_expiring",
    "referrals:disclosure_export": "referrals.disclosures",
    "reports:activity": "reports.activity",
    "reports:activity_contacts": "reports.activity_contacts",
    "reports:compliance": "reports.compliance",
    "reports:compliance_enrollments": "reports.compliance_enrollments",
    "outcomes:report": "outcomes.report",
    "outcomes:continuity": "outcomes.continuity",
    "quality:queue": "quality.queue",
    "quality:findings": "quality.findings",
    "quality:trend": "quality.trend",
}
# Pages that are a file only: asked without ?format= they answer 400.
FILE_ONLY = {
    "reports:activity_contacts",
    "workspace:client_list_export",
    "referrals:disclosure_export",
}


def test_every_registered_export_has_a_page_in_the_matrix() -> None:
    assert set(EXPORTING_PAGES.values()) == {s.name for s in registered_sources()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPORTING_PAGES))
def test_each_export_answers_each_role_as_its_page(client, cast, name: str, role: str) -> None:
    """The file is for whoever may open the page (the page's code; a file-only page's 400
    becomes the file), and it never holds the record number of a client the role cannot
    open (charlie, of another team, cannot open alice's client)."""
    users, objects = cast
    row = EXPECTED[name]
    page_code = row.codes[role]
    args = [objects[row.object].pk] if row.object else []
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(reverse(name, args=args), {"format": "csv"})
    expected = 200 if page_code == 200 or (name in FILE_ONLY and page_code == 400) else page_code
    assert response.status_code == expected, f"{name} as {role}"
    if expected == 200:
        content = b"".join(response.streaming_content).decode()
        assert response["Content-Disposition"].startswith("attachment")
        if EXPECTED["workspace:client"].codes[role] == 404:
            assert objects["client"].record_number not in content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", _admin_url_names())
def test_the_admin_is_for_administrators_only(client, cast, name: str, role: str) -> None:
    users, _ = cast
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(reverse(name))
    expected = ADMIN_EXCEPTIONS.get(name, ADMIN_ONLY)
    assert response.status_code == expected[role], f"GET {name} as {role}"
