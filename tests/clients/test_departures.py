"""A member of staff leaving (clients.departures): deactivated, sessions ended, calendar feed
revoked and open caseload moved to a successor, at once; the page an administrator uses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import User
from clients.departures import staff_depart
from clients.models import Enrollment
from scheduling.models import CalendarFeed
from scheduling.services import feed_enable
from tests import factories

pytestmark = pytest.mark.django_db

URL = "clients:staff_departure"


def test_it_moves_the_open_caseload_to_the_successor(
    ada: User, alice: User, bob: User, enrollment: Enrollment
) -> None:
    assert staff_depart(actor=ada, user=alice, successor=bob) == 1
    enrollment.refresh_from_db()
    assert (enrollment.case_manager_id, enrollment.team_id) == (bob.pk, bob.team_id)


def test_it_leaves_a_closed_enrollment_with_its_case_manager(
    ada: User, alice: User, bob: User
) -> None:
    closed = factories.EnrollmentFactory(
        case_manager=alice,
        status=Enrollment.Status.CLOSED,
        closed_on=dt.date(2026, 11, 30),
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )
    staff_depart(actor=ada, user=alice, successor=bob)
    closed.refresh_from_db()
    assert closed.case_manager_id == alice.pk


def test_the_move_stays_in_the_enrollments_history(
    ada: User, alice: User, bob: User, enrollment: Enrollment
) -> None:
    staff_depart(actor=ada, user=alice, successor=bob)
    events = Enrollment.pgh_event_model.objects.filter(pgh_obj=enrollment)  # type: ignore[attr-defined]  # added by pghistory.track
    assert list(events.order_by("pgh_id").values_list("case_manager_id", flat=True)) == [
        alice.pk,
        bob.pk,
    ]


def test_it_deactivates_the_account(ada: User, alice: User, bob: User) -> None:
    staff_depart(actor=ada, user=alice, successor=bob)
    alice.refresh_from_db()
    assert alice.is_active is False


def test_it_ends_the_leavers_sessions_at_once(
    client: HttpClient, ada: User, alice: User, bob: User
) -> None:
    client.force_login(alice)
    staff_depart(actor=ada, user=alice, successor=bob)
    assert Session.objects.count() == 0
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


def test_it_keeps_everyone_elses_sessions(
    client: HttpClient, ada: User, alice: User, bob: User
) -> None:
    client.force_login(bob)
    staff_depart(actor=ada, user=alice, successor=bob)
    assert client.get(reverse("home"), follow=True).status_code == 200


def test_it_revokes_the_calendar_feed(ada: User, alice: User, bob: User) -> None:
    feed_enable(user=alice)
    staff_depart(actor=ada, user=alice, successor=bob)
    assert CalendarFeed.objects.get(user=alice).revoked_at is not None


def test_it_needs_a_successor_for_an_open_caseload(
    ada: User, alice: User, enrollment: Enrollment
) -> None:
    with pytest.raises(ValidationError) as refused:
        staff_depart(actor=ada, user=alice, successor=None)
    assert "successor" in refused.value.message_dict
    alice.refresh_from_db()
    assert alice.is_active is True


def test_it_deactivates_someone_without_a_caseload_alone(ada: User, sam: User) -> None:
    assert staff_depart(actor=ada, user=sam, successor=None) == 0
    sam.refresh_from_db()
    assert sam.is_active is False


def test_the_successor_must_be_an_active_case_manager(
    ada: User, alice: User, sam: User, enrollment: Enrollment
) -> None:
    with pytest.raises(ValidationError) as refused:
        staff_depart(actor=ada, user=alice, successor=sam)
    assert "successor" in refused.value.message_dict
    enrollment.refresh_from_db()
    assert enrollment.case_manager_id == alice.pk


def test_the_successor_is_not_the_leaver(ada: User, alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError):
        staff_depart(actor=ada, user=alice, successor=alice)


def test_only_an_administrator_deactivates(sam: User, alice: User, bob: User) -> None:
    with pytest.raises(PermissionDenied):
        staff_depart(actor=sam, user=alice, successor=bob)


def test_an_administrator_cannot_deactivate_themself(ada: User) -> None:
    with pytest.raises(ValidationError):
        staff_depart(actor=ada, user=ada)


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_the_open_caseload(
    client: HttpClient, ada: User, alice: User, enrollment: Enrollment
) -> None:
    client.force_login(ada)
    response = client.get(reverse(URL, args=[alice.pk]))
    assert "case manager of 1 open enrollments" in response.content.decode()


def test_the_page_moves_the_caseload_and_deactivates(
    client: HttpClient, ada: User, alice: User, bob: User, enrollment: Enrollment
) -> None:
    client.force_login(ada)
    response = client.post(reverse(URL, args=[alice.pk]), {"successor": bob.pk})
    assert response["Location"] == reverse("admin:accounts_user_changelist")
    enrollment.refresh_from_db()
    assert enrollment.case_manager_id == bob.pk


def test_the_page_asks_for_a_successor_on_the_form(
    client: HttpClient, ada: User, alice: User, enrollment: Enrollment
) -> None:
    client.force_login(ada)
    response = client.post(reverse(URL, args=[alice.pk]), {"successor": ""})
    assert response.status_code == 400
    assert "Choose who takes over the open caseload" in response.content.decode()


def test_the_page_refuses_a_supervisor(client: HttpClient, sam: User, alice: User) -> None:
    client.force_login(sam)
    assert client.get(reverse(URL, args=[alice.pk])).status_code == 403


def test_the_page_of_an_inactive_account_is_not_found(
    client: HttpClient, ada: User, alice: User
) -> None:
    alice.is_active = False
    alice.save()
    client.force_login(ada)
    assert client.get(reverse(URL, args=[alice.pk])).status_code == 404


def test_the_admin_links_a_user_to_the_page(client: HttpClient, ada: User, alice: User) -> None:
    client.force_login(ada)
    page = client.get(reverse("admin:accounts_user_change", args=[alice.pk])).content.decode()
    assert reverse(URL, args=[alice.pk]) in page
