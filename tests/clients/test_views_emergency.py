"""Emergency access on the pages (clients.views.emergency, the directory's count, the client
page's banner, the access log page, the supervisor's dashboard).

alice (North Team) searches for Maria Lopez, a client of charlie's (South Team, supervised by
sue)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import Team, User
from clients.emergency import emergency_access_grant
from clients.models import AccessLog, Client, EmergencyAccess
from tests import factories
from tests.helpers import assert_list_queries_constant

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("clients:client_list")
REQUEST = reverse("clients:emergency_access_request")
GRANTS = reverse("clients:emergency_accesses")
REASON = "The crisis line called: she is in the emergency room and asks for us."


@pytest.fixture
def sue(other_team: Team) -> User:
    return factories.SupervisorFactory(username="sue", team=other_team)


@pytest.fixture
def maria(charlie: User) -> Client:
    """charlie's client, outside alice's team."""
    return factories.EnrollmentFactory(
        case_manager=charlie,
        client__first_name="Maria",
        client__last_name="Lopez",
        client__date_of_birth=dt.date(1985, 4, 12),
    ).client


def _namesake(charlie: User) -> Client:
    return factories.EnrollmentFactory(
        case_manager=charlie, client__first_name="Maria", client__last_name="Lopez"
    ).client


def _grant(user: User, client: Client) -> EmergencyAccess:
    return emergency_access_grant(user=user, client=client, category="crisis", reason=REASON)


def _request(client: HttpClient, search: str, **changes: str):
    data = {"q": search, "category": "crisis", "reason": REASON, **changes}
    return client.post(REQUEST, data)


# --- The directory's count ----------------------------------------------------------------------


def test_the_directory_counts_a_match_outside_the_team(
    client: HttpClient, alice: User, maria: Client
) -> None:
    client.force_login(alice)
    response = client.get(DIRECTORY, {"q": "Maria Lopez"})
    assert response.context["outside_scope"] == 1
    assert b"1 more match outside your teams" in response.content
    assert b"Request emergency access" in response.content


def test_the_directory_names_no_client_outside_the_team(
    client: HttpClient, alice: User, maria: Client
) -> None:
    client.force_login(alice)
    response = client.get(DIRECTORY, {"q": "Maria Lopez"})
    assert maria.record_number.encode() not in response.content
    assert f'data-client="{maria.pk}"'.encode() not in response.content
    assert f"/clients/{maria.pk}/".encode() not in response.content


def test_the_directory_asks_to_narrow_a_search_matching_several(
    client: HttpClient, alice: User, charlie: User, maria: Client
) -> None:
    _namesake(charlie)
    client.force_login(alice)
    response = client.get(DIRECTORY, {"q": "Maria Lopez"})
    assert b"2 more matches outside your teams" in response.content
    assert b"Request emergency access" not in response.content
    assert b"add the date of birth" in response.content


def test_the_directory_counts_one_of_several_with_the_birth_date(
    client: HttpClient, alice: User, charlie: User, maria: Client
) -> None:
    _namesake(charlie)
    client.force_login(alice)
    response = client.get(DIRECTORY, {"q": "Maria Lopez 1985-04-12"})
    assert response.context["outside_scope"] == 1


def test_the_directory_counts_nothing_for_a_fuzzy_search(
    client: HttpClient, alice: User, maria: Client
) -> None:
    client.force_login(alice)
    response = client.get(DIRECTORY, {"q": "Mari Lope"})
    assert not response.context["outside_scope"]
    assert b"outside your teams" not in response.content


def test_the_directory_counts_nothing_for_an_administrator(
    client: HttpClient, ada: User, maria: Client
) -> None:
    client.force_login(ada)
    response = client.get(DIRECTORY, {"q": "Maria Lopez"})
    assert response.context["outside_scope"] is None


def test_the_directory_search_uses_the_same_queries_at_5_and_50_matches(
    client: HttpClient, alice: User, charlie: User
) -> None:
    client.force_login(alice)

    def record(n: int) -> None:
        for _ in range(n):
            factories.EnrollmentFactory(
                case_manager=alice, client__first_name="Maria", client__last_name="Lopez"
            )
            _namesake(charlie)

    assert_list_queries_constant(
        client,
        f"{DIRECTORY}?q=Maria+Lopez",
        record,
        rows_of=lambda r: r.context["page"].paginator.count,
    )


def test_the_directory_search_stays_within_its_query_budget(
    client: HttpClient, alice: User, maria: Client, django_assert_max_num_queries
) -> None:
    client.force_login(alice)
    client.get(DIRECTORY)  # the session's first request stamps the login time
    with django_assert_max_num_queries(8):
        client.get(DIRECTORY, {"q": "Maria Lopez"})


# --- The request ------------------------------------------------------------------------------


def test_the_request_page_repeats_the_count_only(
    client: HttpClient, alice: User, maria: Client
) -> None:
    client.force_login(alice)
    response = client.get(REQUEST, {"q": "Maria Lopez"})
    assert response.status_code == 200
    assert response.context["found"] == 1
    assert maria.record_number.encode() not in response.content
    assert str(maria.date_of_birth).encode() not in response.content


def test_a_request_with_a_reason_opens_the_client_page(
    client: HttpClient, alice: User, maria: Client
) -> None:
    client.force_login(alice)
    response = _request(client, "Maria Lopez")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:client", args=[maria.pk])
    assert EmergencyAccess.objects.get().client == maria


def test_a_request_without_a_reason_opens_nothing(
    client: HttpClient, alice: User, maria: Client
) -> None:
    client.force_login(alice)
    response = _request(client, "Maria Lopez", reason="")
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert not EmergencyAccess.objects.exists()


def test_a_request_matching_several_opens_nothing(
    client: HttpClient, alice: User, charlie: User, maria: Client
) -> None:
    _namesake(charlie)
    client.force_login(alice)
    response = _request(client, "Maria Lopez")
    assert response.status_code == 400
    assert "q" in response.context["form"].errors
    assert not EmergencyAccess.objects.exists()


def test_a_request_matching_nobody_opens_nothing(
    client: HttpClient, alice: User, maria: Client
) -> None:
    client.force_login(alice)
    response = _request(client, "Marie Lopes")
    assert response.status_code == 400
    assert not EmergencyAccess.objects.exists()


def test_a_request_cannot_name_a_client_of_the_own_team(
    client: HttpClient, alice: User, client_record: Client
) -> None:
    client.force_login(alice)
    response = _request(client, client_record.record_number)
    assert response.status_code == 400
    assert not EmergencyAccess.objects.exists()


def test_a_request_tells_the_clients_supervisor(
    client: HttpClient, alice: User, sue: User, maria: Client, django_capture_on_commit_callbacks
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, "Maria Lopez")
    assert [message.to for message in mail.outbox] == [[sue.email]]


def test_the_request_counts_against_the_search_rate_limit(
    client: HttpClient, alice: User, maria: Client, settings
) -> None:
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 1
    client.force_login(alice)
    client.get(REQUEST, {"q": "Maria Lopez"})
    assert client.get(REQUEST, {"q": "Maria Lopez"}).status_code == 429


# --- The client page during the grant ---------------------------------------------------------


def test_the_client_page_shows_the_read_only_banner(
    client: HttpClient, alice: User, maria: Client
) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 10, 21, 2, tzinfo=dt.UTC), tick=False):
        _grant(alice, maria)
        client.force_login(alice)
        response = client.get(reverse("workspace:client", args=[maria.pk]))
    # 21:02 UTC is 14:02 in Boise (MST); the grant ends 12 hours later.
    assert b"Emergency access until 02:02" in response.content
    assert b"read-only" in response.content


def test_the_client_page_offers_nothing_to_change(
    client: HttpClient, alice: User, maria: Client
) -> None:
    _grant(alice, maria)
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[maria.pk]))
    assert not response.context["can_write"]
    assert not response.context["can_open_enrollment"]
    assert not response.context["writable_enrollments"]


def test_the_client_page_shows_no_banner_without_a_grant(
    client: HttpClient, alice: User, client_record: Client
) -> None:
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[client_record.pk]))
    assert b"emergency-access-banner" not in response.content


def test_each_read_during_the_grant_is_logged(
    client: HttpClient, alice: User, maria: Client
) -> None:
    _grant(alice, maria)
    client.force_login(alice)
    client.get(reverse("workspace:client", args=[maria.pk]))
    assert AccessLog.objects.filter(
        user=alice, client=maria, action=AccessLog.Action.VIEWED
    ).exists()


def test_the_grantee_cannot_edit_the_client(client: HttpClient, alice: User, maria: Client) -> None:
    _grant(alice, maria)
    client.force_login(alice)
    assert client.get(reverse("clients:edit", args=[maria.pk])).status_code == 403


def test_the_grantee_cannot_open_an_enrollment(
    client: HttpClient, alice: User, maria: Client
) -> None:
    _grant(alice, maria)
    client.force_login(alice)
    response = client.get(reverse("clients:enrollment_open", args=[maria.pk]))
    assert response.status_code == 403


def test_the_client_page_answers_404_once_the_grant_expired(
    client: HttpClient, alice: User, maria: Client
) -> None:
    granted = dt.datetime(2026, 3, 10, 14, 2, tzinfo=dt.UTC)
    with time_machine.travel(granted, tick=False):
        _grant(alice, maria)
    with time_machine.travel(granted + dt.timedelta(hours=12), tick=False):
        client.force_login(alice)
        response = client.get(reverse("workspace:client", args=[maria.pk]))
    assert response.status_code == 404


# --- Review -----------------------------------------------------------------------------------


def test_the_access_log_page_shows_the_grant_apart(
    client: HttpClient, ada: User, alice: User, maria: Client
) -> None:
    _grant(alice, maria)
    client.force_login(ada)
    response = client.get(reverse("clients:accesses", args=[maria.pk]))
    assert list(response.context["grants"]) == [EmergencyAccess.objects.get()]
    assert b"emergency-grants" in response.content
    assert REASON.encode() in response.content
    assert b"access-emergency" in response.content


def test_the_clients_supervisor_reviews_the_grant(
    client: HttpClient, sue: User, alice: User, maria: Client
) -> None:
    grant = _grant(alice, maria)
    client.force_login(sue)
    response = client.get(GRANTS)
    assert list(response.context["page"]) == [grant]
    assert REASON.encode() in response.content


def test_another_teams_supervisor_does_not_see_the_grant(
    client: HttpClient, sam: User, alice: User, maria: Client
) -> None:
    _grant(alice, maria)
    client.force_login(sam)
    assert list(client.get(GRANTS).context["page"]) == []


def test_the_supervisors_dashboard_tells_of_the_grant(
    client: HttpClient, sue: User, alice: User, maria: Client
) -> None:
    _grant(alice, maria)
    client.force_login(sue)
    response = client.get(reverse("workspace:dashboard"))
    assert response.context["emergency_accesses"] == 1
    assert b"emergency-access-notice" in response.content


def test_the_grants_page_uses_the_same_queries_at_5_and_50_grants(
    client: HttpClient, ada: User, charlie: User
) -> None:
    client.force_login(ada)

    def record(n: int) -> None:
        for _ in range(n):
            factories.EmergencyAccessFactory(client=factories.EnrollmentFactory().client)

    assert_list_queries_constant(
        client, GRANTS, record, rows_of=lambda r: r.context["page"].paginator.count
    )
