"""clients.audit: every 403 and 404 answered for a record leaves an access-log row naming the
user, the path asked and the outcome (HIPAA 45 CFR 164.312(b), audit controls)."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.test import Client as WebClient
from django.test import RequestFactory
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.audit import RefusalLogMiddleware
from clients.models import AccessLog, Client, Enrollment
from supervision.models import Variance
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def variance(enrollment: Enrollment) -> Variance:
    """alice's pending variance, which only administrators decide."""
    return factories.VarianceFactory(enrollment=enrollment)


def _row(row: AccessLog) -> tuple[object, ...]:
    return (row.user, row.client, row.action, row.outcome, row.path)


def test_it_logs_a_case_managers_refused_variance_decision(
    client: WebClient, alice: User, variance: Variance
) -> None:
    """The view refuses on the role before it looks the variance up: the row is written all
    the same, without a client."""
    url = reverse("supervision:variance_decide", args=[variance.pk])
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 403
    assert _row(AccessLog.objects.get()) == (
        alice,
        None,
        AccessLog.Action.DENIED,
        AccessLog.Outcome.REFUSED,
        url,
    )


def test_it_logs_an_out_of_scope_client_as_not_found(
    client: WebClient, charlie: User, client_record: Client
) -> None:
    url = reverse("workspace:client", args=[client_record.pk])
    client.force_login(charlie)
    response = client.get(url)
    assert response.status_code == 404
    assert _row(AccessLog.objects.get()) == (
        charlie,
        client_record,
        AccessLog.Action.DENIED,
        AccessLog.Outcome.NOT_FOUND,
        url,
    )


def test_it_logs_a_refused_change_as_refused(
    client: WebClient, bob: User, client_record: Client
) -> None:
    """bob reads his teammate's client but may not change it: 403, one row naming it."""
    url = reverse("clients:edit", args=[client_record.pk])
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 403
    assert _row(AccessLog.objects.get()) == (
        bob,
        client_record,
        AccessLog.Action.DENIED,
        AccessLog.Outcome.REFUSED,
        url,
    )


def test_it_logs_an_api_id_out_of_scope_as_not_found(
    api: APIClient, charlie: User, enrollment: Enrollment
) -> None:
    url = reverse("enrollment-detail", args=[enrollment.pk])
    api.force_login(charlie)
    response = api.get(url)
    assert response.status_code == 404
    assert _row(AccessLog.objects.get()) == (
        charlie,
        enrollment.client,
        AccessLog.Action.DENIED,
        AccessLog.Outcome.NOT_FOUND,
        url,
    )


def test_it_logs_an_api_refusal_made_by_a_permission(
    api: APIClient, alice: User, variance: Variance
) -> None:
    """DRF's permission classes refuse before any lookup: logged like the page."""
    url = reverse("variance-approve", args=[variance.pk])
    api.force_login(alice)
    response = api.post(url)
    assert response.status_code == 403
    assert _row(AccessLog.objects.get()) == (
        alice,
        None,
        AccessLog.Action.DENIED,
        AccessLog.Outcome.REFUSED,
        url,
    )


def test_it_logs_an_id_that_does_not_exist(client: WebClient, alice: User) -> None:
    url = reverse("workspace:client", args=[987654321])
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 404
    row = AccessLog.objects.get()
    assert (row.user, row.client, row.outcome, row.path) == (
        alice,
        None,
        AccessLog.Outcome.NOT_FOUND,
        url,
    )


def test_it_logs_nothing_for_a_page_that_does_not_exist(client: WebClient, alice: User) -> None:
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_it_logs_nothing_for_a_refused_page_that_names_no_record(
    client: WebClient, alice: User
) -> None:
    """The supervisors' dashboard refuses a case manager, but no record was asked for."""
    client.force_login(alice)
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_it_logs_nothing_for_an_anonymous_request(api: APIClient, client_record: Client) -> None:
    """Anonymous requests are turned away before any record is read (the pages send them to
    the login page; the API answers 403)."""
    response = api.get(reverse("client-detail", args=[client_record.pk]))
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_it_logs_nothing_for_an_answer_that_is_not_a_refusal(
    client: WebClient, alice: User, client_record: Client
) -> None:
    client.force_login(alice)
    client.get(reverse("clients:edit", args=[client_record.pk]))
    assert not AccessLog.objects.filter(action=AccessLog.Action.DENIED).exists()


def test_it_writes_a_refusal_in_one_query(
    rf: RequestFactory, alice: User, variance: Variance, django_assert_num_queries
) -> None:
    url = reverse("supervision:variance_decide", args=[variance.pk])
    request = rf.get(url)
    request.user = alice
    request.resolver_match = resolve(url)

    def refuse(request: HttpRequest) -> HttpResponse:
        return HttpResponseForbidden()

    with django_assert_num_queries(1):
        RefusalLogMiddleware(refuse)(request)
    assert AccessLog.objects.filter(user=alice, path=url).exists()
