"""Supervision note pages: gate (clients.access) → form (supervision.forms.notes) → service
(supervision.services) → redirect/render, in the style of referrals' views.

A supervisor writes a note about one client (``?enrollment=``), in answer to a positive risk
screen (``?risk_alert=``, which pre-fills the client, the case manager and the concerns: the
dashboard's review queue links here), or a clinical supervision session about a case manager
alone; a case conference has its own page (supervision.views.conferences: this note page with
participant rows). The staff member supervised acknowledges the note on its page, where
follow-up tasks are marked done or added to the client's service plan. The list shows the
notes a user may read: a case manager's own supervision, those still to acknowledge first.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.selectors import team_ids_writable_by
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import add_service_errors, save_with_service
from clients.access import log_client_view, log_denied, object_for_request
from clients.models import Enrollment
from exports import http as exports_http
from serviceplans.models import RiskAlert
from supervision import selectors, services, tables
from supervision.forms import conferences as conference_forms
from supervision.forms import notes as note_forms
from supervision.models import FollowUpTask, SupervisionNote

NOTE_LIST_PAGE_SIZE = 50
NOTE_DETAIL_SELECT_RELATED = (
    *selectors.NOTE_SELECT_RELATED,
    "risk_alert__risk_screen",
    "risk_alert__reviewed_by",
)
# Errors of the service about the formsets' rows, shown above the rows rather than the note.
ROW_ERRORS = ("tasks", "participants")


def enrollment_asked(request: AuthenticatedHttpRequest) -> Enrollment | None:
    """The client's enrollment the page is for: ``?enrollment=``, or the one chosen in the
    form. Out of the supervisor's teams it is not found (404, and the attempt is logged)."""
    raw = request.GET.get("enrollment") or (
        request.POST.get("enrollment") if request.method == "POST" else None
    )
    if not raw:
        return None
    return object_for_request(
        request,
        Enrollment,
        raw,
        write=True,
        select_related=("client", "program", "case_manager", "team"),
    )


def _risk_alert_asked(
    request: AuthenticatedHttpRequest, enrollment: Enrollment | None
) -> RiskAlert | None:
    """The positive risk screen the note answers (``?risk_alert=``): an alert of this
    enrollment, or 404."""
    raw = request.GET.get("risk_alert")
    if not raw:
        return None
    alert = None
    if enrollment is not None and raw.isdigit():
        alert = (
            RiskAlert.objects.visible_to(request.user)
            .select_related("risk_screen", "reviewed_by")
            .filter(pk=raw, risk_screen__enrollment=enrollment)
            .first()
        )
    if alert is None:
        log_denied(request, RiskAlert, raw)
        raise Http404("No such risk screen for this client.")
    return alert


def _row_errors(form: Any, error: ValidationError) -> dict[str, list[str]]:
    """Split a service's refusal: messages about the task and participant rows are returned
    for the page to show above the rows; the rest go onto the note's form."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return {}
    rows = {key: error.message_dict.get(key, []) for key in ROW_ERRORS}
    rest: dict[str, list[str]] = {}
    for field, messages_ in error.message_dict.items():
        if field in ROW_ERRORS:
            continue
        # A hidden field (the risk screen, a fixed client) has nowhere to show its error.
        hidden = field in form.fields and form.fields[field].widget.is_hidden
        rest.setdefault(NON_FIELD_ERRORS if hidden else field, []).extend(messages_)
    if rest:
        add_service_errors(form, ValidationError(rest))
    return rows


def note_page(
    request: AuthenticatedHttpRequest,
    *,
    team_ids: frozenset[int],
    enrollment: Enrollment | None,
    participant_choices: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form of a supervision note, or with ``participant_choices`` (what its participant
    rows offer) of a case conference, with its follow-up task rows; a valid POST writes it
    (supervision.services.note_write) and goes to the note."""
    conference = participant_choices is not None
    alert = _risk_alert_asked(request, enrollment)
    form = note_forms.NoteForm(
        request.POST or None,
        viewer=request.user,
        team_ids=team_ids,
        enrollment=enrollment,
        conference=conference,
        initial=_initial(enrollment, alert),
    )
    tasks = note_forms.TaskFormSet(request.POST or None, prefix="tasks")
    participants = None
    if participant_choices is not None:
        participants = conference_forms.ParticipantFormSet(
            request.POST or None, prefix="participants", form_kwargs=participant_choices
        )
    row_errors: dict[str, list[str]] = {}
    if _all_valid(request, form, tasks, participants):
        try:
            note = _note_write(request, form, tasks, participants)
        except ValidationError as error:
            row_errors = _row_errors(form, error)
        else:
            return _note_saved(request, note)
    if enrollment is not None:
        log_client_view(request, enrollment.client)
    return render(
        request,
        "supervision/conference_form.html" if conference else "supervision/note_form.html",
        {
            "form": form,
            "tasks": tasks,
            "participants": participants,
            "task_errors": row_errors.get("tasks", []),
            "participant_errors": row_errors.get("participants", []),
            "enrollment": enrollment,
            "client": enrollment.client if enrollment else None,
            "alert": alert,
            "conference_url": _conference_url(enrollment),
            # The client chosen stays in the address: a fixed field is not posted again.
            "form_action": _page_url(request, enrollment, alert),
            "cancel_url": _cancel_url(enrollment),
        },
        status=400 if request.method == "POST" else 200,
    )


