import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import AccessLog
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_shows_the_client_header_family_and_enrollments(
    client, alice, client_record, enrollment
):
    parent = factories.FamilyMemberFactory(client=client_record, first_name="Maria")
    client.force_login(alice)
    response = client.get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 200
    assert client_record.record_number in response.content.decode()
    assert list(response.context["family"]) == [parent]
    assert list(response.context["enrollments"]) == [enrollment]


def test_it_lists_contacts_newest_first(client, alice, enrollment):
    now = timezone.now()
    older = factories.ContactFactory(enrollment=enrollment, occurred_at=now - dt.timedelta(days=5))
    newer = factories.ContactFactory(enrollment=enrollment, occurred_at=now - dt.timedelta(days=1))
    client.force_login(alice)
    response = client.get(reverse("clients:detail", args=[enrollment.client_id]))
    assert list(response.context["timeline"]) == [newer, older]


def test_it_paginates_the_timeline(client, alice, enrollment):
    now = timezone.now()
    for day in range(25):
        factories.ContactFactory(
            enrollment=enrollment, occurred_at=now - dt.timedelta(days=day + 1)
        )
    client.force_login(alice)
    url = reverse("clients:detail", args=[enrollment.client_id])
    assert len(client.get(url).context["timeline"]) == 20
    assert len(client.get(url, {"page": 2}).context["timeline"]) == 5


def test_it_writes_one_access_log_row_per_view(client, bob, client_record):
    client.force_login(bob)
    client.get(reverse("clients:detail", args=[client_record.pk]))
    rows = AccessLog.objects.filter(client=client_record)
    assert [(r.user, r.action) for r in rows] == [(bob, AccessLog.Action.VIEWED)]


def test_it_answers_404_to_another_team_and_logs_the_attempt(client, charlie, client_record):
    client.force_login(charlie)
    response = client.get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 404
    row = AccessLog.objects.get()
    assert (row.user, row.client, row.action) == (charlie, client_record, AccessLog.Action.DENIED)


def test_it_answers_404_for_an_id_that_does_not_exist(client, alice):
    client.force_login(alice)
    assert client.get(reverse("clients:detail", args=[999999])).status_code == 404
    assert AccessLog.objects.get().client is None


def _queries_for_client_page(client, user, client_record) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 200
    return len(queries)


def test_it_uses_the_same_number_of_queries_at_5_and_50_contacts(client, alice, enrollment):
    def add(n):
        for _ in range(n):
            contact = factories.ContactFactory(enrollment=enrollment)
            factories.FamilyMemberFactory(client=enrollment.client)
            contact.addenda.create(author=alice, note="Later: called back.")

    add(5)
    at_five = _queries_for_client_page(client, alice, enrollment.client)
    add(45)
    assert _queries_for_client_page(client, alice, enrollment.client) == at_five


def test_it_shows_a_team_only_its_own_enrollments_and_contacts_of_a_shared_client(
    client, alice, charlie, enrollment
):
    # The same client is also served by charlie's team in another program.
    theirs = factories.EnrollmentFactory(client=enrollment.client, case_manager=charlie)
    factories.ContactFactory(enrollment=theirs, note="Other team's note.")
    ours = factories.ContactFactory(enrollment=enrollment)
    client.force_login(alice)
    response = client.get(reverse("clients:detail", args=[enrollment.client_id]))
    assert list(response.context["enrollments"]) == [enrollment]
    assert list(response.context["timeline"]) == [ours]
    assert "Other team's note." not in response.content.decode()
