"""The QA reviewer's queue (their landing page) and the samples of records they draw.

Only QA reviewers and administrators reach these pages; anyone else gets 404, as for a record
outside their scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import add_service_errors
from clients.access import object_for_request
from clients.models import Program
from exports import http as exports_http
from quality import selectors, services
from quality.forms import SampleDrawForm
from quality.models import Sample, is_reviewer

PAGE_SIZE = 50
# The queue shows the case managers whose records scored lowest; every score is on the trend.
LOWEST_SCORES = 20


def _require_reviewer_page(request: AuthenticatedHttpRequest) -> None:
    if not is_reviewer(request.user):
        raise Http404("No such page.")


@login_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The record-review queue: records to review, reviews whose findings are to return, the
    samples drawn lately and the score per case manager. ``?format=csv|xlsx`` exports every
    record still to review (quality.tables)."""
    _require_reviewer_page(request)
    if exports_http.wants_file(request):
        return exports_http.export(request, "quality.queue")
    viewer = request.user
    page = Paginator(selectors.review_queue_keys(viewer=viewer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    to_return = list(selectors.reviews_to_return(viewer=viewer)[: PAGE_SIZE + 1])
    return render(
        request,
        "quality/queue.html",
        {
            "page": page,
            "reviews": selectors.reviews_by_key(viewer=viewer, keys=page.object_list),
            "to_return": to_return[:PAGE_SIZE],
            "more_to_return": len(to_return) > PAGE_SIZE,
            "samples": selectors.samples_recent(viewer=viewer),
            "scores": selectors.scores_by_case_manager(viewer=viewer, lowest=LOWEST_SCORES),
            "lowest_scores": LOWEST_SCORES,
            "export_links": exports_http.export_links(request),
        },
    )


@login_required
def sample_draw(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reviewer_page(request)
    form = SampleDrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sample = services.sample_draw(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{sample.reviews.count()} record(s) drawn.")
            return redirect("quality:sample_detail", sample.pk)
    return render(
        request,
        "quality/sample_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def sample_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """How the sample was drawn (period, sizes, seed, population per program) and its records."""
    sample = object_for_request(
        request, Sample, pk, select_related=("case_manager", "drawn_by", "team")
    )
    programs = dict(
        Program.objects.filter(pk__in=[int(p) for p in sample.population]).values_list("pk", "name")
    )
    strata = [
        {
            "program": programs.get(int(program_id), program_id),
            "population": len(ids),
            "size": sample.sizes.get(program_id, 0),
            "drawn": len(sample.drawn.get(program_id, [])),
            "ids": ids,
        }
        for program_id, ids in sorted(sample.population.items(), key=lambda kv: int(kv[0]))
    ]
    return render(
        request,
        "quality/sample_detail.html",
        {"sample": sample, "strata": strata, "reviews": selectors.sample_reviews(sample)},
    )