def _initial(enrollment: Enrollment | None, alert: RiskAlert | None) -> dict[str, Any]:
    """The enrollment's case manager is the one supervised; a risk screen still to review
    pre-fills its alert and its concerns."""
    initial: dict[str, Any] = {}
    if enrollment is not None:
        initial["staff_supervised"] = enrollment.case_manager_id
    if alert is not None and alert.reviewed_at is None:
        initial["risk_alert"] = alert.pk
        initial["concerns"] = services.concerns_of_screen(alert.risk_screen)
    return initial


def _all_valid(
    request: AuthenticatedHttpRequest,
    form: note_forms.NoteForm,
    tasks: forms.BaseFormSet,
    participants: forms.BaseFormSet | None,
) -> bool:
    """A POST whose form and row formsets are all valid (each one validated, so each shows
    its errors)."""
    if request.method != "POST":
        return False
    valid = [form.is_valid(), tasks.is_valid()]
    if participants is not None:
        valid.append(participants.is_valid())
    return all(valid)


def _note_write(
    request: AuthenticatedHttpRequest,
    form: note_forms.NoteForm,
    tasks: forms.BaseFormSet,
    participants: forms.BaseFormSet | None,
) -> SupervisionNote:
    data = dict(form.cleaned_data)
    if participants is not None:
        data["kind"] = SupervisionNote.Kind.CASE_CONFERENCE
    return services.note_write(
        actor=request.user,
        tasks=note_forms.task_rows(tasks),
        participants=conference_forms.participant_rows(participants) if participants else [],
        **data,
    )


def _note_saved(request: AuthenticatedHttpRequest, note: SupervisionNote) -> HttpResponse:
    message = f"{note.get_kind_display()} saved."
    if note.risk_alert_id:
        message += " The risk screen is marked reviewed."
    messages.success(request, message)
    return redirect("supervision:note_detail", pk=note.pk)


def _cancel_url(enrollment: Enrollment | None) -> str:
    if enrollment is None:
        return reverse("supervision:note_list")
    return reverse("workspace:client", args=[enrollment.client_id])


def _conference_url(enrollment: Enrollment | None) -> str:
    url = reverse("supervision:conference_create")
    return f"{url}?{urlencode({'enrollment': enrollment.pk})}" if enrollment else url


def _page_url(
    request: AuthenticatedHttpRequest, enrollment: Enrollment | None, alert: RiskAlert | None
) -> str:
    query = {"enrollment": enrollment.pk} if enrollment else {}
    if alert is not None:
        query["risk_alert"] = alert.pk
    return f"{request.path}?{urlencode(query)}" if query else request.path


@login_required
def note_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new supervision note: ``?enrollment=`` for a client, ``&risk_alert=`` to review a
    positive risk screen of that client."""
    team_ids = services.require_supervisor(request.user)
    return note_page(request, team_ids=team_ids, enrollment=enrollment_asked(request))


# --- One note ---------------------------------------------------------------------------------


def _note_for(request: AuthenticatedHttpRequest, pk: int) -> SupervisionNote:
    return object_for_request(
        request, SupervisionNote, pk, select_related=NOTE_DETAIL_SELECT_RELATED
    )


def _detail_page(
    request: AuthenticatedHttpRequest,
    note: SupervisionNote,
    *,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The note; with the refusal of a POST made from it, its errors and a 400."""
    viewer = request.user
    if note.enrollment is not None:
        log_client_view(request, note.enrollment.client)
    selectors.note_contents(note)
    supervises = SupervisionNote.objects.writable_by(viewer).filter(pk=note.pk).exists()
    writes_plan = _writes_plan(viewer, note.enrollment_id)
    goals = (
        selectors.plan_goals_for_tasks(enrollment_id=note.enrollment_id)
        if writes_plan and note.enrollment_id is not None
        else []
    )
    return render(
        request,
        "supervision/note_detail.html",
        {
            "note": note,
            "client": note.enrollment.client if note.enrollment else None,
            "tasks": list(note.tasks.all()),
            "participants": list(note.participants.all()),
            "can_acknowledge": note.staff_supervised_id == viewer.pk and not note.is_acknowledged,
            "can_mark_done": supervises or note.staff_supervised_id == viewer.pk,
            "writes_plan": writes_plan,
            "goals": [(g.pk, note_forms.goal_choice_label(g)) for g in goals],
            "goals_in_draft": bool(goals) and goals[0].plan.is_draft,
            "errors": errors or [],
        },
        status=400 if errors else 200,
    )


