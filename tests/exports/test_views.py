"""An export job's page and download (exports.views): the requester's alone; a file past its
hours, or not yet written, answers 404; each download is in the access log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import AccessLog
from exports import services
from exports.models import ExportJob
from tests.exports.conftest import ask

pytestmark = pytest.mark.django_db


def _job(client, user) -> ExportJob:
    response = ask(client, user)
    return ExportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def _written(client, user) -> ExportJob:
    job = services.export_job_write(_job(client, user).pk)
    assert job is not None
    return job


def test_the_request_is_sent_to_the_jobs_page(client, alice, three_contacts) -> None:
    response = ask(client, alice)
    assert response["Location"] == reverse("exports:job", args=[ExportJob.objects.get().pk])


def test_the_jobs_page_shows_its_progress_to_the_requester(client, alice, three_contacts) -> None:
    job = _job(client, alice)
    page = client.get(reverse("exports:job", args=[job.pk]))
    assert page.status_code == 200
    assert b'id="export-progress"' in page.content and b"every 2s" in page.content


def test_a_finished_jobs_progress_stops_asking(client, alice, three_contacts) -> None:
    job = _written(client, alice)
    fragment = client.get(reverse("exports:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert b"every 2s" not in fragment.content
    assert b'id="export-download"' in fragment.content


def test_another_persons_job_answers_404(client, alice, sam, three_contacts) -> None:
    job = _written(client, alice)
    client.force_login(sam)
    assert client.get(reverse("exports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_the_requester_downloads_the_file(client, alice, three_contacts) -> None:
    job = _written(client, alice)
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert b"Client record number" in b"".join(response.streaming_content)


def test_a_download_is_in_the_access_log_with_its_rows(client, alice, three_contacts) -> None:
    job = _written(client, alice)
    client.get(reverse("exports:download", args=[job.pk]))
    row = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (row.user, row.row_count, row.path) == (alice, 3, job.page)


def test_a_job_not_yet_written_has_no_download(client, alice, three_contacts) -> None:
    job = _job(client, alice)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_a_file_past_its_hours_answers_404(client, alice, three_contacts) -> None:
    job = _written(client, alice)
    # (the clock is not moved: the session itself would end after a day)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
