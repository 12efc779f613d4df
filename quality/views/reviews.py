"""One record review: the checklist pre-filled from the record, the findings, the corrective
actions, the acknowledgement and the re-review; and the findings list of those reviewed.

gate (clients.access.object_for_request over RecordReview.visible_to) → form → service →
redirect. A pending review is seen by reviewers only: the case manager and their supervisor
see it once its findings are returned; anyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import add_service_errors
from clients.access import object_for_request
from exports import http as exports_http
from quality import selectors, services
from quality.forms import (
    AcknowledgeForm,
    ActionDoneForm,
    CorrectiveActionForm,
    ReviewForm,
    TrendForm,
)
from quality.models import CorrectiveAction, RecordReview, findings_team_ids, is_reviewer
from quality.views.samples import PAGE_SIZE

REVIEW_RELATED = (
    "enrollment__client",
    "enrollment__program",
    "case_manager",
    "reviewer",
    "sample",
    "previous",
)


def _context(request: AuthenticatedHttpRequest, review: RecordReview) -> dict[str, Any]:
    viewer = request.user
    actions = list(selectors.review_actions(review))
    may_close = viewer.pk == review.case_manager_id or (
        review.team_id in (findings_team_ids(viewer) or frozenset())
    )
    return {
        "review": review,
        "items": selectors.review_items(review),
        "actions": actions,
        "reviewer": is_reviewer(viewer),
        "may_acknowledge": viewer.pk == review.case_manager_id
        and review.status == RecordReview.Status.RETURNED,
        "may_close_actions": may_close and review.returned_at is not None,
        "action_form": CorrectiveActionForm(),
        "acknowledge_form": AcknowledgeForm(),
        "done_form": ActionDoneForm(),
        # A pending re-review is the reviewers' alone: nobody else is shown a link to it.
        "rereview": RecordReview.objects.visible_to(viewer).filter(previous=review).first(),
    }


@login_required
def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A pending review shows the checklist to the reviewer, each item the data answers
    pre-filled and shown with its evidence; once reviewed, the answers, score and findings."""
    review = object_for_request(request, RecordReview, pk, select_related=REVIEW_RELATED)
    if not review.is_pending:
        return render(request, "quality/review_detail.html", _context(request, review))
    on = today()
    rows = selectors.checklist(services.data_answers(review, on=on))
    form = ReviewForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_complete(
                actor=request.user,
                review=review,
                answers=form.answers(),
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Review saved. Add corrective actions, then return it.")
            return redirect("quality:review", review.pk)
    return render(
        request,
        "quality/review_form.html",
        {"review": review, "form": form, "as_of": services.review_as_of(review, on=on)},
        status=400 if request.method == "POST" else 200,
    )


def _post_action(
    request: AuthenticatedHttpRequest,
    review: RecordReview,
    call: Callable[[], object],
    done: str,
) -> HttpResponse:
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("quality:review", review.pk)


@login_required
def action_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a corrective action for the case manager reviewed, with its due date."""
    review = object_for_request(
        request, RecordReview, pk, write=True, select_related=REVIEW_RELATED
    )
    form = CorrectiveActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.corrective_action_add(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Corrective action added.")
            return redirect("quality:review", review.pk)
    return render(
        request,
        "quality/action_form.html",
        {"review": review, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def review_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = object_for_request(request, RecordReview, pk, write=True)
    return _post_action(
        request,
        review,
        lambda: services.review_return(actor=request.user, review=review),
        "Findings returned to the case manager and their supervisor.",
    )


@login_required
@require_POST
def review_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = object_for_request(request, RecordReview, pk)
    form = AcknowledgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _post_action(
        request,
        review,
        lambda: services.review_acknowledge(actor=request.user, review=review, note=note),
        "Findings acknowledged.",
    )


@login_required
@require_POST
def rereview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = object_for_request(request, RecordReview, pk, write=True)
    try:
        again = services.rereview_start(actor=request.user, review=review)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("quality:review", review.pk)
    return redirect("quality:review", again.pk)


@login_required
@require_POST
def action_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = object_for_request(
        request, CorrectiveAction, pk, write=True, select_related=("review",)
    )
    form = ActionDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    back = request.POST.get("next", "")
    response = _post_action(
        request,
        action.review,
        lambda: services.corrective_action_done(actor=request.user, action=action, note=note),
        "Corrective action done.",
    )
    return redirect("workspace:my_work") if back == "my_work" else response


@login_required
def findings(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Findings returned: a case manager's own, a supervisor's teams', or all (QA reviewers and
    administrators); those still to acknowledge first. ``?format=csv|xlsx`` exports every
    page of them (quality.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "quality.findings")
    return render(
        request,
        "quality/findings.html",
        {
            "page": Paginator(selectors.findings_for(viewer=request.user), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "export_links": exports_http.export_links(request),
        },
    )


@login_required
def trend(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Scores over time per case manager or per team (``?by=team``), with a chart and its
    table: the loop closed (TIP 27: results returned to those who produced the records).
    ``?format=csv|xlsx`` exports the table (quality.tables); any other ``?by=`` answers 400."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "quality.trend")
    form = TrendForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "quality/trend.html",
            {
                "by": "case_manager",
                "by_label": TrendForm.BY["case_manager"],
                "rows": [],
                "form": form,
            },
            status=400,
        )
    by = form.cleaned_data["by"]
    rows = selectors.score_trend(viewer=request.user, by=by)
    months = sorted({row.month for row in rows})
    people = sorted({row.who for row in rows})
    percent = {(row.month, row.who): row.score.percent for row in rows}
    chart = {
        "labels": [f"{month:%Y-%m}" for month in months],
        "datasets": [
            {"label": who, "data": [percent.get((month, who)) for month in months]}
            for who in people
        ],
    }
    return render(
        request,
        "quality/trend.html",
        {
            "by": by,
            "by_label": TrendForm.BY[by],
            "rows": rows,
            "chart": chart,
            "export_links": exports_http.export_links(request),
        },
    )
