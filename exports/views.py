"""An export job's page (its progress, then its file) and the file's download: the person who
asked for it only; anyone else, or a file past its time, answers 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from casemgmt.http import AuthenticatedHttpRequest
from exports.http import attachment, log_export
from exports.models import ExportJob


def _own_job(request: AuthenticatedHttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
def job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The job's progress bar; htmx asks for the bar again every two seconds until the job
    has finished."""
    export_job = _own_job(request, pk)
    template = "exports/_progress.html" if request.htmx else "exports/job.html"
    return render(request, template, {"job": export_job, "file_hours": settings.EXPORT_FILE_HOURS})


@login_required
def download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    export_job = _own_job(request, pk)
    if export_job.status != ExportJob.Status.DONE or export_job.expires_at is None:
        raise Http404("This export is not ready or has been deleted.")
    if export_job.expires_at <= timezone.now():
        raise Http404("This export has been deleted.")
    log_export(request, path=export_job.page, row_count=export_job.rows_written)
    response = FileResponse(export_job.file.open("rb"))
    attachment(response, export_job.file.name.rsplit("/", 1)[-1])
    return response
