"""A real Celery worker (tests/celery_worker.py) writes an export job: the staff log's contacts
over the limit of a request, asked for on the page, followed on the job's page until the file is
ready, downloaded and opened back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from django.urls import reverse

from exports.models import ExportJob
from tests.celery_worker import real_worker, wait_for
from tests.exports.conftest import ask

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker() -> Iterator[None]:
    with real_worker():
        yield


def test_a_worker_writes_the_job_and_its_requester_downloads_it(
    worker, client, alice, three_contacts
) -> None:
    response = ask(client, alice)
    job_page = response["Location"]
    job = ExportJob.objects.get()
    assert wait_for(lambda: b'id="export-download"' in client.get(job_page).content)
    download = client.get(reverse("exports:download", args=[job.pk]))
    lines = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    header = next(i for i, line in enumerate(lines) if line[:2] == ["Date", "Time"])
    assert [line[3] for line in lines[header + 1 :]] == [
        c.client.record_number for c in three_contacts
    ][::-1]
