import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Enrollment
from tests import factories

pytestmark = pytest.mark.django_db


def _open_form(program, case_manager, **overrides):
    data = {
        "program": program.pk,
        "case_manager": case_manager.pk,
        "application_date": timezone.localdate().isoformat(),
        "continuum_stage": Enrollment.ContinuumStage.CASE_FINDING,
        "case_management_model": Enrollment.Model.BROKER_GENERALIST,
        "presenting_issue": "Housing loss after discharge.",
        "eligibility_note": "",
    }
    data.update(overrides)
    return data


def test_it_opens_an_enrollment_on_the_case_managers_own_caseload(client, alice):
    new_client = factories.ClientFactory(created_by=alice)
    program = factories.ProgramFactory()
    client.force_login(alice)
    response = client.post(
        reverse("clients:enrollment_open", args=[new_client.pk]), _open_form(program, alice)
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(client=new_client)
    assert (enrollment.case_manager, enrollment.team) == (alice, alice.team)


def test_it_refuses_a_future_application_date_on_the_form(client, alice):
    new_client = factories.ClientFactory(created_by=alice)
    program = factories.ProgramFactory()
    client.force_login(alice)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = client.post(
        reverse("clients:enrollment_open", args=[new_client.pk]),
        _open_form(program, alice, application_date=tomorrow.isoformat()),
    )
    assert response.status_code == 400
    assert "application_date" in response.context["form"].errors
    assert not Enrollment.objects.exists()


def test_it_lets_a_supervisor_assign_a_case_manager_of_the_team(client, sam, bob):
    new_client = factories.ClientFactory(created_by=bob)
    program = factories.ProgramFactory()
    client.force_login(sam)
    client.post(reverse("clients:enrollment_open", args=[new_client.pk]), _open_form(program, bob))
    assert Enrollment.objects.get(client=new_client).case_manager == bob


def test_it_transfers_an_enrollment_to_a_teammate(client, alice, bob, enrollment):
    client.force_login(alice)
    response = client.post(
        reverse("clients:enrollment_transfer", args=[enrollment.pk]), {"case_manager": bob.pk}
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.case_manager == bob


def test_it_closes_an_enrollment_with_a_reason(client, alice, enrollment):
    client.force_login(alice)
    client.post(
        reverse("clients:enrollment_close", args=[enrollment.pk]),
        {"closed_on": timezone.localdate().isoformat(), "close_reason": "goals_met"},
    )
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.close_reason) == ("closed", "goals_met")


def test_it_refuses_a_closing_date_before_the_application(client, alice, enrollment):
    client.force_login(alice)
    before = enrollment.application_date - timezone.timedelta(days=1)
    response = client.post(
        reverse("clients:enrollment_close", args=[enrollment.pk]),
        {"closed_on": before.isoformat(), "close_reason": "goals_met"},
    )
    assert response.status_code == 400
    assert "closed_on" in response.context["form"].errors
    enrollment.refresh_from_db()
    assert enrollment.is_open


def test_it_updates_the_continuum_stage(client, alice, enrollment):
    client.force_login(alice)
    client.post(
        reverse("clients:enrollment_edit", args=[enrollment.pk]),
        {
            "continuum_stage": Enrollment.ContinuumStage.AFTERCARE,
            "case_management_model": enrollment.case_management_model,
            "presenting_issue": enrollment.presenting_issue,
            "eligibility_note": "",
        },
    )
    enrollment.refresh_from_db()
    assert enrollment.continuum_stage == Enrollment.ContinuumStage.AFTERCARE


def test_it_names_the_new_case_manager_after_a_transfer(client, alice, bob, enrollment):
    client.force_login(alice)
    response = client.post(
        reverse("clients:enrollment_transfer", args=[enrollment.pk]),
        {"case_manager": bob.pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "workspace:client", args=[enrollment.client_id]
    )
    assert [str(m) for m in response.context["messages"]] == [f"Transferred to {bob}."]


def test_it_opens_an_enrollment_after_a_detox_discharge(client, alice):
    new_client = factories.ClientFactory(created_by=alice)
    client.force_login(alice)
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    response = client.post(
        reverse("clients:enrollment_open", args=[new_client.pk]),
        _open_form(
            factories.ProgramFactory(),
            alice,
            prior_discharge_on=yesterday.isoformat(),
            prior_discharge_from=Enrollment.DischargedFrom.DETOX,
        ),
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(client=new_client)
    assert (enrollment.prior_discharge_on, enrollment.prior_discharge_from) == (yesterday, "detox")


def test_it_shows_the_discharge_on_the_client_page(client, alice):
    enrollment = factories.EnrollmentFactory(
        case_manager=alice,
        prior_discharge_on=timezone.localdate(),
        prior_discharge_from=Enrollment.DischargedFrom.INPATIENT,
    )
    client.force_login(alice)
    page = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert "Came from inpatient or residential treatment, discharged" in page.content.decode()


def test_it_refuses_a_discharge_date_without_where_from_on_the_form(client, alice):
    new_client = factories.ClientFactory(created_by=alice)
    client.force_login(alice)
    response = client.post(
        reverse("clients:enrollment_open", args=[new_client.pk]),
        _open_form(
            factories.ProgramFactory(),
            alice,
            prior_discharge_on=timezone.localdate().isoformat(),
            prior_discharge_from="",
        ),
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["prior_discharge_from"]
    assert not Enrollment.objects.filter(client=new_client).exists()


def test_it_refuses_a_discharge_in_the_future_on_the_edit_form(client, alice, enrollment):
    client.force_login(alice)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = client.post(
        reverse("clients:enrollment_edit", args=[enrollment.pk]),
        {
            "continuum_stage": Enrollment.ContinuumStage.AFTERCARE,
            "case_management_model": enrollment.case_management_model,
            "presenting_issue": enrollment.presenting_issue,
            "eligibility_note": "",
            "prior_discharge_on": tomorrow.isoformat(),
            "prior_discharge_from": Enrollment.DischargedFrom.DETOX,
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["prior_discharge_on"]
    enrollment.refresh_from_db()
    assert (enrollment.prior_discharge_on, enrollment.continuum_stage) == (
        None,
        Enrollment.ContinuumStage.PRIMARY_TREATMENT,
    )


def test_it_refuses_where_from_without_a_date_on_the_edit_form(client, alice, enrollment):
    client.force_login(alice)
    response = client.post(
        reverse("clients:enrollment_edit", args=[enrollment.pk]),
        {
            "continuum_stage": enrollment.continuum_stage,
            "case_management_model": enrollment.case_management_model,
            "presenting_issue": enrollment.presenting_issue,
            "eligibility_note": "",
            "prior_discharge_from": Enrollment.DischargedFrom.INPATIENT,
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["prior_discharge_on"]
    enrollment.refresh_from_db()
    assert enrollment.prior_discharge_from == ""