def _writes_plan(viewer: User, enrollment_id: int | None) -> bool:
    """Whether the viewer may add the note's tasks to its client's service plan."""
    if enrollment_id is None:
        return False
    return Enrollment.objects.writable_by(viewer).filter(pk=enrollment_id).exists()


@login_required
def note_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The note, its follow-up tasks (and the plan interventions they became), a case
    conference's participants, and whether the staff member has acknowledged it."""
    return _detail_page(request, _note_for(request, pk))


@login_required
@require_POST
def note_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The staff member supervised acknowledges the note, once; anyone else is refused
    (403)."""
    note = _note_for(request, pk)
    try:
        services.note_acknowledge(actor=request.user, note=note)
    except ValidationError as error:
        return _detail_page(request, note, errors=error.messages)
    messages.success(request, "Supervision note acknowledged.")
    return redirect("supervision:note_detail", pk=note.pk)


def _task_for(request: AuthenticatedHttpRequest, pk: int) -> FollowUpTask:
    return object_for_request(request, FollowUpTask, pk, select_related=("note__enrollment",))


@login_required
@require_POST
def task_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark a follow-up task done: the staff member supervised or the supervisor."""
    task = _task_for(request, pk)
    try:
        services.task_done(actor=request.user, task=task)
    except ValidationError as error:
        return _detail_page(request, _note_for(request, task.note_id), errors=error.messages)
    messages.success(request, "Follow-up task marked done.")
    back_to = request.POST.get("next", "")
    # My work marks tasks done from its own list and asks to come back to it.
    if url_has_allowed_host_and_scheme(
        back_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back_to)
    return redirect("supervision:note_detail", pk=task.note_id)


@login_required
@require_POST
def task_add_to_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a follow-up task to the client's service plan as an intervention under a goal
    (``goal``): into the draft, started from the active plan when there is none. Those who
    cannot write the client's enrollment are refused (403)."""
    viewer = request.user
    task = _task_for(request, pk)
    enrollment_id = task.note.enrollment_id
    if enrollment_id is not None and not _writes_plan(viewer, enrollment_id):
        log_denied(request, FollowUpTask, pk)
        raise PermissionDenied("This client is not on your caseload.")
    form = note_forms.TaskToPlanForm(request.POST, enrollment_id=enrollment_id)
    action = save_with_service(
        form, request, partial(services.task_add_to_plan, actor=viewer, task=task)
    )
    if action is None:
        return _detail_page(
            request,
            _note_for(request, task.note_id),
            errors=[str(message) for messages in form.errors.values() for message in messages],
        )
    plan = action.goal.plan
    messages.success(
        request, f"Added to the service plan (version {plan.version}, draft) as an intervention."
    )
    return redirect("supervision:note_detail", pk=task.note_id)


# --- The note list ----------------------------------------------------------------------------


@login_required
def note_list(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The notes the user may read: a case manager's own supervision (those still to
    acknowledge first, with their count), a supervisor's teams', everyone's for
    administrators and QA reviewers; filter by kind, acknowledgement and client. Every note
    of the filter (not only the page) is exported with ``?format=csv|xlsx``
    (supervision.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "supervision.notes")
    viewer = request.user
    filters = tables.note_list_filter(viewer, request.GET)
    page = Paginator(filters.qs, NOTE_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {key: value for key in request.GET if key != "page" and (value := request.GET[key])}
    return render(
        request,
        "supervision/note_list.html",
        {
            "filters": filters,
            "page": page,
            "notes": selectors.with_concern_labels(page),
            "page_query": urlencode(query),
            "awaiting": selectors.notes_awaiting_acknowledgement(viewer=viewer),
            "can_write": bool(team_ids_writable_by(viewer)),
            "export_links": exports_http.export_links(request),
        },
    )
