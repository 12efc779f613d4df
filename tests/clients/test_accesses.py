"""Who read a client's record (clients.views.accesses): the administrator's page for a
client's request for an accounting of accesses."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Client, Enrollment
from clients.services import access_log_record
from tests import factories

pytestmark = pytest.mark.django_db

URL = "clients:accesses"


def _read_by(user: User, client: Client, times: int = 1) -> None:
    for _ in range(times):
        access_log_record(
            user=user,
            client_id=client.pk,
            action=AccessLog.Action.VIEWED,
            path=f"/clients/{client.pk}/",
            ip_address="10.0.0.7",
        )


def _listed(response: object) -> list[AccessLog]:
    return list(response.context["page"])  # type: ignore[attr-defined]  # the test client's response


def test_it_lists_who_viewed_the_client_page(
    client: HttpClient, ada: User, alice: User, client_record: Client
) -> None:
    _read_by(alice, client_record)
    client.force_login(ada)
    rows = _listed(client.get(reverse(URL, args=[client_record.pk])))
    assert alice in [row.user for row in rows]


def test_it_lists_an_api_list_read_that_returned_the_clients_records(
    client: HttpClient, api: APIClient, ada: User, alice: User, enrollment: Enrollment
) -> None:
    factories.ContactFactory(enrollment=enrollment)
    api.force_login(alice)
    api.get(reverse("contact-list"))
    client.force_login(ada)
    rows = _listed(client.get(reverse(URL, args=[enrollment.client_id])))
    assert [row.path for row in rows if row.user == alice] == [reverse("contact-list")]


def test_it_leaves_out_other_clients_reads(
    client: HttpClient, ada: User, alice: User, client_record: Client
) -> None:
    _read_by(alice, factories.ClientFactory())
    client.force_login(ada)
    rows = _listed(client.get(reverse(URL, args=[client_record.pk])))
    assert [row.user for row in rows] == [ada]  # opening the page is itself a read


def test_opening_it_is_logged_as_a_read_of_the_client(
    client: HttpClient, ada: User, client_record: Client
) -> None:
    client.force_login(ada)
    client.get(reverse(URL, args=[client_record.pk]))
    assert AccessLog.objects.get(user=ada).client_id == client_record.pk


@pytest.mark.parametrize("role", ["alice", "sam", "quinn"])
def test_it_is_for_administrators_only(
    client: HttpClient, role: str, alice: User, sam: User, quinn: User, client_record: Client
) -> None:
    client.force_login(User.objects.get(username=role))
    assert client.get(reverse(URL, args=[client_record.pk])).status_code == 403


def test_the_client_page_links_to_it_for_an_administrator(
    client: HttpClient, ada: User, client_record: Client
) -> None:
    client.force_login(ada)
    page = client.get(reverse("workspace:client", args=[client_record.pk])).content.decode()
    assert reverse(URL, args=[client_record.pk]) in page


def test_its_queries_do_not_grow_with_the_rows(
    client: HttpClient, ada: User, alice: User, client_record: Client
) -> None:
    client.force_login(ada)
    url = reverse(URL, args=[client_record.pk])
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured.captured_queries)

    _read_by(alice, client_record, times=5)
    at_five = queries()
    _read_by(alice, client_record, times=45)
    assert queries() == at_five
